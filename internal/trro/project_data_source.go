package trro

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

var (
	_ datasource.DataSource                     = &projectDataSource{}
	_ datasource.DataSourceWithConfigure        = &projectDataSource{}
	_ datasource.DataSourceWithConfigValidators = &projectDataSource{}
)

// NewProjectDataSource returns the trro_project data source.
func NewProjectDataSource() datasource.DataSource {
	return &projectDataSource{}
}

type projectDataSource struct {
	data *providerData
}

// projectDataSourceModel is the trro_project data source schema.
type projectDataSourceModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	PolicyMode  types.String `tfsdk:"policy_mode"`
	ModifyTime  types.String `tfsdk:"modify_time"`
}

func (m *projectDataSourceModel) setFrom(p *client.Project) {
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.Description = types.StringValue(p.Description)
	m.PolicyMode = types.StringValue(p.PolicyMode)
	m.ModifyTime = types.StringValue(p.ModifyTime)
}

// logContext makes every API log line of the lookup name the project it looks for.
func (m *projectDataSourceModel) logContext(ctx context.Context) context.Context {
	return transport.LogFields(ctx, map[string]any{"project_id": m.ID.ValueString(), "project_name": m.Name.ValueString()})
}

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one TRRO project by `id` or by `name`. A name shared by several projects is an error that lists their ids.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The 16-character `ProjectId`. Exactly one of `id` and `name` is required.",
				Validators:          []validator.String{stringvalidator.RegexMatches(projectIDPattern, "must be a 16-character ProjectId such as f3glr49r3axn0fu2")},
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The project's exact name: visible text, as the resource's `name` must be.",
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 24), providerutil.VisibleText()},
			},
			"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Project description."},
			"policy_mode": schema.StringAttribute{Computed: true, MarkdownDescription: "Permission mode, `black` or `white`."},
			"modify_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the project was last modified, as TRRO reports it."},
		},
	}
}

func (d *projectDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if data, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		d.data = data
	}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx = m.logContext(ctx)
	// Read during an apply, perhaps after another alias of the provider wrote the project: never
	// from a batch-reads snapshot, which cannot know about another process's writes.
	ctx, cancel := transport.WithTimeout(listing.WithoutSnapshots(ctx), providerutil.DefaultReadTimeout)
	defer cancel()

	if !m.ID.IsNull() {
		project, err := d.data.client.DescribeProject(ctx, m.ID.ValueString())
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, "Error reading TRRO project "+m.ID.ValueString(), err)
			return
		}
		m.setFrom(project)
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
		return
	}

	name := m.Name.ValueString()
	matches, err := d.data.client.FindProjectsByName(ctx, name)
	switch {
	case client.IsNotFound(err):
		resp.Diagnostics.AddError("No TRRO project found", fmt.Sprintf("No project is named %q.", name))
	case err != nil:
		providerutil.AddClientError(&resp.Diagnostics, "Error listing TRRO projects", err)
	case len(matches) == 1:
		m.setFrom(&matches[0])
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	default:
		ids := make([]string, len(matches))
		for i, p := range matches {
			ids[i] = p.ID
		}
		resp.Diagnostics.AddError("Several TRRO projects have this name",
			fmt.Sprintf("%d projects are named %q: %s. TRRO names are not unique; look the project up by id instead.", len(matches), name, strings.Join(ids, ", ")))
	}
}

func (d *projectDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))}
}
