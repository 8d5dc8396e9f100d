package yunxiao

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var (
	_ datasource.DataSource              = &projectTemplatesDataSource{}
	_ datasource.DataSourceWithConfigure = &projectTemplatesDataSource{}
)

// NewProjectTemplatesDataSource returns the yunxiao_project_templates data source.
func NewProjectTemplatesDataSource() datasource.DataSource { return &projectTemplatesDataSource{} }

type projectTemplatesDataSource struct{ dataSourceBase }

type projectTemplatesDataSourceModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	Name           types.String `tfsdk:"name"`
	Identifiers    types.List   `tfsdk:"identifiers"`
	Templates      types.List   `tfsdk:"templates"`
}

// templateObjectType is the type of the templates' items, as the schema declares it.
var templateObjectType = providerutil.ItemType(projectTemplatesDataSourceSchema().Attributes["templates"])

// projectTemplatesDataSourceSchema is the yunxiao_project_templates schema.
func projectTemplatesDataSourceSchema() schema.Schema {
	return schema.Schema{
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

func (d *projectTemplatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project_templates"
}

func (d *projectTemplatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = projectTemplatesDataSourceSchema()
}

func (d *projectTemplatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req, resp)
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
	ctx = transport.LogFields(ctx, map[string]any{"organization_id": org})
	ctx, cancel := transport.WithTimeout(ctx, providerutil.DefaultReadTimeout)
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
