// Package client is a typed client for the Tencent Cloud TRRO API 3.0 (version 2022-03-25):
// TC3-HMAC-SHA256 signing, the Response envelope, and typed errors. Resources use it and never
// see JSON. Every answer is checked before use: a 2xx that does not prove success is a
// *transport.BadAnswerError, never an empty project and never "not found".
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
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

// The TRRO actions this client calls, as X-TC-Action names them (and the mock counts them).
const (
	ActionCreateProject       = "CreateProject"
	ActionDescribeProjectInfo = "DescribeProjectInfo"
	ActionDescribeProjectList = "DescribeProjectList"
	ActionModifyProject       = "ModifyProject"
	ActionDeleteProject       = "DeleteProject"
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
	// TLS are the provider's TLS settings (ca_file, insecure), which the HTTP client is built with
	// (transport.NewHTTPClient).
	TLS transport.TLSSettings
	// HTTPClient, when set (tests), sends the requests instead of the one built with TLS.
	HTTPClient *http.Client
	Retry      transport.RetryPolicy
	// EndpointSetting and TLSSetting name the provider's arguments in errors about the endpoint
	// and its certificate, e.g. "endpoint (TRRO_ENDPOINT)".
	EndpointSetting string
	TLSSetting      string
	// Now is the clock used for signatures; nil means time.Now.
	Now func() time.Time
	// BatchReads lets DescribeProject serve a refresh of many projects from one listing of the
	// account (see listing.Snapshots); the provider's batch_reads argument.
	BatchReads bool
}

