// Package trro is the `trro` Terraform provider: Tencent Cloud TRRO (real-time interaction,
// industrial edition) projects.
package trro

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "trro"

// Environment variables: the credentials and region named as terraform-provider-tencentcloud
// names them; the rest, which that provider does not have, with the endpoint's TRRO_ prefix.
const (
	EnvSecretID                  = "TENCENTCLOUD_SECRET_ID"
	EnvSecretKey                 = "TENCENTCLOUD_SECRET_KEY"
	EnvSecurityToken             = "TENCENTCLOUD_SECURITY_TOKEN"
	EnvRegion                    = "TENCENTCLOUD_REGION"
	EnvEndpoint                  = "TRRO_ENDPOINT"
	EnvCAFile                    = "TRRO_CA_FILE"
	EnvInsecure                  = "TRRO_INSECURE"
	EnvAllowPlaintextHTTP        = "TRRO_ALLOW_PLAINTEXT_HTTP"
	EnvSkipCredentialsValidation = "TRRO_SKIP_CREDENTIALS_VALIDATION"
)

// How errors name the settings to check.
const (
	endpointSetting  = "endpoint (" + EnvEndpoint + ")"
	tlsSetting       = "ca_file (" + EnvCAFile + ") or insecure (" + EnvInsecure + ")"
	plaintextSetting = "allow_plaintext_http = true (or " + EnvAllowPlaintextHTTP + "=true)"
)

// credentialSettings are what a credentials error asks the user to check.
var credentialSettings = []providerutil.Setting{
	{Argument: "secret_id", Env: []string{EnvSecretID}},
	{Argument: "secret_key", Env: []string{EnvSecretKey}},
	{Argument: "security_token", Env: []string{EnvSecurityToken}},
	{Argument: "region", Env: []string{EnvRegion}},
}

var _ provider.Provider = &Provider{}

// Provider is the trro provider.
type Provider struct {
	version string
	// configureClient lets tests adjust the client's configuration (e.g. short retry delays).
	configureClient func(*client.Config)
	// checked holds the credential sets that passed the check at Configure.
	checked providerutil.CheckedCredentials
}

// providerData is what the provider hands its resources and data sources.
type providerData struct {
	client *client.Client
	// knownIDs are the project ids that resources read from the state in this process.
	knownIDs *providerutil.KnownIDs
	// lookups shares the listings of concurrent creates' lookups (CreateAdopting's Find).
	lookups listing.FreshLists[[]client.Project]
}

