package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	trroclient "github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// seed is a seed file with a project of every API: ids fixed where a test refers to them.
const seed = `{
  "trro": [
    {"id": "seededtrro000001", "name": "factory-floor", "description": "Hall 3", "policy_mode": "white"},
    {"name": "warehouse"}
  ],
  "otc": [
    {"id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "name": "eu-de_payments", "description": "Payments"}
  ],
  "huawei": [
    {"name": "ap-southeast-1_search", "status": "suspended"}
  ],
  "yunxiao": [
    {"id": "seededyunxiao0000000001", "name": "Mobile app", "custom_code": "MOBILE", "description": "The app", "created_at": "2025-06-01T08:00:00Z"}
  ]
}`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// adminCall sends one request to the admin endpoint and returns the status and body.
func adminCall(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// listed decodes GET /projects.
func listed(t *testing.T, adminURL string) map[string][]map[string]any {
	t.Helper()
	status, body := adminCall(t, http.MethodGet, adminURL+"/projects", "")
	if status != http.StatusOK {
		t.Fatalf("GET /projects: %d %s", status, body)
	}
	var all map[string][]map[string]any
	if err := json.Unmarshal([]byte(body), &all); err != nil {
		t.Fatalf("GET /projects: %v\n%s", err, body)
	}
	return all
}

// names returns the names of an API's listed projects, in order.
func names(projects []map[string]any) []string {
	var out []string
	for _, p := range projects {
		name, _ := p["name"].(string)
		out = append(out, name)
	}
	return out
}

// A seed file's projects are served with the ids, defaults and fixed account ids they should
// have; the admin endpoint lists, adds (under the API's rules) and removes them without signing;
// -state holds every change, also one made through the signed API, and a restart with it
// serves the same projects with the same ids, its -seed ignored.
func TestSeedAdminAndState(t *testing.T) {
	dir := t.TempDir()
	seedFile := writeFile(t, dir, "seed.json", seed)
	stateFile := filepath.Join(dir, "state", "fakecloud.json")
	if err := os.MkdirAll(filepath.Dir(stateFile), 0o750); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan map[string]string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-seed", seedFile, "-state", stateFile}, io.Discard, func(env map[string]string) { ready <- env })
	}()
	var env map[string]string
	select {
	case env = <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("the fake cloud did not start")
	}
	adminURL := env["FAKECLOUD_ADMIN_URL"]
	if !strings.HasPrefix(adminURL, "http://127.0.0.1:") {
		t.Fatalf("FAKECLOUD_ADMIN_URL = %q, want a loopback URL", adminURL)
	}

	all := listed(t, adminURL)
	for api, want := range map[string]string{"trro": "factory-floor warehouse", "otc": "eu-de_payments", "huawei": "ap-southeast-1_search", "yunxiao": "Mobile app"} {
		if got := strings.Join(names(all[api]), " "); got != want {
			t.Errorf("GET /projects: %s has %q, want %q (the regions' own projects never listed)", api, got, want)
		}
	}
	if p := all["trro"][1]; p["policy_mode"] != "black" || p["id"] == "" {
		t.Errorf("a trro project seeded without policy_mode or id is %v, want policy_mode black and a drawn id", p)
	}
	otc := all["otc"][0]
	if otc["id"] != "0a1b2c3d4e5f60718293a4b5c6d7e8f9" || otc["domain_id"] != fixedID("otc", "domain") || otc["parent_id"] != fixedID("otc", "region", "eu-de") || otc["status"] != "normal" {
		t.Errorf("the seeded otc project is %v, want its id, the fixed domain and eu-de's project as parent, status normal", otc)
	}
	if p := all["huawei"][0]; p["status"] != "suspended" {
		t.Errorf("the seeded huawei project is %v, want status suspended", p)
	}
	if p := all["yunxiao"][0]; p["organization_id"] != yunxiaoOrganizationID || p["scope"] != "private" || p["status"] != "NORMAL" || p["created_at"] != "2025-06-01T08:00:00Z" {
		t.Errorf("the seeded yunxiao project is %v, want the fake organization, scope private, NORMAL, created_at kept", p)
	}

	// Adds follow each API's rules; refusals say why, and change nothing.
	for _, c := range []struct {
		path, body string
		status     int
		says       string
	}{
		{"/projects/trro", `{"name": "grey", "policy_mode": "grey"}`, http.StatusBadRequest, "PolicyMode must be black or white"},
		{"/projects/trro", `{"name": "typo", "policy": "white"}`, http.StatusBadRequest, `unknown field \"policy\"`},
		{"/projects/trro", `{"id": "seededtrro000001", "name": "again"}`, http.StatusBadRequest, "exists"},
		{"/projects/trro", `{"id": "../etc", "name": "path"}`, http.StatusBadRequest, "letters, digits"},
		{"/projects/otc", `{"name": "eu-dee_payments"}`, http.StatusBadRequest, "must start with the id of an existing region"},
		{"/projects/otc", `{"name": "eu-de_PAYMENTS"}`, http.StatusBadRequest, "duplicate entry"},
		{"/projects/otc", `{"name": "eu-nl_x", "domain_id": "another"}`, http.StatusBadRequest, "account is"},
		{"/projects/yunxiao", `{"name": "Clash", "custom_code": "MOBILE"}`, http.StatusBadRequest, "customCode MOBILE is already used"},
		{"/projects/yunxiao", `{"name": "Elsewhere", "custom_code": "ELSE", "organization_id": "other"}`, http.StatusBadRequest, "one organization"},
		{"/projects/aws", `{"name": "x"}`, http.StatusNotFound, "no API"},
		{"/projects/trro", `{"name": "ok"} {"name": "second"}`, http.StatusBadRequest, "trailing data"},
	} {
		status, body := adminCall(t, http.MethodPost, adminURL+c.path, c.body)
		if status != c.status || !strings.Contains(body, c.says) {
			t.Errorf("POST %s %s: %d %s, want %d saying %q", c.path, c.body, status, body, c.status, c.says)
		}
	}
	status, body := adminCall(t, http.MethodPost, adminURL+"/projects/otc", `{"name": "eu-nl_ledger", "description": "Ledger"}`)
	var added iamProject
	if err := json.Unmarshal([]byte(body), &added); status != http.StatusCreated || err != nil || added.ID == "" || added.ParentID != fixedID("otc", "region", "eu-nl") {
		t.Errorf("POST /projects/otc: %d %s, want 201 with the project, its id and eu-nl's project as parent", status, body)
	}
	if status, body := adminCall(t, http.MethodDelete, adminURL+"/projects/otc/"+fixedID("otc", "region", "eu-de"), ""); status != http.StatusNotFound {
		t.Errorf("DELETE of a region's own project: %d %s, want 404", status, body)
	}
	huaweiID, _ := all["huawei"][0]["id"].(string)
	if status, body := adminCall(t, http.MethodDelete, adminURL+"/projects/huawei/"+huaweiID, ""); status != http.StatusNoContent {
		t.Errorf("DELETE /projects/huawei/<id>: %d %s, want 204", status, body)
	}
	if status, body := adminCall(t, http.MethodDelete, adminURL+"/projects/huawei/"+huaweiID, ""); status != http.StatusNotFound {
		t.Errorf("a second DELETE of the same project: %d %s, want 404", status, body)
	}
	if status, body := adminCall(t, http.MethodPut, adminURL+"/projects/trro", "{}"); status != http.StatusMethodNotAllowed {
		t.Errorf("PUT /projects/trro: %d %s, want 405", status, body)
	}

	// A create through the signed API reaches the state file too.
	if _, err := trroClient(t, env["TRRO_ENDPOINT"]).CreateProject(context.Background(), trroclient.CreateProjectInput{Name: "via-api", PolicyMode: "black"}); err != nil {
		t.Fatal(err)
	}
	before := listed(t, adminURL)
	if got := strings.Join(names(before["trro"]), " "); got != "factory-floor warehouse via-api" {
		t.Errorf("after a create through the API, trro has %q", got)
	}
	waitFor(t, "the state file to hold the API's create", func() bool {
		b, err := os.ReadFile(stateFile) //nolint:gosec // G304: the test's own file
		return err == nil && bytes.Contains(b, []byte(`"via-api"`)) && bytes.Contains(b, []byte(`"eu-nl_ledger"`)) && !bytes.Contains(b, []byte(`"ap-southeast-1_search"`))
	})

	// A restart with the state serves the same projects with the same ids; -seed is ignored
	// (seeding again would collide with the projects it made the first time).
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	env = start(t, "-state", stateFile, "-seed", seedFile)
	after := listed(t, env["FAKECLOUD_ADMIN_URL"])
	b1, _ := json.Marshal(before)
	b2, _ := json.Marshal(after)
	if !bytes.Equal(b1, b2) {
		t.Errorf("after a restart with -state the projects are\n%s\nwere\n%s", b2, b1)
	}
	// The IAM account is the one the state's projects belong to: sign in and find the project.
	token := signIn(t, env["FAKECLOUD_OTC_AUTH_URL"], env)
	req, _ := http.NewRequest(http.MethodGet, env["FAKECLOUD_OTC_AUTH_URL"]+"/projects/0a1b2c3d4e5f60718293a4b5c6d7e8f9", nil)
	req.Header.Set("X-Auth-Token", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after a restart, GET /v3/projects/<seeded id> answered %d", resp.StatusCode)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// Seed files that cannot be served stop the fake cloud before it listens, naming the problem;
// `fakecloud seed` adds a file's projects to a running fake cloud.
func TestSeedFiles(t *testing.T) {
	dir := t.TempDir()
	for content, says := range map[string]string{
		`{"aws": [{"name": "x"}]}`:                             `no API "aws"`,
		`{"trro": [{"name": "ok"}, {"name": ""}]}`:             "trro project 2",
		`{"trro": {"name": "not a list"}}`:                     "not a project file",
		`[]`:                                                   "not a project file",
		`{"otc": [{"name": "eu-de_a", "x": 1}]}`:               `unknown field "x"`,
		`{"yunxiao": [{"name": "a", "custom_code": "lower"}]}`: "customCode must be 4 to 6 upper-case letters",
	} {
		path := writeFile(t, dir, "bad.json", content)
		err := run(context.Background(), []string{"-seed", path}, io.Discard, func(map[string]string) { t.Errorf("fakecloud started with %s", content) })
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("-seed with %s: %v, want an error saying %q", content, err, says)
		}
	}
	if err := run(context.Background(), []string{"-seed", filepath.Join(dir, "missing.json")}, io.Discard, nil); err == nil {
		t.Error("-seed with a missing file: no error")
	}

	env := start(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed", "-admin-url", env["FAKECLOUD_ADMIN_URL"], writeFile(t, dir, "seed.json", seed)}, &out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "5 projects added") {
		t.Errorf("fakecloud seed printed %q", out.String())
	}
	if got := len(listed(t, env["FAKECLOUD_ADMIN_URL"])["trro"]); got != 2 {
		t.Errorf("after fakecloud seed, trro has %d projects, want 2", got)
	}
	// Seeding the same file again collides with the fixed ids, and says which project.
	err := run(context.Background(), []string{"seed", "-admin-url", env["FAKECLOUD_ADMIN_URL"], filepath.Join(dir, "seed.json")}, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "trro project 1") {
		t.Errorf("seeding twice: %v, want an error naming trro project 1", err)
	}
	t.Setenv("FAKECLOUD_ADMIN_URL", "")
	if err := run(context.Background(), []string{"seed", filepath.Join(dir, "seed.json")}, io.Discard, nil); err == nil || !strings.Contains(err.Error(), "FAKECLOUD_ADMIN_URL") {
		t.Errorf("fakecloud seed without an admin URL: %v", err)
	}
}
