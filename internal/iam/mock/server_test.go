package mock_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// obj, list and str read decoded JSON; a value of another shape reads as empty, which the
// assertions then report.
func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// code returns the error code of either error shape: error_code, or Keystone's error.title.
func (a answer) code() string {
	if c := str(a.body["error_code"]); c != "" {
		return c
	}
	return str(obj(a.body["error"])["title"])
}

type server struct {
	t   *testing.T
	m   *mock.Server
	url string
	fx  mock.Fixture
}

func newServer(t *testing.T, flavour mock.Flavour) *server {
	m := mock.New(flavour)
	fx := m.Seed()
	ts := httptest.NewServer(m)
	t.Cleanup(ts.Close)
	return &server{t: t, m: m, url: ts.URL, fx: fx}
}

// send makes a request; auth adds credentials to it (nil: none).
func (s *server) send(method, path string, body any, auth func(*http.Request, []byte)) answer {
	s.t.Helper()
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, s.url+path, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", client.ContentType)
	if auth != nil {
		auth(req, b)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			s.t.Fatalf("%s %s answered %d with a body that is not JSON: %s", method, path, resp.StatusCode, raw)
		}
	}
	return a
}

func (s *server) token(user string) func(*http.Request, []byte) {
	tok := s.m.IssueToken(s.fx.DomainName, user)
	return func(r *http.Request, _ []byte) { r.Header.Set("X-Auth-Token", tok) }
}

func (s *server) signed(ak, sk string) func(*http.Request, []byte) {
	return func(r *http.Request, body []byte) {
		r.Header.Set("X-Domain-Id", s.fx.DomainID)
		client.SignRequest(r, body, ak, sk, time.Now(), client.SigningHuawei)
	}
}

func project(name, parent string) map[string]any {
	return map[string]any{"project": map[string]any{"name": name, "parent_id": parent}}
}

func TestRejectsMissingAndWrongCredentials(t *testing.T) {
	s := newServer(t, mock.OTC)
	parent := s.m.RegionProjectID(s.fx.DomainID, "eu-de")
	body := project("eu-de_x", parent)
	tampered := func(r *http.Request, b []byte) {
		s.signed(s.fx.AccessKey, s.fx.SecretKey)(r, b)
		r.Body = io.NopCloser(strings.NewReader(strings.Replace(string(b), "eu-de_x", "eu-de_y", 1)))
		r.ContentLength = int64(len(b))
	}
	for name, tc := range map[string]struct {
		auth   func(*http.Request, []byte)
		status int
		code   string
	}{
		"no credentials": {nil, 401, "Unauthorized"},
		"unknown token":  {func(r *http.Request, _ []byte) { r.Header.Set("X-Auth-Token", "MIIEforged") }, 401, "Unauthorized"},
		"tampered body":  {tampered, 401, "APIGW.0301"},
		"reader token":   {s.token(s.fx.ReaderUser), 403, "Forbidden"},
		"reader key":     {s.signed(s.fx.ReaderAccessKey, s.fx.ReaderSecretKey), 403, "Forbidden"},
		"unsigned AK": {func(r *http.Request, _ []byte) {
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access="+s.fx.AccessKey)
		}, 401, "APIGW.0301"},
		"wrong signature": {s.signed(s.fx.AccessKey, "not-the-secret"), 401, "APIGW.0301"},
	} {
		a := s.send(http.MethodPost, "/v3/projects", body, tc.auth)
		if a.status != tc.status || a.code() != tc.code || a.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: %d %v, want %d %s with a request id", name, a.status, a.body, tc.status, tc.code)
		}
	}
	if left := s.m.Projects(s.fx.DomainID); len(left) != 3 {
		t.Errorf("a refused request created a project: %+v", left)
	}
	// The same request, correctly signed, is accepted.
	if a := s.send(http.MethodPost, "/v3/projects", body, s.signed(s.fx.AccessKey, s.fx.SecretKey)); a.status != 201 {
		t.Errorf("signed create: %d %v", a.status, a.body)
	}
}

