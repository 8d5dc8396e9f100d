package trro

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// projectIDPattern is the documented form of a ProjectId: 16 letters and digits.
var projectIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{16}$`)

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
