package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"net"
	"strings"
	"syscall"
	"time"
)

// APIError is an error the cloud answered with. Each client fills it from its own envelope and
// says what it means for retrying.
type APIError struct {
	// Service is the API's short name, e.g. "TRRO".
	Service string
	// Operation is the action or "METHOD path" that failed.
	Operation  string
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	// Throttled: the server refused the call for rate and did not act on it.
	Throttled bool
	// Temporary: a server-side fault after which the call may or may not have taken effect.
	Temporary bool
	// Hint tells a person what to do about it, when there is something to say.
	Hint string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s failed", e.Service, e.Operation)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Detail renders the error for a diagnostic, one fact a line, so a person can quote the request
// id to the cloud's support and see what to change.
func (e *APIError) Detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Operation: %s %s\n", e.Service, e.Operation)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "HTTP status: %d\n", e.StatusCode)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, "Error code: %s\n", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, "Message: %s\n", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, "Request ID: %s\n", e.RequestID)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, "\n%s\n", e.Hint)
	}
	return strings.TrimRight(b.String(), "\n")
}

// NetworkError is a failure to get a response at all.
type NetworkError struct {
	Operation string
	Err       error
	// NotSent is true when the connection was never made, so the server cannot have acted.
	NotSent bool
}

func (e *NetworkError) Error() string {
	return fmt.Sprintf("%s: network error: %v", e.Operation, e.Err)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// OutcomeUnknownError says a call that is not safe to repeat may or may not have taken effect:
// the request was sent but no usable answer came back. The caller should look for the result
// (e.g. find the created object by its unique key) before doing anything else.
type OutcomeUnknownError struct {
	Operation string
	Err       error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%s: the request was sent but its outcome is unknown: %v", e.Operation, e.Err)
}

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// TimeoutError says the operation's time ran out.
type TimeoutError struct {
	Operation string
	// Limit is the operation's whole timeout when the context carries it (WithTimeout), else 0.
	Limit time.Duration
	// Elapsed is how long the call that ran out had waited.
	Elapsed time.Duration
	// Sent says a request of the call may have reached the API and acted: one was in flight
	// when the time ran out, or an earlier attempt's outcome was unknown. When it is false the
	// call certainly had no effect: it waited in the client's rate limiter or between retries,
	// and every attempt it made (Attempts) was refused or never reached the API.
	Sent     bool
	Attempts int
	// Err is the last attempt's error, or the context's when no attempt was made.
	Err error
}

func (e *TimeoutError) Error() string {
	limit := "after " + e.Elapsed.Round(time.Millisecond).String()
	if e.Limit > 0 {
		limit = "after " + ShortDuration(e.Limit) + ", the operation's timeout"
	}
	if !e.Sent {
		return fmt.Sprintf("%s was not carried out: timed out %s, %s; if the API is slow or throttling, raise the resource's timeouts",
			e.Operation, limit, notSentDetail(e.Attempts, e.Elapsed, e.Err))
	}
	return fmt.Sprintf("%s: timed out %s (%v); if the API is slow, raise the resource's timeouts", e.Operation, limit, e.Err)
}

// notSentDetail says why a call that was stopped had no effect, naming its last API error.
func notSentDetail(attempts int, elapsed time.Duration, last error) string {
	if attempts == 0 {
		return fmt.Sprintf("before it was sent: it was still waiting in the client's rate limiter (%v)", last)
	}
	return fmt.Sprintf("before it could be sent again: each of its %d attempts in %s was refused by the API or never reached it, so nothing was created or changed; the last: %v",
		attempts, elapsed.Round(time.Millisecond), last)
}

// InterruptedError says the operation was cancelled, as Terraform does on Ctrl-C, before its
// call got an answer.
type InterruptedError struct {
	Operation string
	// Sent and Attempts mean what they mean in TimeoutError.
	Sent     bool
	Attempts int
	Elapsed  time.Duration
	Err      error
}

func (e *InterruptedError) Error() string {
	if !e.Sent {
		return fmt.Sprintf("%s was not carried out: interrupted %s", e.Operation, notSentDetail(e.Attempts, e.Elapsed, e.Err))
	}
	return fmt.Sprintf("%s: interrupted before the API answered (%v)", e.Operation, e.Err)
}

func (e *InterruptedError) Unwrap() error { return e.Err }

// IsInterrupted reports whether the operation was cancelled (Ctrl-C) rather than timed out.
func IsInterrupted(err error) bool {
	var e *InterruptedError
	return errors.As(err, &e)
}

// BadAnswerError is a successful status whose body does not prove success: empty, not JSON, an
// error envelope, without the object asked for, or naming another object. It is never read as
// an empty object or as "not found".
type BadAnswerError struct {
	Service, Operation string
	StatusCode         int
	RequestID          string
	// Reason says what is wrong, e.g. "the body is empty".
	Reason string
	// Excerpt is the start of the body, with the client's secrets masked.
	Excerpt string
}

func (e *BadAnswerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: the API answered HTTP %d, but %s, so the answer cannot be trusted", e.Service, e.Operation, e.StatusCode, e.Reason)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	if e.Excerpt != "" {
		fmt.Fprintf(&b, "; the body began: %s", e.Excerpt)
	}
	return b.String()
}

