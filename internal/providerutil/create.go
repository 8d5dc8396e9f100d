package providerutil

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// maxCreateAttempts bounds how often a create is sent again after lookups proved the earlier
// attempts had no effect.
const maxCreateAttempts = 5

// lookupTimeout bounds a lookup that runs after the operation's own time ran out.
const lookupTimeout = time.Minute

// Creation describes a create call that is not safe to repeat blindly.
type Creation struct {
	// What names the object for messages, e.g. `TRRO project "payments"`.
	What string
	// Create sends the create call and returns the new object's id.
	Create func(ctx context.Context) (string, error)
	// Find returns the ids of existing objects that match what Create would have made, looked
	// up by the API's unique key (or all attributes where there is none).
	Find func(ctx context.Context) ([]string, error)
	// ImportHint says how to import an object, given its id.
	ImportHint func(id string) string
}

// CreateAdopting runs c.Create. When the outcome of an attempt is unknown (the answer was lost,
// a 5xx, a timeout), it looks the object up rather than creating it again or losing it: one
// match is adopted with a warning; none means the attempt had no effect, so it is sent again
// (while time and attempts remain); several are ambiguous and left to the user.
func CreateAdopting(ctx context.Context, c Creation, diags *diag.Diagnostics) (string, error) {
	for attempt := 1; ; attempt++ {
		id, err := c.Create(ctx)
		if err == nil || (!transport.IsOutcomeUnknown(err) && !transport.IsTimeout(err)) {
			return id, err
		}
		lookupCtx, cancel := Detached(ctx, lookupTimeout)
		matches, findErr := c.Find(lookupCtx)
		cancel()
		switch {
		case findErr != nil:
			return "", fmt.Errorf("%w\n\nLooking for the %s afterwards failed too (%v). Check whether it exists before applying again, and import it if it does", err, c.What, findErr) //nolint:errorlint // callers classify by the create error; the lookup's is only reported
		case len(matches) == 1:
			diags.AddWarning("Adopted a project whose creation was not confirmed",
				fmt.Sprintf("Creating the %s got no usable answer (%v), but it exists with id %s. It has been taken into the state instead of being created a second time.",
					c.What, err, matches[0]))
			return matches[0], nil
		case len(matches) > 1:
			hints := make([]string, len(matches))
			for i, m := range matches {
				hints[i] = "  " + c.ImportHint(m)
			}
			return "", fmt.Errorf("%w\n\nSeveral existing projects match the %s (%s), so the provider cannot tell which one, if any, it created. "+
				"Import the right one, for example:\n%s", err, c.What, strings.Join(matches, ", "), strings.Join(hints, "\n"))
		case transport.IsTimeout(err) || ctx.Err() != nil || attempt >= maxCreateAttempts:
			return "", err
		}
		// No match: the attempt had no effect, so sending it again cannot make a duplicate.
	}
}
