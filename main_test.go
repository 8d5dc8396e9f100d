package main

import (
	"strings"
	"testing"
)

func TestProviderTypeFromExecutableName(t *testing.T) {
	for path, want := range map[string]string{
		"terraform-provider-trro":                 "trro",
		"/plugins/terraform-provider-trro_v1.2.3": "trro",
		"terraform-provider-trro_v0.1.0-beta.exe": "trro",
		"./bin/terraform-provider-trro.exe":       "trro",
	} {
		got, err := providerType(path)
		if err != nil || got != want {
			t.Errorf("providerType(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	for _, path := range []string{"terraform-provider-projectkit", "terraform-provider-aws", "provider", "terraform-provider-trro_1.0"} {
		_, err := providerType(path)
		if err == nil {
			t.Errorf("providerType(%q) succeeded", path)
			continue
		}
		if !strings.Contains(err.Error(), "terraform-provider-trro") {
			t.Errorf("error for %q does not list the valid names: %v", path, err)
		}
	}
}
