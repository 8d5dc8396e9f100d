package transport

import (
	"slices"
	"testing"
)

func TestCopyAnswerFields(t *testing.T) {
	empty, value := "", "v"
	var a, b, c, d, e, f string
	missing := CopyAnswerFields(
		AnswerField{Key: "absent", From: nil, To: &a},
		AnswerField{Key: "empty", From: &empty, To: &b},
		AnswerField{Key: "emptyAllowed", From: &empty, To: &c, MayBeEmpty: true},
		AnswerField{Key: "absentOptional", From: nil, To: &d, Optional: true},
		AnswerField{Key: "absentMayBeEmpty", From: nil, To: &e, MayBeEmpty: true},
		AnswerField{Key: "present", From: &value, To: &f},
	)
	if want := []string{"absent", "empty", "absentMayBeEmpty"}; !slices.Equal(missing, want) {
		t.Errorf("missing = %v, want %v", missing, want)
	}
	if f != "v" || a != "" || d != "" {
		t.Errorf("copied %q %q %q", a, d, f)
	}
}
