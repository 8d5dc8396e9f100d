package yunxiao

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var (
	_ datasource.DataSource                     = &projectDataSource{}
	_ datasource.DataSourceWithConfigure        = &projectDataSource{}
	_ datasource.DataSourceWithConfigValidators = &projectDataSource{}
)

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

// logContext makes every API log line of the lookup name the project it looks for.
func (m *projectDataSourceModel) logContext(ctx context.Context) context.Context {
	return transport.LogFields(ctx, map[string]any{
		"project_id": m.ID.ValueString(), "custom_code": m.CustomCode.ValueString(), "organization_id": m.OrganizationID.ValueString(),
	})
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

func (d *projectDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.configure(req, resp)
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
	m.OrganizationID = types.StringValue(org)
	ctx = m.logContext(ctx)
	// Read during an apply, perhaps after another alias of the provider wrote the project: never
	// from a batch-reads snapshot, which cannot know about another process's writes.
	ctx, cancel := transport.WithTimeout(listing.WithoutSnapshots(ctx), providerutil.DefaultReadTimeout)
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
		if client.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("custom_code"), "No Yunxiao project found",
				fmt.Sprintf("Organization %s has no project with custom code %s.", org, m.CustomCode.ValueString()))
			return
		}
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error listing the Yunxiao projects of organization %s", org), err)
			return
		}
		project = p
	}
	m.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (d *projectDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("custom_code"))}
}

// dataSourceBase is what the yunxiao data sources share: the provider data and the organization.
type dataSourceBase struct {
	data *providerData
}

// configure takes the provider data; every yunxiao data source's Configure calls it.
func (d *dataSourceBase) configure(req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
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
