package main

import (
	"encoding/json"
	"net/http"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
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
		name:     "trro",
		title:    "TRRO",
		mock:     m,
		projects: trroProjects{m},
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

// trroProject is a TRRO project in seed files, -state and the admin endpoint, named like
// trro_project's attributes; policy_mode defaults to black, as the resource's does.
type trroProject struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	PolicyMode  string `json:"policy_mode,omitempty"`
}

type trroProjects struct{ mock *mock.Server }

func (s trroProjects) list() []any {
	var out []any
	for _, p := range s.mock.Projects() {
		out = append(out, trroProject{ID: p.ID, Name: p.Name, Description: p.Description, PolicyMode: p.PolicyMode})
	}
	return out
}

func (s trroProjects) add(record json.RawMessage) (any, error) {
	var r trroProject
	if err := decodeStrict(record, &r); err != nil {
		return nil, err
	}
	if err := checkID(r.ID); err != nil {
		return nil, err
	}
	if r.PolicyMode == "" {
		r.PolicyMode = "black"
	}
	id, err := s.mock.AddProject(client.Project{ID: r.ID, Name: r.Name, Description: r.Description, PolicyMode: r.PolicyMode})
	if err != nil {
		return nil, err
	}
	r.ID = id
	return r, nil
}

func (s trroProjects) remove(id string) bool {
	if _, ok := s.mock.Project(id); !ok {
		return false
	}
	s.mock.RemoveProject(id)
	return true
}
