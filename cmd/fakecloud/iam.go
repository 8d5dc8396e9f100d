package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
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
	// Fixed ids, the same in every run (see fixedID).
	fx.DomainID = fixedID(string(flavour), "domain")
	m.SetIDs(fx.DomainName, fx.DomainID, func(region string) string { return fixedID(string(flavour), "region", region) })
	title := "IAM (Open Telekom Cloud)"
	if flavour == mock.Huawei {
		title = "IAM (Huawei Cloud)"
	}
	return &api{
		name:     string(flavour),
		title:    title,
		mock:     m,
		projects: iamProjects{mock: m, domainID: fx.DomainID},
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

// fixedID is the fake cloud's id for what is named by parts: the same in every run, so that a
// restart with -state keeps each project's domain_id and parent_id.
func fixedID(parts ...string) string {
	sum := sha256.Sum256([]byte("fakecloud/" + strings.Join(parts, "/")))
	return hex.EncodeToString(sum[:16])
}

// iamProject is an IAM project in seed files, -state and the admin endpoint, named like
// iam_project's attributes. The region projects (named like the regions) are the cloud's own
// and never listed; parent_id and domain_id are the name's region's project and the fake
// cloud's account (set, they must be those); status defaults to normal.
type iamProject struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status,omitempty"`
	ParentID    string `json:"parent_id,omitempty"`
	DomainID    string `json:"domain_id,omitempty"`
}

type iamProjects struct {
	mock     *mock.Server
	domainID string
}

func (s iamProjects) list() []any {
	var out []any
	for _, p := range s.mock.Projects(s.domainID) {
		if p.ParentID == s.domainID {
			continue // a region's project
		}
		out = append(out, iamProject{ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status, ParentID: p.ParentID, DomainID: p.DomainID})
	}
	return out
}

func (s iamProjects) add(record json.RawMessage) (any, error) {
	var r iamProject
	if err := decodeStrict(record, &r); err != nil {
		return nil, err
	}
	if err := checkID(r.ID); err != nil {
		return nil, err
	}
	if r.DomainID != "" && r.DomainID != s.domainID {
		return nil, fmt.Errorf("domain_id %q: the fake cloud's account is %s", r.DomainID, s.domainID)
	}
	id, err := s.mock.AddProject(client.Project{ID: r.ID, Name: r.Name, Description: r.Description, Status: r.Status, ParentID: r.ParentID, DomainID: s.domainID})
	if err != nil {
		return nil, err
	}
	p, _ := s.mock.Project(id)
	return iamProject{ID: p.ID, Name: p.Name, Description: p.Description, Status: p.Status, ParentID: p.ParentID, DomainID: p.DomainID}, nil
}

func (s iamProjects) remove(id string) bool {
	p, ok := s.mock.Project(id)
	if !ok || p.DomainID != s.domainID || p.ParentID == s.domainID {
		return false // the regions' projects stay, as on the cloud
	}
	s.mock.RemoveProject(id)
	return true
}
