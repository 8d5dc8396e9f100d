// Package client is a small typed client for the IAM (Keystone v3) API of Huawei Cloud and Open
// Telekom Cloud: projects, their status through /v3-ext, and the three ways to authenticate (a
// token used as it is, AK/SK signing, and a password exchanged for a cached domain token).
// Resources use it and never see JSON.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

const (
	// DefaultAuthURL is Huawei Cloud's global IAM endpoint.
	DefaultAuthURL = "https://iam.myhuaweicloud.com/v3"
	// ServiceName prefixes operations in errors and logs.
	ServiceName = "IAM"
	// DefaultRequestsPerSecond is the client-side limit per operation. IAM publishes no number
	// for these calls; API Gateway answers HTTP 429 (APIGW.0308) beyond its limit, which the
	// client retries with backoff.
	DefaultRequestsPerSecond = 10
	// ContentType is what every IAM request sends, as the API reference asks.
	ContentType = "application/json;charset=utf8"
)

// Operation names: the rate-limit keys, the mock's request counters and the first word of
// every error.
const (
	OpCreateToken         = "CreateToken"
	OpCreateProject       = "CreateProject"
	OpShowProject         = "ShowProject"
	OpShowProjectStatus   = "ShowProjectStatus"
	OpListProjects        = "ListProjects"
	OpUpdateProject       = "UpdateProject"
	OpUpdateProjectStatus = "UpdateProjectStatus"
	OpDeleteProject       = "DeleteProject"
)

// CredentialKind says how the client authenticates.
type CredentialKind int

const (
	// CredentialToken sends a given token as it is.
	CredentialToken CredentialKind = iota + 1
	// CredentialAKSK signs every request with an access key and secret key.
	CredentialAKSK
	// CredentialPassword exchanges user name and password for a domain-scoped token.
	CredentialPassword
)

func (k CredentialKind) String() string {
	switch k {
	case CredentialToken:
		return "token"
	case CredentialAKSK:
		return "AK/SK"
	case CredentialPassword:
		return "password"
	}
	return "none"
}

// Config holds what a Client needs. Exactly one credential set must be complete: Token; or
// AccessKey, SecretKey and DomainID (SecurityToken for temporary keys); or UserName, Password
// and DomainName. Kind picks among complete sets in that order.
type Config struct {
	AuthURL string

	Token string

	AccessKey     string
	SecretKey     string
	SecurityToken string
	DomainID      string

	UserName   string
	Password   string
	DomainName string

	UserAgent string
	// RequestsPerSecond is the client-side limit per operation; 0 means DefaultRequestsPerSecond.
	RequestsPerSecond float64
	// ListPageSize is the page size of project listings (1 to 5000); 0 means 500.
	ListPageSize int
	HTTPClient   *http.Client
	Retry        transport.RetryPolicy
	// Now is the clock for signatures and token expiry; nil means time.Now.
	Now func() time.Time
	// TokenRefreshMargin: a cached token is renewed this long before it expires (never more
	// than half its lifetime); 0 means 5 minutes.
	TokenRefreshMargin time.Duration
}

// Kind returns the credential set the client will use: the first complete one of token, AK/SK
// and password, or 0 when none is complete.
func (c Config) Kind() CredentialKind {
	switch {
	case c.Token != "":
		return CredentialToken
	case c.AccessKey != "" && c.SecretKey != "" && c.DomainID != "":
		return CredentialAKSK
	case c.UserName != "" && c.Password != "" && c.DomainName != "":
		return CredentialPassword
	}
	return 0
}

// Client calls the IAM API. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base *url.URL // the auth URL without its /v3
	http *transport.Client
	auth authenticator
	kind CredentialKind
	// noExt is set once the cloud says it does not offer /v3-ext.
	noExt atomic.Bool
	// regions caches the regions' own projects (see FindRegionProject).
	regions regionCache
	// revocation makes calls that revoke tokens exclusive (see do).
	revocation sync.RWMutex
}

