package iam

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
	_ resource.ResourceWithModifyPlan  = &projectResource{}
)

// Deletion policies.
const (
	DeletionPolicyDelete  = "delete"
	DeletionPolicySuspend = "suspend"
	DeletionPolicyAbandon = "abandon"
)

// idPattern is the form of IAM project and domain ids: 32 hexadecimal characters.
var idPattern = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// exampleID is a project id in the documented form, for messages.
const exampleID = "3de1461665f045ef91ba1efe8121b979"

// regionPrefix matches a region id and "_" at the start of a project name, e.g. "eu-de_" or
// "ap-southeast-1_".
var regionPrefix = regexp.MustCompile(`^[a-z]+(-[a-z0-9]+)+_`)

// maxNameLength and maxDescriptionLength are the documented limits, in characters.
const (
	maxNameLength        = 64
	maxDescriptionLength = 255
)

// readAfterCreate bounds how long a new project may answer 404 (the OTC provider waits up to 50
// seconds); the create timeout bounds it too.
var readAfterCreate = providerutil.ReadAfterCreate{MaxWait: 50 * time.Second, FirstDelay: 200 * time.Millisecond}

// newProjectGrace is how long after creating a project a refresh that finds it missing waits for
// it to appear before concluding that it is gone: the create does not read the project back,
// so the first refresh may come before it is visible.
var newProjectGrace = 50 * time.Second

// regionOf returns the region id a project name starts with ("" if none).
func regionOf(name string) string {
	region, _, ok := strings.Cut(name, "_")
	if !ok {
		return ""
	}
	return region
}

// NewProjectResource returns the iam_project resource.
func NewProjectResource() resource.Resource {
	return &projectResource{}
}

type projectResource struct {
	// data is nil while the provider's configuration is unknown (it depends on resources not
	// created yet).
	data *providerData
}

// projectModel is the iam_project schema.
type projectModel struct {
	ID             types.String   `tfsdk:"id"`
	Name           types.String   `tfsdk:"name"`
	ParentID       types.String   `tfsdk:"parent_id"`
	DomainID       types.String   `tfsdk:"domain_id"`
	Description    types.String   `tfsdk:"description"`
	Status         types.String   `tfsdk:"status"`
	Enabled        types.Bool     `tfsdk:"enabled"`
	DeletionPolicy types.String   `tfsdk:"deletion_policy"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// setFrom copies what the API says into the model. A project read without /v3-ext has no
// status: the last known one is kept.
func (m *projectModel) setFrom(p *client.Project) {
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.ParentID = types.StringValue(p.ParentID)
	m.DomainID = types.StringValue(p.DomainID)
	m.Description = types.StringValue(p.Description)
	m.Enabled = types.BoolValue(p.Enabled)
	if p.Status != "" {
		m.Status = types.StringValue(p.Status)
	} else if m.Status.IsUnknown() {
		m.Status = types.StringNull()
	}
	if m.DeletionPolicy.IsNull() || m.DeletionPolicy.IsUnknown() {
		m.DeletionPolicy = types.StringValue(DeletionPolicyDelete)
	}
}

// logContext makes every API log line of the operation name the project.
func (m *projectModel) logContext(ctx context.Context) context.Context {
	return transport.LogFields(ctx, map[string]any{"project_id": m.ID.ValueString(), "project_name": m.Name.ValueString()})
}

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	idValidators := []validator.String{stringvalidator.RegexMatches(idPattern, "must be a 32-character hexadecimal id such as "+exampleID)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An IAM project of Huawei Cloud or Open Telekom Cloud: a sub-project of a region, which groups resources and permissions. " +
			"`name`, `description` and `status` change in place; a new region prefix, `parent_id` or `domain_id` replaces the project.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The project id, 32 hexadecimal characters.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Project name: an existing region's id, `_`, then the rest, at most 64 characters, e.g. `eu-de_payments` " +
					"or `ap-southeast-1_payments`. Unique in the account. Renaming keeps the project if the region prefix stays the same; " +
					"a new prefix replaces it. " + providerutil.NameTextRule,
				Validators: []validator.String{providerutil.VisibleText(), projectNameValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						resp.RequiresReplace = regionOf(req.StateValue.ValueString()) != regionOf(req.PlanValue.ValueString())
					},
					"A new region prefix replaces the project.",
					"A new region prefix replaces the project.",
				)},
			},
			"parent_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "Id of the region's project (the project named exactly like the region, e.g. `eu-de`). " +
					"When omitted, the provider looks it up from the name's region prefix. Changing it replaces the project.",
				Validators:    idValidators,
				PlanModifiers: []planmodifier.String{parentIDFromState{}, stringplanmodifier.RequiresReplace()},
			},
			"domain_id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "Id of the account (domain) the project belongs to. Defaults to the credentials' account. Changing it replaces the project.",
				Validators:          idValidators,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "Project description, at most 255 characters. " + providerutil.DescriptionTextRule + " Defaults to `\"\"`.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(maxDescriptionLength), providerutil.DescriptionText()},
			},
			"status": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "`normal` or `suspended`, set in place through `PUT /v3-ext/projects/{id}`. " +
					"When omitted, the project keeps whatever status it has (`normal` for a new project).",
				Validators:    []validator.String{stringvalidator.OneOf(client.StatusNormal, client.StatusSuspended)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"enabled": schema.BoolAttribute{
				Computed:            true,
				MarkdownDescription: "Whether the project is enabled.",
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"deletion_policy": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(DeletionPolicyDelete),
				MarkdownDescription: "What destroying the resource does: `delete` (the default) deletes the project where the cloud allows it " +
					"(Open Telekom Cloud); Huawei Cloud cannot delete projects, so there the project stays, the plan warns before a destroy " +
					"or a replacement, and the apply warns again. `suspend` sets its status to `suspended`, then removes it from the state; " +
					"`abandon` only removes it from the state. On Huawei Cloud, set `suspend` or `abandon` to say which you mean.",
				Validators: []validator.String{stringvalidator.OneOf(DeletionPolicyDelete, DeletionPolicySuspend, DeletionPolicyAbandon)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": providerutil.TimeoutsBlock(ctx),
		},
	}
}

