package mockserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

type testResponder struct{}

func (testResponder) WriteThrottled(w http.ResponseWriter, _ *http.Request) {
	w.WriteHeader(http.StatusTooManyRequests)
}

func (testResponder) WriteServerError(w http.ResponseWriter, _ *http.Request, status int) {
	w.WriteHeader(status)
}

// A held answer comes after the server acted, once Delay passed; a client that hangs up
// first gets none, but the server acted all the same.
func TestHold(t *testing.T) {
	var b Base
	var acted atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.Serve(w, r, "Create", testResponder{}, func(w http.ResponseWriter, _ *http.Request) {
			acted.Add(1)
			w.Header().Set("X-Acted", "yes")
			_, _ = io.WriteString(w, `{"id":"p1"}`)
		})
	}))
	t.Cleanup(srv.Close)

	b.Inject("Create", Fault{Kind: Hold, Delay: 200 * time.Millisecond})
	start := time.Now()
	resp, err := http.Post(srv.URL, "application/json", nil) //nolint:noctx // a test request
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if took := time.Since(start); took < 200*time.Millisecond || string(body) != `{"id":"p1"}` || resp.Header.Get("X-Acted") != "yes" || acted.Load() != 1 {
		t.Errorf("a held answer came after %s: %s %q (acted %d times)", took, resp.Status, body, acted.Load())
	}

	b.Inject("Create", Fault{Kind: Hold, Delay: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, nil)
	if resp, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		if resp != nil {
			_ = resp.Body.Close()
		}
		t.Errorf("a client that gave up got %v", err)
	}
	if acted.Load() != 2 || b.Requests("Create") != 2 {
		t.Errorf("the server acted %d times on %d requests, want 2 and 2", acted.Load(), b.Requests("Create"))
	}
}
