// Command terraform-provider-<type> serves one of projectkit's Terraform providers. The type
// comes from the executable's name, so one build serves trro, iam or yunxiao depending on how
// it is named: terraform-provider-trro, terraform-provider-trro_v1.2.3, and so on.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao"
)

// Run "go generate" to format example terraform files and generate the docs for the registry. The docs
// render from the schema the providers themselves answer (tools/providerschema), not from the
// terraform on PATH, so that Terraform 1.11 and 1.14 render the same pages.
//go:generate terraform fmt -recursive ./examples/
//go:generate go run ./tools/providerschema -type trro -out bin/schema/trro.json
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir . --provider-name trro --providers-schema bin/schema/trro.json --rendered-website-dir docs/trro --website-source-dir templates/trro --examples-dir examples/trro
//go:generate go run ./tools/providerschema -type yunxiao -out bin/schema/yunxiao.json
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir . --provider-name yunxiao --providers-schema bin/schema/yunxiao.json --rendered-website-dir docs/yunxiao --website-source-dir templates/yunxiao --examples-dir examples/yunxiao
//go:generate go run ./tools/providerschema -type iam -out bin/schema/iam.json
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir . --provider-name iam --providers-schema bin/schema/iam.json --rendered-website-dir docs/iam --website-source-dir templates/iam --examples-dir examples/iam

// version is stamped by every build, make build and make install as much as the release zips:
// the GNUmakefile's GO_LDFLAGS (-X main.version=<VERSION>), which release-snapshot and
// .goreleaser.yml share, so that the same version gives the same binary everywhere.
var version = "dev"

// providers maps each provider type to its constructor.
var providers = map[string]func(string) func() provider.Provider{
	iam.TypeName:     iam.New,
	trro.TypeName:    trro.New,
	yunxiao.TypeName: yunxiao.New,
}

// executableName matches terraform-provider-<type>, optionally followed by _v<version> and .exe.
var executableName = regexp.MustCompile(`^terraform-provider-([a-z0-9]+)(?:_v[0-9][0-9A-Za-z.+-]*)?(?:\.exe)?$`)

// providerType returns the type the executable at path serves.
func providerType(path string) (string, error) {
	name := filepath.Base(path)
	m := executableName.FindStringSubmatch(name)
	if m != nil {
		if _, ok := providers[m[1]]; ok {
			return m[1], nil
		}
	}
	valid := make([]string, 0, len(providers))
	for t := range providers {
		valid = append(valid, "terraform-provider-"+t)
	}
	sort.Strings(valid)
	return "", fmt.Errorf("cannot tell which provider to serve from the executable name %q: name it one of %s (optionally with a _vX.Y.Z suffix)",
		name, strings.Join(valid, ", "))
}

// logLevelVariables are the variables with which a user asks Terraform for a provider's logs;
// the plugin SDK reads the last four, TF_LOG_PROVIDER_<TYPE> setting the provider's own level.
func logLevelVariables(typeName string) []string {
	return []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_" + strings.ToUpper(typeName), "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
}

// quietUnlessLogging turns the provider's loggers off when the user asked for no logs.
// Served by Terraform, the plugin SDK logs at TRACE unless told otherwise and sends every line
// to Terraform, which parses and then drops them: a third of the provider's cost in a large
// plan (see docs/benchmarks.md). Terraform only keeps provider logs when one of these variables
// is set, and the plugin inherits Terraform's environment, so with none set nothing is lost.
func quietUnlessLogging(typeName string, lookup func(string) (string, bool), set func(string, string) error) {
	variables := logLevelVariables(typeName)
	for _, name := range variables {
		if v, ok := lookup(name); ok && v != "" {
			return
		}
	}
	for _, name := range variables[2:] {
		_ = set(name, "OFF")
	}
}

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	typeName, err := providerType(os.Args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	quietUnlessLogging(typeName, os.LookupEnv, os.Setenv)
	providerutil.TuneGC(os.LookupEnv)
	err = providerserver.Serve(context.Background(), providers[typeName](version), providerserver.ServeOpts{
		Address: "registry.terraform.io/projectkit/" + typeName,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
