package transport

import (
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// capture counts what reaches a host that must receive nothing.
func capture(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		other, received := capture(t)
		var served atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			served.Add(1)
			http.Redirect(w, r, other.URL+"/steal", status)
		}))
		t.Cleanup(srv.Close)
		// Even a caller's client that would follow redirects does not.
		c := New(Options{Subsystem: "test", Service: "T", Retry: fastRetry, EndpointSetting: "endpoint (T_ENDPOINT)", HTTPClient: &http.Client{}})
		cl := call(srv.URL, true)
		build := cl.NewRequest
		cl.NewRequest = func(ctx context.Context) (*http.Request, error) {
			req, err := build(ctx)
			if err == nil {
				req.Header.Set("Authorization", "secret-signature")
			}
			return req, err
		}
		_, err := c.Do(context.Background(), cl)
		var redirect *RedirectError
		if !errors.As(err, &redirect) || !IsRedirect(err) || redirect.StatusCode != status || !strings.Contains(err.Error(), other.URL+"/steal") ||
			!strings.Contains(err.Error(), "endpoint (T_ENDPOINT)") {
			t.Fatalf("HTTP %d: Do = %v; want a RedirectError naming the status, Location and setting", status, err)
		}
		if received.Load() != 0 || served.Load() != 1 {
			t.Fatalf("HTTP %d: the other host received %d requests, the API %d; want 0 and 1 (no retry)", status, received.Load(), served.Load())
		}
	}
}

func TestUntrustedCertificateIsAnEndpointErrorNotRetried(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { n.Add(1) }))
	t.Cleanup(srv.Close)
	c := New(Options{Subsystem: "test", Retry: fastRetry, EndpointSetting: "endpoint (T_ENDPOINT)", TLSSetting: "ca_file (T_CA_FILE) or insecure"})
	start := time.Now()
	_, err := c.Do(context.Background(), call(srv.URL, false))
	if !IsEndpointError(err) || MayHaveActed(err) || !strings.Contains(err.Error(), "ca_file (T_CA_FILE) or insecure") || n.Load() != 0 {
		t.Fatalf("Do = %v (%d requests served); want an endpoint error naming the TLS settings", err, n.Load())
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("a certificate error took %s; it must not be retried", time.Since(start))
	}
}

func TestCAFileAndInsecure(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	t.Cleanup(srv.Close)
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, settings := range map[string]TLSSettings{"ca_file": {CAFile: caFile}, "PEM text": {CAPEM: string(certPEM)}, "insecure": {Insecure: true}} {
		hc, err := NewHTTPClient(settings)
		if err != nil {
			t.Fatal(err)
		}
		c := New(Options{Subsystem: "test", Retry: fastRetry, HTTPClient: hc})
		if resp, err := c.Do(context.Background(), call(srv.URL, true)); err != nil || string(resp.Body) != "ok" {
			t.Errorf("%s: Do = %v, %v", name, resp, err)
		}
	}
	notPEM := filepath.Join(t.TempDir(), "x.pem")
	_ = os.WriteFile(notPEM, []byte("nothing"), 0o600)
	for _, s := range []TLSSettings{{CAFile: notPEM}, {CAFile: filepath.Join(t.TempDir(), "missing.pem")}, {CAPEM: "-----BEGIN nothing"},
		{CAFile: caFile, CAPEM: "not PEM"}} {
		_, err := NewHTTPClient(s)
		if !IsTLSSettingsError(err) {
			t.Errorf("NewHTTPClient(%+v) = %v, want a TLSSettingsError", s, err)
		}
		if _, err := HTTPClientFor(nil, s); !IsTLSSettingsError(err) {
			t.Errorf("HTTPClientFor(nil, %+v) = %v, want a TLSSettingsError", s, err)
		}
	}
}