// ForeignAnswerError marks an answer that is not the cloud API's at all: another service, a
// proxy's or web server's page, a gateway that does not know the call, or a body in none of the
// API's formats. It wraps the *BadAnswerError (a 2xx) or *APIError (another status) the client
// made of the answer, so retries and adopt-on-unknown treat it as they treat those; a provider
// that meets it when it checks its credentials says that the endpoint is wrong.
type ForeignAnswerError struct {
	// URL is the endpoint that answered.
	URL string
	// StatusCode and ContentType describe the answer, for a message that does not dump it.
	StatusCode  int
	ContentType string
	Err         error
}

// ForeignAnswer marks err, the error a client made of resp from the endpoint at url, as a
// foreign answer.
func ForeignAnswer(url string, resp *Response, err error) *ForeignAnswerError {
	ct := resp.Header.Get("Content-Type")
	if mt, _, perr := mime.ParseMediaType(ct); perr == nil {
		ct = mt
	}
	return &ForeignAnswerError{URL: url, StatusCode: resp.StatusCode, ContentType: ct, Err: err}
}

func (e *ForeignAnswerError) Error() string { return e.Err.Error() }

func (e *ForeignAnswerError) Unwrap() error { return e.Err }

// Summary describes the answer in a few words, without its body.
func (e *ForeignAnswerError) Summary() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("HTTP %d (%s)", e.StatusCode, ct)
}

// AsForeignAnswer returns the *ForeignAnswerError in err's chain, if any.
func AsForeignAnswer(err error) (*ForeignAnswerError, bool) {
	var e *ForeignAnswerError
	ok := errors.As(err, &e)
	return e, ok
}

// IsForeignAnswer reports whether err says that something other than the API answered.
func IsForeignAnswer(err error) bool {
	_, ok := AsForeignAnswer(err)
	return ok
}

// Excerpt is the start of an answer's body for a message: white space trimmed, at most n bytes
// of valid UTF-8, and "..." when cut.
func Excerpt(body string, n int) string {
	body = strings.TrimSpace(body)
	if len(body) <= n {
		return body
	}
	return strings.ToValidUTF8(body[:n], "") + "..."
}

// IsBadAnswer reports whether err is an untrustworthy successful answer.
func IsBadAnswer(err error) bool {
	var e *BadAnswerError
	return errors.As(err, &e)
}

// ShortDuration prints a duration the way a person writes it: 5m0s as 5m, 1h0m0s as 1h.
func ShortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

type timeoutKey struct{}

// WithTimeout bounds ctx by d and remembers d, so that a timeout names the limit that ran out
// rather than how long its last call waited.
func WithTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithValue(ctx, timeoutKey{}, d), d)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// timeoutError turns err, met after ctx ended, into a TimeoutError or an InterruptedError. sent
// says whether a request may have reached the API and acted; attempts counts those made.
func timeoutError(ctx context.Context, operation string, start time.Time, err error, sent bool, attempts int) error {
	if ctx.Err() == nil {
		return err
	}
	if errors.Is(ctx.Err(), context.Canceled) {
		return &InterruptedError{Operation: operation, Sent: sent, Attempts: attempts, Elapsed: time.Since(start), Err: err}
	}
	limit, _ := ctx.Value(timeoutKey{}).(time.Duration)
	return &TimeoutError{Operation: operation, Limit: limit, Elapsed: time.Since(start), Sent: sent, Attempts: attempts, Err: err}
}

