package transport

import "testing"

func TestSharedKeyDiffersWithEveryPart(t *testing.T) {
	base := sharedKey("https://api.example", "AKID", "CreateProject", 20)
	if again := sharedKey("HTTPS://API.EXAMPLE", "AKID", "CreateProject", 20); again != base {
		t.Error("the key depends on the endpoint's case")
	}
	for name, k := range map[string]string{
		"endpoint":  sharedKey("https://api.example:8443", "AKID", "CreateProject", 20),
		"identity":  sharedKey("https://api.example", "AKID2", "CreateProject", 20),
		"operation": sharedKey("https://api.example", "AKID", "DeleteProject", 20),
		"rate":      sharedKey("https://api.example", "AKID", "CreateProject", 10),
		"boundary":  sharedKey("https://api.example", "AKIDCreate", "Project", 20),
	} {
		if k == base {
			t.Errorf("another %s gives the same key", name)
		}
	}
	if len(base) != 64 {
		t.Errorf("key %q is not a sha256 in hex", base)
	}
}

func TestParseNext(t *testing.T) {
	for in, ok := range map[string]bool{"": true, "00000000000000000042\n": true, "42\n": false, "0000000000000000004x\n": false, "00000000000000000042 ": false} {
		if _, got := parseNext([]byte(in)); got != ok {
			t.Errorf("parseNext(%q) ok = %v, want %v", in, got, ok)
		}
	}
}
