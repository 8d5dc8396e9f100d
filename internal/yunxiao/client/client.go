// Package client is a typed client for Alibaba Cloud Yunxiao's devops API 2021-06-25 (ROA
// style): ACS3-HMAC-SHA256 signing, both error envelopes (Yunxiao's own and the POP gateway's),
// answers checked for shape before use, and typed errors. Resources use it and never see JSON.
package client

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
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
	// WrongService is said of an answer no Yunxiao API would give, so that the message names
	// the likely cause.
	WrongService = "the endpoint does not look like the yunxiao API (Alibaba Cloud Yunxiao devops API 2021-06-25)"
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
	// TLS are the provider's TLS settings (ca_file, insecure), which the HTTP client is built with
	// (transport.NewHTTPClient).
	TLS transport.TLSSettings
	// HTTPClient, when set (tests), sends the requests instead of the one built with TLS.
	HTTPClient *http.Client
	// EndpointSetting and TLSSetting name the provider's arguments (and variables) in errors that
	// say where to look, e.g. "endpoint (YUNXIAO_ENDPOINT)".
	EndpointSetting, TLSSetting string
	// Retry bounds the attempts of each call; the zero value means transport.DefaultRetryPolicy.
	Retry transport.RetryPolicy
	// Now is the clock used for x-acs-date; nil means time.Now.
	Now func() time.Time
	// Nonce returns x-acs-signature-nonce; nil means 16 random bytes in hex.
	Nonce func() string
	// BatchReads lets GetProject serve a refresh of many projects from one listing of the
	// organization (see listing.Snapshots); the provider's batch_reads argument.
	BatchReads bool
}

// Client calls the devops API.
type Client struct {
	cfg      Config
	endpoint *url.URL
	http     *transport.Client
	// snapshots serve GetProject from ListProjects, per organization, when BatchReads is on.
	snapshots *listing.Snapshots[Project]
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
	if cfg.Retry == (transport.RetryPolicy{}) {
		cfg.Retry = transport.DefaultRetryPolicy
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Nonce == nil {
		cfg.Nonce = randomNonce
	}
	if cfg.EndpointSetting == "" {
		cfg.EndpointSetting = "the provider's endpoint"
	}
	httpClient, err := transport.HTTPClientFor(cfg.HTTPClient, cfg.TLS)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, endpoint: endpoint}
	c.http = transport.New(transport.Options{
		HTTPClient:        httpClient,
		Subsystem:         "yunxiao",
		Service:           ServiceName,
		EndpointSetting:   cfg.EndpointSetting,
		TLSSetting:        cfg.TLSSetting,
		RequestsPerSecond: cfg.RequestsPerSecond,
		Endpoint:          endpoint.Scheme + "://" + endpoint.Host,
		Identity:          cfg.AccessKeyID,
		Retry:             cfg.Retry,
		SensitiveHeaders:  []string{"x-acs-security-token"},
		Secrets:           []string{cfg.AccessKeySecret, cfg.SecurityToken},
		UserAgent:         cfg.UserAgent,
		RequestID:         requestIDOf,
	})
	c.snapshots = c.newSnapshots(!cfg.BatchReads)
	return c, nil
}

// ParseEndpoint accepts a full http(s) URL of scheme and host, such as DefaultEndpoint.
func ParseEndpoint(raw string) (*url.URL, error) {
	return transport.ParseBaseURL(raw, DefaultEndpoint)
}

// Endpoint is the URL the client calls.
func (c *Client) Endpoint() string { return c.endpoint.String() }

// Backoff is the pause before the n-th resend of a call, from the client's retry policy; the
// resends of an unconfirmed create use it too.
func (c *Client) Backoff(n int) time.Duration { return c.cfg.Retry.Backoff(n) }

// SharedFile is the file called name that the processes of this machine calling this endpoint
// with this identity share (transport.Client.SharedFile); nil for none.
func (c *Client) SharedFile(name string) *transport.SharedFile { return c.http.SharedFile(name) }

func randomNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// operation is one API call.
type operation struct {
	// name is the API's action, e.g. "CreateProject": the x-acs-action header, the rate-limit
	// key and the log field.
	name string
	// idempotent says the call may be sent again when an attempt's outcome is unknown.
	idempotent bool
	method     string
	path       string // encoded: each path parameter with PathParam (see orgPath)
	query      url.Values
	body       any // JSON-encoded when not nil
	// badShape, when set, is the error for a successful answer that does not decode into the
	// call's out (default: one naming the decode error).
	badShape func(operation string, resp *transport.Response, decodeErr error) error
}

// enveloped is an answer type that embeds the envelope: call decodes a successful answer into
// it in one pass (envelope and payload together) instead of one pass for each.
type enveloped interface{ answerEnvelope() *envelope }

func (b *envelope) answerEnvelope() *envelope { return b }

// call sends op and decodes the answer into out (which may be nil). It returns the answer only
// when its envelope proves success; callers check what the answer must hold with badAnswer.
func (c *Client) call(ctx context.Context, op operation, out any) (*transport.Response, error) {
	var body []byte
	if op.body != nil {
		b, err := json.Marshal(op.body)
		if err != nil {
			return nil, err
		}
		body = b
	}
	// decoded: the accepted answer was decoded into out already, with its envelope.
	decoded := false
	resp, err := c.http.Do(ctx, transport.Call{
		Operation:  op.name,
		Idempotent: op.idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) { return c.newRequest(ctx, op, body) },
		Check: func(r *transport.Response) error {
			var err error
			decoded, err = c.checkInto(op.name, r, out)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	if out != nil && !decoded {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			if op.badShape != nil {
				return nil, op.badShape(op.name, resp, err)
			}
			return nil, c.badAnswer(op.name, resp, fmt.Sprintf("the body does not have the shape of a %s answer (%v)", op.name, err))
		}
	}
	return resp, nil
}

// checkInto is check for an answer that is to be decoded into out: when out embeds the
// envelope and the answer is a 2xx that decodes into it whole, envelope and payload come from
// that one pass (decoded). Anything else (another status, a payload of the wrong types, a body
// that is no JSON) is left to check, which decodes the envelope alone, and to the caller.
func (c *Client) checkInto(operation string, r *transport.Response, out any) (decoded bool, err error) {
	answer, ok := out.(enveloped)
	if !ok {
		return false, c.check(operation, r)
	}
	// A previous attempt's answer may have filled out: start from nothing.
	reset := func() { reflect.ValueOf(out).Elem().SetZero() }
	reset()
	if r.StatusCode < 200 || r.StatusCode >= 300 || len(bytes.TrimSpace(r.Body)) == 0 {
		return false, c.check(operation, r)
	}
	if json.Unmarshal(r.Body, out) != nil {
		reset()
		return false, c.check(operation, r)
	}
	return true, c.checkEnvelope(operation, r, *answer.answerEnvelope(), nil)
}

// badAnswer is the error for a successful answer that does not prove what it should.
func (c *Client) badAnswer(operation string, resp *transport.Response, reason string) error {
	return c.http.BadAnswer(operation, resp, reason)
}

// foreign marks err, what the client made of an answer that no Yunxiao API gives, as a
// *transport.ForeignAnswerError: something else answers at the endpoint.
func (c *Client) foreign(resp *transport.Response, err error) error {
	return transport.ForeignAnswer(c.endpoint.String(), resp, err)
}

// newRequest builds and signs one attempt: a fresh date and nonce every time.
func (c *Client) newRequest(ctx context.Context, op operation, body []byte) (*http.Request, error) {
	// op.path is encoded already (see orgPath); the query goes as the SDK's tea.DoRequest sends
	// it, url.Values.Encode, and is signed in its canonical form.
	path, err := url.PathUnescape(op.path)
	if err != nil {
		return nil, err
	}
	u := *c.endpoint
	u.Path, u.RawPath = path, op.path
	u.RawQuery = op.query.Encode()
	r, err := transport.NewRequest(ctx, op.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	headers := map[string]string{
		"host":                  r.URL.Host,
		"x-acs-action":          op.name,
		"x-acs-version":         Version,
		"x-acs-date":            c.cfg.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": c.cfg.Nonce(),
		"x-acs-content-sha256":  HashPayload(body),
	}
	if body != nil {
		headers["content-type"] = "application/json; charset=utf-8"
	}
	if c.cfg.SecurityToken != "" {
		// darabonba-openapi sends (and so signs) the AccessKey id beside a session's token.
		headers["x-acs-accesskey-id"] = c.cfg.AccessKeyID
		headers["x-acs-security-token"] = c.cfg.SecurityToken
	}
	in := SigningInput{Method: op.method, Path: op.path, Query: op.query, Headers: headers, Payload: body}
	for name, value := range headers {
		if name != "host" {
			r.Header.Set(name, value)
		}
	}
	r.Header.Set("Accept", "application/json")
	r.Header.Set("Authorization", in.Authorization(c.cfg.AccessKeyID, c.cfg.AccessKeySecret))
	return r, nil
}

// envelope covers both answer envelopes: Yunxiao's own {requestId, success, errorCode,
// errorMessage|errorMsg} and the POP gateway's {RequestId, Code, Message}.
type envelope struct {
	RequestID    string `json:"requestId"`
	Success      *bool  `json:"success"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
	ErrorMsg     string `json:"errorMsg"`
	PopRequestID string `json:"RequestId"`
	Code         string `json:"Code"`
	Message      string `json:"Message"`
}

func (b envelope) requestID() string { return cmp.Or(b.RequestID, b.PopRequestID) }

// isYunxiao reports whether the body is one of the API's envelopes at all.
func (b envelope) isYunxiao() bool { return b.Success != nil || b.Code != "" }

func requestIDOf(r *transport.Response) string {
	var b envelope
	if json.Unmarshal(r.Body, &b) == nil {
		return b.requestID()
	}
	return ""
}

// check accepts a 2xx answer only when its envelope says success (an empty body, one that is not
// JSON, or an error envelope is a bad answer, never an empty result), and turns any other status
// into *transport.APIError.
func (c *Client) check(operation string, r *transport.Response) error {
	var b envelope
	decodeErr := json.Unmarshal(r.Body, &b)
	return c.checkEnvelope(operation, r, b, decodeErr)
}

// checkEnvelope is check on the answer's envelope b, decoded already (decodeErr: how that
// failed).
func (c *Client) checkEnvelope(operation string, r *transport.Response, b envelope, decodeErr error) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		switch {
		case len(bytes.TrimSpace(r.Body)) == 0:
			return c.foreign(r, c.badAnswer(operation, r, "the body is empty"))
		case decodeErr != nil:
			return c.foreign(r, c.badAnswer(operation, r, fmt.Sprintf("the body is not a JSON object of the API (%v)", decodeErr)))
		case b.Code != "":
			return c.badAnswer(operation, r, fmt.Sprintf("the body is the gateway's error envelope (Code %s: %s)", b.Code, b.Message))
		case b.Success == nil:
			return c.foreign(r, c.badAnswer(operation, r, "the body has no \"success\" field, so "+WrongService))
		case !*b.Success:
			return c.badAnswer(operation, r, fmt.Sprintf("the body is an error envelope (success: false, errorCode %q, message %q)",
				b.ErrorCode, cmp.Or(b.ErrorMessage, b.ErrorMsg)))
		}
		return nil
	}
	parsed := decodeErr == nil && b.isYunxiao()
	e := &transport.APIError{Service: ServiceName, Operation: operation, StatusCode: r.StatusCode, RequestID: b.requestID()}
	if parsed {
		e.Code = cmp.Or(b.ErrorCode, b.Code)
		e.Message = cmp.Or(b.ErrorMessage, b.ErrorMsg, b.Message)
	}
	if e.Code == "" && e.Message == "" {
		e.Message = transport.Excerpt(string(r.Body), 300)
		if e.Message == "" {
			e.Message = http.StatusText(r.StatusCode)
		}
	}
	classify(e)
	if !parsed && e.Hint == "" {
		// A page of a proxy or another service: not Yunxiao's answer, and never "not found".
		e.Hint = "The answer is in neither of the Yunxiao API's formats, so " + WrongService + ". Check " + c.cfg.EndpointSetting + "."
	}
	if strings.Contains(e.Hint, WrongService) {
		return c.foreign(r, e)
	}
	return e
}
