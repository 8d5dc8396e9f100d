package trro

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// afterWriteConfig: the "reader" alias reads twelve projects (enough to list the account with
// batch reads) after terraform_data.go changes, then the default alias updates project x, then
// the reader reads x again. Served in-process, both aliases share one provider server (the
// last Configure's client), so the test cannot show another process's stale snapshot itself:
// it checks that the data sources send no DescribeProjectList at all, which is what keeps a
// separate alias process from serving a snapshot taken before the write.
func afterWriteConfig(url, round, description string) string {
	provider := func(alias string) string {
		return fmt.Sprintf(`
provider "trro" {
  %s
  secret_id                   = %q
  secret_key                  = %q
  endpoint                    = %q
  max_requests_per_second     = 1000
  skip_credentials_validation = true
  batch_reads                 = true
}
`, alias, testSecretID, testSecretKey, url)
	}
	return provider("") + provider(`alias = "reader"`) + fmt.Sprintf(`
resource "terraform_data" "go" {
  input = %q
}

resource "trro_project" "p" {
  count = 12
  name  = format("aw-%%02d", count.index)
}

data "trro_project" "others" {
  provider   = trro.reader
  count      = 12
  id         = trro_project.p[count.index].id
  depends_on = [terraform_data.go]
}

resource "trro_project" "x" {
  name        = "aw-x"
  description = %q
  depends_on  = [data.trro_project.others]
}

data "trro_project" "x" {
  provider   = trro.reader
  id         = trro_project.x.id
  depends_on = [trro_project.x]
}

output "x_description" {
  value = data.trro_project.x.description
}
`, round, description)
}

// A data source read after a write of the same run, through another alias (another provider
// instance, which may have listed the account for batch reads before the write), shows the
// write: data sources are never served from a snapshot.
func TestAccDataSourceAfterWriteAcrossAliases(t *testing.T) {
	acctest.RequireAcc(t)
	e := newTestEnv(t)
	e.mock.SetRateLimit(0)
	w := acctest.ServeWorkdir(t, TypeName, providerserver.NewProtocol6(testProvider()), afterWriteConfig(e.url, "1", "before"))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")

	w.WriteMain(afterWriteConfig(e.url, "2", "after"))
	lists := e.mock.Requests(client.ActionDescribeProjectList)
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color", "-refresh=false")
	if got := strings.TrimSpace(w.MustRun("output", "-raw", "x_description")); got != "after" {
		t.Errorf("data.trro_project.x.description = %q after the update in the same run, want %q (served from a snapshot taken before the write)", got, "after")
	}
	id := w.State()["trro_project.x"].ID
	if p, ok := e.mock.Project(id); !ok || p.Description != "after" {
		t.Errorf("the mock holds %+v, %v; want project %s with description %q", p, ok, id, "after")
	}
	if n := e.mock.Requests(client.ActionDescribeProjectList) - lists; n != 0 {
		t.Errorf("the apply sent %d DescribeProjectList calls; data sources must read by id", n)
	}
	if n := len(e.mock.Projects()); n != 13 {
		t.Errorf("the mock holds %d projects, want 13", n)
	}
}
