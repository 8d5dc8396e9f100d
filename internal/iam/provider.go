// Package iam is the `iam` Terraform provider: IAM projects of Huawei Cloud and Open Telekom
// Cloud, which share the Keystone v3 API and differ in endpoint and in whether a project can be
// deleted.
package iam

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
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

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// TypeName is the provider's type, the prefix of its resources.
const TypeName = "iam"

// Environment variables: the huaweicloud provider's names first, then the OpenStack names the
// opentelekomcloud provider and the OpenStack tools use.
var (
	EnvAuthURL       = []string{"HW_AUTH_URL", "OS_AUTH_URL"}
	EnvToken         = []string{"HW_AUTH_TOKEN", "OS_AUTH_TOKEN", "OS_TOKEN"}
	EnvAccessKey     = []string{"HW_ACCESS_KEY", "OS_ACCESS_KEY"}
	EnvSecretKey     = []string{"HW_SECRET_KEY", "OS_SECRET_KEY"}
	EnvSecurityToken = []string{"HW_SECURITY_TOKEN"}
	EnvDomainID      = []string{"HW_DOMAIN_ID"}
	EnvUserName      = []string{"HW_USER_NAME", "OS_USERNAME"}
	EnvPassword      = []string{"HW_USER_PASSWORD", "OS_PASSWORD"}
	EnvDomainName    = []string{"HW_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_USER_DOMAIN_NAME"}
	// EnvCACert and EnvInsecure are the huaweicloud and opentelekomcloud providers' names.
	EnvCACert   = []string{"OS_CACERT"}
	EnvInsecure = []string{"HW_INSECURE", "OS_INSECURE"}
	// The opt-ins below have no counterpart in the other providers: HW_, as HW_AUTH_URL.
	EnvAllowPlaintextHTTP        = []string{"HW_ALLOW_PLAINTEXT_HTTP"}
	EnvSkipCredentialsValidation = []string{"HW_SKIP_CREDENTIALS_VALIDATION"}
	EnvConflictCheck             = []string{"HW_CONFLICT_CHECK"}
)

