package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

const testID, testKey = "AKIDmockTEST", "mock-test-secret"

func newServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	m := New()
	m.AddKey(testID, testKey, "")
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	return m, srv
}

// errorCode posts body as action with the given headers and returns the error code answered.
func errorCode(t *testing.T, srv *httptest.Server, headers map[string]string, body string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var env struct {
		Response struct {
			Error     *struct{ Code string }
			RequestID string `json:"RequestId"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	if env.Response.RequestID == "" {
		t.Error("the answer has no RequestId")
	}
	if env.Response.Error == nil {
		return ""
	}
	return env.Response.Error.Code
}

// signedHeaders returns the headers of a request signed with secretKey at ts.
func signedHeaders(srv *httptest.Server, action, body, secretKey string, ts time.Time) map[string]string {
	u, _ := url.Parse(srv.URL)
	in := client.SigningInput{
		Method: "POST", Path: "/", Payload: []byte(body), Service: "trro", Timestamp: ts.Unix(),
		Headers:       map[string]string{"content-type": "application/json", "host": u.Host},
		SignedHeaders: []string{"content-type", "host"},
	}
	return map[string]string{
		"Content-Type":   "application/json",
		"X-TC-Action":    action,
		"X-TC-Version":   client.Version,
		"X-TC-Region":    "ap-guangzhou",
		"X-TC-Timestamp": strconv.FormatInt(ts.Unix(), 10),
		"Authorization":  in.Authorization(testID, secretKey),
	}
}

func TestMockRejectsBadRequests(t *testing.T) {
	m, srv := newServer(t)
	body := `{"ProjectName":"p"}`
	good := signedHeaders(srv, "CreateProject", body, testKey, time.Now())
	with := func(k, v string) map[string]string {
		h := map[string]string{}
		for a, b := range good {
			h[a] = b
		}
		h[k] = v
		return h
	}
	for name, tc := range map[string]struct {
		headers map[string]string
		body    string
		want    string
	}{
		"unsigned":         {with("Authorization", ""), body, "AuthFailure.InvalidAuthorization"},
		"wrong secret key": {signedHeaders(srv, "CreateProject", body, "another-key", time.Now()), body, "AuthFailure.SignatureFailure"},
		"tampered body":    {good, `{"ProjectName":"q"}`, "AuthFailure.SignatureFailure"},
		"unknown secret id": {with("Authorization", strings.Replace(good["Authorization"], testID, "AKIDnobody", 1)), body,
			"AuthFailure.SecretIdNotFound"},
		"stale timestamp": {signedHeaders(srv, "CreateProject", body, testKey, time.Now().Add(-6*time.Minute)), body, "AuthFailure.SignatureExpire"},
		"wrong version":   {with("X-TC-Version", "2020-01-01"), body, "NoSuchVersion"},
		"region typo":     {with("X-TC-Region", "ap-guangzho"), body, "UnsupportedRegion"},
		"no region":       {with("X-TC-Region", ""), body, "MissingParameter"},
		"unknown action":  {signedHeaders(srv, "DropDatabase", body, testKey, time.Now()), body, "InvalidAction"},
		"name too long":   {signedHeaders(srv, "CreateProject", `{"ProjectName":"`+strings.Repeat("n", 25)+`"}`, testKey, time.Now()), `{"ProjectName":"` + strings.Repeat("n", 25) + `"}`, "InvalidParameterValue"},
		"bad policy mode": {signedHeaders(srv, "CreateProject", `{"ProjectName":"p","PolicyMode":"grey"}`, testKey, time.Now()), `{"ProjectName":"p","PolicyMode":"grey"}`, "InvalidParameterValue"},
		"unknown parameter": {signedHeaders(srv, "CreateProject", `{"ProjectName":"p","Colour":"red"}`, testKey, time.Now()), `{"ProjectName":"p","Colour":"red"}`,
			"UnknownParameter"},
		"missing project": {signedHeaders(srv, "DescribeProjectInfo", `{"ProjectId":"aaaaaaaaaaaaaaaa"}`, testKey, time.Now()), `{"ProjectId":"aaaaaaaaaaaaaaaa"}`, "ResourceNotFound"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := errorCode(t, srv, tc.headers, tc.body); got != tc.want {
				t.Errorf("error code = %q, want %q", got, tc.want)
			}
		})
	}
	if n := len(m.Projects()); n != 0 {
		t.Errorf("rejected requests created %d projects", n)
	}
	if got := errorCode(t, srv, good, body); got != "" {
		t.Errorf("a well-signed request failed with %s", got)
	}
}

// Tencent Cloud's own SDK signs requests that the mock accepts: the mock's verifier agrees
// with the official implementation, not only with ours.
func TestMockAcceptsTheOfficialSDKSignature(t *testing.T) {
	m, srv := newServer(t)
	u, _ := url.Parse(srv.URL)
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = u.Host
	cpf.HttpProfile.Scheme = "HTTP"
	sdk := common.NewCommonClient(common.NewCredential(testID, testKey), "ap-guangzhou", cpf)
	req := tchttp.NewCommonRequest("trro", client.Version, "CreateProject")
	if err := req.SetActionParameters(map[string]any{"ProjectName": "from-sdk", "PolicyMode": "white"}); err != nil {
		t.Fatal(err)
	}
	resp := tchttp.NewCommonResponse()
	if err := sdk.Send(req, resp); err != nil {
		t.Fatalf("the SDK's request was refused: %v", err)
	}
	if !bytes.Contains(resp.GetBody(), []byte(`"ProjectId"`)) {
		t.Fatalf("unexpected answer %s", resp.GetBody())
	}
	if ps := m.Projects(); len(ps) != 1 || ps[0].Name != "from-sdk" || ps[0].PolicyMode != "white" {
		t.Errorf("projects = %+v", ps)
	}

	bad := common.NewCommonClient(common.NewCredential(testID, "not-the-key"), "ap-guangzhou", cpf)
	if err := bad.Send(req, tchttp.NewCommonResponse()); err == nil || !strings.Contains(err.Error(), "AuthFailure.SignatureFailure") {
		t.Errorf("a wrong key signed by the SDK gave %v", err)
	}
}

func TestMockRateLimitPerAction(t *testing.T) {
	m, srv := newServer(t)
	throttled := 0
	for range 25 {
		body := `{"ProjectId":"aaaaaaaaaaaaaaaa"}`
		if errorCode(t, srv, signedHeaders(srv, "DescribeProjectInfo", body, testKey, time.Now()), body) == "RequestLimitExceeded" {
			throttled++
		}
	}
	if throttled != 5 {
		t.Errorf("25 requests in well under a second: %d throttled, want 5", throttled)
	}
	// Another action has its own budget.
	body := `{"ProjectName":"p"}`
	if got := errorCode(t, srv, signedHeaders(srv, "CreateProject", body, testKey, time.Now()), body); got != "" {
		t.Errorf("CreateProject was refused with %s after DescribeProjectInfo used its budget", got)
	}
	if st := m.OperationStats("DescribeProjectInfo"); st.Requests != 25 || st.Throttled != 5 {
		t.Errorf("stats = %+v", st)
	}
}
