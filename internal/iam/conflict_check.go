package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// replacedKey is the private-state key that names the project a plan would replace.
const replacedKey = "replaced_project"

type replacedProject struct {
	ID string `json:"id"`
}

// nameIndex answers the plan-time conflict check from one listing of an account's projects
// per provider configuration (one Terraform command), instead of one name lookup per planned
// create: planning N new projects in an account of M costs one pass over M. Concurrent checks
// wait for the same listing. The listing is a snapshot taken while Terraform plans; a project
// made elsewhere meanwhile is still reported by the create's 409 at apply. A failed listing is
// kept too, so that against a hung API every other check warns at once instead of waiting out
// its own timeout. The processes of a machine planning at the same moment share a listing
// (lists).
type nameIndex struct {
	mu       sync.Mutex
	accounts map[string]*accountNames
	// lists makes the listing, shared with the other processes of the machine planning for
	// the same account at the same moment (the pipelines of one CI host): each process
	// joins a listing whose first request is not sent yet, instead of making its own.
	lists listing.FreshLists[[]client.Project]
}

// newNameIndex returns an empty index whose listings c makes, shared through c's files.
func newNameIndex(c *client.Client) *nameIndex {
	x := &nameIndex{}
	x.lists.JoinUntilSent = true // ListProjects sends every page through the client
	x.lists.Machine = &listing.MachineLists[[]client.Project]{File: func(key string) *transport.SharedFile {
		return c.SharedFile("conflict check ListProjects " + key)
	}}
	return x
}

type accountNames struct {
	done  chan struct{}
	names map[string]client.Project // by lower-case name: IAM compares names without case
	// regions are the ids of the regions whose projects the account has, sorted: a project
	// name must start with one of them.
	regions []string
	err     error
}

// account returns the account's listing, made once per provider configuration; domainID "" is
// the credentials' account.
func (x *nameIndex) account(ctx context.Context, c *client.Client, domainID string) (*accountNames, error) {
	x.mu.Lock()
	if x.accounts == nil {
		x.accounts = map[string]*accountNames{}
	}
	entry, fetched := x.accounts[domainID]
	if !fetched {
		entry = &accountNames{done: make(chan struct{})}
		x.accounts[domainID] = entry
	}
	x.mu.Unlock()

	if !fetched {
		projects, err := x.lists.Get(ctx, domainID, func(ctx context.Context) ([]client.Project, error) {
			return c.ListProjects(ctx, client.ListProjectsInput{DomainID: domainID})
		})
		if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.As(err, new(*transport.TimeoutError)) {
			// This check stopped waiting for the shared listing: the plan-time limit ran out.
			err = planLookupTimedOut(ctx)
		}
		entry.names, entry.err = make(map[string]client.Project, len(projects)), err
		for _, p := range projects {
			entry.names[strings.ToLower(p.Name)] = p
			if p.ParentID == p.DomainID && p.DomainID != "" && !strings.Contains(p.Name, "_") {
				// A region's own project: the cloud makes one per region, under the account. The
				// creates of this process take it as their parent without looking it up.
				entry.regions = append(entry.regions, p.Name)
				c.KnowRegionProject(domainID, p)
			}
		}
		sort.Strings(entry.regions)
		close(entry.done)
	}
	select {
	case <-entry.done:
	case <-ctx.Done():
		// Waiting for another check's listing: the same plan-time limit ran out for this one.
		return nil, planLookupTimedOut(ctx)
	}
	if entry.err != nil {
		return nil, entry.err
	}
	return entry, nil
}

// planLookupTimedOut is the error of a check whose plan-time limit ran out while it waited.
func planLookupTimedOut(ctx context.Context) error {
	return &transport.TimeoutError{Operation: client.OpListProjects, Limit: providerutil.PlanLookupTimeout, Err: ctx.Err()}
}

// find returns the account's project named name (any case), or nil.
func (a *accountNames) find(name string) *client.Project {
	if p, ok := a.names[strings.ToLower(name)]; ok {
		return &p
	}
	return nil
}

