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

	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
)

// Run "go generate" to format example terraform files and generate the docs for the registry.
//go:generate terraform fmt -recursive ./examples/
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir . --provider-name trro --rendered-website-dir docs/trro --website-source-dir templates/trro --examples-dir examples/trro

// version is set by the release build (-ldflags "-X main.version=...").
var version = "dev"

// providers maps each provider type to its constructor.
var providers = map[string]func(string) func() provider.Provider{
	trro.TypeName: trro.New,
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

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()

	typeName, err := providerType(os.Args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	err = providerserver.Serve(context.Background(), providers[typeName](version), providerserver.ServeOpts{
		Address: "registry.terraform.io/projectkit/" + typeName,
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
