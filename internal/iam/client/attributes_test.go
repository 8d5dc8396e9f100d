package client_test

import (
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/attrtest"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
)

// Every attribute of iam_project has its place in the client: a row here, a key in the answer
// type that the conversion carries into Project, a place in the completeness rule, and in
// Project.Matches when the create sets it. An attribute added to the schema without a row, or
// with a row but missing from one of those places, fails here.
func TestProjectAttributesHaveTheirPlaces(t *testing.T) {
	attrtest.Check(t, attrtest.ResourceAttributes(t, iam.New("test")(), "iam_project"), attrtest.Table[client.Project, client.CreateProjectInput]{
		Resource: "iam_project",
		Places: "internal/iam/client/projects.go (wireProject and project(), Project, CreateProjectInput, Project.Matches), " +
			"the mock, and the steps of CONTRIBUTING.md's \"Adding an attribute, end to end\"",
		Rows: map[string]attrtest.Row{
			"id":          {Wire: "id"},
			"name":        {Wire: "name", Input: "name"},
			"parent_id":   {Wire: "parent_id", Input: "parent_id"},
			"domain_id":   {Wire: "domain_id", Input: "domain_id"},
			"description": {Wire: "description", Input: "description", Optional: true},
			"enabled":     {Wire: "enabled"},
			// Only GET /v3-ext/projects/{id} answers it; the other calls' answers have none.
			"status":          {Wire: "status", Optional: true},
			"deletion_policy": {Why: "the provider's own setting (what destroying the resource does), not the project's"},
		},
		Answer: map[string]any{
			"id": "3de1461665f045ef91ba1efe8121b979", "name": "eu-de_payments", "description": "the payments team",
			"parent_id": "0123456789abcdef0123456789abcdef", "domain_id": "fedcba9876543210fedcba9876543210",
			"enabled": true, "is_domain": false, "status": "normal",
		},
		Input: client.CreateProjectInput{Name: "eu-de_payments", Description: "the payments team",
			ParentID: "0123456789abcdef0123456789abcdef", DomainID: "fedcba9876543210fedcba9876543210"},
		Decode:  client.DecodeProject,
		Matches: client.Project.Matches,
	})
}
