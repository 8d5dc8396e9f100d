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
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
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
	// ContentType is what a request with a body sends in SigningHuawei style, as
	// huaweicloud-sdk-go-v3's IAM request definitions do (the API reference writes
	// application/json;charset=utf8; the gateway takes both).
	ContentType = "application/json;charset=UTF-8"
	// ContentTypePlain is what the Huawei SDK sends without a body, and the OTC SDK with one.
	ContentTypePlain = "application/json"
	// EndpointSetting names where the endpoint comes from, for errors that say where to look.
	EndpointSetting = "auth_url (HW_AUTH_URL or OS_AUTH_URL)"
	// TLSSetting names the TLS arguments, for certificate errors.
	TLSSetting = "cacert_file or ca_file (OS_CACERT), or insecure (HW_INSECURE or OS_INSECURE)"
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
	// OpListAuthDomains is GET /v3/auth/domains, the cheapest call any valid credentials may
	// make (no permission needed): the provider's credential check.
	OpListAuthDomains = "ListAuthDomains"
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
	// TLS are the provider's TLS settings (cacert_file or ca_file, insecure), which the HTTP
	// client is built with (transport.NewHTTPClient).
	TLS transport.TLSSettings
	// HTTPClient, when set (tests), sends the requests instead of the one built with TLS.
	HTTPClient *http.Client
	Retry      transport.RetryPolicy
	// Now is the clock for signatures and token expiry; nil means time.Now.
	Now func() time.Time
	// TokenRefreshMargin: a cached token is renewed this long before it expires (never more
	// than half its lifetime); 0 means 5 minutes.
	TokenRefreshMargin time.Duration
	// Signing is the AK/SK signature style; 0 means the style of the auth URL's host
	// (SigningStyleOf).
	Signing SigningStyle
	// BatchReads lets GetProject serve a refresh of many projects from one listing of the
	// account where the cloud has no /v3-ext (see listing.Snapshots); the provider's
	// batch_reads argument.
	BatchReads bool
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
	// style is the wire form of the cloud's official SDK: signature and headers.
	style SigningStyle
	// ext says whether the cloud offers /v3-ext: extUnknown until a call shows it.
	ext atomic.Int32
	// regions caches the regions' own projects (see FindRegionProject).
	regions regionCache
	// revocation makes calls that revoke tokens exclusive (see do).
	revocation sync.RWMutex
	// extProbe lets one create at a time learn whether /v3-ext exists (see LearnExt).
	extProbe sync.Mutex
	// snapshots serve GetProject from GET /v3/projects where the cloud has no /v3-ext.
	snapshots *listing.Snapshots[Project]
}

// States of Client.ext.
const (
	extUnknown int32 = iota
	extOffered
	extMissing
)

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
	if cfg.Retry == (transport.RetryPolicy{}) {
		cfg.Retry = transport.DefaultRetryPolicy
	}
	c := &Client{cfg: cfg, base: base, kind: cfg.Kind(), style: cfg.Signing}
	if c.style == 0 {
		c.style = SigningStyleOf(base.Hostname())
	}
	switch c.kind {
	case CredentialToken:
		c.auth = staticToken(cfg.Token)
	case CredentialAKSK:
		c.auth = &akskSigner{accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, securityToken: cfg.SecurityToken, domainID: cfg.DomainID, style: c.style, now: cfg.Now}
	case CredentialPassword:
		c.auth = &passwordTokens{client: c}
	default:
		return nil, errors.New("no complete set of credentials: give a token; or an access key, secret key and domain id; or a user name, password and domain name")
	}
	httpClient, err := transport.HTTPClientFor(cfg.HTTPClient, cfg.TLS)
	if err != nil {
		return nil, err
	}
	c.http = transport.New(transport.Options{
		HTTPClient:        httpClient,
		Subsystem:         "iam",
		Service:           ServiceName,
		EndpointSetting:   EndpointSetting,
		TLSSetting:        TLSSetting,
		RequestsPerSecond: cfg.RequestsPerSecond,
		Endpoint:          base.Scheme + "://" + base.Host,
		Identity:          rateIdentity(cfg, c.kind),
		Retry:             cfg.Retry,
		SensitiveHeaders:  []string{"X-Auth-Token", "X-Subject-Token", "X-Security-Token"},
		Secrets:           []string{cfg.Token, cfg.SecretKey, cfg.SecurityToken, cfg.Password},
		UserAgent:         cfg.UserAgent,
		RequestID:         func(r *transport.Response) string { return requestIDOf(r) },
	})
	c.snapshots = c.newSnapshots(!cfg.BatchReads)
	return c, nil
}