func (r *projectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		r.data = d
	}
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectModel
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	cl := r.data.client
	ctx = plan.logContext(ctx) // the name: the id is not known yet
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Create, providerutil.DefaultCreateTimeout, &resp.Diagnostics)
	defer cancel()

	in := client.CreateProjectInput{
		Name:        plan.Name.ValueString(),
		ParentID:    plan.ParentID.ValueString(),
		Description: plan.Description.ValueString(),
	}
	if !plan.DomainID.IsUnknown() {
		in.DomainID = plan.DomainID.ValueString()
	}
	if plan.ParentID.IsUnknown() || plan.ParentID.IsNull() {
		region := regionOf(in.Name)
		parent, err := cl.FindRegionProject(ctx, region, in.DomainID)
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error finding the project of region %q, the parent of IAM project %q", region, in.Name), err)
			return
		}
		in.ParentID = parent.ID
	}

	// Names are unique in an account: a create whose outcome is unknown is resolved by looking
	// the name up, adopting the project if it exists and sending the create again if not. The
	// create's answer carries every attribute but the status, which a new project has as
	// "normal": it is read back only where the status is needed and unknown (newStatus).
	project, err := providerutil.CreateAdopting(ctx, providerutil.Creation[*client.Project]{
		What:         fmt.Sprintf("IAM project %q", in.Name),
		ResourceType: TypeName + "_project",
		Create:       func(ctx context.Context) (*client.Project, error) { return cl.CreateProject(ctx, in) },
		// Names are unique in an account, compared without case: Find looks the name up, so that
		// a project that has it before the first send is never this create's whatever its other
		// attributes, and one that appears during a create the API answered with an error is
		// named. Matches keeps a new one that differs from what the create sends (another
		// description, parent or account) from being adopted. The API's name filter is exact:
		// one of the name in other case is not listed, but it would have made the API refuse
		// this create (409), so it can never be what a lost answer created. Filtered, a lookup
		// costs one small page whatever the size of the account.
		Find: func(ctx context.Context) ([]*client.Project, error) {
			projects, err := r.data.lookups.Get(ctx, in.DomainID+"\x00"+in.Name, func(ctx context.Context) ([]client.Project, error) {
				return cl.ListProjects(ctx, client.ListProjectsInput{DomainID: in.DomainID, Name: in.Name})
			})
			if err != nil {
				return nil, err
			}
			for i, p := range projects {
				if strings.EqualFold(p.Name, in.Name) {
					return []*client.Project{&projects[i]}, nil
				}
			}
			return nil, nil
		},
		Matches: func(p *client.Project) bool { return p.Matches(in) },
		ID:      func(p *client.Project) string { return p.ID },
		Read: func(ctx context.Context, p *client.Project, adopted bool) (*client.Project, error) {
			if !adopted {
				return r.newStatus(ctx, p, plan.Status)
			}
			// Adopted: written by this process too, so never read from a list snapshot; read it whole.
			cl.Wrote(p.ID)
			return cl.GetProject(ctx, p.ID)
		},
		NotFound:        client.IsNotFound,
		ReadAfterCreate: readAfterCreate,
		Backoff:         cl.Backoff,
	}, &resp.Diagnostics)
	if partial, ok := providerutil.AsPartialCreate(err); ok {
		ctx = providerutil.WithProjectID(ctx, partial.ID)
		r.keepCreated(ctx, resp, plan, in, partial.ID, project, fmt.Sprintf("IAM project %s was created but could not be read back", partial.ID), err)
		return
	}
	if err != nil {
		if client.IsConflict(err) {
			r.addConflict(ctx, &resp.Diagnostics, in.Name, in.DomainID, err)
			return
		}
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error creating IAM project %q", in.Name), err)
		return
	}
	id := project.ID
	ctx = providerutil.WithProjectID(ctx, id)
	// A new project is normal; suspend it once it is visible.
	if plan.Status.ValueString() == client.StatusSuspended && project.Status != client.StatusSuspended {
		_, err := providerutil.WaitVisible(ctx, readAfterCreate, client.IsNotFound, func(ctx context.Context) (struct{}, error) {
			return struct{}{}, cl.SetProjectStatus(ctx, id, client.StatusSuspended)
		})
		if err != nil {
			r.keepCreated(ctx, resp, plan, in, id, project, fmt.Sprintf("IAM project %s was created but could not be suspended", id), err)
			return
		}
		p := *project
		p.Status = client.StatusSuspended
		project = &p
	}
	plan.setFrom(project)
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &plan)...)
	resp.Diagnostics.Append(providerutil.MarkCreated(ctx, resp.Private, time.Now())...)
}

