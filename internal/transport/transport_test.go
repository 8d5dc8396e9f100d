package transport

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

var fastRetry = RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// serverAnswering answers the i-th request (from 0) with statuses[i], then 200.
func serverAnswering(t *testing.T, statuses ...int) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i < len(statuses) {
			w.WriteHeader(statuses[i])
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// call checks statuses: 429 is throttled, 5xx temporary.
func call(url string, idempotent bool) Call {
	return Call{
		Operation:  "Test",
		Idempotent: idempotent,
		NewRequest: func(ctx context.Context) (*http.Request, error) {
			return NewRequest(ctx, http.MethodPost, url, []byte("{}"))
		},
		Check: func(r *Response) error {
			if r.StatusCode < 300 {
				return nil
			}
			return &APIError{Service: "T", Operation: "Test", StatusCode: r.StatusCode, Throttled: r.StatusCode == 429, Temporary: r.StatusCode >= 500}
		},
	}
}

func TestDoRetriesIdempotentCallsOnServerErrors(t *testing.T) {
	srv, n := serverAnswering(t, 500, 503)
	c := New(Options{Subsystem: "test", Retry: fastRetry})
	resp, err := c.Do(context.Background(), call(srv.URL, true))
	if err != nil || string(resp.Body) != "ok" || n.Load() != 3 {
		t.Fatalf("Do = %v, %v after %d requests; want ok after 3", resp, err, n.Load())
	}
}

func TestDoDoesNotResendACreateAfterAServerError(t *testing.T) {
	srv, n := serverAnswering(t, 502)
	c := New(Options{Subsystem: "test", Retry: fastRetry})
	_, err := c.Do(context.Background(), call(srv.URL, false))
	if !IsOutcomeUnknown(err) || n.Load() != 1 {
		t.Fatalf("Do = %v after %d requests; want an unknown outcome after 1", err, n.Load())
	}
}

func TestDoResendsThrottledCreates(t *testing.T) {
	srv, n := serverAnswering(t, 429, 429)
	c := New(Options{Subsystem: "test", Retry: fastRetry})
	if _, err := c.Do(context.Background(), call(srv.URL, false)); err != nil || n.Load() != 3 {
		t.Fatalf("Do = %v after %d requests; want success after 3", err, n.Load())
	}
}

func TestDoGivesUpAfterMaxAttempts(t *testing.T) {
	srv, n := serverAnswering(t, 429, 429, 429, 429, 429, 429)
	c := New(Options{Subsystem: "test", Retry: fastRetry})
	_, err := c.Do(context.Background(), call(srv.URL, true))
	if !IsThrottled(err) || !strings.Contains(err.Error(), "gave up after 4 attempts") || n.Load() != 4 {
		t.Fatalf("Do = %v after %d requests", err, n.Load())
	}
}

func TestDoResendsACreateThatNeverReachedTheServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens: every attempt is refused
	c := New(Options{Subsystem: "test", Retry: fastRetry, EndpointSetting: "endpoint (TEST_ENDPOINT)"})
	var attempts atomic.Int32
	cl := call("http://"+addr, false)
	build := cl.NewRequest
	cl.NewRequest = func(ctx context.Context) (*http.Request, error) { attempts.Add(1); return build(ctx) }
	_, err = c.Do(context.Background(), cl)
	// A refused connection is tried a few times (a restarting server), then named as the
	// endpoint's fault: a wrong port never starts answering. The create was never sent.
	if MayHaveActed(err) || !IsEndpointError(err) || !errors.Is(err, syscall.ECONNREFUSED) ||
		!strings.Contains(err.Error(), "endpoint (TEST_ENDPOINT)") || attempts.Load() != maxRefusedAttempts {
		t.Fatalf("Do = %v after %d attempts; want the endpoint named after %d", err, attempts.Load(), maxRefusedAttempts)
	}
}

func TestDoStopsWhenTheTimeoutLeavesNoRoomForARetry(t *testing.T) {
	srv, n := serverAnswering(t, 503, 503, 503)
	c := New(Options{Subsystem: "test", Retry: RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: time.Second}})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, call(srv.URL, true))
	if err == nil || !strings.Contains(err.Error(), "timeout leaves no time") || n.Load() != 1 || time.Since(start) > 150*time.Millisecond {
		t.Fatalf("Do = %v after %d requests in %s", err, n.Load(), time.Since(start))
	}
}