func TestTokens(t *testing.T) {
	s := newServer(t, mock.Huawei)
	auth := func(user, password, domain, scope string) map[string]any {
		return map[string]any{"auth": map[string]any{
			"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": map[string]any{
				"name": user, "password": password, "domain": map[string]string{"name": domain}}}},
			"scope": map[string]any{"domain": map[string]string{"name": scope}},
		}}
	}
	a := s.send(http.MethodPost, "/v3/auth/tokens", auth(s.fx.AdminUser, s.fx.AdminPassword, s.fx.DomainName, s.fx.DomainName), nil)
	tok := a.header.Get("X-Subject-Token")
	if a.status != 201 || tok == "" {
		t.Fatalf("token: %d %v", a.status, a.body)
	}
	expires, err := time.Parse(time.RFC3339Nano, str(obj(a.body["token"])["expires_at"]))
	if err != nil || time.Until(expires) < 23*time.Hour {
		t.Errorf("expires_at %v (%v), want about 24 hours from now", expires, err)
	}
	use := func(r *http.Request, _ []byte) { r.Header.Set("X-Auth-Token", tok) }
	if a := s.send(http.MethodGet, "/v3/projects", nil, use); a.status != 200 {
		t.Errorf("list with the token: %d %v", a.status, a.body)
	}
	for name, body := range map[string]map[string]any{
		"wrong password": auth(s.fx.AdminUser, "wrong", s.fx.DomainName, s.fx.DomainName),
		"unknown user":   auth("nobody", "x", s.fx.DomainName, s.fx.DomainName),
		"other scope":    auth(s.fx.AdminUser, s.fx.AdminPassword, s.fx.DomainName, "elsewhere"),
	} {
		if a := s.send(http.MethodPost, "/v3/auth/tokens", body, nil); a.status != 401 || a.header.Get("X-Subject-Token") != "" {
			t.Errorf("%s: %d %v", name, a.status, a.body)
		}
	}
	s.m.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	if a := s.send(http.MethodGet, "/v3/projects", nil, use); a.status != 401 || a.code() != "APIGW.0301" {
		t.Errorf("expired token: %d %v", a.status, a.body)
	}
}

func TestProjectRules(t *testing.T) {
	s := newServer(t, mock.OTC)
	admin := s.token(s.fx.AdminUser)
	deID, nlID := s.m.RegionProjectID(s.fx.DomainID, "eu-de"), s.m.RegionProjectID(s.fx.DomainID, "eu-nl")
	created := s.send(http.MethodPost, "/v3/projects", project("eu-de_team", deID), admin)
	if created.status != 201 {
		t.Fatalf("create: %d %v", created.status, created.body)
	}
	p := obj(created.body["project"])
	id := str(p["id"])
	if p["parent_id"] != deID || p["domain_id"] != s.fx.DomainID || p["enabled"] != true || p["is_domain"] != false ||
		id == "" || !strings.HasSuffix(str(obj(p["links"])["self"]), "/v3/projects/"+id) {
		t.Errorf("created %v", p)
	}
	for name, tc := range map[string]struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		"duplicate name, other case": {"POST", "/v3/projects", project("eu-de_TEAM", deID), 409, "Conflict"},
		"unknown region":             {"POST", "/v3/projects", project("ap-southeast-1_x", deID), 400, "IAM.0007"},
		"no region prefix":           {"POST", "/v3/projects", project("team", deID), 400, "IAM.0007"},
		"name of 65 characters":      {"POST", "/v3/projects", project("eu-de_"+strings.Repeat("a", 59), deID), 400, "IAM.0007"},
		"parent of another region":   {"POST", "/v3/projects", project("eu-de_y", nlID), 400, "IAM.0007"},
		"no parent":                  {"POST", "/v3/projects", project("eu-de_y", ""), 400, "IAM.0007"},
		"unknown field":              {"POST", "/v3/projects", map[string]any{"project": map[string]any{"name": "eu-de_y", "parent_id": deID, "status": "normal"}}, 400, "IAM.0011"},
		"other account":              {"POST", "/v3/projects", map[string]any{"project": map[string]any{"name": "eu-de_y", "parent_id": deID, "domain_id": strings.Repeat("0", 32)}}, 403, "Forbidden"},
		"description of 256":         {"PATCH", "/v3/projects/" + id, map[string]any{"project": map[string]any{"description": strings.Repeat("d", 256)}}, 400, "IAM.0007"},
		"new region prefix":          {"PATCH", "/v3/projects/" + id, map[string]any{"project": map[string]any{"name": "eu-nl_team"}}, 400, "IAM.0007"},
		"empty update":               {"PATCH", "/v3/projects/" + id, map[string]any{"project": map[string]any{}}, 400, "IAM.0011"},
		"rename a region's project":  {"PATCH", "/v3/projects/" + deID, map[string]any{"project": map[string]any{"name": "eu-de_x"}}, 403, "Forbidden"},
		"delete a region's project":  {"DELETE", "/v3/projects/" + deID, nil, 403, "Forbidden"},
		"unknown status":             {"PUT", "/v3-ext/projects/" + id, map[string]any{"project": map[string]any{"status": "frozen"}}, 400, "IAM.0007"},
		"missing project":            {"GET", "/v3/projects/" + strings.Repeat("a", 32), nil, 404, "Not Found"},
		"missing project, ext":       {"GET", "/v3-ext/projects/" + strings.Repeat("a", 32), nil, 404, "IAM.0004"},
		"per_page without page":      {"GET", "/v3/projects?per_page=10", nil, 400, "IAM.0007"},
		"unknown API":                {"POST", "/v3/projects/" + id + "/tags", nil, 404, "APIGW.0101"},
	} {
		a := s.send(tc.method, tc.path, tc.body, admin)
		if a.status != tc.status || a.code() != tc.code {
			t.Errorf("%s: %d %v, want %d %s", name, a.status, a.body, tc.status, tc.code)
		}
	}
	if n := len(s.m.Projects(s.fx.DomainID)); n != 4 {
		t.Errorf("%d projects, want the three regions' and one created", n)
	}

	// Another account sees nothing of this one.
	otherID := s.m.AddDomain("other")
	s.m.AddUser("other", "admin", "pw", true)
	other := func(r *http.Request, _ []byte) { r.Header.Set("X-Auth-Token", s.m.IssueToken("other", "admin")) }
	if a := s.send(http.MethodGet, "/v3/projects/"+id, nil, other); a.status != 404 {
		t.Errorf("another account read the project: %d %v", a.status, a.body)
	}
	if a := s.send(http.MethodGet, "/v3/projects?name=eu-de_team", nil, other); a.status != 200 || len(list(a.body["projects"])) != 0 || a.body["projects"] == nil {
		t.Errorf("another account listed the project: %d %v", a.status, a.body)
	}
	if a := s.send(http.MethodPost, "/v3/projects", project("eu-de_team", s.m.RegionProjectID(otherID, "eu-de")), other); a.status != 201 {
		t.Errorf("names are unique per account only: %d %v", a.status, a.body)
	}
}

