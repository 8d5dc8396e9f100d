//go:build tools

// Package tools pins the code generators `go generate` runs, so `make generate` needs nothing
// installed by hand.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
