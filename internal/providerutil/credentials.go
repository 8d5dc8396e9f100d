package providerutil

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// CheckedCredentials remembers the credential sets a provider has checked at configure:
// Terraform configures the provider for every command (and a test process several times), and a
// set proved once stays good for the process, so each set costs one call. Its zero value is
// ready; each provider keeps one.
type CheckedCredentials struct{ keys sync.Map }

// CredentialSet is what a credential check proves: every setting that decides where and how the
// requests go (the endpoint, the region, the TLS settings) and with which identity. Two
// configurations that differ in any of them are checked apart; Key keeps none of the secrets.
type CredentialSet struct {
	// Endpoint is the URL the client calls, defaults applied.
	Endpoint string
	// Region is where the cloud routes the calls ("" for a cloud without one).
	Region string
	// TLS are the TLS settings the client's HTTP client is built with.
	TLS transport.TLSSettings
	// Identity are the credentials in use (ids, secrets, tokens, account names), each in a
	// place of its own, empty when not given.
	Identity []string
}

// Key identifies the set by a hash of all its parts, each prefixed by its length so that no two
// sets share a key.
func (s CredentialSet) Key() string {
	parts := append([]string{s.Endpoint, s.Region, s.TLS.CAFile, s.TLS.CAPEM, strconv.FormatBool(s.TLS.Insecure)}, s.Identity...)
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Checked reports whether the credential set key was proved before.
func (c *CheckedCredentials) Checked(key string) bool {
	_, ok := c.keys.Load(key)
	return ok
}

// Remember records that the credential set key was proved.
func (c *CheckedCredentials) Remember(key string) { c.keys.Store(key, nil) }

// RememberAnswer records that the credential set key was proved, keeping what the check
// answered (e.g. the organizations the key can see) for later configurations of the process.
func (c *CheckedCredentials) RememberAnswer(key string, answer any) { c.keys.Store(key, answer) }

// Answer returns what RememberAnswer kept for key, and whether key was proved.
func (c *CheckedCredentials) Answer(key string) (any, bool) { return c.keys.Load(key) }

// CredentialCheck is one provider's credential check at configure: the cloud's call and
// predicates, and the names its messages use. What an outcome becomes (an error or a warning,
// and what it says) is the same for every provider: see Classify and Check.
type CredentialCheck struct {
	// Provider is the provider's type, e.g. "trro"; Service the API's name, e.g. "TRRO".
	Provider, Service string
	// Call names the API call the check makes, e.g. "DescribeProjectList".
	Call string
	// Set is what the check proves; Set.Endpoint is named in the messages.
	Set CredentialSet
	// EndpointAttribute is the argument that sets the endpoint ("endpoint", "auth_url"), to
	// which errors about the endpoint are attached; EndpointSetting names it with its variables,
	// e.g. "endpoint (TRRO_ENDPOINT)"; EndpointShouldBe says what it must be, e.g. "the TRRO
	// API, such as https://trro.tencentcloudapi.com".
	EndpointAttribute, EndpointSetting, EndpointShouldBe string
	// Settings are the credential settings to check when the credentials are refused.
	Settings []Setting
	// Skip says how to turn the check off, e.g. "skip_credentials_validation = true (or
	// TRRO_SKIP_CREDENTIALS_VALIDATION=true)".
	Skip string
	// PermissionNote says what the provider cannot do while the credentials may not make Call
	// ("" when nothing else depends on it).
	PermissionNote string
	// Run makes the call. Its answer is kept for the process (see Answer).
	Run func(ctx context.Context) (any, error)
	// IsAuthFailure reports the cloud's answers that refuse the credentials themselves (unknown
	// key, bad signature, expired token); an HTTP 401 from the API counts as one anyway.
	IsAuthFailure func(error) bool
	// IsPermissionDenied reports the cloud's answers that accept the credentials but refuse
	// the call for lack of permission; an HTTP 403 from the API counts as one anyway.
	IsPermissionDenied func(error) bool
	// IsWrongService reports the answers that show the endpoint is not the cloud's API (beyond
	// transport.IsForeignAnswer, which always counts).
	IsWrongService func(error) bool
}

// CredentialOutcome is what the result of a credential check means.
type CredentialOutcome int

// The outcomes, in the order Classify tests them. The first four after CredentialsProved are
// errors: `terraform plan` fails at configure. The others are warnings: the check says nothing
// sure about the credentials, and Terraform goes on.
const (
	// CredentialsProved: the call succeeded; the set is remembered for the process.
	CredentialsProved CredentialOutcome = iota
	// EndpointUnusable (error): the host does not resolve, refuses connections or is not
	// trusted (transport.EndpointError), or it answered with a redirect, which is never followed.
	EndpointUnusable
	// EndpointNotTheAPI (error): what answers is not the cloud's API: a foreign answer (another
	// service, a web server's page) or one the cloud's predicate says no such API gives.
	EndpointNotTheAPI
	// CredentialsRefused (error): the API refused the credentials (HTTP 401, or the cloud's own
	// authentication failure codes).
	CredentialsRefused
	// AnswerUntrustworthy (error): a success whose body does not prove it
	// (transport.BadAnswerError), which no operation would trust either.
	AnswerUntrustworthy
	// CredentialsLackPermission (warning): the API accepted the credentials but refused the
	// call for lack of permission (HTTP 403, or the cloud's own codes).
	CredentialsLackPermission
	// CheckThrottled (warning): the API refused the call for rate until the check gave up.
	CheckThrottled
	// CheckTimedOut (warning): no answer within PlanLookupTimeout.
	CheckTimedOut
	// CheckFailed (warning): anything else, such as a server fault (5xx, whatever its body) or a
	// connection that kept failing: it does not say whether the credentials are right.
	CheckFailed
)

// IsError reports whether the outcome fails the configuration.
func (o CredentialOutcome) IsError() bool {
	return o == EndpointUnusable || o == EndpointNotTheAPI || o == CredentialsRefused || o == AnswerUntrustworthy
}

func (o CredentialOutcome) String() string {
	return [...]string{"proved", "endpoint unusable", "endpoint not the API", "credentials refused", "answer untrustworthy",
		"permission missing", "throttled", "timed out", "failed"}[o]
}

// Classify says what err, the result of c's call, means. The rule is the same for every
// provider; only the predicates are the cloud's.
func (c CredentialCheck) Classify(err error) CredentialOutcome {
	api, isAPI := transport.AsAPIError(err)
	foreign := transport.IsForeignAnswer(err)
	is := func(pred func(error) bool) bool { return pred != nil && pred(err) }
	switch {
	case err == nil:
		return CredentialsProved
	case transport.IsEndpointError(err), transport.IsRedirect(err):
		return EndpointUnusable
	case transport.IsThrottled(err):
		return CheckThrottled
	case transport.IsTimeout(err):
		return CheckTimedOut
	case isAPI && api.Temporary:
		// A server fault may heal, even when a load balancer's page answers it.
		return CheckFailed
	case foreign, is(c.IsWrongService):
		return EndpointNotTheAPI
	case is(c.IsAuthFailure), isAPI && api.StatusCode == http.StatusUnauthorized:
		return CredentialsRefused
	case transport.IsBadAnswer(err):
		return AnswerUntrustworthy
	case is(c.IsPermissionDenied), isAPI && api.StatusCode == http.StatusForbidden:
		return CredentialsLackPermission
	}
	return CheckFailed
}

// Check proves c.Set once per provider process: it makes c's call, bounded by
// PlanLookupTimeout, unless the set was proved before, and reports the outcome (see Classify)
// as an error or a warning with the cloud's code, message and request id. It returns the
// call's answer, the one kept from an earlier check, or nil when the set is not proved.
func (cc *CheckedCredentials) Check(ctx context.Context, c CredentialCheck, diags *diag.Diagnostics) any {
	key := c.Set.Key()
	if answer, ok := cc.Answer(key); ok {
		return answer
	}
	// The check serves no resource; naming it keeps every API log line filterable by type.
	ctx = transport.LogFields(ctx, map[string]any{"tf_resource_type": "provider." + c.Provider})
	ctx, cancel := transport.WithTimeout(ctx, PlanLookupTimeout)
	defer cancel()
	answer, err := c.Run(ctx)
	outcome := c.Classify(err)
	if outcome == CredentialsProved {
		cc.RememberAnswer(key, answer)
		return answer
	}
	c.report(outcome, err, diags)
	return nil
}

// report adds the diagnostic of a check that did not prove the credentials.
func (c CredentialCheck) report(outcome CredentialOutcome, err error, diags *diag.Diagnostics) {
	skip := "To skip this check, set " + c.Skip + "."
	check := fmt.Sprintf("Check %s: it must be %s, or a mock of it.", c.EndpointSetting, c.EndpointShouldBe)
	endpointError := func(summary, detail string) {
		diags.AddAttributeError(path.Root(c.EndpointAttribute), summary, detail+"\n\n"+skip)
	}
	notChecked := fmt.Sprintf("%s provider credentials not checked", c.Provider)
	switch outcome {
	case EndpointUnusable:
		endpointError(fmt.Sprintf("Cannot use the %s provider's endpoint", c.Provider),
			fmt.Sprintf("The credential check (%s) could not use %s:\n\n%s", c.Call, c.Set.Endpoint, ErrorDetail(err)))
	case EndpointNotTheAPI:
		how := "as no " + c.Service + " API would"
		if f, ok := transport.AsForeignAnswer(err); ok {
			how = "with " + f.Summary() + ", which is not a " + c.Service + " answer"
		}
		endpointError(fmt.Sprintf("The %s provider's endpoint is not the %s API", c.Provider, c.Service),
			fmt.Sprintf("%s answered the credential check (%s) %s: the endpoint does not look like the %s API. It is probably "+
				"another service, a proxy, or the right host with the wrong path. %s\n\n%s",
				c.Set.Endpoint, c.Call, how, c.Provider, check, answerDetail(err)))
	case CredentialsRefused:
		diags.AddError(fmt.Sprintf("Invalid %s provider credentials", c.Provider),
			fmt.Sprintf("%s refused the credentials when the provider checked them with %s at %s.\n\n%s\n\nCheck these settings:\n%s\n\n%s",
				c.Service, c.Call, c.Set.Endpoint, ErrorDetail(err), SettingsList(c.Settings), skip))
	case AnswerUntrustworthy:
		endpointError(fmt.Sprintf("Untrustworthy answer to the %s provider's credential check", c.Provider),
			fmt.Sprintf("%s answered the credential check (%s) with a success that its body does not prove, so the credentials are "+
				"not proved, and no operation would trust such an answer either. %s\n\n%s", c.Set.Endpoint, c.Call, check, ErrorDetail(err)))
	case CredentialsLackPermission:
		note := ""
		if c.PermissionNote != "" {
			note = " " + c.PermissionNote
		}
		diags.AddWarning(fmt.Sprintf("%s provider credentials not fully checked", c.Provider),
			fmt.Sprintf("%s accepted the credentials but refused %s for lack of permission.%s Terraform goes on; any operation "+
				"that needs the permission fails with the same error.\n\n%s\n\n%s", c.Service, c.Call, note, ErrorDetail(err), skip))
	case CheckThrottled:
		diags.AddWarning(notChecked,
			fmt.Sprintf("%s refused the credential check (%s) for rate until the check gave up, so the credentials were not checked. "+
				"Terraform goes on; the operations retry throttled calls within their own timeouts.\n\n%s\n\n%s",
				c.Service, c.Call, ErrorDetail(err), skip))
	case CheckTimedOut:
		diags.AddWarning(notChecked,
			fmt.Sprintf("%s did not answer the credential check (%s) within %s, the bound of plan-time lookups, so the credentials "+
				"were not checked. Terraform goes on; the operations have their own timeouts.\n\n%s\n\n%s",
				c.Service, c.Call, transport.ShortDuration(PlanLookupTimeout), ErrorDetail(err), skip))
	default:
		diags.AddWarning(notChecked,
			fmt.Sprintf("The credential check (%s) at %s failed for a reason that does not say whether the credentials are right, "+
				"so they were not checked; Terraform goes on.\n\n%s\n\n%s", c.Call, c.Set.Endpoint, ErrorDetail(err), skip))
	}
}

// answerDetail describes the answer of an endpoint that is not the API. A foreign answer (a web
// server's page, another service's JSON) is described by its status, content type, request id
// and what is wrong with it, never dumped: it may be large and is no use to quote. An answer in
// the API's own format is shown as any API error.
func answerDetail(err error) string {
	f, ok := transport.AsForeignAnswer(err)
	if !ok {
		return ErrorDetail(err)
	}
	var b strings.Builder
	line := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%s: %s\n", name, value)
		}
	}
	ct := f.ContentType
	if ct == "" {
		ct = "no content type"
	}
	var hint string
	if api, ok := transport.AsAPIError(err); ok {
		line("Operation", api.Service+" "+api.Operation)
		line("HTTP status", fmt.Sprintf("%d (%s)", f.StatusCode, ct))
		if api.Code != "" {
			// A gateway's own envelope: its code and message are the API's words.
			line("Error code", api.Code)
			line("Message", api.Message)
		}
		line("Request ID", api.RequestID)
		hint = api.Hint
	} else if bad, ok := asBadAnswer(err); ok {
		line("Operation", bad.Service+" "+bad.Operation)
		line("HTTP status", fmt.Sprintf("%d (%s)", f.StatusCode, ct))
		line("Request ID", bad.RequestID)
		line("What is wrong", bad.Reason)
	} else {
		line("HTTP status", fmt.Sprintf("%d (%s)", f.StatusCode, ct))
	}
	if hint != "" {
		fmt.Fprintf(&b, "\n%s\n", hint)
	}
	return strings.TrimRight(b.String(), "\n")
}

func asBadAnswer(err error) (*transport.BadAnswerError, bool) {
	var bad *transport.BadAnswerError
	ok := errors.As(err, &bad)
	return bad, ok
}
