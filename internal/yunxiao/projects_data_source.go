package yunxiao

import (
	"context"
	"fmt"
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

// NewProjectsDataSource returns the yunxiao_projects data source.
func NewProjectsDataSource() datasource.DataSource { return &projectsDataSource{} }

type projectsDataSource struct{ dataSourceBase }

type projectsDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	NameRegex      types.String `tfsdk:"name_regex"`
	IDs            types.List   `tfsdk:"ids"`
	Projects       types.List   `tfsdk:"projects"`
}

// projectObjectType is the type of the projects' items, as the schema declares it.
var projectObjectType = providerutil.ItemType(projectsDataSourceSchema().Attributes["projects"])

// projectsDataSourceSchema is the yunxiao_projects schema.
func projectsDataSourceSchema() schema.Schema {
	nested := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The project's `identifier`."},
	}
	for name, desc := range projectAttributeDescriptions {
		nested[name] = schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return schema.Schema{
		MarkdownDescription: "Lists the projects of a Yunxiao organization, following ListProjects' pages (`nextToken`).",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationAttribute(),
			"name_regex": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only projects whose name matches this RE2 regular expression, e.g. `^payments-`.",
				Validators:          []validator.String{providerutil.ValidRegex()},
			},
			"ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The identifiers of the projects found, in the API's order.",
			},
			"projects": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The projects found.",
				NestedObject:        schema.NestedAttributeObject{Attributes: nested},
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
	d.configure(req, resp)
}

func (d *projectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, ok := d.organization(m.OrganizationID, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx = transport.LogFields(ctx, map[string]any{"organization_id": org})
	// Read during an apply, perhaps after another alias of the provider wrote the project: never
	// from a batch-reads snapshot, which cannot know about another process's writes.
	ctx, cancel := transport.WithTimeout(listing.WithoutSnapshots(ctx), providerutil.DefaultReadTimeout)
	defer cancel()

	var filter *regexp.Regexp
	if !m.NameRegex.IsNull() {
		filter = regexp.MustCompile(m.NameRegex.ValueString()) // validated at plan time
	}
	projects, err := d.data.client.ListProjects(ctx, org)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error listing the Yunxiao projects of organization %s", org), err)
		return
	}
	ids := []attr.Value{}
	objects := []attr.Value{}
	for i := range projects {
		p := &projects[i]
		if p.Deleted() || (filter != nil && !filter.MatchString(p.Name)) {
			continue
		}
		ids = append(ids, types.StringValue(p.Identifier))
		obj, diags := types.ObjectValue(projectObjectType.AttrTypes, projectValues(p))
		resp.Diagnostics.Append(diags...)
		objects = append(objects, obj)
	}
	var diags diag.Diagnostics
	m.OrganizationID = types.StringValue(org)
	m.IDs, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	m.Projects, diags = types.ListValue(projectObjectType, objects)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
