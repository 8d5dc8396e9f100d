package yunxiao

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
	_ resource.ResourceWithModifyPlan  = &projectResource{}
)

// readAfterCreate bounds how long a new project may stay invisible to reads and lists: the
// read-back of a create, and the lookups after an unknown outcome before they conclude that
// nothing was created.
var readAfterCreate = providerutil.DefaultReadAfterCreate

// newProjectGrace is how long after its create a project that reads or deletes as missing is
// waited for (it may not be visible yet) before it is taken for gone.
var newProjectGrace = providerutil.DefaultReadAfterCreate

// NewProjectResource returns the yunxiao_project resource.
func NewProjectResource() resource.Resource {
	return &projectResource{}
}

type projectResource struct {
	data *providerData
}

// projectModel is the yunxiao_project schema.
type projectModel struct {
	ID                 types.String   `tfsdk:"id"`
	OrganizationID     types.String   `tfsdk:"organization_id"`
	Name               types.String   `tfsdk:"name"`
	CustomCode         types.String   `tfsdk:"custom_code"`
	Scope              types.String   `tfsdk:"scope"`
	TemplateIdentifier types.String   `tfsdk:"template_identifier"`
	Description        types.String   `tfsdk:"description"`
	Status             types.String   `tfsdk:"status"`
	Creator            types.String   `tfsdk:"creator"`
	CreatedAt          types.String   `tfsdk:"created_at"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

// setFrom copies what the API returns. organization_id and template_identifier are not in the
// answer (the template cannot be read back at all) and stay as they are.
func (m *projectModel) setFrom(p *client.Project) {
	m.ID = types.StringValue(p.Identifier)
	m.Name = types.StringValue(p.Name)
	m.CustomCode = types.StringValue(p.CustomCode)
	m.Scope = types.StringValue(p.Scope)
	m.Description = types.StringValue(p.Description)
	m.Status = types.StringValue(p.LogicalStatus)
	m.Creator = types.StringValue(p.Creator)
	m.CreatedAt = types.StringValue(p.GmtCreate.RFC3339())
}

// logContext makes every API log line of the operation name the project.
func (m *projectModel) logContext(ctx context.Context) context.Context {
	return transport.LogFields(ctx, map[string]any{
		"project_id": m.ID.ValueString(), "project_name": m.Name.ValueString(),
		"custom_code": m.CustomCode.ValueString(), "organization_id": m.OrganizationID.ValueString(),
	})
}

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "A Yunxiao project (项目). `name`, `custom_code`, `scope` and `description` change in place " +
			"(UpdateProjectField); a new `organization_id` or `template_identifier` replaces the project.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The project's `identifier`, e.g. `e8b2xxxxxxx09b07d23`.",
				PlanModifiers:       stable,
			},
			"organization_id": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The Yunxiao organization (企业) id the project belongs to. Defaults to the provider's `organization_id`; " +
					"one of the two must be set. Changing it replaces the project.",
				Validators: []validator.String{stringvalidator.RegexMatches(organizationIDPattern, organizationIDMessage)},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.UseStateForUnknown(),
					stringplanmodifier.RequiresReplace(),
				},
			},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Project name, in any script, e.g. `研发项目`. " + providerutil.NameTextRule,
				Validators:          []validator.String{providerutil.VisibleText()},
			},
			"custom_code": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Project code (项目编号): 4 to 6 upper-case letters A-Z, e.g. `ABCD`, unique in the organization. " +
					"Can be changed in place.",
				Validators: []validator.String{
					providerutil.VisibleText(),
					stringvalidator.RegexMatches(customCodePattern, "must be 4 to 6 upper-case letters A-Z (e.g. ABCD), unique in the organization"),
				},
			},
			"scope": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("private"),
				MarkdownDescription: "Visibility: `public` or `private`. Defaults to `private`.",
				Validators:          []validator.String{stringvalidator.OneOf("public", "private")},
			},
			"template_identifier": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Identifier of the project template the project is created from (the `identifier` of a template " +
					"in the organization's project template list; the `yunxiao_project_templates` data source finds it by name). " +
					"Required to create a project. The API never returns it, so it may be left out for an imported project; " +
					"adding it later only records it, while changing a value already in the state replaces the project.",
				Validators: []validator.String{providerutil.VisibleText()},
				PlanModifiers: []planmodifier.String{
					stringplanmodifier.RequiresReplaceIf(templateChanged,
						"Replaces the project when a known template changes to another one; adding one to an imported project, or removing it, does not.",
						"Replaces the project when a known template changes to another one; adding one to an imported project, or removing it, does not."),
				},
			},
			"description": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(""),
				MarkdownDescription: fmt.Sprintf("Project description, at most %d characters. %s Defaults to `\"\"`. createProject takes no "+
					"description, so the provider sets it with UpdateProjectField right after creating the project. Yunxiao publishes no "+
					"limit; the provider chose this one so that an oversized text fails at plan time instead of after the project is created.",
					client.MaxDescriptionLength, providerutil.DescriptionTextRule),
				Validators: []validator.String{stringvalidator.UTF8LengthAtMost(client.MaxDescriptionLength), providerutil.DescriptionText()},
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The project's `logicalStatus`, e.g. `NORMAL`.",
				PlanModifiers:       stable,
			},
			"creator": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "Alibaba Cloud account id of the project's creator.",
				PlanModifiers:       stable,
			},
			"created_at": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "When the project was created (`gmtCreate`), RFC 3339 in UTC, e.g. `2021-06-17T07:53:13Z`.",
				PlanModifiers:       stable,
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
	// ModifyPlan has resolved organization_id and required template_identifier.
	org := plan.OrganizationID.ValueString()
	ctx = plan.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Create, providerutil.DefaultCreateTimeout, &resp.Diagnostics)
	defer cancel()

	c := r.data.client
	in := client.CreateProjectInput{
		TemplateIdentifier: plan.TemplateIdentifier.ValueString(),
		Name:               plan.Name.ValueString(),
		Scope:              plan.Scope.ValueString(),
		CustomCode:         plan.CustomCode.ValueString(),
	}
	project, err := providerutil.CreateAdopting(ctx, providerutil.Creation[*client.Project]{
		What:         fmt.Sprintf("Yunxiao project with custom code %s in organization %s", in.CustomCode, org),
		ResourceType: TypeName + "_project",
		Create:       func(ctx context.Context) (*client.Project, error) { return c.CreateProject(ctx, org, in) },
		// custom_code is unique in the organization: Find looks the live project of the code up,
		// as iam looks the name up. A new one with the code but another name or scope is not
		// this create's (Project.Matches): it is named, never adopted, and not sent over.
		Find: func(ctx context.Context) ([]*client.Project, error) {
			projects, err := r.data.lookups.Get(ctx, org, func(ctx context.Context) ([]client.Project, error) { return c.ListProjects(ctx, org) })
			if err != nil {
				return nil, err
			}
			for i, p := range projects {
				if p.CustomCode == in.CustomCode && !p.Deleted() {
					return []*client.Project{&projects[i]}, nil
				}
			}
			return nil, nil
		},
		Matches: func(p *client.Project) bool { return p.Matches(in) },
		ID:      func(p *client.Project) string { return p.Identifier },
		// createProject answers with the whole project: it is read back only when the answer
		// lacks something the state stores (Complete: the client's one completeness rule, the
		// list snapshot's too), or when it was adopted (found in a list), and then never from a
		// list snapshot (this process wrote it).
		Read: func(ctx context.Context, p *client.Project, adopted bool) (*client.Project, error) {
			if !adopted && p.Complete() {
				return p, nil
			}
			c.Wrote(p.Identifier)
			return c.GetProject(providerutil.WithProjectID(ctx, p.Identifier), org, p.Identifier)
		},
		NotFound:        client.IsNotFound,
		ReadAfterCreate: readAfterCreate,
		ImportID:        func(id string) string { return org + "/" + id },
		Backoff:         c.Backoff,
	}, &resp.Diagnostics)
	if partial, ok := providerutil.AsPartialCreate(err); ok {
		providerutil.KeepPartial(&resp.Diagnostics, func() diag.Diagnostics { return saveCreated(ctx, plan, project, partial.ID, resp) },
			fmt.Sprintf("Yunxiao project %s was created but could not be read back", partial.ID), err)
		return
	}
	if err != nil {
		r.addCustomCodeError(ctx, &resp.Diagnostics, "Error creating Yunxiao project", org, in.CustomCode, "", err)
		return
	}
	id := project.Identifier
	ctx = providerutil.WithProjectID(ctx, id)

	// The project exists: finishing it (setting the description) runs on a context that
	// outlives Ctrl-C and the create timeout by the documented grace, as the adoption's read does,
	// so that the state ends complete rather than tainted.
	finish, cancelFinish := providerutil.Outlive(ctx, providerutil.DetachedGrace)
	defer cancelFinish()
	// createProject has no description: set it now (an adopted project may hold another one). If
	// that fails the project still exists, so it goes into the state (Terraform marks it
	// tainted) with an error that says so.
	if desc := plan.Description.ValueString(); project.Description != desc {
		// A project created moments ago may not be visible to the update yet.
		updated, err := providerutil.WaitVisible(finish, providerutil.DefaultReadAfterCreate, client.IsNotFound, func(ctx context.Context) (*client.Project, error) {
			return c.UpdateProjectFields(ctx, org, id, []client.FieldUpdate{{Key: client.FieldDescription, Value: desc}})
		})
		if err != nil {
			resp.Diagnostics.Append(saveCreated(ctx, plan, project, id, resp)...)
			resp.Diagnostics.AddError(
				fmt.Sprintf("Yunxiao project %s was created, but setting its description failed", id),
				fmt.Sprintf("createProject created project %s (custom code %s) in organization %s, but the UpdateProjectField call that sets "+
					"the description failed:\n\n%s\n\nThe project is in the Terraform state without its description, marked tainted. To keep it, "+
					"run `terraform untaint <address>`; the next apply then sets the description in place. Otherwise the next apply replaces it.",
					id, in.CustomCode, org, providerutil.ErrorDetail(err)))
			return
		}
		// The answer documents the updated project; without it, UpdateProjectField changed only
		// the description and the rest is what createProject answered: no read-back either way.
		if updated != nil {
			project = updated
		} else {
			withDescription := *project
			withDescription.Description = desc
			project = &withDescription
		}
	}
	plan.setFrom(project)
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &plan)...)
	resp.Diagnostics.Append(providerutil.MarkCreated(ctx, resp.Private, time.Now())...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...) // also when the project is gone or not refreshed
	if r.data == nil {
		providerutil.NotRefreshed(&resp.Diagnostics, "Yunxiao", TypeName)
		return
	}
	ctx = state.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Read, providerutil.DefaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	org, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	// The create keeps createProject's answer without reading the project back, so the first
	// refresh may come before a new project is visible: it waits for it rather than conclude
	// that it is gone.
	project, err := providerutil.ReadRecentlyCreated(ctx, req.Private, newProjectGrace, client.IsNotFound,
		func(ctx context.Context) (*client.Project, error) { return r.data.client.GetProject(ctx, org, id) })
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		// A bad answer is no proof of anything: the state stays exactly as it was.
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error reading Yunxiao project %s in organization %s", id, org), err)
		return
	}
	r.data.knownIDs.Add(id)
	state.setFrom(project)
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &state)...)
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
	ctx = plan.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Update, providerutil.DefaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()

	org, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	// UpdateProjectField changes only the fields listed: send only what changed.
	var fields []client.FieldUpdate
	for _, f := range []struct {
		key         string
		plan, state types.String
	}{
		{client.FieldName, plan.Name, state.Name},
		{client.FieldDescription, plan.Description, state.Description},
		{client.FieldScope, plan.Scope, state.Scope},
		{client.FieldCustomCode, plan.CustomCode, state.CustomCode},
	} {
		if !f.plan.Equal(f.state) {
			fields = append(fields, client.FieldUpdate{Key: f.key, Value: f.plan.ValueString()})
		}
	}
	var updated *client.Project
	if len(fields) > 0 {
		var err error
		if updated, err = r.data.client.UpdateProjectFields(ctx, org, id, fields); err != nil {
			summary := fmt.Sprintf("Error updating Yunxiao project %s in organization %s", id, org)
			if !plan.CustomCode.Equal(state.CustomCode) {
				r.addCustomCodeError(ctx, &resp.Diagnostics, summary, org, plan.CustomCode.ValueString(), id, err)
			} else {
				providerutil.AddClientError(&resp.Diagnostics, summary, err)
			}
			return
		}
	}
	// UpdateProjectField changes only the fields sent, and its answer documents the updated
	// project: the new state is what it answered, or else the plan with what the API computes
	// (status, creator, creation time) as it was. No read-back call either way.
	plan.ID = state.ID
	plan.OrganizationID = state.OrganizationID
	plan.Status = state.Status
	plan.Creator = state.Creator
	plan.CreatedAt = state.CreatedAt
	if updated != nil {
		plan.setFrom(updated)
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
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx = state.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Delete, providerutil.DefaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()

	org, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	// A project created moments ago may not be visible to the delete yet: "not found" then is
	// no proof that it is gone.
	_, err := providerutil.ReadRecentlyCreated(ctx, req.Private, newProjectGrace, client.IsNotFound,
		func(ctx context.Context) (struct{}, error) {
			return struct{}{}, r.data.client.DeleteProject(ctx, org, id)
		})
	if err != nil && !client.IsNotFound(err) {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error deleting Yunxiao project %s in organization %s", id, org), err)
	}
}

