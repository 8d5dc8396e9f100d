package providerutil

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var testEnv = Env{
	"secret":   {"PK_TEST_A", "PK_TEST_B"},
	"insecure": {"PK_TEST_FIRST", "PK_TEST_SECOND"},
	"single":   {"PK_TEST_FIRST"},
}

// The provider block wins over the environment; among the variables the first set wins; an
// empty configured string counts as not set.
func TestEnvString(t *testing.T) {
	t.Setenv("PK_TEST_A", "")
	t.Setenv("PK_TEST_B", "from-env")
	if got := testEnv.String(types.StringValue("set"), "secret"); got != "set" {
		t.Errorf("configured value lost: %q", got)
	}
	if got := testEnv.String(types.StringNull(), "secret"); got != "from-env" {
		t.Errorf("env fallback = %q", got)
	}
	if got := testEnv.String(types.StringValue(""), "secret"); got != "from-env" {
		t.Errorf("an empty configured value = %q, want the environment's", got)
	}
	t.Setenv("PK_TEST_A", "first")
	if got := testEnv.String(types.StringNull(), "secret"); got != "first" {
		t.Errorf("env fallback = %q, want the first variable's", got)
	}
	t.Setenv("PK_TEST_A", "")
	t.Setenv("PK_TEST_B", "")
	if got := testEnv.String(types.StringNull(), "secret"); got != "" {
		t.Errorf("nothing set = %q", got)
	}
}

func TestEnvBool(t *testing.T) {
	t.Setenv("PK_TEST_FIRST", "")
	t.Setenv("PK_TEST_SECOND", " 1 ")
	var diags diag.Diagnostics
	if !testEnv.Bool(types.BoolNull(), "insecure", &diags) || diags.HasError() {
		t.Errorf("the second variable, 1, did not count: %v", diags)
	}
	if testEnv.Bool(types.BoolValue(false), "insecure", &diags) {
		t.Error("the configured false lost to the environment")
	}
	if testEnv.Bool(types.BoolNull(), "single", &diags) || diags.HasError() {
		t.Error("nothing set is not false")
	}
	t.Setenv("PK_TEST_FIRST", "yes please")
	testEnv.Bool(types.BoolUnknown(), "insecure", &diags)
	if len(diags) != 1 || diags[0].Summary() != "Invalid environment variable PK_TEST_FIRST" ||
		diags[0].Detail() != `The environment variable PK_TEST_FIRST (the fallback of insecure) must be true or false, not "yes please".` {
		t.Errorf("an unreadable variable: %v", diags)
	}
}

func TestEnvNames(t *testing.T) {
	if got := strings.Join(testEnv.All(), ","); got != "PK_TEST_A,PK_TEST_B,PK_TEST_FIRST,PK_TEST_SECOND" {
		t.Errorf("All = %s", got)
	}
	for got, want := range map[string]string{
		testEnv.First("secret"):            "PK_TEST_A",
		testEnv.Named("secret"):            "secret (PK_TEST_A or PK_TEST_B)",
		testEnv.Enable("single"):           "single = true (or PK_TEST_FIRST=true)",
		testEnv.Enable("insecure"):         "insecure = true (or PK_TEST_FIRST=true or PK_TEST_SECOND=true)",
		testEnv.FallsBack("secret"):        "Falls back to `PK_TEST_A`, then `PK_TEST_B`.",
		testEnv.Setting("secret").String(): `"secret" (or the environment variable PK_TEST_A or PK_TEST_B)`,
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("an undeclared argument did not panic")
		}
	}()
	testEnv.Names("secert")
}
