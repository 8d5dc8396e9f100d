package yunxiao

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
)

var _ resource.ResourceWithIdentity = &projectResource{}

// projectIdentityModel is the yunxiao_project identity (Terraform 1.12 and later): the
// organization and the project's identifier. Neither changes for the life of a project (a new
// organization_id replaces the project).
type projectIdentityModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	ID             types.String `tfsdk:"id"`
}

func (r *projectResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"organization_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The Yunxiao organization (企业) id, e.g. 5ebbc0228123212b59xxxxx.",
			},
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The project's identifier, e.g. e8b2xxxxxxx09b07d23.",
			},
		},
	}
}

// setIdentity sets the identity from the model's organization and id. It does nothing when
// either is not known (a project not created yet) or when there is no identity to set.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *projectModel) diag.Diagnostics {
	for _, v := range []types.String{m.OrganizationID, m.ID} {
		if v.IsNull() || v.IsUnknown() || v.ValueString() == "" {
			return nil
		}
	}
	if identity == nil {
		return nil
	}
	return providerutil.SetIdentity(ctx, identity, projectIdentityModel{OrganizationID: m.OrganizationID, ID: m.ID})
}

// importedID is what an import names: the id string of `terraform import` or of an import
// block's id, "<organization_id>/<identifier>" or "<identifier>", or else (Terraform 1.12 and
// later) an import block's identity, as "<organization_id>/<identifier>", or "<identifier>"
// when the identity has no organization_id.
func importedID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return req.ID, nil
	}
	var identity projectIdentityModel
	diags := req.Identity.Get(ctx, &identity)
	if identity.OrganizationID.ValueString() == "" {
		return identity.ID.ValueString(), diags
	}
	return identity.OrganizationID.ValueString() + "/" + identity.ID.ValueString(), diags
}