func TestDeletePerFlavour(t *testing.T) {
	for _, flavour := range []mock.Flavour{mock.Huawei, mock.OTC} {
		s := newServer(t, flavour)
		region := flavour.Regions()[0]
		id := s.m.PutProject(client.Project{DomainID: s.fx.DomainID, Name: region + "_gone"})
		admin := s.token(s.fx.AdminUser)
		a := s.send(http.MethodDelete, "/v3/projects/"+id, nil, admin)
		_, exists := s.m.Project(id)
		switch flavour {
		case mock.Huawei:
			msg := str(a.body["error_msg"])
			if a.status != 404 || a.code() != "APIGW.0101" || msg != "The API does not exist: method DELETE not found" || a.body["request_id"] == "" || !exists {
				t.Errorf("huawei delete: %d %v, project kept: %v", a.status, a.body, exists)
			}
			// Even without credentials: the gateway has no such API.
			if a := s.send(http.MethodDelete, "/v3/projects/"+id, nil, nil); a.status != 404 || a.code() != "APIGW.0101" {
				t.Errorf("huawei delete without credentials: %d %v", a.status, a.body)
			}
		case mock.OTC:
			// 200: gophertelekomcloud projects.Delete accepts nothing else.
			if a.status != 200 || exists {
				t.Errorf("otc delete: %d %v, project kept: %v", a.status, a.body, exists)
			}
			// Every token of the account is revoked.
			if a := s.send(http.MethodGet, "/v3/projects", nil, admin); a.status != 401 {
				t.Errorf("the token still works after a delete: %d", a.status)
			}
		}
	}
}

