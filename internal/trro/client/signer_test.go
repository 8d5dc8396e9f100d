package client

import "testing"

// The worked example of Tencent Cloud's "Signature v3" documentation (CVM DescribeInstances,
// https://www.tencentcloud.com/document/api/213/33224), with the example keys unmasked as in
// earlier copies of that page.
func TestSignatureMatchesDocumentedExample(t *testing.T) {
	in := SigningInput{
		Method:        "POST",
		Path:          "/",
		Headers:       map[string]string{"Content-Type": "application/json; charset=utf-8", "Host": "cvm.tencentcloudapi.com"},
		SignedHeaders: []string{"content-type", "host"},
		Payload:       []byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`),
		Service:       "cvm",
		Timestamp:     1551113065,
	}
	wantCanonical := "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
	if got := in.CanonicalRequest(); got != wantCanonical {
		t.Errorf("canonical request:\n%q\nwant\n%q", got, wantCanonical)
	}
	wantStringToSign := "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
	if got := in.StringToSign(); got != wantStringToSign {
		t.Errorf("string to sign:\n%q\nwant\n%q", got, wantStringToSign)
	}
	const secretID, secretKey = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"
	wantAuth := "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	if got := in.Authorization(secretID, secretKey); got != wantAuth {
		t.Errorf("authorization:\n%s\nwant\n%s", got, wantAuth)
	}

	parsed, err := ParseAuthorization(wantAuth)
	if err != nil {
		t.Fatal(err)
	}
	if parsed.SecretID != secretID || parsed.Date != "2019-02-25" || parsed.Service != "cvm" ||
		parsed.Signature != "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168" ||
		len(parsed.SignedHeaders) != 2 {
		t.Errorf("ParseAuthorization = %+v", parsed)
	}
}

func TestParseAuthorizationRejectsMalformedHeaders(t *testing.T) {
	for _, h := range []string{
		"",
		"Bearer abc",
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm, SignedHeaders=host, Signature=ab",
		"TC3-HMAC-SHA256 Credential=AKID/2019-02-25/cvm/tc3_request, Signature=ab",
	} {
		if _, err := ParseAuthorization(h); err == nil {
			t.Errorf("ParseAuthorization(%q) succeeded", h)
		}
	}
}
