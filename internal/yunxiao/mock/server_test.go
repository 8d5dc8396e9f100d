package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

const (
	keyID  = "LTAI5tMockKey"
	secret = "mock-secret"
	org    = "5ebbc0228123212b59aaaaaa"
	tmpl   = "704ea00000005efede61aaa5"
)

// signedRequest builds a request for srv signed as the client would, then lets tamper change it
// after signing.
func signedRequest(t *testing.T, srv *httptest.Server, action, method, path string, query url.Values, body []byte, nonce string, tamper func(*http.Request)) *http.Response {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	u.Path, u.RawPath, u.RawQuery = path, path, query.Encode()
	req, err := http.NewRequest(method, u.String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	headers := map[string]string{
		"host":                  u.Host,
		"x-acs-action":          action,
		"x-acs-version":         client.Version,
		"x-acs-date":            time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": nonce,
		"x-acs-content-sha256":  client.HashPayload(body),
		"content-type":          "application/json",
	}
	for k, v := range headers {
		if k != "host" {
			req.Header.Set(k, v)
		}
	}
	in := client.SigningInput{Method: method, Path: path, Query: query, Headers: headers, Payload: body}
	req.Header.Set("Authorization", in.Authorization(keyID, secret))
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func decodeBody(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGatewayRejectsTamperedRequests(t *testing.T) {
	m := New()
	m.AddOrganization(org, tmpl)
	m.AddKey(keyID, secret, "", org)
	srv := httptest.NewServer(m)
	defer srv.Close()
	body := []byte(`{"templateIdentifier":"` + tmpl + `","name":"n","scope":"public","customCode":"ABCD"}`)
	path := "/organization/" + org + "/projects/createProject"

	for name, tc := range map[string]struct {
		tamper     func(*http.Request)
		status     int
		code       string
		popMessage bool
	}{
		"untouched": {nil, 200, "", false},
		"body changed after signing": {func(r *http.Request) {
			b := bytes.Replace(body, []byte("ABCD"), []byte("WXYZ"), 1)
			r.Body, r.ContentLength = ioNopCloser(b), int64(len(b))
		}, 400, "IncompleteSignature", true},
		"body and its hash changed": {func(r *http.Request) {
			b := bytes.Replace(body, []byte("ABCD"), []byte("WXYZ"), 1)
			r.Body, r.ContentLength = ioNopCloser(b), int64(len(b))
			r.Header.Set("x-acs-content-sha256", client.HashPayload(b))
		}, 400, "SignatureDoesNotMatch", true},
		"path changed": {func(r *http.Request) {
			r.URL.Path = "/organization/other/projects/createProject"
			r.URL.RawPath = ""
		}, 400, "SignatureDoesNotMatch", true},
		"unsigned x-acs header added": {func(r *http.Request) { r.Header.Set("x-acs-extra", "1") }, 400, "IncompleteSignature", true},
		"no Authorization":            {func(r *http.Request) { r.Header.Del("Authorization") }, 400, "IncompleteSignature", true},
		"wrong action header": {func(r *http.Request) {
			// Re-signing is not possible here, so the gateway refuses the signature first.
			r.Header.Set("x-acs-action", "DeleteProject")
		}, 400, "SignatureDoesNotMatch", true},
	} {
		t.Run(name, func(t *testing.T) {
			resp := signedRequest(t, srv, "CreateProject", http.MethodPost, path, nil, body, "nonce-"+strings.ReplaceAll(name, " ", "-"), tc.tamper)
			out := decodeBody(t, resp)
			if resp.StatusCode != tc.status {
				t.Fatalf("HTTP %d, want %d: %v", resp.StatusCode, tc.status, out)
			}
			if tc.popMessage {
				if out["Code"] != tc.code || out["RequestId"] == "" || out["Message"] == "" {
					t.Fatalf("want the POP envelope with %s, got %v", tc.code, out)
				}
			} else if out["success"] != true || out["requestId"] == "" {
				t.Fatalf("want success, got %v", out)
			}
		})
	}
	if n := len(m.Projects(org)); n != 1 {
		t.Fatalf("%d projects, want only the untouched request's", n)
	}
}

func TestYunxiaoErrorEnvelopes(t *testing.T) {
	m := New()
	m.AddOrganization(org, tmpl)
	m.AddOrganization("forbidden", tmpl)
	m.AddKey(keyID, secret, "", org)
	srv := httptest.NewServer(m)
	defer srv.Close()

	// createProject's page names the message errorMsg.
	resp := signedRequest(t, srv, "CreateProject", http.MethodPost, "/organization/"+org+"/projects/createProject", nil,
		[]byte(`{"templateIdentifier":"`+tmpl+`","name":"n","scope":"public","customCode":"abc"}`), "n1", nil)
	out := decodeBody(t, resp)
	msg, _ := out["errorMsg"].(string)
	if resp.StatusCode != 400 || out["errorCode"] != "Openapi.RequestError" || out["success"] != false ||
		!strings.Contains(msg, "4 to 6 upper-case letters") {
		t.Fatalf("bad customCode: HTTP %d %v", resp.StatusCode, out)
	}

	resp = signedRequest(t, srv, "GetProjectInfo", http.MethodGet, "/organization/forbidden/project/x", nil, nil, "n2", nil)
	out = decodeBody(t, resp)
	if resp.StatusCode != 403 || out["errorCode"] != "Operate.NoPermission" || out["errorMessage"] != "NoPermission" {
		t.Fatalf("forbidden organization: HTTP %d %v", resp.StatusCode, out)
	}

	resp = signedRequest(t, srv, "GetProjectInfo", http.MethodGet, "/organization/"+org+"/project/missing", nil, nil, "n3", nil)
	out = decodeBody(t, resp)
	if resp.StatusCode != 404 || out["errorCode"] != "Openapi.RequestError" {
		t.Fatalf("missing project: HTTP %d %v", resp.StatusCode, out)
	}

	resp = signedRequest(t, srv, "ListProjects", http.MethodGet, "/organization/"+org+"/listProjects",
		url.Values{"category": {"Project"}, "maxResults": {"201"}}, nil, "n4", nil)
	if out = decodeBody(t, resp); resp.StatusCode != 400 {
		t.Fatalf("maxResults 201: HTTP %d %v", resp.StatusCode, out)
	}
}

func ioNopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }
