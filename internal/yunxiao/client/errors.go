package client

import (
	"errors"
	"net/http"
	"strings"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// ErrNotFound says the project does not exist (or no longer does). Finders return it wrapped
// rather than (nil, nil).
var ErrNotFound = errors.New("the project does not exist")

// IsNotFound reports whether err says the project does not exist. Yunxiao does not document the
// answer for a missing project, so any of these counts, but only in one of the API's own error
// envelopes (a proxy's 404 page is never "not found"): HTTP 404 from Yunxiao itself (not the
// gateway's InvalidAccessKeyId.NotFound or InvalidAction.NotFound), an error code naming
// NotFound/NotExist, or a 400 whose message says the project does not exist. A successful answer
// is never "not found" unless it shows the project deleted.
func IsNotFound(err error) bool {
	if errors.Is(err, ErrNotFound) {
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

// IsAuthFailure reports whether err is a credential or signature failure.
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

// IsWrongService reports whether the endpoint answered in a way no Yunxiao API does
// (transport.IsForeignAnswer): a success without the API's envelope, a page in another format,
// or a gateway that does not know the call.
func IsWrongService(err error) bool {
	return transport.IsForeignAnswer(err)
}

// IsNoPermission reports whether err is Yunxiao's Operate.NoPermission.
func IsNoPermission(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && e.Code == "Operate.NoPermission"
}

// IsRequestError reports whether Yunxiao rejected the request's data (Openapi.RequestError, 400).
func IsRequestError(err error) bool {
	e, ok := transport.AsAPIError(err)
	return ok && (e.Code == "Openapi.RequestError" || (e.Code == "" && e.StatusCode == http.StatusBadRequest))
}
