package providerutil

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// ConflictMode is what the plan-time conflict check does with a planned create that would
// collide: the provider setting conflict_check.
type ConflictMode string

// The values of conflict_check.
const (
	// ConflictWarn warns (the default): the apply's create fails if the conflict is still there.
	ConflictWarn ConflictMode = "warn"
	// ConflictError fails the plan, for a CI that wants `terraform plan` to catch a taken name.
	ConflictError ConflictMode = "error"
	// ConflictOff skips the lookup, as skip_conflict_check = true does.
	ConflictOff ConflictMode = "off"
)

// ConflictModes are the values conflict_check takes, in the order the docs list them.
var ConflictModes = []string{string(ConflictWarn), string(ConflictError), string(ConflictOff)}

// ConflictCheckDescription is the provider schema's description of conflict_check; unique names
// the unique attribute and resourceType the resource, env the environment variable.
func ConflictCheckDescription(resourceType, unique, env string) string {
	return "What the plan does when a `" + resourceType + "` about to be created has a `" + unique + "` that an existing object " +
		"already has: `warn` (the default) reports it as a warning with the import block that adopts the existing object, `error` " +
		"fails the plan (for a CI that wants `terraform plan` to catch it), `off` skips the lookup (as `skip_conflict_check = true`). " +
		"Never reported: the resource's own object (a tainted one about to be replaced). `error` never blocks `terraform destroy` " +
		"(or `apply -destroy`, `plan -destroy`), whose preliminary refresh plans these creates too: there the conflict stays a " +
		"warning, and so it does when the provider cannot tell which command Terraform runs (it reads its parent's command line " +
		"on Linux; elsewhere, or when the provider is served for debugging, it cannot). Falls back to `" + env + "`."
}

// ConflictModeOf resolves conflict_check from the argument, then the environment variable env,
// and the older skip_conflict_check; a value outside ConflictModes, or skip_conflict_check = true
// beside a conflict_check that is not off, is a configuration error.
func ConflictModeOf(argument types.String, skip types.Bool, env string, diags *diag.Diagnostics) ConflictMode {
	value, from := argument.ValueString(), "conflict_check"
	if argument.IsNull() {
		value, from = os.Getenv(env), env
	}
	mode := ConflictMode(value)
	switch {
	case value == "":
		mode = ConflictWarn
		if skip.ValueBool() {
			mode = ConflictOff
		}
		return mode
	case mode != ConflictWarn && mode != ConflictError && mode != ConflictOff:
		diags.AddAttributeError(path.Root("conflict_check"), "Invalid conflict_check",
			fmt.Sprintf("%s must be one of %s; got %q.", from, strings.Join(ConflictModes, ", "), value))
	case skip.ValueBool() && mode != ConflictOff:
		diags.AddAttributeError(path.Root("skip_conflict_check"), "Conflicting conflict check settings",
			fmt.Sprintf("skip_conflict_check = true turns the conflict check off, but %s is %q. Remove skip_conflict_check, "+
				"or set conflict_check = \"off\".", from, value))
	}
	return mode
}

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

// ReportConflict reports at plan time that a planned create would collide with an existing
// object, showing how to import it: a warning with ConflictWarn, a plan error (AddPlanError)
// with ConflictError. The apply's create fails with the same instructions if the conflict is
// still there.
func ReportConflict(diags *diag.Diagnostics, c Conflict, mode ConflictMode) {
	summary := fmt.Sprintf("%s %s %q is already taken", c.What, c.Attribute, c.Key)
	detail := fmt.Sprintf("Creating this resource will fail: %s %s already has %s %q.\n\n"+
		"To manage the existing object with this configuration, import it:\n\n%s\n\n"+
		"or choose another %s.", c.What, c.ExistingID, c.Attribute, c.Key, ImportInstructions(c.ResourceType, c.ImportID), c.Attribute)
	if mode != ConflictError {
		diags.AddAttributeWarning(c.Attribute, summary, detail+
			" Set conflict_check = \"error\" in the provider block to fail the plan instead, or \"off\" to skip this check.")
		return
	}
	AddPlanError(diags, c.Attribute, summary, detail+" conflict_check = \"error\" in the provider block makes this an error; \"warn\" makes it a warning.")
}

