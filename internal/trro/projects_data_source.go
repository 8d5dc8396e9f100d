package trro

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

var (
	_ datasource.DataSource              = &projectsDataSource{}
	_ datasource.DataSourceWithConfigure = &projectsDataSource{}
)

// NewProjectsDataSource returns the trro_projects data source.
func NewProjectsDataSource() datasource.DataSource {
	return &projectsDataSource{}
}

type projectsDataSource struct {
	data *providerData
}

// projectsDataSourceModel is the trro_projects data source schema.
type projectsDataSourceModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
	IDs       types.List   `tfsdk:"ids"`
	Projects  types.List   `tfsdk:"projects"`
}

// projectObjectType is the type of the projects' items, as the schema declares it.
var projectObjectType = providerutil.ItemType(projectsDataSourceSchema().Attributes["projects"])

// projectsDataSourceSchema is the trro_projects schema.
func projectsDataSourceSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Lists TRRO projects, following DescribeProjectList's pages.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only projects whose name matches this RE2 regular expression, e.g. `^team-`.",
				Validators:          []validator.String{providerutil.ValidRegex()},
			},
			"ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The ids of the projects found, in the API's order.",
			},
			"projects": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The projects found.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "The 16-character `ProjectId`."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Project name."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Project description."},
					"policy_mode": schema.StringAttribute{Computed: true, MarkdownDescription: "Permission mode, `black` or `white`."},
					"modify_time": schema.StringAttribute{Computed: true, MarkdownDescription: "When the project was last modified."},
				}},
			},
		},
	}
}

func (d *projectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_projects"
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = projectsDataSourceSchema()
}

func (d *projectsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if data, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		d.data = data
	}
}

func (d *projectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.data == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	// Read during an apply, perhaps after another alias of the provider wrote the project: never
	// from a batch-reads snapshot, which cannot know about another process's writes.
	ctx, cancel := transport.WithTimeout(listing.WithoutSnapshots(ctx), providerutil.DefaultReadTimeout)
	defer cancel()

	var filter *regexp.Regexp
	if !m.NameRegex.IsNull() {
		filter = regexp.MustCompile(m.NameRegex.ValueString()) // validated at plan time
	}
	projects, err := d.data.client.ListProjects(ctx)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error listing TRRO projects", err)
		return
	}
	ids := []attr.Value{}
	objects := []attr.Value{}
	for _, p := range projects {
		if filter != nil && !filter.MatchString(p.Name) {
			continue
		}
		ids = append(ids, types.StringValue(p.ID))
		obj, diags := types.ObjectValue(projectObjectType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(p.ID), "name": types.StringValue(p.Name), "description": types.StringValue(p.Description),
			"policy_mode": types.StringValue(p.PolicyMode), "modify_time": types.StringValue(p.ModifyTime),
		})
		resp.Diagnostics.Append(diags...)
		objects = append(objects, obj)
	}
	var diags diag.Diagnostics
	m.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	m.Projects, diags = types.ListValue(projectObjectType, objects)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
