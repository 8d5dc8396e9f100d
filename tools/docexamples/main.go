// Command docexamples serves scripts/check-examples.sh: it takes the HCL blocks out of Markdown
// pages (docs/, the README) so that each can be checked as the configuration a reader would
// paste, and it checks the pages' relative links.
//
//	go run ./tools/docexamples -out .local/examples-check/tree/examples -constraint "~> 0.2" README.md docs/*.md docs/*/*.md docs/*/*/*.md
//	go run ./tools/docexamples -links README.md docs/*.md docs/*/*.md docs/*/*/*.md
//
// A block is a fenced block whose info string is terraform, hcl or tf. How it is checked:
//
//   - A block is a configuration of its own, in its own directory, unless its first line is a
//     comment naming a file (`# main.tf`, `# variables.tf`, `# tests/project.tftest.hcl`): the
//     named blocks of one page are the files of one configuration, in one directory.
//   - A configuration without a terraform block that has required_providers is a fragment (a
//     lone resource, data source or import block): a generated zz_generated_providers.tf
//     requires the projectkit providers its blocks name (by the prefix of their types, or the
//     provider block's name), as the page's provider index shows how.
//   - Every block is checked with terraform fmt. Every configuration is then validated and
//     planned against the fake cloud, and one with .tftest.hcl files also runs terraform test.
//   - An HTML comment on the line before the fence lowers that, with the reason, which the
//     reader does not see: `<!-- examples-check: validate-only: the ids are placeholders -->`
//     (fmt and validate, no plan) or `<!-- examples-check: fmt-only: needs Terraform 1.12 -->`.
//   - Blocks that are not a configuration for Terraform 1.11 are fmt-only without a comment:
//     a `# <name>.tfquery.hcl` block (list blocks need Terraform 1.14) and a CLI configuration
//     (provider_installation, credentials, host, plugin_cache_dir… blocks).
//
// Each configuration goes to <out>/<provider>/doc-<page>-<line>/ (provider: the docs/<provider>/
// folder of the page, else "docs"), beside a copy of the examples, so that a documented module
// call such as source = "../modules/trro_project" finds the module the page names. The tool
// prints one line per directory: mode, directory, and the page and line of its blocks.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Modes, from the strictest to the weakest.
const (
	modePlan     = "plan"
	modeValidate = "validate-only"
	modeFmt      = "fmt-only"
)

// block is one fenced HCL block of a page.
type block struct {
	page string
	line int // of the opening fence, 1-based
	// file is the name its first line gives (`# tests/x.tftest.hcl`), or "".
	file string
	text string
	// mode is the marker's, or the mode its kind implies; reason says why it is not plan.
	mode, reason string
}

// config is one directory to check: one block, or a page's named blocks.
type config struct {
	dir    string
	mode   string
	blocks []block
}

var (
	fencePattern  = regexp.MustCompile("^```[ \t]*([A-Za-z0-9_+-]*)[ \t]*$")
	markerPattern = regexp.MustCompile(`^<!--\s*examples-check:\s*(validate-only|fmt-only)\s*(?::\s*(.*?))?\s*-->\s*$`)
	// A file-name comment: "# main.tf", "# tests/project.tftest.hcl", "# projects.tfquery.hcl".
	fileNamePattern = regexp.MustCompile(`^#\s+([A-Za-z0-9_./-]+\.(?:tf|tfvars|tftest\.hcl|tfquery\.hcl))\s*$`)
	// Top-level blocks start in the first column: every block passes terraform fmt.
	topBlockPattern = regexp.MustCompile(`^([a-z_]+)(?:\s+"([^"]*)")?(?:\s+"([^"]*)")?\s*\{`)
	importToPattern = regexp.MustCompile(`^\s+to\s*=\s*([a-z0-9]+)_[a-z0-9_]+\.`)
	linkPattern     = regexp.MustCompile(`\]\(([^)\s]+)\)`)
)

