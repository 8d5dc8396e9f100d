// Package transport sends the API calls of every projectkit client with one reliability policy:
// client-side rate limiting per operation, bounded exponential backoff with jitter, honouring the
// caller's context, and request logging through a tflog subsystem with secrets masked.
//
// The clouds differ in signing and in their error envelopes; each client supplies those as a
// request builder and a response check, and reports what its errors mean through the Throttled
// and Temporary methods of *APIError.
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// rateMargin stretches the interval between requests by 2%: at exactly the limit, arrival
// jitter alone makes a per-second counter on the server see one request too many.
const rateMargin = 1.02

// maxResponseBytes bounds what one response may make us hold in memory.
const maxResponseBytes = 8 << 20

// Options configure a Client.
type Options struct {
	// HTTPClient sends the requests; nil means NewHTTPClient's default. Its redirects are never
	// followed, whatever its CheckRedirect says.
	HTTPClient *http.Client
	// Subsystem names the tflog subsystem, e.g. "trro"; its level follows TF_LOG_PROVIDER_<NAME>.
	Subsystem string
	// Service is the API's name in errors, e.g. "TRRO"; empty means Subsystem.
	Service string
	// EndpointSetting names the argument and variable that set the endpoint, e.g.
	// "endpoint (TRRO_ENDPOINT)", for errors that say where to look.
	EndpointSetting string
	// TLSSetting names the TLS arguments, e.g. "ca_file (TRRO_CA_FILE) or insecure", for
	// certificate errors.
	TLSSetting string
	// RequestsPerSecond limits each operation separately; 0 means no client-side limit.
	RequestsPerSecond float64
	// Endpoint (scheme and host) and Identity (what the API counts requests against: an access
	// key id, a user and domain name, never a secret) name the shared schedule of each
	// operation (shared.go), on which the processes of one machine calling the same endpoint
	// with the same identity and rate are paced together. An empty Identity (a credential that
	// names no one, such as a bare token) means no shared schedule, as does
	// PROJECTKIT_SHARED_RATE_LIMIT=off.
	Endpoint, Identity string
	// Retry bounds the attempts; the zero value means DefaultRetryPolicy.
	Retry RetryPolicy
	// SensitiveHeaders are logged as "***" (Authorization is always masked).
	SensitiveHeaders []string
	// Secrets are literal values (keys, passwords, tokens) masked anywhere in log output.
	Secrets []string
	// UserAgent is sent with every request.
	UserAgent string
	// RequestID extracts the cloud's request id from a response, for the logs.
	RequestID func(*Response) string
}

// Call is one API operation.
type Call struct {
	// Operation is the API action, e.g. "CreateProject": the rate-limit key and a log field.
	Operation string
	// Idempotent calls may be sent again when an attempt's outcome is unknown (a 5xx, a reset
	// connection). A call that is not idempotent is resent only when it provably had no effect:
	// the connection was never made, or the API said it was throttled.
	Idempotent bool
	// NewRequest builds (and signs) the request; it runs again for every attempt, so a signature
	// timestamp is always fresh.
	NewRequest func(ctx context.Context) (*http.Request, error)
	// Check turns a response into nil or an error, usually an *APIError.
	Check func(*Response) error
}

// Response is a fully read HTTP response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Client sends Calls. It is safe for concurrent use; its rate limiters are per process, shared
// by every resource that the provider instance manages, and adapt to throttling (limiter.go);
// behind them, the processes of one machine share a schedule per operation (shared.go).
type Client struct {
	opts     Options
	http     *http.Client
	mu       sync.Mutex
	limiters map[string]*AdaptiveLimiter
	// sharedDir is the folder of the shared schedules; empty: none.
	sharedDir string
	shared    map[string]*sharedSchedule
	// files are the shared files handed out (SharedFile), by name.
	files map[string]*SharedFile
}

