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

func trroCloud() (http.Handler, func(url string) map[string]string) {
	m := mock.New()
	m.AddKey(trroSecretID, trroSecretKey, "")
	return m, func(url string) map[string]string {
		return map[string]string{
			"TRRO_ENDPOINT":           url,
			"TENCENTCLOUD_SECRET_ID":  trroSecretID,
			"TENCENTCLOUD_SECRET_KEY": trroSecretKey,
			"TENCENTCLOUD_REGION":     "ap-guangzhou",
		}
	}
}