// providerModel is the provider block.
type providerModel struct {
	SecretID                  types.String  `tfsdk:"secret_id"`
	SecretKey                 types.String  `tfsdk:"secret_key"`
	SecurityToken             types.String  `tfsdk:"security_token"`
	Region                    types.String  `tfsdk:"region"`
	Endpoint                  types.String  `tfsdk:"endpoint"`
	MaxRequestsPerSecond      types.Float64 `tfsdk:"max_requests_per_second"`
	CAFile                    types.String  `tfsdk:"ca_file"`
	Insecure                  types.Bool    `tfsdk:"insecure"`
	AllowPlaintextHTTP        types.Bool    `tfsdk:"allow_plaintext_http"`
	SkipCredentialsValidation types.Bool    `tfsdk:"skip_credentials_validation"`
	BatchReads                types.Bool    `tfsdk:"batch_reads"`
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
				Optional: true,
				MarkdownDescription: "Region sent with every call (`X-TC-Region`). Falls back to `" + EnvRegion + "`, then `" + client.DefaultRegion + "`. " +
					"Checked at plan against the regions the TRRO API reference lists (Tencent Cloud's API 3.0 region table: " +
					"`" + strings.Join(client.Regions, "`, `") + "`); an error names the nearest one.",
				Validators: []validator.String{regionValidator{}},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the TRRO API. Falls back to `" + EnvEndpoint + "`, then `" + client.DefaultEndpoint +
					"`. Use `https://trro.intl.tencentcloudapi.com` for the international site. A plain `http://` URL is refused " +
					"unless its host is loopback or `allow_plaintext_http` is set.",
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Client-side limit of requests per second for each API action, shared by all resources of this provider. " +
					"Defaults to TRRO's documented limit of 20. While the API throttles, the provider sends less than this by itself (several pipelines sharing one account settle under its limit; see docs/benchmarks.md in the repository).",
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"ca_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file of certificate authorities to trust for the endpoint, in addition to the system's " +
					"(for a TLS-inspecting proxy or a private endpoint). Falls back to `" + EnvCAFile + "`.",
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verifying the endpoint's TLS certificate. For test installations only: anyone on the path can then " +
					"read and change the calls. The provider warns whenever it is on. Falls back to `" + EnvInsecure + "`; defaults to `false`.",
			},
			"allow_plaintext_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow an `http://` endpoint whose host is not loopback. Over plain HTTP the signed requests, the security " +
					"token and the projects travel in clear, so such an endpoint is refused unless this is `true`. Falls back to `" +
					EnvAllowPlaintextHTTP + "`; defaults to `false`.",
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials when the provider is configured. By default one `DescribeProjectList` call " +
					"(one entry) proves the key, region and endpoint before anything else, so that wrong credentials fail `terraform plan`. " +
					"Falls back to `" + EnvSkipCredentialsValidation + "`; defaults to `false`.",
			},
			"batch_reads": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: providerutil.BatchReadsDescription(client.ActionDescribeProjectList, ""),
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
	if providerutil.AnyUnknown(m.SecretID, m.SecretKey, m.SecurityToken, m.Region, m.Endpoint, m.MaxRequestsPerSecond,
		m.CAFile, m.Insecure, m.AllowPlaintextHTTP, m.SkipCredentialsValidation, m.BatchReads) {
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
		EndpointSetting:   endpointSetting,
		TLSSetting:        tlsSetting,
		BatchReads:        m.BatchReads.IsNull() || m.BatchReads.ValueBool(),
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = client.DefaultEndpoint
	}
	if cfg.Region != "" && m.Region.IsNull() {
		// The schema's validator checked the argument; the environment's value is checked here.
		if problem := regionProblem(cfg.Region); problem != "" {
			resp.Diagnostics.AddError("Unknown TRRO region in "+EnvRegion, problem)
			return
		}
	}
	caFile := providerutil.StringOrEnv(m.CAFile, EnvCAFile)
	insecure := providerutil.BoolOrEnv(m.Insecure, "insecure", &resp.Diagnostics, EnvInsecure)
	allowPlaintext := providerutil.BoolOrEnv(m.AllowPlaintextHTTP, "allow_plaintext_http", &resp.Diagnostics, EnvAllowPlaintextHTTP)
	skipValidation := providerutil.BoolOrEnv(m.SkipCredentialsValidation, "skip_credentials_validation", &resp.Diagnostics, EnvSkipCredentialsValidation)

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

	httpClient := connection(cfg, caFile, insecure, allowPlaintext, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.HTTPClient = httpClient
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid trro provider configuration", err.Error())
		return
	}
	if !skipValidation {
		p.validateCredentials(ctx, c, cfg, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	data := &providerData{client: c, knownIDs: &providerutil.KnownIDs{}}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// connection checks the endpoint and returns the HTTP client for it: an http:// endpoint that is
// not loopback is refused unless allowed, and the TLS settings are applied (with a warning when
// verification is off).
func connection(cfg client.Config, caFile string, insecure, allowPlaintext bool, diags *diag.Diagnostics) *http.Client {
	endpoint, err := client.ParseEndpoint(cfg.Endpoint)
	if err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid trro provider endpoint", err.Error()+". Check "+endpointSetting+".")
		return nil
	}
	inClear := "the signed requests (Authorization) and every project's data"
	if cfg.SecurityToken != "" {
		inClear = "the security token (X-TC-Token), " + inClear
	}
	if err := transport.CheckPlaintext(endpoint, allowPlaintext, inClear, plaintextSetting); err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Plain HTTP endpoint refused", err.Error()+".")
		return nil
	}
	httpClient, err := transport.NewHTTPClient(transport.TLSSettings{CAFile: caFile, Insecure: insecure})
	if err != nil {
		diags.AddAttributeError(path.Root("ca_file"), "Invalid trro provider ca_file",
			fmt.Sprintf("%v. Check ca_file (%s): it must name a readable PEM file of CA certificates.", err, EnvCAFile))
		return nil
	}
	if insecure {
		diags.AddAttributeWarning(path.Root("insecure"), "TLS certificate verification is off",
			fmt.Sprintf("insecure = true (or %s) makes the provider accept any certificate from %s, so anyone on the network path can "+
				"read and change its calls. Use it for test installations only; to trust a private CA, set ca_file (%s) instead.",
				EnvInsecure, endpoint.Host, EnvCAFile))
	}
	return httpClient
}

