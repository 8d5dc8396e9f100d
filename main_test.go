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

func TestQuietUnlessLogging(t *testing.T) {
	run := func(env map[string]string) map[string]string {
		set := map[string]string{}
		quietUnlessLogging("trro", func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			func(k, v string) error { set[k] = v; return nil })
		return set
	}
	if set := run(map[string]string{}); set["TF_LOG_PROVIDER_TRRO"] != "OFF" || set["TF_LOG_SDK"] != "OFF" ||
		set["TF_LOG_SDK_PROTO"] != "OFF" || set["TF_LOG_SDK_FRAMEWORK"] != "OFF" || len(set) != 4 {
		t.Errorf("with no log variables, set %v; want every provider logger OFF", set)
	}
	for _, name := range logLevelVariables("trro") {
		if set := run(map[string]string{name: "DEBUG"}); len(set) != 0 {
			t.Errorf("with %s=DEBUG, set %v; want nothing changed", name, set)
		}
	}
}
