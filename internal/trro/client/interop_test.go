package client_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/officialsdk"
)

// recorder is an http.RoundTripper that keeps every request and answers with a canned body:
// the official SDK and our client are compared on the wire without any network.
type recorder struct {
	mu     sync.Mutex
	sent   []recorded
	answer string
	// byAction, when it names the request's X-TC-Action, answers instead of answer.
	byAction map[string]string
}

type recorded struct {
	req  *http.Request
	body []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.mu.Lock()
	r.sent = append(r.sent, recorded{req, body})
	answer := r.answer
	if a, ok := r.byAction[req.Header.Get("X-TC-Action")]; ok {
		answer = a
	}
	r.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(answer)), Request: req}, nil
}

func (r *recorder) last(t *testing.T) recorded {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.sent) == 0 {
		t.Fatal("nothing was sent")
	}
	return r.sent[len(r.sent)-1]
}

func hostOf(r *http.Request) string { return cmp.Or(r.Host, r.URL.Host) }

func ptr[T any](v T) *T { return &v }

// TestWireMatchesTheOfficialSDK sends each action the provider uses through Tencent Cloud's
// official common client (tencentcloud-sdk-go/tencentcloud/common v1.3.210, sendWithSignatureV3,
// with the trro v20220325 request models of internal/trro/officialsdk) and through our client at
// the same second, and compares the two requests: our signer must reproduce the SDK's
// Authorization from the SDK's own request, and our request must carry the same method, path,
// host (as configured, case kept), content type, X-TC-* headers, token and body.
func TestWireMatchesTheOfficialSDK(t *testing.T) {
	const secretID, secretKey = "AKIDinteropTEST", "interop/secret+key="
	type action struct {
		name   string
		sdkReq func() tchttp.Request
		sdkRsp func() tchttp.Response
		ours   func(*client.Client) error
		answer string
	}
	weird := "名字 \"q\" <&> \\ é\t😀"
	actions := []action{
		{"CreateProject", func() tchttp.Request {
			r := officialsdk.NewCreateProjectRequest()
			r.ProjectName, r.ProjectDescription, r.PolicyMode = ptr(weird), ptr("line1\nline2 %20 +/="), ptr("white")
			return r
		}, func() tchttp.Response { return officialsdk.NewCreateProjectResponse() }, func(c *client.Client) error {
			_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: weird, Description: "line1\nline2 %20 +/=", PolicyMode: "white"})
			return err
		}, `{"Response":{"ProjectId":"abcdef0123456789","RequestId":"r-1"}}`},
		{"CreateProject", func() tchttp.Request {
			// Only the name: the SDK leaves nil fields out, and so must we.
			r := officialsdk.NewCreateProjectRequest()
			r.ProjectName = ptr("p")
			return r
		}, func() tchttp.Response { return officialsdk.NewCreateProjectResponse() }, func(c *client.Client) error {
			_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "p"})
			return err
		}, `{"Response":{"ProjectId":"abcdef0123456789","RequestId":"r-1"}}`},
		{"DescribeProjectInfo", func() tchttp.Request {
			r := officialsdk.NewDescribeProjectInfoRequest()
			r.ProjectId = ptr("abcdef0123456789")
			return r
		}, func() tchttp.Response { return officialsdk.NewDescribeProjectInfoResponse() }, func(c *client.Client) error {
			_, err := c.DescribeProject(context.Background(), "abcdef0123456789")
			return err
		}, `{"Response":{"ProjectName":"p","ProjectDescription":"","PolicyMode":"black","ModifyTime":"2026-01-02 03:04:05","RequestId":"r-2"}}`},
		{"ModifyProject", func() tchttp.Request {
			r := officialsdk.NewModifyProjectRequest()
			r.ProjectId, r.ProjectDescription = ptr("abcdef0123456789"), ptr("")
			return r
		}, func() tchttp.Response { return officialsdk.NewModifyProjectResponse() }, func(c *client.Client) error {
			return c.ModifyProject(context.Background(), client.ModifyProjectInput{ID: "abcdef0123456789", Description: ptr("")})
		}, `{"Response":{"RequestId":"r-3"}}`},
		{"ModifyProject", func() tchttp.Request {
			r := officialsdk.NewModifyProjectRequest()
			r.ProjectId, r.ProjectName, r.ProjectDescription, r.PolicyMode = ptr("abcdef0123456789"), ptr(weird), ptr("d"), ptr("black")
			return r
		}, func() tchttp.Response { return officialsdk.NewModifyProjectResponse() }, func(c *client.Client) error {
			return c.ModifyProject(context.Background(), client.ModifyProjectInput{ID: "abcdef0123456789", Name: ptr(weird), Description: ptr("d"), PolicyMode: ptr("black")})
		}, `{"Response":{"RequestId":"r-3"}}`},
		{"DeleteProject", func() tchttp.Request {
			r := officialsdk.NewDeleteProjectRequest()
			r.ProjectId = ptr("abcdef0123456789")
			return r
		}, func() tchttp.Response { return officialsdk.NewDeleteProjectResponse() }, func(c *client.Client) error {
			return c.DeleteProject(context.Background(), "abcdef0123456789")
		}, `{"Response":{"RequestId":"r-4"}}`},
		{"DescribeProjectList", func() tchttp.Request {
			r := officialsdk.NewDescribeProjectListRequest()
			r.PageSize, r.PageNumber = ptr(int64(1)), ptr(int64(1))
			return r
		}, func() tchttp.Response { return officialsdk.NewDescribeProjectListResponse() }, func(c *client.Client) error {
			return c.ValidateCredentials(context.Background())
		}, `{"Response":{"Projects":[],"Total":0,"Num":0,"RequestId":"r-5"}}`},
	}
	for _, host := range []string{"trro.tencentcloudapi.com", "TRRO.TencentCloudAPI.com", "trro.ap-guangzhou.tencentcloudapi.com:8443"} {
		for _, token := range []string{"", "session/token+with=special chars"} {
			for _, a := range actions {
				t.Run(host+"/token="+strconv.FormatBool(token != "")+"/"+a.name, func(t *testing.T) {
					sdkWire := &recorder{answer: a.answer}
					cpf := profile.NewClientProfile()
					cpf.HttpProfile.Endpoint = host
					cred := common.NewCredential(secretID, secretKey)
					if token != "" {
						cred = common.NewTokenCredential(secretID, secretKey, token)
					}
					sdk := common.NewCommonClient(cred, "ap-guangzhou", cpf).WithHttpTransport(sdkWire)
					if err := sdk.Send(a.sdkReq(), a.sdkRsp()); err != nil {
						t.Fatalf("the SDK: %v", err)
					}
					theirs := sdkWire.last(t)
					ts, err := strconv.ParseInt(theirs.req.Header.Get("X-TC-Timestamp"), 10, 64)
					if err != nil {
						t.Fatal(err)
					}

					// Our signer, fed the SDK's own request, reaches the SDK's signature.
					in := client.SigningInput{
						Method: theirs.req.Method, Path: "/", Payload: theirs.body, Service: client.Service, Timestamp: ts,
						Headers:       map[string]string{"content-type": theirs.req.Header.Get("Content-Type"), "host": hostOf(theirs.req)},
						SignedHeaders: []string{"content-type", "host"},
					}
					if got, want := in.Authorization(secretID, secretKey), theirs.req.Header.Get("Authorization"); got != want {
						t.Errorf("our signer over the SDK's request:\n%s\nthe SDK:\n%s", got, want)
					}

					// Our client, at the same second, sends the same request.
					ourWire := &recorder{answer: a.answer}
					c, err := client.New(client.Config{SecretID: secretID, SecretKey: secretKey, SecurityToken: token,
						Endpoint: "https://" + host, Region: "ap-guangzhou", Retry: fastRetry,
						HTTPClient: &http.Client{Transport: ourWire}, Now: func() time.Time { return time.Unix(ts, 0) }})
					if err != nil {
						t.Fatal(err)
					}
					if err := a.ours(c); err != nil {
						t.Fatalf("our client: %v", err)
					}
					ours := ourWire.last(t)
					if ours.req.Method != theirs.req.Method || ours.req.URL.Path != theirs.req.URL.Path || ours.req.URL.RawQuery != theirs.req.URL.RawQuery {
						t.Errorf("request line: ours %s %s?%s, the SDK's %s %s?%s", ours.req.Method, ours.req.URL.Path, ours.req.URL.RawQuery,
							theirs.req.Method, theirs.req.URL.Path, theirs.req.URL.RawQuery)
					}
					if hostOf(ours.req) != host || hostOf(theirs.req) != host {
						t.Errorf("Host: ours %q, the SDK's %q, configured %q", hostOf(ours.req), hostOf(theirs.req), host)
					}
					wireHeaders := []string{"Content-Type", "X-TC-Action", "X-TC-Version", "X-TC-Region", "X-TC-Timestamp", "X-TC-Token", "Authorization"}
					if a.name == "DescribeProjectList" {
						wireHeaders = wireHeaders[:len(wireHeaders)-1] // see the body below
						in.Headers["content-type"], in.Headers["host"], in.Payload = ours.req.Header.Get("Content-Type"), hostOf(ours.req), ours.body
						if got, want := in.Authorization(secretID, secretKey), ours.req.Header.Get("Authorization"); got != want {
							t.Errorf("our Authorization %s, want %s", want, got)
						}
					}
					for _, h := range wireHeaders {
						if got, want := ours.req.Header.Values(h), theirs.req.Header.Values(h); !reflect.DeepEqual(got, want) {
							t.Errorf("%s: ours %q, the SDK's %q", h, got, want)
						}
					}
					// Every header we send the SDK sends too (it also sends X-TC-RequestClient, naming
					// itself, and an empty X-TC-Language; neither is signed).
					for h := range ours.req.Header {
						if _, ok := theirs.req.Header[h]; !ok && h != "User-Agent" {
							t.Errorf("we send %s, the SDK does not", h)
						}
					}
					if a.name == "DescribeProjectList" {
						// The one difference: we send {"PageNumber":..,"PageSize":..} (a map, sorted), the SDK
						// its struct's order. The same JSON object; each side's signature covers its own bytes.
						var o, s any
						if json.Unmarshal(ours.body, &o) != nil || json.Unmarshal(theirs.body, &s) != nil || !reflect.DeepEqual(o, s) {
							t.Errorf("body:\nours    %s\nthe SDK %s", ours.body, theirs.body)
						}
						return
					}
					if !bytes.Equal(ours.body, theirs.body) {
						t.Errorf("body:\nours    %s\nthe SDK %s", ours.body, theirs.body)
					}
				})
			}
		}
	}
}

