package transport

import (
	"fmt"
	"net/url"
	"strings"
)

// ParseBaseURL accepts a full http(s) URL made of a scheme and a host only, such as a cloud's
// API endpoint or a mock's http://127.0.0.1:PORT; example is shown when raw is not one.
func ParseBaseURL(raw, example string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q is not a full URL such as %s", raw, example)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q must be a scheme and host only, such as %s: the API's paths start at the root", raw, example)
	}
	u.Path, u.RawPath = "", ""
	return u, nil
}

// AuthorizationParams splits an Authorization header of the form
// "<algorithm> Name1=value1, Name2=value2" into its parameters, as the clouds' HMAC signing
// schemes write it.
func AuthorizationParams(header, algorithm string) (map[string]string, error) {
	rest, ok := strings.CutPrefix(header, algorithm+" ")
	if !ok {
		return nil, fmt.Errorf("the Authorization header does not start with %q", algorithm)
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		params[key] = value
	}
	return params, nil
}

// EscapeRFC3986 percent-encodes every byte but RFC 3986's unreserved characters (letters,
// digits, "-", "_", ".", "~"), with upper-case hex digits, as the signing schemes require; a
// space becomes %20.
func EscapeRFC3986(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}
