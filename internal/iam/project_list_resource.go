package iam

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
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
	filter, diags := providerutil.ListConfig(ctx, req, &m, func() types.String { return m.NameRegex })
	if l.client == nil {
		providerutil.NotConfigured(&diags, TypeName)
	}
	noTimeouts, tdiags := providerutil.NullTimeouts(ctx, req)
	diags.Append(tdiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	in := client.ListProjectsInput{Name: m.Name.ValueString(), ParentID: m.ParentID.ValueString(), DomainID: m.DomainID.ValueString()}
	if !m.Enabled.IsNull() && !m.Enabled.IsUnknown() {
		enabled := m.Enabled.ValueBool()
		in.Enabled = &enabled
	}
	stream.Results = providerutil.Stream(ctx, req, providerutil.Listing[client.Project]{
		What:   "IAM projects",
		Fetch:  func(ctx context.Context) ([]client.Project, error) { return l.client.ListProjects(ctx, in) },
		Name:   func(p client.Project) string { return p.Name },
		Filter: filter,
		// A region's own project (or the account) is not an iam_project.
		Skip: func(p client.Project) bool { return p.IsDomain || p.ParentID == p.DomainID },
		Fill: func(ctx context.Context, p client.Project, result *list.ListResult, includeResource bool) (bool, error) {
			model := projectModel{Timeouts: noTimeouts}
			model.setFrom(&p)
			if includeResource {
				// The listing has no status: read the project as a refresh does, so that the
				// object is what the resource's Read stores.
				read, err := l.client.GetProject(ctx, p.ID)
				if client.IsNotFound(err) {
					return true, nil // deleted since the listing
				}
				if err != nil {
					return false, err
				}
				model = projectModel{Timeouts: noTimeouts}
				model.setFrom(read)
				result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
			}
			result.Diagnostics.Append(setIdentity(ctx, result.Identity, &model)...)
			return false, nil
		},
		FillFailed: func(p client.Project) string { return "Error reading IAM project " + p.ID },
	})
}
