// Package yunxiao is the `yunxiao` Terraform provider: Alibaba Cloud Yunxiao (DevOps) projects,
// through the devops API 2021-06-25.
package yunxiao

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "yunxiao"

// Environment variables: the Alibaba Cloud credential variables the alicloud provider and the
// Alibaba Cloud CLI read (the ALIBABA_CLOUD_* names first), and two of this provider's own.
const (
	EnvAccessKeyID           = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeyIDLegacy     = "ALICLOUD_ACCESS_KEY"
	EnvAccessKeySecret       = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvAccessKeySecretLegacy = "ALICLOUD_SECRET_KEY"
	EnvSecurityToken         = "ALIBABA_CLOUD_SECURITY_TOKEN"
	EnvSecurityTokenLegacy   = "ALICLOUD_SECURITY_TOKEN"
	EnvOrganizationID        = "YUNXIAO_ORGANIZATION_ID"
	EnvEndpoint              = "YUNXIAO_ENDPOINT"
)

// organizationIDPattern: an organization id is one path segment of the API's URLs.
var organizationIDPattern = regexp.MustCompile(`^[^/\s]+$`)

const organizationIDMessage = "must be a Yunxiao organization id, e.g. 5ebbc0228123212b59xxxxx: no spaces or \"/\""

var (
	_ provider.Provider = &Provider{}
)

// Provider is the yunxiao provider.
type Provider struct {
	version string
	// configureClient lets tests adjust the client's configuration (e.g. short retry delays).
	configureClient func(*client.Config)
}

// providerModel is the provider block.
type providerModel struct {
	AccessKeyID          types.String  `tfsdk:"access_key_id"`
	AccessKeySecret      types.String  `tfsdk:"access_key_secret"`
	SecurityToken        types.String  `tfsdk:"security_token"`
	OrganizationID       types.String  `tfsdk:"organization_id"`
	Endpoint             types.String  `tfsdk:"endpoint"`
	MaxRequestsPerSecond types.Float64 `tfsdk:"max_requests_per_second"`
	SkipConflictCheck    types.Bool    `tfsdk:"skip_conflict_check"`
}

// providerData is what resources receive: the client and the default organization.
type providerData struct {
	client *client.Client
	// organizationID is the provider's organization_id, "" when not set.
	organizationID string
	// skipConflictCheck turns off the plan-time lookup of a new project's custom_code.
	skipConflictCheck bool
	// codes serves that lookup, one listing per organization and process.
	codes codeIndex
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &Provider{version: version} }
}

func (p *Provider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = TypeName
	resp.Version = p.version
}

func (p *Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Alibaba Cloud Yunxiao (云效) projects through the devops API 2021-06-25, signed with ACS3-HMAC-SHA256.",
		Attributes: map[string]schema.Attribute{
			"access_key_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "AccessKey ID of an Alibaba Cloud account or RAM user. Falls back to `" + EnvAccessKeyID + "`, then `" + EnvAccessKeyIDLegacy + "`.",
			},
			"access_key_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "AccessKey secret. Falls back to `" + EnvAccessKeySecret + "`, then `" + EnvAccessKeySecretLegacy + "`.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of temporary (STS) credentials. Falls back to `" + EnvSecurityToken + "`, then `" + EnvSecurityTokenLegacy + "`.",
			},
			"organization_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Default Yunxiao organization (企业) id for resources that do not set their own, as in " +
					"`https://devops.aliyun.com/organization/<organization_id>`. Falls back to `" + EnvOrganizationID + "`.",
				Validators: []validator.String{stringvalidator.RegexMatches(organizationIDPattern, organizationIDMessage)},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the devops API, scheme and host only. Falls back to `" + EnvEndpoint + "`, then `" +
					client.DefaultEndpoint + "`.",
				Validators: []validator.String{endpointValidator{}},
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Client-side limit of requests per second for each API operation, shared by all resources of this provider. " +
					"Yunxiao documents no limit; the default is 10. Throttled calls (`Throttling.*`) are retried with backoff either way.",
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"skip_conflict_check": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip the plan-time check that a `yunxiao_project` about to be created does not use a `custom_code` " +
					"another project of the organization already has. The check lists the organization's projects once per plan when it plans " +
					"any create (an apply plans once more before it creates); " +
					"without it a conflict is reported when the apply's createProject call fails. Defaults to `false`.",
			},
		},
	}
}

func (p *Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if providerutil.AnyUnknown(m.AccessKeyID, m.AccessKeySecret, m.SecurityToken, m.OrganizationID, m.Endpoint, m.MaxRequestsPerSecond, m.SkipConflictCheck) {
		// Values that depend on other resources are known only at apply; configure then.
		tflog.Debug(ctx, "yunxiao provider configuration has unknown values; deferring client creation")
		return
	}
	cfg := client.Config{
		AccessKeyID:       providerutil.StringOrEnv(m.AccessKeyID, EnvAccessKeyID, EnvAccessKeyIDLegacy),
		AccessKeySecret:   providerutil.StringOrEnv(m.AccessKeySecret, EnvAccessKeySecret, EnvAccessKeySecretLegacy),
		SecurityToken:     providerutil.StringOrEnv(m.SecurityToken, EnvSecurityToken, EnvSecurityTokenLegacy),
		Endpoint:          providerutil.StringOrEnv(m.Endpoint, EnvEndpoint),
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
	}
	var missing []providerutil.Setting
	if cfg.AccessKeyID == "" {
		missing = append(missing, providerutil.Setting{Argument: "access_key_id", Env: []string{EnvAccessKeyID, EnvAccessKeyIDLegacy}})
	}
	if cfg.AccessKeySecret == "" {
		missing = append(missing, providerutil.Setting{Argument: "access_key_secret", Env: []string{EnvAccessKeySecret, EnvAccessKeySecretLegacy}})
	}
	providerutil.MissingSettings(&resp.Diagnostics, TypeName, missing)
	if resp.Diagnostics.HasError() {
		return
	}
	org := providerutil.StringOrEnv(m.OrganizationID, EnvOrganizationID)
	if org != "" && !organizationIDPattern.MatchString(org) {
		resp.Diagnostics.AddError("Invalid yunxiao provider configuration",
			"The organization id from "+EnvOrganizationID+" "+organizationIDMessage+"; got "+quote(org)+".")
		return
	}
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid yunxiao provider configuration", err.Error())
		return
	}
	data := &providerData{client: c, organizationID: org, skipConflictCheck: m.SkipConflictCheck.ValueBool()}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource, NewProjectTemplatesDataSource}
}

// endpointValidator checks at plan time that endpoint is a URL the client accepts.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be a full http(s) URL with scheme and host only, such as " + client.DefaultEndpoint
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := client.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", err.Error())
	}
}

func quote(s string) string { return `"` + s + `"` }
