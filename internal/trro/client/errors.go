package client

import (
	"errors"
	"strings"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// classify says what an error code means for retrying and what a person can do about it.
func classify(e *transport.APIError) {
	switch {
	case strings.HasPrefix(e.Code, "RequestLimitExceeded"):
		e.Throttled = true
		e.Hint = "TRRO allows 20 requests per second per action. Lower the provider's max_requests_per_second or run terraform with a lower -parallelism."
	case strings.HasPrefix(e.Code, "InternalError"), e.StatusCode >= 500:
		e.Temporary = true
	case e.Code == "AuthFailure.SignatureExpire":
		e.Hint = "The request's timestamp is more than 5 minutes away from the server's clock. Check this machine's clock (NTP)."
	case e.Code == "AuthFailure.SecretIdNotFound", e.Code == "AuthFailure.InvalidSecretId":
		e.Hint = "Check secret_id (TENCENTCLOUD_SECRET_ID): the key does not exist or is disabled."
	case e.Code == "AuthFailure.SignatureFailure":
		e.Hint = "Check secret_key (TENCENTCLOUD_SECRET_KEY): it does not match secret_id."
	case e.Code == "AuthFailure.TokenFailure":
		e.Hint = "Check security_token (TENCENTCLOUD_SECURITY_TOKEN): temporary credentials need their current token."
	case strings.HasPrefix(e.Code, "UnauthorizedOperation"), strings.HasPrefix(e.Code, "OperationDenied"),
		e.Code == "AuthFailure.UnauthorizedOperation":
		e.Hint = "The credentials lack permission for this TRRO action (CAM policy)."
	}
}

// NotFoundError says a lookup found no project; the API's own not-found answer is an
// *transport.APIError with a ResourceNotFound code instead. IsNotFound is true for both.
type NotFoundError struct {
	// What describes what was looked for, e.g. `a project named "payments"`.
	What string
}

func (e *NotFoundError) Error() string { return "TRRO has no " + strings.TrimPrefix(e.What, "a ") }

// IsNotFound reports whether err says the project does not exist: the API's documented
// ResourceNotFound answer, or a finder that found nothing. A bad answer is never "not found".
func IsNotFound(err error) bool {
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return true
	}
	e, ok := transport.AsAPIError(err)
	return ok && strings.HasPrefix(e.Code, "ResourceNotFound")
}

// IsAuthFailure reports whether err says the credentials themselves are wrong (unknown key,
// bad signature, stale clock, missing token), as opposed to lacking a permission.
func IsAuthFailure(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && strings.HasPrefix(e.Code, "AuthFailure") && e.Code != "AuthFailure.UnauthorizedOperation"
}

// IsPermissionDenied reports whether err says the credentials lack a CAM permission.
func IsPermissionDenied(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && (strings.HasPrefix(e.Code, "UnauthorizedOperation") || strings.HasPrefix(e.Code, "OperationDenied") ||
		e.Code == "AuthFailure.UnauthorizedOperation")
}

// IsWrongService reports whether err shows that the endpoint is not the TRRO API: its answer
// is not a TRRO answer at all (transport.IsForeignAnswer), or the API there knows neither the
// action nor the version.
func IsWrongService(err error) bool {
	if transport.IsForeignAnswer(err) {
		return true
	}
	e, ok := transport.AsAPIError(err)
	return ok && (e.Code == "InvalidAction" || e.Code == "NoSuchVersion" || e.Code == "UnsupportedOperation.ActionNotFound")
}
