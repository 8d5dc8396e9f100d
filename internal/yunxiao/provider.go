// Package yunxiao is the `yunxiao` Terraform provider: Alibaba Cloud Yunxiao (DevOps) projects,
// through the devops API 2021-06-25.
package yunxiao

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "yunxiao"

// Environment variables: the Alibaba Cloud credential variables the alicloud provider and the
// Alibaba Cloud CLI read (the ALIBABA_CLOUD_* names first), and this provider's own. Alibaba
// Cloud's tools have no TLS or plain-HTTP settings of their own, so those take YUNXIAO_ names.
const (
	EnvAccessKeyID                = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeyIDLegacy          = "ALICLOUD_ACCESS_KEY"
	EnvAccessKeySecret            = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvAccessKeySecretLegacy      = "ALICLOUD_SECRET_KEY"
	EnvSecurityToken              = "ALIBABA_CLOUD_SECURITY_TOKEN"
	EnvSecurityTokenLegacy        = "ALICLOUD_SECURITY_TOKEN"
	EnvOrganizationID             = "YUNXIAO_ORGANIZATION_ID"
	EnvEndpoint                   = "YUNXIAO_ENDPOINT"
	EnvCAFile                     = "YUNXIAO_CA_FILE"
	EnvInsecure                   = "YUNXIAO_INSECURE"
	EnvAllowPlaintextHTTP         = "YUNXIAO_ALLOW_PLAINTEXT_HTTP"
	EnvSkipCredentialsValidation  = "YUNXIAO_SKIP_CREDENTIALS_VALIDATION"
	EnvConflictCheck              = "YUNXIAO_CONFLICT_CHECK"
	endpointSetting               = "endpoint (" + EnvEndpoint + ")"
	tlsSetting                    = "ca_file (" + EnvCAFile + ") or insecure (" + EnvInsecure + ")"
	allowPlaintextSetting         = "allow_plaintext_http = true (or " + EnvAllowPlaintextHTTP + "=true)"
	skipCredentialsValidationHint = "To skip this check, set skip_credentials_validation = true in the provider block (or " +
		EnvSkipCredentialsValidation + "=true)."
)