// New returns a Client.
func New(opts Options) *Client {
	if opts.HTTPClient == nil {
		opts.HTTPClient = DefaultHTTPClient()
	}
	// A copy, so the caller's client is not changed, that never follows a redirect.
	httpClient := *opts.HTTPClient
	httpClient.CheckRedirect = refuseRedirects
	if opts.Retry == (RetryPolicy{}) {
		opts.Retry = DefaultRetryPolicy
	}
	if opts.Service == "" {
		opts.Service = opts.Subsystem
	}
	if opts.EndpointSetting == "" {
		opts.EndpointSetting = "the provider's endpoint"
	}
	if opts.TLSSetting == "" {
		opts.TLSSetting = "the provider's TLS settings"
	}
	c := &Client{opts: opts, http: &httpClient, limiters: map[string]*AdaptiveLimiter{}, shared: map[string]*sharedSchedule{}}
	if opts.Identity != "" && sharedSupported && sharedEnabled() {
		c.sharedDir = sharedDir()
		sweepOnce.Do(func() { sweepIfDue(c.sharedDir) })
	}
	return c
}

// sweepOnce sweeps the shared schedules' folder, if due, once per process (shared.go).
var sweepOnce sync.Once

// DefaultHTTPClient is NewHTTPClient without TLS settings.
func DefaultHTTPClient() *http.Client {
	c, _ := NewHTTPClient(TLSSettings{}) // without a CA file it cannot fail
	return c
}

// maxRefusedAttempts bounds the attempts at an endpoint that refuses connections: a server
// restarting is back within a second or two, a wrong port never.
const maxRefusedAttempts = 3

// excerptBytes bounds the body excerpt a BadAnswerError shows.
const excerptBytes = 200

// BadAnswer returns the error for a successful response whose body does not prove success; the
// excerpt has the client's secrets masked.
func (c *Client) BadAnswer(operation string, resp *Response, reason string) *BadAnswerError {
	e := &BadAnswerError{Service: c.opts.Service, Operation: operation, StatusCode: resp.StatusCode, Reason: reason}
	if c.opts.RequestID != nil {
		e.RequestID = c.opts.RequestID(resp)
	}
	excerpt := strings.TrimSpace(c.maskBody(resp.Body))
	if len(excerpt) > excerptBytes {
		excerpt = strings.ToValidUTF8(excerpt[:excerptBytes], "") + "..."
	}
	e.Excerpt = excerpt
	return e
}

