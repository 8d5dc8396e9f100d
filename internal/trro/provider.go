// Package trro is the `trro` Terraform provider: Tencent Cloud TRRO (real-time interaction,
// industrial edition) projects.
package trro

import (
	"context"
	"net/url"
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

// env declares the environment variables: the credentials and region named as
// terraform-provider-tencentcloud names them; the rest, which that provider does not have, with
// the endpoint's TRRO_ prefix.
var env = providerutil.Env{
	"secret_id":                   {"TENCENTCLOUD_SECRET_ID"},
	"secret_key":                  {"TENCENTCLOUD_SECRET_KEY"},
	"security_token":              {"TENCENTCLOUD_SECURITY_TOKEN"},
	"region":                      {"TENCENTCLOUD_REGION"},
	"endpoint":                    {"TRRO_ENDPOINT"},
	"ca_file":                     {"TRRO_CA_FILE"},
	"insecure":                    {"TRRO_INSECURE"},
	"allow_plaintext_http":        {"TRRO_ALLOW_PLAINTEXT_HTTP"},
	"skip_credentials_validation": {"TRRO_SKIP_CREDENTIALS_VALIDATION"},
}

// How errors name the settings to check.
var (
	endpointSetting  = env.Named("endpoint")
	tlsSetting       = env.Named("ca_file") + " or " + env.Named("insecure")
	plaintextSetting = env.Enable("allow_plaintext_http")
	// credentialSettings are what a credentials error asks the user to check.
	credentialSettings = []providerutil.Setting{env.Setting("secret_id"), env.Setting("secret_key"), env.Setting("security_token"), env.Setting("region")}
	// tlsDiagnostics say what is wrong with the TLS settings.
	tlsDiagnostics = providerutil.TLSDiagnostics{Provider: TypeName, Service: "TRRO", CAAttribute: "ca_file", CASetting: env.Named("ca_file"),
		CAExpected: "a readable PEM file of CA certificates", InsecureEnv: env.Names("insecure")}
)

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
				MarkdownDescription: "SecretId of a Tencent Cloud API key. " + env.FallsBack("secret_id"),
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "SecretKey of the API key. " + env.FallsBack("secret_key"),
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Session token of temporary (STS) credentials. " + env.FallsBack("security_token"),
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Region sent with every call (`X-TC-Region`). Falls back to " + env.Describe("region") + ", then `" + client.DefaultRegion + "`. " +
					"Checked at plan against the regions the TRRO API reference lists (Tencent Cloud's API 3.0 region table: " +
					"`" + strings.Join(client.Regions, "`, `") + "`); an error names the nearest one.",
				Validators: []validator.String{regionValidator{}},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the TRRO API. Falls back to " + env.Describe("endpoint") + ", then `" + client.DefaultEndpoint +
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
					"(for a TLS-inspecting proxy or a private endpoint). " + env.FallsBack("ca_file"),
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verifying the endpoint's TLS certificate. For test installations only: anyone on the path can then " +
					"read and change the calls. The provider warns whenever it is on. " + env.FallsBack("insecure") + " Defaults to `false`.",
			},
			"allow_plaintext_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow an `http://` endpoint whose host is not loopback. Over plain HTTP the signed requests, the security " +
					"token and the projects travel in clear, so such an endpoint is refused unless this is `true`. " +
					env.FallsBack("allow_plaintext_http") + " Defaults to `false`.",
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials when the provider is configured. By default one `DescribeProjectList` call " +
					"(one entry) proves the key, region and endpoint before anything else, so that wrong credentials fail `terraform plan`. " +
					env.FallsBack("skip_credentials_validation") + " Defaults to `false`.",
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
		SecretID:          env.String(m.SecretID, "secret_id"),
		SecretKey:         env.String(m.SecretKey, "secret_key"),
		SecurityToken:     env.String(m.SecurityToken, "security_token"),
		Region:            env.String(m.Region, "region"),
		Endpoint:          env.String(m.Endpoint, "endpoint"),
		TLS:               transport.TLSSettings{CAFile: env.String(m.CAFile, "ca_file"), Insecure: env.Bool(m.Insecure, "insecure", &resp.Diagnostics)},
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
			resp.Diagnostics.AddError("Unknown TRRO region in "+env.First("region"), problem)
			return
		}
	}
	if cfg.Region == "" {
		cfg.Region = client.DefaultRegion
	}
	allowPlaintext := env.Bool(m.AllowPlaintextHTTP, "allow_plaintext_http", &resp.Diagnostics)
	skipValidation := env.Bool(m.SkipCredentialsValidation, "skip_credentials_validation", &resp.Diagnostics)

	var missing []providerutil.Setting
	if cfg.SecretID == "" {
		missing = append(missing, env.Setting("secret_id"))
	}
	if cfg.SecretKey == "" {
		missing = append(missing, env.Setting("secret_key"))
	}
	providerutil.MissingSettings(&resp.Diagnostics, "trro", missing)
	if resp.Diagnostics.HasError() {
		return
	}

	endpoint := checkEndpoint(cfg, allowPlaintext, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		if !tlsDiagnostics.ClientError(&resp.Diagnostics, err) {
			resp.Diagnostics.AddError("Invalid trro provider configuration", err.Error())
		}
		return
	}
	if cfg.TLS.Insecure {
		tlsDiagnostics.WarnInsecure(&resp.Diagnostics, endpoint.Host)
	}
	if !skipValidation {
		p.checked.Check(ctx, credentialCheck(c, cfg), &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	data := &providerData{client: c, knownIDs: &providerutil.KnownIDs{}}
	// ListProjects sends every page through the client: a create may join a listing until its
	// first page is sent.
	data.lookups.JoinUntilSent = true
	// ... and with the other processes of this machine listing the same account (the pipelines of
	// one CI host), each listing from after its callers asked (listing.MachineLists).
	data.lookups.Machine = &listing.MachineLists[[]client.Project]{File: func(key string) *transport.SharedFile {
		return c.SharedFile("lookups DescribeProjectList " + key)
	}}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// checkEndpoint parses the endpoint and refuses an http:// endpoint that is not loopback unless
// allowed.
func checkEndpoint(cfg client.Config, allowPlaintext bool, diags *diag.Diagnostics) *url.URL {
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
	return endpoint
}

// credentialCheck proves the key, the region and the endpoint with the cheapest read, one
// DescribeProjectList entry, so that a wrong key fails `terraform plan` instead of the apply
// (providerutil.CredentialCheck says what each answer becomes).
func credentialCheck(c *client.Client, cfg client.Config) providerutil.CredentialCheck {
	return providerutil.CredentialCheck{
		Provider: TypeName,
		Service:  "TRRO",
		Call:     client.ActionDescribeProjectList,
		Set: providerutil.CredentialSet{Endpoint: c.Endpoint(), Region: cfg.Region, TLS: cfg.TLS,
			Identity: []string{cfg.SecretID, cfg.SecretKey, cfg.SecurityToken}},
		EndpointAttribute: "endpoint",
		EndpointSetting:   endpointSetting,
		EndpointShouldBe:  "the TRRO API, such as " + client.DefaultEndpoint + " (or https://trro.intl.tencentcloudapi.com)",
		Settings:          credentialSettings,
		Skip:              env.Enable("skip_credentials_validation"),
		PermissionNote: "The provider lists projects (DescribeProjectList) before every create, and to adopt one whose creation " +
			"got no answer, so creates fail until the key may list them.",
		Run:                func(ctx context.Context) (any, error) { return nil, c.ValidateCredentials(ctx) },
		IsAuthFailure:      client.IsAuthFailure,
		IsPermissionDenied: client.IsPermissionDenied,
		IsWrongService:     client.IsWrongService,
	}
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource}
}
