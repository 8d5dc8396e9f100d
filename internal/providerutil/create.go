package providerutil

import (
	"context"
	"errors"
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
	// Find returns every existing object that matches what Create would make, looked up by the
	// API's unique key (or all attributes where there is none). It returns the whole truth or an
	// error: never a partial list (a lagging or shifted page, an item lacking an attribute the
	// match needs).
	Find func(ctx context.Context) ([]T, error)
	// Matches, where Find looks up by a unique key, says whether an object has every attribute
	// Create sets. A new object under the key that does not is someone else's: it is named in
	// the error, never adopted (and not resent over: the key is taken). Nil where Find itself
	// compares every attribute.
	Matches func(T) bool
	// ID returns an object's id.
	ID func(T) string
	// Read completes the object after it was created (obj is the create's answer) or adopted
	// (obj is what Find returned, adopted is true): it reads it back, or returns obj as it is
	// where that is complete. It runs again while NotFound says the object is not visible yet.
	// Nil: what Create or Find returned is kept.
	Read     func(ctx context.Context, obj T, adopted bool) (T, error)
	NotFound func(error) bool
	// ImportID turns an id into what `terraform import` takes; nil means the id itself.
	ImportID func(id string) string
	// ReadAfterCreate bounds the read-back's wait, and how long lookups after an unknown outcome
	// go on before they conclude that nothing was created (lists lag as reads do); the zero value
	// means DefaultReadAfterCreate.
	ReadAfterCreate ReadAfterCreate
	// Backoff is the pause before the n-th resend; nil means transport.DefaultRetryPolicy's.
	Backoff func(n int) time.Duration
}

// PartialCreateError says that an object exists although its create did not finish (its
// read-back, or a call that completes it, failed). The caller keeps it in the state, tainted,
// rather than lose it (KeepPartial).
type PartialCreateError struct {
	What, ID string
	Err      error
}

func (e *PartialCreateError) Error() string {
	return fmt.Sprintf("the %s exists with id %s, but %v", e.What, e.ID, e.Err)
}

func (e *PartialCreateError) Unwrap() error { return e.Err }

// AsPartialCreate returns the *PartialCreateError in err's chain, if any.
func AsPartialCreate(err error) (*PartialCreateError, bool) {
	var e *PartialCreateError
	ok := errors.As(err, &e)
	return e, ok
}

// TaintedHint tells what a partially created object in the state means and what to do.
const TaintedHint = "The project exists and is in the Terraform state with what is known of it, marked tainted. To keep it, run " +
	"`terraform untaint <address>` (the next plan reads it again); otherwise the next apply replaces it."

// KeepPartial keeps a partially created object: save writes what is known of it into the state
// (Terraform marks a resource whose create failed tainted), and the error says so.
func KeepPartial(diags *diag.Diagnostics, save func() diag.Diagnostics, summary string, err error) {
	diags.Append(save()...)
	diags.AddError(summary, ErrorDetail(err)+"\n\n"+TaintedHint)
}