// AddPlanError fails the plan of a resource about to be created for what the API told the
// plan (a taken name, a region or organization that does not exist, a lookup refused for
// permission), except while Terraform destroys: its destroy first runs a normal refreshing
// plan, which plans the creates of resources not in the state too, and an error there would
// stop `terraform destroy`. There, and when the provider cannot tell which command runs it
// (TerraformDestroying), it is a warning that says why; the apply fails on the same cause.
func AddPlanError(diags *diag.Diagnostics, attribute path.Path, summary, detail string) {
	switch destroying, known := TerraformDestroying(); {
	case destroying:
		diags.AddAttributeWarning(attribute, summary, detail+
			"\n\nTerraform is destroying, so this is a warning: an error would stop the destroy.")
	case !known:
		diags.AddAttributeWarning(attribute, summary, detail+
			"\n\nThis is a warning, not an error, because the provider cannot tell which command Terraform runs (it is served "+
			"for debugging, or the operating system does not show its parent's command line), and an error would stop a destroy.")
	default:
		diags.AddAttributeError(attribute, summary, detail)
	}
}

// TerraformDestroying reports whether the Terraform (or OpenTofu) command that runs this
// provider destroys (`destroy`, `apply -destroy`, `plan -destroy`), and whether it could tell.
// The plugin protocol does not say; Terraform starts each provider process itself, so its
// command line is the parent process's (CommandDestroying). Tests replace it.
var TerraformDestroying = func() (destroying, known bool) { return CommandDestroying(os.Getppid()) }

// CommandDestroying reads the command line of process pid as a Terraform command's: whether it
// destroys, and whether it is terraform's at all. Linux shows it in /proc; elsewhere, or for a
// process that is not terraform (a provider served for debugging), known is false.
func CommandDestroying(pid int) (destroying, known bool) {
	cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	if err != nil {
		return false, false
	}
	return destroyCommand(strings.Split(string(bytes.TrimRight(cmdline, "\x00")), "\x00"))
}

// destroyCommand reads a Terraform command line (argv).
func destroyCommand(argv []string) (destroying, known bool) {
	if len(argv) == 0 {
		return false, false
	}
	if name := filepath.Base(argv[0]); !strings.HasPrefix(name, "terraform") && !strings.HasPrefix(name, "tofu") {
		return false, false
	}
	subcommand := ""
	for _, arg := range argv[1:] {
		switch {
		case arg == "-destroy" || arg == "--destroy" || arg == "-destroy=true":
			return true, true
		case subcommand == "" && !strings.HasPrefix(arg, "-"):
			subcommand = arg
		}
	}
	return subcommand == "destroy", true
}

// IsPermissionDenied reports whether err is the API's refusal for permission (HTTP 403, not
// throttling): the same call keeps failing until someone grants the permission, so a plan-time
// lookup that gets it fails the plan rather than warning as a timeout does.
func IsPermissionDenied(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusForbidden && !e.Throttled
}

// ReportPermissionDenied fails the plan (AddPlanError) for a plan-time lookup the API refused
// for permission:
// lookup says what the plan looked up, permission what the credentials need for it; the error
// names the API's code and request id (ErrorDetail).
func ReportPermissionDenied(diags *diag.Diagnostics, attribute path.Path, lookup, permission, skipHint string, err error) {
	AddPlanError(diags, attribute, "Permission denied: "+lookup,
		fmt.Sprintf("The API refused %s for permission: the provider's credentials need %s.\n\n%s\n\n%s",
			lookup, permission, ErrorDetail(err), skipHint))
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
