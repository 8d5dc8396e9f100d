package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// On OTC another run's deletes revoke the account's tokens, possibly again right after this
// client fetched a new one: a create renews its token more than once and succeeds.
func TestCreateRenewsARevokedTokenMoreThanOnce(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	ctx := context.Background()
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	e.srv.RevokeTokensBefore(client.OpCreateProject, 3)
	p := e.create(t, c, "eu-de_revoked")
	if got, ok := e.srv.Project(p.ID); !ok || got.Name != "eu-de_revoked" {
		t.Fatalf("the mock holds %+v, %v; want the created project", got, ok)
	}
	if n := e.srv.Requests(client.OpCreateProject); n != 4 {
		t.Errorf("CreateProject sent %d times, want 4 (three refused, then accepted)", n)
	}
	if n := e.srv.Unauthorized(); n != 3 {
		t.Errorf("%d requests refused, want 3", n)
	}
	if n := e.srv.TokensIssued(); n != 4 {
		t.Errorf("%d tokens fetched, want 4 (the first and three renewals)", n)
	}
}

// Tokens revoked before every attempt: the call gives up after maxTokenRenewals (3) renewals,
// and the error says the tokens are being revoked, not that the password is wrong. Nothing was
// created.
func TestPersistentRevocationSaysSo(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	e.srv.RevokeTokensBefore(client.OpCreateProject, 100)
	_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "eu-de_never", ParentID: e.srv.RegionProjectID(e.fx.DomainID, "eu-de")})
	api := apiError(t, err)
	if api.StatusCode != 401 || !strings.Contains(api.Hint, "tokens are being revoked") || !strings.Contains(api.Hint, "4 tokens in a row") {
		t.Errorf("error %v with hint %q; want a 401 saying the account's tokens are being revoked", err, api.Hint)
	}
	if strings.Contains(api.Hint, "HW_USER_PASSWORD") {
		t.Errorf("hint %q blames the password, which was accepted", api.Hint)
	}
	if n := e.srv.Requests(client.OpCreateProject); n != 4 {
		t.Errorf("CreateProject sent %d times, want 4 (bounded renewals)", n)
	}
	if _, ok := e.srv.ProjectByName(e.fx.DomainID, "eu-de_never"); ok {
		t.Error("the mock holds the project although every create was refused")
	}
}

// RevokeTokens revokes out of band: the next call renews once and works.
func TestRevokeTokensOutOfBand(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	ctx := context.Background()
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	e.srv.RevokeTokens()
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.Unauthorized(); n != 1 {
		t.Errorf("%d requests refused, want 1", n)
	}
}

// FindProjectByName never picks one of several projects with one name; it reports them all.
func TestFindProjectByNameDuplicateIsAnError(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	first := e.create(t, c, "eu-de_twin")
	second := e.srv.PutProject(client.Project{Name: "eu-de_twin", ParentID: first.ParentID, DomainID: first.DomainID, Enabled: true})
	p, err := c.FindProjectByName(context.Background(), "eu-de_twin", "")
	if !client.IsDuplicateKey(err) || p != nil {
		t.Fatalf("FindProjectByName = %+v, %v; want a DuplicateKeyError", p, err)
	}
	if !strings.Contains(err.Error(), first.ID) || !strings.Contains(err.Error(), second) {
		t.Errorf("error %q does not name both projects", err)
	}
	if n := len(e.srv.Projects(e.fx.DomainID)); n < 2 {
		t.Errorf("the mock holds %d projects", n)
	}
}

// A lagging list omits a project created after LagLists once; FindProjectByName never serves
// from a snapshot, so the next lookup finds it.
func TestFindProjectByNameLaggingList(t *testing.T) {
	e := newEnv(t, mock.OTC)
	cfg := e.password()
	cfg.BatchReads = true
	c := newClient(t, cfg)
	e.srv.LagLists(1)
	created := e.create(t, c, "eu-de_lagging")
	if _, err := c.FindProjectByName(context.Background(), "eu-de_lagging", ""); !client.IsNotFound(err) {
		t.Fatalf("the lagging answer: %v, want not found", err)
	}
	p, err := c.FindProjectByName(context.Background(), "eu-de_lagging", "")
	if err != nil || p.ID != created.ID {
		t.Fatalf("after the lag: %+v, %v; want %s", p, err, created.ID)
	}
}