// Client calls TRRO actions.
type Client struct {
	cfg      Config
	endpoint *url.URL
	http     *transport.Client
	// snapshots serve DescribeProject from DescribeProjectList when BatchReads is on.
	snapshots *listing.Snapshots[Project]
	// lastListTotal is the Total of the last walk of DescribeProjectList: how many pages the
	// next walk asks for at once, while listSlow (its first page took listSlowAnswer or longer
	// to be answered) and not listQueued (it waited for the rate limit).
	lastListTotal        atomic.Int64
	listQueued, listSlow atomic.Bool
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
	if cfg.Retry == (transport.RetryPolicy{}) {
		cfg.Retry = transport.DefaultRetryPolicy
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	httpClient, err := transport.HTTPClientFor(cfg.HTTPClient, cfg.TLS)
	if err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, endpoint: endpoint}
	c.http = transport.New(transport.Options{
		HTTPClient:        httpClient,
		Subsystem:         "trro",
		Service:           "TRRO",
		EndpointSetting:   cfg.EndpointSetting,
		TLSSetting:        cfg.TLSSetting,
		RequestsPerSecond: cfg.RequestsPerSecond,
		// The API counts requests per secret id; regions are paced apart (never slower than
		// today's per-process limiter where the limit is per region).
		Endpoint:         endpoint.Scheme + "://" + endpoint.Host,
		Identity:         cfg.SecretID + "\x00" + cfg.Region,
		Retry:            cfg.Retry,
		SensitiveHeaders: []string{"X-TC-Token"},
		Secrets:          []string{cfg.SecretKey, cfg.SecurityToken},
		UserAgent:        cfg.UserAgent,
		RequestID:        requestIDOf,
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
// provider pauses as long between create resends.
func (c *Client) Backoff(n int) time.Duration { return c.cfg.Retry.Backoff(n) }

// SharedFile is the file called name that the processes of this machine calling this endpoint
// with this identity share (transport.Client.SharedFile); nil for none.
func (c *Client) SharedFile(name string) *transport.SharedFile { return c.http.SharedFile(name) }

// operation describes one call of a TRRO action.
type operation struct {
	// name is the action, sent as X-TC-Action: the rate-limit key and the logs' operation.
	name string
	// idempotent calls may be sent again when an attempt's outcome is unknown (a 5xx, a reset
	// connection); the others only when the attempt provably had no effect.
	idempotent bool
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

// call sends op with params and decodes the Response object of an answer that passed the
// envelope check into out (which may be nil). It returns the answer, so that the caller can
// check its fields and report a *transport.BadAnswerError with its request id.
func (c *Client) call(ctx context.Context, op operation, params, out any) (*transport.Response, error) {
	body, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	// The Response object of the answer Check accepted: decoded once, not again for out.
	var response json.RawMessage
	resp, err := c.http.Do(ctx, transport.Call{
		Operation:  op.name,
		Idempotent: op.idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) { return c.newRequest(ctx, op.name, body) },
		Check: func(r *transport.Response) error {
			var err error
			response, err = c.checkEnvelope(op, r)
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return resp, nil
	}
	if err := json.Unmarshal(response, out); err != nil {
		return nil, c.http.BadAnswer(op.name, resp, "its Response does not have the documented types ("+err.Error()+")")
	}
	return resp, nil
}

func (c *Client) newRequest(ctx context.Context, action string, body []byte) (*http.Request, error) {
	req, err := transport.NewRequest(ctx, http.MethodPost, c.endpoint.String(), body)
	if err != nil {
		return nil, err
	}
	// The SDK's request line is "POST /"; an endpoint without a path would send the same, but
	// say it.
	req.URL.Path = "/"
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
		Method: http.MethodPost,
		Path:   "/",
		// The Host as configured, case kept, as the SDK signs it (and Go sends it).
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

// checkEnvelope accepts only a TRRO answer that proves success: a 2xx whose body is a Response
// object with a RequestId and no Error. An error envelope is an *transport.APIError (TRRO sends
// its errors with HTTP 200); anything else is a bad or foreign answer.
func (c *Client) checkEnvelope(op operation, r *transport.Response) (json.RawMessage, error) {
	success := r.StatusCode >= 200 && r.StatusCode < 300
	body := bytes.TrimSpace(r.Body)
	var env envelope
	var head responseHead
	if len(body) == 0 {
		return nil, c.foreign(op, r, "the body is empty")
	}
	// One pass tells JSON from not JSON (a syntax error) and decodes the envelope.
	var syntax *json.SyntaxError
	switch err := json.Unmarshal(body, &env); {
	case errors.As(err, &syntax):
		return nil, c.foreign(op, r, "the body is not JSON")
	case err != nil, !isObject(env.Response), json.Unmarshal(env.Response, &head) != nil:
		return nil, c.foreign(op, r, `the body is not a TRRO API 3.0 answer (no {"Response": {...}} object)`)
	}
	if head.Error != nil {
		if head.Error.Code == "" && success {
			return nil, c.http.BadAnswer(op.name, r, "its Error object has no Code")
		}
		e := &transport.APIError{Service: "TRRO", Operation: op.name, StatusCode: r.StatusCode, RequestID: head.RequestID,
			Code: head.Error.Code, Message: head.Error.Message}
		classify(e)
		return nil, e
	}
	if !success {
		e := &transport.APIError{Service: "TRRO", Operation: op.name, StatusCode: r.StatusCode, RequestID: head.RequestID,
			Message: "the HTTP status is an error, but the answer carries no Error object"}
		classify(e)
		return nil, e
	}
	if head.RequestID == "" {
		return nil, c.http.BadAnswer(op.name, r, "it carries no RequestId")
	}
	return env.Response, nil
}

// foreign reports an answer that is no TRRO answer at all. A 2xx is a bad answer (a create may
// have acted); a 5xx is a server fault, retried as any; other statuses come from something that
// is not the TRRO API, and the message says so without dumping the page.
func (c *Client) foreign(op operation, r *transport.Response, reason string) error {
	e := transport.ForeignAnswer(c.endpoint.String(), r, nil)
	switch {
	case r.StatusCode >= 200 && r.StatusCode < 300:
		e.Err = c.http.BadAnswer(op.name, r, reason)
	case r.StatusCode >= 500:
		api := &transport.APIError{Service: "TRRO", Operation: op.name, StatusCode: r.StatusCode,
			Message: fmt.Sprintf("a server error without a TRRO answer (%s)", e.Summary())}
		classify(api)
		return api
	default:
		e.Err = &transport.APIError{Service: "TRRO", Operation: op.name, StatusCode: r.StatusCode,
			Message: fmt.Sprintf("the answer, %s, is not a TRRO API 3.0 answer: the endpoint does not look like the trro API", e.Summary()),
			Hint:    fmt.Sprintf("Check %s: it must be the TRRO API, such as %s.", c.endpointSetting(), DefaultEndpoint)}
	}
	return e
}

func (c *Client) endpointSetting() string {
	if c.cfg.EndpointSetting != "" {
		return c.cfg.EndpointSetting
	}
	return "the provider's endpoint"
}

func isObject(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '{'
}