// ImportState accepts "<organization_id>/<identifier>", or "<identifier>" when the provider has
// an organization_id, or (Terraform 1.12 and later) an identity of organization_id and id.
func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	raw, diags := importedID(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, id, err := r.parseImportID(raw)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Yunxiao project import id", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), org)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &projectModel{OrganizationID: types.StringValue(org), ID: types.StringValue(id)})...)
}

// replacedKey is the private-state key of the project a plan would replace.
const replacedKey = "replaced_project"

type replacedProject struct {
	Org string `json:"org"`
	ID  string `json:"id"`
}

// ModifyPlan fills organization_id from the provider when the resource does not set it, fails
// the plan when neither does, and replaces the project when the organization it resolves to
// changes. For a project about to be created it also requires template_identifier, checks that
// the credentials can see the organization_id it sets, and that custom_code is free (see
// checkConflict).
func (r *projectResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	creating := req.State.Raw.IsNull()
	if !creating {
		// If Terraform replaces the project, it plans the new one again as a create, passing
		// this plan's private data: the marker tells checkConflict that the project with this
		// custom_code is the one being replaced, not a conflict.
		var id, org types.String
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("organization_id"), &org)...)
		marker, _ := json.Marshal(replacedProject{Org: org.ValueString(), ID: id.ValueString()})
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, replacedKey, marker)...)
	}
	if creating {
		var tmpl types.String
		resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("template_identifier"), &tmpl)...)
		if tmpl.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root("template_identifier"), "Missing template_identifier",
				"Creating a Yunxiao project needs the identifier of the project template to create it from. "+
					"Set template_identifier, for example from the yunxiao_project_templates data source. "+
					"(Only an imported project, which already exists, may leave it out.)")
		}
	}
	var configured types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("organization_id"), &configured)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org := configured
	if configured.IsNull() {
		if r.data == nil {
			// The provider's configuration is not known yet: so is the organization.
			return
		}
		if r.data.organizationID == "" {
			resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Missing organization_id",
				"Set organization_id on this resource, or organization_id in the yunxiao provider block "+
					"(or the environment variable "+EnvOrganizationID+"). It is the id in https://devops.aliyun.com/organization/<organization_id>.")
			return
		}
		org = types.StringValue(r.data.organizationID)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("organization_id"), org)...)
		if !creating {
			var state types.String
			resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("organization_id"), &state)...)
			if !state.IsNull() && !state.Equal(org) {
				resp.RequiresReplace = append(resp.RequiresReplace, path.Root("organization_id"))
			}
		}
	}
	if creating && !resp.Diagnostics.HasError() && !configured.IsNull() && !configured.IsUnknown() && r.data != nil {
		// The resource's own organization_id, checked against the organizations the credential
		// check listed (the provider's was checked at configure).
		if problem := r.data.organizationProblem(configured.ValueString()); problem != "" {
			providerutil.AddPlanError(&resp.Diagnostics, path.Root("organization_id"), "Unknown Yunxiao organization", problem)
			return
		}
	}
	if creating && !resp.Diagnostics.HasError() {
		r.checkConflict(ctx, req, org, &resp.Diagnostics)
	}
}