// newStatus completes the project a create answered with its status without reading it back
// where possible: the configured status, or "normal" (every new project's) where the cloud
// offers /v3-ext, or none where it does not. Only while this process does not know yet whether
// the cloud offers /v3-ext is one new project read back, for all creates at once.
func (r *projectResource) newStatus(ctx context.Context, answered *client.Project, planned types.String) (*client.Project, error) {
	p := *answered
	if !planned.IsUnknown() && !planned.IsNull() {
		p.Status = client.StatusNormal // a configured "suspended" is set after the create
		return &p, nil
	}
	cl := r.data.client
	if _, known := cl.ExtKnown(); !known {
		read, err := cl.LearnExt(ctx, func(ctx context.Context) (*client.Project, error) { return cl.GetProject(ctx, p.ID) })
		if err != nil || read != nil {
			return read, err
		}
	}
	if offered, _ := cl.ExtKnown(); offered {
		p.Status = client.StatusNormal
	}
	return &p, nil
}

// keepCreated saves a project that exists but whose create did not complete (Terraform marks it
// tainted), with every attribute known, rather than lose it; then reports err.
func (r *projectResource) keepCreated(ctx context.Context, resp *resource.CreateResponse, plan projectModel, in client.CreateProjectInput,
	id string, project *client.Project, summary string, err error) {
	m := plan
	if project != nil && project.ID == id {
		m.setFrom(project)
	} else {
		m.Name, m.ParentID = types.StringValue(in.Name), types.StringValue(in.ParentID)
	}
	m.ID = types.StringValue(id)
	for _, v := range []*types.String{&m.ID, &m.ParentID, &m.DomainID, &m.Status} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	if m.Enabled.IsUnknown() {
		m.Enabled = types.BoolNull()
	}
	providerutil.KeepPartial(&resp.Diagnostics, func() diag.Diagnostics {
		diags := providerutil.SetModel(ctx, &resp.State, &m)
		diags.Append(setIdentity(ctx, resp.Identity, &m)...)
		return append(diags, providerutil.MarkCreated(ctx, resp.Private, time.Now())...)
	}, summary, err)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...) // also when the project is gone or not refreshed
	if r.data == nil {
		providerutil.NotRefreshed(&resp.Diagnostics, "IAM", TypeName)
		return
	}
	id := state.ID.ValueString()
	// The project is this resource's: never a conflict for a create planned in this process.
	r.data.knownIDs.Add(id)
	ctx = state.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Read, providerutil.DefaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	// A project created moments ago may not be visible yet: the rest of the read-after-create
	// window is waited out before concluding that it is gone.
	project, err := providerutil.ReadRecentlyCreated(ctx, req.Private, providerutil.ReadAfterCreate{MaxWait: newProjectGrace, FirstDelay: readAfterCreate.FirstDelay},
		client.IsNotFound, func(ctx context.Context) (*client.Project, error) { return r.data.client.GetProject(ctx, id) })
	if client.IsNotFound(err) {
		tflog.Info(ctx, "IAM project no longer exists; removing it from the state")
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		// A failed or untrustworthy read leaves the state as it was: Terraform keeps the prior
		// state when Read reports an error.
		providerutil.AddClientError(&resp.Diagnostics, "Error reading IAM project "+id, err)
		return
	}
	state.setFrom(project)
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...)
	// The created mark stays, expiring by its age: removing it would make a refresh-only plan
	// report a change after every apply (providerutil.MarkCreated).
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state projectModel
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	id := state.ID.ValueString()
	ctx = plan.logContext(ctx) // the id is the state's (UseStateForUnknown), the name the new one
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Update, providerutil.DefaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()

	// PATCH leaves omitted fields unchanged: send only what changed. Its answer is the whole
	// project but the status, which only the status call below changes: nothing is read back.
	in := client.UpdateProjectInput{Name: providerutil.Changed(plan.Name, state.Name), Description: providerutil.Changed(plan.Description, state.Description)}
	if in.Name != nil || in.Description != nil {
		project, err := r.data.client.UpdateProject(ctx, id, in)
		if client.IsConflict(err) {
			r.addConflict(ctx, &resp.Diagnostics, plan.Name.ValueString(), state.DomainID.ValueString(), err)
			return
		}
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, "Error updating IAM project "+id, err)
			return
		}
		plan.setFrom(project)
	}
	if status := providerutil.Changed(plan.Status, state.Status); status != nil {
		if err := r.data.client.SetProjectStatus(ctx, id, *status); err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error setting the status of IAM project %s to %s", id, *status), err)
			return
		}
	}
	if plan.Status.IsUnknown() {
		plan.Status = state.Status
	}
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &plan)...)
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectModel
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, name := state.ID.ValueString(), state.Name.ValueString()
	ctx = state.logContext(ctx)
	policy := state.DeletionPolicy.ValueString()
	if policy == DeletionPolicyAbandon {
		tflog.Info(ctx, "deletion_policy is abandon: removing the IAM project from the state only")
		return
	}
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Delete, providerutil.DefaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()

	// A project created moments ago may not be visible yet: "not found" then is no proof that it
	// is gone, so the rest of the read-after-create window is waited out.
	recently := func(call func(ctx context.Context) error) error {
		_, err := providerutil.ReadRecentlyCreated(ctx, req.Private, providerutil.ReadAfterCreate{MaxWait: newProjectGrace, FirstDelay: readAfterCreate.FirstDelay},
			client.IsNotFound, func(ctx context.Context) (struct{}, error) { return struct{}{}, call(ctx) })
		return err
	}
	if policy == DeletionPolicySuspend {
		err := recently(func(ctx context.Context) error {
			return r.data.client.SetProjectStatus(ctx, id, client.StatusSuspended)
		})
		if err != nil && !client.IsNotFound(err) {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error suspending IAM project %s (deletion_policy = \"suspend\")", id), err)
		}
		return
	}
	err := recently(func(ctx context.Context) error { return r.data.client.DeleteProject(ctx, id) })
	switch {
	case err == nil, client.IsNotFound(err):
	case client.IsAPIMissing(err):
		detail := fmt.Sprintf("This cloud (Huawei Cloud) does not offer deleting IAM projects, so the project %q (id %s) still exists in the cloud, "+
			"with its resources and permissions. It has only been removed from the Terraform state.\n\n"+
			"To use it again, import it:\n\n%s\n\n"+
			"To have Terraform suspend such a project when it is destroyed, set deletion_policy = \"suspend\"; "+
			"to say that keeping it is intended, set deletion_policy = \"abandon\".", name, id, providerutil.ImportInstructions(TypeName+"_project", id))
		if api, ok := transport.AsAPIError(err); ok {
			detail += "\n\nThe cloud answered:\n" + api.Detail()
		}
		resp.Diagnostics.AddWarning(fmt.Sprintf("IAM project %q was not deleted: the cloud keeps it", name), detail)
	default:
		providerutil.AddClientError(&resp.Diagnostics, "Error deleting IAM project "+id, err)
	}
}