// New checks cfg and returns a Client. It sends nothing: a password is exchanged for a token
// on the first call.
func New(cfg Config) (*Client, error) {
	if cfg.AuthURL == "" {
		cfg.AuthURL = DefaultAuthURL
	}
	base, err := ParseAuthURL(cfg.AuthURL)
	if err != nil {
		return nil, err
	}
	if cfg.RequestsPerSecond == 0 {
		cfg.RequestsPerSecond = DefaultRequestsPerSecond
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenRefreshMargin == 0 {
		cfg.TokenRefreshMargin = 5 * time.Minute
	}
	c := &Client{cfg: cfg, base: base, kind: cfg.Kind()}
	switch c.kind {
	case CredentialToken:
		c.auth = staticToken(cfg.Token)
	case CredentialAKSK:
		c.auth = &akskSigner{accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, securityToken: cfg.SecurityToken, domainID: cfg.DomainID, now: cfg.Now}
	case CredentialPassword:
		c.auth = &passwordTokens{client: c}
	default:
		return nil, errors.New("no complete set of credentials: give a token; or an access key, secret key and domain id; or a user name, password and domain name")
	}
	c.http = transport.New(transport.Options{
		HTTPClient:        cfg.HTTPClient,
		Subsystem:         "iam",
		RequestsPerSecond: cfg.RequestsPerSecond,
		Retry:             cfg.Retry,
		SensitiveHeaders:  []string{"X-Auth-Token", "X-Subject-Token", "X-Security-Token"},
		Secrets:           []string{cfg.Token, cfg.SecretKey, cfg.SecurityToken, cfg.Password},
		UserAgent:         cfg.UserAgent,
		RequestID:         func(r *transport.Response) string { return requestIDOf(r) },
	})
	return c, nil
}

// CredentialKind returns the credential set in use.
func (c *Client) CredentialKind() CredentialKind { return c.kind }

// ParseAuthURL accepts a full http(s) URL with or without the trailing /v3 and returns it
// without /v3, so that /v3/... and /v3-ext/... paths can be added.
func ParseAuthURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("auth_url %q is not a full URL such as %s", raw, DefaultAuthURL)
	}
	p := strings.TrimRight(u.Path, "/")
	p = strings.TrimSuffix(p, "/v3")
	u.Path = strings.TrimRight(p, "/")
	u.RawPath = ""
	return u, nil
}

// AuthURL returns the auth URL in its canonical form, ending in /v3.
func (c *Client) AuthURL() string {
	return c.base.String() + "/v3"
}

// operation is one call: its name, method, path, and the statuses that mean success.
type operation struct {
	name       string
	method     string
	path       string // escaped, from the base, e.g. /v3/projects/abc
	query      url.Values
	idempotent bool
	ok         []int
	// revokesTokens: a success revokes the account's tokens (see do).
	revokesTokens bool
}

func (op operation) label() string {
	return fmt.Sprintf("%s (%s %s)", op.name, op.method, op.path)
}

// do sends op with in as its JSON body (nil: no body) and decodes a successful answer into out
// (nil: ignore it). A 401 makes a password client fetch a new token and send the call once more.
func (c *Client) do(ctx context.Context, op operation, in, out any) error {
	body, err := marshal(in)
	if err != nil {
		return err
	}
	if c.kind == CredentialPassword {
		// Open Telekom Cloud revokes every token of the account when a project is deleted, so
		// a call in flight with the old token would be refused: a delete runs alone, after the
		// calls in flight and before the next, which fetch a new token.
		if op.revokesTokens {
			c.revocation.Lock()
			defer c.revocation.Unlock()
			// Whatever the answer, the server may have acted: drop the token before the next
			// call may start.
			defer c.auth.forget()
		} else {
			c.revocation.RLock()
			defer c.revocation.RUnlock()
		}
	}
	for try := 1; ; try++ {
		authorize, err := c.auth.prepare(ctx)
		if err != nil {
			return err
		}
		_, err = c.send(ctx, op, body, authorize, out)
		if err != nil && IsUnauthorized(err) && try == 1 && c.auth.renew() {
			continue
		}
		return err
	}
}

// doUnauthenticated sends op without credentials (to fetch a token).
func (c *Client) doUnauthenticated(ctx context.Context, op operation, in, out any) (*transport.Response, error) {
	body, err := marshal(in)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, op, body, nil, out)
}

func marshal(in any) ([]byte, error) {
	if in == nil {
		return nil, nil
	}
	return json.Marshal(in)
}

func (c *Client) send(ctx context.Context, op operation, body []byte, authorize authorizeFunc, out any) (*transport.Response, error) {
	resp, err := c.http.Do(ctx, transport.Call{
		Operation:  op.name,
		Idempotent: op.idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) { return c.newRequest(ctx, op, body, authorize) },
		Check:      func(r *transport.Response) error { return c.check(op, r) },
	})
	if err != nil {
		return nil, err
	}
	if out != nil && len(bytes.TrimSpace(resp.Body)) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return nil, fmt.Errorf("%s %s: decoding the response: %w", ServiceName, op.label(), err)
		}
	}
	return resp, nil
}

