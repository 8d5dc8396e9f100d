package iam

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

var (
	_ datasource.DataSource                     = &projectDataSource{}
	_ datasource.DataSourceWithConfigure        = &projectDataSource{}
	_ datasource.DataSourceWithConfigValidators = &projectDataSource{}
)

// NewProjectDataSource returns the iam_project data source.
func NewProjectDataSource() datasource.DataSource {
	return &projectDataSource{}
}

type projectDataSource struct {
	client *client.Client
}

// projectDataSourceModel is the iam_project data source schema.
type projectDataSourceModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	DomainID    types.String `tfsdk:"domain_id"`
	ParentID    types.String `tfsdk:"parent_id"`
	Description types.String `tfsdk:"description"`
	Status      types.String `tfsdk:"status"`
	Enabled     types.Bool   `tfsdk:"enabled"`
}

func (m *projectDataSourceModel) setFrom(p *client.Project) {
	m.ID = types.StringValue(p.ID)
	m.Name = types.StringValue(p.Name)
	m.DomainID = types.StringValue(p.DomainID)
	m.ParentID = types.StringValue(p.ParentID)
	m.Description = types.StringValue(p.Description)
	m.Enabled = types.BoolValue(p.Enabled)
	m.Status = types.StringNull()
	if p.Status != "" {
		m.Status = types.StringValue(p.Status)
	}
}

// logContext makes every API log line of the lookup name the project it looks for.
func (m *projectDataSourceModel) logContext(ctx context.Context) context.Context {
	return transport.LogFields(ctx, map[string]any{"project_id": m.ID.ValueString(), "project_name": m.Name.ValueString()})
}

func (d *projectDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (d *projectDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	idValidators := []validator.String{stringvalidator.RegexMatches(idPattern, "must be a 32-character hexadecimal id such as "+exampleID)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one IAM project by `id` or by `name` (names are unique in an account), e.g. to find the id to " +
			"import, or a region's project to use as `parent_id`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The project id, 32 hexadecimal characters. Exactly one of `id` and `name` is required.",
				Validators:          idValidators,
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The project's exact name, e.g. `eu-de_payments`, or a region id such as `eu-de` for the region's own project: " +
					"visible text, as the resource's `name` must be.",
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, maxNameLength), providerutil.VisibleText()},
			},
			"domain_id": schema.StringAttribute{
				Optional: true, Computed: true,
				MarkdownDescription: "The account (domain) to look the name up in. Defaults to the credentials' account.",
				Validators:          idValidators,
			},
			"parent_id":   schema.StringAttribute{Computed: true, MarkdownDescription: "Id of the parent project (the region's project), or of the account for a region's own project."},
			"description": schema.StringAttribute{Computed: true, MarkdownDescription: "Project description."},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`normal` or `suspended`; null where the cloud does not offer `/v3-ext`.",
			},
			"enabled": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the project is enabled."},
		},
	}
}

func (d *projectDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if data, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		d.client = data.client
	}
}

func (d *projectDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m projectDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.client == nil {
		providerutil.NotConfigured(&resp.Diagnostics, TypeName)
		return
	}
	ctx = m.logContext(ctx)
	// Read during an apply, perhaps after another alias of the provider wrote the project: never
	// from a batch-reads snapshot, which cannot know about another process's writes.
	ctx, cancel := transport.WithTimeout(listing.WithoutSnapshots(ctx), providerutil.DefaultReadTimeout)
	defer cancel()

	id := m.ID.ValueString()
	if m.ID.IsNull() {
		name := m.Name.ValueString()
		found, err := d.client.FindProjectByName(ctx, name, m.DomainID.ValueString())
		if client.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("name"), "No IAM project found",
				fmt.Sprintf("The account has no IAM project named %q. Names are exact and case-sensitive; the iam_projects data source lists them all.", name))
			return
		}
		if err != nil {
			providerutil.AddClientError(&resp.Diagnostics, fmt.Sprintf("Error looking up IAM project %q", name), err)
			return
		}
		id = found.ID
	}
	// The listing has no status: read the project itself.
	project, err := d.client.GetProject(ctx, id)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddError("No IAM project found", fmt.Sprintf("No IAM project has the id %s.\n\n%s", id, providerutil.ErrorDetail(err)))
		return
	}
	if err != nil {
		providerutil.AddClientError(&resp.Diagnostics, "Error reading IAM project "+id, err)
		return
	}
	m.setFrom(project)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (d *projectDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
		datasourcevalidator.Conflicting(path.MatchRoot("id"), path.MatchRoot("domain_id")),
	}
}
