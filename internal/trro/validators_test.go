package trro

import (
	"strings"
	"testing"
)

func TestDescriptionProblem(t *testing.T) {
	for _, ok := range []string{"", "plain", "  padded  ", "line one\nline two", "\tindented", "工业能源版项目", "emoji 🚜"} {
		if p := descriptionProblem(ok); p != "" {
			t.Errorf("descriptionProblem(%+q) = %q, want none", ok, p)
		}
	}
	for bad, want := range map[string]string{
		"a\x00b":     "U+0000",
		"a\rb":       "U+000D",
		"a\x1bb":     "U+001B",
		"a\u0085b":   "U+0085",
		"a\u200bb":   "U+200B",
		"a\ufeffb":   "U+FEFF",
		"a\u202eb":   "U+202E",
		"a\u2028b":   "U+2028",
		"a\u2029b":   "U+2029",
		"\u200d":     "U+200D",
		"ok\x7f":     "U+007F",
		"tab\t\x01x": "U+0001",
	} {
		if p := descriptionProblem(bad); !strings.Contains(p, want) {
			t.Errorf("descriptionProblem(%+q) = %q, want it to name %s", bad, p, want)
		}
	}
}