func (c *Client) newRequest(ctx context.Context, op operation, body []byte, authorize authorizeFunc) (*http.Request, error) {
	u := *c.base
	u.Path = ""
	u.RawPath = ""
	raw := u.String() + c.base.EscapedPath() + op.path
	if len(op.query) > 0 {
		raw += "?" + op.query.Encode()
	}
	req, err := transport.NewRequest(ctx, op.method, raw, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Accept", "application/json")
	if authorize != nil {
		authorize(req, body)
	}
	return req, nil
}

// errorEnvelope covers both error shapes: API Gateway's and Huawei IAM's {"error_msg",
// "error_code", "request_id"}, and Keystone's {"error": {"code", "message", "title"}}.
type errorEnvelope struct {
	ErrorMsg  string `json:"error_msg"`
	ErrorCode string `json:"error_code"`
	RequestID string `json:"request_id"`
	Error     *struct {
		Code    json.RawMessage `json:"code"`
		Message string          `json:"message"`
		Title   string          `json:"title"`
	} `json:"error"`
}

func requestIDOf(r *transport.Response) string {
	var env errorEnvelope
	if json.Unmarshal(r.Body, &env) == nil && env.RequestID != "" {
		return env.RequestID
	}
	for _, h := range []string{"X-Request-Id", "X-Openstack-Request-Id", "X-Compute-Request-Id"} {
		if v := r.Header.Get(h); v != "" {
			return v
		}
	}
	return ""
}

// check turns a response with an unexpected status into an *APIError.
func (c *Client) check(op operation, r *transport.Response) error {
	for _, s := range op.ok {
		if r.StatusCode == s {
			return nil
		}
	}
	e := &transport.APIError{Service: ServiceName, Operation: op.label(), StatusCode: r.StatusCode, RequestID: requestIDOf(r)}
	var env errorEnvelope
	if json.Unmarshal(r.Body, &env) == nil && (env.ErrorMsg != "" || env.ErrorCode != "" || env.Error != nil) {
		e.Code, e.Message = env.ErrorCode, env.ErrorMsg
		if env.Error != nil {
			e.Message = env.Error.Message
			// Keystone's code repeats the HTTP status; Huawei's IAM sometimes puts its own
			// code (a string such as "IAM.0011") there instead.
			var s string
			if json.Unmarshal(env.Error.Code, &s) == nil && s != "" {
				e.Code = s
			} else if env.Error.Title != "" {
				e.Code = env.Error.Title
			}
		}
	} else {
		e.Message = strings.TrimSpace(truncate(string(r.Body), 300))
	}
	if e.Message == "" {
		e.Message = http.StatusText(r.StatusCode)
	}
	c.classify(op, e)
	return e
}

// classify says what an error means for retrying and what a person can do about it.
func (c *Client) classify(op operation, e *transport.APIError) {
	switch {
	case e.StatusCode == http.StatusTooManyRequests || e.Code == "APIGW.0308":
		e.Throttled = true
		e.Hint = "The IAM API's rate limit was exceeded. Lower the provider's max_requests_per_second or run terraform with a lower -parallelism."
	case e.StatusCode >= 500:
		e.Temporary = true
	case e.StatusCode == http.StatusUnauthorized:
		e.Hint = c.unauthorizedHint(op)
	case e.StatusCode == http.StatusForbidden:
		e.Hint = "The credentials are valid but lack permission: managing IAM projects needs the Security Administrator role (or an IAM policy allowing the iam:projects:* actions) in the account."
	case e.StatusCode == http.StatusConflict:
		e.Hint = "A project with that name already exists in the account. Choose another name or import the existing project."
	case isMissingAPI(e):
		e.Hint = "This cloud's API gateway does not offer this call."
	}
}

func (c *Client) unauthorizedHint(op operation) string {
	if op.name == OpCreateToken {
		return "The user name, password or domain name was refused. Check user_name (HW_USER_NAME, OS_USERNAME), password (HW_USER_PASSWORD, OS_PASSWORD) and domain_name (HW_DOMAIN_NAME, OS_DOMAIN_NAME), and that the user is not locked or required to change its password."
	}
	switch c.kind {
	case CredentialToken:
		return "The token is missing, invalid or expired (tokens are valid for 24 hours, and on Open Telekom Cloud deleting a project revokes every token of the account). Give a new token (HW_AUTH_TOKEN, OS_TOKEN), or give user_name/password/domain_name so the provider can fetch and renew tokens itself."
	case CredentialAKSK:
		return "The AK/SK signature was refused. Check access_key (HW_ACCESS_KEY), secret_key (HW_SECRET_KEY), domain_id (HW_DOMAIN_ID), security_token for temporary keys (HW_SECURITY_TOKEN), and this machine's clock (signatures expire after 15 minutes)."
	case CredentialPassword:
		return "The token was refused even after fetching a new one. Check that the user may still sign in to the domain."
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// isMissingAPI says the gateway does not know the method and path at all (APIGW.0101, or a 405
// or 501), which is different from a missing project.
func isMissingAPI(e *transport.APIError) bool {
	return (e.StatusCode == http.StatusNotFound && e.Code == "APIGW.0101") ||
		e.StatusCode == http.StatusMethodNotAllowed || e.StatusCode == http.StatusNotImplemented
}

// IsNotFound reports whether err says the project does not exist (a 404 that is not the
// gateway's "this API does not exist").
func IsNotFound(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound && !isMissingAPI(e)
}

// IsAPIMissing reports whether err says the cloud does not offer the call, as Huawei Cloud
// answers DELETE /v3/projects/{id}.
func IsAPIMissing(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && isMissingAPI(e)
}

// IsConflict reports whether err is a 409, e.g. a duplicate project name.
func IsConflict(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusConflict
}

// IsUnauthorized reports whether err is a 401: credentials missing, invalid or expired.
func IsUnauthorized(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusUnauthorized
}

// IsForbidden reports whether err is a 403: valid credentials without the rights.
func IsForbidden(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusForbidden
}
