package client

import (
	"errors"
	"net/http"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// classify says what an error means for retrying and what a person can do about it.
func (c *Client) classify(op operation, e *transport.APIError) {
	switch {
	case e.StatusCode == http.StatusTooManyRequests || e.Code == "APIGW.0308":
		e.Throttled = true
		e.Hint = "The IAM API's rate limit was exceeded. Lower the provider's max_requests_per_second or run terraform with a lower -parallelism."
	case e.StatusCode >= 500:
		e.Temporary = true
	case e.StatusCode == http.StatusUnauthorized:
		e.Hint = c.unauthorizedHint(op)
	case e.StatusCode == http.StatusForbidden:
		e.Hint = "The credentials are valid but lack permission: managing IAM projects needs the Security Administrator role (or an IAM policy allowing the iam:projects:* actions) in the account."
	case e.StatusCode == http.StatusConflict:
		e.Hint = "A project with that name already exists in the account. Choose another name or import the existing project."
	case isMissingAPI(e):
		e.Hint = "This cloud's API gateway does not offer this call."
	}
}

func (c *Client) unauthorizedHint(op operation) string {
	if op.name == OpCreateToken {
		return "The user name, password or domain name was refused. Check user_name (HW_USER_NAME, OS_USERNAME), password (HW_USER_PASSWORD, OS_PASSWORD) and domain_name (HW_DOMAIN_NAME, OS_DOMAIN_NAME), and that the user is not locked or required to change its password."
	}
	switch c.kind {
	case CredentialToken:
		return "The token is missing, invalid or expired (tokens are valid for 24 hours, and on Open Telekom Cloud deleting a project revokes every token of the account). Give a new token (HW_AUTH_TOKEN, OS_TOKEN), or give user_name/password/domain_name so the provider can fetch and renew tokens itself."
	case CredentialAKSK:
		return "The AK/SK signature was refused. Check access_key (HW_ACCESS_KEY), secret_key (HW_SECRET_KEY), domain_id (HW_DOMAIN_ID), security_token for temporary keys (HW_SECURITY_TOKEN), and this machine's clock (signatures expire after 15 minutes)."
	case CredentialPassword:
		return "The token was refused even after fetching a new one. Check that the user may still sign in to the domain."
	}
	return ""
}

// isMissingAPI says the gateway does not know the method and path at all (APIGW.0101, or a 405
// or 501 in one of IAM's envelopes), which is different from a missing project.
func isMissingAPI(e *transport.APIError) bool {
	return (e.StatusCode == http.StatusNotFound && e.Code == "APIGW.0101") ||
		((e.StatusCode == http.StatusMethodNotAllowed || e.StatusCode == http.StatusNotImplemented) && e.Code != "")
}

// NotFoundError says a lookup found nothing: no project by that name, no region project.
type NotFoundError struct {
	// What names what was looked for, e.g. `project named "eu-de_x"`.
	What string
}

func (e *NotFoundError) Error() string { return "no " + e.What }

// IsNotFound reports whether err says the project does not exist: a finder's *NotFoundError,
// or a 404 in one of IAM's error envelopes that is not the gateway's "this API does not
// exist". A 404 without such an envelope (an HTML page of a proxy or of another service) is
// not proof that a project is gone.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	var region *RegionProjectNotFoundError
	if errors.As(err, &nf) || errors.As(err, &region) {
		return true
	}
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound && e.Code != "" && !isMissingAPI(e)
}

// IsAuthFailure reports whether err says the credentials themselves were refused (HTTP 401:
// missing, invalid or expired), as opposed to lacking a permission.
func IsAuthFailure(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusUnauthorized
}

// IsPermissionDenied reports whether err says valid credentials lack the rights (HTTP 403).
func IsPermissionDenied(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusForbidden
}

// IsWrongService reports whether err says the endpoint answered as no IAM API would: a 404
// that is not in one of IAM's envelopes (transport.IsForeignAnswer), the gateway's "this API
// does not exist" for a call every IAM API offers, or a success whose body is not what IAM
// sends.
func IsWrongService(err error) bool {
	if transport.IsForeignAnswer(err) || transport.IsBadAnswer(err) {
		return true
	}
	e, ok := transport.AsAPIError(err)
	return ok && isMissingAPI(e)
}

// IsAPIMissing reports whether err says the cloud does not offer the call, as Huawei Cloud
// answers DELETE /v3/projects/{id}.
func IsAPIMissing(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && isMissingAPI(e)
}

// IsConflict reports whether err is a 409, e.g. a duplicate project name.
func IsConflict(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.StatusCode == http.StatusConflict
}