const importForms = "Expected <organization_id>/<identifier>, e.g. 5ebbc0228123212b59xxxxx/e8b2xxxxxxx09b07d23, " +
	"or just <identifier> when the provider sets organization_id"

func (r *projectResource) parseImportID(raw string) (org, id string, err error) {
	parts := strings.Split(raw, "/")
	switch len(parts) {
	case 1:
		id = parts[0]
		if r.data != nil {
			org = r.data.organizationID
		}
		if org == "" && identifierPattern.MatchString(id) {
			return "", "", fmt.Errorf("%s; got %q, and the provider has no organization_id (nor %s), so give the organization too: <organization_id>/%s",
				importForms, raw, EnvOrganizationID, id)
		}
	case 2:
		org, id = parts[0], parts[1]
	}
	if !organizationIDPattern.MatchString(org) || !identifierPattern.MatchString(id) {
		return "", "", fmt.Errorf("%s; got %q", importForms, raw)
	}
	return org, id, nil
}

// saveCreated keeps a project known to exist in the state although its create did not finish,
// with every attribute known (the planned ones, and the project's own where it was read), so
// that Terraform keeps it, tainted, rather than lose it.
func saveCreated(ctx context.Context, plan projectModel, p *client.Project, id string, resp *resource.CreateResponse) diag.Diagnostics {
	if p != nil && p.Identifier == id {
		plan.setFrom(p)
	}
	plan.ID = types.StringValue(id)
	for _, v := range []*types.String{&plan.Status, &plan.Creator, &plan.CreatedAt} {
		if v.IsUnknown() {
			*v = types.StringNull()
		}
	}
	diags := providerutil.SetModel(ctx, &resp.State, &plan)
	diags.Append(setIdentity(ctx, resp.Identity, &plan)...)
	return append(diags, providerutil.MarkCreated(ctx, resp.Private, time.Now())...)
}

