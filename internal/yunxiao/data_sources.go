package yunxiao

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var (
	_ datasource.DataSourceWithConfigure        = &projectDataSource{}
	_ datasource.DataSourceWithConfigValidators = &projectDataSource{}
	_ datasource.DataSourceWithConfigure        = &projectsDataSource{}
	_ datasource.DataSourceWithConfigure        = &projectTemplatesDataSource{}
)

// dataSourceBase is what the yunxiao data sources share: the provider data and the organization.
type dataSourceBase struct {
	data *providerData
}

func (d *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if v, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		d.data = v
	}
}

// organizationAttribute is every data source's organization_id.
func organizationAttribute() schema.StringAttribute {
	return schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "The Yunxiao organization (企业) id to look in. Defaults to the provider's `organization_id`; one of the two must be set.",
		Validators:          []validator.String{stringvalidator.RegexMatches(organizationIDPattern, organizationIDMessage)},
	}
}

// organization resolves the data source's organization_id, or reports why it cannot; ok is false
// after an error.
func (d *dataSourceBase) organization(configured types.String, diags *diag.Diagnostics) (string, bool) {
	if d.data == nil {
		providerutil.NotConfigured(diags, TypeName)
		return "", false
	}
	if org := configured.ValueString(); org != "" {
		return org, true
	}
	if d.data.organizationID == "" {
		diags.AddAttributeError(path.Root("organization_id"), "Missing organization_id",
			"Set organization_id on this data source, or organization_id in the yunxiao provider block (or the environment variable "+
				EnvOrganizationID+"). It is the id in https://devops.aliyun.com/organization/<organization_id>.")
		return "", false
	}
	return d.data.organizationID, true
}

// projectAttributes are the computed attributes of a project, shared by yunxiao_project and the
// elements of yunxiao_projects.
var projectAttributeDescriptions = map[string]string{
	"name":        "Project name.",
	"custom_code": "Project code (项目编号), unique in the organization.",
	"scope":       "Visibility: `public` or `private`.",
	"description": "Project description.",
	"status":      "The project's `logicalStatus`, e.g. `NORMAL`.",
	"creator":     "Alibaba Cloud account id of the project's creator.",
	"created_at":  "When the project was created (`gmtCreate`), RFC 3339 in UTC.",
}

func projectValues(p *client.Project) map[string]attr.Value {
	return map[string]attr.Value{
		"id":          types.StringValue(p.Identifier),
		"name":        types.StringValue(p.Name),
		"custom_code": types.StringValue(p.CustomCode),
		"scope":       types.StringValue(p.Scope),
		"description": types.StringValue(p.Description),
		"status":      types.StringValue(p.LogicalStatus),
		"creator":     types.StringValue(p.Creator),
		"created_at":  types.StringValue(p.GmtCreate.RFC3339()),
	}
}

// ---- yunxiao_project ----

// NewProjectDataSource returns the yunxiao_project data source.
func NewProjectDataSource() datasource.DataSource { return &projectDataSource{} }

type projectDataSource struct{ dataSourceBase }

type projectDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
	CustomCode     types.String `tfsdk:"custom_code"`
	Name           types.String `tfsdk:"name"`
	Scope          types.String `tfsdk:"scope"`
	Description    types.String `tfsdk:"description"`
	Status         types.String `tfsdk:"status"`
	Creator        types.String `tfsdk:"creator"`
	CreatedAt      types.String `tfsdk:"created_at"`
}

func (m *projectDataSourceModel) setFrom(p *client.Project) {
	m.ID = types.StringValue(p.Identifier)
	m.CustomCode = types.StringValue(p.CustomCode)
	m.Name = types.StringValue(p.Name)
	m.Scope = types.StringValue(p.Scope)
	m.Description = types.StringValue(p.Description)
	m.Status = types.StringValue(p.LogicalStatus)
	m.Creator = types.StringValue(p.Creator)
	m.CreatedAt = types.StringValue(p.GmtCreate.RFC3339())
}

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"organization_id": organizationAttribute(),
		"id": schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "The project's `identifier`, e.g. `e8b2xxxxxxx09b07d23`. Exactly one of `id` and `custom_code` is required.",
			Validators:          []validator.String{stringvalidator.RegexMatches(identifierPattern, "must be a project identifier such as e8b2xxxxxxx09b07d23: no spaces or \"/\"")},
		},
		"custom_code": schema.StringAttribute{
			Optional: true, Computed: true,
			MarkdownDescription: "The project code (项目编号), unique in the organization, e.g. `ABCD`.",
			Validators:          []validator.String{stringvalidator.RegexMatches(customCodePattern, "must be 4 to 6 upper-case letters A-Z (e.g. ABCD)")},
		},
	}
	for name, desc := range projectAttributeDescriptions {
		if name != "custom_code" {
			attrs[name] = schema.StringAttribute{Computed: true, MarkdownDescription: desc}
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one Yunxiao project by `id` (its identifier) or by `custom_code`, which is unique in an organization.",
		Attributes:          attrs,
	}
}

