package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao"
)

// TestMain gives terraform an empty CLI configuration of its own (acctest.Main) and keeps the
// environment of whoever runs the tests away from the providers, which the acceptance tests
// configure in their provider blocks.
func TestMain(m *testing.M) {
	acctest.Main(m, "TRRO_ENDPOINT", "TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SECURITY_TOKEN", "TENCENTCLOUD_REGION",
		"HW_AUTH_URL", "OS_AUTH_URL", "HW_AUTH_TOKEN", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_DOMAIN_ID",
		"YUNXIAO_ENDPOINT", "YUNXIAO_ORGANIZATION_ID", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"FAKECLOUD_ADMIN_URL", "FAKECLOUD_IAM_FLAVOUR")
}

// fakecloudConfig configures the three providers for the fake cloud of env, with the resources
// that import the seed file's projects.
func fakecloudConfig(env map[string]string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    trro    = { source = "projectkit/trro" }
    iam     = { source = "projectkit/iam" }
    yunxiao = { source = "projectkit/yunxiao" }
  }
}

provider "trro" {
  endpoint   = %q
  secret_id  = %q
  secret_key = %q
  region     = "ap-guangzhou"
}

provider "iam" {
  auth_url    = %q
  user_name   = %q
  password    = %q
  domain_name = %q
}

provider "yunxiao" {
  endpoint          = %q
  access_key_id     = %q
  access_key_secret = %q
  organization_id   = %q
}

import {
  to = trro_project.factory_floor
  id = "seededtrro000001"
}

resource "trro_project" "factory_floor" {
  name        = "factory-floor"
  description = "Hall 3"
  policy_mode = "white"
}

import {
  to = iam_project.payments
  id = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
}

resource "iam_project" "payments" {
  name        = "eu-de_payments"
  description = "Payments"
}

import {
  to = yunxiao_project.mobile
  id = "seededyunxiao0000000001"
}

resource "yunxiao_project" "mobile" {
  name        = "Mobile app"
  custom_code = "MOBILE"
  description = "The app"
}
`, env["TRRO_ENDPOINT"], env["TENCENTCLOUD_SECRET_ID"], env["TENCENTCLOUD_SECRET_KEY"],
		env["FAKECLOUD_OTC_AUTH_URL"], env["HW_USER_NAME"], env["HW_USER_PASSWORD"], env["HW_DOMAIN_NAME"],
		env["YUNXIAO_ENDPOINT"], env["ALIBABA_CLOUD_ACCESS_KEY_ID"], env["ALIBABA_CLOUD_ACCESS_KEY_SECRET"], env["YUNXIAO_ORGANIZATION_ID"])
}

// What a team's CI does with the fake cloud: seed projects, import them with import blocks
// (terraform plan shows the imports and nothing else), restart the fake cloud with -state
// (nothing changes, ids, parent_id and domain_id included), and remove one through the admin
// endpoint (the plan then creates it again).
func TestAccSeededProjectsInTerraform(t *testing.T) {
	acctest.RequireAcc(t)
	dir := t.TempDir()
	seedFile := writeFile(t, dir, "seed.json", seed)
	stateFile := filepath.Join(dir, "fakecloud.json")
	addrs := []string{"-trro-addr", freeAddr(t), "-otc-addr", freeAddr(t), "-yunxiao-addr", freeAddr(t), "-admin-addr", freeAddr(t)}
	stop, env := startStoppable(t, append([]string{"-seed", seedFile, "-state", stateFile}, addrs...)...)

	reattach := acctest.Reattach(t, map[string]func() tfprotov6.ProviderServer{
		"registry.terraform.io/projectkit/trro":    providerserver.NewProtocol6(trro.New("test")()),
		"registry.terraform.io/projectkit/iam":     providerserver.NewProtocol6(iam.New("test")()),
		"registry.terraform.io/projectkit/yunxiao": providerserver.NewProtocol6(yunxiao.New("test")()),
	})
	w := acctest.NewWorkdir(t, map[string]string{"main.tf": fakecloudConfig(env)}, reattach)
	w.MustRun("init", "-input=false", "-no-color")
	out := w.MustRun("plan", "-input=false", "-no-color")
	acctest.WantOutput(t, "the plan of the seeded projects", out, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.")
	w.MustRun("apply", "-input=false", "-no-color", "-auto-approve")
	state := w.State()
	if got := state["iam_project.payments"].Values["parent_id"]; got != fixedID("otc", "region", "eu-de") {
		t.Errorf("the imported iam project's parent_id is %v, want eu-de's project %s", got, fixedID("otc", "region", "eu-de"))
	}
	if got := state["yunxiao_project.mobile"].Values["created_at"]; got != "2025-06-01T08:00:00Z" {
		t.Errorf("the imported yunxiao project's created_at is %v, want the seeded 2025-06-01T08:00:00Z", got)
	}

	// A restart with the state: the same projects, the same ids, so no changes at all.
	stop()
	_, env = startStoppable(t, append([]string{"-seed", seedFile, "-state", stateFile}, addrs...)...)
	out = w.MustRun("plan", "-input=false", "-no-color", "-detailed-exitcode")
	acctest.WantOutput(t, "the plan after a restart with -state", out, "No changes.")

	// Removed through the admin endpoint: the next plan creates the project again.
	status, body := adminCall(t, http.MethodDelete, env["FAKECLOUD_ADMIN_URL"]+"/projects/trro/seededtrro000001", "")
	if status != http.StatusNoContent {
		t.Fatalf("DELETE /projects/trro/seededtrro000001: %d %s", status, body)
	}
	out, code := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 2 {
		t.Fatalf("the plan after the admin removal exited %d, want 2 (changes):\n%s", code, out)
	}
	acctest.WantOutput(t, "the plan after the admin removal", out, "trro_project.factory_floor will be created", "Plan: 1 to add, 0 to change, 0 to destroy.")
}

// startStoppable runs the fake cloud like start, and returns a stop that ends it and waits.
func startStoppable(t *testing.T, args ...string) (func(), map[string]string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan map[string]string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, io.Discard, func(env map[string]string) { ready <- env }) }()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("fakecloud %v stopped with %v", args, err)
		}
	}
	t.Cleanup(stop)
	select {
	case env := <-ready:
		return stop, env
	case err := <-done:
		stopped = true
		t.Fatalf("fakecloud %v: %v", args, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the fake cloud did not start")
	}
	return stop, nil
}

// readEnvFile reads the export lines fakecloud writes.
func readEnvFile(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path) //nolint:gosec // G304: the test's own file
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, value, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "=")
		if ok {
			env[name] = strings.Trim(value, "'")
		}
	}
	return env
}