// allEnv lists every environment variable the provider reads.
func allEnv() []string {
	var all []string
	for _, names := range [][]string{EnvAuthURL, EnvToken, EnvAccessKey, EnvSecretKey, EnvSecurityToken, EnvDomainID, EnvUserName, EnvPassword, EnvDomainName,
		EnvCACert, EnvInsecure, EnvAllowPlaintextHTTP, EnvSkipCredentialsValidation, EnvConflictCheck} {
		all = append(all, names...)
	}
	return all
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
	// lookups shares the listings of concurrent creates' lookups (CreateAdopting's Find), per
	// domain.
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

func envList(names []string) string {
	return "`" + strings.Join(names, "`, `") + "`"
}

func (p *Provider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages IAM projects of Huawei Cloud and Open Telekom Cloud through their Keystone v3 IAM API. " +
			"Give exactly one complete set of credentials: `token`; or `access_key`, `secret_key` and `domain_id`; or `user_name`, `password` and `domain_name`. " +
			"When several are given, they are used in that order.",
		Attributes: map[string]schema.Attribute{
			"auth_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Full URL of the IAM endpoint, with or without the trailing `/v3`. Falls back to " + envList(EnvAuthURL) +
					", then `" + client.DefaultAuthURL + "` (Huawei Cloud). Open Telekom Cloud: `https://iam.eu-de.otc.t-systems.com/v3`, " +
					"`https://iam.eu-nl.otc.t-systems.com/v3` or `https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3`.",
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "An IAM token (`X-Auth-Token`) with Security Administrator rights, used as it is: the provider cannot renew it. " +
					"Falls back to " + envList(EnvToken) + ". Takes precedence over the other credentials.",
			},
			"access_key": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Access key (AK) for AK/SK request signing (`SDK-HMAC-SHA256`). Falls back to " + envList(EnvAccessKey) + ".",
			},
			"secret_key": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Secret key (SK) of `access_key`. Falls back to " + envList(EnvSecretKey) + ".",
			},
			"security_token": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Security token of a temporary access key. Falls back to " + envList(EnvSecurityToken) + ".",
			},
			"domain_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Account (domain) id, sent as `X-Domain-Id` with AK/SK signing, which IAM requires. Falls back to " +
					envList(EnvDomainID) + ".",
			},
			"user_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "IAM user name, exchanged with `password` for a domain-scoped token. Falls back to " + envList(EnvUserName) + ".",
			},
			"password": schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "Password of `user_name`. Falls back to " + envList(EnvPassword) + ".",
			},
			"domain_name": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Account (domain) name of `user_name`, also the token's scope. Falls back to " + envList(EnvDomainName) + ".",
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
				MarkdownDescription: providerutil.ConflictCheckDescription("iam_project", "name", EnvConflictCheck[0]),
				Validators:          []validator.String{stringvalidator.OneOf(providerutil.ConflictModes...)},
			},
			"cacert_file": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Certificate authorities to trust for `auth_url` in addition to the system's, as the path of a PEM file " +
					"or the PEM text itself (as the huaweicloud and opentelekomcloud providers take it), for an endpoint whose certificate " +
					"a private CA signed. Falls back to " + envList(EnvCACert) + ". `ca_file` is the same setting under the name the other " +
					"projectkit providers use; give only one.",
			},
			"ca_file": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The same as `cacert_file`, under the name the other projectkit providers use. Give only one of the two.",
			},
			"insecure": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verifying the certificate of `auth_url` (for test installations only: anyone on the path could " +
					"read the credentials). The provider warns whenever it is set. Falls back to " + envList(EnvInsecure) + ". Defaults to `false`.",
			},
			"allow_plaintext_http": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Allow an `http://` `auth_url` on a host that is not loopback. Without it such an `auth_url` is refused, " +
					"since the password, tokens or signed requests would travel in clear; `http://127.0.0.1` and `http://localhost` are " +
					"always allowed. Falls back to " + envList(EnvAllowPlaintextHTTP) + ". Defaults to `false`.",
			},
			"skip_credentials_validation": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip checking the credentials when the provider is configured. The check costs one " +
					"`GET /v3/auth/domains` (after the token request with a password) per set of credentials and provider process, so " +
					"that wrong credentials or a wrong `auth_url` fail `terraform plan` at once. Falls back to " +
					envList(EnvSkipCredentialsValidation) + ". Defaults to `false`.",
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
		authURL:       providerutil.StringOrEnv(m.AuthURL, EnvAuthURL...),
		token:         providerutil.StringOrEnv(m.Token, EnvToken...),
		accessKey:     providerutil.StringOrEnv(m.AccessKey, EnvAccessKey...),
		secretKey:     providerutil.StringOrEnv(m.SecretKey, EnvSecretKey...),
		securityToken: providerutil.StringOrEnv(m.SecurityToken, EnvSecurityToken...),
		domainID:      providerutil.StringOrEnv(m.DomainID, EnvDomainID...),
		userName:      providerutil.StringOrEnv(m.UserName, EnvUserName...),
		password:      providerutil.StringOrEnv(m.Password, EnvPassword...),
		domainName:    providerutil.StringOrEnv(m.DomainName, EnvDomainName...),
	}
}

