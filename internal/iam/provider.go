// Package iam is the `iam` Terraform provider: IAM projects of Huawei Cloud and Open Telekom
// Cloud, which share the Keystone v3 API and differ in endpoint and in whether a project can be
// deleted.
package iam

import (
	"context"
	"fmt"
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

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "iam"

// env declares the environment variables: the huaweicloud provider's names first, then the
// OpenStack names the opentelekomcloud provider and the OpenStack tools use. The CA and insecure
// variables are those providers' names; the opt-ins that have no counterpart in them take HW_,
// as HW_AUTH_URL. ca_file, cacert_file's other name, reads cacert_file's variable.
var env = providerutil.Env{
	"auth_url":                    {"HW_AUTH_URL", "OS_AUTH_URL"},
	"token":                       {"HW_AUTH_TOKEN", "OS_AUTH_TOKEN", "OS_TOKEN"},
	"access_key":                  {"HW_ACCESS_KEY", "OS_ACCESS_KEY"},
	"secret_key":                  {"HW_SECRET_KEY", "OS_SECRET_KEY"},
	"security_token":              {"HW_SECURITY_TOKEN"},
	"domain_id":                   {"HW_DOMAIN_ID"},
	"user_name":                   {"HW_USER_NAME", "OS_USERNAME"},
	"password":                    {"HW_USER_PASSWORD", "OS_PASSWORD"},
	"domain_name":                 {"HW_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_USER_DOMAIN_NAME"},
	"cacert_file":                 {"OS_CACERT"},
	"insecure":                    {"HW_INSECURE", "OS_INSECURE"},
	"allow_plaintext_http":        {"HW_ALLOW_PLAINTEXT_HTTP"},
	"skip_credentials_validation": {"HW_SKIP_CREDENTIALS_VALIDATION"},
	"conflict_check":              {"HW_CONFLICT_CHECK"},
}

var _ provider.Provider = &Provider{}

// Provider is the iam provider.
type Provider struct {
	version string
	// configureClient lets tests adjust the client's configuration (e.g. short retry delays).
	configureClient func(*client.Config)
	// checked holds the credential sets that passed the check at Configure.
	checked providerutil.CheckedCredentials
}

// providerModel is the provider block.
type providerModel struct {
	AuthURL                   types.String  `tfsdk:"auth_url"`
	Token                     types.String  `tfsdk:"token"`
	AccessKey                 types.String  `tfsdk:"access_key"`
	SecretKey                 types.String  `tfsdk:"secret_key"`
	SecurityToken             types.String  `tfsdk:"security_token"`
	DomainID                  types.String  `tfsdk:"domain_id"`
	UserName                  types.String  `tfsdk:"user_name"`
	Password                  types.String  `tfsdk:"password"`
	DomainName                types.String  `tfsdk:"domain_name"`
	MaxRequestsPerSecond      types.Float64 `tfsdk:"max_requests_per_second"`
	SkipConflictCheck         types.Bool    `tfsdk:"skip_conflict_check"`
	ConflictCheck             types.String  `tfsdk:"conflict_check"`
	CACertFile                types.String  `tfsdk:"cacert_file"`
	CAFile                    types.String  `tfsdk:"ca_file"`
	Insecure                  types.Bool    `tfsdk:"insecure"`
	AllowPlaintextHTTP        types.Bool    `tfsdk:"allow_plaintext_http"`
	SkipCredentialsValidation types.Bool    `tfsdk:"skip_credentials_validation"`
	BatchReads                types.Bool    `tfsdk:"batch_reads"`
}

// providerData is what the provider hands its resources and data sources. One is made per
// Configure, that is per Terraform command (plan, apply) in a provider process.
type providerData struct {
	client *client.Client
	// knownIDs are the projects this process read from the state: never reported as conflicts.
	knownIDs *providerutil.KnownIDs
	// names answers the plan-time conflict check from one listing per account.
	names *nameIndex
	// conflictCheck is what the plan-time check that a new project's name is free does
	// (conflict_check): warn, fail the plan, or not look.
	conflictCheck providerutil.ConflictMode
	// cloud is the cloud the auth URL's host names (cloudHuawei, cloudOTC), or "" when it does
	// not tell (see cloudOf).
	cloud string
	// lookups shares the name lookups of concurrent creates (CreateAdopting's Find), per
	// domain and name.
	lookups listing.FreshLists[[]client.Project]
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
		MarkdownDescription: "Manages IAM projects of Huawei Cloud and Open Telekom Cloud through their Keystone v3 IAM API. " +
			"Give exactly one complete set of credentials: `token`; or `access_key`, `secret_key` and `domain_id`; or `user_name`, `password` and `domain_name`. " +
			"When several are given, they are used in that order.",
		Attributes: map[string]schema.Attribute{
			"auth_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the IAM endpoint, with or without the trailing `/v3`. Falls back to " + env.Describe("auth_url") +
					", then `" + client.DefaultAuthURL + "` (Huawei Cloud). Open Telekom Cloud: `https://iam.eu-de.otc.t-systems.com/v3`, " +
					"`https://iam.eu-nl.otc.t-systems.com/v3` or `https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3`.",
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "An IAM token (`X-Auth-Token`) with Security Administrator rights, used as it is: the provider cannot renew it. " +
					"Falls back to " + env.Describe("token") + ". Takes precedence over the other credentials.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Access key (AK) for AK/SK request signing (`SDK-HMAC-SHA256`). Falls back to " + env.Describe("access_key") + ".",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret key (SK) of `access_key`. Falls back to " + env.Describe("secret_key") + ".",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of a temporary access key. Falls back to " + env.Describe("security_token") + ".",
			},
			"domain_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Account (domain) id, sent as `X-Domain-Id` with AK/SK signing, which IAM requires. Falls back to " +
					env.Describe("domain_id") + ".",
			},
			"user_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "IAM user name, exchanged with `password` for a domain-scoped token. Falls back to " + env.Describe("user_name") + ".",
			},
			"password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password of `user_name`. Falls back to " + env.Describe("password") + ".",
			},
			"domain_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Account (domain) name of `user_name`, also the token's scope. Falls back to " + env.Describe("domain_name") + ".",
			},
			"max_requests_per_second": schema.Float64Attribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("Client-side limit of requests per second for each IAM operation, shared by all resources of this provider. Defaults to %d. "+
					"IAM publishes no limit for these calls; throttled calls (HTTP 429, `APIGW.0308`) are retried with backoff either way. "+
					"While the API throttles, the provider sends less than this by itself (several pipelines sharing one account settle under its limit; see docs/benchmarks.md in the repository). Lower it, or terraform's `-parallelism`, when applies report throttling.",
					client.DefaultRequestsPerSecond),
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"skip_conflict_check": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip the plan-time check that an `iam_project` about to be created does not take a `name` another project " +
					"of the account already has. The check lists the account's projects once per plan (`GET /v3/projects`, every page) " +
					"and warns about a taken name, with the import block that adopts the project instead; without it a taken name is " +
					"reported when the apply's create fails with HTTP 409. Defaults to `false`. Equivalent to `conflict_check = \"off\"`.",
			},
			"conflict_check": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: providerutil.ConflictCheckDescription("iam_project", "name", env.First("conflict_check")),
				Validators:          []validator.String{stringvalidator.OneOf(providerutil.ConflictModes...)},
			},
			"cacert_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Certificate authorities to trust for `auth_url` in addition to the system's, as the path of a PEM file " +
					"or the PEM text itself (as the huaweicloud and opentelekomcloud providers take it), for an endpoint whose certificate " +
					"a private CA signed. Falls back to " + env.Describe("cacert_file") + ". `ca_file` is the same setting under the name the other " +
					"projectkit providers use; give only one.",
			},
			"ca_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The same as `cacert_file`, under the name the other projectkit providers use. Give only one of the two.",
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verifying the certificate of `auth_url` (for test installations only: anyone on the path could " +
					"read the credentials). The provider warns whenever it is set. Falls back to " + env.Describe("insecure") + ". Defaults to `false`.",
			},
			"allow_plaintext_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow an `http://` `auth_url` on a host that is not loopback. Without it such an `auth_url` is refused, " +
					"since the password, tokens or signed requests would travel in clear; `http://127.0.0.1` and `http://localhost` are " +
					"always allowed. Falls back to " + env.Describe("allow_plaintext_http") + ". Defaults to `false`.",
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials when the provider is configured. The check costs one " +
					"`GET /v3/auth/domains` (after the token request with a password) per set of credentials and provider process, so " +
					"that wrong credentials or a wrong `auth_url` fail `terraform plan` at once. Falls back to " +
					env.Describe("skip_credentials_validation") + ". Defaults to `false`.",
			},
			"batch_reads": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: providerutil.BatchReadsDescription("GET /v3/projects",
					"It has an effect only on clouds without the `/v3-ext` API: elsewhere each project's `status` needs its own call "+
						"(`GET /v3-ext/projects/{id}`), which the list does not carry, so every project is read by itself."),
			},
		},
	}
}

