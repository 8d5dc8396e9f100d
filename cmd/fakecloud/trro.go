package main

import (
	"net/http"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// The fake TRRO's credentials; they are good for nothing but this local mock.
//
//nolint:gosec // G101: made-up credentials of the local mock
const (
	trroSecretID  = "AKIDfakecloudDEMO00000000000000000"
	trroSecretKey = "fakecloud-demo-secret-key-000000"
)

// trroAPI serves the TRRO mock, which allows TRRO's documented 20 requests per second per action.
func trroAPI() *api {
	m := mock.New()
	m.AddKey(trroSecretID, trroSecretKey, "")
	return &api{
		name:  "trro",
		title: "TRRO",
		mock:  m,
		createOp: func(r *http.Request) string {
			if r.Header.Get("X-TC-Action") == "CreateProject" {
				return "CreateProject"
			}
			return ""
		},
		env: func(url string) map[string]string {
			return map[string]string{
				"TRRO_ENDPOINT":           url,
				"TENCENTCLOUD_SECRET_ID":  trroSecretID,
				"TENCENTCLOUD_SECRET_KEY": trroSecretKey,
				"TENCENTCLOUD_REGION":     "ap-guangzhou",
			}
		},
	}
}
