package providerutil

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Env declares a provider's environment variables, the one shape every provider uses: for each
// argument of the provider block, the variables it falls back to, in order of precedence. A
// value in the provider block wins over the environment; among the variables the first one set
// (not empty) wins. Each provider has one:
//
//	var env = providerutil.Env{
//		"secret_id": {"TENCENTCLOUD_SECRET_ID"},
//		"endpoint":  {"TRRO_ENDPOINT"},
//	}
//
// Reading, naming and documenting an argument through an undeclared name panics: a typo is a
// bug every test meets, never a variable silently not read.
type Env map[string][]string

// Names are the variables of argument, in order of precedence.
func (e Env) Names(argument string) []string {
	names, ok := e[argument]
	if !ok || len(names) == 0 {
		panic(fmt.Sprintf("providerutil.Env: no environment variable is declared for %q", argument))
	}
	return names
}

// First is the first (preferred) variable of argument.
func (e Env) First(argument string) string { return e.Names(argument)[0] }

// All is every variable the provider reads, sorted: what tests clear (acctest.Main).
func (e Env) All() []string {
	var all []string
	for _, names := range e {
		all = append(all, names...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// String is a string argument's value: the configured one unless null, unknown or empty, else
// that of the first variable set, else "".
func (e Env) String(v types.String, argument string) string {
	names := e.Names(argument)
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return v.ValueString()
	}
	for _, name := range names {
		if s := os.Getenv(name); s != "" {
			return s
		}
	}
	return ""
}

// Bool is a boolean argument's value: the configured one unless null or unknown, else that of
// the first variable set, which must read as a boolean ("true", "1", "false", "0", ...; an
// error naming the variable and the argument otherwise), else false.
func (e Env) Bool(v types.Bool, argument string, diags *diag.Diagnostics) bool {
	names := e.Names(argument)
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool()
	}
	for _, name := range names {
		raw := strings.TrimSpace(os.Getenv(name))
		if raw == "" {
			continue
		}
		b, err := strconv.ParseBool(raw)
		if err != nil {
			diags.AddAttributeError(path.Root(argument), "Invalid environment variable "+name,
				fmt.Sprintf("The environment variable %s (the fallback of %s) must be true or false, not %q.", name, argument, raw))
		}
		return b
	}
	return false
}

// Setting is argument with its variables, for the lists of settings errors ask to check.
func (e Env) Setting(argument string) Setting {
	return Setting{Argument: argument, Env: e.Names(argument)}
}

// Named is argument followed by its variables, as errors name where to look:
// `endpoint (TRRO_ENDPOINT)`, `auth_url (HW_AUTH_URL or OS_AUTH_URL)`.
func (e Env) Named(argument string) string {
	return argument + " (" + strings.Join(e.Names(argument), " or ") + ")"
}

// Enable is how a message tells to turn a boolean argument on:
// `skip_credentials_validation = true (or TRRO_SKIP_CREDENTIALS_VALIDATION=true)`.
func (e Env) Enable(argument string) string {
	return argument + " = true (or " + strings.Join(e.Names(argument), "=true or ") + "=true)"
}

// FallsBack is the sentence of a schema description naming argument's variables in order, such
// as: Falls back to `A`, then `B`.
func (e Env) FallsBack(argument string) string {
	return "Falls back to " + e.Describe(argument) + "."
}

// Describe names argument's variables in order, in Markdown: "`A`, then `B`".
func (e Env) Describe(argument string) string {
	return "`" + strings.Join(e.Names(argument), "`, then `") + "`"
}
