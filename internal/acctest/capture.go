package acctest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// CaptureServer stands for another host, such as the target of a redirect: it records
// whatever reaches it, so a test can prove that nothing (no signed header, no token, no body)
// did.
type CaptureServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []string
}

// NewCaptureServer serves on loopback for the rest of the test.
func NewCaptureServer(t *testing.T) *CaptureServer {
	t.Helper()
	c := &CaptureServer{}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body bytes.Buffer
		_, _ = body.ReadFrom(r.Body)
		c.mu.Lock()
		c.requests = append(c.requests, fmt.Sprintf("%s %s %v %s", r.Method, r.URL, r.Header, body.String()))
		c.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(c.Close)
	return c
}

// Received returns the requests that reached the server (method, URL, headers and body).
func (c *CaptureServer) Received() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.requests...)
}

// CheckNothingReceived fails the test if any request reached the server.
func (c *CaptureServer) CheckNothingReceived(t *testing.T) {
	t.Helper()
	if got := c.Received(); len(got) != 0 {
		t.Errorf("the other host received %d request(s): %q", len(got), got)
	}
}