func (d *projectDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("custom_code"))}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, ok := d.organization(m.OrganizationID, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, providerutil.DefaultReadTimeout)
	defer cancel()

	var project *client.Project
	if !m.ID.IsNull() {
		p, err := d.data.client.GetProject(ctx, org, m.ID.ValueString())
		if client.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "No Yunxiao project found",
				fmt.Sprintf("Organization %s has no project with identifier %s.", org, m.ID.ValueString()))
			return
		}
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error reading Yunxiao project %s in organization %s", m.ID.ValueString(), org), err)
			return
		}
		project = p
	} else {
		p, err := d.data.client.FindProjectByCustomCode(ctx, org, m.CustomCode.ValueString())
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error listing the Yunxiao projects of organization %s", org), err)
			return
		}
		if p == nil {
			resp.Diagnostics.AddAttributeError(path.Root("custom_code"), "No Yunxiao project found",
				fmt.Sprintf("Organization %s has no project with custom code %s.", org, m.CustomCode.ValueString()))
			return
		}
		project = p
	}
	m.OrganizationID = types.StringValue(org)
	m.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// ---- yunxiao_projects ----

// NewProjectsDataSource returns the yunxiao_projects data source.
func NewProjectsDataSource() datasource.DataSource { return &projectsDataSource{} }

type projectsDataSource struct{ dataSourceBase }

type projectsDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	NameRegex      types.String `tfsdk:"name_regex"`
	IDs            types.List   `tfsdk:"ids"`
	Projects       types.List   `tfsdk:"projects"`
}

var projectObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "custom_code": types.StringType, "scope": types.StringType,
	"description": types.StringType, "status": types.StringType, "creator": types.StringType, "created_at": types.StringType,
}}

func (d *projectsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_projects"
}

func (d *projectsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	nested := map[string]schema.Attribute{
		"id": schema.StringAttribute{Computed: true, MarkdownDescription: "The project's `identifier`."},
	}
	for name, desc := range projectAttributeDescriptions {
		nested[name] = schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
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
	ctx, cancel := context.WithTimeout(ctx, providerutil.DefaultReadTimeout)
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

// ---- yunxiao_project_templates ----

// NewProjectTemplatesDataSource returns the yunxiao_project_templates data source.
func NewProjectTemplatesDataSource() datasource.DataSource { return &projectTemplatesDataSource{} }

type projectTemplatesDataSource struct{ dataSourceBase }

type projectTemplatesDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Identifiers    types.List   `tfsdk:"identifiers"`
	Templates      types.List   `tfsdk:"templates"`
}

var templateObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"identifier": types.StringType, "name": types.StringType, "name_en": types.StringType,
	"description": types.StringType, "type": types.StringType,
}}

func (d *projectTemplatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project_templates"
}

func (d *projectTemplatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the project templates of a Yunxiao organization (ListProjectTemplates), so that a " +
			"`yunxiao_project`'s `template_identifier` can be looked up by the template's name.",
		Attributes: map[string]schema.Attribute{
			"organization_id": organizationAttribute(),
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only templates whose name, or English name, is exactly this, e.g. `Scrum 敏捷交付空间`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"identifiers": schema.ListAttribute{
				Computed: true, ElementType: types.StringType,
				MarkdownDescription: "The identifiers of the templates found, in the API's order.",
			},
			"templates": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The templates found.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"identifier":  schema.StringAttribute{Computed: true, MarkdownDescription: "The template's identifier: what `yunxiao_project`'s `template_identifier` takes."},
					"name":        schema.StringAttribute{Computed: true, MarkdownDescription: "Template name."},
					"name_en":     schema.StringAttribute{Computed: true, MarkdownDescription: "Template name in English, where Yunxiao has one."},
					"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Template description."},
					"type":        schema.StringAttribute{Computed: true, MarkdownDescription: "`system`, `custom` or `instance` (the API's type 0, 4 or 16)."},
				}},
			},
		},
	}
}

func (d *projectTemplatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectTemplatesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	org, ok := d.organization(m.OrganizationID, &resp.Diagnostics)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, providerutil.DefaultReadTimeout)
	defer cancel()

	templates, err := d.data.client.ListProjectTemplates(ctx, org)
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error listing the Yunxiao project templates of organization %s", org), err)
		return
	}
	ids := []attr.Value{}
	objects := []attr.Value{}
	for _, t := range templates {
		if name := m.Name.ValueString(); name != "" && t.Name != name && t.NameEn != name {
			continue
		}
		ids = append(ids, types.StringValue(t.Identifier))
		obj, diags := types.ObjectValue(templateObjectType.AttrTypes, map[string]attr.Value{
			"identifier": types.StringValue(t.Identifier), "name": types.StringValue(t.Name), "name_en": types.StringValue(t.NameEn),
			"description": types.StringValue(t.Description), "type": types.StringValue(client.TemplateTypeName(t.Type)),
		})
		resp.Diagnostics.Append(diags...)
		objects = append(objects, obj)
	}
	var diags diag.Diagnostics
	m.OrganizationID = types.StringValue(org)
	m.Identifiers, diags = types.ListValue(types.StringType, ids)
	resp.Diagnostics.Append(diags...)
	m.Templates, diags = types.ListValue(templateObjectType, objects)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
