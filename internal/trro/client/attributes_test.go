package client_test

import (
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/attrtest"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// Every attribute of trro_project has its place in the client: a row here, a key in the answer
// type that the conversion carries into Project, a place in the completeness rule, and in
// Project.Matches when the create sets it. An attribute added to the schema without a row, or
// with a row but missing from one of those places, fails here.
func TestProjectAttributesHaveTheirPlaces(t *testing.T) {
	attrtest.Check(t, attrtest.ResourceAttributes(t, trro.New("test")(), "trro_project"), attrtest.Table[client.Project, client.CreateProjectInput]{
		Resource: "trro_project",
		Places: "internal/trro/client/projects.go (wireProject and project(), Project, CreateProjectInput, Project.Matches), " +
			"the mock, and the steps of CONTRIBUTING.md's \"Adding an attribute, end to end\"",
		Rows: map[string]attrtest.Row{
			"id":          {Wire: "ProjectId"},
			"name":        {Wire: "ProjectName", Input: "ProjectName"},
			"description": {Wire: "ProjectDescription", Input: "ProjectDescription"},
			"policy_mode": {Wire: "PolicyMode", Input: "PolicyMode"},
		},
		Answer: map[string]any{
			"ProjectId": "prj0123456789abc", "ProjectName": "payments", "ProjectDescription": "the payments team",
			"PolicyMode": "black", "ModifyTime": "2026-01-02 03:04:05",
		},
		Input:   client.CreateProjectInput{Name: "payments", Description: "the payments team", PolicyMode: "black"},
		Decode:  client.DecodeProject,
		Matches: client.Project.Matches,
	})
}
