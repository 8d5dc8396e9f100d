package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// SigningAlgorithm is Huawei Cloud API Gateway's AK/SK signature method.
const SigningAlgorithm = "SDK-HMAC-SHA256"

// SdkDateFormat is the layout of the X-Sdk-Date header.
const SdkDateFormat = "20060102T150405Z"

// ContentSHA256Header replaces the hash of the body in the canonical request when present; the
// Huawei SDK sets it to UnsignedPayload for bodies that are neither JSON nor BSON.
const ContentSHA256Header = "X-Sdk-Content-Sha256"

// UnsignedPayload is ContentSHA256Header's value for a body that is not signed.
const UnsignedPayload = "UNSIGNED-PAYLOAD"

// SigningStyle says which official SDK's form of SDK-HMAC-SHA256 the client sends. Both clouds'
// gateways verify both; each style is byte for byte what that cloud's SDK sends, so that a
// request of ours is one the cloud is known to accept.
type SigningStyle int

const (
	// SigningHuawei is huaweicloud-sdk-go-v3's core/auth/signer: the secret key signs the string
	// to sign directly; "Access=AK"; every header but Content-Type is signed (Host is not among
	// them), X-Domain-Id and X-Security-Token included.
	SigningHuawei SigningStyle = iota + 1
	// SigningOTC is gophertelekomcloud's signer_helper.go: a key derived from "SDK"+SK, the date
	// and an empty region and service; "Credential=AK/<date>///sdk_request"; the headers present
	// before signing (Accept, Content-Type, Host, User-Agent, X-Sdk-Date) are signed, and
	// X-Domain-Id and X-Security-Token, set after, are not.
	SigningOTC
)

func (s SigningStyle) String() string {
	switch s {
	case SigningHuawei:
		return "huawei"
	case SigningOTC:
		return "otc"
	}
	return "unknown"
}

// SigningStyleOf returns the style of the cloud an endpoint's host belongs to: Open Telekom
// Cloud's hosts end in .otc.t-systems.com; every other host gets Huawei Cloud's.
func SigningStyleOf(host string) SigningStyle {
	if strings.HasSuffix(strings.ToLower(strings.TrimSuffix(host, ".")), ".otc.t-systems.com") {
		return SigningOTC
	}
	return SigningHuawei
}

// SigningInput is what an SDK-HMAC-SHA256 signature covers.
type SigningInput struct {
	Method string
	// Path is the unescaped URL path, as in url.URL.Path.
	Path  string
	Query url.Values
	// Headers holds the request's headers; SignedHeaders says which of them are signed.
	Headers map[string]string
	// SignedHeaders are lower-case header names; x-sdk-date at least.
	SignedHeaders []string
	Payload       []byte
	// Date is the X-Sdk-Date value, e.g. 20191115T033655Z.
	Date string
	// Style picks the canonical form and the key; 0 means SigningHuawei.
	Style SigningStyle
}

func (in SigningInput) style() SigningStyle {
	if in.Style == 0 {
		return SigningHuawei
	}
	return in.Style
}