// rateIdentity names who the API counts the requests of (transport.Options.Identity): the access
// key, or the domain and user name; none for a bare token, which names no one we can read
// without asking the API (such processes are paced each on its own, as before).
func rateIdentity(cfg Config, kind CredentialKind) string {
	switch kind {
	case CredentialAKSK:
		return "ak\x00" + cfg.AccessKey
	case CredentialPassword:
		return "user\x00" + cfg.DomainName + "\x00" + cfg.UserName
	}
	return ""
}

// SigningStyle returns the wire form in use (whose SDK the requests match).
func (c *Client) SigningStyle() SigningStyle { return c.style }

// CredentialKind returns the credential set in use.
func (c *Client) CredentialKind() CredentialKind { return c.kind }

// Backoff is the pause before the n-th resend of a create whose earlier attempt proved to have
// had no effect: the client's retry policy, so every resend is paced alike.
func (c *Client) Backoff(n int) time.Duration { return c.cfg.Retry.Backoff(n) }

// ParseAuthURL accepts a full http(s) URL with or without the trailing /v3 and returns it
// without /v3, so that /v3/... and /v3-ext/... paths can be added. A path that names another
// API version (/v2, /v2.0) or goes on after /v3 (/v3/projects) is refused: every call would
// fail with a 404 that does not say why.
func ParseAuthURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("auth_url %q is not a full URL such as %s. Check %s", raw, DefaultAuthURL, EndpointSetting)
	}
	p := strings.TrimRight(u.Path, "/")
	if i := strings.Index(p+"/", "/v3/"); i >= 0 && i+3 < len(p) {
		return nil, fmt.Errorf("auth_url %q goes on after /v3 (%s): give the IAM endpoint up to /v3 only, such as %s. Check %s",
			raw, p[i+3:], DefaultAuthURL, EndpointSetting)
	}
	if len(p) >= 3 && strings.EqualFold(p[len(p)-3:], "/v3") {
		p = p[:len(p)-3]
	}
	if last := p[strings.LastIndex(p, "/")+1:]; apiVersion.MatchString(last) {
		return nil, fmt.Errorf("auth_url %q names the API version %s, but the provider speaks IAM (Keystone) v3: end it in /v3, such as %s. Check %s",
			raw, last, DefaultAuthURL, EndpointSetting)
	}
	u.Path = strings.TrimRight(p, "/")
	u.RawPath = ""
	return u, nil
}

// apiVersion matches a path segment that names an API version, such as v2 or v2.0.
var apiVersion = regexp.MustCompile(`^[vV][0-9]+(\.[0-9]+)*$`)

// AuthURL returns the auth URL in its canonical form, ending in /v3.
func (c *Client) AuthURL() string {
	return c.base.String() + "/v3"
}

// SharedFile is the file called name that the processes of this machine calling this endpoint
// with this identity share (transport.Client.SharedFile); nil for none.
func (c *Client) SharedFile(name string) *transport.SharedFile { return c.http.SharedFile(name) }

// operation is one call: its name (the rate-limit key, log field and the mock's counter),
// whether it may be sent again when its outcome is unknown, its method, path and query, and
// the statuses that mean success.
type operation struct {
	name       string
	idempotent bool
	method     string
	path       string // escaped, from the base, e.g. /v3/projects/abc
	query      url.Values
	ok         []int
	// revokesTokens: a success revokes the account's tokens (see do).
	revokesTokens bool
}

func (op operation) label() string {
	return fmt.Sprintf("%s (%s %s)", op.name, op.method, op.path)
}

// do sends op with in as its JSON body (nil: no body) and returns the successful answer, whose
// shape the caller checks. A 401 makes a password client fetch a new token and send the call
// again, at most maxTokenRenewals times.
func (c *Client) do(ctx context.Context, op operation, in any) (*transport.Response, error) {
	body, err := marshal(in)
	if err != nil {
		return nil, err
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
			return nil, err
		}
		resp, err := c.send(ctx, op, body, authorize)
		if err != nil && IsAuthFailure(err) && c.auth.renew() {
			if try <= maxTokenRenewals {
				continue
			}
			return resp, tokensKeptRevoked(err)
		}
		return resp, err
	}
}

// doUnauthenticated sends op without credentials (to fetch a token).
func (c *Client) doUnauthenticated(ctx context.Context, op operation, in any) (*transport.Response, error) {
	body, err := marshal(in)
	if err != nil {
		return nil, err
	}
	return c.send(ctx, op, body, nil)
}

func marshal(in any) ([]byte, error) {
	if in == nil {
		return nil, nil
	}
	return json.Marshal(in)
}

