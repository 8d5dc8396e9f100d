package client

import (
	"net/url"
	"testing"
)

// The fixed-parameter example of Alibaba Cloud's "V3 request structure and signature" page
// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature,
// section "Fixed parameter values"): ECS RunInstances, RPC style, empty body. Every intermediate
// value below is the published one, byte for byte.
func TestSignatureMatchesPublishedExample(t *testing.T) {
	in := SigningInput{
		Method: "POST",
		Path:   "/",
		Query: url.Values{
			"ImageId":  {"win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"},
			"RegionId": {"cn-shanghai"},
		},
		Headers: map[string]string{
			"host":                  "ecs.cn-shanghai.aliyuncs.com",
			"x-acs-action":          "RunInstances",
			"x-acs-version":         "2014-05-26",
			"x-acs-date":            "2023-10-26T10:22:32Z",
			"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
			"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			// Not signed: only host, content-type and x-acs-* are.
			"User-Agent": "AlibabaCloud (Mac OS X; x86_64) Java/1.8.0_352-b08 tea-util/0.2.6 TeaDSL/1",
			"Accept":     "application/json",
		},
		Payload: nil,
	}
	wantCanonical := "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n" +
		"host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got := in.CanonicalRequest(); got != wantCanonical {
		t.Errorf("canonical request:\n%q\nwant\n%q", got, wantCanonical)
	}
	wantStringToSign := "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
	if got := in.StringToSign(); got != wantStringToSign {
		t.Errorf("string to sign:\n%q\nwant\n%q", got, wantStringToSign)
	}
	if got, want := in.Signature("YourAccessKeySecret"), "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
	wantAuth := "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	if got := in.Authorization("YourAccessKeyId", "YourAccessKeySecret"); got != wantAuth {
		t.Errorf("authorization:\n%s\nwant\n%s", got, wantAuth)
	}

	parsed, err := ParseAuthorization(wantAuth)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.AccessKeyID != "YourAccessKeyId" || len(parsed.SignedHeaders) != 6 ||
		parsed.Signature != "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0" {
		t.Errorf("ParseAuthorization = %+v", parsed)
	}
	// A verifier that takes the signed names from the header reaches the same signature.
	in.SignedHeaders = parsed.SignedHeaders
	if got := in.Signature("YourAccessKeySecret"); got != parsed.Signature {
		t.Errorf("signature with the parsed SignedHeaders: %s", got)
	}
}

// A ROA request whose path and query need percent-encoding: a space, "*", "~", "/", "+", "=",
// "&" and Chinese characters. The publication has no such example, so the canonical request is
// written out by hand from the encoding rules it states (RFC 3986: unreserved A-Z a-z 0-9 - _ . ~
// kept, every other UTF-8 byte %XX in upper case, "/" kept between path segments; query sorted by
// name, "name=" for an empty value), and the signature was cross-checked against Alibaba Cloud's
// Go SDK, github.com/alibabacloud-go/openapi-util v0.1.1 service.GetAuthorization with the
// same path, query, headers and keys: it printed the Authorization below (interop_test.go now
// makes that comparison on every run).
func TestSignaturePercentEncodesPathAndQuery(t *testing.T) {
	in := SigningInput{
		Method: "DELETE",
		Path:   "/organization/" + PathParam("org 5e70*~中文") + "/projects/delete",
		Query: url.Values{
			"identifier": {"a b/c+d*e~f=中&x"},
			"maxResults": {"200"},
			"nextToken":  {""},
		},
		Headers: map[string]string{
			"Host":                  "devops.cn-hangzhou.aliyuncs.com",
			"x-acs-action":          "DeleteProject",
			"x-acs-version":         "2021-06-25",
			"x-acs-date":            "2023-10-26T10:22:32Z",
			"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d",
			"x-acs-content-sha256":  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"user-agent":            "not-signed",
		},
	}
	if got, want := in.CanonicalURI(), "/organization/org%205e70%2A~%E4%B8%AD%E6%96%87/projects/delete"; got != want {
		t.Errorf("canonical URI %q, want %q", got, want)
	}
	if got, want := in.CanonicalQueryString(), "identifier=a%20b%2Fc%2Bd%2Ae~f%3D%E4%B8%AD%26x&maxResults=200&nextToken="; got != want {
		t.Errorf("canonical query %q, want %q", got, want)
	}
	wantCanonical := "DELETE\n/organization/org%205e70%2A~%E4%B8%AD%E6%96%87/projects/delete\n" +
		"identifier=a%20b%2Fc%2Bd%2Ae~f%3D%E4%B8%AD%26x&maxResults=200&nextToken=\n" +
		"host:devops.cn-hangzhou.aliyuncs.com\nx-acs-action:DeleteProject\n" +
		"x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n" +
		"x-acs-date:2023-10-26T10:22:32Z\nx-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2021-06-25\n\n" +
		"host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version\n" +
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if got := in.CanonicalRequest(); got != wantCanonical {
		t.Errorf("canonical request:\n%q\nwant\n%q", got, wantCanonical)
	}
	wantAuth := "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=ec3bb7a06255f2d2b1400e934d19ec8265a617fe60ba4d00cd4c0724c61dec58"
	if got := in.Authorization("YourAccessKeyId", "YourAccessKeySecret"); got != wantAuth {
		t.Errorf("authorization:\n%s\nwant\n%s", got, wantAuth)
	}
}

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"AZaz09-_.~": "AZaz09-_.~",
		" ":          "%20",
		"*":          "%2A",
		"+":          "%2B",
		"/":          "%2F",
		"%":          "%25",
		"项目":         "%E9%A1%B9%E7%9B%AE",
	} {
		if got := PercentEncode(in); got != want {
			t.Errorf("PercentEncode(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := PathParam("a/b c"), "a%2Fb%20c"; got != want {
		t.Errorf("PathParam = %q, want %q", got, want)
	}
	if got := (SigningInput{}).CanonicalURI(); got != "/" {
		t.Errorf("the canonical URI of an empty path is %q", got)
	}
}

func TestParseAuthorizationRejectsMalformedHeaders(t *testing.T) {
	for _, h := range []string{
		"",
		"Bearer abc",
		"ACS3-HMAC-SHA256 Credential=id,Signature=ab",
		"ACS3-HMAC-SHA256 SignedHeaders=host,Signature=ab",
		"ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host",
	} {
		if _, err := ParseAuthorization(h); err == nil {
			t.Errorf("ParseAuthorization(%q) succeeded", h)
		}
	}
}
