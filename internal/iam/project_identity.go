package iam

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
)

var _ resource.ResourceWithIdentity = &projectResource{}

// projectIdentityModel is the iam_project identity (Terraform 1.12 and later): the project id,
// which never changes for the life of a project.
type projectIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

func (r *projectResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The project id, 32 hexadecimal characters, e.g. " + exampleID + ".",
			},
		},
	}
}

// setIdentity sets the identity from the model's id. It does nothing when the id is not known
// (a project not created yet) or when there is no identity to set.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, m *projectModel) diag.Diagnostics {
	if identity == nil || m.ID.IsNull() || m.ID.IsUnknown() || m.ID.ValueString() == "" {
		return nil
	}
	return providerutil.SetIdentity(ctx, identity, projectIdentityModel{ID: m.ID})
}

// importedID is what an import names: the id string of `terraform import` or of an import
// block's id, or else (Terraform 1.12 and later) the id of an import block's identity.
func importedID(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil {
		return req.ID, nil
	}
	var id types.String
	diags := req.Identity.GetAttribute(ctx, path.Root("id"), &id)
	return id.ValueString(), diags
}
