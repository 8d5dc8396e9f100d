// Package client is a typed client for Alibaba Cloud Yunxiao's devops API 2021-06-25 (ROA
// style): ACS3-HMAC-SHA256 signing, both error envelopes (Yunxiao's own and the POP gateway's),
// and typed errors. Resources use it and never see JSON.
package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

const (
	// Version is the devops API version this client speaks.
	Version = "2021-06-25"
	// DefaultEndpoint is the devops API's endpoint.
	DefaultEndpoint = "https://devops.cn-hangzhou.aliyuncs.com"
	// DefaultRequestsPerSecond is the client-side limit per operation. Yunxiao documents no rate
	// limit; its gateway answers Throttling.User when one is exceeded, which is retried.
	DefaultRequestsPerSecond = 10
	// ServiceName names the API in errors.
	ServiceName = "Yunxiao"
)

// Config holds what a Client needs.
type Config struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
	Endpoint        string
	UserAgent       string
	// RequestsPerSecond is the client-side limit per operation; 0 means DefaultRequestsPerSecond.
	RequestsPerSecond float64
	HTTPClient        *http.Client
	Retry             transport.RetryPolicy
	// Now is the clock used for x-acs-date; nil means time.Now.
	Now func() time.Time
	// Nonce returns x-acs-signature-nonce; nil means 16 random bytes in hex.
	Nonce func() string
}

// Client calls the devops API.
type Client struct {
	cfg      Config
	endpoint *url.URL
	http     *transport.Client
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.AccessKeyID == "" || cfg.AccessKeySecret == "" {
		return nil, fmt.Errorf("both an AccessKey ID and an AccessKey secret are required")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	endpoint, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = DefaultRequestsPerSecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Nonce == nil {
		cfg.Nonce = randomNonce
	}
	c := &Client{cfg: cfg, endpoint: endpoint}
	c.http = transport.New(transport.Options{
		HTTPClient:        cfg.HTTPClient,
		Subsystem:         "yunxiao",
		RequestsPerSecond: cfg.RequestsPerSecond,
		Retry:             cfg.Retry,
		SensitiveHeaders:  []string{"x-acs-security-token"},
		Secrets:           []string{cfg.AccessKeySecret, cfg.SecurityToken},
		UserAgent:         cfg.UserAgent,
		RequestID:         requestIDOf,
	})
	return c, nil
}

// ParseEndpoint accepts a full http(s) URL of scheme and host, such as DefaultEndpoint.
func ParseEndpoint(raw string) (*url.URL, error) {
	return transport.ParseBaseURL(raw, DefaultEndpoint)
}

func randomNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// request is one API call.
type request struct {
	action     string
	method     string
	path       string // not encoded
	query      url.Values
	body       any // JSON-encoded when not nil
	idempotent bool
}

// call sends req and decodes the response body into out (which may be nil).
func (c *Client) call(ctx context.Context, req request, out any) error {
	var body []byte
	if req.body != nil {
		b, err := json.Marshal(req.body)
		if err != nil {
			return err
		}
		body = b
	}
	resp, err := c.http.Do(ctx, transport.Call{
		Operation:  req.action,
		Idempotent: req.idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) { return c.newRequest(ctx, req, body) },
		Check:      func(r *transport.Response) error { return checkResponse(req.action, r) },
	})
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(resp.Body, out); err != nil {
		return fmt.Errorf("%s %s: decoding the response: %w", ServiceName, req.action, err)
	}
	return nil
}

