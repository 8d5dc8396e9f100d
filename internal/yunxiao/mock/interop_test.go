package mock

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	util "github.com/alibabacloud-go/tea-utils/v2/service"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/officialsdk"
)

// sdkCall sends call with darabonba-openapi v2.0.10, configured as the devops SDK configures
// it, to the mock, which it reaches as its HTTP proxy so that it signs and sends host as the
// Host whatever its case.
func sdkCall(t *testing.T, srv *httptest.Server, host, id, secret, token string, call officialsdk.Call) (map[string]interface{}, error) {
	t.Helper()
	cfg := &openapi.Config{AccessKeyId: tea.String(id), AccessKeySecret: tea.String(secret), Endpoint: tea.String(host), Protocol: tea.String("HTTP")}
	if token != "" {
		cfg.SecurityToken = tea.String(token)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c.CallApi(call.Params, call.Request, &util.RuntimeOptions{HttpProxy: tea.String(srv.URL), ConnectTimeout: tea.Int(2000), ReadTimeout: tea.Int(5000)})
}

// sdkResult is what CallApi returned.
type sdkResult struct {
	body map[string]interface{}
	err  error
}

func decodeAs[B any](t *testing.T, r sdkResult) *B {
	t.Helper()
	result, err := r.body, r.err
	if err != nil {
		t.Fatalf("the SDK's call failed: %v", err)
	}
	resp, err := officialsdk.Decode[B](result)
	if err != nil || resp.Body == nil || resp.StatusCode == nil || *resp.StatusCode != http.StatusOK {
		t.Fatalf("the SDK's models do not read the answer %v: %v", result, err)
	}
	return resp.Body
}

// TestMockServesTheOfficialSDK drives the mock with the official SDK's requests for every call
// the provider makes, with permanent and temporary credentials (x-acs-accesskey-id and
// x-acs-security-token), upper-case hosts and path parameters that need encoding, and reads each
// answer with the SDK's models; requests signed with a wrong key or token are refused without
// effect, and a read after the delete is an error whose code the SDK reads.
func TestMockServesTheOfficialSDK(t *testing.T) {
	for name, tc := range map[string]struct{ host, token, org string }{
		"permanent key":                  {"devops.cn-hangzhou.aliyuncs.com", "", org},
		"temporary key":                  {"devops.cn-hangzhou.aliyuncs.com", "sts/token+==", org},
		"upper-case host, token":         {"DevOps.CN-Hangzhou.Aliyuncs.COM", "tok", org},
		"organization id with / and %20": {"devops.cn-hangzhou.aliyuncs.com", "", "org/with slash"},
	} {
		t.Run(name, func(t *testing.T) {
			m := New()
			m.AddOrganization(tc.org, tmpl)
			m.AddKey(keyID, secret, tc.token, tc.org)
			srv := httptest.NewServer(m)
			t.Cleanup(srv.Close)
			call := func(c officialsdk.Call) sdkResult {
				body, err := sdkCall(t, srv, tc.host, keyID, secret, tc.token, c)
				return sdkResult{body, err}
			}

			orgs := decodeAs[officialsdk.ListJoinedOrganizationsResponseBody](t, call(officialsdk.ListJoinedOrganizations()))
			if len(orgs.Organizations) != 1 || *orgs.Organizations[0].Id != tc.org || !*orgs.Success {
				t.Errorf("ListJoinedOrganizations: %+v", orgs)
			}
			templates := decodeAs[officialsdk.ListProjectTemplatesResponseBody](t, call(officialsdk.ListProjectTemplates(tc.org)))
			if len(templates.Templates) != 1 || *templates.Templates[0].Identifier != tmpl || *templates.Templates[0].Type != 4 {
				t.Errorf("ListProjectTemplates: %+v", templates)
			}

			created := decodeAs[officialsdk.ProjectResponseBody](t, call(officialsdk.CreateProject(tc.org, "名字 <&> \"q\"", "private", "CODEA", tmpl)))
			p := created.Project
			if p == nil || p.Identifier == nil || *p.Name != "名字 <&> \"q\"" || *p.CustomCode != "CODEA" || *p.GmtCreate == 0 || created.RequestId == nil {
				t.Fatalf("CreateProject: %+v", created)
			}
			id := *p.Identifier

			got := decodeAs[officialsdk.ProjectResponseBody](t, call(officialsdk.GetProjectInfo(tc.org, id)))
			if got.Project == nil || *got.Project.Identifier != id || *got.Project.Scope != "private" {
				t.Errorf("GetProjectInfo: %+v", got)
			}
			updated := decodeAs[officialsdk.ProjectResponseBody](t, call(officialsdk.UpdateProjectField(tc.org, id, []*officialsdk.FieldUpdate{
				{PropertyKey: tea.String("description"), PropertyValue: tea.String("d <&> 中")}})))
			if !*updated.Success {
				t.Errorf("UpdateProjectField: %+v", updated)
			}
			if stored, _ := m.Project(tc.org, id); stored.Description != "d <&> 中" {
				t.Errorf("after UpdateProjectField the mock holds %+v", stored)
			}
			listed := decodeAs[officialsdk.ListProjectsResponseBody](t, call(officialsdk.ListProjects(tc.org, 200, "")))
			if len(listed.Projects) != 1 || *listed.Projects[0].Identifier != id || *listed.Projects[0].Description != "d <&> 中" {
				t.Errorf("ListProjects: %+v", listed)
			}

			// Wrong key, wrong token, another AccessKey's id beside the token: refused, no effect.
			for what, c := range map[string]struct{ id, secret, token string }{
				"wrong secret": {keyID, "not-the-secret", tc.token},
				"wrong token":  {keyID, secret, "stale-token"},
			} {
				if what == "wrong token" && tc.token == "" {
					continue
				}
				if _, err := sdkCall(t, srv, tc.host, c.id, c.secret, c.token, officialsdk.DeleteProject(tc.org, id)); !isSDKError(err, "SignatureDoesNotMatch", "InvalidSecurityToken.Mismatch") {
					t.Errorf("%s: %v", what, err)
				}
			}
			if _, ok := m.Project(tc.org, id); !ok {
				t.Fatal("a refused DeleteProject deleted the project")
			}

			deleted := decodeAs[officialsdk.DeleteProjectResponseBody](t, call(officialsdk.DeleteProject(tc.org, id)))
			if !*deleted.Success || deleted.Result == nil || !*deleted.Result {
				t.Errorf("DeleteProject: %+v", deleted)
			}
			if _, ok := m.Project(tc.org, id); ok {
				t.Error("DeleteProject left the project")
			}
			// After the delete the SDK reads the error's code (it reads code or Code, not errorCode).
			err := call(officialsdk.GetProjectInfo(tc.org, id)).err
			var sdkErr *tea.SDKError
			if !errors.As(err, &sdkErr) || tea.StringValue(sdkErr.Code) != "Openapi.RequestError" || tea.IntValue(sdkErr.StatusCode) != http.StatusNotFound {
				t.Errorf("GetProjectInfo of a deleted project: %v", err)
			}
		})
	}
}

func isSDKError(err error, codes ...string) bool {
	var sdkErr *tea.SDKError
	if !errors.As(err, &sdkErr) {
		return false
	}
	for _, c := range codes {
		if tea.StringValue(sdkErr.Code) == c {
			return true
		}
	}
	return false
}

// TestMockRefusesAnotherAccessKeyIDHeader: x-acs-accesskey-id, which the SDK signs beside a
// token, must name the signature's AccessKey; the SDK's request carrying another is refused.
func TestMockRefusesAnotherAccessKeyIDHeader(t *testing.T) {
	m := New()
	m.AddOrganization(org, tmpl)
	m.AddKey(keyID, secret, "", org)
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	c := officialsdk.ListProjectTemplates(org)
	c.Request.Headers["x-acs-accesskey-id"] = tea.String("LTAIsomebodyElse")
	if _, err := sdkCall(t, srv, "devops.cn-hangzhou.aliyuncs.com", keyID, secret, "", c); !isSDKError(err, "InvalidAccessKeyId.Mismatch") {
		t.Errorf("another AccessKey id: %v", err)
	}
	c.Request.Headers["x-acs-accesskey-id"] = tea.String(keyID)
	if _, err := sdkCall(t, srv, "devops.cn-hangzhou.aliyuncs.com", keyID, secret, "", c); err != nil {
		t.Errorf("its own AccessKey id: %v", err)
	}
}