// addCustomCodeError reports err. When Yunxiao rejected the request and another project of the
// organization (not self) has the custom code, it says so and how to import that project.
func (r *projectResource) addCustomCodeError(ctx context.Context, diags *diag.Diagnostics, summary, org, code, self string, err error) {
	if client.IsRequestError(err) {
		lookupCtx, cancel := providerutil.Outlive(ctx, providerutil.DetachedGrace)
		defer cancel()
		if p, lerr := r.data.client.FindProjectByCustomCode(lookupCtx, org, code); lerr == nil && p.Identifier != self {
			diags.AddAttributeError(path.Root("custom_code"), fmt.Sprintf("Custom code %s is already used in organization %s", code, org),
				fmt.Sprintf("Project %s (%q) already has custom code %s, and a custom code is unique in an organization. "+
					"Choose another custom_code, or manage the existing project with Terraform by importing it:\n\n%s\n\n%s",
					p.Identifier, p.Name, code, providerutil.ImportInstructions(TypeName+"_project", org+"/"+p.Identifier), providerutil.ErrorDetail(err)))
			return
		}
	}
	providerutil.AddClientError(diags, summary, err)
}

// templateChanged replaces the project only when a template known in the state changes to
// another one: an imported project has none in state, because the API does not return it, and
// removing the argument does not change the project either.
func templateChanged(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.StateValue.IsNull() && !req.StateValue.IsUnknown() && !req.PlanValue.IsNull() &&
		!req.PlanValue.Equal(req.StateValue)
}
