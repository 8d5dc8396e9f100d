package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The reference's placeholders take the lengths of the provider's string values, read from its
// state: numbers, booleans and nulls are left out, and a state without an instance is an error.
func TestStringLengths(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "terraform.tfstate")
	if err := os.WriteFile(state, []byte(`{"version":4,"resources":[{"type":"iam_project","instances":[{"attributes":
		{"id":"0123456789abcdef0123456789abcdef","description":"","enabled":true,"status":"normal","timeouts":null,"count":3}}]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := stringLengths(state)
	if err != nil {
		t.Fatal(err)
	}
	if want := "description=0,id=32,status=6"; got != want {
		t.Errorf("stringLengths = %q, want %q", got, want)
	}

	if err := os.WriteFile(state, []byte(`{"version":4,"resources":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := stringLengths(state); err == nil {
		t.Error("stringLengths of a state without resources: no error")
	}
}
