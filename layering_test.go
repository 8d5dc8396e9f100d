package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The API clients and the plumbing under them know nothing of Terraform's plugin framework
// (docs/design.md, layers): a client can be used, and tested, without a provider around it.
func TestClientsImportNoPluginFramework(t *testing.T) {
	pkgs := []string{
		"./internal/trro/client", "./internal/iam/client", "./internal/yunxiao/client",
		"./internal/trro/mock", "./internal/iam/mock", "./internal/yunxiao/mock",
		"./internal/transport", "./internal/listing", "./internal/mockserver",
	}
	for _, pkg := range pkgs {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "github.com/hashicorp/terraform-plugin-framework") || strings.HasSuffix(dep, "/internal/providerutil") {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