// newRequest builds and signs one attempt: a fresh date and nonce every time.
func (c *Client) newRequest(ctx context.Context, req request, body []byte) (*http.Request, error) {
	u := *c.endpoint
	u.Path = req.path
	u.RawPath = EncodePath(req.path)
	u.RawQuery = EncodeQuery(req.query)
	r, err := transport.NewRequest(ctx, req.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	headers := map[string]string{
		"host":                  r.URL.Host,
		"x-acs-action":          req.action,
		"x-acs-version":         Version,
		"x-acs-date":            c.cfg.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": c.cfg.Nonce(),
		"x-acs-content-sha256":  HashPayload(body),
	}
	if body != nil {
		headers["content-type"] = "application/json; charset=utf-8"
	}
	if c.cfg.SecurityToken != "" {
		headers["x-acs-security-token"] = c.cfg.SecurityToken
	}
	in := SigningInput{Method: req.method, Path: req.path, Query: req.query, Headers: headers, Payload: body}
	for name, value := range headers {
		if name != "host" {
			r.Header.Set(name, value)
		}
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Authorization", in.Authorization(c.cfg.AccessKeyID, c.cfg.AccessKeySecret))
	return r, nil
}

// errorBody covers both error envelopes: Yunxiao's own {requestId, success, errorCode,
// errorMessage|errorMsg} and the POP gateway's {RequestId, Code, Message}.
type errorBody struct {
	RequestID    string `json:"requestId"`
	Success      *bool  `json:"success"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	ErrorMsg     string `json:"errorMsg"`
	PopRequestID string `json:"RequestId"`
	Code         string `json:"Code"`
	Message      string `json:"Message"`
}

func (b errorBody) requestID() string { return firstNonEmpty(b.RequestID, b.PopRequestID) }

func requestIDOf(r *transport.Response) string {
	var b errorBody
	if json.Unmarshal(r.Body, &b) == nil {
		return b.requestID()
	}
	return ""
}

// checkResponse turns either error envelope, or an HTTP failure without one, into *APIError. A
// 2xx answer is an error only when it says success: false.
func checkResponse(action string, r *transport.Response) error {
	var b errorBody
	parsed := json.Unmarshal(r.Body, &b) == nil
	ok2xx := r.StatusCode >= 200 && r.StatusCode < 300
	if ok2xx && parsed && (b.Success == nil || *b.Success) && b.Code == "" {
		return nil
	}
	e := &transport.APIError{Service: ServiceName, Operation: action, StatusCode: r.StatusCode, RequestID: b.requestID()}
	if parsed {
		e.Code = firstNonEmpty(b.ErrorCode, b.Code)
		e.Message = firstNonEmpty(b.ErrorMessage, b.ErrorMsg, b.Message)
	}
	if !parsed || (e.Code == "" && e.Message == "") {
		e.Message = strings.TrimSpace(truncate(string(r.Body), 300))
		if e.Message == "" {
			e.Message = http.StatusText(r.StatusCode)
		}
	}
	classify(e)
	return e
}

// classify says what an error code means for retrying and what a person can do about it.
func classify(e *transport.APIError) {
	switch {
	case strings.HasPrefix(e.Code, "Throttling"), e.StatusCode == http.StatusTooManyRequests:
		e.Throttled = true
		e.Hint = "Yunxiao refused the call for rate. Lower the provider's max_requests_per_second or run terraform with a lower -parallelism."
	case e.StatusCode >= 500, e.Code == "InternalError", e.Code == "ServiceUnavailable":
		e.Temporary = true
	case e.Code == "SignatureDoesNotMatch":
		e.Hint = "Check access_key_secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET): it does not match access_key_id."
	case strings.HasPrefix(e.Code, "InvalidAccessKeyId"):
		e.Hint = "Check access_key_id (ALIBABA_CLOUD_ACCESS_KEY_ID): the AccessKey does not exist or is disabled."
	case strings.HasPrefix(e.Code, "InvalidSecurityToken"):
		e.Hint = "Check security_token (ALIBABA_CLOUD_SECURITY_TOKEN): temporary credentials need their current token."
	case strings.HasPrefix(e.Code, "InvalidTimeStamp"), e.Code == "SignatureNonceUsed":
		e.Hint = "The request's x-acs-date is too far from the server's clock, or its nonce was reused. Check this machine's clock (NTP)."
	case e.Code == "Operate.NoPermission":
		e.Hint = "The AccessKey's RAM user may not do this in the organization: check organization_id, " +
			"that the user is a member of that Yunxiao organization, and its permissions there."
	}
}

// ErrNotFound says the project does not exist (or no longer does).
var ErrNotFound = errors.New("the project does not exist")

// IsNotFound reports whether err says the project does not exist. Yunxiao does not document the
// answer for a missing project, so any of these counts: HTTP 404 from Yunxiao itself (not the
// gateway's InvalidAccessKeyId.NotFound or InvalidAction.NotFound), an error code naming
// NotFound/NotExist, or a message saying the project does not exist.
func IsNotFound(err error) bool {
	if errors.Is(err, ErrNotFound) {
		return true
	}
	e, ok := transport.AsAPIError(err)
	if !ok || e.Throttled || e.Temporary {
		return false
	}
	if strings.HasPrefix(e.Code, "InvalidAccessKeyId") || strings.HasPrefix(e.Code, "InvalidAction") || e.Code == "Operate.NoPermission" {
		return false
	}
	code, msg := strings.ToLower(e.Code), strings.ToLower(e.Message)
	switch {
	case e.StatusCode == http.StatusNotFound:
		return true
	case strings.Contains(code, "notfound"), strings.Contains(code, "notexist"):
		return true
	case strings.Contains(msg, "not exist"), strings.Contains(msg, "not found"), strings.Contains(msg, "不存在"):
		return e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusOK
	}
	return false
}

// IsAuthFailure reports whether err is a credential or signature failure.
func IsAuthFailure(err error) bool {
	e, ok := transport.AsAPIError(err)
	if !ok {
		return false
	}
	for _, p := range []string{"SignatureDoesNotMatch", "InvalidAccessKeyId", "IncompleteSignature", "InvalidSecurityToken", "InvalidTimeStamp"} {
		if strings.HasPrefix(e.Code, p) {
			return true
		}
	}
	return false
}

// IsNoPermission reports whether err is Yunxiao's Operate.NoPermission.
func IsNoPermission(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.Code == "Operate.NoPermission"
}

// IsRequestError reports whether Yunxiao rejected the request's data (Openapi.RequestError, 400).
func IsRequestError(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && (e.Code == "Openapi.RequestError" || (e.Code == "" && e.StatusCode == http.StatusBadRequest))
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