// credentialSettings are the settings a failed credential check names.
var credentialSettings = []providerutil.Setting{
	{Argument: "access_key_id", Env: []string{EnvAccessKeyID, EnvAccessKeyIDLegacy}},
	{Argument: "access_key_secret", Env: []string{EnvAccessKeySecret, EnvAccessKeySecretLegacy}},
	{Argument: "security_token", Env: []string{EnvSecurityToken, EnvSecurityTokenLegacy}},
	{Argument: "endpoint", Env: []string{EnvEndpoint}},
}

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
					client.DefaultEndpoint + "`. An `http://` URL is refused unless its host is loopback or `allow_plaintext_http` is set.",
				Validators: []validator.String{endpointValidator{}},
			},
			"ca_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Path of a PEM file of certificate authorities to trust, besides the system's, when verifying the " +
					"endpoint's TLS certificate (e.g. a company proxy's or a private installation's CA). Falls back to `" + EnvCAFile + "`.",
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verifying the endpoint's TLS certificate. Anyone on the network path could then impersonate " +
					"the API, so use it only with test installations; the provider warns when it is on. Falls back to `" + EnvInsecure +
					"`. Defaults to `false`.",
			},
			"allow_plaintext_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow an `http://` endpoint whose host is not loopback. Over plain HTTP the AccessKey ID, the " +
					"request signatures, the security token and all project data travel in clear, so the provider refuses such an " +
					"endpoint unless this is `true`. Falls back to `" + EnvAllowPlaintextHTTP + "`. Defaults to `false`.",
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
				MarkdownDescription: providerutil.ConflictCheckDescription("yunxiao_project", "custom_code", EnvConflictCheck),
				Validators:          []validator.String{stringvalidator.OneOf(providerutil.ConflictModes...)},
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials when the provider is configured. The check is one " +
					"ListJoinedOrganizations call per set of credentials and process, so that wrong credentials, or an endpoint that " +
					"is not the Yunxiao API, fail `terraform plan` rather than the apply. Falls back to `" + EnvSkipCredentialsValidation +
					"`. Defaults to `false`.",
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
	insecure := providerutil.BoolOrEnv(m.Insecure, "insecure", &resp.Diagnostics, EnvInsecure)
	allowPlaintext := providerutil.BoolOrEnv(m.AllowPlaintextHTTP, "allow_plaintext_http", &resp.Diagnostics, EnvAllowPlaintextHTTP)
	skipValidation := providerutil.BoolOrEnv(m.SkipCredentialsValidation, "skip_credentials_validation", &resp.Diagnostics, EnvSkipCredentialsValidation)
	conflictCheck := providerutil.ConflictModeOf(m.ConflictCheck, m.SkipConflictCheck, EnvConflictCheck, &resp.Diagnostics)
	cfg := client.Config{
		AccessKeyID:       providerutil.StringOrEnv(m.AccessKeyID, EnvAccessKeyID, EnvAccessKeyIDLegacy),
		AccessKeySecret:   providerutil.StringOrEnv(m.AccessKeySecret, EnvAccessKeySecret, EnvAccessKeySecretLegacy),
		SecurityToken:     providerutil.StringOrEnv(m.SecurityToken, EnvSecurityToken, EnvSecurityTokenLegacy),
		Endpoint:          providerutil.StringOrEnv(m.Endpoint, EnvEndpoint),
		CAFile:            providerutil.StringOrEnv(m.CAFile, EnvCAFile),
		Insecure:          insecure,
		EndpointSetting:   endpointSetting,
		TLSSetting:        tlsSetting,
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
		BatchReads:        m.BatchReads.IsNull() || m.BatchReads.ValueBool(),
	}
	var missing []providerutil.Setting
	if cfg.AccessKeyID == "" {
		missing = append(missing, credentialSettings[0])
	}
	if cfg.AccessKeySecret == "" {
		missing = append(missing, credentialSettings[1])
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
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = client.DefaultEndpoint
	}
	u, err := client.ParseEndpoint(endpoint)
	if err != nil {
		resp.Diagnostics.AddError("Invalid yunxiao provider configuration", "The endpoint from "+EnvEndpoint+" is not usable: "+err.Error()+".")
		return
	}
	if err := transport.CheckPlaintext(u, allowPlaintext,
		"the AccessKey ID, the request signatures, the security token and all project data", allowPlaintextSetting); err != nil {
		resp.Diagnostics.AddError("Plain HTTP endpoint refused", "The yunxiao provider's "+endpointSetting+" "+err.Error()+".")
		return
	}
	if insecure {
		resp.Diagnostics.AddWarning("TLS certificate verification is off",
			"insecure = true (or "+EnvInsecure+") makes the yunxiao provider accept any certificate from "+u.Host+", so anyone on the "+
				"network path could impersonate the API and read the signed requests and the security token. Use it only with test "+
				"installations; for a private certificate authority, set ca_file ("+EnvCAFile+") instead.")
	}
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid yunxiao provider configuration",
			fmt.Sprintf("The yunxiao provider could not be configured: %v. Check ca_file (%s).", err, EnvCAFile))
		return
	}
	var visible []client.Organization
	if !skipValidation {
		key := providerutil.CredentialKey(cfg.Endpoint, cfg.AccessKeyID, cfg.AccessKeySecret, cfg.SecurityToken, cfg.CAFile, strconv.FormatBool(cfg.Insecure))
		visible = p.validateCredentials(ctx, c, key, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	data := &providerData{client: c, knownIDs: &providerutil.KnownIDs{}, organizationID: org, conflictCheck: conflictCheck, organizations: visible}
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

// validateCredentials checks the credentials with ListJoinedOrganizations, the cheapest read
// (it needs no organization), so that a wrong key or a wrong endpoint fails the plan instead of
// the apply, and returns the organizations it listed (nil when it did not list them), kept per
// credential set so that each costs one call per process. Failures that say nothing about the credentials (throttling, a slow or failing
// API) only warn: the plan's own calls report them if they last.
func (p *Provider) validateCredentials(ctx context.Context, c *client.Client, key string, diags *diag.Diagnostics) []client.Organization {
	if answer, ok := p.checked.Answer(key); ok {
		orgs, _ := answer.([]client.Organization)
		return orgs
	}
	// The check serves no resource; naming it keeps every API log line filterable by type.
	ctx = transport.LogFields(ctx, map[string]any{"tf_resource_type": "provider." + TypeName})
	ctx, cancel := transport.WithTimeout(ctx, providerutil.PlanLookupTimeout)
	defer cancel()
	orgs, err := c.ListJoinedOrganizations(ctx)
	switch {
	case err == nil:
		if orgs == nil {
			orgs = []client.Organization{}
		}
		p.checked.RememberAnswer(key, orgs)
		return orgs
	case client.IsAuthFailure(err):
		diags.AddError("Invalid yunxiao provider credentials",
			"Yunxiao refused the provider's credentials when the provider checked them (ListJoinedOrganizations):\n\n"+
				providerutil.ErrorDetail(err)+"\n\nCheck these settings:\n"+providerutil.SettingsList(credentialSettings)+"\n\n"+skipCredentialsValidationHint)
	case client.IsWrongService(err):
		diags.AddError("The yunxiao provider's endpoint is not the Yunxiao API",
			"Checking the provider's credentials (ListJoinedOrganizations) got an answer that no Yunxiao API gives, so "+client.WrongService+
				". Check "+endpointSetting+": it should be "+client.DefaultEndpoint+" or the address of a Yunxiao installation.\n\n"+
				providerutil.ErrorDetail(err)+"\n\n"+skipCredentialsValidationHint)
	case transport.IsEndpointError(err), transport.IsRedirect(err), transport.IsBadAnswer(err):
		diags.AddError("Cannot use the yunxiao provider's endpoint",
			"Checking the provider's credentials (ListJoinedOrganizations) failed:\n\n"+providerutil.ErrorDetail(err))
	default:
		diags.AddWarning("yunxiao provider credentials not checked",
			fmt.Sprintf("Checking the provider's credentials (ListJoinedOrganizations, bounded to %s) failed, for a reason that does not "+
				"say whether they are right; the plan goes on.\n\n%s\n\n%s", providerutil.PlanLookupTimeout, providerutil.ErrorDetail(err),
				skipCredentialsValidationHint))
	}
	return nil
}

func quote(s string) string { return `"` + s + `"` }
