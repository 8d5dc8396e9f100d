package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	trroclient "github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
	trromock "github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// start runs the fake cloud with args until the test ends and returns its environment.
func start(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan map[string]string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, io.Discard, func(env map[string]string) { ready <- env }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("fakecloud %v stopped with %v", args, err)
		}
	})
	select {
	case env := <-ready:
		return env
	case err := <-done:
		t.Fatalf("fakecloud %v: %v", args, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the fake cloud did not start")
	}
	return nil
}

// Fixed addresses are honoured, both IAM flavours are served at once (HW_AUTH_URL at the
// -iam-flavour one), and the environment file has every provider's settings.
func TestFixedAddressesAndBothIAMFlavours(t *testing.T) {
	trroAddr, huaweiAddr, otcAddr, yunxiaoAddr := freeAddr(t), freeAddr(t), freeAddr(t), freeAddr(t)
	envFile := filepath.Join(t.TempDir(), "fakecloud.env")
	env := start(t, "-env-file", envFile, "-trro-addr", trroAddr, "-huawei-addr", huaweiAddr, "-otc-addr", otcAddr, "-yunxiao-addr", yunxiaoAddr)
	for name, want := range map[string]string{
		"TRRO_ENDPOINT":             "http://" + trroAddr,
		"FAKECLOUD_HUAWEI_AUTH_URL": "http://" + huaweiAddr + "/v3",
		"FAKECLOUD_OTC_AUTH_URL":    "http://" + otcAddr + "/v3",
		"HW_AUTH_URL":               "http://" + otcAddr + "/v3",
		"YUNXIAO_ENDPOINT":          "http://" + yunxiaoAddr,
		"HW_USER_NAME":              "admin",
		"YUNXIAO_ORGANIZATION_ID":   yunxiaoOrganizationID,
		"TENCENTCLOUD_SECRET_ID":    trroSecretID,
	} {
		if env[name] != want {
			t.Errorf("%s = %q, want %q", name, env[name], want)
		}
	}
	b, err := os.ReadFile(envFile) //nolint:gosec // G304: the test's own file
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "export FAKECLOUD_HUAWEI_AUTH_URL='http://"+huaweiAddr+"/v3'\n") {
		t.Errorf("the env file lacks the Huawei Cloud auth URL:\n%s", b)
	}

	// The same user signs in to both; each flavour has its own regions' projects.
	for authURL, region := range map[string]string{env["FAKECLOUD_HUAWEI_AUTH_URL"]: "ap-southeast-1", env["FAKECLOUD_OTC_AUTH_URL"]: "eu-de"} {
		token := signIn(t, authURL, env)
		req, _ := http.NewRequest(http.MethodGet, authURL+"/projects?name="+region, nil)
		req.Header.Set("X-Auth-Token", token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var list struct {
			Projects []struct{ Name string } `json:"projects"`
		}
		err = json.NewDecoder(resp.Body).Decode(&list)
		_ = resp.Body.Close()
		if err != nil || len(list.Projects) != 1 {
			t.Errorf("%s: GET /v3/projects?name=%s = %+v, %v; want the region's project", authURL, region, list, err)
		}
	}

	// Another flavour for HW_AUTH_URL.
	env = start(t, "-iam-flavour", "huawei")
	if env["HW_AUTH_URL"] != env["FAKECLOUD_HUAWEI_AUTH_URL"] || env["HW_AUTH_URL"] == "" {
		t.Errorf("with -iam-flavour huawei, HW_AUTH_URL = %q, want FAKECLOUD_HUAWEI_AUTH_URL %q", env["HW_AUTH_URL"], env["FAKECLOUD_HUAWEI_AUTH_URL"])
	}
}

func signIn(t *testing.T, authURL string, env map[string]string) string {
	t.Helper()
	body := fmt.Sprintf(`{"auth":{"identity":{"methods":["password"],"password":{"user":{"name":%q,"password":%q,"domain":{"name":%q}}}},"scope":{"domain":{"name":%q}}}}`,
		env["HW_USER_NAME"], env["HW_USER_PASSWORD"], env["HW_DOMAIN_NAME"], env["HW_DOMAIN_NAME"])
	resp, err := http.Post(authURL+"/auth/tokens", "application/json", bytes.NewBufferString(body)) //nolint:gosec // G107: the fake cloud this test started
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Subject-Token") == "" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("%s: sign-in answered %d: %s", authURL, resp.StatusCode, b)
	}
	return resp.Header.Get("X-Subject-Token")
}

