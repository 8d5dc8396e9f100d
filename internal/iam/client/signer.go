package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// SigningAlgorithm is Huawei Cloud API Gateway's AK/SK signature method.
const SigningAlgorithm = "SDK-HMAC-SHA256"

// SdkDateFormat is the layout of the X-Sdk-Date header.
const SdkDateFormat = "20060102T150405Z"

// SigningInput is what an SDK-HMAC-SHA256 signature covers.
type SigningInput struct {
	Method string
	// Path is the unescaped URL path, as in url.URL.Path.
	Path  string
	Query url.Values
	// Headers holds the request's headers; SignedHeaders says which of them are signed.
	Headers map[string]string
	// SignedHeaders are lower-case header names; host and x-sdk-date at least.
	SignedHeaders []string
	Payload       []byte
	// Date is the X-Sdk-Date value, e.g. 20191115T033655Z.
	Date string
}

// CanonicalURI escapes each path segment (RFC 3986 unreserved characters kept) and ends the
// path with "/", as API Gateway does when it verifies a signature.
func (in SigningInput) CanonicalURI() string {
	segments := strings.Split(in.Path, "/")
	for i, s := range segments {
		segments[i] = transport.EscapeRFC3986(s)
	}
	p := strings.Join(segments, "/")
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalQuery sorts the parameters by name, and repeated values too, each escaped.
func (in SigningInput) CanonicalQuery() string {
	keys := make([]string, 0, len(in.Query))
	for k := range in.Query {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return transport.EscapeRFC3986(keys[i]) < transport.EscapeRFC3986(keys[j]) })
	var parts []string
	for _, k := range keys {
		values := append([]string(nil), in.Query[k]...)
		sort.Strings(values)
		for _, v := range values {
			parts = append(parts, transport.EscapeRFC3986(k)+"="+transport.EscapeRFC3986(v))
		}
	}
	return strings.Join(parts, "&")
}

func (in SigningInput) signedHeaderNames() []string {
	names := make([]string, len(in.SignedHeaders))
	for i, n := range in.SignedHeaders {
		names[i] = strings.ToLower(n)
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

// CanonicalRequest is method, canonical URI, canonical query, canonical headers, signed
// headers and the hex SHA-256 of the body, one a line.
func (in SigningInput) CanonicalRequest() string {
	names := in.signedHeaderNames()
	var headers strings.Builder
	for _, name := range names {
		fmt.Fprintf(&headers, "%s:%s\n", name, strings.TrimSpace(in.headerValue(name)))
	}
	return strings.Join([]string{
		in.Method,
		in.CanonicalURI(),
		in.CanonicalQuery(),
		headers.String(),
		strings.Join(names, ";"),
		sha256Hex(in.Payload),
	}, "\n")
}

// StringToSign is the algorithm, the X-Sdk-Date and the hashed canonical request.
func (in SigningInput) StringToSign() string {
	return SigningAlgorithm + "\n" + in.Date + "\n" + sha256Hex([]byte(in.CanonicalRequest()))
}

// Signature is the hex HMAC-SHA256 of StringToSign keyed with the secret key itself.
func (in SigningInput) Signature(secretKey string) string {
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(in.StringToSign()))
	return hex.EncodeToString(m.Sum(nil))
}

// Authorization is the header value for accessKey/secretKey.
func (in SigningInput) Authorization(accessKey, secretKey string) string {
	return fmt.Sprintf("%s Access=%s, SignedHeaders=%s, Signature=%s",
		SigningAlgorithm, accessKey, strings.Join(in.signedHeaderNames(), ";"), in.Signature(secretKey))
}

// SignRequest stamps req with X-Sdk-Date and signs every header it carries (plus host) with
// accessKey/secretKey. body must be the exact bytes req will send.
func SignRequest(req *http.Request, body []byte, accessKey, secretKey string, now time.Time) {
	date := now.UTC().Format(SdkDateFormat)
	req.Header.Set("X-Sdk-Date", date)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	headers := map[string]string{"host": host}
	names := []string{"host"}
	for name, values := range req.Header {
		lower := strings.ToLower(name)
		if lower == "authorization" || lower == "user-agent" || lower == "host" {
			continue
		}
		headers[lower] = strings.Join(values, ",")
		names = append(names, lower)
	}
	in := SigningInput{
		Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(),
		Headers: headers, SignedHeaders: names, Payload: body, Date: date,
	}
	req.Header.Set("Authorization", in.Authorization(accessKey, secretKey))
}

// ParsedAuthorization is an SDK-HMAC-SHA256 Authorization header taken apart, for servers that
// verify it.
type ParsedAuthorization struct {
	AccessKey     string
	SignedHeaders []string
	Signature     string
}

// ParseAuthorization splits an SDK-HMAC-SHA256 Authorization header.
func ParseAuthorization(header string) (ParsedAuthorization, error) {
	params, err := transport.AuthorizationParams(header, SigningAlgorithm)
	if err != nil {
		return ParsedAuthorization{}, err
	}
	p := ParsedAuthorization{AccessKey: params["Access"], Signature: params["Signature"]}
	if v := params["SignedHeaders"]; v != "" {
		p.SignedHeaders = strings.Split(v, ";")
	}
	if p.AccessKey == "" || len(p.SignedHeaders) == 0 || p.Signature == "" {
		return p, fmt.Errorf("the Authorization header lacks Access, SignedHeaders or Signature")
	}
	return p, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
