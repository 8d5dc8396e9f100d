package trro

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

var (
	_ resource.Resource                = &projectResource{}
	_ resource.ResourceWithConfigure   = &projectResource{}
	_ resource.ResourceWithImportState = &projectResource{}
)

// projectIDPattern is the documented form of a ProjectId: 16 characters.
var projectIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{16}$`)

// NewProjectResource returns the trro_project resource.
func NewProjectResource() resource.Resource {
	return &projectResource{}
}

type projectResource struct {
	client *client.Client
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
				Required:            true,
				MarkdownDescription: "Project name, 1 to 24 characters (Unicode characters, so 24 Chinese characters fit). Names need not be unique.",
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 24)},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				MarkdownDescription: "Project description, at most 120 characters. Defaults to `\"\"`.",
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(120)},
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
	if c, ok := providerutil.ProviderData[*client.Client](req.ProviderData, &resp.Diagnostics); ok {
		r.client = c
	}
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
		Description: plan.Description.ValueString(),
		PolicyMode:  plan.PolicyMode.ValueString(),
	}
	created, err := providerutil.CreateAdopting(ctx, providerutil.Creation[*client.Project]{
		What:         fmt.Sprintf("TRRO project %q", in.Name),
		ResourceType: TypeName + "_project",
		Create: func(ctx context.Context) (*client.Project, error) {
			id, err := r.client.CreateProject(ctx, in)
			return &client.Project{ID: id}, err
		},
		// TRRO names are not unique: match every attribute, and adopt only an unambiguous match.
		Find: func(ctx context.Context) ([]*client.Project, error) {
			projects, err := r.client.ListProjects(ctx)
			var matches []*client.Project
			for i, p := range projects {
				if p.Name == in.Name && p.Description == in.Description && p.PolicyMode == in.PolicyMode {
					matches = append(matches, &projects[i])
				}
			}
			return matches, err
		},
		ID:       func(p *client.Project) string { return p.ID },
		Read:     r.client.DescribeProject,
		NotFound: client.IsNotFound,
	}, &resp.Diagnostics)
	if created.ID == "" {
		providerutil.AddClientError(&resp.Diagnostics, "Error creating TRRO project", err)
		return
	}
	if err != nil {
		// The project exists: keep it in state (Terraform marks it tainted) rather than lose it.
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), created.ID)...)
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("TRRO project %s was created but could not be read back", created.ID), err)
		return
	}
	plan.setFrom(created.Object)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *projectResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state projectModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if r.client == nil {
		providerutil.NotRefreshed(&resp.Diagnostics, "TRRO", TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Read, providerutil.DefaultReadTimeout, &resp.Diagnostics)
	defer cancel()

	project, err := r.client.DescribeProject(ctx, state.ID.ValueString())
	if client.IsNotFound(err) {
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error reading TRRO project "+state.ID.ValueString(), err)
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

	// ModifyProject leaves omitted fields unchanged: send only what changed.
	in := client.ModifyProjectInput{
		ID:          state.ID.ValueString(),
		Name:        changed(plan.Name, state.Name),
		Description: changed(plan.Description, state.Description),
		PolicyMode:  changed(plan.PolicyMode, state.PolicyMode),
	}
	if in.Name != nil || in.Description != nil || in.PolicyMode != nil {
		if err := r.client.ModifyProject(ctx, in); err != nil {
			providerutil.AddClientError(&resp.Diagnostics, "Error updating TRRO project "+in.ID, err)
			return
		}
	}
	project, err := r.client.DescribeProject(ctx, in.ID)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error reading TRRO project "+in.ID+" after updating it", err)
		return
	}
	plan.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// changed returns the planned value when it differs from the state, else nil.
func changed(plan, state types.String) *string {
	if plan.Equal(state) {
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
	if r.client == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx, cancel := providerutil.OperationContext(ctx, state.Timeouts.Delete, providerutil.DefaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()

	err := r.client.DeleteProject(ctx, state.ID.ValueString())
	if err != nil && !client.IsNotFound(err) {
		providerutil.AddClientError(&resp.Diagnostics, "Error deleting TRRO project "+state.ID.ValueString(), err)
	}
}

func (r *projectResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !projectIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid TRRO project id",
			fmt.Sprintf("Expected the project's 16-character ProjectId, letters and digits only, e.g. f3glr49r3axn0fu2; got %q.", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