// validateCredentials proves the credentials with the cheapest read, once per credential set,
// so that a wrong key fails `terraform plan` instead of the apply. Wrong credentials, an
// endpoint that is not the TRRO API or cannot be used are errors; an API that is slow, down or
// denies listing is only a warning, since the operations themselves may still work.
func (p *Provider) validateCredentials(ctx context.Context, c *client.Client, cfg client.Config, diags *diag.Diagnostics) {
	key := providerutil.CredentialKey(cfg.Endpoint, cfg.Region, cfg.SecretID, cfg.SecretKey, cfg.SecurityToken)
	if p.checked.Checked(key) {
		return
	}
	// The check serves no resource; naming it keeps every API log line filterable by type.
	ctx = transport.LogFields(ctx, map[string]any{"tf_resource_type": "provider." + TypeName})
	ctx, cancel := transport.WithTimeout(ctx, providerutil.PlanLookupTimeout)
	defer cancel()
	err := c.ValidateCredentials(ctx)
	switch {
	case err == nil:
		p.checked.Remember(key)
	case client.IsAuthFailure(err):
		diags.AddError("Invalid trro provider credentials",
			fmt.Sprintf("TRRO refused the credentials when the provider checked them with DescribeProjectList.\n\n%s\n\n"+
				"Check these settings:\n%s\n\nSet skip_credentials_validation = true (or %s=true) to skip this check.",
				providerutil.ErrorDetail(err), providerutil.SettingsList(credentialSettings), EnvSkipCredentialsValidation))
	case client.IsWrongService(err):
		diags.AddError("The trro provider's endpoint is not the TRRO API", wrongServiceDetail(c, err))
	case transport.IsEndpointError(err), transport.IsRedirect(err):
		diags.AddError("Cannot use the trro provider's endpoint", err.Error())
	case client.IsPermissionDenied(err):
		diags.AddWarning("trro provider credentials not fully checked",
			fmt.Sprintf("The credentials work, but may not list projects (DescribeProjectList), which the provider needs to adopt a "+
				"project whose creation got no answer.\n\n%s", providerutil.ErrorDetail(err)))
	case transport.IsTimeout(err):
		diags.AddWarning("trro provider credentials not checked",
			fmt.Sprintf("The TRRO API did not answer DescribeProjectList within %s, the bound of plan-time lookups, so the credentials "+
				"were not checked. Terraform goes on; the operations have their own timeouts.", providerutil.PlanLookupTimeout))
	default:
		diags.AddWarning("trro provider credentials not checked",
			fmt.Sprintf("Checking the credentials with DescribeProjectList failed, so they were not checked; Terraform goes on.\n\n%s",
				providerutil.ErrorDetail(err)))
	}
}

// wrongServiceDetail says, without dumping the answer, that something else answers at the
// endpoint.
func wrongServiceDetail(c *client.Client, err error) string {
	what := "an answer that is not a TRRO API 3.0 answer"
	if f, ok := transport.AsForeignAnswer(err); ok {
		what = f.Summary() + ", which is not a TRRO API 3.0 answer"
	} else if api, ok := transport.AsAPIError(err); ok {
		what = fmt.Sprintf("error %s (%s), so the API there does not serve TRRO's DescribeProjectList, version %s", api.Code, api.Message, client.Version)
		if api.RequestID != "" {
			what += fmt.Sprintf(" (request id %s)", api.RequestID)
		}
	}
	return fmt.Sprintf("%s answered DescribeProjectList with %s: the endpoint does not look like the trro API.\n\n"+
		"Check %s: it must be the TRRO API, such as %s (or https://trro.intl.tencentcloudapi.com), or a mock of it.",
		c.Endpoint(), what, endpointSetting, client.DefaultEndpoint)
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource}
}
