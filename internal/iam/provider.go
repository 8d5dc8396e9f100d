// Package iam is the `iam` Terraform provider: IAM projects of Huawei Cloud and Open Telekom
// Cloud, which share the Keystone v3 API and differ in endpoint and in whether a project can be
// deleted.
package iam

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
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
)

// allEnv lists every environment variable the provider reads.
func allEnv() []string {
	var all []string
	for _, names := range [][]string{EnvAuthURL, EnvToken, EnvAccessKey, EnvSecretKey, EnvSecurityToken, EnvDomainID, EnvUserName, EnvPassword, EnvDomainName} {
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
}

// providerModel is the provider block.
type providerModel struct {
	AuthURL              types.String  `tfsdk:"auth_url"`
	Token                types.String  `tfsdk:"token"`
	AccessKey            types.String  `tfsdk:"access_key"`
	SecretKey            types.String  `tfsdk:"secret_key"`
	SecurityToken        types.String  `tfsdk:"security_token"`
	DomainID             types.String  `tfsdk:"domain_id"`
	UserName             types.String  `tfsdk:"user_name"`
	Password             types.String  `tfsdk:"password"`
	DomainName           types.String  `tfsdk:"domain_name"`
	MaxRequestsPerSecond types.Float64 `tfsdk:"max_requests_per_second"`
	SkipConflictCheck    types.Bool    `tfsdk:"skip_conflict_check"`
}

// providerData is what the provider hands its resources and data sources.
type providerData struct {
	client *client.Client
	// skipConflictCheck turns off the plan-time check that a new project's name is free.
	skipConflictCheck bool
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
					"Lower it, or terraform's `-parallelism`, when applies report throttling.",
					client.DefaultRequestsPerSecond),
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"skip_conflict_check": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip the plan-time check that an `iam_project` about to be created does not take a `name` another project " +
					"of the account already has. The check costs one `GET /v3/projects?name=...` per planned create; without it a taken name " +
					"is reported when the apply's create fails with HTTP 409. Defaults to `false`.",
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
	if providerutil.AnyUnknown(m.AuthURL, m.Token, m.AccessKey, m.SecretKey, m.SecurityToken, m.DomainID, m.UserName, m.Password, m.DomainName, m.MaxRequestsPerSecond, m.SkipConflictCheck) {
		// Values that depend on other resources are known only at apply; configure then.
		tflog.Debug(ctx, "iam provider configuration has unknown values; deferring client creation")
		return
	}
	c := resolve(m)
	kind := c.check(&resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg := client.Config{
		AuthURL:           c.authURL,
		RequestsPerSecond: m.MaxRequestsPerSecond.ValueFloat64(),
		UserAgent:         providerutil.UserAgent(TypeName, p.version),
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
	tflog.Debug(ctx, "iam provider configured", map[string]any{"auth_url": cl.AuthURL(), "credentials": kind.String()})
	data := &providerData{client: cl, skipConflictCheck: m.SkipConflictCheck.ValueBool()}
	resp.ResourceData = data
	resp.DataSourceData = data
}

func (p *Provider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewProjectResource}
}

func (p *Provider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewProjectDataSource, NewProjectsDataSource}
}
