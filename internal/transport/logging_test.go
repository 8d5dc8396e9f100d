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
