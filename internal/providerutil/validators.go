package providerutil

import (
	"context"
	"fmt"
	"regexp"

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