// check picks the credential set by precedence (token, AK/SK, password) and reports an
// incomplete set, or the absence of any, naming what is missing and where it can be given.
func (c credentials) check(diags *diag.Diagnostics) client.CredentialKind {
	setting := func(arg string, env []string) providerutil.Setting {
		return providerutil.Setting{Argument: arg, Env: env}
	}
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
			setting("access_key", EnvAccessKey), setting("secret_key", EnvSecretKey), setting("domain_id", EnvDomainID)) {
			return 0
		}
		return client.CredentialAKSK
	case c.userName != "" || c.password != "":
		if !complete("Password", []string{c.userName, c.password, c.domainName},
			setting("user_name", EnvUserName), setting("password", EnvPassword), setting("domain_name", EnvDomainName)) {
			return 0
		}
		return client.CredentialPassword
	}
	diags.AddError("Missing iam provider credentials",
		"The iam provider needs one complete set of credentials, in the provider block or in the environment:\n"+
			"  - a token: "+setting("token", EnvToken).String()+"\n"+
			"  - an access key: "+setting("access_key", EnvAccessKey).String()+", "+setting("secret_key", EnvSecretKey).String()+
			" and "+setting("domain_id", EnvDomainID).String()+"\n"+
			"  - a password: "+setting("user_name", EnvUserName).String()+", "+setting("password", EnvPassword).String()+
			" and "+setting("domain_name", EnvDomainName).String())
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
	conflictCheck := providerutil.ConflictModeOf(m.ConflictCheck, m.SkipConflictCheck, EnvConflictCheck[0], &resp.Diagnostics)
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
		"allow_plaintext_http = true in the provider block (or "+EnvAllowPlaintextHTTP[0]+"=true)"); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("auth_url"), "Refusing to send the iam provider's credentials in clear", err.Error())
		return
	}
	httpClient, err := newHTTPClient(opts.caCert, opts.insecure)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("cacert_file"), "Cannot use the iam provider's CA certificates",
			fmt.Sprintf("%v. Check cacert_file or ca_file (%s): a PEM file's path or PEM text.", err, strings.Join(EnvCACert, ", ")))
		return
	}
	if opts.insecure {
		resp.Diagnostics.AddAttributeWarning(path.Root("insecure"), "The iam provider does not verify the IAM endpoint's certificate",
			fmt.Sprintf("insecure = true (or %s) turns off the verification of %s's TLS certificate: anyone on the network path could "+
				"pose as the IAM API and read the credentials. Use it only for test installations; for a private CA, give its "+
				"certificate in cacert_file instead.", strings.Join(EnvInsecure, " or "), base.Host))
	}
	cfg := client.Config{
		AuthURL:           authURL,
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
		HTTPClient:        httpClient,
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
		resp.Diagnostics.AddError("Invalid iam provider configuration", err.Error())
		return
	}
	if !opts.skipValidation {
		key := providerutil.CredentialKey(cfg.AuthURL, cfg.Token, cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken, cfg.DomainID,
			cfg.UserName, cfg.Password, cfg.DomainName, opts.caCert, strconv.FormatBool(opts.insecure))
		p.validateCredentials(ctx, cl, key, &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	tflog.Debug(ctx, "iam provider configured", map[string]any{"auth_url": cl.AuthURL(), "credentials": kind.String()})
	data := &providerData{
		client:        cl,
		knownIDs:      &providerutil.KnownIDs{},
		names:         &nameIndex{},
		conflictCheck: conflictCheck,
		cloud:         cloudOfHost(base.Hostname()),
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// options are the provider's settings besides the credentials, after the environment fallbacks.
type options struct {
	caCert                                   string
	insecure, allowPlaintext, skipValidation bool
}

func resolveOptions(m providerModel, diags *diag.Diagnostics) options {
	if !m.CACertFile.IsNull() && !m.CAFile.IsNull() && m.CACertFile.ValueString() != m.CAFile.ValueString() {
		diags.AddAttributeError(path.Root("ca_file"), "Conflicting CA settings",
			"cacert_file and ca_file are the same setting under two names, and they differ here: give only one.")
	}
	ca := m.CACertFile
	if ca.IsNull() {
		ca = m.CAFile
	}
	return options{
		caCert:         providerutil.StringOrEnv(ca, EnvCACert...),
		insecure:       providerutil.BoolOrEnv(m.Insecure, "insecure", diags, EnvInsecure...),
		allowPlaintext: providerutil.BoolOrEnv(m.AllowPlaintextHTTP, "allow_plaintext_http", diags, EnvAllowPlaintextHTTP...),
		skipValidation: providerutil.BoolOrEnv(m.SkipCredentialsValidation, "skip_credentials_validation", diags, EnvSkipCredentialsValidation...),
	}
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

// newHTTPClient is the client's HTTP client with the TLS settings: caCert is a PEM file's
// path or, as the huaweicloud provider also takes it, PEM text.
func newHTTPClient(caCert string, insecure bool) (*http.Client, error) {
	if !strings.Contains(caCert, "-----BEGIN") {
		return transport.NewHTTPClient(transport.TLSSettings{CAFile: caCert, Insecure: insecure})
	}
	c, err := transport.NewHTTPClient(transport.TLSSettings{Insecure: insecure})
	if err != nil {
		return nil, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM([]byte(caCert)) {
		return nil, errors.New("the PEM text holds no certificate")
	}
	t, ok := c.Transport.(*http.Transport)
	if !ok {
		return nil, fmt.Errorf("unexpected transport %T", c.Transport)
	}
	if t.TLSClientConfig == nil {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	t.TLSClientConfig.RootCAs = pool
	return c, nil
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource}
}

// validateCredentials makes the client's cheapest authenticated call once per credential set
// (see providerutil.CheckedCredentials), so that wrong credentials or an auth_url that is not IAM fail `terraform plan`
// with the cloud's answer rather than pass it and fail the apply. What may heal (a slow or
// failing API) only warns: the operations have their own retries and timeouts.
func (p *Provider) validateCredentials(ctx context.Context, cl *client.Client, key string, diags *diag.Diagnostics) {
	if p.checked.Checked(key) {
		return
	}
	// The check serves no resource; naming it keeps every API log line filterable by type.
	ctx = transport.LogFields(ctx, map[string]any{"tf_resource_type": "provider." + TypeName})
	ctx, cancel := transport.WithTimeout(ctx, providerutil.PlanLookupTimeout)
	defer cancel()
	err := cl.ValidateCredentials(ctx)
	switch {
	case err == nil:
		p.checked.Remember(key)
	case client.IsAuthFailure(err):
		diags.AddError("The iam provider's credentials were refused",
			fmt.Sprintf("Checking the credentials at %s failed: the IAM API refused them.\n\n%s\n\nSettings to check:\n%s\n\n%s",
				cl.AuthURL(), providerutil.ErrorDetail(err), providerutil.SettingsList(credentialSettings(cl.CredentialKind())), skipCheckHint))
	case client.IsWrongService(err):
		diags.AddAttributeError(path.Root("auth_url"), "Wrong auth_url: the endpoint does not look like the iam API",
			fmt.Sprintf("%s answered the credential check as no IAM (Keystone v3) API would, so it is probably another service, "+
				"a proxy, or the right host with the wrong path. Check %s: it should be the IAM endpoint, such as %s "+
				"(Huawei Cloud) or https://iam.eu-de.otc.t-systems.com/v3 (Open Telekom Cloud).\n\n%s",
				cl.AuthURL(), client.EndpointSetting, client.DefaultAuthURL, providerutil.ErrorDetail(err)))
	case transport.IsEndpointError(err):
		diags.AddAttributeError(path.Root("auth_url"), "Cannot reach the IAM API", err.Error())
	case transport.IsRedirect(err):
		diags.AddAttributeError(path.Root("auth_url"), "The auth_url redirects elsewhere", err.Error())
	case transport.IsTimeout(err):
		diags.AddWarning("iam provider credentials not checked",
			fmt.Sprintf("The IAM API did not answer the credential check within %s, the bound of plan-time lookups, so the credentials "+
				"were not checked. Terraform goes on; the operations have their own timeouts.", providerutil.PlanLookupTimeout))
	default:
		diags.AddWarning("iam provider credentials not checked",
			fmt.Sprintf("Checking the credentials at %s failed, so they were not checked; Terraform goes on.\n\n%s",
				cl.AuthURL(), providerutil.ErrorDetail(err)))
	}
}

// skipCheckHint says how to configure the provider without the credential check.
var skipCheckHint = fmt.Sprintf("To configure the provider without this check, set skip_credentials_validation = true (or %s=true).",
	EnvSkipCredentialsValidation[0])

// credentialSettings lists the settings a refused credential check asks the user to look at.
func credentialSettings(kind client.CredentialKind) []providerutil.Setting {
	set := func(arg string, env []string) providerutil.Setting {
		return providerutil.Setting{Argument: arg, Env: env}
	}
	settings := []providerutil.Setting{set("auth_url", EnvAuthURL)}
	switch kind {
	case client.CredentialToken:
		settings = append(settings, set("token", EnvToken))
	case client.CredentialAKSK:
		settings = append(settings, set("access_key", EnvAccessKey), set("secret_key", EnvSecretKey), set("domain_id", EnvDomainID),
			set("security_token", EnvSecurityToken))
	case client.CredentialPassword:
		settings = append(settings, set("user_name", EnvUserName), set("password", EnvPassword), set("domain_name", EnvDomainName))
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