// ImportState takes the project id as the import id or (Terraform 1.12 and later) as the
// identity's id.
func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, diags := importedID(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !idPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid IAM project id",
			fmt.Sprintf("Expected the project's id, 32 hexadecimal characters, e.g. %s; got %q.", exampleID, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), DeletionPolicyDelete)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &projectModel{ID: types.StringValue(id)})...)
}

// ModifyPlan checks, for a project about to be created, that its name is free (checkConflict).
// For an existing project it leaves a marker in the plan's private data: when Terraform replaces
// the project, it plans the successor again as a create with that private data, and the marker
// tells checkConflict that the project found under the name is the one being replaced. On
// Huawei Cloud, which cannot delete projects, a planned destroy or replacement of a project with
// deletion_policy = "delete" is told at plan time (warnKept).
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.warnKept(ctx, req.State, false, &resp.Diagnostics)
		return
	}
	if !req.State.Raw.IsNull() {
		// Most plans leave most projects as they are: nothing to mark or warn about, and no
		// reflection over the whole plan and state (the largest part of a refreshing plan's CPU).
		if req.Plan.Raw.Equal(req.State.Raw) {
			// A `-replace` looks like this too. Where the project keeps its name when replaced,
			// mark it, so that planning its successor can tell (checkConflict).
			r.markKeptName(ctx, req, resp)
			return
		}
		var id types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		marker, _ := json.Marshal(replacedProject{ID: id.ValueString()})
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacedKey, marker)...)
		if replaces(ctx, req) {
			r.warnKept(ctx, req.State, true, &resp.Diagnostics)
		}
		return
	}
	r.checkConflict(ctx, req, &resp.Diagnostics)
}

