package main

import (
	"net/http"
	"regexp"

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
		name:  "yunxiao",
		title: "Yunxiao",
		mock:  m,
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