// Addresses off loopback, shares outside [0, 1] and unknown flavours are refused.
func TestRefusedFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-trro-addr", "0.0.0.0:18080"},
		{"-otc-addr", "example.com:80"},
		{"-host", "192.0.2.1"},
		{"-yunxiao-throttle", "1.5"},
		{"-trro-throttle", "0.6", "-trro-5xx", "0.6"},
		{"-huawei-lose-create", "-0.1"},
		{"-iam-flavour", "aws"},
		{"-trro-rate-limit", "-2"},
	} {
		err := run(context.Background(), args, io.Discard, func(map[string]string) { t.Errorf("fakecloud %v started", args) })
		if err == nil {
			t.Errorf("fakecloud %v: no error", args)
		}
	}
}

// trroClient calls the API at url once per operation, without retries.
func trroClient(t *testing.T, url string) *trroclient.Client {
	t.Helper()
	c, err := trroclient.New(trroclient.Config{SecretID: trroSecretID, SecretKey: trroSecretKey, Endpoint: url,
		Retry: transport.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The fault knobs: every request throttled, or failed with the cloud's 503, or every create
// done but its answer lost; with latency each answer is late.
func TestFaultKnobs(t *testing.T) {
	ctx := context.Background()
	serve := func(k *knobs) (*api, string) {
		a := trroAPI()
		h, err := a.configure(k)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return a, srv.URL
	}

	_, url := serve(&knobs{throttle: 1, rateLimit: -1})
	if _, err := trroClient(t, url).ListProjects(ctx); err == nil || !strings.Contains(err.Error(), "RequestLimitExceeded") {
		t.Errorf("with -trro-throttle 1: %v, want RequestLimitExceeded", err)
	}

	_, url = serve(&knobs{serverError: 1, rateLimit: -1})
	if _, err := trroClient(t, url).ListProjects(ctx); err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "InternalError") {
		t.Errorf("with -trro-5xx 1: %v, want HTTP 503 InternalError", err)
	}

	a, url := serve(&knobs{loseCreate: 1, rateLimit: -1})
	c := trroClient(t, url)
	if _, err := c.CreateProject(ctx, trroclient.CreateProjectInput{Name: "lost"}); err == nil {
		t.Error("with -trro-lose-create 1, a create was answered")
	}
	m, ok := a.mock.(*trromock.Server)
	if !ok {
		t.Fatalf("the trro API's mock is a %T", a.mock)
	}
	if ps := m.Projects(); len(ps) != 1 || ps[0].Name != "lost" {
		t.Errorf("with -trro-lose-create 1, the mock holds %+v, want the project whose answer was lost", ps)
	}
	if ps, err := c.ListProjects(ctx); err != nil || len(ps) != 1 {
		t.Errorf("with -trro-lose-create 1, listing (not a create) answered %+v, %v", ps, err)
	}

	_, url = serve(&knobs{latency: 200 * time.Millisecond, rateLimit: 0})
	began := time.Now()
	if _, err := trroClient(t, url).ListProjects(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(began); d < 200*time.Millisecond {
		t.Errorf("with -trro-latency 200ms the answer came after %v", d)
	}

	// A share in between fails about that share of the requests.
	a = trroAPI()
	a.mock.SetRateLimit(0) // only the injected throttling
	f := newFaults(a, &knobs{throttle: 0.25, serverError: 0.25})
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	failed := 0
	for range 400 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
		req.Header.Set("X-TC-Action", "DescribeProjectList")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable || bytes.Contains(b, []byte("RequestLimitExceeded")) {
			failed++
		}
	}
	if failed < 140 || failed > 260 {
		t.Errorf("with throttle 0.25 and 5xx 0.25, %d of 400 requests failed, want about 200", failed)
	}
}