// credentials are the provider's settings after the environment fallbacks.
type credentials struct {
	authURL, token, accessKey, secretKey, securityToken, domainID, userName, password, domainName string
}

func resolve(m providerModel) credentials {
	return credentials{
		authURL:       env.String(m.AuthURL, "auth_url"),
		token:         env.String(m.Token, "token"),
		accessKey:     env.String(m.AccessKey, "access_key"),
		secretKey:     env.String(m.SecretKey, "secret_key"),
		securityToken: env.String(m.SecurityToken, "security_token"),
		domainID:      env.String(m.DomainID, "domain_id"),
		userName:      env.String(m.UserName, "user_name"),
		password:      env.String(m.Password, "password"),
		domainName:    env.String(m.DomainName, "domain_name"),
	}
}

// check picks the credential set by precedence (token, AK/SK, password) and reports an
// incomplete set, or the absence of any, naming what is missing and where it can be given.
func (c credentials) check(diags *diag.Diagnostics) client.CredentialKind {
	setting := func(arg string) providerutil.Setting { return env.Setting(arg) }
	// complete reports the settings of a partly given kind of credentials that are still empty.
	complete := func(kind string, values []string, settings ...providerutil.Setting) bool {
		var missing []providerutil.Setting
		for i, v := range values {
			if v == "" {
				missing = append(missing, settings[i])
			}
		}
		if len(missing) > 0 {
			diags.AddError("Incomplete iam provider credentials",
				fmt.Sprintf("%s credentials are partly given. Add these settings, which are neither in the provider block nor in the environment:\n%s\n\n"+
					"Or remove the partial %s settings and use another kind of credentials.", kind, providerutil.SettingsList(missing), kind))
		}
		return len(missing) == 0
	}
	switch {
	case c.token != "":
		return client.CredentialToken
	case c.accessKey != "" || c.secretKey != "":
		if !complete("AK/SK", []string{c.accessKey, c.secretKey, c.domainID},
			setting("access_key"), setting("secret_key"), setting("domain_id")) {
			return 0
		}
		return client.CredentialAKSK
	case c.userName != "" || c.password != "":
		if !complete("Password", []string{c.userName, c.password, c.domainName},
			setting("user_name"), setting("password"), setting("domain_name")) {
			return 0
		}
		return client.CredentialPassword
	}
	diags.AddError("Missing iam provider credentials",
		"The iam provider needs one complete set of credentials, in the provider block or in the environment:\n"+
			"  - a token: "+setting("token").String()+"\n"+
			"  - an access key: "+setting("access_key").String()+", "+setting("secret_key").String()+
			" and "+setting("domain_id").String()+"\n"+
			"  - a password: "+setting("user_name").String()+", "+setting("password").String()+
			" and "+setting("domain_name").String())
	return 0
}

