package listing

import (
	"errors"
	"fmt"
	"strings"
)

// IncompleteListError says a list call gave no complete, consistent listing (pages that do not
// add up to the total the API reports, a next link that does not end), so the list cannot prove
// what it holds or lacks: a lookup must never conclude "not there" from it.
type IncompleteListError struct {
	// Service and Operation name the call, e.g. "TRRO" and "DescribeProjectList"; Scope what
	// was listed, e.g. "the account".
	Service, Operation, Scope string
	// Walks is how many times the pages were walked from the first (0: not counted).
	Walks int
	// Problem says what the last walk found, e.g. "page 2 was empty although Total says 101".
	Problem string
}

func (e *IncompleteListError) Error() string {
	walks := ""
	if e.Walks > 0 {
		walks = fmt.Sprintf(" in %d walks of its pages", e.Walks)
	}
	return fmt.Sprintf("%s %s gave no complete listing of %s%s: %s. Projects are being created or deleted while the list is "+
		"read, or the API's pages do not add up; run again.", e.Service, e.Operation, e.Scope, walks, e.Problem)
}

// IsIncompleteList reports whether err is an *IncompleteListError.
func IsIncompleteList(err error) bool {
	var e *IncompleteListError
	return errors.As(err, &e)
}

// DuplicateKeyError says a list call listed several live objects with one key that the API
// keeps unique (an IAM name in an account, a Yunxiao custom code in an organization): the answer
// is not trusted, and no object is picked from it.
type DuplicateKeyError struct {
	Service, Operation string
	// Key names the key, e.g. "name"; Value is the value looked up; IDs are the objects listed.
	Key, Value string
	IDs        []string
}

func (e *DuplicateKeyError) Error() string {
	return fmt.Sprintf("%s %s listed %d projects with %s %q (%s), which the API keeps unique: the answer cannot tell which one is meant",
		e.Service, e.Operation, len(e.IDs), e.Key, e.Value, strings.Join(e.IDs, ", "))
}

// IsDuplicateKey reports whether err is a *DuplicateKeyError.
func IsDuplicateKey(err error) bool {
	var e *DuplicateKeyError
	return errors.As(err, &e)
}
