package providerutil

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

func validate(v validator.String, value types.String) diag.Diagnostics {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name"), ConfigValue: value}, resp)
	return resp.Diagnostics
}

// The text rules are the same for every provider; names are single-line, not blank and not
// padded, descriptions may hold newlines and tabs.
func TestVisibleText(t *testing.T) {
	bad := map[string]string{
		"":              "blank",
		"   ":           "blank",
		"\u3000":        "blank",
		"\u00a0x":       "white space",
		"pay ":          "white space",
		"a\u200bb":      `invisible format characters such as U+200B`,
		"a\u200db":      `U+200D`,
		"a\u00adb":      `U+00AD`,
		"a\u202eb":      `U+202E`,
		"\ufeffpayroll": `U+FEFF`,
		"a\x00b":        `control characters such as U+0000`,
		"a\nb":          `U+000A`,
		"a\tb":          `U+0009`,
		"a\rb":          `U+000D`,
		"a\u0085b":      `U+0085`,
		"a\x7fb":        `U+007F`,
		"a\u2028b":      `line or paragraph separators such as U+2028`,
		"a\u2029b":      `U+2029`,
		"\u3164":        `display as nothing, such as U+3164`,
		"a\u115fb":      `U+115F`,
		"a\uffa0b":      `U+FFA0`,
		"a\u034fb":      `U+034F`,
	}
	for value, want := range bad {
		diags := validate(VisibleText(), types.StringValue(value))
		if !diags.HasError() || !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("VisibleText(%+q) = %v; want an error mentioning %s", value, diags, want)
		}
	}
	for _, ok := range []string{"payments", "支付 平台", "支付\u3000平台", "a\u00a0b", "a-b_c", "café", "cafe\u0301", "❤\ufe0f", "emoji 🚜", "\ue000", "x\U000E0100"} {
		if diags := validate(VisibleText(), types.StringValue(ok)); diags.HasError() {
			t.Errorf("VisibleText(%+q) = %v", ok, diags)
		}
	}
	if validate(VisibleText(), types.StringNull()).HasError() || validate(VisibleText(), types.StringUnknown()).HasError() {
		t.Error("null or unknown values must pass")
	}
	// The value is shown escaped, so an invisible character can be seen.
	if d := validate(VisibleText(), types.StringValue("a\u200bb")); !strings.Contains(d[0].Detail(), `"a\u200bb"`) {
		t.Errorf("detail %q does not show the escaped value", d[0].Detail())
	}
	if VisibleText().Description(context.Background()) == "" || VisibleText().MarkdownDescription(context.Background()) == "" {
		t.Error("no description")
	}
}

func TestDescriptionText(t *testing.T) {
	for _, ok := range []string{"", "plain", "  padded  ", " ", "line one\nline two\n", "\tindented", "工业能源版项目", "emoji 🚜", "a\u3000b", "\u00a0"} {
		if diags := validate(DescriptionText(), types.StringValue(ok)); diags.HasError() {
			t.Errorf("DescriptionText(%+q) = %v", ok, diags)
		}
	}
	for bad, want := range map[string]string{
		"a\x00b":     "control characters other than newline and tab, such as U+0000",
		"a\rb":       "U+000D",
		"a\x1bb":     "U+001B",
		"a\u0085b":   "U+0085",
		"ok\x7f":     "U+007F",
		"tab\t\x01x": "U+0001",
		"a\u200bb":   "invisible format characters such as U+200B",
		"a\ufeffb":   "U+FEFF",
		"a\u202eb":   "U+202E",
		"\u200d":     "U+200D",
		"a\u2028b":   "line or paragraph separators such as U+2028 (use a newline)",
		"a\u2029b":   "U+2029",
		"a\u3164b":   "display as nothing, such as U+3164",
	} {
		d := validate(DescriptionText(), types.StringValue(bad))
		if !d.HasError() || !strings.Contains(d[0].Detail(), want) {
			t.Errorf("DescriptionText(%+q) = %v; want an error mentioning %s", bad, d, want)
		}
	}
	if validate(DescriptionText(), types.StringNull()).HasError() || validate(DescriptionText(), types.StringUnknown()).HasError() {
		t.Error("null or unknown values must pass")
	}
	if DescriptionText().MarkdownDescription(context.Background()) == "" {
		t.Error("no description")
	}
}

