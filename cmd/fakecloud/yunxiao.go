package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

// The fake Yunxiao's credentials, organization and project template; they are good for nothing
// but this local mock.
const (
	yunxiaoAccessKeyID     = "LTAI5tFakecloudDemoKey00"
	yunxiaoAccessKeySecret = "fakecloud-demo-access-key-secret"
	yunxiaoOrganizationID  = "5ebbc0228123212b59fake00"
	yunxiaoTemplate        = "704ea0000fakecloud0demo1"
)

// createProjectPath is createProject's path, as the mock routes it.
var createProjectPath = regexp.MustCompile(`^/organization/[^/]+/projects/createProject$`)

func yunxiaoAPI() *api {
	m := mock.New()
	// Named like Yunxiao's built-in Scrum template, so data "yunxiao_project_templates" can find
	// it by name.
	m.AddTemplate(yunxiaoOrganizationID, client.Template{Identifier: yunxiaoTemplate, Name: "Scrum 敏捷交付空间", NameEn: "Scrum", Type: 0,
		Description: "The fake cloud's only project template"})
	m.AddKey(yunxiaoAccessKeyID, yunxiaoAccessKeySecret, "", yunxiaoOrganizationID)
	return &api{
		name:     "yunxiao",
		title:    "Yunxiao",
		mock:     m,
		projects: yunxiaoProjects{m},
		createOp: func(r *http.Request) string {
			if r.Method == http.MethodPost && createProjectPath.MatchString(r.URL.Path) {
				return "CreateProject"
			}
			return ""
		},
		env: func(url string) map[string]string {
			return map[string]string{
				"YUNXIAO_ENDPOINT":                url,
				"YUNXIAO_ORGANIZATION_ID":         yunxiaoOrganizationID,
				"ALIBABA_CLOUD_ACCESS_KEY_ID":     yunxiaoAccessKeyID,
				"ALIBABA_CLOUD_ACCESS_KEY_SECRET": yunxiaoAccessKeySecret,
			}
		},
	}
}

// yunxiaoProject is a Yunxiao project in seed files, -state and the admin endpoint, named like
// yunxiao_project's attributes. organization_id defaults to the fake cloud's organization (the
// only one), scope to private as the resource's does, status to NORMAL, and created_at
// (RFC 3339) to the time it was added.
type yunxiaoProject struct {
	ID             string `json:"id,omitempty"`
	OrganizationID string `json:"organization_id,omitempty"`
	Name           string `json:"name"`
	CustomCode     string `json:"custom_code"`
	Scope          string `json:"scope,omitempty"`
	Description    string `json:"description,omitempty"`
	Status         string `json:"status,omitempty"`
	Creator        string `json:"creator,omitempty"`
	CreatedAt      string `json:"created_at,omitempty"`
}

type yunxiaoProjects struct{ mock *mock.Server }

func (s yunxiaoProjects) list() []any {
	var out []any
	for _, p := range s.mock.Projects(yunxiaoOrganizationID) {
		out = append(out, yunxiaoProject{ID: p.Identifier, OrganizationID: p.OrganizationIdentifier, Name: p.Name, CustomCode: p.CustomCode,
			Scope: p.Scope, Description: p.Description, Status: p.LogicalStatus, Creator: p.Creator, CreatedAt: p.GmtCreate.RFC3339()})
	}
	return out
}

func (s yunxiaoProjects) add(record json.RawMessage) (any, error) {
	var r yunxiaoProject
	if err := decodeStrict(record, &r); err != nil {
		return nil, err
	}
	if err := checkID(r.ID); err != nil {
		return nil, err
	}
	if r.OrganizationID == "" {
		r.OrganizationID = yunxiaoOrganizationID
	}
	if r.OrganizationID != yunxiaoOrganizationID {
		return nil, fmt.Errorf("organization_id %q: the fake cloud has one organization, %s", r.OrganizationID, yunxiaoOrganizationID)
	}
	if r.Scope == "" {
		r.Scope = "private"
	}
	p := client.Project{Identifier: r.ID, Name: r.Name, CustomCode: r.CustomCode, Scope: r.Scope, Description: r.Description,
		LogicalStatus: r.Status, Creator: r.Creator}
	if r.CreatedAt != "" {
		t, err := time.Parse(time.RFC3339, r.CreatedAt)
		if err != nil {
			return nil, fmt.Errorf("created_at %q is not an RFC 3339 time", r.CreatedAt)
		}
		p.GmtCreate = client.Millis(t.UnixMilli())
	}
	id, err := s.mock.AddProject(r.OrganizationID, p)
	if err != nil {
		return nil, err
	}
	stored, _ := s.mock.Project(r.OrganizationID, id)
	r.ID, r.Status, r.Creator, r.CreatedAt = id, stored.LogicalStatus, stored.Creator, stored.GmtCreate.RFC3339()
	return r, nil
}

func (s yunxiaoProjects) remove(id string) bool {
	if _, ok := s.mock.Project(yunxiaoOrganizationID, id); !ok {
		return false
	}
	s.mock.RemoveProject(yunxiaoOrganizationID, id)
	return true
}
