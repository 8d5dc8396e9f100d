package client_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/openapi-util/service"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/officialsdk"
)

// TestSignerMatchesOpenAPIUtil compares our ACS3 signer with the official signing code,
// github.com/alibabacloud-go/openapi-util v0.1.1 service.GetAuthorization, over paths built from
// path parameters as the devops SDK builds them (openapiutil.GetEncodeParam, "/" inside one
// included), queries with special characters and empty values, upper-case hosts, tokens and
// empty or JSON bodies.
func TestSignerMatchesOpenAPIUtil(t *testing.T) {
	const id, secret = "LTAIinterop", "interop/secret+="
	params := []string{"5ebbc0228123212b59aaaaaa", "org/with/slash", "a b+c*d~e%f=g&h", "名字-é", "", "~*'()!"}
	queries := []map[string]string{
		nil,
		{"identifier": "abc"},
		{"category": "Project", "maxResults": "200", "nextToken": "a b/c+d*e~f=g&h%中"},
		{"nextToken": "", "category": "Project"},
		{"conditions": `{"conditionGroups":[[{"className":"string","fieldIdentifier":"name","value":["x y"]}]]}`},
	}
	hosts := []string{"devops.cn-hangzhou.aliyuncs.com", "DevOps.CN-Hangzhou.Aliyuncs.COM", "127.0.0.1:8443"}
	bodies := []string{"", `{"name":"名字 <&>","scope":"private"}`}
	tokens := []string{"", "sts/token+=="}
	n := 0
	for _, p := range params {
		if got, want := client.PathParam(p), tea.StringValue(openapiutil.GetEncodeParam(tea.String(p))); got != want {
			t.Errorf("PathParam(%q) = %q, the SDK's GetEncodeParam %q", p, got, want)
		}
		for qi, q := range queries {
			for _, host := range hosts {
				for _, body := range bodies {
					for _, token := range tokens {
						n++
						pathname := "/organization/" + client.PathParam(p) + "/project/" + client.PathParam(p+"x")
						headers := map[string]string{
							"host": host, "x-acs-version": "2021-06-25", "x-acs-action": "GetProjectInfo",
							"user-agent": "AlibabaCloud tea", "x-acs-date": "2026-12-05T10:00:00Z",
							"x-acs-signature-nonce": "nonce-1", "accept": "application/json",
							"x-acs-content-sha256": client.HashPayload([]byte(body)),
						}
						if body != "" {
							headers["content-type"] = "application/json; charset=utf-8"
						}
						if token != "" {
							headers["x-acs-accesskey-id"], headers["x-acs-security-token"] = id, token
						}
						req := tea.NewRequest()
						req.Method, req.Pathname = tea.String("POST"), tea.String(pathname)
						req.Headers, req.Query = stringMap(headers), stringMap(q)
						want := tea.StringValue(openapiutil.GetAuthorization(req, tea.String("ACS3-HMAC-SHA256"),
							tea.String(client.HashPayload([]byte(body))), tea.String(id), tea.String(secret)))

						values := url.Values{}
						for k, v := range q {
							values.Set(k, v)
						}
						in := client.SigningInput{Method: "POST", Path: pathname, Query: values, Headers: headers, Payload: []byte(body)}
						if got := in.Authorization(id, secret); got != want {
							t.Errorf("param %q, query %d, host %s, body %q, token %q:\nours    %s\nthe SDK %s", p, qi, host, body, token, got, want)
						}
					}
				}
			}
		}
	}
	if n != 360 {
		t.Errorf("%d cases, want 360", n)
	}
}

// sdkRecorder is a server that keeps each request as it arrived and answers from answers, in
// order; the official SDK reaches it as its HTTP proxy, so it keeps its configured Host.
type sdkRecorder struct {
	mu      sync.Mutex
	sent    []recordedRequest
	answers []string
}

type recordedRequest struct {
	method, path, query, host string
	header                    http.Header
	body                      []byte
}

