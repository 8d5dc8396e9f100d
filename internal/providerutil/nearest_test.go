package providerutil

import "testing"

func TestNearest(t *testing.T) {
	regions := []string{"ap-beijing", "ap-guangzhou", "ap-shanghai", "eu-frankfurt", "na-siliconvalley"}
	for in, want := range map[string]string{
		"ap-guangzho":    "ap-guangzhou",
		"ap-shangai":     "ap-shanghai",
		"eu-frankfrut":   "eu-frankfurt",
		"na-silicon":     "na-siliconvalley",
		"ap-beijing":     "ap-beijing",
		"ap-guangzhou-1": "ap-guangzhou",
	} {
		if got := Nearest(in, regions); got != want {
			t.Errorf("Nearest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Nearest("x", nil); got != "" {
		t.Errorf("Nearest with no candidates = %q, want \"\"", got)
	}
}
