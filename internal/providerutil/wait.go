package providerutil

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// ReadAfterCreate bounds the wait of WaitVisible for a new object.
type ReadAfterCreate struct {
	// MaxWait is how long a new object may stay invisible to reads.
	MaxWait time.Duration
	// FirstDelay is the first pause between reads; it doubles up to 5s.
	FirstDelay time.Duration
}

// DefaultReadAfterCreate waits up to 30s, pausing 200ms, 400ms, ... between reads.
var DefaultReadAfterCreate = ReadAfterCreate{MaxWait: 30 * time.Second, FirstDelay: 200 * time.Millisecond}

// WaitVisible reads a newly created object, reading again while the API still says it does not
// exist: clouds can take a moment before a new object is visible to reads (eventual
// consistency), and that is no reason to report an inconsistent result.
func WaitVisible[T any](ctx context.Context, w ReadAfterCreate, notFound func(error) bool, read func(context.Context) (T, error)) (T, error) {
	deadline := time.Now().Add(w.MaxWait)
	delay := w.FirstDelay
	for {
		v, err := read(ctx)
		if err == nil || !notFound(err) || time.Now().Add(delay).After(deadline) {
			return v, err
		}
		if transport.Sleep(ctx, delay) != nil {
			// Time ran out while the object was still invisible: that is no proof that it does
			// not exist, so the error is the context's, never "not found".
			return v, fmt.Errorf("still not visible when the operation's time ran out (%v), which is no proof that it is gone: "+ //nolint:errorlint // the not-found answer must not be matched by callers
				"run the command again, or raise the resource's timeouts: %w", err, ctx.Err())
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// NotRefreshed warns that a resource kept its last known state because the provider's
// configuration is not known yet (it depends on resources still to be created).
func NotRefreshed(diags *diag.Diagnostics, service, provider string) {
	diags.AddWarning(service+" project not refreshed",
		fmt.Sprintf("The %s provider's configuration is not known yet, so the project was not read; the plan uses the last known state.", provider))
}

// createdKey is the private-state key that holds when the resource created its object, in
// Unix seconds. It is short because Terraform writes the whole state again after each resource
// it changes: a 100-byte mark per resource cost an apply of 200 a tenth of Terraform's time.
// legacyCreatedKey is the RFC 3339 mark of 0.1.0 to 0.2.0 (iam, yunxiao), still read.
const (
	createdKey       = "c"
	legacyCreatedKey = "created_at"
)

// MarkCreated records in a create's private state when the object was created, for
// ReadRecentlyCreated: a create that keeps the API's answer without reading the object back
// leaves the first refresh to meet an object not visible yet. No read removes the mark; it
// expires by its age. A read that removed it would change the private state, which Terraform
// counts as a change of a refresh-only plan: `terraform plan -refresh-only -detailed-exitcode`,
// the usual drift check, would exit 2 ("No changes") after every apply.
func MarkCreated(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, at time.Time) diag.Diagnostics {
	// Rounded up, so that the wait it allows is never shorter than from the real time.
	secs := at.Unix()
	if at.Nanosecond() > 0 {
		secs++
	}
	return private.SetKey(ctx, createdKey, strconv.AppendInt(nil, secs, 10))
}

// createdAt returns the time MarkCreated recorded, or the zero time.
func createdAt(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) time.Time {
	if private == nil {
		return time.Time{}
	}
	if b, _ := private.GetKey(ctx, createdKey); len(b) > 0 {
		if secs, err := strconv.ParseInt(string(b), 10, 64); err == nil {
			return time.Unix(secs, 0)
		}
		return time.Time{}
	}
	b, _ := private.GetKey(ctx, legacyCreatedKey)
	var s string
	if len(b) == 0 || json.Unmarshal(b, &s) != nil {
		return time.Time{}
	}
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// ReadRecentlyCreated reads an object whose create may have been moments ago: when read says
// it does not exist while the object is younger than w.MaxWait (MarkCreated), it reads again
// until then, as WaitVisible does, rather than conclude that the object is gone.
func ReadRecentlyCreated[T any](ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}, w ReadAfterCreate, notFound func(error) bool, read func(context.Context) (T, error)) (T, error) {
	v, err := read(ctx)
	if err == nil || !notFound(err) {
		return v, err
	}
	// At most w.MaxWait, also when the mark is in the future (another machine's clock).
	if left := min(time.Until(createdAt(ctx, private).Add(w.MaxWait)), w.MaxWait); left > 0 {
		return WaitVisible(ctx, ReadAfterCreate{MaxWait: left, FirstDelay: w.FirstDelay}, notFound, read)
	}
	return v, err
}
