package iam

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

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
	client *client.Client
	// skipConflictCheck is the provider's skip_conflict_check.
	skipConflictCheck bool
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
					"a new prefix replaces it.",
				Validators: []validator.String{projectNameValidator{}},
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
				MarkdownDescription: "Project description, at most 255 characters. Defaults to `\"\"`.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(maxDescriptionLength)},
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
					"(Open Telekom Cloud) and, on Huawei Cloud, which cannot delete projects, leaves it and warns; `suspend` sets its status " +
					"to `suspended`, then removes it from the state; `abandon` only removes it from the state.",
				Validators: []validator.String{stringvalidator.OneOf(DeletionPolicyDelete, DeletionPolicySuspend, DeletionPolicyAbandon)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": providerutil.TimeoutsBlock(ctx),
		},
	}
}

// projectNameValidator applies the documented name rules: at most 64 characters, starting with
// a region id and "_".
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
	if !regionPrefix.MatchString(name) || len(name) == len(regionPrefix.FindString(name)) {
		resp.Diagnostics.AddAttributeError(req.Path, "Project name without a region prefix",
			fmt.Sprintf("An IAM project name must start with the id of an existing region and \"_\", followed by the rest of the name, "+
				"e.g. \"eu-de_payments\" (Open Telekom Cloud) or \"ap-southeast-1_payments\" (Huawei Cloud); got %q.", name))
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

func (r *projectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		r.client, r.skipConflictCheck = d.client, d.skipConflictCheck
	}
}

// importHint shows both ways to import the project with id.
func importHint(id string) string {
	return fmt.Sprintf("    terraform import iam_project.<name> %s\n\nor, with Terraform 1.5 and later, in the configuration:\n\n"+
		"    import {\n      to = iam_project.<name>\n      id = %q\n    }", id, id)
}

// addConflict reports a duplicate name, finding the existing project so that the message can
// show how to import it.
func (r *projectResource) addConflict(ctx context.Context, diags *diag.Diagnostics, name, domainID string, err error) {
	detail := fmt.Sprintf("The account already has an IAM project named %q: names are unique in an account. Choose another name", name)
	lookupCtx, cancel := providerutil.Detached(ctx, time.Minute)
	defer cancel()
	if existing, ferr := r.client.FindProjectByName(lookupCtx, name, domainID); ferr == nil && existing != nil {
		detail += fmt.Sprintf(", or manage the existing project (id %s) with Terraform by importing it:\n\n%s", existing.ID, importHint(existing.ID))
	} else {
		detail += ", or import the existing project by its id:\n\n" + importHint("<project id>")
	}
	diags.AddError(fmt.Sprintf("IAM project name %q is already taken", name), detail+"\n\n"+providerutil.ErrorDetail(err))
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
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
		parent, err := r.client.FindRegionProject(ctx, region, in.DomainID)
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error finding the project of region %q, the parent of IAM project %q", region, in.Name), err)
			return
		}
		in.ParentID = parent.ID
	}

	// Names are unique in an account: a create whose outcome is unknown is resolved by
	// looking the name up, adopting the project if it exists and sending the create again if not.
	created, err := providerutil.CreateAdopting(ctx, providerutil.Creation[*client.Project]{
		What:         fmt.Sprintf("IAM project %q", in.Name),
		ResourceType: TypeName + "_project",
		Create:       func(ctx context.Context) (*client.Project, error) { return r.client.CreateProject(ctx, in) },
		Find: func(ctx context.Context) ([]*client.Project, error) {
			p, err := r.client.FindProjectByName(ctx, in.Name, in.DomainID)
			if err != nil || p == nil {
				return nil, err
			}
			return []*client.Project{p}, nil
		},
		ID: func(p *client.Project) string { return p.ID },
	}, &resp.Diagnostics)
	if client.IsConflict(err) {
		r.addConflict(ctx, &resp.Diagnostics, in.Name, in.DomainID, err)
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error creating IAM project %q", in.Name), err)
		return
	}
	id := created.ID
	// From here on the project exists: on an error, keep its id in the state (Terraform
	// marks it tainted) rather than lose it.
	keep := func(summary string, err error) {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("name"), in.Name)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), plan.DeletionPolicy)...)
		providerutil.AddClientError(&resp.Diagnostics, summary, err)
	}
	read, err := providerutil.WaitVisible(ctx, readAfterCreate, client.IsNotFound,
		func(ctx context.Context) (*client.Project, error) { return r.client.GetProject(ctx, id) })
	if err != nil {
		keep(fmt.Sprintf("IAM project %s was created but could not be read back", id), err)
		return
	}
	// A new project is normal; suspend it only once it is visible.
	if plan.Status.ValueString() == client.StatusSuspended && read.Status != client.StatusSuspended {
		if err := r.client.SetProjectStatus(ctx, id, client.StatusSuspended); err != nil {
			keep(fmt.Sprintf("IAM project %s was created but could not be suspended", id), err)
			return
		}
		if read, err = r.client.GetProject(ctx, id); err != nil {
			keep(fmt.Sprintf("IAM project %s was created and suspended but could not be read back", id), err)
			return
		}
	}
	plan.setFrom(read)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		providerutil.NotRefreshed(&resp.Diagnostics, "IAM", TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Read, providerutil.DefaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	project, err := r.client.GetProject(ctx, state.ID.ValueString())
	if client.IsNotFound(err) {
		tflog.Info(ctx, "IAM project no longer exists; removing it from the state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error reading IAM project "+state.ID.ValueString(), err)
		return
	}
	state.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *projectResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Update, providerutil.DefaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()

	id := state.ID.ValueString()
	// PATCH leaves omitted fields unchanged: send only what changed.
	in := client.UpdateProjectInput{Name: changed(plan.Name, state.Name), Description: changed(plan.Description, state.Description)}
	if in.Name != nil || in.Description != nil {
		_, err := r.client.UpdateProject(ctx, id, in)
		if client.IsConflict(err) {
			r.addConflict(ctx, &resp.Diagnostics, plan.Name.ValueString(), state.DomainID.ValueString(), err)
			return
		}
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, "Error updating IAM project "+id, err)
			return
		}
	}
	if status := changed(plan.Status, state.Status); status != nil && !plan.Status.IsUnknown() {
		if err := r.client.SetProjectStatus(ctx, id, *status); err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error setting the status of IAM project %s to %s", id, *status), err)
			return
		}
	}
	project, err := r.client.GetProject(ctx, id)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error reading IAM project "+id+" after updating it", err)
		return
	}
	plan.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// changed returns the planned value when it is known and differs from the state, else nil.
