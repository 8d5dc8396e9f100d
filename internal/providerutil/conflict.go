package providerutil

import (
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Conflict describes an existing object that a planned create would collide with.
type Conflict struct {
	// Attribute is the unique attribute, e.g. path.Root("custom_code").
	Attribute path.Path
	// ResourceType is the resource's type name, e.g. "yunxiao_project".
	ResourceType string
	// What names the kind of object, e.g. "Yunxiao project".
	What string
	// Key is the colliding value, e.g. "PAY".
	Key string
	// ExistingID describes the existing object, and ImportID is what `import { id = ... }` takes.
	ExistingID, ImportID string
}

// ReportConflict warns at plan time that a planned create would collide with an existing
// object, showing how to import it. It is a warning, not an error: Terraform's destroy first
// runs a normal refreshing plan, which plans the creates of resources not in the state, and an
// error there would make `terraform destroy` fail. The apply's create fails with the same
// instructions if the conflict is still there.
func ReportConflict(diags *diag.Diagnostics, c Conflict) {
	diags.AddAttributeWarning(c.Attribute,
		fmt.Sprintf("%s %s %q is already taken", c.What, c.Attribute, c.Key),
		fmt.Sprintf("Creating this resource will fail: %s %s already has %s %q.\n\n"+
			"To manage the existing object with this configuration, import it:\n\n%s\n\n"+
			"or choose another %s. Set skip_conflict_check = true in the provider block to skip this check.",
			c.What, c.ExistingID, c.Attribute, c.Key, ImportInstructions(c.ResourceType, c.ImportID), c.Attribute))
}

// KnownIDs remembers the ids of objects that this provider process read from the state during
// the refresh, so a plan-time conflict check does not report a resource's own object (a tainted
// resource's replacement is planned as a create, after its refresh).
type KnownIDs struct{ ids sync.Map }

// Add records that id is held by a resource in the state.
func (k *KnownIDs) Add(id string) { k.ids.Store(id, struct{}{}) }

// Has reports whether id is held by a resource in the state.
func (k *KnownIDs) Has(id string) bool {
	_, ok := k.ids.Load(id)
	return ok
}
