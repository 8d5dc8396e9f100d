package trro

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// projectIDPattern is the documented form of a ProjectId: 16 letters and digits.
var projectIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{16}$`)

// descriptionText checks at plan time that a description is text: line breaks and tabs are
// fine (descriptions are often written as heredocs), but NUL and other control characters,
// and invisible format characters such as the zero-width space, are not. TRRO would store them,
// and a description no one can read back or compare is worse than an error at plan time.
func descriptionText() validator.String { return descriptionTextValidator{} }

type descriptionTextValidator struct{}

func (descriptionTextValidator) Description(context.Context) string {
	return "value must be text: no control characters other than newline and tab, no zero-width or other invisible format characters"
}

func (v descriptionTextValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (descriptionTextValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	s := req.ConfigValue.ValueString()
	if problem := descriptionProblem(s); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("Attribute %s %s; got %+q (shown escaped).", req.Path, problem, s))
	}
}

// descriptionProblem says what makes s unfit as a description, or "" when it is fine.
func descriptionProblem(s string) string {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case unicode.IsControl(r):
			return fmt.Sprintf("must not contain control characters other than newline and tab, such as %U", r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("must not contain invisible format characters such as %U", r)
		case unicode.In(r, unicode.Zl, unicode.Zp):
			return fmt.Sprintf("must not contain Unicode line or paragraph separators such as %U (use a newline)", r)
		}
	}
	return ""
}

// regionValidator checks at plan time that region is one of the regions the TRRO API reference
// lists (client.Regions), naming the nearest one: a typo such as ap-guangzho would otherwise
// pass the plan and fail every call with UnsupportedRegion.
type regionValidator struct{}

func (regionValidator) Description(context.Context) string {
	return "value must be a Tencent Cloud region the TRRO API serves, such as " + client.DefaultRegion
}

func (v regionValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regionValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := regionProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown TRRO region", problem)
	}
}

// regionProblem says why region is not usable, naming the nearest documented region, or ""
// when it is one.
func regionProblem(region string) string {
	if client.KnownRegion(region) {
		return ""
	}
	return fmt.Sprintf("TRRO does not serve region %q (the API would answer UnsupportedRegion). Did you mean %q? "+
		"The regions the TRRO API reference lists are: %s.", region, providerutil.Nearest(region, client.Regions), strings.Join(client.Regions, ", "))
}