func changed(plan, state types.String) *string {
	if plan.IsUnknown() || plan.IsNull() || plan.Equal(state) {
		return nil
	}
	v := plan.ValueString()
	return &v
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, name := state.ID.ValueString(), state.Name.ValueString()
	policy := state.DeletionPolicy.ValueString()
	if policy == DeletionPolicyAbandon {
		tflog.Info(ctx, "deletion_policy is abandon: removing the IAM project from the state only", map[string]any{"id": id})
		return
	}
	if r.client == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Delete, providerutil.DefaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()

	if policy == DeletionPolicySuspend {
		err := r.client.SetProjectStatus(ctx, id, client.StatusSuspended)
		if err != nil && !client.IsNotFound(err) {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error suspending IAM project %s (deletion_policy = \"suspend\")", id), err)
		}
		return
	}
	err := r.client.DeleteProject(ctx, id)
	switch {
	case err == nil, client.IsNotFound(err):
	case client.IsAPIMissing(err):
		detail := fmt.Sprintf("This cloud (Huawei Cloud) does not offer deleting IAM projects, so the project %q (id %s) still exists in the cloud, "+
			"with its resources and permissions. It has only been removed from the Terraform state.\n\n"+
			"To have Terraform suspend such a project when it is destroyed, set deletion_policy = \"suspend\"; "+
			"to say that keeping it is intended, set deletion_policy = \"abandon\".", name, id)
		if api, ok := transport.AsAPIError(err); ok {
			detail += "\n\nThe cloud answered:\n" + api.Detail()
		}
		resp.Diagnostics.AddWarning(fmt.Sprintf("IAM project %q was not deleted: the cloud keeps it", name), detail)
	default:
		providerutil.AddClientError(&resp.Diagnostics, "Error deleting IAM project "+id, err)
	}
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !idPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid IAM project id",
			fmt.Sprintf("Expected the project's id, 32 hexadecimal characters, e.g. %s; got %q.", exampleID, req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("deletion_policy"), DeletionPolicyDelete)...)
}
