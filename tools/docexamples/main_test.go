package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const page = "# Page\n\n" +
	"```terraform\nresource \"trro_project\" \"a\" {\n  name = \"a\"\n}\n```\n\n" +
	"```shell\n```terraform\nnot hcl: inside a shell block\n```\n\n" +
	"<!-- examples-check: validate-only: the id is a placeholder -->\n" +
	"```terraform\nimport {\n  to = iam_project.p\n  id = \"x\"\n}\n```\n\n" +
	"```terraform\n# main.tf\nterraform {\n  required_providers {}\n}\n```\n\n" +
	"```terraform\n# tests/a.tftest.hcl\nrun \"a\" {}\n```\n\n" +
	"```terraform\n# q.tfquery.hcl\nlist \"trro_project\" \"l\" {\n  provider = trro\n}\n```\n\n" +
	"```hcl\nprovider_installation {\n  direct {}\n}\n```\n"

func TestParseAndGroup(t *testing.T) {
	blocks, err := parseBlocks("docs/trro/guides/testing.md", page)
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 6 {
		t.Fatalf("got %d blocks, want 6 (the shell block's content is not HCL): %+v", len(blocks), blocks)
	}
	want := []struct{ mode, file string }{
		{modePlan, ""}, {modeValidate, ""}, {modePlan, "main.tf"}, {modePlan, "tests/a.tftest.hcl"},
		{modeFmt, "q.tfquery.hcl"}, {modeFmt, ""},
	}
	for i, w := range want {
		if blocks[i].mode != w.mode || blocks[i].file != w.file {
			t.Errorf("block %d (line %d): mode %q file %q, want %q %q", i, blocks[i].line, blocks[i].mode, blocks[i].file, w.mode, w.file)
		}
	}
	configs := group("docs/trro/guides/testing.md", blocks)
	// a, import, main.tf+test, query, CLI configuration.
	if len(configs) != 5 {
		t.Fatalf("got %d configurations, want 5: %+v", len(configs), configs)
	}
	if n := len(configs[2].blocks); n != 2 || configs[2].dir != "trro/doc-testing-guides-22" {
		t.Errorf("the named blocks: %d blocks in %q, want 2 in trro/doc-testing-guides-22", n, configs[2].dir)
	}
}

func TestMarkerNeedsReason(t *testing.T) {
	_, err := parseBlocks("p.md", "<!-- examples-check: fmt-only -->\n```terraform\nx {}\n```\n")
	if err == nil || !strings.Contains(err.Error(), "must say why") {
		t.Fatalf("got %v, want an error asking for the reason", err)
	}
	if _, err := parseBlocks("p.md", "```terraform\n# ../x.tf\n```\n"); err == nil {
		t.Fatal("a file name outside the configuration was accepted")
	}
	if _, err := parseBlocks("p.md", "```terraform\nx {}\n"); err == nil {
		t.Fatal("an unclosed block was accepted")
	}
}

func TestProvidersBlock(t *testing.T) {
	frag := []block{{text: "data \"yunxiao_projects\" \"p\" {}\nimport {\n  to = iam_project.p\n  id = \"x\"\n}\nprovider \"trro\" {}\n"}}
	got := providersBlock(frag, "~> 0.2")
	for _, want := range []string{`source  = "projectkit/iam"`, `source  = "projectkit/trro"`, `source  = "projectkit/yunxiao"`, `version = "~> 0.2"`} {
		if !strings.Contains(got, want) {
			t.Errorf("the generated block lacks %s:\n%s", want, got)
		}
	}
	complete := []block{{text: "terraform {\n  required_providers {}\n}\nresource \"trro_project\" \"a\" {}\n"}}
	if got := providersBlock(complete, "~> 0.2"); got != "" {
		t.Errorf("a configuration with required_providers got a generated block:\n%s", got)
	}
}

func TestExtractWritesFiles(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "docs", "trro", "guides", "testing.md")
	if err := os.MkdirAll(filepath.Dir(md), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(md, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var out bytes.Buffer
	if err := extract(&out, "tree", "~> 0.2", []string{"docs/trro/guides/testing.md"}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{
		"tree/trro/doc-testing-guides-3/main.tf",
		"tree/trro/doc-testing-guides-3/zz_generated_providers.tf",
		"tree/trro/doc-testing-guides-22/main.tf",
		"tree/trro/doc-testing-guides-22/tests/a.tftest.hcl",
		"tree/trro/doc-testing-guides-34/q.tfquery.hcl.tf",
	} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("missing %s: %v\n%s", f, err, out.String())
		}
	}
	if _, err := os.Stat("tree/trro/doc-testing-guides-22/zz_generated_providers.tf"); err == nil {
		t.Error("a configuration with its own required_providers got a generated block")
	}
	if !strings.Contains(out.String(), "validate-only\ttrro/doc-testing-guides-15\tdocs/trro/guides/testing.md:15 (the id is a placeholder)") {
		t.Errorf("the manifest does not list the marked block with its reason:\n%s", out.String())
	}
}

func TestLinks(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("guide.md", "# Guide\n\n## Bulk import: many at once\n")
	write("index.md", "[ok](guide.md) [anchor](guide.md#bulk-import-many-at-once) [web](https://x.example/y)\n"+
		"[no md](guide) [bad anchor](guide.md#nothing)\n```\n[in a block](nowhere)\n```\n")
	var out bytes.Buffer
	err := checkLinks(&out, []string{filepath.Join(dir, "index.md")})
	if err == nil || !strings.Contains(err.Error(), "2 broken") {
		t.Fatalf("got %v, want 2 broken links:\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "guide: no such file (the page is guide.md)") || !strings.Contains(out.String(), "has no heading #nothing") {
		t.Errorf("the report does not name the broken links:\n%s", out.String())
	}
}
