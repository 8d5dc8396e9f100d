package interop

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/interop/otcsdk"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// TestOurClientAcceptsWhatTheSDKModelsAccept: answers in shapes both SDKs' models decode
// (null or missing optional fields, unknown fields, null links, the statuses the SDKs accept)
// are accepted by our client with the values they carry.
func TestOurClientAcceptsWhatTheSDKModelsAccept(t *testing.T) {
	rec, ts, fx := newMock(t, mock.OTC)
	c, err := client.New(client.Config{AuthURL: ts.URL + "/v3", AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID,
		Retry: transport.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	parent := rec.srv.RegionProjectID(fx.DomainID, "eu-de")
	const id = "0123456789abcdef0123456789abcdef"
	// Unusual but valid: description null, no is_domain, no links, a field neither SDK knows.
	project := `{"id":"` + id + `","name":"eu-de_shape","description":null,"parent_id":"` + parent + `","domain_id":"` + fx.DomainID + `","enabled":true,"tags":[]}`

	for _, body := range []string{`{"project":` + project + `}`, `{"links":{"next":null,"previous":null,"self":null},"projects":[` + project + `]}`} {
		var hw model.KeystoneShowProjectResponse
		var hwList model.KeystoneListProjectsResponse
		var otc struct{ Project *otcsdk.Project }
		var otcList otcsdk.ProjectPage
		for _, m := range []any{&hw, &hwList, &otc, &otcList} {
			if err := json.Unmarshal([]byte(body), m); err != nil {
				t.Fatalf("an SDK model refuses %s: %v", body, err)
			}
		}
	}

	// Create answered 202, which the OTC SDK's POST accepts.
	rec.srv.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.ActThenRawAnswer, Status: 202, Body: `{"project":` + project + `}`})
	p, err := c.CreateProject(ctx, client.CreateProjectInput{Name: "eu-de_shape", ParentID: parent})
	if err != nil || p.ID != id || p.Description != "" || !p.Enabled {
		t.Fatalf("create answered 202: %+v, %v", p, err)
	}
	rec.srv.Inject(client.OpShowProjectStatus, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"project":` + strings.Replace(project, `"tags":[]`, `"status":"normal"`, 1) + `}`})
	if p, err := c.GetProject(ctx, id); err != nil || p.Name != "eu-de_shape" || p.Status != client.StatusNormal {
		t.Fatalf("read: %+v, %v", p, err)
	}
	rec.srv.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.RawAnswer, Body: `{"links":{"next":null,"previous":null,"self":null},"projects":[` + project + `]}`})
	if list, err := c.ListProjects(ctx, client.ListProjectsInput{Name: "eu-de_shape"}); err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("list: %+v, %v", list, err)
	}
	// Delete: 200 (the OTC SDK's only status) with an empty body or an empty object, and 204.
	for _, answer := range []mockserver.Fault{{Status: 200}, {Status: 200, Body: "{}"}, {Status: 204}} {
		gone := rec.srv.PutProject(client.Project{DomainID: fx.DomainID, Name: "eu-de_gone"})
		answer.Kind = mockserver.ActThenRawAnswer
		rec.srv.Inject(client.OpDeleteProject, answer)
		if err := c.DeleteProject(ctx, gone); err != nil {
			t.Errorf("delete answered %d %q: %v", answer.Status, answer.Body, err)
		}
		if _, exists := rec.srv.Project(gone); exists {
			t.Errorf("delete answered %d %q: the project is still there", answer.Status, answer.Body)
		}
	}
}

// TestProjectIDsNeedNoEscaping: IAM's ids (domains and projects) are 32 hex digits, as the
// mock issues them, so the one place where the SDKs and we could differ on a path (a "/" or
// another reserved character inside a path parameter: the Huawei SDK puts the raw value into
// the path, we escape it with url.PathEscape, both sign the unescaped path split on "/") cannot
// be reached by an id the cloud issued.
func TestProjectIDsNeedNoEscaping(t *testing.T) {
	rec, _, fx := newMock(t, mock.Huawei)
	ids := []string{fx.DomainID}
	for _, p := range rec.srv.Projects(fx.DomainID) {
		ids = append(ids, p.ID)
	}
	for _, id := range ids {
		if !hexID.MatchString(id) || transport.EscapeRFC3986(id) != id {
			t.Errorf("id %q is not 32 hex digits", id)
		}
	}
	if len(ids) != 1+len(mock.Huawei.Regions()) {
		t.Errorf("ids %v", ids)
	}
}
