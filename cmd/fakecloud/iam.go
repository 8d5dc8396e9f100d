package main

import (
	"net/http"
	"strings"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// iamAPI serves the IAM mock as one flavour: Huawei Cloud (projects cannot be deleted, regions
// ap-southeast-1, cn-north-4 and eu-west-101) or Open Telekom Cloud (projects can be deleted,
// regions eu-de, eu-nl and eu-ch2). Both are seeded alike, so the provider signs in to either
// with the mock admin's password; the mock's users and keys are good for nothing but this mock.
func iamAPI(flavour mock.Flavour) *api {
	m := mock.New(flavour)
	fx := m.Seed()
	title := "IAM (Open Telekom Cloud)"
	if flavour == mock.Huawei {
		title = "IAM (Huawei Cloud)"
	}
	return &api{
		name:  string(flavour),
		title: title,
		mock:  m,
		createOp: func(r *http.Request) string {
			if r.Method == http.MethodPost && strings.TrimSuffix(r.URL.Path, "/") == "/v3/projects" {
				return client.OpCreateProject
			}
			return ""
		},
		env: func(url string) map[string]string {
			return map[string]string{"FAKECLOUD_" + strings.ToUpper(string(flavour)) + "_AUTH_URL": url + "/v3"}
		},
		flavour: flavour,
		flavourEnv: func(url string) map[string]string {
			return map[string]string{
				"HW_AUTH_URL":      url + "/v3",
				"HW_USER_NAME":     fx.AdminUser,
				"HW_USER_PASSWORD": fx.AdminPassword,
				"HW_DOMAIN_NAME":   fx.DomainName,
			}
		},
	}
}
