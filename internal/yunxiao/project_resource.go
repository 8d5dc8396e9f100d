package yunxiao

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
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
	_ resource.ResourceWithModifyPlan  = &projectResource{}
)

// customCodePattern is createProject's documented rule: 4 to 6 upper-case letters.
var customCodePattern = regexp.MustCompile(`^[A-Z]{4,6}$`)

// notBlank rejects values made only of white space.
var notBlank = regexp.MustCompile(`\S`)

// identifierPattern: a project identifier is one path segment of the API's URLs.
var identifierPattern = regexp.MustCompile(`^[^/\s]+$`)

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
				MarkdownDescription: "Project name; must not be empty. Any Unicode text, e.g. `研发项目`.",
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(notBlank, "must not be blank"),
				},
			},
			"custom_code": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Project code (项目编号): 4 to 6 upper-case letters A-Z, e.g. `ABCD`, unique in the organization. " +
					"Can be changed in place.",
				Validators: []validator.String{
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
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringvalidator.RegexMatches(notBlank, "must not be blank"),
				},
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
				MarkdownDescription: "Project description. Defaults to `\"\"`. createProject takes no description, so the provider sets it " +
					"with UpdateProjectField right after creating the project.",
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

// templateChanged replaces the project only when a template known in the state changes to
// another one: an imported project has none in state, because the API does not return it, and
// removing the argument does not change the project either.
func templateChanged(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !req.StateValue.IsNull() && !req.StateValue.IsUnknown() && !req.PlanValue.IsNull() &&
		!req.PlanValue.Equal(req.StateValue)
}

func (r *projectResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		r.data = d
	}
}

// ModifyPlan fills organization_id from the provider when the resource does not set it, fails
// the plan when neither does, and replaces the project when the organization it resolves to
// changes. For a project about to be created it also requires template_identifier and checks
// that custom_code is free (see checkConflict).
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
	if creating && !resp.Diagnostics.HasError() {
		r.checkConflict(ctx, req, org, &resp.Diagnostics)
	}
}

// replacedKey is the private-state key of the project a plan would replace.
const replacedKey = "replaced_project"

type replacedProject struct {
	Org string `json:"org"`
	ID  string `json:"id"`
}