// checkConflict reports, for a new project whose name another project of the account already
// has, that the create will fail, and shows the import block that adopts that project instead:
// a warning, or with conflict_check = "error" an error except while Terraform destroys (see
// providerutil.ReportConflict). The lookup is one listing per account and plan (nameIndex),
// bounded by providerutil.PlanLookupTimeout; a failed lookup is a warning too, since the create
// reports a real conflict anyway. The same listing checks the name's region prefix against the regions whose projects the
// account has (an error naming them); a 403 on it is an error that says permission. Not
// checked: with conflict_check = "off" (or skip_conflict_check), while the provider is
// not configured (its configuration is unknown until apply), or while the name or domain_id are
// unknown. Never reported: the project being replaced (replacedKey), and any project this
// process read from the state (a tainted resource's own project, planned as a create after its
// refresh).
func (r *projectResource) checkConflict(ctx context.Context, req resource.ModifyPlanRequest, diags *diag.Diagnostics) {
	if r.data == nil || r.data.conflictCheck == providerutil.ConflictOff {
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
	ctx = transport.LogFields(ctx, map[string]any{"project_name": name.ValueString()})
	ctx, cancel := transport.WithTimeout(ctx, providerutil.PlanLookupTimeout)
	defer cancel()
	account, err := r.data.names.account(ctx, r.data.client, domainID.ValueString())
	if providerutil.IsPermissionDenied(err) {
		providerutil.ReportPermissionDenied(diags, path.Root("name"), "listing the account's IAM projects (GET /v3/projects)",
			"the permission to list the account's projects (iam:projects:listProjects, e.g. through the Security Administrator role, "+
				"or the Tenant Guest role on Open Telekom Cloud)", "Set conflict_check = \"off\" in the provider block to skip this lookup "+
				"(the name's region and conflicts are then checked by the apply).", err)
		return
	}
	if err != nil {
		diags.AddAttributeWarning(path.Root("name"), "Could not check whether the IAM project name is free",
			fmt.Sprintf("Listing the account's IAM projects to look for one named %q failed, so the plan could not check for a conflict; "+
				"the apply will report one if there is. Plan-time lookups give up after %s. Set conflict_check = \"off\" in the "+
				"provider block to skip this lookup.\n\n%s",
				name.ValueString(), providerutil.PlanLookupTimeout, providerutil.ErrorDetail(err)))
		return
	}
	if region := regionOf(name.ValueString()); len(account.regions) > 0 && !slices.Contains(account.regions, region) {
		providerutil.AddPlanError(diags, path.Root("name"), "Unknown region in IAM project name",
			fmt.Sprintf("IAM project name %q starts with %q, but the account has no project of region %q, so the project cannot be "+
				"created there. Did you mean %q? The account's regions are: %s.", name.ValueString(), region+"_", region,
				providerutil.Nearest(region, account.regions), strings.Join(account.regions, ", ")))
		return
	}
	existing := account.find(name.ValueString())
	if existing != nil && (existing.ID == replaced.ID || r.data.knownIDs.Has(existing.ID)) {
		// The project being replaced (or a tainted resource's own): its successor is planned as a
		// create. Deleting it frees the name only where the project is really deleted.
		var policy types.String
		diags.Append(req.Plan.GetAttribute(ctx, path.Root("deletion_policy"), &policy)...)
		kept := keptOnReplace(policy.ValueString(), cloudOf(r.data, existing.Name))
		switch {
		case kept == "":
		case existing.ID == replaced.ID:
			// A replacement of a project that is not tainted: Terraform drops the warnings of
			// this second plan, and the apply would forget or suspend the project, then fail to
			// create its successor, leaving neither in the state. Say so now, as an error.
			diags.AddAttributeError(path.Root("name"), fmt.Sprintf("IAM project %q keeps its name: its replacement would fail", existing.Name),
				fmt.Sprintf("Terraform plans to replace project %s. %s, so it keeps its name, and the new project's create would fail with "+
					"HTTP 409, leaving neither project in the state. Give the replacement another name, or delete the old project first "+
					"(on Open Telekom Cloud: deletion_policy = \"delete\"), or do not replace it (drop -replace).", existing.ID, kept))
		default:
			title := fmt.Sprintf("IAM project %q keeps its name: the replacement's create will fail", existing.Name)
			if policy.ValueString() == DeletionPolicyDelete {
				title = fmt.Sprintf("IAM project %q will stay in Huawei Cloud", existing.Name)
			}
			diags.AddAttributeWarning(path.Root("name"), title,
				fmt.Sprintf("Project %s, held in the state (by this resource if it is tainted), already has this name. %s, so it stays "+
					"with its name and the new project's create will fail with HTTP 409 while the name is taken. To keep "+
					"the existing project instead, run `terraform untaint <address>`.", existing.ID, kept))
		}
		return
	}
	if existing == nil {
		return
	}
	providerutil.ReportConflict(diags, providerutil.Conflict{
		Attribute: path.Root("name"), ResourceType: TypeName + "_project", What: "IAM project", Key: existing.Name,
		ExistingID: fmt.Sprintf("%s (in account %s)", existing.ID, existing.DomainID),
		ImportID:   existing.ID,
	}, r.data.conflictCheck)
}

// keptOnReplace says why replacing a project leaves it in place, with its name, or "" when the
// replacement deletes it first.
func keptOnReplace(policy, cloud string) string {
	switch {
	case policy == DeletionPolicyAbandon:
		return `Its deletion_policy is "abandon": replacing it only removes it from the state`
	case policy == DeletionPolicySuspend:
		return `Its deletion_policy is "suspend": replacing it suspends it and removes it from the state`
	case cloud == cloudHuawei:
		return "Huawei Cloud cannot delete IAM projects, so replacing it leaves it in place"
	}
	return ""
}
