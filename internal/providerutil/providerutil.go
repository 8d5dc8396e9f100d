// Package providerutil holds the small provider-side helpers every cloud's provider shares:
// environment fallbacks, turning client errors into diagnostics, and the timeouts defaults.
package providerutil

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Default operation timeouts, documented in every resource's timeouts block.
const (
	DefaultCreateTimeout = 5 * time.Minute
	DefaultReadTimeout   = 2 * time.Minute
	DefaultUpdateTimeout = 5 * time.Minute
	DefaultDeleteTimeout = 5 * time.Minute
)

// TimeoutsBlock is every resource's `timeouts` block, documenting the defaults above.
func TimeoutsBlock(ctx context.Context) rschema.Block {
	describe := func(op string, d time.Duration) string {
		return fmt.Sprintf("How long %s may take, retries included, as a duration such as \"30s\" or \"10m\". Defaults to %s.", op, transport.ShortDuration(d))
	}
	block := timeouts.Block(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: describe("creating (and reading back) the project", DefaultCreateTimeout),
		ReadDescription:   describe("reading the project during a refresh", DefaultReadTimeout),
		UpdateDescription: describe("updating the project", DefaultUpdateTimeout),
		DeleteDescription: describe("deleting the project", DefaultDeleteTimeout),
	})
	// timeouts.Block leaves the block itself undescribed; the docs and the schema show this.
	if b, ok := block.(rschema.SingleNestedBlock); ok {
		b.MarkdownDescription = "How long each operation on the project may take before it fails, retries included. " +
			"Omit an operation, or the whole block, for its default."
		return b
	}
	return block
}

// Changed is the planned value of an attribute the update changes, or nil when the plan keeps
// the state's value (or does not know it): what an update call sends only for what changed.
func Changed(plan, state types.String) *string {
	if plan.IsUnknown() || plan.IsNull() || plan.Equal(state) {
		return nil
	}
	v := plan.ValueString()
	return &v
}

// AnyUnknown reports whether any value is unknown, as provider configuration can be during a
// plan when it refers to resources not yet created.
func AnyUnknown(values ...attr.Value) bool {
	for _, v := range values {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

// Setting names a provider argument and its environment fallbacks, for error messages.
type Setting struct {
	Argument string
	Env      []string
}

func (s Setting) String() string {
	return fmt.Sprintf("%q (or the environment variable %s)", s.Argument, strings.Join(s.Env, " or "))
}

// MissingSettings adds one error that names every missing setting and where it can be given.
func MissingSettings(diags *diag.Diagnostics, provider string, missing []Setting) {
	if len(missing) == 0 {
		return
	}
	diags.AddError(
		fmt.Sprintf("Missing %s provider credentials", provider),
		fmt.Sprintf("The %s provider needs these settings, which are neither in its configuration block nor in the environment:\n%s",
			provider, SettingsList(missing)),
	)
}

// SettingsList renders settings one per line, as the missing-credentials errors show them.
func SettingsList(settings []Setting) string {
	lines := make([]string, len(settings))
	for i, s := range settings {
		lines[i] = "  - " + s.String()
	}
	return strings.Join(lines, "\n")
}

// AddClientError adds err as an error diagnostic. API errors show operation, HTTP status, code,
// message, request id and a hint; other errors say what happened in plain words.
func AddClientError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, ErrorDetail(err))
}

// ErrorDetail renders err for a diagnostic's detail.
func ErrorDetail(err error) string {
	if api, ok := transport.AsAPIError(err); ok {
		detail := api.Detail()
		if msg := err.Error(); msg != api.Error() {
			// Keep what the transport added, e.g. how many attempts were made.
			detail += "\n\n" + msg
		}
		return detail
	}
	return err.Error()
}

// NotConfigured is the error a resource reports when Terraform asks it to act while the
// provider's configuration was unknown at plan time.
func NotConfigured(diags *diag.Diagnostics, provider string) {
	diags.AddError(
		fmt.Sprintf("The %s provider is not configured", provider),
		fmt.Sprintf("The %s provider's configuration depends on values not known yet, so it cannot call the API. "+
			"Apply the resources it depends on first (terraform apply -target=...), then run again.", provider),
	)
}

// ProviderData casts a resource's or data source's provider data, reporting a mistake clearly.
func ProviderData[T any](data any, diags *diag.Diagnostics) (T, bool) {
	var zero T
	if data == nil {
		return zero, false
	}
	v, ok := data.(T)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected %T, got %T. This is a bug in the provider; please report it.", zero, data))
		return zero, false
	}
	return v, true
}

// UserAgent is the User-Agent for a provider type and version.
func UserAgent(providerType, version string) string {
	return fmt.Sprintf("terraform-provider-%s/%s", providerType, version)
}

// OperationContext bounds ctx by the timeout the resource's timeouts block sets for one
// operation (e.g. plan.Timeouts.Create), or by def when it sets none.
func OperationContext(ctx context.Context, timeout func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	def time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc) {
	d, ds := timeout(ctx, def)
	diags.Append(ds...)
	return transport.WithTimeout(ctx, d)
}
