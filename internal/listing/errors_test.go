package listing

import (
	"fmt"
	"strings"
	"testing"
)

func TestListErrorsSayWhatAndAreFoundThroughWrapping(t *testing.T) {
	incomplete := fmt.Errorf("lookup: %w", &IncompleteListError{Service: "TRRO", Operation: "DescribeProjectList", Scope: "the account", Walks: 3, Problem: "page 2 was empty"})
	if !IsIncompleteList(incomplete) || IsDuplicateKey(incomplete) {
		t.Errorf("%v: not classified as an incomplete list alone", incomplete)
	}
	if got := incomplete.Error(); !strings.Contains(got, "TRRO DescribeProjectList gave no complete listing of the account in 3 walks of its pages: page 2 was empty") {
		t.Errorf("message %q", got)
	}
	if got := (&IncompleteListError{Service: "IAM", Operation: "ListProjects", Scope: "the account's projects", Problem: "x"}).Error(); strings.Contains(got, "walks") {
		t.Errorf("message %q counts walks that were not counted", got)
	}
	dup := fmt.Errorf("lookup: %w", &DuplicateKeyError{Service: "IAM", Operation: "ListProjects", Key: "name", Value: "eu-de_a", IDs: []string{"1", "2"}})
	if !IsDuplicateKey(dup) || IsIncompleteList(dup) {
		t.Errorf("%v: not classified as a duplicate key alone", dup)
	}
	if got := dup.Error(); !strings.Contains(got, `IAM ListProjects listed 2 projects with name "eu-de_a" (1, 2)`) {
		t.Errorf("message %q", got)
	}
}
