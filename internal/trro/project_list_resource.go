package trro

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

var (
	_ list.ListResource                  = &projectListResource{}
	_ list.ListResourceWithConfigure     = &projectListResource{}
	_ provider.ProviderWithListResources = &Provider{}
)

// ListResources are the list resources of Terraform 1.14's `list` blocks and `terraform query`.
// (The provider's Configure passes them its *providerData as ListResourceData.)
func (p *Provider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewProjectListResource}
}

// NewProjectListResource returns the trro_project list resource (Terraform 1.14 `list` blocks
// and `terraform query`).
func NewProjectListResource() list.ListResource {
	return &projectListResource{}
}

type projectListResource struct {
	data *providerData
}

// projectListModel is the configuration of a trro_project list block.
type projectListModel struct {
	NameRegex types.String `tfsdk:"name_regex"`
}

func (l *projectListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (l *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the account's TRRO projects (DescribeProjectList, every page), for `terraform query`. " +
			"Each result is a project's identity (`id`) and, when asked for, its full `trro_project` object.",
		Attributes: map[string]schema.Attribute{
			"name_regex": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only projects whose name matches this RE2 regular expression, e.g. `^team-`.",
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
	if l.data == nil {
		providerutil.NotConfigured(&diags, TypeName)
	}
	noTimeouts, tdiags := providerutil.NullTimeouts(ctx, req)
	diags.Append(tdiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = providerutil.Stream(ctx, req, providerutil.Listing[client.Project]{
		What:   "TRRO projects",
		Fetch:  l.data.client.ListProjects,
		Name:   func(p client.Project) string { return p.Name },
		Filter: filter,
		Fill: func(ctx context.Context, p client.Project, result *list.ListResult, includeResource bool) (bool, error) {
			model := projectModel{Timeouts: noTimeouts}
			model.setFrom(&p)
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, &model)...)
			if includeResource {
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			return false, nil
		},
	})
}
