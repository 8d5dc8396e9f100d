package providerutil

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Conflict describes an existing object that a planned create would collide with.
type Conflict struct {
	// Attribute is the unique attribute, e.g. path.Root("custom_code").
	Attribute path.Path
	// ResourceType is the resource's type name, e.g. "yunxiao_project".
	ResourceType string
	// Key is the colliding value, e.g. "PAY".
	Key string
	// ExistingID is the existing object's id, and ImportID what `import { id = ... }` takes.
	ExistingID, ImportID string
}

// ReportConflict adds the plan-time error for a create that would collide with an existing
// object, showing the import block that adopts it. Terraform prints the resource's address
// above the message; the framework does not tell providers that address, so the block names
// the resource type and leaves its name to the reader.
func ReportConflict(diags *diag.Diagnostics, c Conflict) {
	diags.AddAttributeError(c.Attribute,
		fmt.Sprintf("A project with %s %q already exists", c.Attribute, c.Key),
		fmt.Sprintf("Creating this resource would fail: project %s already has %s %q.\n\n"+
			"To manage the existing project with this configuration, import it by adding:\n\n"+
			"import {\n  to = %s.<name of this resource>\n  id = %q\n}\n\n"+
			"or choose another %s. Set skip_conflict_check = true in the provider block to skip this check.",
			c.ExistingID, c.Attribute, c.Key, c.ResourceType, c.ImportID, c.Attribute))
}
