package main

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// An unknown top-level string named in the lengths gets a placeholder of that length; other
// unknown strings, and nested ones, keep "noop"; what cannot be read is left out.
func TestPlaceholder(t *testing.T) {
	placeholderLengths = parseLengths("id=32,status=6,description=0,bad,worse=x,negative=-1")
	t.Cleanup(func() { placeholderLengths = map[string]int{} })
	for _, c := range []struct {
		path *tftypes.AttributePath
		want int
	}{
		{tftypes.NewAttributePath().WithAttributeName("id"), 32},
		{tftypes.NewAttributePath().WithAttributeName("status"), 6},
		{tftypes.NewAttributePath().WithAttributeName("description"), 0},
		{tftypes.NewAttributePath().WithAttributeName("parent_id"), len("noop")},
		{tftypes.NewAttributePath().WithAttributeName("timeouts").WithAttributeName("id"), len("noop")},
	} {
		if got := placeholder(c.path); len(got) != c.want {
			t.Errorf("placeholder(%s) = %q, want %d characters", c.path, got, c.want)
		}
	}
	if len(placeholderLengths) != 3 {
		t.Errorf("parseLengths kept %v, want id, status and description only", placeholderLengths)
	}
}
