package trro

import (
	"context"
	"fmt"
	"regexp"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