// TestAnswersTheSDKModelsAcceptAreAccepted decodes answer shapes that the SDK's models accept
// (null and absent optional fields, fields the provider does not use, "Num" beside "Total") both
// into the SDK's models and with our client, which must agree with the SDK's reading.
func TestAnswersTheSDKModelsAcceptAreAccepted(t *testing.T) {
	for name, answer := range map[string]string{
		"every field":              `{"Response":{"ProjectName":"p","ProjectDescription":"d","PolicyMode":"white","ModifyTime":"2026-01-02 03:04:05","RequestId":"r"}}`,
		"null description":         `{"Response":{"ProjectName":"p","ProjectDescription":null,"PolicyMode":"white","ModifyTime":null,"RequestId":"r"}}`,
		"absent description":       `{"Response":{"ProjectName":"p","PolicyMode":"black","RequestId":"r"}}`,
		"undocumented extra field": `{"Response":{"ProjectName":"p","PolicyMode":"black","PublishUrl":"x","IsTencentUrl":1,"RequestId":"r"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			sdk := officialsdk.NewDescribeProjectInfoResponse()
			if err := json.Unmarshal([]byte(answer), sdk); err != nil {
				t.Fatalf("the SDK's model: %v", err)
			}
			wire := &recorder{answer: answer}
			c, err := client.New(client.Config{SecretID: "id", SecretKey: "key", Retry: fastRetry, HTTPClient: &http.Client{Transport: wire}})
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.DescribeProject(context.Background(), "abcdef0123456789")
			if err != nil {
				t.Fatalf("our client refused an answer the SDK reads: %v", err)
			}
			r := sdk.Response
			if p.Name != *r.ProjectName || p.PolicyMode != *r.PolicyMode ||
				p.Description != deref(r.ProjectDescription) || p.ModifyTime != deref(r.ModifyTime) {
				t.Errorf("ours %+v, the SDK's %+v", p, r)
			}
		})
	}
	for name, answer := range map[string]string{
		"projects with extra fields": `{"Response":{"Projects":[{"ProjectId":"abcdef0123456789","ProjectName":"p","ProjectDescription":null,"PolicyMode":"white","ModifyTime":"t","Unknown":true}],"Total":1,"Num":1,"RequestId":"r"}}`,
		"null projects, none":        `{"Response":{"Projects":null,"Total":0,"Num":0,"RequestId":"r"}}`,
		"absent projects, none":      `{"Response":{"Total":0,"RequestId":"r"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			sdk := officialsdk.NewDescribeProjectListResponse()
			if err := json.Unmarshal([]byte(answer), sdk); err != nil {
				t.Fatalf("the SDK's model: %v", err)
			}
			// A listed project without a ProjectDescription (null) is read by id, as the SDK's
			// DescribeProjectInfo would answer it: its description is "".
			wire := &recorder{answer: answer, byAction: map[string]string{
				"DescribeProjectInfo": `{"Response":{"ProjectName":"p","ProjectDescription":null,"PolicyMode":"white","ModifyTime":"t","RequestId":"r2"}}`,
			}}
			c, err := client.New(client.Config{SecretID: "id", SecretKey: "key", Retry: fastRetry, HTTPClient: &http.Client{Transport: wire}})
			if err != nil {
				t.Fatal(err)
			}
			ps, err := c.ListProjects(context.Background())
			if err != nil {
				t.Fatalf("our client refused an answer the SDK reads: %v", err)
			}
			if len(ps) != len(sdk.Response.Projects) {
				t.Fatalf("ours %d projects, the SDK's %d", len(ps), len(sdk.Response.Projects))
			}
			for i, p := range ps {
				s := sdk.Response.Projects[i]
				if p.ID != *s.ProjectId || p.Name != *s.ProjectName || p.Description != deref(s.ProjectDescription) || p.PolicyMode != *s.PolicyMode {
					t.Errorf("ours %+v, the SDK's %+v", p, s)
				}
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
