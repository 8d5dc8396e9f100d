package yunxiao

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

var (
	_ list.ListResource                  = &projectListResource{}
	_ list.ListResourceWithConfigure     = &projectListResource{}
	_ provider.ProviderWithListResources = &Provider{}
)

// ListResources are the list resources of Terraform 1.14's `list` blocks and `terraform query`.
// (The provider's Configure passes them the client as ListResourceData.)
func (p *Provider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewProjectListResource}
}

// NewProjectListResource returns the yunxiao_project list resource (Terraform 1.14 `list`
// blocks and `terraform query`).
func NewProjectListResource() list.ListResource {
	return &projectListResource{}
}

type projectListResource struct {
	data *providerData
}

// projectListModel is the configuration of a yunxiao_project list block: the yunxiao_projects
// data source's filters.
type projectListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	NameRegex      types.String `tfsdk:"name_regex"`
}

func (l *projectListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (l *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the projects of a Yunxiao organization (ListProjects, every page), for `terraform query`. " +
			"Each result is a project's identity (`organization_id` and `id`) and, when asked for, its full `yunxiao_project` " +
			"object. `template_identifier` is never in it: the API does not return it, and an imported project may leave it out.",
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The Yunxiao organization (企业) id to look in. Defaults to the provider's `organization_id`; " +
					"one of the two must be set.",
				Validators: []validator.String{stringvalidator.RegexMatches(organizationIDPattern, organizationIDMessage)},
			},
			"name_regex": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only projects whose name matches this RE2 regular expression, e.g. `^payments-`.",
				Validators:          []validator.String{providerutil.ValidRegex()},
			},
		},
	}
}

func (l *projectListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		l.data = d
	}
}

func (l *projectListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var m projectListModel
	filter, diags := providerutil.ListConfig(ctx, req, &m, func() types.String { return m.NameRegex })
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.data == nil {
		providerutil.NotConfigured(&diags, TypeName)
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	org := m.OrganizationID.ValueString()
	if org == "" {
		org = l.data.organizationID
	}
	if org == "" {
		diags.AddAttributeError(path.Root("organization_id"), "Missing organization_id",
			"Set organization_id in the list block, or organization_id in the yunxiao provider block (or the environment variable "+
				EnvOrganizationID+"). It is the id in https://devops.aliyun.com/organization/<organization_id>.")
	}
	noTimeouts, tdiags := providerutil.NullTimeouts(ctx, req)
	diags.Append(tdiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = providerutil.Stream(ctx, req, providerutil.Listing[client.Project]{
		What:   "the Yunxiao projects of organization " + org,
		Fetch:  func(ctx context.Context) ([]client.Project, error) { return l.data.client.ListProjects(ctx, org) },
		Name:   func(p client.Project) string { return p.Name },
		Filter: filter,
		Skip:   func(p client.Project) bool { return p.Deleted() },
		Fill: func(ctx context.Context, p client.Project, result *list.ListResult, includeResource bool) (bool, error) {
			// template_identifier stays null, as after an import.
			model := projectModel{OrganizationID: types.StringValue(org), TemplateIdentifier: types.StringNull(), Timeouts: noTimeouts}
			model.setFrom(&p)
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, &model)...)
			if includeResource {
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			return false, nil
		},
	})
}
