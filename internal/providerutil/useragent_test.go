package providerutil_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// The version a release stamps into the binary (-X main.version) reaches every request as
// terraform-provider-<type>/<version>.
func TestUserAgentIsSentWithEveryRequest(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("User-Agent")
	}))
	defer srv.Close()

	c := transport.New(transport.Options{Subsystem: "test", UserAgent: providerutil.UserAgent("trro", "1.2.3")})
	_, err := c.Do(context.Background(), transport.Call{
		Operation:  "Test",
		Idempotent: true,
		NewRequest: func(ctx context.Context) (*http.Request, error) {
			return transport.NewRequest(ctx, http.MethodPost, srv.URL, []byte("{}"))
		},
		Check: func(*transport.Response) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if ua := <-got; ua != "terraform-provider-trro/1.2.3" {
		t.Errorf("User-Agent = %q, want terraform-provider-trro/1.2.3", ua)
	}
}