// cliConfigBlocks are the blocks of Terraform's CLI configuration (.terraformrc), which no
// Terraform configuration has.
var cliConfigBlocks = map[string]bool{"provider_installation": true, "credentials": true, "credentials_helper": true, "host": true}

func main() {
	out := flag.String("out", "", "write each configuration under this directory (the copy of examples/)")
	constraint := flag.String("constraint", "", "the version constraint of the generated required_providers, e.g. \"~> 0.2\"")
	links := flag.Bool("links", false, "check the pages' relative links instead: each must name an existing file (and heading)")
	flag.Parse()
	if flag.NArg() == 0 || (!*links && (*out == "" || *constraint == "")) {
		fmt.Fprintln(os.Stderr, "usage: docexamples -out DIR -constraint C page.md...  |  docexamples -links page.md...")
		os.Exit(2)
	}
	var err error
	if *links {
		err = checkLinks(os.Stdout, flag.Args())
	} else {
		err = extract(os.Stdout, *out, *constraint, flag.Args())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// extract writes every page's configurations under out and lists them on w.
func extract(w io.Writer, out, constraint string, pages []string) error {
	var all []config
	for _, page := range pages {
		text, err := os.ReadFile(page)
		if err != nil {
			return err
		}
		blocks, err := parseBlocks(page, string(text))
		if err != nil {
			return err
		}
		all = append(all, group(page, blocks)...)
	}
	for _, c := range all {
		dir := filepath.Join(out, c.dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for i, b := range c.blocks {
			name := b.file
			if name == "" {
				name = "main.tf"
				if b.mode == modeFmt {
					name = fmt.Sprintf("block%d.tf", i) // fmt reads .tf files; nothing else does here
				}
			}
			if b.mode == modeFmt && !strings.HasSuffix(name, ".tf") {
				name += ".tf" // terraform fmt only takes .tf, .tfvars and .tftest.hcl files
			}
			path := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return err
			}
			if _, err := os.Stat(path); err == nil {
				return fmt.Errorf("%s:%d: a second block named %s on the page", b.page, b.line, name)
			}
			if err := os.WriteFile(path, []byte(b.text), 0o600); err != nil {
				return err
			}
		}
		if c.mode != modeFmt {
			if gen := providersBlock(c.blocks, constraint); gen != "" {
				if err := os.WriteFile(filepath.Join(dir, "zz_generated_providers.tf"), []byte(gen), 0o600); err != nil {
					return err
				}
			}
		}
		var where []string
		for _, b := range c.blocks {
			where = append(where, fmt.Sprintf("%s:%d", b.page, b.line))
		}
		reason := ""
		for _, b := range c.blocks {
			if b.mode == c.mode && b.reason != "" {
				reason = " (" + b.reason + ")"
			}
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s%s\n", c.mode, c.dir, strings.Join(where, ","), reason); err != nil {
			return err
		}
	}
	return nil
}

// parseBlocks returns a page's HCL blocks with their markers and file names.
func parseBlocks(page, text string) ([]block, error) {
	var blocks []block
	var cur *block
	var body []string
	prev := "" // the last line before the current one
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		m := fencePattern.FindStringSubmatch(line)
		switch {
		case cur != nil && m != nil && m[1] == "":
			cur.text = strings.Join(body, "\n") + "\n"
			if err := classify(cur); err != nil {
				return nil, err
			}
			blocks = append(blocks, *cur)
			cur, body = nil, nil
		case cur != nil:
			body = append(body, line)
		case m != nil && isHCL(m[1]):
			cur = &block{page: page, line: n, mode: modePlan}
			if mm := markerPattern.FindStringSubmatch(prev); mm != nil {
				cur.mode, cur.reason = mm[1], mm[2]
				if cur.reason == "" {
					return nil, fmt.Errorf("%s:%d: an examples-check marker must say why (<!-- examples-check: %s: why -->)", page, n-1, cur.mode)
				}
			}
		case m != nil:
			// Another language's block: skip to its closing fence (one without an info string), so
			// that its lines are not read as fences.
			for n++; sc.Scan(); n++ {
				if strings.TrimSpace(sc.Text()) == "```" {
					break
				}
			}
		}
		prev = line
	}
	if cur != nil {
		return nil, fmt.Errorf("%s:%d: the block is not closed", page, cur.line)
	}
	return blocks, sc.Err()
}

func isHCL(info string) bool {
	switch info {
	case "terraform", "hcl", "tf":
		return true
	}
	return false
}

// classify sets a block's file name and, for what Terraform 1.11 cannot validate, its mode.
func classify(b *block) error {
	first, _, _ := strings.Cut(b.text, "\n")
	if m := fileNamePattern.FindStringSubmatch(first); m != nil {
		b.file = m[1]
		if strings.HasPrefix(b.file, "/") || strings.Contains(b.file, "..") {
			return fmt.Errorf("%s:%d: the file name %q must be relative, inside the configuration", b.page, b.line, b.file)
		}
	}
	switch {
	case strings.HasSuffix(b.file, ".tfquery.hcl"):
		b.mode, b.reason = modeFmt, "a query file: list blocks need Terraform 1.14"
	case isCLIConfig(b.text):
		b.mode, b.reason = modeFmt, "Terraform's CLI configuration, not a module"
	}
	return nil
}

func isCLIConfig(text string) bool {
	found := false
	for _, line := range strings.Split(text, "\n") {
		m := topBlockPattern.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if !cliConfigBlocks[m[1]] {
			return false
		}
		found = true
	}
	return found
}

// group makes the page's configurations: each unnamed block alone, the named blocks together.
// A configuration takes its weakest block's mode.
func group(page string, blocks []block) []config {
	base := provider(page) + "/doc-" + strings.TrimSuffix(filepath.Base(page), ".md")
	if provider(page) == "docs" {
		base = "docs/doc-" + strings.ReplaceAll(strings.TrimSuffix(filepath.ToSlash(page), ".md"), "/", "-")
	} else if parts := strings.Split(filepath.ToSlash(page), "/"); len(parts) > 3 {
		base += "-" + parts[2] // docs/<provider>/<kind>/<page>.md: data-sources and resources share names
	}
	var configs []config
	var named *config
	for _, b := range blocks {
		if b.file == "" || b.mode == modeFmt && strings.HasSuffix(b.file, ".tfquery.hcl") {
			configs = append(configs, config{dir: fmt.Sprintf("%s-%d", base, b.line), mode: b.mode, blocks: []block{b}})
			continue
		}
		if named == nil {
			configs = append(configs, config{dir: fmt.Sprintf("%s-%d", base, b.line), mode: b.mode})
			named = &configs[len(configs)-1]
		}
		named.blocks = append(named.blocks, b)
		if rank(b.mode) < rank(named.mode) {
			named.mode = b.mode
		}
	}
	return configs
}

func rank(mode string) int {
	switch mode {
	case modeFmt:
		return 0
	case modeValidate:
		return 1
	}
	return 2
}

// provider is the provider folder a docs page is in (docs/<provider>/…), or "docs".
func provider(page string) string {
	parts := strings.Split(filepath.ToSlash(filepath.Clean(page)), "/")
	if len(parts) >= 3 && parts[0] == "docs" {
		return parts[1]
	}
	return "docs"
}

// providersBlock is the terraform block a fragment lacks: one requirement for each projectkit
// provider its blocks name, or "" when the configuration has its own required_providers or
// names no provider.
func providersBlock(blocks []block, constraint string) string {
	types := map[string]bool{}
	for _, b := range blocks {
		if strings.HasSuffix(b.file, ".tftest.hcl") || strings.HasSuffix(b.file, ".tfvars") {
			continue
		}
		if strings.Contains(b.text, "required_providers") {
			return ""
		}
		for _, line := range strings.Split(b.text, "\n") {
			if m := topBlockPattern.FindStringSubmatch(line); m != nil {
				switch m[1] {
				case "resource", "data", "ephemeral":
					if t, _, ok := strings.Cut(m[2], "_"); ok {
						types[t] = true
					}
				case "provider":
					types[m[2]] = true
				}
			} else if m := importToPattern.FindStringSubmatch(line); m != nil {
				types[m[1]] = true
			}
		}
	}
	if len(types) == 0 {
		return ""
	}
	names := make([]string, 0, len(types))
	for t := range types {
		names = append(names, t)
	}
	sort.Strings(names)
	var sb strings.Builder
	sb.WriteString("# Generated by scripts/check-examples.sh: the documented block is a fragment.\n")
	sb.WriteString("terraform {\n  required_version = \">= 1.5\"\n  required_providers {\n")
	for _, t := range names {
		fmt.Fprintf(&sb, "    %s = {\n      source  = \"projectkit/%s\"\n      version = %q\n    }\n", t, t, constraint)
	}
	sb.WriteString("  }\n}\n")
	return sb.String()
}

// checkLinks reports every relative link of the pages that names no existing file, or a
// heading its page does not have.
func checkLinks(w io.Writer, pages []string) error {
	var broken []string
	for _, page := range pages {
		text, err := os.ReadFile(page)
		if err != nil {
			return err
		}
		inFence := false
		for n, line := range strings.Split(string(text), "\n") {
			if strings.HasPrefix(line, "```") {
				inFence = !inFence
			}
			if inFence {
				continue
			}
			for _, m := range linkPattern.FindAllStringSubmatch(line, -1) {
				if msg := checkLink(page, m[1]); msg != "" {
					broken = append(broken, fmt.Sprintf("%s:%d: %s", page, n+1, msg))
				}
			}
		}
	}
	for _, b := range broken {
		if _, err := fmt.Fprintln(w, b); err != nil {
			return err
		}
	}
	if len(broken) > 0 {
		return fmt.Errorf("%d broken link(s)", len(broken))
	}
	return nil
}

// checkLink returns what is wrong with one link target of page, or "".
func checkLink(page, target string) string {
	if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
		return ""
	}
	file, anchor, _ := strings.Cut(target, "#")
	path := page
	if file != "" {
		path = filepath.Join(filepath.Dir(page), filepath.FromSlash(file))
		info, err := os.Stat(path) //nolint:gosec // a link of the repository's own pages, only looked at
		if err != nil {
			hint := ""
			if _, err := os.Stat(path + ".md"); err == nil { //nolint:gosec // as above
				hint = " (the page is " + file + ".md)"
			}
			return fmt.Sprintf("%s: no such file%s", target, hint)
		}
		if info.IsDir() || !strings.HasSuffix(path, ".md") {
			return ""
		}
	}
	if anchor == "" {
		return ""
	}
	ok, err := hasAnchor(path, anchor)
	if err != nil {
		return err.Error()
	}
	if !ok {
		return fmt.Sprintf("%s: %s has no heading #%s", target, path, anchor)
	}
	return ""
}

// hasAnchor reports whether the Markdown page has a heading (or an <a id>) with that anchor, as
// GitHub and the registry make them: lower case, spaces to hyphens, punctuation dropped.
func hasAnchor(page, anchor string) (bool, error) {
	text, err := os.ReadFile(page) //nolint:gosec // a page the links of the repository's own pages name
	if err != nil {
		return false, err
	}
	if strings.Contains(string(text), `id="`+anchor+`"`) {
		return true, nil
	}
	inFence := false
	for _, line := range strings.Split(string(text), "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(line, "#") {
			continue
		}
		if slug(strings.TrimLeft(line, "# ")) == anchor {
			return true, nil
		}
	}
	return false, nil
}

func slug(heading string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			sb.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
