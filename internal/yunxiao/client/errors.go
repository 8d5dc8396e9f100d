package client

import (
	"errors"
	"net/http"
	"strings"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// classify says what an error code means for retrying and what a person can do about it.
func classify(e *transport.APIError) {
	switch {
	case strings.HasPrefix(e.Code, "Throttling"), e.StatusCode == http.StatusTooManyRequests:
		e.Throttled = true
		e.Hint = "Yunxiao refused the call for rate. Lower the provider's max_requests_per_second or run terraform with a lower -parallelism."
	case e.StatusCode >= 500, e.Code == "InternalError", e.Code == "ServiceUnavailable":
		e.Temporary = true
	case e.Code == "SignatureDoesNotMatch":
		e.Hint = "Check access_key_secret (ALIBABA_CLOUD_ACCESS_KEY_SECRET): it does not match access_key_id."
	case strings.HasPrefix(e.Code, "InvalidAccessKeyId"):
		e.Hint = "Check access_key_id (ALIBABA_CLOUD_ACCESS_KEY_ID): the AccessKey does not exist or is disabled."
	case strings.HasPrefix(e.Code, "InvalidSecurityToken"):
		e.Hint = "Check security_token (ALIBABA_CLOUD_SECURITY_TOKEN): temporary credentials need their current token."
	case strings.HasPrefix(e.Code, "InvalidTimeStamp"), e.Code == "SignatureNonceUsed":
		e.Hint = "The request's x-acs-date is too far from the server's clock, or its nonce was reused. Check this machine's clock (NTP)."
	case e.Code == "Operate.NoPermission":
		e.Hint = "The AccessKey's RAM user may not do this in the organization: check organization_id, " +
			"that the user is a member of that Yunxiao organization, and its permissions there."
	case strings.HasPrefix(e.Code, "InvalidAction"), strings.HasPrefix(e.Code, "InvalidApi"), strings.HasPrefix(e.Code, "InvalidVersion"):
		e.Hint = "The gateway does not know this devops API call, so " + WrongService + " but another Alibaba Cloud service. " +
			"Check endpoint (YUNXIAO_ENDPOINT)."
	}
}

// NotFoundError says the project does not exist (or no longer does): a lookup that found
// nothing, or a project the API shows deleted. Finders return one, wrapped, rather than
// (nil, nil).
type NotFoundError struct {
	// What names what was looked for, e.g. `project with custom code ABCD in organization 5ebb…`;
	// "" for the project the call was about.
	What string
}

func (e *NotFoundError) Error() string {
	if e.What == "" {
		return "the project does not exist"
	}
	return ServiceName + " has no " + e.What
}

// IsNotFound reports whether err says the project does not exist. Yunxiao does not document the
// answer for a missing project, so any of these counts, but only in one of the API's own error
// envelopes (a proxy's 404 page is never "not found"): HTTP 404 from Yunxiao itself (not the
// gateway's InvalidAccessKeyId.NotFound or InvalidAction.NotFound), an error code naming
// NotFound/NotExist, or a 400 whose message says the project does not exist. A successful answer
// is never "not found" unless it shows the project deleted.
func IsNotFound(err error) bool {
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return true
	}
	e, ok := transport.AsAPIError(err)
	if !ok || e.Throttled || e.Temporary || e.Code == "" {
		return false
	}
	for _, gateway := range []string{"InvalidAccessKeyId", "InvalidAction", "InvalidApi", "InvalidVersion", "Operate.NoPermission"} {
		if strings.HasPrefix(e.Code, gateway) {
			return false
		}
	}
	code, msg := strings.ToLower(e.Code), strings.ToLower(e.Message)
	switch {
	case e.StatusCode == http.StatusNotFound:
		return true
	case strings.Contains(code, "notfound"), strings.Contains(code, "notexist"):
		return true
	case strings.Contains(msg, "not exist"), strings.Contains(msg, "not found"), strings.Contains(msg, "不存在"):
		return e.StatusCode == http.StatusBadRequest
	}
	return false
}

// IsAuthFailure reports whether err says the credentials themselves are wrong (unknown
// AccessKey, bad signature, stale clock or nonce, missing token), as opposed to lacking a
// permission.
func IsAuthFailure(err error) bool {
	e, ok := transport.AsAPIError(err)
	if !ok {
		return false
	}
	for _, p := range []string{"SignatureDoesNotMatch", "InvalidAccessKeyId", "IncompleteSignature", "InvalidSecurityToken", "InvalidTimeStamp", "SignatureNonceUsed"} {
		if strings.HasPrefix(e.Code, p) {
			return true
		}
	}
	return false
}

// IsPermissionDenied reports whether err says the AccessKey may not do this in the organization
// (Yunxiao's Operate.NoPermission).
func IsPermissionDenied(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.Code == "Operate.NoPermission"
}

// IsWrongService reports whether the endpoint answered in a way no Yunxiao API does
// (transport.IsForeignAnswer): a success without the API's envelope, a page in another format,
// or a gateway that does not know the call.
func IsWrongService(err error) bool {
	return transport.IsForeignAnswer(err)
}

// IsRequestError reports whether Yunxiao rejected the request's data (Openapi.RequestError, 400).
func IsRequestError(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && (e.Code == "Openapi.RequestError" || (e.Code == "" && e.StatusCode == http.StatusBadRequest))
}
