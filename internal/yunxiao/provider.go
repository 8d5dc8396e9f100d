// Package yunxiao is the `yunxiao` Terraform provider: Alibaba Cloud Yunxiao (DevOps) projects,
// through the devops API 2021-06-25.
package yunxiao

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
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
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "yunxiao"

// env declares the environment variables: the Alibaba Cloud credential variables the alicloud
// provider and the Alibaba Cloud CLI read (the ALIBABA_CLOUD_* names first), and this provider's
// own. Alibaba Cloud's tools have no TLS or plain-HTTP settings of their own, so those take
// YUNXIAO_ names.
var env = providerutil.Env{
	"access_key_id":               {"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"},
	"access_key_secret":           {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"},
	"security_token":              {"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"},
	"organization_id":             {"YUNXIAO_ORGANIZATION_ID"},
	"endpoint":                    {"YUNXIAO_ENDPOINT"},
	"ca_file":                     {"YUNXIAO_CA_FILE"},
	"insecure":                    {"YUNXIAO_INSECURE"},
	"allow_plaintext_http":        {"YUNXIAO_ALLOW_PLAINTEXT_HTTP"},
	"skip_credentials_validation": {"YUNXIAO_SKIP_CREDENTIALS_VALIDATION"},
	"conflict_check":              {"YUNXIAO_CONFLICT_CHECK"},
}

var (
	// EnvOrganizationID is organization_id's variable, which the resources' messages name.
	EnvOrganizationID = env.First("organization_id")

	endpointSetting               = env.Named("endpoint")
	tlsSetting                    = env.Named("ca_file") + " or " + env.Named("insecure")
	allowPlaintextSetting         = env.Enable("allow_plaintext_http")
	skipCredentialsValidationHint = "To skip this check, set " + env.Enable("skip_credentials_validation") + "."
	// credentialSettings are the settings a failed credential check names.
	credentialSettings = []providerutil.Setting{env.Setting("access_key_id"), env.Setting("access_key_secret"), env.Setting("security_token"),
		env.Setting("endpoint")}
	// tlsDiagnostics say what is wrong with the TLS settings.
	tlsDiagnostics = providerutil.TLSDiagnostics{Provider: TypeName, Service: client.ServiceName, CAAttribute: "ca_file",
		CASetting: env.Named("ca_file"), CAExpected: "a readable PEM file of CA certificates", InsecureEnv: env.Names("insecure")}
)

var (
	_ provider.Provider = &Provider{}
)

// Provider is the yunxiao provider.
type Provider struct {
	version string
	// configureClient lets tests adjust the client's configuration (e.g. short retry delays).
	configureClient func(*client.Config)
	// checked holds the credential sets that passed the check at Configure.
	checked providerutil.CheckedCredentials
}

// providerModel is the provider block.
type providerModel struct {
	AccessKeyID               types.String  `tfsdk:"access_key_id"`
	AccessKeySecret           types.String  `tfsdk:"access_key_secret"`
	SecurityToken             types.String  `tfsdk:"security_token"`
	OrganizationID            types.String  `tfsdk:"organization_id"`
	Endpoint                  types.String  `tfsdk:"endpoint"`
	CAFile                    types.String  `tfsdk:"ca_file"`
	Insecure                  types.Bool    `tfsdk:"insecure"`
	AllowPlaintextHTTP        types.Bool    `tfsdk:"allow_plaintext_http"`
	MaxRequestsPerSecond      types.Float64 `tfsdk:"max_requests_per_second"`
	SkipConflictCheck         types.Bool    `tfsdk:"skip_conflict_check"`
	ConflictCheck             types.String  `tfsdk:"conflict_check"`
	SkipCredentialsValidation types.Bool    `tfsdk:"skip_credentials_validation"`
	BatchReads                types.Bool    `tfsdk:"batch_reads"`
}

// providerData is what resources and data sources receive from the provider.
type providerData struct {
	client *client.Client
	// knownIDs are the projects this process read from the state, which the conflict check
	// never reports (a tainted resource's replacement is planned as a create).
	knownIDs *providerutil.KnownIDs
	// organizationID is the provider's organization_id, "" when not set.
	organizationID string
	// conflictCheck is what the plan-time lookup of a new project's custom_code does
	// (conflict_check): warn, fail the plan, or not look.
	conflictCheck providerutil.ConflictMode
	// codes serves that lookup, one listing per organization and process.
	codes codeIndex
	// lookups shares the listings of concurrent creates' lookups (CreateAdopting's Find), per
	// organization.
	lookups listing.FreshLists[[]client.Project]
	// organizations are those the credentials can see, as the credential check listed them
	// (ListJoinedOrganizations); nil when it did not (skip_credentials_validation, or a check
	// that failed for a reason that says nothing about the credentials).
	organizations []client.Organization
}

// organizationProblem says why the credentials cannot use organization org, naming those they
// can (ids and names), or "" when they can or when the provider did not list them.
func (d *providerData) organizationProblem(org string) string {
	if d.organizations == nil {
		return ""
	}
	names := make([]string, 0, len(d.organizations))
	for _, o := range d.organizations {
		if o.ID == org {
			return ""
		}
		names = append(names, fmt.Sprintf("%s (%q)", o.ID, o.Name))
	}
	if len(names) == 0 {
		return fmt.Sprintf("The provider's credentials cannot use Yunxiao organization %s: ListJoinedOrganizations says the AccessKey's user "+
			"is a member of no organization. Add the RAM user to the organization in Yunxiao, or use the AccessKey of a member. %s",
			org, skipCredentialsValidationHint)
	}
	return fmt.Sprintf("The provider's credentials cannot use Yunxiao organization %s: the AccessKey's user is not a member of it. "+
		"The organizations it can see (ListJoinedOrganizations) are: %s. Check organization_id (the id in "+
		"https://devops.aliyun.com/organization/<organization_id>). %s", org, strings.Join(names, ", "), skipCredentialsValidationHint)
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
				MarkdownDescription: "AccessKey ID of an Alibaba Cloud account or RAM user. " + env.FallsBack("access_key_id"),
			},
			"access_key_secret": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "AccessKey secret. " + env.FallsBack("access_key_secret"),
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of temporary (STS) credentials. " + env.FallsBack("security_token"),
			},
			"organization_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Default Yunxiao organization (企业) id for resources that do not set their own, as in " +
					"`https://devops.aliyun.com/organization/<organization_id>`. " + env.FallsBack("organization_id"),
				Validators: []validator.String{stringvalidator.RegexMatches(organizationIDPattern, organizationIDMessage)},
			},
			"endpoint": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the devops API, scheme and host only. Falls back to " + env.Describe("endpoint") + ", then `" +
					client.DefaultEndpoint + "`. An `http://` URL is refused unless its host is loopback or `allow_plaintext_http` is set.",
				Validators: []validator.String{endpointValidator{}},
			},
			"ca_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file of certificate authorities to trust, besides the system's, when verifying the " +
					"endpoint's TLS certificate (e.g. a company proxy's or a private installation's CA). " + env.FallsBack("ca_file"),
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verifying the endpoint's TLS certificate. Anyone on the network path could then impersonate " +
					"the API, so use it only with test installations; the provider warns when it is on. " + env.FallsBack("insecure") +
					" Defaults to `false`.",
			},
			"allow_plaintext_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow an `http://` endpoint whose host is not loopback. Over plain HTTP the AccessKey ID, the " +
					"request signatures, the security token and all project data travel in clear, so the provider refuses such an " +
					"endpoint unless this is `true`. " + env.FallsBack("allow_plaintext_http") + " Defaults to `false`.",
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: "Client-side limit of requests per second for each API operation, shared by all resources of this provider. " +
					"Yunxiao documents no limit; the default is 10. Throttled calls (`Throttling.*`) are retried with backoff either way. While the API throttles, the provider sends less than this by itself (several pipelines sharing one account settle under its limit; see docs/benchmarks.md in the repository).",
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"skip_conflict_check": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip the plan-time check that a `yunxiao_project` about to be created does not use a `custom_code` " +
					"another project of the organization already has. The check lists the organization's projects once per plan when it plans " +
					"any create (an apply plans once more before it creates); " +
					"without it a conflict is reported when the apply's createProject call fails. Defaults to `false`. Equivalent to `conflict_check = \"off\"`.",
			},
			"conflict_check": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: providerutil.ConflictCheckDescription("yunxiao_project", "custom_code", env.First("conflict_check")),
				Validators:          []validator.String{stringvalidator.OneOf(providerutil.ConflictModes...)},
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials when the provider is configured. The check is one " +
					"ListJoinedOrganizations call per set of credentials and process, so that wrong credentials, or an endpoint that " +
					"is not the Yunxiao API, fail `terraform plan` rather than the apply. " + env.FallsBack("skip_credentials_validation") +
					" Defaults to `false`.",
			},
			"batch_reads": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: providerutil.BatchReadsDescription("ListProjects",
					"Each organization is listed apart, and only projects the list returns with every attribute the read returns are served from it."),
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
	if providerutil.AnyUnknown(m.AccessKeyID, m.AccessKeySecret, m.SecurityToken, m.OrganizationID, m.Endpoint, m.CAFile, m.Insecure,
		m.AllowPlaintextHTTP, m.MaxRequestsPerSecond, m.SkipConflictCheck, m.ConflictCheck, m.SkipCredentialsValidation, m.BatchReads) {
		// Values that depend on other resources are known only at apply; configure then.
		tflog.Debug(ctx, "yunxiao provider configuration has unknown values; deferring client creation")
		return
	}
	allowPlaintext := env.Bool(m.AllowPlaintextHTTP, "allow_plaintext_http", &resp.Diagnostics)
	skipValidation := env.Bool(m.SkipCredentialsValidation, "skip_credentials_validation", &resp.Diagnostics)
	conflictCheck := providerutil.ConflictModeOf(m.ConflictCheck, m.SkipConflictCheck, env.First("conflict_check"), &resp.Diagnostics)
	cfg := client.Config{
		AccessKeyID:       env.String(m.AccessKeyID, "access_key_id"),
		AccessKeySecret:   env.String(m.AccessKeySecret, "access_key_secret"),
		SecurityToken:     env.String(m.SecurityToken, "security_token"),
		Endpoint:          env.String(m.Endpoint, "endpoint"),
		TLS:               transport.TLSSettings{CAFile: env.String(m.CAFile, "ca_file"), Insecure: env.Bool(m.Insecure, "insecure", &resp.Diagnostics)},
		EndpointSetting:   endpointSetting,
		TLSSetting:        tlsSetting,
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
		BatchReads:        m.BatchReads.IsNull() || m.BatchReads.ValueBool(),
	}
	var missing []providerutil.Setting
	if cfg.AccessKeyID == "" {
		missing = append(missing, env.Setting("access_key_id"))
	}
	if cfg.AccessKeySecret == "" {
		missing = append(missing, env.Setting("access_key_secret"))
	}
	providerutil.MissingSettings(&resp.Diagnostics, TypeName, missing)
	if resp.Diagnostics.HasError() {
		return
	}
	org := env.String(m.OrganizationID, "organization_id")
	if org != "" && !organizationIDPattern.MatchString(org) {
		resp.Diagnostics.AddError("Invalid yunxiao provider configuration",
			"The organization id from "+EnvOrganizationID+" "+organizationIDMessage+"; got "+quote(org)+".")
		return
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = client.DefaultEndpoint
	}
	u, err := client.ParseEndpoint(cfg.Endpoint)
	if err != nil {
		resp.Diagnostics.AddError("Invalid yunxiao provider configuration", "The endpoint from "+env.First("endpoint")+" is not usable: "+err.Error()+".")
		return
	}
	if err := transport.CheckPlaintext(u, allowPlaintext,
		"the AccessKey ID, the request signatures, the security token and all project data", allowPlaintextSetting); err != nil {
		resp.Diagnostics.AddError("Plain HTTP endpoint refused", "The yunxiao provider's "+endpointSetting+" "+err.Error()+".")
		return
	}
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		if !tlsDiagnostics.ClientError(&resp.Diagnostics, err) {
			resp.Diagnostics.AddError("Invalid yunxiao provider configuration", err.Error())
		}
		return
	}
	if cfg.TLS.Insecure {
		tlsDiagnostics.WarnInsecure(&resp.Diagnostics, u.Host)
	}
	var visible []client.Organization
	if !skipValidation {
		visible, _ = p.checked.Check(ctx, credentialCheck(c, cfg), &resp.Diagnostics).([]client.Organization)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	data := &providerData{client: c, knownIDs: &providerutil.KnownIDs{}, organizationID: org, conflictCheck: conflictCheck, organizations: visible}
	// ListProjects sends every page through the client: a create may join a listing until its
	// first page is sent.
	data.lookups.JoinUntilSent = true
	// ... and with the other processes of this machine listing the same account (the pipelines of
	// one CI host), each listing from after its callers asked (listing.MachineLists).
	data.lookups.Machine = &listing.MachineLists[[]client.Project]{File: func(key string) *transport.SharedFile {
		return c.SharedFile("lookups ListProjects " + key)
	}}
	if org != "" {
		// The provider's own organization fails every command if the key cannot use it, so it
		// is an error at configure, destroy included (the destroy's calls would fail too).
		if problem := data.organizationProblem(org); problem != "" {
			if m.OrganizationID.IsNull() {
				resp.Diagnostics.AddError("Unknown Yunxiao organization in "+EnvOrganizationID, problem)
			} else {
				resp.Diagnostics.AddAttributeError(path.Root("organization_id"), "Unknown Yunxiao organization", problem)
			}
			return
		}
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource, NewProjectTemplatesDataSource}
}

