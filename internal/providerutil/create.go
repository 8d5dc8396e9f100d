package providerutil

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// maxCreateAttempts bounds how often a create is sent while lookups prove the earlier attempts
// had no effect: as many attempts as transport.DefaultRetryPolicy allows any other call.
const maxCreateAttempts = 10

// DetachedGrace bounds the work that must still happen after an operation was interrupted
// (Ctrl-C) or its time ran out: finding a project whose create got no trustworthy answer, and
// reading back a created or adopted project so that the state is complete. Documented in the
// reliability guide.
const DetachedGrace = time.Minute

// PlanLookupTimeout bounds each plan-time lookup (the conflict checks), so that a hung API
// delays a plan by seconds, not minutes. Documented with the conflict checks.
const PlanLookupTimeout = 15 * time.Second

// Creation describes a create call that is not safe to repeat blindly, over the API's object T.
type Creation[T any] struct {
	// What names the object for messages, e.g. `TRRO project "payments"`.
	What string
	// ResourceType is the resource's type, e.g. "trro_project", for import instructions.
	ResourceType string
	// Create sends the create call and returns what the API answered (at least the id).
	Create func(ctx context.Context) (T, error)
	// Find returns the existing objects that match what Create would have made, looked up by
	// the API's unique key (or all attributes where there is none).
	Find func(ctx context.Context) ([]T, error)
	// ID returns an object's id.
	ID func(T) string
	// Read reads the object by id after it was created or adopted, waiting while NotFound says
	// it is not visible yet. Nil: what Create or Find returned is complete and is kept.
	Read     func(ctx context.Context, id string) (T, error)
	NotFound func(error) bool
	// Complete, when set, says whether the create's answer is the whole object (where the API
	// answers with it): such an answer is kept without a read-back. An adopted object, which
	// Find may have returned in part, is always read back.
	Complete func(T) bool
	// ImportID turns an id into what `terraform import` takes; nil means the id itself.
	ImportID func(id string) string
	// ReadAfterCreate bounds the read-back's wait; the zero value means DefaultReadAfterCreate.
	ReadAfterCreate ReadAfterCreate
	// Backoff is the pause before the n-th resend; nil means transport.DefaultRetryPolicy's.
	Backoff func(n int) time.Duration
}

// Created is the outcome of CreateAdopting.
type Created[T any] struct {
	// ID is the object's id whenever one is known to exist, even when err is not nil: the
	// caller keeps it in the state (tainted) rather than lose it.
	ID string
	// Object is complete when CreateAdopting returned no error.
	Object T
	// Adopted says the object was found after an unknown outcome, not confirmed by the answer.
	Adopted bool
}

// CreateAdopting runs c.Create. When an attempt may have acted without a trustworthy answer (a
// lost, late or bad answer, a 5xx, a timeout, an interrupt), it looks the object up rather than
// create it again or lose it: one match is adopted with a warning; none means the attempt had
// no effect, so it is sent again after a backoff (while time and attempts remain); several are
// ambiguous and left to the user. The lookup and the read-back of the created or adopted object
// run on a context that outlives an interrupt or a timeout by DetachedGrace, so the state ends
// complete rather than tainted.
func CreateAdopting[T any](ctx context.Context, c Creation[T], diags *diag.Diagnostics) (Created[T], error) {
	backoff := c.Backoff
	if backoff == nil {
		backoff = transport.DefaultRetryPolicy.Backoff
	}
	var out Created[T]
	for attempt := 1; ; attempt++ {
		obj, err := c.Create(ctx)
		if err == nil {
			out.ID, out.Object = c.ID(obj), obj
			break
		}
		if !transport.MayHaveActed(err) {
			return out, err
		}
		lookupCtx, cancel := Outlive(ctx, DetachedGrace)
		matches, findErr := c.Find(lookupCtx)
		cancel()
		if findErr != nil {
			return out, fmt.Errorf("%w\n\nLooking for the %s afterwards failed too (%v). Check whether it exists before applying again, and import it if it does", err, c.What, findErr) //nolint:errorlint // callers classify by the create error; the lookup's is only reported
		}
		if len(matches) == 1 {
			out.ID, out.Object, out.Adopted = c.ID(matches[0]), matches[0], true
			diags.AddWarning("Adopted an object whose creation was not confirmed",
				fmt.Sprintf("Creating the %s got no trustworthy answer (%v), but it exists with id %s. It has been taken into the state instead of being created a second time.",
					c.What, err, out.ID))
			break
		}
		if len(matches) > 1 {
			ids := make([]string, len(matches))
			for i, m := range matches {
				ids[i] = c.ID(m)
			}
			return out, fmt.Errorf("%w\n\nSeveral existing objects match the %s (%s), so the provider cannot tell which one, if any, it created. "+
				"Import the right one, for example:\n\n%s", err, c.What, strings.Join(ids, ", "), ImportInstructions(c.ResourceType, c.importID(ids[0])))
		}
		// No match: the attempt had no effect, so sending it again cannot make a duplicate.
		if ctx.Err() != nil || attempt >= maxCreateAttempts {
			return out, err
		}
		if sleep(ctx, backoff(attempt)) != nil {
			return out, err
		}
	}
	if c.Read == nil || (c.Complete != nil && !out.Adopted && c.Complete(out.Object)) {
		return out, nil
	}
	readCtx, cancel := Outlive(ctx, DetachedGrace)
	defer cancel()
	wait := c.ReadAfterCreate
	if wait == (ReadAfterCreate{}) {
		wait = DefaultReadAfterCreate
	}
	obj, err := WaitVisible(readCtx, wait, c.NotFound, func(ctx context.Context) (T, error) { return c.Read(ctx, out.ID) })
	if err != nil {
		return out, fmt.Errorf("the %s exists with id %s, but reading it back failed: %w", c.What, out.ID, err)
	}
	out.Object = obj
	return out, nil
}

func (c Creation[T]) importID(id string) string {
	if c.ImportID == nil {
		return id
	}
	return c.ImportID(id)
}

// ImportInstructions shows both ways to import an object: the command and the import block.
// Terraform prints the resource's address above a diagnostic; the framework does not tell
// providers that address, so the instructions name the type and leave the name to the reader.
func ImportInstructions(resourceType, importID string) string {
	return fmt.Sprintf("  terraform import %s.<name> %s\n\nor, in the configuration:\n\n  import {\n    to = %s.<name>\n    id = %q\n  }",
		resourceType, importID, resourceType, importID)
}

// Outlive returns a context that keeps ctx's values and deadline-free lifetime but is cancelled
// only grace after ctx ends (at once if ctx has already ended, after grace): for work that must
// finish after an interrupt or a timeout, such as adopting a created object.
func Outlive(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	out, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var mu sync.Mutex
	var timer *time.Timer
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		timer = time.AfterFunc(grace, cancel)
	})
	return out, func() {
		stop()
		mu.Lock()
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancel()
	}
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
