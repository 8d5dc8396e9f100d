package providerutil

import (
	"context"
	"fmt"
	"iter"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
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

// ListConfig decodes a list block's configuration into model (a request without one, as
// `terraform query` may send, sets no filter) and compiles its name_regex.
func ListConfig(ctx context.Context, req list.ListRequest, model any, nameRegex func() types.String) (*regexp.Regexp, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !req.Config.Raw.IsNull() {
		diags = req.Config.Get(ctx, model)
	}
	if diags.HasError() {
		return nil, diags
	}
	v := nameRegex()
	if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
		return nil, diags
	}
	re, err := regexp.Compile(v.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("name_regex"), "Invalid name_regex",
			fmt.Sprintf("name_regex must be an RE2 regular expression: %v", err))
	}
	return re, diags
}

// Listing describes how a list resource streams the objects of one list call.
type Listing[T any] struct {
	// What names the objects for errors, e.g. "TRRO projects".
	What string
	// Fetch returns every object, following the pages.
	Fetch func(ctx context.Context) ([]T, error)
	// Name is an object's display name, which name_regex (Filter) matches.
	Name   func(T) string
	Filter *regexp.Regexp
	// Skip leaves out objects the resource cannot manage (deleted, a region's own project).
	Skip func(T) bool
	// Fill sets the result's identity and, when includeResource, its full object: what the
	// resource's Read stores, so that generated configuration plans clean. skip leaves the
	// object out (e.g. deleted since the listing); an error ends the stream with it.
	Fill func(ctx context.Context, t T, result *list.ListResult, includeResource bool) (skip bool, err error)
	// FillFailed is the summary of Fill's error, e.g. "Error reading IAM project <id>".
	FillFailed func(T) string
}

// Stream returns the results of l for req: filtered, at most req.Limit, API errors as a
// diagnostic that ends the stream, each call bounded by DefaultReadTimeout.
func Stream[T any](ctx context.Context, req list.ListRequest, l Listing[T]) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		ctx, cancel := transport.WithTimeout(ctx, DefaultReadTimeout)
		defer cancel()
		fail := func(summary string, err error) {
			var d diag.Diagnostics
			AddClientError(&d, summary, err)
			push(list.ListResult{Diagnostics: d})
		}
		objects, err := l.Fetch(ctx)
		if err != nil {
			fail("Error listing "+l.What, err)
			return
		}
		var sent int64
		for _, t := range objects {
			if (l.Skip != nil && l.Skip(t)) || (l.Filter != nil && !l.Filter.MatchString(l.Name(t))) {
				continue
			}
			if req.Limit > 0 && sent >= req.Limit {
				return
			}
			result := req.NewListResult(ctx)
			result.DisplayName = l.Name(t)
			skip, err := l.Fill(ctx, t, &result, req.IncludeResource)
			if err != nil {
				fail(l.FillFailed(t), err)
				return
			}
			if skip {
				continue
			}
			if !push(result) {
				return
			}
			sent++
		}
	}
}
