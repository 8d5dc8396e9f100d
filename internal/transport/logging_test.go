package transport

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// Functions given to WithBeforeSend on one context all run, the outer one first.
func TestWithBeforeSendChains(t *testing.T) {
	srv, _ := serverAnswering(t)
	var order []string
	ctx := WithBeforeSend(context.Background(), func() { order = append(order, "outer") })
	ctx = WithBeforeSend(ctx, func() { order = append(order, "inner") })
	if _, err := New(Options{Subsystem: "test", Retry: fastRetry}).Do(ctx, call(srv.URL, true)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "outer,inner" {
		t.Errorf("before send ran %v, want outer then inner", order)
	}
}

// WithRoundTrip's functions run after every attempt, the outer one first, with the time the
// request took to be answered: a retried call reports each attempt, a slow server its delay.
func TestWithRoundTripReportsEveryAttempt(t *testing.T) {
	const delay = 30 * time.Millisecond
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		if n.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(srv.Close)
	var order []string
	var trips []time.Duration
	ctx := WithRoundTrip(context.Background(), func(time.Duration) { order = append(order, "outer") })
	ctx = WithRoundTrip(ctx, func(d time.Duration) { order = append(order, "inner"); trips = append(trips, d) })
	if _, err := New(Options{Subsystem: "test", Retry: fastRetry}).Do(ctx, call(srv.URL, true)); err != nil {
		t.Fatal(err)
	}
	if strings.Join(order, ",") != "outer,inner,outer,inner" {
		t.Errorf("round trip functions ran %v, want outer then inner for each of two attempts", order)
	}
	for i, d := range trips {
		if d < delay {
			t.Errorf("attempt %d reported %s, less than the server's delay of %s", i+1, d, delay)
		}
	}
}