func TestRateLimitSpacesRequestsPerOperation(t *testing.T) {
	srv, _ := serverAnswering(t)
	c := New(Options{Subsystem: "test", RequestsPerSecond: 50, Retry: fastRetry})
	start := time.Now()
	for range 11 {
		if _, err := c.Do(context.Background(), call(srv.URL, true)); err != nil {
			t.Fatal(err)
		}
	}
	// 11 requests at 50/s: the first is free, the other 10 take 200ms.
	if elapsed := time.Since(start); elapsed < 190*time.Millisecond {
		t.Errorf("11 requests at 50/s took %s, want at least 200ms", elapsed)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	p := RetryPolicy{MaxAttempts: 10, BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	for n, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond, 8: time.Second} {
		for range 50 {
			if d := p.Backoff(n); d < ceiling/2 || d > ceiling {
				t.Fatalf("Backoff(%d) = %s, want within [%s, %s]", n, d, ceiling/2, ceiling)
			}
		}
	}
}

func TestMaskedHeadersAndBodies(t *testing.T) {
	c := New(Options{Subsystem: "test", SensitiveHeaders: []string{"X-Auth-Token"}, Secrets: []string{"s3cr3t", ""}})
	h := http.Header{"Authorization": {"TC3 abc"}, "X-Auth-Token": {"tok"}, "Content-Type": {"application/json"}}
	got := c.maskHeaders(h)
	if got["Authorization"] != "***" || got["X-Auth-Token"] != "***" || got["Content-Type"] != "application/json" {
		t.Errorf("maskHeaders = %v", got)
	}
	if body := c.maskBody([]byte(`{"password":"s3cr3t"}`)); body != `{"password":"***"}` {
		t.Errorf("maskBody = %s", body)
	}
}

func TestAPIErrorDetail(t *testing.T) {
	e := &APIError{Service: "TRRO", Operation: "CreateProject", StatusCode: 200, Code: "InvalidParameterValue", Message: "bad", RequestID: "r-1", Hint: "Fix it."}
	want := "Operation: TRRO CreateProject\nHTTP status: 200\nError code: InvalidParameterValue\nMessage: bad\nRequest ID: r-1\n\nFix it."
	if got := e.Detail(); got != want {
		t.Errorf("Detail =\n%s\nwant\n%s", got, want)
	}
}

func TestParseBaseURL(t *testing.T) {
	for _, ok := range []string{"https://trro.tencentcloudapi.com", "http://127.0.0.1:8080/"} {
		if _, err := ParseBaseURL(ok, "https://example.com"); err != nil {
			t.Errorf("ParseBaseURL(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"trro.tencentcloudapi.com", "ftp://x", "https://x/v3", "https://x?a=b", ""} {
		if _, err := ParseBaseURL(bad, "https://example.com"); err == nil || !strings.Contains(err.Error(), "https://example.com") {
			t.Errorf("ParseBaseURL(%q) = %v; want an error showing the example", bad, err)
		}
	}
}

func TestAuthorizationParams(t *testing.T) {
	p, err := AuthorizationParams("ALGO Credential=AK/x, SignedHeaders=host;x-date,Signature=abc", "ALGO")
	if err != nil || p["Credential"] != "AK/x" || p["SignedHeaders"] != "host;x-date" || p["Signature"] != "abc" {
		t.Errorf("AuthorizationParams = %v, %v", p, err)
	}
	if _, err := AuthorizationParams("Bearer abc", "ALGO"); err == nil {
		t.Error("another scheme was accepted")
	}
}

func TestEscapeRFC3986(t *testing.T) {
	for in, want := range map[string]string{"a-Z_0.~": "a-Z_0.~", "a b/c*": "a%20b%2Fc%2A", "项": "%E9%A1%B9", "+=&": "%2B%3D%26"} {
		if got := EscapeRFC3986(in); got != want {
			t.Errorf("EscapeRFC3986(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTimeoutNamesTheOperationsLimit(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // net/http notices the client leaving only once the body is read
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	c := New(Options{Subsystem: "test", Retry: fastRetry})
	ctx, cancel := WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	time.Sleep(50 * time.Millisecond) // time spent before the call still counts against the limit
	_, err := c.Do(ctx, call(srv.URL, true))
	if !IsTimeout(err) || !strings.Contains(err.Error(), "timed out after 150ms, the operation's timeout") {
		t.Fatalf("Do = %v; want a timeout naming the 150ms limit", err)
	}
}

// A create stopped before any request could have acted is not "may have acted": stopped in the
// limiter, between throttled attempts, or by Ctrl-C there. One in flight is.
func TestStoppedCallsSayWhetherTheyMayHaveActed(t *testing.T) {
	throttle := &APIError{Service: "T", Operation: "Test", StatusCode: 429, Code: "RequestLimitExceeded", Throttled: true}
	t.Run("interrupted between throttled attempts", func(t *testing.T) {
		srv, n := serverAnswering(t, 429, 429, 429, 429, 429, 429, 429, 429)
		c := New(Options{Subsystem: "test", Retry: RetryPolicy{MaxAttempts: 10, BaseDelay: 40 * time.Millisecond, MaxDelay: 40 * time.Millisecond}})
		ctx, cancel := context.WithCancel(context.Background())
		// Ctrl-C once the second refusal is in, before the next attempt (a timer could land on
		// a request in flight on a busy machine, which may have acted).
		ctx = WithRoundTrip(ctx, func(time.Duration) {
			if n.Load() == 2 {
				cancel()
			}
		})
		_, err := c.Do(ctx, call(srv.URL, false))
		if MayHaveActed(err) || !IsInterrupted(err) || n.Load() != 2 {
			t.Fatalf("Do = %v after %d requests; want an interrupt that did not act", err, n.Load())
		}
		for _, want := range []string{"Test was not carried out: interrupted before it could be sent again", "attempts in", "refused by the API or never reached it", "HTTP 429"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q lacks %q", err, want)
			}
		}
	})
	t.Run("timeout between throttled attempts", func(t *testing.T) {
		srv, n := serverAnswering(t, 429, 429, 429, 429, 429, 429, 429, 429)
		c := New(Options{Subsystem: "test", Retry: RetryPolicy{MaxAttempts: 10, BaseDelay: 40 * time.Millisecond, MaxDelay: 40 * time.Millisecond}})
		ctx, cancel := WithTimeout(context.Background(), time.Second)
		defer cancel()
		// The time runs out after the second refusal is in, before the next attempt.
		ctx = WithRoundTrip(ctx, func(time.Duration) {
			if n.Load() == 2 {
				<-ctx.Done()
			}
		})
		_, err := c.Do(ctx, call(srv.URL, false))
		if MayHaveActed(err) || n.Load() != 2 || !strings.Contains(err.Error(), "HTTP 429") || !strings.Contains(err.Error(), "attempts") {
			t.Fatalf("Do = %v after %d requests; want the last refusal named, having not acted", err, n.Load())
		}
	})
	t.Run("interrupted in the limiter", func(t *testing.T) {
		srv, n := serverAnswering(t)
		c := New(Options{Subsystem: "test", RequestsPerSecond: 1})
		if _, err := c.Do(context.Background(), call(srv.URL, false)); err != nil { // takes the slot
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		_, err := c.Do(ctx, call(srv.URL, false))
		if MayHaveActed(err) || !IsInterrupted(err) || n.Load() != 1 || !strings.Contains(err.Error(), "interrupted before it was sent") {
			t.Fatalf("Do = %v after %d requests; want an interrupt before sending, 1 request", err, n.Load())
		}
	})
	t.Run("interrupted in flight", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
		defer srv.Close()
		defer close(release)
		c := New(Options{Subsystem: "test"})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		_, err := c.Do(ctx, call(srv.URL, false))
		if !MayHaveActed(err) || !IsInterrupted(err) || !strings.Contains(err.Error(), "interrupted before the API answered") {
			t.Fatalf("Do = %v; want an interrupt that may have acted", err)
		}
	})
	t.Run("answers", func(t *testing.T) {
		for _, c := range []struct {
			err  error
			want bool
		}{
			{throttle, false},
			{&APIError{StatusCode: 400, Code: "InvalidParameter"}, false},
			{&OutcomeUnknownError{Operation: "Test", Err: &APIError{StatusCode: 503, Temporary: true}}, true},
			{&BadAnswerError{Operation: "Test", StatusCode: 200}, true},
			{&EndpointError{Operation: "Test", Err: syscall.ECONNREFUSED}, false},
			{context.Canceled, true},
		} {
			if got := MayHaveActed(c.err); got != c.want {
				t.Errorf("MayHaveActed(%v) = %v, want %v", c.err, got, c.want)
			}
		}
	})
}

func TestAnsweredByAPI(t *testing.T) {
	api := &APIError{StatusCode: 503, Code: "InternalError", Temporary: true}
	if !AnsweredByAPI(&OutcomeUnknownError{Err: api}) {
		t.Error("the API's own 503 envelope is its answer")
	}
	foreign := &ForeignAnswerError{StatusCode: 502, Err: &APIError{StatusCode: 502, Code: "BadGateway", Temporary: true}}
	if AnsweredByAPI(&OutcomeUnknownError{Err: foreign}) || AnsweredByAPI(&APIError{StatusCode: 502, Temporary: true}) {
		t.Error("a gateway's page or a code-less status is not the API's answer")
	}
}
