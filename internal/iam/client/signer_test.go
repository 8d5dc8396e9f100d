package client

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// The worked example of Huawei Cloud's "API Request Signing Guide" (AK/SK Signing and
// Authentication Algorithm: Constructing a Standard Request, Creating a To-Be-Signed String,
// Calculating the Signature, Adding the Signature to the Request Header), also asserted by the
// official Java SDK's TestAKSKSigner.
const (
	docAccessKey = "QTWAOYTTINDUT2QVKYUC"
	docSecretKey = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
	docDate      = "20191115T033655Z"
	docURL       = "https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"

	docCanonical = "GET\n" +
		"/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n" +
		"limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n" +
		"content-type:application/json\n" +
		"host:service.region.example.com\n" +
		"x-sdk-date:20191115T033655Z\n" +
		"\n" +
		"content-type;host;x-sdk-date\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	docStringToSign = "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
	docSignature    = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
	docAuth         = "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=" + docSignature
)

func TestSignatureMatchesDocumentedExample(t *testing.T) {
	u, err := url.Parse(docURL)
	if err != nil {
		t.Fatal(err)
	}
	in := SigningInput{
		Method: "GET",
		Path:   u.Path,
		Query:  u.Query(),
		Headers: map[string]string{
			"Content-Type": "application/json",
			"Host":         "service.region.example.com",
			"X-Sdk-Date":   docDate,
		},
		SignedHeaders: []string{"x-sdk-date", "host", "content-type"},
		Date:          docDate,
	}
	if got := in.CanonicalRequest(); got != docCanonical {
		t.Errorf("canonical request:\n%q\nwant\n%q", got, docCanonical)
	}
	if got := in.StringToSign(); got != docStringToSign {
		t.Errorf("string to sign:\n%q\nwant\n%q", got, docStringToSign)
	}
	if got := in.Signature(docSecretKey); got != docSignature {
		t.Errorf("signature %s, want %s", got, docSignature)
	}
	if got := in.Authorization(docAccessKey, docSecretKey); got != docAuth {
		t.Errorf("authorization:\n%s\nwant\n%s", got, docAuth)
	}
}

// SignRequest in the Huawei SDK's style leaves Content-Type and Host out of the signed headers
// (huaweicloud-sdk-go-v3 core/auth/signer extractSignedHeaders) and otherwise computes what the
// documented algorithm computes; interop_test.go compares it with the SDK itself.
func TestSignRequestHuaweiStyle(t *testing.T) {
	req, err := http.NewRequest(http.MethodGet, docURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "projectkit/1.0")
	now, _ := time.Parse(SdkDateFormat, docDate)
	SignRequest(req, nil, docAccessKey, docSecretKey, now, SigningHuawei)
	if got := req.Header.Get("X-Sdk-Date"); got != docDate {
		t.Errorf("X-Sdk-Date = %q, want %q", got, docDate)
	}
	u, _ := url.Parse(docURL)
	in := SigningInput{
		Method: "GET", Path: u.Path, Query: u.Query(), Date: docDate,
		Headers:       map[string]string{"user-agent": "projectkit/1.0", "x-sdk-date": docDate},
		SignedHeaders: []string{"user-agent", "x-sdk-date"},
	}
	want := "SDK-HMAC-SHA256 Access=" + docAccessKey + ", SignedHeaders=user-agent;x-sdk-date, Signature=" + in.Signature(docSecretKey)
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("authorization:\n%s\nwant\n%s", got, want)
	}
}

// The query escaping of the official Go SDK's TestSigner_canonicalQueryString.
func TestCanonicalQueryEscaping(t *testing.T) {
	in := SigningInput{Query: url.Values{
		"limit":  {"1"},
		"enable": {"true"},
		"test":   {"一 (&=?!#%.*)"},
		"path":   {"/tmp/123"},
		"multi":  {"3", "1", "2"},
	}}
	want := "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
	if got := in.CanonicalQuery(); got != want {
		t.Errorf("canonical query:\n%s\nwant\n%s", got, want)
	}
}

func TestCanonicalURI(t *testing.T) {
	for path, want := range map[string]string{
		"":                    "/",
		"/":                   "/",
		"/v3/projects":        "/v3/projects/",
		"/v3-ext/projects/ab": "/v3-ext/projects/ab/",
		"/a b/ü":              "/a%20b/%C3%BC/",
	} {
		if got := (SigningInput{Path: path}).CanonicalURI(); got != want {
			t.Errorf("CanonicalURI(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestParseAuthorization(t *testing.T) {
	p, err := ParseAuthorization(docAuth)
	if err != nil {
		t.Fatal(err)
	}
	if p.AccessKey != docAccessKey || p.Signature != docSignature || len(p.SignedHeaders) != 3 || p.SignedHeaders[1] != "host" {
		t.Errorf("ParseAuthorization = %+v", p)
	}
	otc, err := ParseAuthorization("SDK-HMAC-SHA256 Credential=AK/20191115///sdk_request, SignedHeaders=host;x-sdk-date, Signature=ab")
	if err != nil || otc.Style != SigningOTC || otc.AccessKey != "AK" || otc.Scope != "20191115///sdk_request" || len(otc.SignedHeaders) != 2 {
		t.Errorf("ParseAuthorization(Credential=) = %+v, %v", otc, err)
	}
	for _, h := range []string{
		"",
		"Bearer abc",
		"SDK-HMAC-SHA256 Access=AK, Signature=ab",
		"SDK-HMAC-SHA256 SignedHeaders=host, Signature=ab",
		"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host",
		"SDK-HMAC-SHA256 Credential=, SignedHeaders=host, Signature=ab",
		"SDK-HMAC-SHA256 Access=AK, Credential=AK/20191115///sdk_request, SignedHeaders=host, Signature=ab",
	} {
		if _, err := ParseAuthorization(h); err == nil {
			t.Errorf("ParseAuthorization(%q) succeeded", h)
		}
	}
}

func TestSigningStyleOf(t *testing.T) {
	for host, want := range map[string]SigningStyle{
		"iam.myhuaweicloud.com":               SigningHuawei,
		"iam.eu-de.otc.t-systems.com":         SigningOTC,
		"IAM-PUB.EU-CH2.SC.OTC.T-SYSTEMS.COM": SigningOTC,
		"iam.eu-nl.otc.t-systems.com.":        SigningOTC,
		"otc.t-systems.com.example.org":       SigningHuawei,
		"127.0.0.1":                           SigningHuawei,
	} {
		if got := SigningStyleOf(host); got != want {
			t.Errorf("SigningStyleOf(%q) = %v, want %v", host, got, want)
		}
	}
	c, err := New(Config{AuthURL: "https://iam.eu-de.otc.t-systems.com/v3", Token: "t"})
	if err != nil || c.SigningStyle() != SigningOTC {
		t.Errorf("client for OTC: %v, %v", c, err)
	}
	c, err = New(Config{AuthURL: "https://iam.eu-de.otc.t-systems.com/v3", Token: "t", Signing: SigningHuawei})
	if err != nil || c.SigningStyle() != SigningHuawei {
		t.Errorf("client with Signing set: %v, %v", c, err)
	}
}
