package yunxiao

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// checkConflict reports, at plan time, that a new project's custom_code is already used by another
// project of the organization, showing how to import that project instead: a warning, or with
// conflict_check = "error" an error except while Terraform destroys, whose refreshing plan plans
// these creates too (providerutil.ReportConflict); the apply's createProject fails with the same
// instructions. A lookup refused for permission (403) is an error that says so. The lookup lists the
// organization's projects once per provider process (codeIndex), bounded by
// providerutil.PlanLookupTimeout. It is skipped with conflict_check = "off" (or skip_conflict_check), when the provider
// is not configured yet, or when the code or organization are not known until apply; a project
// this process read from the state (a tainted resource's own) is never reported.
func (r *projectResource) checkConflict(ctx context.Context, req resource.ModifyPlanRequest, org types.String, diags *diag.Diagnostics) {
	if r.data == nil || r.data.conflictCheck == providerutil.ConflictOff || org.IsUnknown() || org.IsNull() {
		return
	}
	var code types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("custom_code"), &code)...)
	if code.IsUnknown() || code.IsNull() || !customCodePattern.MatchString(code.ValueString()) {
		return
	}
	var replaced replacedProject
	if b, _ := req.Private.GetKey(ctx, replacedKey); len(b) > 0 {
		_ = json.Unmarshal(b, &replaced)
	}
	ctx = transport.LogFields(ctx, map[string]any{"custom_code": code.ValueString(), "organization_id": org.ValueString()})
	ctx, cancel := transport.WithTimeout(ctx, providerutil.PlanLookupTimeout)
	defer cancel()
	existing, err := r.data.codes.find(ctx, r.data.client, org.ValueString(), code.ValueString())
	switch {
	case client.IsNotFound(err):
		return
	case providerutil.IsPermissionDenied(err):
		providerutil.ReportPermissionDenied(diags, path.Root("organization_id"),
			fmt.Sprintf("listing the projects of Yunxiao organization %s (ListProjects)", org.ValueString()),
			fmt.Sprintf("membership of organization %s with the right to view its projects, and a RAM policy that allows the devops API "+
				"(e.g. AliyunRDCFullAccess)", org.ValueString()),
			"Check organization_id. Set conflict_check = \"off\" in the provider block to skip this lookup.", err)
		return
	case err != nil:
		diags.AddAttributeWarning(path.Root("custom_code"), "Could not check whether custom_code is free",
			fmt.Sprintf("Looking for an existing project with custom code %s in organization %s failed (plan-time lookups are bounded "+
				"to %s), so the plan could not check for a conflict; the apply will report one if there is. Set conflict_check = \"off\" "+
				"in the provider block to skip this lookup.\n\n%s", code.ValueString(), org.ValueString(), providerutil.PlanLookupTimeout,
				providerutil.ErrorDetail(err)))
		return
	case existing.Identifier == replaced.ID && org.ValueString() == replaced.Org:
		return // the project being replaced: it is deleted before its successor is created
	case r.data.knownIDs.Has(existing.Identifier):
		return // a resource of this configuration holds it, e.g. a tainted one about to be replaced
	}
	providerutil.ReportConflict(diags, providerutil.Conflict{
		Attribute: path.Root("custom_code"), ResourceType: TypeName + "_project", What: "Yunxiao project", Key: code.ValueString(),
		ExistingID: fmt.Sprintf("%s (%q) in organization %s", existing.Identifier, existing.Name, org.ValueString()),
		ImportID:   org.ValueString() + "/" + existing.Identifier,
	}, r.data.conflictCheck)
}

// codeIndex answers the plan-time conflict check from one listing of an organization's
// projects per provider process, instead of one listing per planned create: planning N new
// projects in an organization of M costs one pass over M, not N of them. The listing is a
// snapshot taken while Terraform plans; projects this run creates itself are not conflicts, and
// one created elsewhere meanwhile is still reported by createProject at apply. A failed listing
// is kept too, so that a hung API costs one bounded wait per plan, not one per resource.
type codeIndex struct {
	mu   sync.Mutex
	orgs map[string]*orgCodes
}

type orgCodes struct {
	once  sync.Once
	codes map[string]client.Project
	err   error
}

// find returns the project of org with code; client.IsNotFound(err) when there is none.
func (x *codeIndex) find(ctx context.Context, c *client.Client, org, code string) (*client.Project, error) {
	x.mu.Lock()
	if x.orgs == nil {
		x.orgs = map[string]*orgCodes{}
	}
	entry, ok := x.orgs[org]
	if !ok {
		entry = &orgCodes{}
		x.orgs[org] = entry
	}
	x.mu.Unlock()

	entry.once.Do(func() {
		projects, err := c.ListProjects(ctx, org)
		if err != nil {
			entry.err = err
			return
		}
		entry.codes = make(map[string]client.Project, len(projects))
		for _, p := range projects {
			if !p.Deleted() {
				entry.codes[p.CustomCode] = p
			}
		}
	})
	if entry.err != nil {
		return nil, entry.err
	}
	if p, ok := entry.codes[code]; ok {
		return &p, nil
	}
	return nil, &client.NotFoundError{What: fmt.Sprintf("project with custom code %s in organization %s", code, org)}
}
