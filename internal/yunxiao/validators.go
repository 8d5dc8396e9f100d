package yunxiao

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// organizationIDPattern: an organization id is one path segment of the API's URLs.
var organizationIDPattern = regexp.MustCompile(`^[^/\s]+$`)

const organizationIDMessage = "must be a Yunxiao organization id, e.g. 5ebbc0228123212b59xxxxx: no spaces or \"/\""

// customCodePattern is createProject's documented rule: 4 to 6 upper-case letters.
var customCodePattern = regexp.MustCompile(`^[A-Z]{4,6}$`)

// identifierPattern: a project identifier is one path segment of the API's URLs.
var identifierPattern = regexp.MustCompile(`^[^/\s]+$`)

// endpointValidator checks at plan time that endpoint is a URL the client accepts.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be a full http(s) URL with scheme and host only, such as " + client.DefaultEndpoint
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := client.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", err.Error())
	}
}