// checkConflict fails the plan of a new project whose custom_code another project of the
// organization already has, showing how to import that project instead; the lookup lists the
// organization's projects once per provider process (codeIndex). It is skipped when skip_conflict_check is set, when the provider
// is not configured yet, or when the code or organization are not known until apply; a failed
// lookup is a warning, since createProject reports a real conflict anyway.
func (r *projectResource) checkConflict(ctx context.Context, req resource.ModifyPlanRequest, org types.String, diags *diag.Diagnostics) {
	if r.data == nil || r.data.skipConflictCheck || org.IsUnknown() || org.IsNull() {
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
	ctx, cancel := context.WithTimeout(ctx, providerutil.DefaultReadTimeout)
	defer cancel()
	existing, err := r.data.codes.find(ctx, r.data.client, org.ValueString(), code.ValueString())
	if existing != nil && existing.Identifier == replaced.ID && org.ValueString() == replaced.Org {
		return // the project being replaced: it is deleted before its successor is created
	}
	if err != nil {
		diags.AddAttributeWarning(path.Root("custom_code"), "Could not check whether custom_code is free",
			fmt.Sprintf("Looking for an existing project with custom code %s in organization %s failed, so the plan could not "+
				"check for a conflict; the apply will report one if there is. Set skip_conflict_check = true in the provider block "+
				"to skip this lookup.\n\n%s", code.ValueString(), org.ValueString(), providerutil.ErrorDetail(err)))
		return
	}
	if existing != nil {
		// Terraform plans a tainted object's replacement as a create, so the project found may be
		// this resource's own, left tainted by a create that failed halfway.
		diags.AddAttributeWarning(path.Root("custom_code"), "If this resource is tainted, the conflicting project may be its own",
			fmt.Sprintf("Terraform plans the replacement of a tainted resource as a create. If this resource is tainted, project %s "+
				"may be the one it holds: run `terraform untaint <address>` to keep it, or set skip_conflict_check = true to replace it.",
				existing.Identifier))
		providerutil.ReportConflict(diags, providerutil.Conflict{
			Attribute: path.Root("custom_code"), ResourceType: "yunxiao_project", What: "Yunxiao project", Key: code.ValueString(),
			ExistingID: fmt.Sprintf("%s (%q) in organization %s", existing.Identifier, existing.Name, org.ValueString()),
			ImportID:   org.ValueString() + "/" + existing.Identifier,
		})
	}
}

func (r *projectResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan projectModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	org := plan.OrganizationID.ValueString()
	if org == "" {
		org = r.data.organizationID
		plan.OrganizationID = types.StringValue(org)
	}
	if org == "" {
		resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Missing organization_id",
			"Set organization_id on this resource or in the yunxiao provider block (or "+EnvOrganizationID+").")
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Create, providerutil.DefaultCreateTimeout, &resp.Diagnostics)
	defer cancel()

	c := r.data.client
	in := client.CreateProjectInput{
		TemplateIdentifier: plan.TemplateIdentifier.ValueString(),
		Name:               plan.Name.ValueString(),
		Scope:              plan.Scope.ValueString(),
		CustomCode:         plan.CustomCode.ValueString(),
	}
	if in.TemplateIdentifier == "" {
		resp.Diagnostics.AddAttributeError(path.Root("template_identifier"), "Missing template_identifier",
			"Creating a Yunxiao project needs template_identifier.")
		return
	}
	result, err := providerutil.CreateAdopting(ctx, providerutil.Creation[*client.Project]{
		What:         fmt.Sprintf("Yunxiao project with custom code %s in organization %s", in.CustomCode, org),
		ResourceType: TypeName + "_project",
		Create:       func(ctx context.Context) (*client.Project, error) { return c.CreateProject(ctx, org, in) },
		// custom_code is unique in the organization, so at most one project matches. One with
		// the code but another name or scope is not this create's: it is not adopted, and the
		// create sent again fails with the conflict, naming that project.
		Find: func(ctx context.Context) ([]*client.Project, error) {
			p, err := c.FindProjectByCustomCode(ctx, org, in.CustomCode)
			if err != nil || p == nil || p.Name != in.Name || p.Scope != in.Scope {
				return nil, err
			}
			return []*client.Project{p}, nil
		},
		ID:       func(p *client.Project) string { return p.Identifier },
		ImportID: func(id string) string { return org + "/" + id },
	}, &resp.Diagnostics)
	if err != nil {
		r.addCustomCodeError(ctx, &resp.Diagnostics, "Error creating Yunxiao project", org, in.CustomCode, "", err)
		return
	}
	id, created := result.ID, result.Object

	// createProject has no description: set it now. If that fails the project still exists, so
	// it goes into the state (Terraform marks it tainted) with an error that says so.
	if desc := plan.Description.ValueString(); desc != "" && created.Description != desc {
		err := c.UpdateProjectFields(ctx, org, id, []client.FieldUpdate{{Key: client.FieldDescription, Value: desc}})
		if err != nil {
			plan.setFrom(created)
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			resp.Diagnostics.AddError(
				fmt.Sprintf("Yunxiao project %s was created, but setting its description failed", id),
				fmt.Sprintf("createProject created project %s (custom code %s) in organization %s, but the UpdateProjectField call that sets "+
					"the description failed:\n\n%s\n\nThe project is in the Terraform state without its description, marked tainted. To keep it, "+
					"run `terraform untaint <address>`; the next apply then sets the description in place. To replace it instead, apply again "+
					"with skip_conflict_check = true in the provider block: otherwise the plan reports the tainted project itself as a project "+
					"that already has this custom_code.",
					id, in.CustomCode, org, providerutil.ErrorDetail(err)))
			return
		}
	}

	project, err := providerutil.WaitVisible(ctx, providerutil.DefaultReadAfterCreate, client.IsNotFound,
		func(ctx context.Context) (*client.Project, error) { return r.data.client.GetProject(ctx, org, id) })
	if err != nil {
		// Keep what create answered, with the description just set.
		desc := plan.Description
		plan.setFrom(created)
		plan.Description = desc
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Yunxiao project %s was created but could not be read back", id), err)
		return
	}
	plan.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// addCustomCodeError reports err. When Yunxiao rejected the request and another project of the
// organization (not self) has the custom code, it says so and how to import that project.
func (r *projectResource) addCustomCodeError(ctx context.Context, diags *diag.Diagnostics, summary, org, code, self string, err error) {
	if client.IsRequestError(err) {
		lookupCtx, cancel := providerutil.Detached(ctx, 30*time.Second)
		defer cancel()
		if p, lerr := r.data.client.FindProjectByCustomCode(lookupCtx, org, code); lerr == nil && p != nil && p.Identifier != self {
			diags.AddAttributeError(path.Root("custom_code"), fmt.Sprintf("Custom code %s is already used in organization %s", code, org),
				fmt.Sprintf("Project %s (%q) already has custom code %s, and a custom code is unique in an organization. "+
					"Choose another custom_code, or manage the existing project with Terraform by importing it:\n\n"+
					"  terraform import <address> %s/%s\n\nor an import block:\n\n  import {\n    to = <address>\n    id = \"%s/%s\"\n  }\n\n%s",
					p.Identifier, p.Name, code, org, p.Identifier, org, p.Identifier, providerutil.ErrorDetail(err)))
			return
		}
	}
	providerutil.AddClientError(diags, summary, err)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		providerutil.NotRefreshed(&resp.Diagnostics, "Yunxiao", TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Read, providerutil.DefaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	org, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	project, err := r.data.client.GetProject(ctx, org, id)
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error reading Yunxiao project %s in organization %s", id, org), err)
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
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
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
	if len(fields) > 0 {
		if err := r.data.client.UpdateProjectFields(ctx, org, id, fields); err != nil {
			summary := fmt.Sprintf("Error updating Yunxiao project %s in organization %s", id, org)
			if !plan.CustomCode.Equal(state.CustomCode) {
				r.addCustomCodeError(ctx, &resp.Diagnostics, summary, org, plan.CustomCode.ValueString(), id, err)
			} else {
				providerutil.AddClientError(&resp.Diagnostics, summary, err)
			}
			return
		}
	}
	project, err := r.data.client.GetProject(ctx, org, id)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error reading Yunxiao project %s after updating it", id), err)
		return
	}
	// template_identifier (not returned by the API) and organization_id keep their planned values.
	plan.ID = state.ID
	plan.OrganizationID = state.OrganizationID
	plan.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Delete, providerutil.DefaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()

	org, id := state.OrganizationID.ValueString(), state.ID.ValueString()
	err := r.data.client.DeleteProject(ctx, org, id)
	if err != nil && !client.IsNotFound(err) {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error deleting Yunxiao project %s in organization %s", id, org), err)
	}
}

// ImportState accepts "<organization_id>/<identifier>", or "<identifier>" when the provider has
// an organization_id.
func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	org, id, err := r.parseImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Yunxiao project import id", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("organization_id"), org)...)
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