func (c *Client) send(ctx context.Context, op operation, body []byte, authorize authorizeFunc) (*transport.Response, error) {
	return c.http.Do(ctx, transport.Call{
		Operation:  op.name,
		Idempotent: op.idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) { return c.newRequest(ctx, op, body, authorize) },
		Check:      func(r *transport.Response) error { return c.check(op, r) },
	})
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
	// The headers are those the cloud's SDK sends on the same call. Huawei: Content-Type on every
	// call (with charset for a body), no Accept. OTC: Accept on every call, Content-Type with a
	// body only. The User-Agent is set here, before signing, so that it is signed as the SDKs
	// sign theirs; the transport sets the same value again.
	if c.style == SigningOTC {
		req.Header.Set("Accept", ContentTypePlain)
		if body != nil {
			req.Header.Set("Content-Type", ContentTypePlain)
		}
	} else {
		req.Header.Set("Content-Type", ContentTypePlain)
		if body != nil {
			req.Header.Set("Content-Type", ContentType)
		}
	}
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if authorize != nil {
		authorize(req, body)
	}
	return req, nil
}

// badAnswer is the error for a successful status whose body does not prove success.
func (c *Client) badAnswer(op operation, resp *transport.Response, reason string) error {
	return c.http.BadAnswer(op.label(), resp, reason)
}

// decode checks that a successful answer is a JSON object that is not an error envelope and
// decodes it into out. An empty body, text that is not JSON or an error envelope sent with a
// 2xx is a bad answer, never an empty object.
func (c *Client) decode(op operation, resp *transport.Response, out any) error {
	body := bytes.TrimSpace(resp.Body)
	switch {
	case len(body) == 0:
		return c.badAnswer(op, resp, "the body is empty")
	case body[0] != '{' || !json.Valid(body):
		return c.badAnswer(op, resp, "the body is not a JSON object")
	}
	if env, ok := parseErrorEnvelope(body); ok {
		return c.badAnswer(op, resp, fmt.Sprintf("the body is an error (%s)", env))
	}
	if err := json.Unmarshal(body, out); err != nil {
		return c.badAnswer(op, resp, fmt.Sprintf("the body does not have the documented fields (%v)", err))
	}
	return nil
}

// checkEmptyOrJSON accepts the answer of a call whose success needs no body (204 and the like):
// an empty body or any JSON but an error envelope.
func (c *Client) checkEmptyOrJSON(op operation, resp *transport.Response) error {
	body := bytes.TrimSpace(resp.Body)
	if len(body) == 0 {
		return nil
	}
	if env, ok := parseErrorEnvelope(body); ok {
		return c.badAnswer(op, resp, fmt.Sprintf("the body is an error (%s)", env))
	}
	return nil
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

// codeAndMessage returns the envelope's error code and message. Keystone's code repeats the
// HTTP status; Huawei's IAM sometimes puts its own code (a string such as "IAM.0011") there
// instead. The code is never empty for a recognised envelope, so that an error without one is
// known not to come from IAM (see IsNotFound).
func (env errorEnvelope) codeAndMessage() (code, message string) {
	code, message = env.ErrorCode, env.ErrorMsg
	if env.Error != nil {
		message = env.Error.Message
		var s string
		var n int
		switch {
		case json.Unmarshal(env.Error.Code, &s) == nil && s != "":
			code = s
		case env.Error.Title != "":
			code = env.Error.Title
		case json.Unmarshal(env.Error.Code, &n) == nil && n != 0:
			code = strconv.Itoa(n)
		}
	}
	if code == "" {
		code = "Error"
	}
	return code, message
}

// parseErrorEnvelope recognises an IAM error body and describes it briefly.
func parseErrorEnvelope(body []byte) (string, bool) {
	var env errorEnvelope
	if json.Unmarshal(body, &env) != nil || (env.ErrorMsg == "" && env.ErrorCode == "" && env.Error == nil) {
		return "", false
	}
	code, message := env.codeAndMessage()
	return strings.TrimSpace(code + ": " + message), true
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

// check turns a response with an unexpected status into an *APIError. Code stays empty when
// the body is not one of IAM's error envelopes (an HTML page of a proxy or another service).
func (c *Client) check(op operation, r *transport.Response) error {
	for _, s := range op.ok {
		if r.StatusCode == s {
			return nil
		}
	}
	e := &transport.APIError{Service: ServiceName, Operation: op.label(), StatusCode: r.StatusCode, RequestID: requestIDOf(r)}
	var env errorEnvelope
	if json.Unmarshal(r.Body, &env) == nil && (env.ErrorMsg != "" || env.ErrorCode != "" || env.Error != nil) {
		e.Code, e.Message = env.codeAndMessage()
	} else {
		e.Message = transport.Excerpt(string(r.Body), 300)
	}
	if e.Message == "" {
		e.Message = http.StatusText(r.StatusCode)
	}
	c.classify(op, e)
	if e.Code == "" && r.StatusCode == http.StatusNotFound {
		// A 404 page of a proxy or of another service: never "not found".
		return transport.ForeignAnswer(c.AuthURL(), r, e)
	}
	return e
}
