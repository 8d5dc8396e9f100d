package iam

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
)

var _ resource.ResourceWithModifyPlan = &projectResource{}

// replacedKey is the private-state key that names the project a plan would replace.
const replacedKey = "replaced_project"

type replacedProject struct {
	ID string `json:"id"`
}

// ModifyPlan checks, for a project about to be created, that its name is free (checkConflict).
// For an existing project it leaves a marker in the plan's private data: when Terraform replaces
// the project, it plans the successor again as a create with that private data, and the marker
// tells checkConflict that the project found under the name is the one being replaced.
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if !req.State.Raw.IsNull() {
		var id types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		marker, _ := json.Marshal(replacedProject{ID: id.ValueString()})
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacedKey, marker)...)
		return
	}
	r.checkConflict(ctx, req, &resp.Diagnostics)
}

// checkConflict fails the plan of a new project whose name another project of the account
// already has, showing the import block that adopts that project instead: one
// GET /v3/projects?name=... per planned create. It is skipped when skip_conflict_check is set,
// when the provider is not configured yet (its configuration is unknown until apply), or when
// the name or domain_id are not known until apply. A failed lookup is a warning, since the
// create reports a real conflict anyway.
func (r *projectResource) checkConflict(ctx context.Context, req resource.ModifyPlanRequest, diags *diag.Diagnostics) {
	if r.client == nil || r.skipConflictCheck {
		return
	}
	var name, domainID types.String
	diags.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &name)...)
	diags.Append(req.Config.GetAttribute(ctx, path.Root("domain_id"), &domainID)...)
	if diags.HasError() || name.IsUnknown() || name.IsNull() || domainID.IsUnknown() {
		return
	}
	if !regionPrefix.MatchString(name.ValueString()) {
		return // the name validator reports it
	}
	var replaced replacedProject
	if b, _ := req.Private.GetKey(ctx, replacedKey); len(b) > 0 {
		_ = json.Unmarshal(b, &replaced)
	}
	ctx, cancel := context.WithTimeout(ctx, providerutil.DefaultReadTimeout)
	defer cancel()
	existing, err := r.client.FindProjectByName(ctx, name.ValueString(), domainID.ValueString())
	if err != nil {
		diags.AddAttributeWarning(path.Root("name"), "Could not check whether the IAM project name is free",
			fmt.Sprintf("Looking for an existing IAM project named %q failed, so the plan could not check for a conflict; "+
				"the apply will report one if there is. Set skip_conflict_check = true in the provider block to skip this lookup.\n\n%s",
				name.ValueString(), providerutil.ErrorDetail(err)))
		return
	}
	if existing == nil || existing.ID == replaced.ID {
		return // free, or the project being replaced: it is deleted before its successor is created
	}
	var conflict diag.Diagnostics
	providerutil.ReportConflict(&conflict, providerutil.Conflict{
		Attribute: path.Root("name"), ResourceType: "iam_project", What: "IAM project", Key: name.ValueString(),
		ExistingID: fmt.Sprintf("%s (in account %s)", existing.ID, existing.DomainID),
		ImportID:   existing.ID,
	})
	// Terraform plans a tainted object's replacement as a create, without its private data, so
	// the project found may be this resource's own, left tainted by a create that failed halfway.
	// Terraform shows no warnings next to a failed plan: the hint goes into the error.
	for _, d := range conflict {
		detail := d.Detail() + fmt.Sprintf("\n\nIf this resource is tainted (a create that failed halfway), project %s may be its own: "+
			"run `terraform untaint <address>` to keep it, or set skip_conflict_check = true to replace it.", existing.ID)
		diags.AddAttributeError(path.Root("name"), d.Summary(), detail)
	}
}