// limiter returns the operation's limiter and shared schedule (nil where there is none).
func (c *Client) limiter(operation string) (*AdaptiveLimiter, *sharedSchedule) {
	if c.opts.RequestsPerSecond <= 0 {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.limiters[operation]
	if !ok {
		// Requests spread evenly (burst 1) with a small margin for network jitter, so a server
		// counting per second never sees more than the limit in any window; slower for a while
		// after a throttled answer, so processes sharing one limit settle under it.
		l = NewAdaptiveLimiter(c.opts.RequestsPerSecond)
		c.limiters[operation] = l
		if c.sharedDir != "" {
			c.shared[operation] = newSharedSchedule(c.sharedDir, sharedKey(c.opts.Endpoint, c.opts.Identity, operation, c.opts.RequestsPerSecond), c.opts.RequestsPerSecond)
		}
	}
	return l, c.shared[operation]
}

// wait paces one attempt: first the process's own limiter, then the machine's shared schedule
// (if any), and returns the time the request is let go, for Throttled.
func wait(ctx context.Context, l *AdaptiveLimiter, s *sharedSchedule) (time.Time, error) {
	sentAt, err := l.Wait(ctx)
	if err != nil || s == nil {
		return sentAt, err
	}
	at, ok, err := s.Wait(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if !ok {
		return sentAt, nil
	}
	return l.Delayed(sentAt, at), nil
}

// beforeSendKey is the context key of WithBeforeSend's function.
type beforeSendKey struct{}

// WithBeforeSend returns ctx carrying fn, which Do calls before each request made on it goes
// out (after the rate limiter let it go, before the request is built), from Do's goroutine,
// after any function ctx carried already. listing.FreshLists uses it to let callers join a
// listing until its first request is sent; trro's list walk to tell whether the list operation
// is queued.
func WithBeforeSend(ctx context.Context, fn func()) context.Context {
	if prev, ok := ctx.Value(beforeSendKey{}).(func()); ok {
		next := fn
		fn = func() { prev(); next() }
	}
	return context.WithValue(ctx, beforeSendKey{}, fn)
}

// BeforeSend runs the functions WithBeforeSend put on ctx, as Do does before a request goes
// out: for a caller that takes a request of another process's as its own (listing.MachineLists
// joins another process's listing, which seals the caller's as its own first request would).
func BeforeSend(ctx context.Context) {
	if fn, ok := ctx.Value(beforeSendKey{}).(func()); ok {
		fn()
	}
}

// roundTripKey is the context key of WithRoundTrip's function.
type roundTripKey struct{}

// WithRoundTrip returns ctx carrying fn, which Do calls after each request made on it, with the
// time from building the request to its answer or failure (the limiter's wait left out), after
// any function ctx carried already. listing.FreshLists and trro's list walk use it to tell an
// API whose answers take long (where overlapping listings hide latency) from one whose
// listings only wait for the rate limit (where overlapping would only split its slots).
func WithRoundTrip(ctx context.Context, fn func(time.Duration)) context.Context {
	if prev, ok := ctx.Value(roundTripKey{}).(func(time.Duration)); ok {
		next := fn
		fn = func(d time.Duration) { prev(d); next(d) }
	}
	return context.WithValue(ctx, roundTripKey{}, fn)
}

// Do sends the call, retrying as the policy allows, and returns the response that passed Check.
func (c *Client) Do(ctx context.Context, call Call) (*Response, error) {
	ctx = c.logContext(ctx)
	start := time.Now()
	var lastErr error
	// sent: an attempt may have reached the API and acted (for a call that is not idempotent
	// only the last attempt can, since no other outcome is retried).
	sent := false
	for attempt := 1; ; attempt++ {
		l, shared := c.limiter(call.Operation)
		var sentAt time.Time
		if l != nil {
			var err error
			if sentAt, err = wait(ctx, l, shared); err != nil {
				if lastErr == nil {
					lastErr = err
				}
				return nil, timeoutError(ctx, call.Operation, start, lastErr, sent, attempt-1)
			}
		}
		BeforeSend(ctx)
		sending := time.Now()
		resp, retry, reached, err := c.attempt(ctx, call, attempt, l, sentAt)
		if fn, ok := ctx.Value(roundTripKey{}).(func(time.Duration)); ok {
			fn(time.Since(sending))
		}
		if err == nil {
			return resp, nil
		}
		lastErr, sent = err, sent || reached
		if !retry || attempt >= c.opts.Retry.MaxAttempts {
			if retry {
				return nil, fmt.Errorf("%w (gave up after %d attempts in %s)", lastErr, attempt, time.Since(start).Round(time.Millisecond))
			}
			return nil, lastErr
		}
		delay := c.opts.Retry.Backoff(attempt)
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			return nil, fmt.Errorf("%w (stopped retrying after %d attempts in %s: the operation's timeout leaves no time for another)", lastErr, attempt, time.Since(start).Round(time.Millisecond))
		}
		tflog.SubsystemDebug(ctx, c.opts.Subsystem, "retrying API call", map[string]any{
			"operation": call.Operation, "attempt": attempt, "delay_ms": delay.Milliseconds(), "error": err.Error(),
		})
		if err := Sleep(ctx, delay); err != nil {
			return nil, timeoutError(ctx, call.Operation, start, lastErr, sent, attempt)
		}
	}
}

// attempt sends one request. retry says whether sending it again is both useful and safe;
// reached says whether the request may have reached the API and acted (it was written out and
// no answer proves it had no effect).
func (c *Client) attempt(ctx context.Context, call Call, n int, l *AdaptiveLimiter, sentAt time.Time) (*Response, bool, bool, error) {
	start := time.Now()
	req, err := call.NewRequest(ctx)
	if err != nil {
		return nil, false, false, fmt.Errorf("%s: building the request: %w", call.Operation, err)
	}
	if c.opts.UserAgent != "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	c.logRequest(ctx, call, req, n)

	// Whether the request was written out: until then the server cannot have acted on it.
	var wrote atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }}))
	httpResp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, wrote.Load(), timeoutError(ctx, call.Operation, start, err, wrote.Load(), n-1)
		}
		c.logFailure(ctx, call, start, err)
		endpoint := &EndpointError{Service: c.opts.Service, Operation: call.Operation, URL: req.URL.Scheme + "://" + req.URL.Host,
			Setting: c.opts.EndpointSetting, Err: err}
		switch {
		case isCertificateError(err):
			endpoint.Setting = c.opts.EndpointSetting + " and " + c.opts.TLSSetting
			return nil, false, false, endpoint
		case isUnresolvable(err):
			return nil, false, false, endpoint
		case errors.Is(err, syscall.ECONNREFUSED) && n >= maxRefusedAttempts:
			return nil, false, false, endpoint
		}
		neverSent := isDialError(err) || !wrote.Load()
		netErr := &NetworkError{Operation: call.Operation, Err: err, NotSent: neverSent}
		if neverSent || call.Idempotent {
			return nil, true, !neverSent, netErr
		}
		return nil, false, true, &OutcomeUnknownError{Operation: call.Operation, Err: netErr}
	}
	body, err := io.ReadAll(io.LimitReader(httpResp.Body, maxResponseBytes))
	_ = httpResp.Body.Close()
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, true, timeoutError(ctx, call.Operation, start, err, true, n-1)
		}
		netErr := &NetworkError{Operation: call.Operation, Err: err}
		if call.Idempotent {
			return nil, true, true, netErr
		}
		return nil, false, true, &OutcomeUnknownError{Operation: call.Operation, Err: netErr}
	}
	resp := &Response{StatusCode: httpResp.StatusCode, Header: httpResp.Header, Body: body}
	c.logResponse(ctx, call, resp, start)
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return nil, false, false, &RedirectError{Service: c.opts.Service, Operation: call.Operation, StatusCode: resp.StatusCode,
			Location: resp.Header.Get("Location"), Setting: c.opts.EndpointSetting}
	}

	err = call.Check(resp)
	if err == nil {
		return resp, false, true, nil
	}
	var api *APIError
	if errors.As(err, &api) {
		switch {
		case api.Throttled:
			if l != nil {
				l.Throttled(sentAt)
			}
			return nil, true, false, err
		case api.Temporary && call.Idempotent:
			return nil, true, true, err
		case api.Temporary:
			return nil, false, true, &OutcomeUnknownError{Operation: call.Operation, Err: err}
		}
		// The API refused the call (4xx): it had no effect.
		return nil, false, false, err
	}
	// A successful status whose answer cannot be trusted: the call may have acted.
	return nil, false, true, err
}

// NewRequest makes a request whose body can be read again (by net/http on a redirect or a
// retry of its own); Call.NewRequest functions use it.
func NewRequest(ctx context.Context, method, url string, body []byte) (*http.Request, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	return req, nil
}

// maskHeaders copies h with every sensitive header's value replaced.
func (c *Client) maskHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, values := range h {
		v := strings.Join(values, ", ")
		if c.isSensitiveHeader(name) {
			v = "***"
		}
		out[name] = v
	}
	return out
}

func (c *Client) isSensitiveHeader(name string) bool {
	if strings.EqualFold(name, "Authorization") {
		return true
	}
	for _, s := range c.opts.SensitiveHeaders {
		if strings.EqualFold(name, s) {
			return true
		}
	}
	return false
}