// CreateAdopting runs c.Create, adopting only what this create provably made.
//
// Authorship, not resemblance: before the first send it looks up the objects that already match
// (one Find); those are never this create's. When an attempt may have acted without a
// trustworthy answer (a lost, late or bad answer, a 5xx, a timeout or an interrupt while a
// request was in flight), it looks for a match that was not there before: one is adopted with a
// warning, unless the API itself answered that the create failed or the object differs from
// what the create sends (c.Matches): then it is named, not taken; several are left to the user. Absence needs proof: the lookup is repeated for the
// read-after-create wait before the attempt is taken to have had no effect and is sent again; a
// lookup that fails ends the create with an error naming the unconfirmed attempt, never in a
// resend. An attempt that cannot have acted (throttled or refused, never sent, stopped in the
// client's limiter) is never looked up. The lookups and the read-back of the created or adopted
// object run on a context that outlives an interrupt or a timeout by DetachedGrace, so the state
// ends complete rather than tainted.
//
// It returns the complete object, or an error: a *PartialCreateError (with the object as far as
// it is known) when the object exists but could not be read back.
func CreateAdopting[T any](ctx context.Context, c Creation[T], diags *diag.Diagnostics) (T, error) {
	backoff := c.Backoff
	if backoff == nil {
		backoff = transport.DefaultRetryPolicy.Backoff
	}
	wait := c.ReadAfterCreate
	if wait == (ReadAfterCreate{}) {
		wait = DefaultReadAfterCreate
	}
	var (
		out     T
		id      string
		adopted bool
	)
	before, beforeErr := c.existing(ctx)
	if ctx.Err() != nil {
		// Nothing was sent yet: the lookup's own error says the time ran out or Ctrl-C came.
		return out, fmt.Errorf("the %s was not created: stopped before the create was sent, while looking up the existing ones: %w", c.What, beforeErr)
	}
	for attempt := 1; ; attempt++ {
		obj, err := c.Create(ctx)
		if err == nil {
			out, id = obj, c.ID(obj)
			break
		}
		if !transport.MayHaveActed(err) {
			return out, err
		}
		lookupCtx, cancel := Outlive(ctx, DetachedGrace)
		found, findErr := c.findNew(lookupCtx, before, wait)
		cancel()
		unconfirmed := func(why string) error {
			return fmt.Errorf("%w\n\nThe %s may or may not have been created: %s. Check whether it exists before applying again, and import it if it does, for example:\n\n%s",
				err, c.What, why, ImportInstructions(c.ResourceType, c.importID("<id>")))
		}
		switch {
		case findErr != nil:
			return out, unconfirmed(fmt.Sprintf("looking for it afterwards failed (%v)", findErr))
		case len(found) > 1:
			ids := c.ids(found)
			return out, fmt.Errorf("%w\n\nSeveral objects matching the %s appeared while it was being created (%s), so the provider cannot tell which one, if any, it created. "+
				"Import the right one, for example:\n\n%s", err, c.What, strings.Join(ids, ", "), ImportInstructions(c.ResourceType, c.importID(ids[0])))
		case len(found) == 1 && beforeErr != nil:
			id := c.ID(found[0])
			return out, unconfirmed(fmt.Sprintf("a matching one with id %s exists, but the lookup before the create failed (%v), so nothing proves that this create made it", id, beforeErr))
		case len(found) == 1 && transport.AnsweredByAPI(err):
			id := c.ID(found[0])
			return out, fmt.Errorf("%w\n\nThe API answered that the create failed, yet a matching object with id %s appeared meanwhile: it may be this create's or someone else's, so it was not taken. "+
				"If it is yours, import it:\n\n%s", err, id, ImportInstructions(c.ResourceType, c.importID(id)))
		case len(found) == 1 && c.Matches != nil && !c.Matches(found[0]):
			id := c.ID(found[0])
			return out, fmt.Errorf("%w\n\nAn object with id %s appeared meanwhile under the %s's unique key, but it differs from what this create sends, "+
				"so it is not this create's and was not taken. If it is yours, import it:\n\n%s", err, id, c.What, ImportInstructions(c.ResourceType, c.importID(id)))
		case len(found) == 1:
			out, id, adopted = found[0], c.ID(found[0]), true
			diags.AddWarning("Adopted an object whose creation was not confirmed",
				fmt.Sprintf("Creating the %s got no trustworthy answer (%v), but it exists with id %s, which did not exist before the create was sent. It has been taken into the state instead of being created a second time.",
					c.What, err, id))
		}
		if id != "" {
			break
		}
		// None appeared within the wait: the attempt had no effect, so sending it again cannot
		// make a duplicate.
		if ctx.Err() != nil || attempt >= maxCreateAttempts {
			return out, fmt.Errorf("%w\n\nNo %s was created (lookups for %s after the attempt found none), so applying again is safe", err, c.What, transport.ShortDuration(wait.MaxWait))
		}
		if transport.Sleep(ctx, backoff(attempt)) != nil {
			return out, fmt.Errorf("%w\n\nNo %s was created (lookups for %s after the attempt found none), so applying again is safe", err, c.What, transport.ShortDuration(wait.MaxWait))
		}
	}
	if c.Read == nil {
		return out, nil
	}
	readCtx, cancel := Outlive(ctx, DetachedGrace)
	defer cancel()
	obj, err := WaitVisible(readCtx, wait, c.NotFound, func(ctx context.Context) (T, error) { return c.Read(ctx, out, adopted) })
	if err != nil {
		return out, &PartialCreateError{What: c.What, ID: id, Err: fmt.Errorf("reading it back failed: %w", err)}
	}
	return obj, nil
}

// existing returns the ids of the matching objects that exist before the first send.
func (c Creation[T]) existing(ctx context.Context) (map[string]bool, error) {
	matches, err := c.Find(ctx)
	if err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(matches))
	for _, m := range matches {
		ids[c.ID(m)] = true
	}
	return ids, nil
}

// findNew looks for matches that were not there before the first send, again and again for the
// read-after-create wait while there is none: a list can lag behind a create as reads do. A
// failed lookup ends it with the error: absence is concluded only from complete lookups.
func (c Creation[T]) findNew(ctx context.Context, before map[string]bool, wait ReadAfterCreate) ([]T, error) {
	deadline := time.Now().Add(wait.MaxWait)
	delay := wait.FirstDelay
	for {
		matches, err := c.Find(ctx)
		if err != nil {
			return nil, err
		}
		var found []T
		for _, m := range matches {
			if !before[c.ID(m)] {
				found = append(found, m)
			}
		}
		if len(found) > 0 || time.Now().Add(delay).After(deadline) {
			return found, nil
		}
		if err := transport.Sleep(ctx, delay); err != nil {
			return nil, fmt.Errorf("time ran out before the lookups could prove that none was created: %w", err)
		}
		delay = min(delay*2, 5*time.Second)
	}
}

func (c Creation[T]) ids(objects []T) []string {
	ids := make([]string, len(objects))
	for i, o := range objects {
		ids[i] = c.ID(o)
	}
	return ids
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
