package yunxiao

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
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
	var diags diag.Diagnostics
	if !req.Config.Raw.IsNull() { // a request without a list block configuration sets no filter
		diags = req.Config.Get(ctx, &m)
	}
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
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	var filter *regexp.Regexp
	if v := m.NameRegex.ValueString(); !m.NameRegex.IsUnknown() && v != "" {
		re, err := regexp.Compile(v)
		if err != nil {
			diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex",
				fmt.Sprintf("name_regex must be an RE2 regular expression: %v", err))
			stream.Results = list.ListResultsStreamDiagnostics(diags)
			return
		}
		filter = re
	}
	noTimeouts, tdiags := providerutil.NullTimeouts(ctx, req)
	if tdiags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(tdiags)
		return
	}

	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := transport.WithTimeout(ctx, providerutil.DefaultReadTimeout)
		defer cancel()
		projects, err := l.data.client.ListProjects(ctx, org)
		if err != nil {
			var d diag.Diagnostics
			providerutil.AddClientError(&d, fmt.Sprintf("Error listing the Yunxiao projects of organization %s", org), err)
			push(list.ListResult{Diagnostics: d})
			return
		}
		var sent int64
		for i := range projects {
			p := &projects[i]
			if p.Deleted() || (filter != nil && !filter.MatchString(p.Name)) {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			// What the resource's Read stores for the project (template_identifier stays null,
			// as after an import), so that the generated configuration plans clean.
			model := projectModel{
				OrganizationID:     types.StringValue(org),
				TemplateIdentifier: types.StringNull(),
				Timeouts:           noTimeouts,
			}
			model.setFrom(p)
			result := req.NewListResult(ctx)
			result.DisplayName = p.Name
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, &model)...)
			if req.IncludeResource {
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			if !push(result) {
				return
			}
			sent++
		}
	}
}