func TestNotFoundAfterCreateAndPaging(t *testing.T) {
	s := newServer(t, mock.OTC)
	admin := s.token(s.fx.AdminUser)
	s.m.HideNewProjects(2)
	a := s.send(http.MethodPost, "/v3/projects", project("eu-nl_slow", s.m.RegionProjectID(s.fx.DomainID, "eu-nl")), admin)
	id := str(obj(a.body["project"])["id"])
	for i, want := range []int{404, 404, 200, 200} {
		if got := s.send(http.MethodGet, "/v3-ext/projects/"+id, nil, admin); got.status != want {
			t.Errorf("GET %d after create: %d, want %d", i+1, got.status, want)
		}
	}
	first := s.send(http.MethodGet, "/v3/projects?page=1&per_page=3", nil, admin)
	second := s.send(http.MethodGet, "/v3/projects?page=2&per_page=3", nil, admin)
	if len(list(first.body["projects"])) != 3 || obj(first.body["links"])["next"] == nil ||
		len(list(second.body["projects"])) != 1 || obj(second.body["links"]) == nil || obj(second.body["links"])["next"] != nil {
		t.Errorf("pages: %v / %v", first.body, second.body)
	}
}

// GET /v3/auth/domains answers any valid credentials, with or without rights, with the caller's
// account, and refuses missing or wrong ones.
func TestAuthDomains(t *testing.T) {
	s := newServer(t, mock.Huawei)
	for name, auth := range map[string]func(*http.Request, []byte){
		"admin token": s.token(s.fx.AdminUser), "reader token": s.token(s.fx.ReaderUser),
		"reader AK/SK": s.signed(s.fx.ReaderAccessKey, s.fx.ReaderSecretKey),
	} {
		a := s.send(http.MethodGet, "/v3/auth/domains", nil, auth)
		domains := list(a.body["domains"])
		if a.status != 200 || len(domains) != 1 || str(obj(domains[0])["id"]) != s.fx.DomainID || str(obj(domains[0])["name"]) != s.fx.DomainName {
			t.Errorf("%s: %d %v", name, a.status, a.body)
		}
	}
	if a := s.send(http.MethodGet, "/v3/auth/domains", nil, s.signed(s.fx.AccessKey, "wrong")); a.status != 401 || a.code() != "APIGW.0301" {
		t.Errorf("a wrong secret key: %d %v", a.status, a.body)
	}
	if a := s.send(http.MethodGet, "/v3/auth/domains", nil, nil); a.status != 401 {
		t.Errorf("no credentials: %d %v", a.status, a.body)
	}
}

// The test hooks every cloud's mock shares: PutProject, RemoveProject, LastUpdate, and a held
// answer (mockserver.Hold); and the iam mock's own: Arrivals.
func TestTestHooks(t *testing.T) {
	s := newServer(t, mock.OTC)
	admin := s.token(s.fx.AdminUser)
	id := s.m.PutProject(client.Project{DomainID: s.fx.DomainID, Name: "eu-de_put", Description: "out of band", Status: client.StatusSuspended})
	a := s.send(http.MethodGet, "/v3-ext/projects/"+id, nil, admin)
	p := obj(a.body["project"])
	if a.status != 200 || str(p["name"]) != "eu-de_put" || str(p["status"]) != "suspended" || str(p["parent_id"]) != s.m.RegionProjectID(s.fx.DomainID, "eu-de") {
		t.Errorf("the put project reads %d %v", a.status, a.body)
	}
	if s.m.LastUpdate() != nil {
		t.Errorf("LastUpdate before any update: %v", s.m.LastUpdate())
	}
	s.send(http.MethodPatch, "/v3/projects/"+id, map[string]any{"project": map[string]any{"description": "changed"}}, admin)
	if got := s.m.LastUpdate(); len(got) != 1 || got["description"] != "changed" {
		t.Errorf("LastUpdate = %v, want only the description", got)
	}
	s.m.RemoveProject(id)
	if a := s.send(http.MethodGet, "/v3/projects/"+id, nil, admin); a.status != 404 {
		t.Errorf("a removed project reads %d", a.status)
	}
	if n := len(s.m.Arrivals(client.OpShowProject)); n != 1 {
		t.Errorf("%d arrivals of ShowProject, want 1", n)
	}

	// A held answer comes after the server acted.
	s.m.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Hold, Delay: 300 * time.Millisecond})
	start := time.Now()
	a = s.send(http.MethodPost, "/v3/projects", project("eu-de_held", s.m.RegionProjectID(s.fx.DomainID, "eu-de")), admin)
	if a.status != 201 || time.Since(start) < 300*time.Millisecond {
		t.Errorf("a held create answered %d after %s", a.status, time.Since(start))
	}
	if _, ok := s.m.ProjectByName(s.fx.DomainID, "eu-de_held"); !ok {
		t.Error("the held create did not act")
	}
}
