package providerutil

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(delay):
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
