package providerutil

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// ValidRegex checks at plan time that a string is a Go (RE2) regular expression.
func ValidRegex() validator.String { return validRegex{} }

type validRegex struct{}

func (validRegex) Description(context.Context) string {
	return "value must be a valid RE2 regular expression"
}

func (v validRegex) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (validRegex) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("Attribute %s must be a valid RE2 regular expression (https://github.com/google/re2/wiki/Syntax): %v", req.Path, err))
	}
}

// VisibleText checks at plan time that a name-like string is text a person can see and type:
// not blank after trimming Unicode white space (U+3000 and NBSP included), without leading or
// trailing white space, and without control characters (NUL, newline) or invisible format
// characters (zero-width space, joiners, BOM, bidirectional marks). The API would reject
// most of these only at apply time, or, worse, accept a name no one can tell from another.
func VisibleText() validator.String { return visibleText{} }

type visibleText struct{}

func (visibleText) Description(context.Context) string {
	return "value must be visible text: not blank, no leading or trailing white space, no control or zero-width characters"
}

func (v visibleText) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (visibleText) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if problem := TextProblem(req.ConfigValue.ValueString()); problem != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("Attribute %s %s; got %+q (shown escaped).", req.Path, problem, req.ConfigValue.ValueString()))
	}
}

// TextProblem says what makes s unfit as a name, or "" when it is fine.
func TextProblem(s string) string {
	trimmed := strings.TrimFunc(s, unicode.IsSpace)
	switch {
	case trimmed == "":
		return "must not be blank (only white space)"
	case trimmed != s:
		return "must not start or end with white space"
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r):
			return fmt.Sprintf("must not contain control characters such as %U", r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("must not contain invisible format characters such as %U", r)
		}
	}
	return ""
}

// Nearest returns the candidate closest to s by edit distance (the first of equals), so that an
// error about a typo can name what was probably meant; "" when there are no candidates.
func Nearest(s string, candidates []string) string {
	best, bestDistance := "", -1
	for _, c := range candidates {
		if d := editDistance(s, c); bestDistance < 0 || d < bestDistance {
			best, bestDistance = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, counted in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