// credentialCheck proves the credentials with ListJoinedOrganizations, the cheapest read (it
// needs no organization), so that a wrong key or a wrong endpoint fails the plan instead of the
// apply (providerutil.CredentialCheck says what each answer becomes). Its answer, the
// organizations the key can see, is kept per credential set, so that each costs one call per
// process; it is nil when the check did not list them.
func credentialCheck(c *client.Client, cfg client.Config) providerutil.CredentialCheck {
	return providerutil.CredentialCheck{
		Provider:          TypeName,
		Service:           client.ServiceName,
		Call:              "ListJoinedOrganizations",
		Set:               providerutil.CredentialSet{Endpoint: c.Endpoint(), TLS: cfg.TLS, Identity: []string{cfg.AccessKeyID, cfg.AccessKeySecret, cfg.SecurityToken}},
		EndpointAttribute: "endpoint",
		EndpointSetting:   endpointSetting,
		EndpointShouldBe:  "the devops API, " + client.DefaultEndpoint + ", or the address of a Yunxiao installation",
		Settings:          credentialSettings,
		Skip:              env.Enable("skip_credentials_validation"),
		PermissionNote:    "The organizations the key can use are not known, so organization_id is not checked at configure.",
		Run: func(ctx context.Context) (any, error) {
			orgs, err := c.ListJoinedOrganizations(ctx)
			if err == nil && orgs == nil {
				orgs = []client.Organization{}
			}
			return orgs, err
		},
		IsAuthFailure:      client.IsAuthFailure,
		IsPermissionDenied: client.IsPermissionDenied,
		IsWrongService:     client.IsWrongService,
	}
}

func quote(s string) string { return `"` + s + `"` }
