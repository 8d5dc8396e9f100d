package iam

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

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
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

// NewProjectListResource returns the iam_project list resource (Terraform 1.14 `list` blocks
// and `terraform query`).
func NewProjectListResource() list.ListResource {
	return &projectListResource{}
}

type projectListResource struct {
	client *client.Client
}

// projectListModel is the configuration of an iam_project list block: the iam_projects data
// source's filters.
type projectListModel struct {
	Name      types.String `tfsdk:"name"`
	NameRegex types.String `tfsdk:"name_regex"`
	ParentID  types.String `tfsdk:"parent_id"`
	DomainID  types.String `tfsdk:"domain_id"`
	Enabled   types.Bool   `tfsdk:"enabled"`
}

func (l *projectListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_project"
}

func (l *projectListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	idValidators := []validator.String{stringvalidator.RegexMatches(idPattern, "must be a 32-character hexadecimal id such as "+exampleID)}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the account's IAM projects (`GET /v3/projects`, every page), for `terraform query`. " +
			"Each result is a project's identity (`id`) and, when asked for, its full `iam_project` object, read like a refresh " +
			"reads it (one `GET` per project, for its status). The regions' own projects (e.g. `eu-de`), which `iam_project` " +
			"does not manage, are left out.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Keep only the project with this exact name.",
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, maxNameLength)},
			},
			"name_regex": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Keep only projects whose name matches this RE2 regular expression, e.g. `^eu-de_team-`. " +
					"The API cannot filter by pattern, so the provider filters the listing.",
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
		},
	}
}

func (l *projectListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if d, ok := providerutil.ProviderData[*providerData](req.ProviderData, &resp.Diagnostics); ok {
		l.client = d.client
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
	if l.client == nil {
		providerutil.NotConfigured(&diags, TypeName)
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
	in := client.ListProjectsInput{Name: m.Name.ValueString(), ParentID: m.ParentID.ValueString(), DomainID: m.DomainID.ValueString()}
	if !m.Enabled.IsNull() && !m.Enabled.IsUnknown() {
		enabled := m.Enabled.ValueBool()
		in.Enabled = &enabled
	}
	noTimeouts, tdiags := providerutil.NullTimeouts(ctx, req)
	if tdiags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(tdiags)
		return
	}

	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := transport.WithTimeout(ctx, providerutil.DefaultReadTimeout)
		defer cancel()
		fail := func(summary string, err error) {
			var d diag.Diagnostics
			providerutil.AddClientError(&d, summary, err)
			push(list.ListResult{Diagnostics: d})
		}
		projects, err := l.client.ListProjects(ctx, in)
		if err != nil {
			fail("Error listing IAM projects", err)
			return
		}
		var sent int64
		for i := range projects {
			p := &projects[i]
			if p.IsDomain || p.ParentID == p.DomainID || (filter != nil && !filter.MatchString(p.Name)) {
				continue // a region's own project (or the account) is not an iam_project
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = p.Name
			model := projectModel{Timeouts: noTimeouts}
			model.setFrom(p)
			if req.IncludeResource {
				// The listing has no status: read the project as a refresh does, so that the
				// object is what the resource's Read stores.
				read, err := l.client.GetProject(ctx, p.ID)
				if client.IsNotFound(err) {
					continue // deleted since the listing
				}
				if err != nil {
					fail("Error reading IAM project "+p.ID, err)
					return
				}
				model = projectModel{Timeouts: noTimeouts}
				model.setFrom(read)
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, &model)...)
			if !push(result) {
				return
			}
			sent++
		}
	}
}
