package interop

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/interop/otcsdk"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// otcCall sends one request as gophertelekomcloud builds it and checks the status against what
// that call of the SDK accepts; out, when not nil, is decoded as the SDK decodes it.
func otcCall(t *testing.T, op, method, rawURL string, body any, more map[string]string, creds *otcsdk.Credentials, out any) http.Header {
	t.Helper()
	req, err := otcsdk.NewRequest(method, rawURL, body, more, creds)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if !slices.Contains(otcsdk.OkCodes[op], resp.StatusCode) {
		t.Fatalf("%s: %d %s; the OTC SDK accepts only %v", op, resp.StatusCode, raw, otcsdk.OkCodes[op])
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: the SDK's model does not decode %s: %v", op, raw, err)
		}
	}
	return resp.Header
}

// TestOTCSDKRequestsDriveTheMock sends every call the provider makes as gophertelekomcloud
// builds it (otcsdk: signed in the Credential= form, X-Domain-Id and X-Security-Token unsigned;
// or with a token fetched by password) to the OTC mock: each status is one the SDK's call
// accepts (delete: 200 only), each answer decodes into the SDK's models, and the mock's state
// follows.
func TestOTCSDKRequestsDriveTheMock(t *testing.T) {
	for _, auth := range []string{"token", "permanent key", "temporary key"} {
		t.Run(auth, func(t *testing.T) {
			rec, ts, fx := newMock(t, mock.OTC)
			var creds *otcsdk.Credentials
			more := map[string]string{}
			switch auth {
			case "token":
				// tokens.Create: X-Auth-Token and X-Domain-Id given empty, so deleted.
				in := map[string]any{"auth": map[string]any{
					"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": map[string]any{
						"name": fx.AdminUser, "password": fx.AdminPassword, "domain": map[string]string{"name": fx.DomainName}}}},
					"scope": map[string]any{"domain": map[string]string{"name": fx.DomainName}},
				}}
				var tok struct {
					Token struct {
						ExpiresAt string `json:"expires_at"`
					} `json:"token"`
				}
				h := otcCall(t, "CreateToken", "POST", ts.URL+"/v3/auth/tokens", in, map[string]string{"X-Auth-Token": "", "X-Domain-Id": ""}, nil, &tok)
				if h.Get("X-Subject-Token") == "" || tok.Token.ExpiresAt == "" {
					t.Fatalf("token answer %v %+v", h, tok)
				}
				more["X-Auth-Token"] = h.Get("X-Subject-Token")
			case "permanent key":
				creds = &otcsdk.Credentials{AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID}
			case "temporary key":
				creds = &otcsdk.Credentials{AccessKey: fx.TempAccessKey, SecretKey: fx.TempSecretKey, DomainID: fx.DomainID, SecurityToken: fx.STToken}
			}
			parent := rec.srv.RegionProjectID(fx.DomainID, "eu-de")

			var created struct{ Project *otcsdk.Project }
			otcCall(t, "CreateProject", "POST", ts.URL+"/v3/projects",
				map[string]any{"project": otcsdk.CreateOpts{Name: "eu-de_otc sdk", ParentID: parent, Description: "a & b <c>"}}, more, creds, &created)
			p := created.Project
			if p == nil || !hexID.MatchString(p.ID) || p.Name != "eu-de_otc sdk" || p.ParentID != parent || p.DomainID != fx.DomainID || !p.Enabled || p.Description != "a & b <c>" {
				t.Fatalf("create answer %+v", p)
			}

			var got struct{ Project *otcsdk.Project }
			otcCall(t, "GetProject", "GET", ts.URL+"/v3/projects/"+p.ID, nil, more, creds, &got)
			if got.Project == nil || *got.Project != *p {
				t.Fatalf("get answer %+v, want %+v", got.Project, p)
			}

			// projects.List builds its query with golangsdk.BuildQueryString (url.Values.Encode).
			var page otcsdk.ProjectPage
			otcCall(t, "ListProjects", "GET", ts.URL+"/v3/projects?"+url.Values{"name": {p.Name}, "domain_id": {fx.DomainID}}.Encode(), nil, more, creds, &page)
			if len(page.Projects) != 1 || page.Projects[0] != *p || page.Links.Next != "" {
				t.Fatalf("list by name: %+v", page)
			}

			var updated struct{ Project *otcsdk.Project }
			otcCall(t, "UpdateProject", "PATCH", ts.URL+"/v3/projects/"+p.ID,
				map[string]any{"project": otcsdk.UpdateOpts{Description: "changed"}}, more, creds, &updated)
			if updated.Project == nil || updated.Project.Description != "changed" || updated.Project.Name != p.Name {
				t.Fatalf("update answer %+v", updated.Project)
			}

			otcCall(t, "DeleteProject", "DELETE", ts.URL+"/v3/projects/"+p.ID, nil, more, creds, nil)
			if _, exists := rec.srv.Project(p.ID); exists {
				t.Error("the project is still there after the delete")
			}
			if n := rec.srv.Unauthorized(); n != 0 {
				t.Errorf("%d requests were refused", n)
			}
			for _, r := range rec.requests() {
				a := r.Header.Get("Authorization")
				if creds == nil {
					if a != "" {
						t.Errorf("%s %s: Authorization %q with a token", r.Method, r.URL.Path, a)
					}
					continue
				}
				pa, err := client.ParseAuthorization(a)
				want := "accept;host;user-agent;x-sdk-date"
				if r.ContentLength > 0 {
					want = "accept;content-type;host;user-agent;x-sdk-date"
				}
				if err != nil || pa.Style != client.SigningOTC || strings.Join(pa.SignedHeaders, ";") != want {
					t.Errorf("%s %s signed %v (%v), want %s", r.Method, r.URL.Path, pa.SignedHeaders, err, want)
				}
			}
		})
	}
}

// TestMockRejectsAlteredOTCRequests: the Credential= form is verified, not waved through.
func TestMockRejectsAlteredOTCRequests(t *testing.T) {
	rec, ts, fx := newMock(t, mock.OTC)
	for name, alter := range map[string]func(*http.Request){
		"wrong secret key": nil,
		"scope of another day": func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/"+r.Header.Get("X-Sdk-Date")[:8]+"///", "/20000101///", 1))
		},
		"query changed after signing": func(r *http.Request) { r.URL.RawQuery = "name=eu-de_other" },
		"date changed after signing":  func(r *http.Request) { r.Header.Set("X-Sdk-Date", "20000101T000000Z") },
	} {
		creds := &otcsdk.Credentials{AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID}
		if alter == nil {
			creds.SecretKey = "wrong"
		}
		req, err := otcsdk.NewRequest("GET", ts.URL+"/v3/projects?name=eu-de_x", nil, nil, creds)
		if err != nil {
			t.Fatal(err)
		}
		if alter != nil {
			alter(req)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			ErrorCode string `json:"error_code"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 401 || body.ErrorCode != "APIGW.0301" {
			t.Errorf("%s: %d %+v", name, resp.StatusCode, body)
		}
	}
	if got := rec.srv.Unauthorized(); got != 4 {
		t.Errorf("%d refused, want 4", got)
	}
}
