package client

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// Algorithm is Alibaba Cloud's V3 signature method.
const Algorithm = "ACS3-HMAC-SHA256"

// SigningInput is what an ACS3-HMAC-SHA256 signature covers. The canonical forms follow
// Alibaba Cloud's official signing code, github.com/alibabacloud-go/openapi-util v0.1.1
// service.GetAuthorization (called by darabonba-openapi v2.0.10 Client.DoRequest, which the
// devops-20210625 SDK uses), where it differs from the published description: query keys are
// not encoded, and a path parameter is encoded whole, "/" included, before it is put in the path.
type SigningInput struct {
	Method string
	// Path is the request path as sent, percent-encoded: each path parameter is encoded with
	// PathParam, so a "/" inside one is %2F and only the separators are "/". It is the canonical
	// URI as it stands ("/" when empty).
	Path string
	// Query holds the query parameters, not encoded.
	Query url.Values
	// Headers are the request's headers, names in any case.
	Headers map[string]string
	// SignedHeaders, when set, are the lower-case names the signature covers (a server verifying a
	// request takes them from its Authorization header). When nil, host, content-type and every
	// x-acs-* header present in Headers are signed, as the documentation prescribes.
	SignedHeaders []string
	Payload       []byte
}

// PercentEncode encodes s as RFC 3986 prescribes and Alibaba Cloud's V3 signature requires: the
// unreserved characters A-Z a-z 0-9 - _ . ~ stay, every other byte of the UTF-8 text becomes
// %XX with upper-case hex (so a space is %20, "*" is %2A, "/" is %2F). It is what the SDK's
// url.QueryEscape followed by "+" to %20, "*" to %2A and %7E to "~" produces.
func PercentEncode(s string) string { return transport.EscapeRFC3986(s) }

// PathParam encodes one path parameter, such as an organization id, as the devops SDK does
// (openapiutil.GetEncodeParam): whole, so that a "/" in it cannot start another path segment.
func PathParam(s string) string { return PercentEncode(s) }

// canonicalReplacer is what the SDK applies to the whole canonical URI and query string after
// encoding: a no-op on what PercentEncode produced, but it also rewrites a raw "+" or "*".
var canonicalReplacer = strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")

// EncodeQuery renders the canonical query string as the SDK does: sorted by name, the name as it
// is (the SDK does not encode names; ours are plain ASCII words), the value percent-encoded,
// "name=" for an empty value, joined by "&". The SDK's query is a map with one value a name;
// repeated names, which it cannot send, are sorted by value.
func EncodeQuery(q url.Values) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range q {
		if len(vs) == 0 {
			pairs = append(pairs, pair{k, ""})
		}
		for _, v := range vs {
			pairs = append(pairs, pair{k, PercentEncode(v)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return canonicalReplacer.Replace(strings.Join(parts, "&"))
}

// CanonicalURI is the encoded path as sent; "/" when empty.
func (in SigningInput) CanonicalURI() string {
	if in.Path == "" {
		return "/"
	}
	return canonicalReplacer.Replace(in.Path)
}

// CanonicalQueryString is the encoded, sorted query.
func (in SigningInput) CanonicalQueryString() string { return EncodeQuery(in.Query) }

// SignedHeaderNames returns the sorted lower-case names the signature covers.
func (in SigningInput) SignedHeaderNames() []string {
	var names []string
	if in.SignedHeaders != nil {
		for _, n := range in.SignedHeaders {
			names = append(names, strings.ToLower(n))
		}
	} else {
		for k := range in.Headers {
			n := strings.ToLower(k)
			if n == "host" || n == "content-type" || strings.HasPrefix(n, "x-acs-") {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return dedupe(names)
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// CanonicalHeaders is "name:trimmed value\n" for each signed header, sorted by name; the value's
// case is kept (the Host as configured).
func (in SigningInput) CanonicalHeaders() string {
	var b strings.Builder
	for _, name := range in.SignedHeaderNames() {
		fmt.Fprintf(&b, "%s:%s\n", name, strings.TrimSpace(in.headerValue(name)))
	}
	return b.String()
}

func (in SigningInput) headerValue(name string) string {
	for k, v := range in.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// CanonicalRequest joins method, URI, query, headers, signed header names and the payload hash.
func (in SigningInput) CanonicalRequest() string {
	return strings.Join([]string{
		in.Method,
		in.CanonicalURI(),
		in.CanonicalQueryString(),
		in.CanonicalHeaders(),
		strings.Join(in.SignedHeaderNames(), ";"),
		HashPayload(in.Payload),
	}, "\n")
}

// StringToSign is the algorithm and the hashed canonical request; V3 has no date or scope line.
func (in SigningInput) StringToSign() string {
	return Algorithm + "\n" + HashPayload([]byte(in.CanonicalRequest()))
}

// Signature is hex(HMAC-SHA256(secret, StringToSign)).
func (in SigningInput) Signature(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(in.StringToSign()))
	return hex.EncodeToString(m.Sum(nil))
}

// Authorization is the header value for accessKeyID/secret: comma-separated, no spaces.
func (in SigningInput) Authorization(accessKeyID, secret string) string {
	return fmt.Sprintf("%s Credential=%s,SignedHeaders=%s,Signature=%s",
		Algorithm, accessKeyID, strings.Join(in.SignedHeaderNames(), ";"), in.Signature(secret))
}

// HashPayload is the lower-case hex SHA-256 of b, also sent as x-acs-content-sha256.
func HashPayload(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ParsedAuthorization is an Authorization header taken apart, for servers that verify it.
type ParsedAuthorization struct {
	AccessKeyID   string
	SignedHeaders []string
	Signature     string
}

// ParseAuthorization splits an ACS3-HMAC-SHA256 Authorization header.
func ParseAuthorization(header string) (ParsedAuthorization, error) {
	params, err := transport.AuthorizationParams(header, Algorithm)
	if err != nil {
		return ParsedAuthorization{}, err
	}
	p := ParsedAuthorization{AccessKeyID: params["Credential"], Signature: params["Signature"]}
	if v := params["SignedHeaders"]; v != "" {
		p.SignedHeaders = strings.Split(v, ";")
	}
	if p.AccessKeyID == "" || len(p.SignedHeaders) == 0 || p.Signature == "" {
		return p, fmt.Errorf("the Authorization header lacks Credential, SignedHeaders or Signature")
	}
	return p, nil
}
