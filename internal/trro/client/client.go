// Package client is a typed client for the Tencent Cloud TRRO API 3.0 (version 2022-03-25):
// TC3-HMAC-SHA256 signing, the Response envelope, and typed errors. Resources use it and never
// see JSON.
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

const (
	// Version is the TRRO API version this client speaks.
	Version = "2022-03-25"
	// Service is the signing service name.
	Service = "trro"
	// DefaultEndpoint is the China-site endpoint.
	DefaultEndpoint = "https://trro.tencentcloudapi.com"
	// DefaultRegion is used when neither the configuration nor the environment names one.
	DefaultRegion = "ap-guangzhou"
	// DocumentedRateLimit is TRRO's limit: 20 requests per second per action.
	DocumentedRateLimit = 20
)

// Config holds what a Client needs.
type Config struct {
	SecretID      string
	SecretKey     string
	SecurityToken string
	Region        string
	Endpoint      string
	UserAgent     string
	// RequestsPerSecond is the client-side limit per action; 0 means DocumentedRateLimit.
	RequestsPerSecond float64
	HTTPClient        *http.Client
	Retry             transport.RetryPolicy
	// Now is the clock used for signatures; nil means time.Now.
	Now func() time.Time
}

// Client calls TRRO actions.
type Client struct {
	cfg      Config
	endpoint *url.URL
	http     *transport.Client
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.SecretID == "" || cfg.SecretKey == "" {
		return nil, fmt.Errorf("both a secret id and a secret key are required")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	endpoint, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = DocumentedRateLimit
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Client{cfg: cfg, endpoint: endpoint}
	c.http = transport.New(transport.Options{
		HTTPClient:        cfg.HTTPClient,
		Subsystem:         "trro",
		RequestsPerSecond: cfg.RequestsPerSecond,
		Retry:             cfg.Retry,
		SensitiveHeaders:  []string{"X-TC-Token"},
		Secrets:           []string{cfg.SecretKey, cfg.SecurityToken},
		UserAgent:         cfg.UserAgent,
		RequestID:         requestIDOf,
	})
	return c, nil
}

// ParseEndpoint accepts a full http(s) URL of scheme and host, such as DefaultEndpoint.
func ParseEndpoint(raw string) (*url.URL, error) {
	return transport.ParseBaseURL(raw, DefaultEndpoint)
}

// envelope is every action's answer: {"Response": {..., "RequestId": "...", "Error": {...}}}.
type envelope struct {
	Response json.RawMessage `json:"Response"`
}

type responseHead struct {
	RequestID string `json:"RequestId"`
	Error     *struct {
		Code    string `json:"Code"`
		Message string `json:"Message"`
	} `json:"Error"`
}

// call sends action with params and decodes the Response object into out (which may be nil).
func (c *Client) call(ctx context.Context, action string, idempotent bool, params, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(ctx, transport.Call{
		Operation:  action,
		Idempotent: idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) { return c.newRequest(ctx, action, body) },
		Check:      func(r *transport.Response) error { return checkResponse(action, r) },
	})
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	var env envelope
	if err := json.Unmarshal(resp.Body, &env); err != nil {
		return fmt.Errorf("TRRO %s: decoding the response: %w", action, err)
	}
	if err := json.Unmarshal(env.Response, out); err != nil {
		return fmt.Errorf("TRRO %s: decoding the response: %w", action, err)
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, action string, body []byte) (*http.Request, error) {
	req, err := transport.NewRequest(ctx, http.MethodPost, c.endpoint.String(), body)
	if err != nil {
		return nil, err
	}
	ts := c.cfg.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-TC-Action", action)
	req.Header.Set("X-TC-Version", Version)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-TC-Region", c.cfg.Region)
	if c.cfg.SecurityToken != "" {
		req.Header.Set("X-TC-Token", c.cfg.SecurityToken)
	}
	in := SigningInput{
		Method:        http.MethodPost,
		Path:          "/",
		Headers:       map[string]string{"content-type": "application/json", "host": req.URL.Host},
		SignedHeaders: []string{"content-type", "host"},
		Payload:       body,
		Service:       Service,
		Timestamp:     ts,
	}
	req.Header.Set("Authorization", in.Authorization(c.cfg.SecretID, c.cfg.SecretKey))
	return req, nil
}

func requestIDOf(r *transport.Response) string {
	var env envelope
	var head responseHead
	if json.Unmarshal(r.Body, &env) == nil && json.Unmarshal(env.Response, &head) == nil {
		return head.RequestID
	}
	return ""
}

// checkResponse turns an error envelope, or an HTTP failure without one, into *APIError.
func checkResponse(action string, r *transport.Response) error {
	var env envelope
	var head responseHead
	parsed := json.Unmarshal(r.Body, &env) == nil && len(env.Response) > 0 && json.Unmarshal(env.Response, &head) == nil
	if parsed && head.Error == nil && r.StatusCode == http.StatusOK {
		return nil
	}
	e := &transport.APIError{Service: "TRRO", Operation: action, StatusCode: r.StatusCode, RequestID: head.RequestID}
	if parsed && head.Error != nil {
		e.Code, e.Message = head.Error.Code, head.Error.Message
	} else {
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
	case strings.HasPrefix(e.Code, "RequestLimitExceeded"):
		e.Throttled = true
		e.Hint = "TRRO allows 20 requests per second per action. Lower the provider's max_requests_per_second or run terraform with a lower -parallelism."
	case strings.HasPrefix(e.Code, "InternalError"), e.StatusCode >= 500:
		e.Temporary = true
	case e.Code == "AuthFailure.SignatureExpire":
		e.Hint = "The request's timestamp is more than 5 minutes away from the server's clock. Check this machine's clock (NTP)."
	case e.Code == "AuthFailure.SecretIdNotFound", e.Code == "AuthFailure.InvalidSecretId":
		e.Hint = "Check secret_id (TENCENTCLOUD_SECRET_ID): the key does not exist or is disabled."
	case e.Code == "AuthFailure.SignatureFailure":
		e.Hint = "Check secret_key (TENCENTCLOUD_SECRET_KEY): it does not match secret_id."
	case e.Code == "AuthFailure.TokenFailure":
		e.Hint = "Check security_token (TENCENTCLOUD_SECURITY_TOKEN): temporary credentials need their current token."
	case strings.HasPrefix(e.Code, "UnauthorizedOperation"), strings.HasPrefix(e.Code, "OperationDenied"):
		e.Hint = "The credentials lack permission for this TRRO action (CAM policy)."
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// IsNotFound reports whether err says the project does not exist.
func IsNotFound(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && strings.HasPrefix(e.Code, "ResourceNotFound")
}

// IsAuthFailure reports whether err is a credential or signature failure.
func IsAuthFailure(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && strings.HasPrefix(e.Code, "AuthFailure")
}