// markKeptName leaves the replaced-project marker for a project whose deletion_policy keeps it
// ("abandon", "suspend"): Terraform plans a `-replace`d project's successor as a create with
// this private data, and shows only errors from that second plan, so checkConflict can then
// refuse a replacement whose create would fail on the name the old project keeps.
func (r *projectResource) markKeptName(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var policy, id types.String
	if req.State.GetAttribute(ctx, path.Root("deletion_policy"), &policy).HasError() ||
		(policy.ValueString() != DeletionPolicyAbandon && policy.ValueString() != DeletionPolicySuspend) ||
		req.State.GetAttribute(ctx, path.Root("id"), &id).HasError() {
		return
	}
	marker, _ := json.Marshal(replacedProject{ID: id.ValueString()})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacedKey, marker)...)
}

// replaces reports whether the plan changes what replaces the project: the name's region
// prefix, parent_id or domain_id (see the schema's plan modifiers).
func replaces(ctx context.Context, req resource.ModifyPlanRequest) bool {
	var plan, state projectModel
	if providerutil.GetModel(ctx, req.Plan, &plan).HasError() || providerutil.GetModel(ctx, req.State, &state).HasError() {
		return false
	}
	differs := func(p, s types.String) bool { return !p.IsUnknown() && !p.IsNull() && !p.Equal(s) }
	return (!plan.Name.IsUnknown() && regionOf(plan.Name.ValueString()) != regionOf(state.Name.ValueString())) ||
		differs(plan.ParentID, state.ParentID) || differs(plan.DomainID, state.DomainID)
}