// Every client gets the same HTTP client: proxies from the environment, bounded connecting and
// waiting for headers, TLS 1.2 at least, redirects refused; a test's own client is kept.
func TestHTTPClientOptions(t *testing.T) {
	hc, err := HTTPClientFor(nil, TLSSettings{Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := hc.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil || tr.ResponseHeaderTimeout != 60*time.Second || tr.TLSClientConfig == nil ||
		tr.TLSClientConfig.MinVersion < tls.VersionTLS12 || !tr.TLSClientConfig.InsecureSkipVerify || hc.Timeout != 0 {
		t.Errorf("HTTP client = %+v, transport %+v", hc, tr)
	}
	if hc.CheckRedirect == nil || !errors.Is(hc.CheckRedirect(nil, nil), http.ErrUseLastResponse) {
		t.Error("the HTTP client may follow redirects")
	}
	own := &http.Client{}
	if got, err := HTTPClientFor(own, TLSSettings{CAFile: "/nonexistent"}); got != own || err != nil {
		t.Errorf("HTTPClientFor(own) = %v, %v; want the given client", got, err)
	}
}

func TestUnresolvableHostFailsAtOnce(t *testing.T) {
	c := New(Options{Subsystem: "test", Retry: RetryPolicy{MaxAttempts: 10, BaseDelay: time.Second, MaxDelay: time.Second}, EndpointSetting: "endpoint (T_ENDPOINT)"})
	start := time.Now()
	_, err := c.Do(context.Background(), call("http://no-such-host.invalid", true))
	if !IsEndpointError(err) || !strings.Contains(err.Error(), "endpoint (T_ENDPOINT)") {
		t.Fatalf("Do = %v; want an endpoint error", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %s; an unresolvable host must not be retried", time.Since(start))
	}
}

func TestCheckPlaintext(t *testing.T) {
	for raw, wantErr := range map[string]bool{
		"http://127.0.0.1:8080": false, "http://localhost": false, "http://[::1]:1": false, "https://api.example.com": false,
		"http://api.example.com": true, "http://10.0.0.1": true,
	} {
		u, _ := url.Parse(raw)
		err := CheckPlaintext(u, false, "the secret key", "allow_plaintext_http")
		if (err != nil) != wantErr {
			t.Errorf("CheckPlaintext(%s) = %v, want error %v", raw, err, wantErr)
		}
		if err != nil && (!strings.Contains(err.Error(), "the secret key") || !strings.Contains(err.Error(), "allow_plaintext_http")) {
			t.Errorf("CheckPlaintext(%s) = %v; want the secrets and the setting named", raw, err)
		}
		if CheckPlaintext(u, true, "x", "y") != nil {
			t.Errorf("CheckPlaintext(%s) refused although allowed", raw)
		}
	}
}

func TestBadAnswerMasksSecretsAndTruncates(t *testing.T) {
	c := New(Options{Subsystem: "test", Service: "T", Secrets: []string{"s3cr3t"},
		RequestID: func(r *Response) string { return r.Header.Get("X-Request-Id") }})
	body := `{"token":"s3cr3t","pad":"` + strings.Repeat("x", 500) + `"}`
	e := c.BadAnswer("GetThing", &Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"r-9"}}, Body: []byte(body)}, "the answer lacks the project")
	msg := e.Error()
	if strings.Contains(msg, "s3cr3t") || !strings.Contains(msg, "r-9") || !strings.Contains(msg, "lacks the project") || len(e.Excerpt) > excerptBytes+3 {
		t.Errorf("BadAnswer = %q", msg)
	}
	if !IsBadAnswer(error(e)) || !MayHaveActed(error(e)) {
		t.Error("a bad answer must be classified as such, and may have acted")
	}
}

func TestInterruptIsNotATimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // net/http notices the client leaving only once the body is read
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	c := New(Options{Subsystem: "test", Retry: fastRetry})
	ctx, cancel := WithTimeout(context.Background(), time.Minute)
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := c.Do(ctx, call(srv.URL, false))
	if !IsInterrupted(err) || IsTimeout(err) || !MayHaveActed(err) || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("Do = %v; want an interrupt that may have acted", err)
	}
}

func TestShortDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{5 * time.Minute: "5m", 90 * time.Second: "1m30s", time.Hour: "1h", 150 * time.Millisecond: "150ms"} {
		if got := ShortDuration(d); got != want {
			t.Errorf("ShortDuration(%s) = %s, want %s", d, got, want)
		}
	}
}

func TestForeignAnswer(t *testing.T) {
	resp := &Response{StatusCode: http.StatusNotFound, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte("<html>")}
	api := &APIError{Service: "T", Operation: "Get", StatusCode: http.StatusNotFound, Message: "not found"}
	err := fmt.Errorf("reading: %w", ForeignAnswer("https://api.example.com", resp, api))
	f, ok := AsForeignAnswer(err)
	if !ok || !IsForeignAnswer(err) || f.Summary() != "HTTP 404 (text/html)" || f.URL != "https://api.example.com" || f.Error() != api.Error() {
		t.Fatalf("AsForeignAnswer(%v) = %+v, %v", err, f, ok)
	}
	if got, ok := AsAPIError(err); !ok || got != api {
		t.Errorf("the wrapped APIError is not found: %v", got)
	}
	if f := ForeignAnswer("u", &Response{StatusCode: 200, Header: http.Header{}}, nil); f.Summary() != "HTTP 200 (no content type)" {
		t.Errorf("Summary without a content type = %q", f.Summary())
	}
	if IsForeignAnswer(api) || IsRedirect(api) {
		t.Error("an API error is neither a foreign answer nor a redirect")
	}
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		body string
		n    int
		want string
	}{{"  short \n", 5, "short"}, {"abcdef", 3, "abc..."}, {"ab€", 3, "ab..."}} {
		if got := Excerpt(tc.body, tc.n); got != tc.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", tc.body, tc.n, got, tc.want)
		}
	}
}
