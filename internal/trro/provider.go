// Package trro is the `trro` Terraform provider: Tencent Cloud TRRO (real-time interaction,
// industrial edition) projects.
package trro

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "trro"

// Environment variables, named as terraform-provider-tencentcloud names them.
const (
	EnvSecretID      = "TENCENTCLOUD_SECRET_ID"
	EnvSecretKey     = "TENCENTCLOUD_SECRET_KEY"
	EnvSecurityToken = "TENCENTCLOUD_SECURITY_TOKEN"
	EnvRegion        = "TENCENTCLOUD_REGION"
	EnvEndpoint      = "TRRO_ENDPOINT"
)

var _ provider.Provider = &Provider{}

// Provider is the trro provider.
type Provider struct {
	version string
	// configureClient lets tests adjust the client's configuration (e.g. short retry delays).
	configureClient func(*client.Config)
}

// providerModel is the provider block.
type providerModel struct {
	SecretID             types.String  `tfsdk:"secret_id"`
	SecretKey            types.String  `tfsdk:"secret_key"`
	SecurityToken        types.String  `tfsdk:"security_token"`
	Region               types.String  `tfsdk:"region"`
	Endpoint             types.String  `tfsdk:"endpoint"`
	MaxRequestsPerSecond types.Float64 `tfsdk:"max_requests_per_second"`
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
		MarkdownDescription: "Manages Tencent Cloud TRRO (real-time interaction, industrial edition) projects through TRRO API 3.0.",
		Attributes: map[string]schema.Attribute{
			"secret_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "SecretId of a Tencent Cloud API key. Falls back to `" + EnvSecretID + "`.",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "SecretKey of the API key. Falls back to `" + EnvSecretKey + "`.",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Session token of temporary (STS) credentials. Falls back to `" + EnvSecurityToken + "`.",
			},
			"region": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Region sent with every call (`X-TC-Region`). Falls back to `" + EnvRegion + "`, then `" + client.DefaultRegion + "`.",
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the TRRO API. Falls back to `" + EnvEndpoint + "`, then `" + client.DefaultEndpoint +
					"`. Use `https://trro.intl.tencentcloudapi.com` for the international site.",
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Client-side limit of requests per second for each API action, shared by all resources of this provider. " +
					"Defaults to TRRO's documented limit of 20.",
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
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
	if providerutil.AnyUnknown(m.SecretID, m.SecretKey, m.SecurityToken, m.Region, m.Endpoint, m.MaxRequestsPerSecond) {
		// Values that depend on other resources are known only at apply; configure then.
		tflog.Debug(ctx, "trro provider configuration has unknown values; deferring client creation")
		return
	}
	cfg := client.Config{
		SecretID:          providerutil.StringOrEnv(m.SecretID, EnvSecretID),
		SecretKey:         providerutil.StringOrEnv(m.SecretKey, EnvSecretKey),
		SecurityToken:     providerutil.StringOrEnv(m.SecurityToken, EnvSecurityToken),
		Region:            providerutil.StringOrEnv(m.Region, EnvRegion),
		Endpoint:          providerutil.StringOrEnv(m.Endpoint, EnvEndpoint),
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
	}
	var missing []providerutil.Setting
	if cfg.SecretID == "" {
		missing = append(missing, providerutil.Setting{Argument: "secret_id", Env: []string{EnvSecretID}})
	}
	if cfg.SecretKey == "" {
		missing = append(missing, providerutil.Setting{Argument: "secret_key", Env: []string{EnvSecretKey}})
	}
	providerutil.MissingSettings(&resp.Diagnostics, "trro", missing)
	if resp.Diagnostics.HasError() {
		return
	}
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid trro provider configuration", err.Error())
		return
	}
	resp.ResourceData = c
	resp.DataSourceData = c
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource}
}