// IsOutcomeUnknown reports whether err says a non-idempotent call may have taken effect.
func IsOutcomeUnknown(err error) bool {
	var e *OutcomeUnknownError
	return errors.As(err, &e)
}

// MayHaveActed reports whether a call that is not safe to repeat may have taken effect without
// a trustworthy answer: its outcome is unknown, its answer was bad, or its time ran out or it was
// interrupted while a request was in flight. The caller must look for the result before anything
// else. A call stopped while it waited in the rate limiter or between refused attempts, refused
// (throttled, 4xx), or never connected did not act.
func MayHaveActed(err error) bool {
	if err == nil {
		return false
	}
	var timeout *TimeoutError
	if errors.As(err, &timeout) {
		return timeout.Sent
	}
	var interrupted *InterruptedError
	if errors.As(err, &interrupted) {
		return interrupted.Sent
	}
	return IsOutcomeUnknown(err) || IsBadAnswer(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// AnsweredByAPI reports whether the API itself answered the call with one of its own errors (an
// error envelope with its code, not a gateway's or proxy's page): such an answer says the call
// failed, even where its status (a 5xx) leaves open whether it acted first.
func AnsweredByAPI(err error) bool {
	api, ok := AsAPIError(err)
	return ok && api.Code != "" && !IsForeignAnswer(err)
}

// IsTimeout reports whether the operation's time ran out.
func IsTimeout(err error) bool {
	var e *TimeoutError
	return errors.As(err, &e) || errors.Is(err, context.DeadlineExceeded)
}

// IsThrottled reports whether the API refused the call for rate.
func IsThrottled(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.Throttled
}

// AsAPIError returns the *APIError in err's chain, if any.
func AsAPIError(err error) (*APIError, bool) {
	var e *APIError
	ok := errors.As(err, &e)
	return e, ok
}

// isDialError reports whether the connection was never established, so the server never saw
// the request.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns) || errors.Is(err, syscall.ECONNREFUSED)
}

// RedirectError is a 3xx answer. Clients never follow redirects: the signed Authorization,
// tokens and password bodies are meant for the configured host only.
type RedirectError struct {
	Service, Operation string
	StatusCode         int
	Location           string
	// Setting names the endpoint argument to check, e.g. `endpoint (TRRO_ENDPOINT)`.
	Setting string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s %s: the API answered HTTP %d, a redirect to %q. Redirects are never followed, so that credentials reach "+
		"only the configured host; nothing was sent there. Check %s: it should name the API itself",
		e.Service, e.Operation, e.StatusCode, e.Location, e.Setting)
}

// IsRedirect reports whether err is a 3xx answer, which was not followed.
func IsRedirect(err error) bool {
	var e *RedirectError
	return errors.As(err, &e)
}

// EndpointError says the endpoint cannot be used as configured: its host does not resolve, it
// refuses connections, or its TLS certificate is not trusted. Retrying would not help.
type EndpointError struct {
	Service, Operation string
	// URL is the scheme and host that failed.
	URL string
	// Setting names the argument (and environment variable) that sets the endpoint, and for TLS
	// failures the TLS arguments.
	Setting string
	Err     error
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("%s %s: cannot use %s: %v. Check %s (the request was never sent)", e.Service, e.Operation, e.URL, e.Err, e.Setting)
}

func (e *EndpointError) Unwrap() error { return e.Err }

// IsEndpointError reports whether err says the endpoint is unusable as configured.
func IsEndpointError(err error) bool {
	var e *EndpointError
	return errors.As(err, &e)
}

// TLSSettingsError says a provider's TLS settings cannot be used: the CA file cannot be read, or
// it (or the PEM text) holds no certificate. Nothing was sent.
type TLSSettingsError struct {
	Err error
}

func (e *TLSSettingsError) Error() string { return e.Err.Error() }

func (e *TLSSettingsError) Unwrap() error { return e.Err }

// IsTLSSettingsError reports whether err says the TLS settings cannot be used.
func IsTLSSettingsError(err error) bool {
	var e *TLSSettingsError
	return errors.As(err, &e)
}

// isCertificateError reports a TLS failure that no retry heals: an untrusted or mismatched
// certificate, or a server that does not speak TLS at all.
func isCertificateError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verification *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verification) || errors.As(err, &record)
}

// isUnresolvable reports a host name that does not exist.
func isUnresolvable(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}
