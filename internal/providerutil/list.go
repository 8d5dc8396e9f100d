package providerutil

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// NullTimeouts is an absent `timeouts` block of the listed resource's schema: what a list
// result's full object holds, as after an import, so generated configuration plans clean.
func NullTimeouts(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	t, diags := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		return timeouts.Value{}, diags
	}
	withAttrs, ok := t.(attr.TypeWithAttributeTypes)
	if !ok {
		diags.AddError("Unexpected resource schema", fmt.Sprintf("The timeouts block has type %T, not an object. This is a bug in the provider.", t))
		return timeouts.Value{}, diags
	}
	return timeouts.Value{Object: types.ObjectNull(withAttrs.AttributeTypes())}, diags
}
