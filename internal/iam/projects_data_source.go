package iam

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

var (
	_ datasource.DataSource              = &projectsDataSource{}
	_ datasource.DataSourceWithConfigure = &projectsDataSource{}
)

// NewProjectsDataSource returns the iam_projects data source.
func NewProjectsDataSource() datasource.DataSource {
	return &projectsDataSource{}
}

type projectsDataSource struct {
	client *client.Client
}

// projectsDataSourceModel is the iam_projects data source schema.
type projectsDataSourceModel struct {
	Name      types.String `tfsdk:"name"`
	NameRegex types.String `tfsdk:"name_regex"`
	ParentID  types.String `tfsdk:"parent_id"`
	DomainID  types.String `tfsdk:"domain_id"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	IDs       types.List   `tfsdk:"ids"`
	Projects  types.List   `tfsdk:"projects"`
}

// projectObjectType is the type of the projects' items, as the schema declares it.
var projectObjectType = providerutil.ItemType(projectsDataSourceSchema().Attributes["projects"])

// projectsDataSourceSchema is the iam_projects schema.
func projectsDataSourceSchema() schema.Schema {
	idValidators := []validator.String{stringvalidator.RegexMatches(idPattern, "must be a 32-character hexadecimal id such as "+exampleID)}
	return schema.Schema{
		MarkdownDescription: "Lists the IAM projects of an account with `GET /v3/projects`, filtered as the API filters, following its pages. " +
			"The list includes the regions' own projects (e.g. `eu-de`), whose parent is the account.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only the project with this exact name.",
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, maxNameLength)},
			},
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only projects whose name matches this RE2 regular expression, e.g. `^eu-de_team-`. " +
					"The API cannot filter by pattern, so the provider filters the listing (after `name`, `parent_id` and `enabled`).",
				Validators: []validator.String{providerutil.ValidRegex()},
			},
			"parent_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only the projects of this parent, e.g. a region's project to list the projects of that region.",
				Validators:          idValidators,
			},
			"domain_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The account (domain) whose projects to list. Defaults to the credentials' account.",
				Validators:          idValidators,
			},
			"enabled": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only enabled (`true`) or disabled (`false`) projects.",
			},
			"ids": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The ids of the projects found, in the API's order.",
			},
			"projects": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The projects found, in the API's order. The listing has no `status`; the `iam_project` data source reads it.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.StringAttribute{Computed: true, MarkdownDescription: "The project id."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Project name."},
					"parent_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the parent project (or of the account)."},
					"domain_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the account (domain)."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Project description."},
					"enabled":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the project is enabled."},
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
		d.client = data.client
	}
}

func (d *projectsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.client == nil {
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
	in := client.ListProjectsInput{Name: m.Name.ValueString(), ParentID: m.ParentID.ValueString(), DomainID: m.DomainID.ValueString()}
	if !m.Enabled.IsNull() {
		enabled := m.Enabled.ValueBool()
		in.Enabled = &enabled
	}
	projects, err := d.client.ListProjects(ctx, in)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error listing IAM projects", err)
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
			"id": types.StringValue(p.ID), "name": types.StringValue(p.Name), "parent_id": types.StringValue(p.ParentID),
			"domain_id": types.StringValue(p.DomainID), "description": types.StringValue(p.Description), "enabled": types.BoolValue(p.Enabled),
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