func TestValidRegex(t *testing.T) {
	if d := validate(ValidRegex(), types.StringValue("(")); !d.HasError() || !strings.Contains(d[0].Detail(), "RE2") {
		t.Errorf("ValidRegex(\"(\") = %v", d)
	}
	if validate(ValidRegex(), types.StringValue("^pay")).HasError() || validate(ValidRegex(), types.StringNull()).HasError() {
		t.Error("a valid or null regex was refused")
	}
	if ValidRegex().MarkdownDescription(context.Background()) == "" {
		t.Error("no description")
	}
}

func TestReportConflictIsAWarningWithImportInstructions(t *testing.T) {
	var diags diag.Diagnostics
	ReportConflict(&diags, Conflict{Attribute: path.Root("custom_code"), ResourceType: "yunxiao_project", What: "Yunxiao project",
		Key: "PAY", ExistingID: "p1 in organization o", ImportID: "o/p1"}, ConflictWarn)
	if diags.HasError() || diags.WarningsCount() != 1 {
		t.Fatalf("ReportConflict = %v; want one warning (an error would break terraform destroy)", diags)
	}
	for _, want := range []string{`Yunxiao project custom_code "PAY" is already taken`} {
		if !strings.Contains(diags[0].Summary(), want) {
			t.Errorf("summary %q lacks %q", diags[0].Summary(), want)
		}
	}
	for _, want := range []string{"p1 in organization o", `id = "o/p1"`, `conflict_check = "error"`} {
		if !strings.Contains(diags[0].Detail(), want) {
			t.Errorf("detail lacks %q:\n%s", want, diags[0].Detail())
		}
	}
}

func TestKnownIDs(t *testing.T) {
	var k KnownIDs
	if k.Has("a") {
		t.Fatal("empty set has a")
	}
	k.Add("a")
	if !k.Has("a") || k.Has("b") {
		t.Fatal("Add/Has disagree")
	}
}

func TestSettings(t *testing.T) {
	if !AnyUnknown(types.StringValue("x"), types.StringUnknown()) || AnyUnknown(types.StringNull()) {
		t.Error("AnyUnknown")
	}
	var diags diag.Diagnostics
	MissingSettings(&diags, "trro", nil)
	if diags.HasError() {
		t.Fatal("nothing missing, yet an error")
	}
	MissingSettings(&diags, "trro", []Setting{{Argument: "secret_id", Env: []string{"A", "B"}}})
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), `"secret_id" (or the environment variable A or B)`) {
		t.Errorf("MissingSettings = %v", diags)
	}
}

func TestErrorDetail(t *testing.T) {
	api := &transport.APIError{Service: "T", Operation: "Op", Code: "Bad", Message: "no", RequestID: "r-1"}
	if got := ErrorDetail(api); !strings.Contains(got, "Request ID: r-1") || strings.Contains(got, "\n\n") {
		t.Errorf("ErrorDetail(api) = %q", got)
	}
	wrapped := errorsJoin(api, "gave up after 3 attempts")
	if got := ErrorDetail(wrapped); !strings.Contains(got, "Request ID: r-1") || !strings.Contains(got, "gave up after 3 attempts") {
		t.Errorf("ErrorDetail(wrapped) = %q", got)
	}
	if got := ErrorDetail(errors.New("plain")); got != "plain" {
		t.Errorf("ErrorDetail(plain) = %q", got)
	}
	var diags diag.Diagnostics
	AddClientError(&diags, "Error creating", api)
	NotConfigured(&diags, "trro")
	NotRefreshed(&diags, "TRRO", "trro")
	if diags.ErrorsCount() != 2 || diags.WarningsCount() != 1 {
		t.Errorf("diagnostics = %v", diags)
	}
}

func errorsJoin(err error, note string) error { return &noted{err: err, note: note} }

type noted struct {
	err  error
	note string
}

