package trro

import (
	"context"
	"fmt"

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
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
)

// readAfterCreate bounds how long a new project may stay invisible to reads and lists: the
// read-back of a create, and the lookups after an unknown outcome before they conclude that
// nothing was created.
var readAfterCreate = providerutil.DefaultReadAfterCreate

// NewProjectResource returns the trro_project resource.
func NewProjectResource() resource.Resource {
	return &projectResource{}
}

type projectResource struct {
	data *providerData
}

// projectModel is the trro_project schema.
type projectModel struct {
	ID          types.String   `tfsdk:"id"`
	Name        types.String   `tfsdk:"name"`
	Description types.String   `tfsdk:"description"`
	PolicyMode  types.String   `tfsdk:"policy_mode"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func (m *projectModel) setFrom(p *client.Project) {
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.Description = types.StringValue(p.Description)
	m.PolicyMode = types.StringValue(p.PolicyMode)
}

// logContext makes every API log line of the operation name the project.
func (m *projectModel) logContext(ctx context.Context) context.Context {
	return transport.LogFields(ctx, map[string]any{"project_id": m.ID.ValueString(), "project_name": m.Name.ValueString()})
}

func (r *projectResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (r *projectResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A TRRO project. Every attribute can be changed in place (ModifyProject).",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The 16-character `ProjectId`.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Project name, 1 to 24 characters (Unicode characters, so 24 Chinese characters fit). Names need not be unique. " +
					providerutil.NameTextRule,
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, 24), providerutil.VisibleText()},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "Project description, at most 120 characters. " + providerutil.DescriptionTextRule + " Defaults to `\"\"`.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(120), providerutil.DescriptionText()},
			},
			"policy_mode": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString("black"),
				MarkdownDescription: "Permission mode: `black` (blocklist) or `white` (allowlist). Defaults to `black`.",
				Validators:          []validator.String{stringvalidator.OneOf("black", "white")},
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
	ctx = plan.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, plan.Timeouts.Create, providerutil.DefaultCreateTimeout, &resp.Diagnostics)
	defer cancel()

	c := r.data.client
	in := client.CreateProjectInput{
		Name:        plan.Name.ValueString(),
		Description: plan.Description.ValueString(),
		PolicyMode:  plan.PolicyMode.ValueString(),
	}
	project, err := providerutil.CreateAdopting(ctx, providerutil.Creation[*client.Project]{
		What:         fmt.Sprintf("TRRO project %q", in.Name),
		ResourceType: TypeName + "_project",
		Create: func(ctx context.Context) (*client.Project, error) {
			id, err := c.CreateProject(ctx, in)
			return &client.Project{ID: id}, err
		},
		// TRRO names are not unique: match every attribute the create sets (Project.Matches), and
		// adopt only an unambiguous match.
		Find: func(ctx context.Context) ([]*client.Project, error) {
			projects, err := r.data.lookups.Get(ctx, "", c.ListProjects)
			var matches []*client.Project
			for i, p := range projects {
				if p.Matches(in) {
					matches = append(matches, &projects[i])
				}
			}
			return matches, err
		},
		ID: func(p *client.Project) string { return p.ID },
		// CreateProject answers with the id alone: read the project back, never from a list
		// snapshot (this process wrote it).
		Read: func(ctx context.Context, p *client.Project, _ bool) (*client.Project, error) {
			c.Wrote(p.ID)
			return c.DescribeProject(ctx, p.ID)
		},
		NotFound:        client.IsNotFound,
		ReadAfterCreate: readAfterCreate,
		Backoff:         c.Backoff,
	}, &resp.Diagnostics)
	if partial, ok := providerutil.AsPartialCreate(err); ok {
		// The project exists but its read-back failed: keep it in the state with everything known
		// rather than lose it. Find matched every attribute, so the plan's values are the project's.
		plan.ID = types.StringValue(partial.ID)
		providerutil.KeepPartial(&resp.Diagnostics, func() diag.Diagnostics {
			return append(providerutil.SetModel(ctx, &resp.State, &plan), setIdentity(ctx, resp.Identity, &plan)...)
		}, fmt.Sprintf("TRRO project %s was created but could not be read back", partial.ID), err)
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error creating TRRO project", err)
		return
	}
	r.data.knownIDs.Add(project.ID)
	plan.setFrom(project)
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &plan)...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(providerutil.GetModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...) // the framework wants one from every read
		providerutil.NotRefreshed(&resp.Diagnostics, "TRRO", TypeName)
		return
	}
	ctx = state.logContext(ctx)
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Read, providerutil.DefaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	id := state.ID.ValueString()
	project, err := r.data.client.DescribeProject(ctx, id)
	// Only the API's documented not-found answer removes the project from the state; any other
	// failure, a bad answer included, fails the refresh and leaves the state as it was.
	if client.IsNotFound(err) {
		// The framework wants an identity even from a read that removes the resource, and a
		// state written before identities (Terraform 1.11) brings none.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error reading TRRO project "+id, err)
		return
	}
	r.data.knownIDs.Add(id)
	state.setFrom(project)
	resp.Diagnostics.Append(providerutil.SetModel(ctx, &resp.State, &state)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, &state)...)
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

	// ModifyProject leaves omitted fields unchanged: send only what changed.
	in := client.ModifyProjectInput{
		ID:          state.ID.ValueString(),
		Name:        providerutil.Changed(plan.Name, state.Name),
		Description: providerutil.Changed(plan.Description, state.Description),
		PolicyMode:  providerutil.Changed(plan.PolicyMode, state.PolicyMode),
	}
	if in.Name != nil || in.Description != nil || in.PolicyMode != nil {
		if err := r.data.client.ModifyProject(ctx, in); err != nil {
			providerutil.AddClientError(&resp.Diagnostics, "Error updating TRRO project "+in.ID, err)
			return
		}
	}
	// ModifyProject answers with nothing but a request id, and every attribute is one the plan
	// holds (none is computed by the API after the create): the plan is the new state, without
	// a read-back call.
	plan.ID = state.ID
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

	err := r.data.client.DeleteProject(ctx, state.ID.ValueString())
	if err != nil && !client.IsNotFound(err) {
		providerutil.AddClientError(&resp.Diagnostics, "Error deleting TRRO project "+state.ID.ValueString(), err)
	}
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	// The id of `terraform import` or an import block, or (Terraform 1.12+) the block's identity.
	id, diags := importedID(ctx, req)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !projectIDPattern.MatchString(id) {
		resp.Diagnostics.AddError("Invalid TRRO project id",
			fmt.Sprintf("Expected the project's 16-character ProjectId, letters and digits only, e.g. f3glr49r3axn0fu2; got %q.", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	if resp.Identity != nil {
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("id"), id)...)
	}
}
