package providerutil

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// TLSDiagnostics are what every provider says about its TLS settings: that a CA setting cannot
// be used, and that certificate verification is off. The settings themselves go to the
// client's constructor, which builds its HTTP client with transport.NewHTTPClient.
type TLSDiagnostics struct {
	// Provider is the provider's type, e.g. "trro"; Service the API's name, e.g. "TRRO".
	Provider, Service string
	// CAAttribute is the CA argument the configuration used (e.g. "ca_file"); CASetting names
	// the CA arguments with their variables, e.g. "ca_file (TRRO_CA_FILE)"; CAExpected says
	// what they take, e.g. "a readable PEM file of CA certificates".
	CAAttribute, CASetting, CAExpected string
	// InsecureEnv are the variables of insecure.
	InsecureEnv []string
}

// ClientError reports err, from the client's constructor, as an error of the CA argument when
// the TLS settings are what cannot be used (transport.IsTLSSettingsError), and returns whether
// it did.
func (t TLSDiagnostics) ClientError(diags *diag.Diagnostics, err error) bool {
	if !transport.IsTLSSettingsError(err) {
		return false
	}
	diags.AddAttributeError(path.Root(t.CAAttribute), fmt.Sprintf("Invalid %s provider %s", t.Provider, t.CAAttribute),
		fmt.Sprintf("%v. Check %s: it must be %s.", err, t.CASetting, t.CAExpected))
	return true
}

// WarnInsecure warns that insecure = true turns off the verification of host's certificate.
func (t TLSDiagnostics) WarnInsecure(diags *diag.Diagnostics, host string) {
	diags.AddAttributeWarning(path.Root("insecure"), "TLS certificate verification is off",
		fmt.Sprintf("insecure = true (or %s) makes the %s provider accept any certificate from %s, so anyone on the network path "+
			"can pose as the %s API, read the credentials and change the calls. Use it for test installations only; to trust a "+
			"private certificate authority, set %s instead.", strings.Join(t.InsecureEnv, " or "), t.Provider, host, t.Service, t.CASetting))
}
