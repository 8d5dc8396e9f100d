package iam

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
)

// projectNameValidator applies IAM's own name rules: at most 64 characters, starting with a
// region id and "_", followed by a rest that is itself visible text (providerutil.VisibleText
// applies the text rules shared by every provider to the whole name).
type projectNameValidator struct{}

func (projectNameValidator) Description(context.Context) string {
	return `must start with a region id and "_" (e.g. "eu-de_payments") and be at most 64 characters`
}

func (v projectNameValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (projectNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	if n := utf8.RuneCountInString(name); n > maxNameLength {
		resp.Diagnostics.AddAttributeError(req.Path, "Project name too long",
			fmt.Sprintf("An IAM project name can have at most %d characters, region prefix included; %q has %d.", maxNameLength, name, n))
	}
	prefix := regionPrefix.FindString(name)
	if prefix == "" || len(name) == len(prefix) {
		resp.Diagnostics.AddAttributeError(req.Path, "Project name without a region prefix",
			fmt.Sprintf("An IAM project name must start with the id of an existing region and \"_\", followed by the rest of the name, "+
				"e.g. \"eu-de_payments\" (Open Telekom Cloud) or \"ap-southeast-1_payments\" (Huawei Cloud); got %+q.", name))
		return
	}
	// A blank or invisible whole name is VisibleText's to report; this is about the rest alone.
	if providerutil.TextProblem(name) != "" {
		return
	}
	if problem := providerutil.TextProblem(name[len(prefix):]); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid project name",
			fmt.Sprintf("The part of an IAM project name after the region prefix %q %s; got %+q (shown escaped).", prefix, problem, name))
	}
}

// parentIDFromState keeps the parent id the provider looked up while the name's region prefix
// stays the same; with a new prefix (which replaces the project) it is looked up again.
type parentIDFromState struct{}

func (parentIDFromState) Description(context.Context) string {
	return "Keeps the looked-up parent id unless the region prefix of the name changes."
}

func (m parentIDFromState) MarkdownDescription(ctx context.Context) string { return m.Description(ctx) }

func (parentIDFromState) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || !req.PlanValue.IsUnknown() || !req.ConfigValue.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	var planName, stateName types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &planName)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &stateName)...)
	if planName.IsUnknown() || regionOf(planName.ValueString()) != regionOf(stateName.ValueString()) {
		return
	}
	resp.PlanValue = req.StateValue
}
