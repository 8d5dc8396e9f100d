package main

import (
	"log"
	"net/http"
	"os"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// iamCloud serves the IAM mock, as Open Telekom Cloud (projects can be deleted, regions eu-de,
// eu-nl and eu-ch2) unless FAKECLOUD_IAM_FLAVOUR=huawei asks for Huawei Cloud (projects cannot be
// deleted, regions ap-southeast-1, cn-north-4 and eu-west-101). The provider signs in with the
// mock admin's password; the mock's users and keys are good for nothing but this local mock.
func iamCloud() (http.Handler, func(url string) map[string]string) {
	flavour := mock.OTC
	if v := os.Getenv("FAKECLOUD_IAM_FLAVOUR"); v != "" {
		f, err := mock.ParseFlavour(v)
		if err != nil {
			log.Fatal(err)
		}
		flavour = f
	}
	m := mock.New(flavour)
	fx := m.Seed()
	return m, func(url string) map[string]string {
		return map[string]string{
			"HW_AUTH_URL":      url + "/v3",
			"HW_USER_NAME":     fx.AdminUser,
			"HW_USER_PASSWORD": fx.AdminPassword,
			"HW_DOMAIN_NAME":   fx.DomainName,
		}
	}
}
