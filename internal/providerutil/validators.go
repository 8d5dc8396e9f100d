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

// The text rules: one implementation for the names and descriptions of all three providers.
// The per-API rules (lengths, character sets, IAM's region prefix) stay with each cloud.
//
// A character is refused, anywhere in a name or a description, when no one can see it or tell
// it from another: a control character (Cc; descriptions may hold newline and tab, as heredocs
// do), an invisible format character (Cf: zero-width space and joiners, BOM, bidirectional
// marks, soft hyphen), a line or paragraph separator (Zl, Zp: U+2028, U+2029) or one of
// Unicode's other default-ignorable code points (unicode.Other_Default_Ignorable_Code_Point:
// the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, the combining grapheme joiner U+034F,
// the Khmer inherent vowels and reserved ignorable code points), which display as nothing.
// Allowed: space separators inside text (NBSP, U+3000 between words), combining marks and
// variation selectors (accents, emoji presentation), private-use characters (fonts draw them)
// and code points this Go release does not know (a newer Unicode may have assigned them).
// Names are moreover single-line and must not be blank or start or end with white space.

// VisibleText checks at plan time that a name-like string is text a person can see and type:
// the text rules above, with no line breaks or tabs, not blank after trimming Unicode white
// space (U+3000 and NBSP included), and without leading or trailing white space. The API would
// reject some of these only at apply time, or, worse, accept a name no one can tell from another.
func VisibleText() validator.String { return textValidator{} }

// DescriptionText checks at plan time that a description is text: the text rules above, with
// newlines and tabs allowed (descriptions are often written as heredocs). Blank and padded
// descriptions are fine.
func DescriptionText() validator.String { return textValidator{multiline: true} }

// NameTextRule and DescriptionTextRule say the text rules in an attribute's MarkdownDescription,
// so that every provider's docs say them the same way.
const (
	NameTextRule = "It must be visible text: not blank (white space only, U+3000 and NBSP included), without leading or trailing " +
		"white space, control characters (NUL, newline, tab), invisible format characters (zero-width space, joiners, BOM, " +
		"bidirectional marks), line or paragraph separators (U+2028, U+2029) or other characters that display as nothing " +
		"(such as the Hangul filler U+3164)."
	DescriptionTextRule = "Newlines and tabs are allowed; other control characters, invisible format characters (zero-width space, " +
		"joiners, BOM, bidirectional marks), line or paragraph separators (U+2028, U+2029) and other characters that display " +
		"as nothing (such as the Hangul filler U+3164) are not."
)

type textValidator struct{ multiline bool }

func (v textValidator) Description(context.Context) string {
	if v.multiline {
		return "value must be text: no control characters other than newline and tab, no zero-width or other invisible characters, no line or paragraph separators"
	}
	return "value must be visible text: not blank, no leading or trailing white space, no control, zero-width or other invisible characters, no line or paragraph separators"
}

func (v textValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v textValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	problem := TextProblem
	if v.multiline {
		problem = DescriptionProblem
	}
	if p := problem(req.ConfigValue.ValueString()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(),
			fmt.Sprintf("Attribute %s %s; got %+q (shown escaped).", req.Path, p, req.ConfigValue.ValueString()))
	}
}

// TextProblem says what makes s unfit as a name (VisibleText), or "" when it is fine.
func TextProblem(s string) string {
	trimmed := strings.TrimFunc(s, unicode.IsSpace)
	switch {
	case trimmed == "":
		return "must not be blank (only white space)"
	case trimmed != s:
		return "must not start or end with white space"
	}
	return characterProblem(s, false)
}

// DescriptionProblem says what makes s unfit as a description (DescriptionText), or "" when it
// is fine.
func DescriptionProblem(s string) string { return characterProblem(s, true) }

// characterProblem applies the text rules to each character of s; multiline allows newline and
// tab.
func characterProblem(s string, multiline bool) string {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case unicode.IsControl(r):
			if multiline {
				return fmt.Sprintf("must not contain control characters other than newline and tab, such as %U", r)
			}
			return fmt.Sprintf("must not contain control characters such as %U", r)
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("must not contain invisible format characters such as %U", r)
		case unicode.In(r, unicode.Zl, unicode.Zp):
			if multiline {
				return fmt.Sprintf("must not contain Unicode line or paragraph separators such as %U (use a newline)", r)
			}
			return fmt.Sprintf("must not contain Unicode line or paragraph separators such as %U", r)
		case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
			return fmt.Sprintf("must not contain characters that display as nothing, such as %U", r)
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
