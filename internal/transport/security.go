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

// TLSSettings are a provider's TLS options.
type TLSSettings struct {
	// CAFile is a PEM file of certificate authorities trusted in addition to the system's.
	CAFile string
	// Insecure skips verifying the server's certificate (for test installations only).
	Insecure bool
}

// NewHTTPClient returns the HTTP client every projectkit client uses: no overall timeout (the
// caller's context bounds each call), bounded connecting and waiting for headers, proxies from
// the environment (HTTPS_PROXY), the TLS settings applied, and redirects never followed (see
// RedirectError).
func NewHTTPClient(s TLSSettings) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's default is always an *http.Transport
	t.ResponseHeaderTimeout = 60 * time.Second
	t.MaxIdleConnsPerHost = 64
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	if s.CAFile != "" || s.Insecure {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if s.CAFile != "" {
			pem, err := os.ReadFile(s.CAFile)
			if err != nil {
				return nil, fmt.Errorf("reading the CA file: %w", err)
			}
			pool, err := x509.SystemCertPool()
			if err != nil || pool == nil {
				pool = x509.NewCertPool()
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("the CA file %s holds no PEM certificate", s.CAFile)
			}
			cfg.RootCAs = pool
		}
		cfg.InsecureSkipVerify = s.Insecure //nolint:gosec // G402: the user asked for it, and the provider warns
		t.TLSClientConfig = cfg
	}
	return &http.Client{Transport: t, CheckRedirect: refuseRedirects}, nil
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

// RedirectError is a 3xx answer. Clients never follow redirects: the signed Authorization,
// tokens and password bodies are meant for the configured host only.
type RedirectError struct {
	Service, Operation string
	StatusCode         int
	Location           string
	// Setting names the endpoint argument to check, e.g. `endpoint (TRRO_ENDPOINT)`.
	Setting string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("%s %s: the API answered HTTP %d, a redirect to %q. Redirects are never followed, so that credentials reach "+
		"only the configured host; nothing was sent there. Check %s: it should name the API itself",
		e.Service, e.Operation, e.StatusCode, e.Location, e.Setting)
}

// IsRedirect reports whether err is a 3xx answer, which was not followed.
func IsRedirect(err error) bool {
	var e *RedirectError
	return errors.As(err, &e)
}

// EndpointError says the endpoint cannot be used as configured: its host does not resolve, it
// refuses connections, or its TLS certificate is not trusted. Retrying would not help.
type EndpointError struct {
	Service, Operation string
	// URL is the scheme and host that failed.
	URL string
	// Setting names the argument (and environment variable) that sets the endpoint, and for TLS
	// failures the TLS arguments.
	Setting string
	Err     error
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("%s %s: cannot use %s: %v. Check %s (the request was never sent)", e.Service, e.Operation, e.URL, e.Err, e.Setting)
}

func (e *EndpointError) Unwrap() error { return e.Err }

// IsEndpointError reports whether err says the endpoint is unusable as configured.
func IsEndpointError(err error) bool {
	var e *EndpointError
	return errors.As(err, &e)
}

// isCertificateError reports a TLS failure that no retry heals: an untrusted or mismatched
// certificate, or a server that does not speak TLS at all.
func isCertificateError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verification *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	return errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) ||
		errors.As(err, &verification) || errors.As(err, &record)
}

// isUnresolvable reports a host name that does not exist.
func isUnresolvable(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns) && dns.IsNotFound
}
