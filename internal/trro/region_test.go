package trro

import (
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// A region typo, in the provider block or in TENCENTCLOUD_REGION, fails `terraform plan` (exit 1)
// naming the nearest documented region, before any call; the mock answers the same typo with
// UnsupportedRegion, so nothing can reach it unnoticed; a documented region plans.
func TestAccProvider_regionTypo(t *testing.T) {
	acctest.RequireAcc(t)
	plan := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
	t.Run("argument", func(t *testing.T) {
		e := newTestEnv(t)
		d := e.workdir(providerBlockFor(e.url, `  region = "ap-guangzho"`) + oneProject)
		out, code := d.Run(plan...)
		if code != 1 {
			t.Fatalf("plan with region ap-guangzho exited %d, want 1:\n%s", code, out)
		}
		acctest.WantOutput(t, "the plan", out, "Unknown TRRO region", `TRRO does not serve region "ap-guangzho"`, `Did you mean "ap-guangzhou"?`)
		acctest.CheckNoRequests(t, e.mock)
	})
	t.Run("environment", func(t *testing.T) {
		e := newTestEnv(t)
		t.Setenv("TENCENTCLOUD_REGION", "eu-frankfrut")
		d := e.workdir(providerBlockFor(e.url) + oneProject)
		out, code := d.Run(plan...)
		if code != 1 {
			t.Fatalf("plan with TENCENTCLOUD_REGION=eu-frankfrut exited %d, want 1:\n%s", code, out)
		}
		acctest.WantOutput(t, "the plan", out, "Unknown TRRO region in TENCENTCLOUD_REGION", `Did you mean "eu-frankfurt"?`)
		acctest.CheckNoRequests(t, e.mock)
	})
	t.Run("documented region", func(t *testing.T) {
		e := newTestEnv(t)
		t.Setenv("TENCENTCLOUD_REGION", "eu-frankfurt")
		d := e.workdir(providerBlockFor(e.url) + oneProject)
		if out, code := d.Run(plan...); code != 2 {
			t.Fatalf("plan in eu-frankfurt exited %d, want 2:\n%s", code, out)
		}
		if n := e.mock.Requests(client.ActionDescribeProjectList); n != 1 {
			t.Errorf("the credential check ran %d times, want 1", n)
		}
	})
	t.Run("mock refuses the typo", func(t *testing.T) {
		e := newTestEnv(t)
		c, err := client.New(client.Config{SecretID: testSecretID, SecretKey: testSecretKey, Endpoint: e.url, Region: "ap-guangzho"})
		if err != nil {
			t.Fatal(err)
		}
		err = c.ValidateCredentials(t.Context())
		if err == nil || !strings.Contains(err.Error(), "UnsupportedRegion") {
			t.Fatalf("a call in region ap-guangzho got %v, want UnsupportedRegion", err)
		}
		if n := e.mock.Requests(mockserver.AnyOperation); n < 1 {
			t.Errorf("the mock saw %d requests", n)
		}
		if n := len(e.mock.Projects()); n != 0 {
			t.Errorf("the mock holds %d projects", n)
		}
	})
}
