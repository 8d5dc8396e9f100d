package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

// TLSSettings are a provider's TLS options. They decide how requests reach the endpoint, so a
// provider's credential check counts them in the key of what it proved.
type TLSSettings struct {
	// CAFile is a PEM file of certificate authorities trusted in addition to the system's.
	CAFile string
	// CAPEM is PEM text of certificate authorities trusted in addition to the system's, for a
	// provider that takes the certificates themselves (iam's cacert_file, as the huaweicloud
	// provider takes it). It may be given with CAFile; both are trusted.
	CAPEM string
	// Insecure skips verifying the server's certificate (for test installations only).
	Insecure bool
}

// NewHTTPClient returns the HTTP client every projectkit client uses, the one place where it is
// built: no overall timeout (the caller's context bounds each call), bounded connecting (10 s)
// and waiting for headers (60 s), proxies from the environment (HTTPS_PROXY, NO_PROXY), the TLS
// settings applied (TLS 1.2 at least), and redirects never followed (see RedirectError). An
// unusable CA setting is a *TLSSettingsError.
func NewHTTPClient(s TLSSettings) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's default is always an *http.Transport
	t.Proxy = http.ProxyFromEnvironment
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = 64
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	if s.CAFile != "" || s.CAPEM != "" || s.Insecure {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if s.CAFile != "" || s.CAPEM != "" {
			pool, err := certPool(s)
			if err != nil {
				return nil, &TLSSettingsError{Err: err}
			}
			cfg.RootCAs = pool
		}
		cfg.InsecureSkipVerify = s.Insecure //nolint:gosec // G402: the user asked for it, and the provider warns
		t.TLSClientConfig = cfg
	}
	return &http.Client{Transport: t, CheckRedirect: refuseRedirects}, nil
}

// HTTPClientFor is given when it is not nil (a test's recorder), else NewHTTPClient(s): what
// each client's constructor sends its requests with.
func HTTPClientFor(given *http.Client, s TLSSettings) (*http.Client, error) {
	if given != nil {
		return given, nil
	}
	return NewHTTPClient(s)
}

// certPool is the system's certificate authorities and those of s.
func certPool(s TLSSettings) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if s.CAFile != "" {
		pem, err := os.ReadFile(s.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading the CA file: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("the CA file %s holds no PEM certificate", s.CAFile)
		}
	}
	if s.CAPEM != "" && !pool.AppendCertsFromPEM([]byte(s.CAPEM)) {
		return nil, errors.New("the PEM text holds no certificate")
	}
	return pool, nil
}

// refuseRedirects keeps every request on the configured host: a redirect is answered to the
// caller as a RedirectError, so no credential (header or body) ever travels to the Location.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// CheckPlaintext refuses an http:// URL whose host is not loopback, unless allowed: over
// plain HTTP the credentials named in secrets would travel in clear. setting names the argument
// (and variable) that opts in.
func CheckPlaintext(u *url.URL, allowed bool, secrets, setting string) error {
	if u.Scheme != "http" || allowed || IsLoopbackHost(u.Hostname()) {
		return nil
	}
	return fmt.Errorf("%s uses plain http:// to %s, a host that is not loopback: %s would travel in clear. "+
		"Use https://, or set %s if this network is trusted", u.Redacted(), u.Hostname(), secrets, setting)
}

// IsLoopbackHost reports whether host is localhost or a loopback address.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