// CanonicalURI escapes each path segment (RFC 3986 unreserved characters kept) and ends the
// path with "/", as API Gateway does when it verifies a signature. Both SDKs escape the
// unescaped path, so an escaped "/" inside a segment cannot be told from a separator; IAM's
// ids are hex (see the tests), so no path we send has one.
func (in SigningInput) CanonicalURI() string {
	p := in.Path
	if in.style() == SigningOTC && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	segments := strings.Split(p, "/")
	for i, s := range segments {
		segments[i] = transport.EscapeRFC3986(s)
	}
	p = strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalQuery is the sorted, escaped query. Huawei: keys sorted as sent (not as escaped),
// every value of a repeated key, values sorted. OTC: escaped keys sorted without regard to case,
// the first value of each key only, and nothing for a POST without a body (whose query is
// hashed as its payload instead).
func (in SigningInput) CanonicalQuery() string {
	keys := make([]string, 0, len(in.Query))
	for k := range in.Query {
		keys = append(keys, k)
	}
	var parts []string
	if in.style() == SigningOTC {
		if in.otcQueryIsPayload() {
			return ""
		}
		for i, k := range keys {
			keys[i] = transport.EscapeRFC3986(k)
		}
		raw := map[string]string{}
		for k := range in.Query {
			raw[transport.EscapeRFC3986(k)] = k
		}
		sort.Slice(keys, func(i, j int) bool { return strings.ToLower(keys[i]) < strings.ToLower(keys[j]) })
		for _, k := range keys {
			parts = append(parts, k+"="+transport.EscapeRFC3986(in.Query.Get(raw[k])))
		}
		return strings.Join(parts, "&")
	}
	sort.Strings(keys)
	for _, k := range keys {
		values := append([]string(nil), in.Query[k]...)
		sort.Strings(values)
		for _, v := range values {
			parts = append(parts, transport.EscapeRFC3986(k)+"="+transport.EscapeRFC3986(v))
		}
	}
	return strings.Join(parts, "&")
}

// otcQueryIsPayload: the OTC SDK hashes the query as the payload of a POST without a body.
func (in SigningInput) otcQueryIsPayload() bool {
	return in.style() == SigningOTC && in.Method == http.MethodPost && len(in.Payload) == 0
}

func (in SigningInput) signedHeaderNames() []string {
	names := make([]string, len(in.SignedHeaders))
	for i, n := range in.SignedHeaders {
		names[i] = strings.ToLower(strings.TrimSpace(n))
	}
	sort.Strings(names)
	return names
}

func (in SigningInput) headerValue(name string) string {
	for k, v := range in.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// whitespace is what the OTC SDK folds to one space in a header value.
var whitespace = regexp.MustCompile(`\s+`)

// payloadHash is the hex SHA-256 of the body, or X-Sdk-Content-Sha256 when the request sets it.
func (in SigningInput) payloadHash() string {
	if v := in.headerValue(ContentSHA256Header); v != "" {
		return v
	}
	if in.otcQueryIsPayload() {
		return sha256Hex([]byte(in.Query.Encode()))
	}
	return sha256Hex(in.Payload)
}

// CanonicalRequest is method, canonical URI, canonical query, canonical headers, signed
// headers and the payload hash, one a line. Huawei trims header values; OTC folds their runs of
// white space into one space.
func (in SigningInput) CanonicalRequest() string {
	names := in.signedHeaderNames()
	var headers strings.Builder
	for _, name := range names {
		v := in.headerValue(name)
		if in.style() == SigningOTC {
			v = whitespace.ReplaceAllString(v, " ")
		} else {
			v = strings.TrimSpace(v)
		}
		fmt.Fprintf(&headers, "%s:%s\n", name, v)
	}
	return strings.Join([]string{
		in.Method,
		in.CanonicalURI(),
		in.CanonicalQuery(),
		headers.String(),
		strings.Join(names, ";"),
		in.payloadHash(),
	}, "\n")
}

// Scope is the OTC credential scope: the date, an empty region and service, and sdk_request.
func (in SigningInput) Scope() string {
	return strings.Join([]string{dayOf(in.Date), "", "", "sdk_request"}, "/")
}

func dayOf(date string) string {
	day, _, _ := strings.Cut(date, "T")
	return day
}

// StringToSign is the algorithm, the X-Sdk-Date, the scope (OTC only) and the hashed canonical
// request.
func (in SigningInput) StringToSign() string {
	lines := []string{SigningAlgorithm, in.Date}
	if in.style() == SigningOTC {
		lines = append(lines, in.Scope())
	}
	return strings.Join(append(lines, sha256Hex([]byte(in.CanonicalRequest()))), "\n")
}

// signingKey is the secret key itself (Huawei) or the key OTC derives from it.
func (in SigningInput) signingKey(secretKey string) []byte {
	if in.style() != SigningOTC {
		return []byte(secretKey)
	}
	key := []byte("SDK" + secretKey)
	for _, part := range []string{dayOf(in.Date), "", "", "sdk_request"} {
		key = hmacSHA256(key, part)
	}
	return key
}

// Signature is the hex HMAC-SHA256 of StringToSign under the style's key.
func (in SigningInput) Signature(secretKey string) string {
	return hex.EncodeToString(hmacSHA256(in.signingKey(secretKey), in.StringToSign()))
}

// Authorization is the header value for accessKey/secretKey in the style's form.
func (in SigningInput) Authorization(accessKey, secretKey string) string {
	who := "Access=" + accessKey
	if in.style() == SigningOTC {
		who = "Credential=" + accessKey + "/" + in.Scope()
	}
	return fmt.Sprintf("%s %s, SignedHeaders=%s, Signature=%s",
		SigningAlgorithm, who, strings.Join(in.signedHeaderNames(), ";"), in.Signature(secretKey))
}

// SignRequest stamps req with X-Sdk-Date and signs it with accessKey/secretKey as the style's
// SDK does. body must be the exact bytes req will send. Huawei signs every header req carries
// but Content-Type (and names with "_", which it drops), after marking a body that is neither
// JSON nor BSON UNSIGNED-PAYLOAD; the Host header is not signed, as the SDK keeps it out of
// its header map. OTC adds and signs Host and signs every header. Headers the caller sets
// afterwards are sent unsigned, as the OTC SDK sends X-Domain-Id and X-Security-Token.
func SignRequest(req *http.Request, body []byte, accessKey, secretKey string, now time.Time, style SigningStyle) {
	if style == 0 {
		style = SigningHuawei
	}
	date := now.UTC().Format(SdkDateFormat)
	req.Header.Set("X-Sdk-Date", date)
	req.Header.Del("Authorization")
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if style == SigningHuawei {
		if ct := req.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "application/json") && !strings.Contains(ct, "application/bson") {
			req.Header.Set(ContentSHA256Header, UnsignedPayload)
		}
	}
	headers := map[string]string{}
	var names []string
	if style == SigningOTC {
		headers["host"] = host
		names = append(names, "host")
	}
	for name, values := range req.Header {
		lower := strings.ToLower(name)
		if lower == "host" || (style == SigningHuawei && (strings.HasPrefix(lower, "content-type") || strings.Contains(lower, "_"))) {
			continue
		}
		headers[lower] = values[0]
		names = append(names, lower)
	}
	in := SigningInput{
		Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(),
		Headers: headers, SignedHeaders: names, Payload: body, Date: date, Style: style,
	}
	req.Header.Set("Authorization", in.Authorization(accessKey, secretKey))
}

// ParsedAuthorization is an SDK-HMAC-SHA256 Authorization header taken apart, for servers that
// verify it.
type ParsedAuthorization struct {
	AccessKey     string
	SignedHeaders []string
	Signature     string
	// Style is SigningOTC for the Credential= form, SigningHuawei for Access=.
	Style SigningStyle
	// Scope is the Credential='s scope after the access key (OTC only).
	Scope string
}

// ParseAuthorization splits an SDK-HMAC-SHA256 Authorization header in either form.
func ParseAuthorization(header string) (ParsedAuthorization, error) {
	params, err := transport.AuthorizationParams(header, SigningAlgorithm)
	if err != nil {
		return ParsedAuthorization{}, err
	}
	p := ParsedAuthorization{AccessKey: params["Access"], Signature: params["Signature"], Style: SigningHuawei}
	if cred, ok := params["Credential"]; ok {
		if p.AccessKey != "" {
			return p, fmt.Errorf("the Authorization header has both Access and Credential")
		}
		p.Style = SigningOTC
		p.AccessKey, p.Scope, _ = strings.Cut(cred, "/")
	}
	if v := params["SignedHeaders"]; v != "" {
		p.SignedHeaders = strings.Split(v, ";")
	}
	if p.AccessKey == "" || len(p.SignedHeaders) == 0 || p.Signature == "" {
		return p, fmt.Errorf("the Authorization header lacks Access (or Credential), SignedHeaders or Signature")
	}
	return p, nil
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