// warnKept tells at plan time what destroying the project will do on Huawei Cloud, which
// cannot delete IAM projects, when deletion_policy asks for "delete": the project stays, with
// its name, and can be taken back with an import. With "suspend" or "abandon" the user has
// said what they mean, and the plan stays quiet.
func (r *projectResource) warnKept(ctx context.Context, st tfsdk.State, replacing bool, diags *diag.Diagnostics) {
	// Three attributes, not the whole state: reading each is much cheaper than reflecting over
	// the model, and this runs for every project of a destroy.
	var policy, nameValue, idValue types.String
	if st.Raw.IsNull() || st.GetAttribute(ctx, path.Root("deletion_policy"), &policy).HasError() || policy.ValueString() != DeletionPolicyDelete ||
		st.GetAttribute(ctx, path.Root("name"), &nameValue).HasError() || st.GetAttribute(ctx, path.Root("id"), &idValue).HasError() {
		return
	}
	name, id := nameValue.ValueString(), idValue.ValueString()
	if id == "" || cloudOf(r.data, name) != cloudHuawei {
		return
	}
	what := "Destroying"
	after := "Its name stays taken: a new iam_project with the same name would fail to be created."
	if replacing {
		what = "Replacing"
		after = "Its name stays taken: if the replacement keeps the name, its create will fail with HTTP 409."
	}
	diags.AddWarning(fmt.Sprintf("IAM project %q will stay in Huawei Cloud", name),
		fmt.Sprintf("%s this iam_project will not delete project %q (id %s): Huawei Cloud cannot delete IAM projects, so with "+
			"deletion_policy = \"delete\" the project, its resources and its permissions stay in the account, and the project is only "+
			"removed from the Terraform state. %s\n\nTo use the project again, import it:\n\n%s\n\n"+
			"To say what destroying should do on this cloud, and silence this warning, set deletion_policy = \"suspend\" "+
			"(suspend the project, then forget it) or \"abandon\" (only forget it).",
			what, name, id, after, providerutil.ImportInstructions(TypeName+"_project", id)))
}

// addConflict reports a duplicate name, finding the existing project so that the message can
// show how to import it.
func (r *projectResource) addConflict(ctx context.Context, diags *diag.Diagnostics, name, domainID string, err error) {
	detail := fmt.Sprintf("The account already has an IAM project named %q: names are unique in an account. Choose another name", name)
	lookupCtx, cancel := providerutil.Outlive(ctx, providerutil.DetachedGrace)
	defer cancel()
	importID := "<project id>"
	if existing, ferr := r.data.client.FindProjectByName(lookupCtx, name, domainID); ferr == nil {
		importID = existing.ID
		detail += fmt.Sprintf(", or manage the existing project (id %s) with Terraform by importing it:\n\n", existing.ID)
	} else {
		detail += ", or import the existing project by its id:\n\n"
	}
	diags.AddError(fmt.Sprintf("IAM project name %q is already taken", name),
		detail+providerutil.ImportInstructions(TypeName+"_project", importID)+"\n\n"+providerutil.ErrorDetail(err))
}
