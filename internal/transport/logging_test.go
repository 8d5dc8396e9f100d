package transport

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// API log lines carry Terraform's request fields and the resource's own, show the query, and
// at TRACE the bodies with every secret masked.
func TestLogLinesCarryRootFieldsAndMaskedBodies(t *testing.T) {
	srv, _ := serverAnswering(t)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	ctx = tflog.SetField(ctx, "tf_req_id", "req-42")
	ctx = LogFields(ctx, map[string]any{"project_name": "payments", "project_id": ""})
	c := New(Options{Subsystem: "test", Retry: fastRetry, Secrets: []string{"hunter2"}, SensitiveHeaders: []string{"X-Token"}})
	cl := call(srv.URL+"/v3/projects?name=payments", true)
	cl.NewRequest = func(ctx context.Context) (*http.Request, error) {
		req, err := NewRequest(ctx, http.MethodPost, srv.URL+"/v3/projects?name=payments", []byte(`{"password":"hunter2"}`))
		if err == nil {
			req.Header.Set("X-Token", "tok-1")
		}
		return req, err
	}
	if _, err := c.Do(ctx, cl); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`"tf_req_id":"req-42"`, `"project_name":"payments"`, `/v3/projects?name=payments`, `"body":"{\"password\":\"***\"}"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, `"project_id"`) {
		t.Error("an empty field was logged")
	}
	for _, secret := range []string{"hunter2", "tok-1"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains the secret %q:\n%s", secret, out)
		}
	}
}

// Without a logger that keeps debug lines, no log field is made: the request id, which the
// clouds' clients parse out of the whole answer, is not looked for.
func TestLogFieldsAreMadeOnlyWhenDebugLinesAreKept(t *testing.T) {
	srv, _ := serverAnswering(t)
	for _, tc := range []struct {
		name   string
		ctx    func(*bytes.Buffer) context.Context
		wantID bool
	}{
		{"no logger", func(*bytes.Buffer) context.Context { return context.Background() }, false},
		{"a logger at TRACE", func(b *bytes.Buffer) context.Context { return tflogtest.RootLogger(context.Background(), b) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			looked := 0
			c := New(Options{Subsystem: "test", Retry: fastRetry, RequestID: func(*Response) string { looked++; return "rid-7" }})
			if _, err := c.Do(tc.ctx(&buf), call(srv.URL+"/v3/projects", true)); err != nil {
				t.Fatal(err)
			}
			if got := looked > 0; got != tc.wantID {
				t.Errorf("request id looked up %d times, want it looked up: %v", looked, tc.wantID)
			}
			if got := strings.Contains(buf.String(), `"request_id":"rid-7"`); got != tc.wantID {
				t.Errorf("request id logged: %v, want %v:\n%s", got, tc.wantID, buf.String())
			}
		})
	}
}
