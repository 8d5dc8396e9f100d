package acctest

import (
	"strings"
	"testing"
)

func TestCheckDestroyed(t *testing.T) {
	t.Parallel()
	var left []string
	check := CheckDestroyed(func() []string { return left })
	if err := check(nil); err != nil {
		t.Errorf("nothing left: %v", err)
	}
	left = []string{"payments"}
	if err := check(nil); err == nil || !strings.Contains(err.Error(), "still holds 1 project(s) after destroy: [payments]") {
		t.Errorf("one left: %v", err)
	}
}