func (n *noted) Error() string { return n.err.Error() + " (" + n.note + ")" }
func (n *noted) Unwrap() error { return n.err }

func TestProviderData(t *testing.T) {
	var diags diag.Diagnostics
	if _, ok := ProviderData[*int](nil, &diags); ok || diags.HasError() {
		t.Error("nil provider data (unconfigured) must be silent")
	}
	n := 3
	if v, ok := ProviderData[*int](&n, &diags); !ok || *v != 3 {
		t.Error("the right type was refused")
	}
	if _, ok := ProviderData[*int]("x", &diags); ok || !diags.HasError() {
		t.Error("the wrong type was accepted")
	}
}

func TestUserAgentAndDurations(t *testing.T) {
	if got := UserAgent("iam", "0.2.0"); got != "terraform-provider-iam/0.2.0" {
		t.Errorf("UserAgent = %q", got)
	}
}

func TestOperationContextNamesItsLimit(t *testing.T) {
	var diags diag.Diagnostics
	fromBlock := func(context.Context, time.Duration) (time.Duration, diag.Diagnostics) {
		return 20 * time.Millisecond, nil
	}
	ctx, cancel := OperationContext(context.Background(), fromBlock, time.Hour, &diags)
	defer cancel()
	deadline, ok := ctx.Deadline()
	if !ok || time.Until(deadline) > time.Second || diags.HasError() {
		t.Fatalf("deadline %v, %v", deadline, diags)
	}
	<-ctx.Done()
}

func TestTimeoutsBlockDescribesItsDefaults(t *testing.T) {
	b := TimeoutsBlock(context.Background())
	if b == nil {
		t.Fatal("no block")
	}
}

func TestWaitVisible(t *testing.T) {
	notFound := errors.New("not found")
	reads := 0
	v, err := WaitVisible(context.Background(), ReadAfterCreate{MaxWait: time.Second, FirstDelay: time.Millisecond},
		func(err error) bool { return errors.Is(err, notFound) },
		func(context.Context) (string, error) {
			reads++
			if reads < 3 {
				return "", notFound
			}
			return "ok", nil
		})
	if err != nil || v != "ok" || reads != 3 {
		t.Fatalf("WaitVisible = %q, %v after %d reads", v, err, reads)
	}
	// Gives up after MaxWait with the not-found error; other errors end it at once.
	reads = 0
	_, err = WaitVisible(context.Background(), ReadAfterCreate{MaxWait: 20 * time.Millisecond, FirstDelay: 5 * time.Millisecond},
		func(err error) bool { return errors.Is(err, notFound) },
		func(context.Context) (string, error) { reads++; return "", notFound })
	if !errors.Is(err, notFound) || reads < 2 || reads > 6 {
		t.Errorf("WaitVisible = %v after %d reads", err, reads)
	}
	other := errors.New("boom")
	reads = 0
	_, err = WaitVisible(context.Background(), DefaultReadAfterCreate, func(err error) bool { return errors.Is(err, notFound) },
		func(context.Context) (string, error) { reads++; return "", other })
	if !errors.Is(err, other) || reads != 1 {
		t.Errorf("WaitVisible = %v after %d reads", err, reads)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = WaitVisible(ctx, DefaultReadAfterCreate, func(err error) bool { return errors.Is(err, notFound) },
		func(context.Context) (string, error) { return "", notFound })
	if errors.Is(err, notFound) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled WaitVisible = %v, want the context's error (an object not visible yet is not proven gone)", err)
	}
}

func TestChanged(t *testing.T) {
	if got := Changed(types.StringValue("b"), types.StringValue("a")); got == nil || *got != "b" {
		t.Errorf("a changed value: %v", got)
	}
	if got := Changed(types.StringValue(""), types.StringValue("a")); got == nil || *got != "" {
		t.Errorf("a value changed to empty: %v", got)
	}
	for _, plan := range []types.String{types.StringValue("a"), types.StringNull(), types.StringUnknown()} {
		if got := Changed(plan, types.StringValue("a")); got != nil {
			t.Errorf("Changed(%v, a) = %q, want nil", plan, *got)
		}
	}
}