func (s *sdkRecorder) record(r *http.Request, body []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, recordedRequest{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Host, r.Header.Clone(), body})
	answer := `{"success":true,"requestId":"R"}`
	if len(s.answers) > 0 {
		answer, s.answers = s.answers[0], s.answers[1:]
	}
	return answer
}

func (s *sdkRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	answer := s.record(r, body)
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	_, _ = io.WriteString(w, answer)
}

func (s *sdkRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	rr := r.Clone(r.Context())
	rr.Host = r.URL.Host
	answer := s.record(rr, body)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json;charset=utf-8"}},
		Body: io.NopCloser(strings.NewReader(answer)), Request: r}, nil
}

// sdkClient is darabonba-openapi's client, as the devops SDK configures it, sending through
// proxy to whatever host it is configured with.
func sdkClient(t *testing.T, host, id, secret, token string) *openapi.Client {
	t.Helper()
	cfg := &openapi.Config{AccessKeyId: tea.String(id), AccessKeySecret: tea.String(secret), Endpoint: tea.String(host), Protocol: tea.String("HTTP")}
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func sdkRuntime(proxy string) *util.RuntimeOptions {
	return &util.RuntimeOptions{HttpProxy: tea.String(proxy), ConnectTimeout: tea.Int(2000), ReadTimeout: tea.Int(5000)}
}

// TestWireMatchesTheOfficialSDK sends every call the provider makes through the official SDK
// (darabonba-openapi v2.0.10 CallApi with the devops SDK's Params, internal/yunxiao/officialsdk)
// and through our client with the same clock and nonce, and compares the two requests: method,
// encoded path (path parameters with "/" and other special characters), query, Host as
// configured, every signed header and Authorization; bodies are the same JSON object.
func TestWireMatchesTheOfficialSDK(t *testing.T) {
	const id, secret = "LTAIinterop", "interop/secret+="
	const projectAnswer = `{"success":true,"requestId":"R","project":{"identifier":"%s","name":"n","customCode":"CODE","scope":"private","description":"","logicalStatus":"NORMAL","creator":"u","gmtCreate":1700000000000,"gmtModified":1700000000000,"organizationIdentifier":"o"}}`
	type call struct {
		name    string
		sdk     officialsdk.Call
		ours    func(context.Context, *client.Client) error
		answers []string
	}
	for _, org := range []string{"5ebbc0228123212b59aaaaaa", "org/with slash+*~"} {
		pid := "9ad2d4a7d7d4e0bb0f0a7c2e11"
		weirdID := "id/with?#%"
		calls := []call{
			{"CreateProject", officialsdk.CreateProject(org, "名字 <&> \"q\"", "private", "CODE", "tmpl"), func(ctx context.Context, c *client.Client) error {
				_, err := c.CreateProject(ctx, org, client.CreateProjectInput{TemplateIdentifier: "tmpl", Name: "名字 <&> \"q\"", Scope: "private", CustomCode: "CODE"})
				return err
			}, []string{strings.Replace(projectAnswer, "%s", pid, 1)}},
			{"GetProjectInfo", officialsdk.GetProjectInfo(org, weirdID), func(ctx context.Context, c *client.Client) error {
				_, err := c.GetProject(ctx, org, weirdID)
				return err
			}, []string{strings.Replace(projectAnswer, "%s", weirdID, 1)}},
			{"UpdateProjectField", officialsdk.UpdateProjectField(org, pid, []*officialsdk.FieldUpdate{
				{PropertyKey: tea.String("name"), PropertyValue: tea.String("new <name>")}, {PropertyKey: tea.String("description"), PropertyValue: tea.String("")}}),
				func(ctx context.Context, c *client.Client) error {
					_, err := c.UpdateProjectFields(ctx, org, pid, []client.FieldUpdate{{Key: "name", Value: "new <name>"}, {Key: "description", Value: ""}})
					return err
				}, nil},
			{"DeleteProject", officialsdk.DeleteProject(org, weirdID+" +="), func(ctx context.Context, c *client.Client) error {
				return c.DeleteProject(ctx, org, weirdID+" +=")
			}, nil},
			{"ListProjects", officialsdk.ListProjects(org, client.ListPageSize, ""), func(ctx context.Context, c *client.Client) error {
				_, err := c.ListProjects(ctx, org)
				return err
			}, []string{`{"success":true,"requestId":"R","projects":[],"totalCount":0}`}},
			{"ListProjectTemplates", officialsdk.ListProjectTemplates(org), func(ctx context.Context, c *client.Client) error {
				_, err := c.ListProjectTemplates(ctx, org)
				return err
			}, []string{`{"success":true,"requestId":"R","templates":[]}`}},
			{"ListJoinedOrganizations", officialsdk.ListJoinedOrganizations(), func(ctx context.Context, c *client.Client) error {
				_, err := c.ListJoinedOrganizations(ctx)
				return err
			}, []string{`{"success":true,"requestId":"R","organizations":[]}`}},
		}
		for _, host := range []string{"devops.cn-hangzhou.aliyuncs.com", "DevOps.CN-Hangzhou.Aliyuncs.COM"} {
			for _, token := range []string{"", "sts/token+=="} {
				for _, c := range calls {
					t.Run(org+"/"+host+"/token="+token+"/"+c.name, func(t *testing.T) {
						theirs := &sdkRecorder{answers: c.answers}
						proxy := httptest.NewServer(theirs)
						defer proxy.Close()
						if _, err := sdkClient(t, host, id, secret, token).CallApi(c.sdk.Params, c.sdk.Request, sdkRuntime(proxy.URL)); err != nil {
							t.Fatalf("the SDK: %v", err)
						}
						sdkReq := theirs.sent[0]
						date, err := time.Parse("2006-01-02T15:04:05Z", sdkReq.header.Get("x-acs-date"))
						if err != nil {
							t.Fatal(err)
						}
						ours := &sdkRecorder{answers: c.answers}
						our, err := client.New(client.Config{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token,
							Endpoint: "https://" + host, Retry: fastRetry, HTTPClient: &http.Client{Transport: ours},
							Now: func() time.Time { return date }, Nonce: func() string { return sdkReq.header.Get("x-acs-signature-nonce") }})
						if err != nil {
							t.Fatal(err)
						}
						if err := c.ours(context.Background(), our); err != nil {
							t.Fatalf("our client: %v", err)
						}
						ourReq := ours.sent[0]

						// Our signer reaches the SDK's signature from the SDK's request as a server sees it.
						query, _ := url.ParseQuery(sdkReq.query)
						headers := map[string]string{"host": sdkReq.host}
						for k := range sdkReq.header {
							headers[k] = sdkReq.header.Get(k)
						}
						in := client.SigningInput{Method: sdkReq.method, Path: sdkReq.path, Query: query, Headers: headers, Payload: sdkReq.body}
						if got, want := in.Authorization(id, secret), sdkReq.header.Get("Authorization"); got != want {
							t.Errorf("our signer over the SDK's request:\n%s\nthe SDK:\n%s", got, want)
						}

						if ourReq.method != sdkReq.method || ourReq.path != sdkReq.path || ourReq.query != sdkReq.query || ourReq.host != sdkReq.host || sdkReq.host != host {
							t.Errorf("request line: ours %s %s?%s Host %s, the SDK's %s %s?%s Host %s",
								ourReq.method, ourReq.path, ourReq.query, ourReq.host, sdkReq.method, sdkReq.path, sdkReq.query, sdkReq.host)
						}
						var sdkNames []string
						for k := range sdkReq.header {
							if n := strings.ToLower(k); strings.HasPrefix(n, "x-acs-") || n == "content-type" || n == "accept" {
								sdkNames = append(sdkNames, k)
							}
						}
						sort.Strings(sdkNames)
						for _, k := range sdkNames {
							if strings.EqualFold(k, "x-acs-content-sha256") && len(sdkReq.body) > 0 {
								continue // over each side's own bytes, see below
							}
							if got, want := ourReq.header.Values(k), sdkReq.header.Values(k); !reflect.DeepEqual(got, want) {
								t.Errorf("%s: ours %q, the SDK's %q", k, got, want)
							}
						}
						for k := range ourReq.header {
							if _, ok := sdkReq.header[k]; !ok && k != "User-Agent" {
								t.Errorf("we send %s, the SDK does not", k)
							}
						}
						if len(sdkReq.body) == 0 {
							if len(ourReq.body) != 0 || ourReq.header.Get("Authorization") != sdkReq.header.Get("Authorization") {
								t.Errorf("Authorization: ours %s, the SDK's %s (body %q)", ourReq.header.Get("Authorization"), sdkReq.header.Get("Authorization"), ourReq.body)
							}
							return
						}
						// The SDK marshals a map (keys sorted, no HTML escaping), we a struct: the same
						// JSON object in other bytes, each signed and hashed over its own bytes.
						var o, s any
						if json.Unmarshal(ourReq.body, &o) != nil || json.Unmarshal(sdkReq.body, &s) != nil || !reflect.DeepEqual(o, s) {
							t.Errorf("body:\nours    %s\nthe SDK %s", ourReq.body, sdkReq.body)
						}
						if ourReq.header.Get("x-acs-content-sha256") != client.HashPayload(ourReq.body) {
							t.Error("our x-acs-content-sha256 is not our body's")
						}
					})
				}
			}
		}
	}
}

// TestQueryNamesNeedNoEncoding: the SDK signs query names unencoded, we as well; and every name
// our client sends is a plain word, on which encoding or not cannot differ. Each name has one
// value, as the SDK's map can only hold.
func TestQueryNamesNeedNoEncoding(t *testing.T) {
	plain := regexp.MustCompile(`^[A-Za-z]+$`)
	wire := &sdkRecorder{answers: []string{
		`{"success":true,"requestId":"R","projects":[],"totalCount":0,"nextToken":""}`,
		`{"success":true,"requestId":"R","templates":[]}`,
		`{"success":true,"requestId":"R"}`,
	}}
	c, err := client.New(client.Config{AccessKeyID: "id", AccessKeySecret: "secret", Retry: fastRetry, HTTPClient: &http.Client{Transport: wire}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, _ = c.ListProjects(ctx, "org")
	_, _ = c.ListProjectTemplates(ctx, "org")
	_ = c.DeleteProject(ctx, "org", "id")
	if len(wire.sent) != 3 {
		t.Fatalf("%d requests", len(wire.sent))
	}
	for _, r := range wire.sent {
		q, err := url.ParseQuery(r.query)
		if err != nil || len(q) == 0 {
			t.Fatalf("query %q: %v", r.query, err)
		}
		for k, vs := range q {
			if !plain.MatchString(k) || len(vs) != 1 {
				t.Errorf("%s sends %s=%q", r.path, k, vs)
			}
		}
	}
	if got := client.EncodeQuery(url.Values{"a+b*": {"x"}}); got != "a%20b%2A=x" {
		t.Errorf("a name is rewritten as the SDK rewrites it: %q", got)
	}
}

func stringMap(m map[string]string) map[string]*string {
	if m == nil {
		return nil
	}
	out := map[string]*string{}
	for k, v := range m {
		out[k] = tea.String(v)
	}
	return out
}

// TestAnswersTheSDKModelsReadAreRead: answer shapes that the devops SDK's models read (optional
// fields null or absent, fields the provider does not use, numbers for the times) are read by
// our client too, to the same values.
func TestAnswersTheSDKModelsReadAreRead(t *testing.T) {
	const id = "9ad2d4a7d7d4e0bb0f0a7c2e11"
	for name, answer := range map[string]string{
		"every field": `{"success":true,"requestId":"R","project":{"identifier":"` + id + `","name":"n","customCode":"ABCD","scope":"private","description":"d","logicalStatus":"NORMAL","creator":"u","modifier":"v","gmtCreate":1700000000000,"gmtModified":1700000001000,"organizationIdentifier":"o","categoryIdentifier":"Project","typeIdentifier":"t","icon":"i","statusIdentifier":"s"}}`,
		"nulls":       `{"success":true,"requestId":"R","errorCode":null,"errorMessage":null,"project":{"identifier":"` + id + `","name":"n","customCode":"ABCD","scope":"private","description":null,"logicalStatus":"NORMAL","creator":"u","modifier":null,"gmtCreate":1700000000000,"gmtModified":null,"organizationIdentifier":"o"}}`,
		"absent":      `{"success":true,"requestId":"R","project":{"identifier":"` + id + `","name":"n","customCode":"ABCD","scope":"private","logicalStatus":"NORMAL","creator":"u","gmtCreate":1700000000000}}`,
	} {
		t.Run("GetProjectInfo/"+name, func(t *testing.T) {
			var sdk officialsdk.ProjectResponseBody
			if err := json.Unmarshal([]byte(answer), &sdk); err != nil {
				t.Fatalf("the SDK's model: %v", err)
			}
			c, err := client.New(client.Config{AccessKeyID: "id", AccessKeySecret: "s", Retry: fastRetry, HTTPClient: &http.Client{Transport: &sdkRecorder{answers: []string{answer}}}})
			if err != nil {
				t.Fatal(err)
			}
			p, err := c.GetProject(context.Background(), "org", id)
			if err != nil {
				t.Fatalf("our client refused an answer the SDK reads: %v", err)
			}
			s := sdk.Project
			if p.Identifier != *s.Identifier || p.Name != *s.Name || p.CustomCode != *s.CustomCode || p.Scope != *s.Scope ||
				p.Description != tea.StringValue(s.Description) || int64(p.GmtCreate) != *s.GmtCreate || int64(p.GmtModified) != tea.Int64Value(s.GmtModified) {
				t.Errorf("ours %+v, the SDK's %+v", p, s)
			}
		})
	}
	t.Run("ListJoinedOrganizations", func(t *testing.T) {
		answer := `{"success":true,"requestId":"R","organizations":[{"id":"o1","name":"one","isOrgAdmin":true},{"id":"o2","name":null}]}`
		var sdk officialsdk.ListJoinedOrganizationsResponseBody
		if err := json.Unmarshal([]byte(answer), &sdk); err != nil {
			t.Fatal(err)
		}
		c, _ := client.New(client.Config{AccessKeyID: "id", AccessKeySecret: "s", Retry: fastRetry, HTTPClient: &http.Client{Transport: &sdkRecorder{answers: []string{answer}}}})
		orgs, err := c.ListJoinedOrganizations(context.Background())
		if err != nil || len(orgs) != len(sdk.Organizations) {
			t.Fatalf("ours %+v, %v", orgs, err)
		}
		for i, o := range orgs {
			s := sdk.Organizations[i]
			if o.ID != *s.Id || o.Name != tea.StringValue(s.Name) || o.IsOrgAdmin != tea.BoolValue(s.IsOrgAdmin) {
				t.Errorf("ours %+v, the SDK's %+v", o, s)
			}
		}
	})
	t.Run("ListProjectTemplates", func(t *testing.T) {
		answer := `{"success":true,"requestId":"R","templates":[{"identifier":"t1","name":"T","type":4,"gmtCreate":1700000000000,"resourceCategory":"Project","spaceType":"x"},{"identifier":"t2","name":"U","type":0,"description":null,"gmtModified":null}]}`
		var sdk officialsdk.ListProjectTemplatesResponseBody
		if err := json.Unmarshal([]byte(answer), &sdk); err != nil {
			t.Fatal(err)
		}
		c, _ := client.New(client.Config{AccessKeyID: "id", AccessKeySecret: "s", Retry: fastRetry, HTTPClient: &http.Client{Transport: &sdkRecorder{answers: []string{answer}}}})
		ts, err := c.ListProjectTemplates(context.Background(), "org")
		if err != nil || len(ts) != len(sdk.Templates) {
			t.Fatalf("ours %+v, %v", ts, err)
		}
		for i, tm := range ts {
			s := sdk.Templates[i]
			if tm.Identifier != *s.Identifier || tm.Name != *s.Name || tm.Type != *s.Type || int64(tm.GmtCreate) != tea.Int64Value(s.GmtCreate) {
				t.Errorf("ours %+v, the SDK's %+v", tm, s)
			}
		}
	})
}