func (p *Provider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var m providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if providerutil.AnyUnknown(m.AuthURL, m.Token, m.AccessKey, m.SecretKey, m.SecurityToken, m.DomainID, m.UserName, m.Password, m.DomainName,
		m.MaxRequestsPerSecond, m.SkipConflictCheck, m.ConflictCheck, m.CACertFile, m.CAFile, m.Insecure, m.AllowPlaintextHTTP, m.SkipCredentialsValidation,
		m.BatchReads) {
		// Values that depend on other resources are known only at apply; configure then.
		tflog.Debug(ctx, "iam provider configuration has unknown values; deferring client creation")
		return
	}
	c := resolve(m)
	opts := resolveOptions(m, &resp.Diagnostics)
	conflictCheck := providerutil.ConflictModeOf(m.ConflictCheck, m.SkipConflictCheck, env.First("conflict_check"), &resp.Diagnostics)
	kind := c.check(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	authURL := c.authURL
	if authURL == "" {
		authURL = client.DefaultAuthURL
	}
	base, err := client.ParseAuthURL(authURL)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("auth_url"), "Invalid auth_url", err.Error())
		return
	}
	if err := transport.CheckPlaintext(base, opts.allowPlaintext, inClear(kind),
		"allow_plaintext_http = true in the provider block (or "+env.First("allow_plaintext_http")+"=true)"); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("auth_url"), "Refusing to send the iam provider's credentials in clear", err.Error())
		return
	}
	cfg := client.Config{
		AuthURL:           authURL,
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
		TLS:               opts.tls(),
		BatchReads:        m.BatchReads.IsNull() || m.BatchReads.ValueBool(),
	}
	// Only the chosen set goes to the client, so it never mixes two kinds of credentials.
	switch kind {
	case client.CredentialToken:
		cfg.Token = c.token
	case client.CredentialAKSK:
		cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken, cfg.DomainID = c.accessKey, c.secretKey, c.securityToken, c.domainID
	case client.CredentialPassword:
		cfg.UserName, cfg.Password, cfg.DomainName = c.userName, c.password, c.domainName
	}
	if p.configureClient != nil {
		p.configureClient(&cfg)
	}
	cl, err := client.New(cfg)
	if err != nil {
		if !opts.tlsDiagnostics().ClientError(&resp.Diagnostics, err) {
			resp.Diagnostics.AddError("Invalid iam provider configuration", err.Error())
		}
		return
	}
	if cfg.TLS.Insecure {
		opts.tlsDiagnostics().WarnInsecure(&resp.Diagnostics, base.Host)
	}
	if !opts.skipValidation {
		p.checked.Check(ctx, credentialCheck(cl, cfg), &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	tflog.Debug(ctx, "iam provider configured", map[string]any{"auth_url": cl.AuthURL(), "credentials": kind.String()})
	data := &providerData{
		client:        cl,
		knownIDs:      &providerutil.KnownIDs{},
		names:         newNameIndex(cl),
		conflictCheck: conflictCheck,
		cloud:         cloudOfHost(base.Hostname()),
	}
	// ListProjects sends every page through the client: a create may join a listing until its
	// first request is sent.
	data.lookups.JoinUntilSent = true
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// options are the provider's settings besides the credentials, after the environment fallbacks.
type options struct {
	// caCert is cacert_file's (or ca_file's) value: a PEM file's path or PEM text; caAttribute
	// the argument it came from, for errors.
	caCert, caAttribute                      string
	insecure, allowPlaintext, skipValidation bool
}

func resolveOptions(m providerModel, diags *diag.Diagnostics) options {
	if !m.CACertFile.IsNull() && !m.CAFile.IsNull() && m.CACertFile.ValueString() != m.CAFile.ValueString() {
		diags.AddAttributeError(path.Root("ca_file"), "Conflicting CA settings",
			"cacert_file and ca_file are the same setting under two names, and they differ here: give only one.")
	}
	ca, caAttribute := m.CACertFile, "cacert_file"
	if ca.IsNull() && !m.CAFile.IsNull() {
		ca, caAttribute = m.CAFile, "ca_file"
	}
	return options{
		caCert:         env.String(ca, "cacert_file"),
		caAttribute:    caAttribute,
		insecure:       env.Bool(m.Insecure, "insecure", diags),
		allowPlaintext: env.Bool(m.AllowPlaintextHTTP, "allow_plaintext_http", diags),
		skipValidation: env.Bool(m.SkipCredentialsValidation, "skip_credentials_validation", diags),
	}
}

// tls are the TLS settings: the CA certificates are PEM text, as the huaweicloud provider also
// takes them, when they hold a PEM header, else a PEM file's path.
func (o options) tls() transport.TLSSettings {
	if strings.Contains(o.caCert, "-----BEGIN") {
		return transport.TLSSettings{CAPEM: o.caCert, Insecure: o.insecure}
	}
	return transport.TLSSettings{CAFile: o.caCert, Insecure: o.insecure}
}

// tlsDiagnostics say what is wrong with the TLS settings.
func (o options) tlsDiagnostics() providerutil.TLSDiagnostics {
	return providerutil.TLSDiagnostics{Provider: TypeName, Service: "IAM", CAAttribute: o.caAttribute,
		CASetting:  "cacert_file or ca_file (" + strings.Join(env.Names("cacert_file"), " or ") + ")",
		CAExpected: "a PEM file's path or PEM text", InsecureEnv: env.Names("insecure")}
}

// inClear says what an http:// auth URL would expose with the kind of credentials.
func inClear(kind client.CredentialKind) string {
	switch kind {
	case client.CredentialToken:
		return "the token (X-Auth-Token of every request)"
	case client.CredentialAKSK:
		return "the AK/SK-signed requests (which anyone on the path could replay for 15 minutes) and any security token"
	}
	return "the password (in POST /v3/auth/tokens) and the tokens it is exchanged for"
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource}
}

// credentialCheck proves the credentials with the cheapest call any valid credentials may make,
// GET /v3/auth/domains (after the token request, with a password), so that wrong credentials or
// an auth_url that is not IAM fail `terraform plan` with the cloud's answer rather than the
// apply (providerutil.CredentialCheck says what each answer becomes).
func credentialCheck(cl *client.Client, cfg client.Config) providerutil.CredentialCheck {
	return providerutil.CredentialCheck{
		Provider: TypeName,
		Service:  client.ServiceName,
		Call:     client.OpListAuthDomains + " (GET /v3/auth/domains)",
		Set: providerutil.CredentialSet{Endpoint: cl.AuthURL(), TLS: cfg.TLS, Identity: []string{cl.CredentialKind().String(),
			cfg.Token, cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken, cfg.DomainID, cfg.UserName, cfg.Password, cfg.DomainName}},
		EndpointAttribute: "auth_url",
		EndpointSetting:   env.Named("auth_url"),
		EndpointShouldBe: "the IAM endpoint, such as " + client.DefaultAuthURL + " (Huawei Cloud) or " +
			"https://iam.eu-de.otc.t-systems.com/v3 (Open Telekom Cloud)",
		Settings:           credentialSettings(cl.CredentialKind()),
		Skip:               env.Enable("skip_credentials_validation"),
		Run:                func(ctx context.Context) (any, error) { return nil, cl.ValidateCredentials(ctx) },
		IsAuthFailure:      client.IsAuthFailure,
		IsPermissionDenied: client.IsPermissionDenied,
		IsWrongService:     client.IsWrongService,
	}
}

// credentialSettings lists the settings a refused credential check asks the user to look at.
func credentialSettings(kind client.CredentialKind) []providerutil.Setting {
	settings := []providerutil.Setting{env.Setting("auth_url")}
	switch kind {
	case client.CredentialToken:
		settings = append(settings, env.Setting("token"))
	case client.CredentialAKSK:
		settings = append(settings, env.Setting("access_key"), env.Setting("secret_key"), env.Setting("domain_id"), env.Setting("security_token"))
	case client.CredentialPassword:
		settings = append(settings, env.Setting("user_name"), env.Setting("password"), env.Setting("domain_name"))
	}
	return settings
}

// The clouds the provider tells apart: they share the API, but only Open Telekom Cloud deletes
// projects.
const (
	cloudHuawei = "Huawei Cloud"
	cloudOTC    = "Open Telekom Cloud"
)

// otcRegions are Open Telekom Cloud's region ids; Huawei Cloud's are all others (ap-southeast-1,
// cn-north-4, eu-west-101, ...).
var otcRegions = map[string]bool{"eu-de": true, "eu-nl": true, "eu-ch2": true}

// cloudOfHost names the cloud of an IAM endpoint's host, or "" for a host that does not tell
// (a private endpoint, a proxy, the fake cloud).
func cloudOfHost(host string) string {
	host = strings.ToLower(host)
	switch {
	case strings.HasSuffix(host, ".myhuaweicloud.com"), strings.HasSuffix(host, ".myhuaweicloud.eu"), strings.HasSuffix(host, ".huaweicloud.com"):
		return cloudHuawei
	case strings.HasSuffix(host, ".otc.t-systems.com"):
		return cloudOTC
	}
	return ""
}

// cloudOf names the cloud of a project: the endpoint's, else the one whose region the name
// starts with (d is nil while the provider's configuration is unknown).
func cloudOf(d *providerData, projectName string) string {
	if d != nil && d.cloud != "" {
		return d.cloud
	}
	if otcRegions[regionOf(projectName)] {
		return cloudOTC
	}
	return cloudHuawei
}
