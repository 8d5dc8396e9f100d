package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

var fastRetry = transport.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}

// clock is a settable clock shared by a client and the mock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	srv *mock.Server
	url string
	fx  mock.Fixture
	// style is the AK/SK signature style of aksk's clients (0: the host's).
	style client.SigningStyle
}

func newEnv(t *testing.T, flavour mock.Flavour) *env {
	t.Helper()
	srv := mock.New(flavour)
	fx := srv.Seed()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{srv: srv, url: ts.URL + "/v3", fx: fx}
}

func (e *env) password() client.Config {
	return client.Config{AuthURL: e.url, UserName: e.fx.AdminUser, Password: e.fx.AdminPassword, DomainName: e.fx.DomainName, Retry: fastRetry}
}

func (e *env) aksk() client.Config {
	return client.Config{AuthURL: e.url, AccessKey: e.fx.AccessKey, SecretKey: e.fx.SecretKey, DomainID: e.fx.DomainID, Retry: fastRetry, Signing: e.style}
}

func newClient(t *testing.T, cfg client.Config) *client.Client {
	t.Helper()
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) create(t *testing.T, c *client.Client, name string) *client.Project {
	t.Helper()
	region, _, _ := strings.Cut(name, "_")
	p, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: name, ParentID: e.srv.RegionProjectID(e.fx.DomainID, region)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func apiError(t *testing.T, err error) *transport.APIError {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got none")
	}
	api, ok := transport.AsAPIError(err)
	if !ok {
		t.Fatalf("expected an *APIError, got %T: %v", err, err)
	}
	return api
}

func TestParseAuthURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://iam.myhuaweicloud.com/v3":         "https://iam.myhuaweicloud.com",
		"https://iam.myhuaweicloud.com/v3/":        "https://iam.myhuaweicloud.com",
		"https://iam.eu-de.otc.t-systems.com":      "https://iam.eu-de.otc.t-systems.com",
		"http://127.0.0.1:8080/v3":                 "http://127.0.0.1:8080",
		"https://gateway.example.com/identity/v3":  "https://gateway.example.com/identity",
		" https://iam.eu-nl.otc.t-systems.com/v3 ": "https://iam.eu-nl.otc.t-systems.com",
	} {
		u, err := client.ParseAuthURL(raw)
		if err != nil {
			t.Errorf("ParseAuthURL(%q): %v", raw, err)
			continue
		}
		if u.String() != want {
			t.Errorf("ParseAuthURL(%q) = %q, want %q", raw, u, want)
		}
	}
	for _, raw := range []string{"", "iam.myhuaweicloud.com/v3", "ftp://iam.example.com/v3", "https:///v3", "https://iam.example.com/v3?x=1"} {
		if _, err := client.ParseAuthURL(raw); err == nil {
			t.Errorf("ParseAuthURL(%q) succeeded", raw)
		}
	}
}

func TestCredentialPrecedence(t *testing.T) {
	all := client.Config{Token: "t", AccessKey: "ak", SecretKey: "sk", DomainID: "d", UserName: "u", Password: "p", DomainName: "n"}
	if k := all.Kind(); k != client.CredentialToken {
		t.Errorf("all sets: %v, want token", k)
	}
	all.Token = ""
	if k := all.Kind(); k != client.CredentialAKSK {
		t.Errorf("AK/SK and password: %v, want AK/SK", k)
	}
	all.DomainID = ""
	if k := all.Kind(); k != client.CredentialPassword {
		t.Errorf("AK/SK without domain id and password: %v, want password", k)
	}
	all.DomainName = ""
	if k := all.Kind(); k != 0 {
		t.Errorf("no complete set: %v, want none", k)
	}
	if _, err := client.New(all); err == nil {
		t.Error("New accepted a configuration with no complete credential set")
	}
}

func TestPasswordTokenIsCachedUntilShortlyBeforeExpiry(t *testing.T) {
	e := newEnv(t, mock.OTC)
	clk := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	e.srv.Now = clk.Now
	e.srv.SetTokenTTL(time.Hour)
	cfg := e.password()
	cfg.Now = clk.Now
	c := newClient(t, cfg)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.srv.TokensIssued(); n != 1 {
		t.Fatalf("%d tokens fetched for three calls, want 1", n)
	}
	clk.Add(54 * time.Minute) // 6 minutes left: still used
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.TokensIssued(); n != 1 {
		t.Fatalf("token renewed with 6 minutes left (%d fetched), want it kept", n)
	}
	clk.Add(2 * time.Minute) // 4 minutes left: renewed before use
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.TokensIssued(); n != 2 {
		t.Fatalf("%d tokens fetched, want a new one 4 minutes before expiry", n)
	}
	if n := e.srv.Unauthorized(); n != 0 {
		t.Errorf("%d requests were refused with 401; a cached token must not be used after its refresh time", n)
	}
}

func TestPasswordTokenIsRenewedOnceOn401(t *testing.T) {
	e := newEnv(t, mock.Huawei)
	c := newClient(t, e.password())
	ctx := context.Background()
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	e.srv.ExpireTokensBefore(client.OpCreateProject)
	p := e.create(t, c, "ap-southeast-1_renewed")
	if p.Name != "ap-southeast-1_renewed" {
		t.Errorf("created %+v", p)
	}
	if n := e.srv.Unauthorized(); n != 1 {
		t.Errorf("%d requests refused, want the expired token's one", n)
	}
	if n := e.srv.TokensIssued(); n != 2 {
		t.Errorf("%d tokens fetched, want 2", n)
	}
	if n := e.srv.Requests(client.OpCreateProject); n != 2 {
		t.Errorf("CreateProject sent %d times, want 2 (refused, then with the new token)", n)
	}
}

func TestWrongPasswordNamesTheSettings(t *testing.T) {
	e := newEnv(t, mock.Huawei)
	cfg := e.password()
	cfg.Password = "wrong"
	_, err := newClient(t, cfg).ListProjects(context.Background(), client.ListProjectsInput{})
	api := apiError(t, err)
	if api.StatusCode != 401 || !strings.Contains(api.Operation, client.OpCreateToken) || !strings.Contains(api.Message, "username or password is wrong") {
		t.Errorf("error %+v", api)
	}
	if !strings.Contains(api.Detail(), "HW_USER_PASSWORD") {
		t.Errorf("detail does not say where the password comes from:\n%s", api.Detail())
	}
	if n := e.srv.Requests(client.OpCreateToken); n != 1 {
		t.Errorf("the token was requested %d times with a wrong password, want 1", n)
	}
	if n := e.srv.Requests(client.OpListProjects); n != 0 {
		t.Errorf("ListProjects sent %d times without a token", n)
	}
}

func TestStaticTokenIsNotRenewed(t *testing.T) {
	e := newEnv(t, mock.OTC)
	tok := e.srv.IssueToken(e.fx.DomainName, e.fx.AdminUser)
	c := newClient(t, client.Config{AuthURL: e.url, Token: tok, Retry: fastRetry})
	ctx := context.Background()
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	e.srv.ExpireTokens()
	_, err := c.ListProjects(ctx, client.ListProjectsInput{})
	api := apiError(t, err)
	if api.StatusCode != 401 || api.Code != "APIGW.0301" || api.RequestID == "" || !strings.Contains(api.Hint, "HW_AUTH_TOKEN") {
		t.Errorf("error %+v", api)
	}
	if n := e.srv.Requests(client.OpListProjects); n != 2 {
		t.Errorf("ListProjects sent %d times, want 2 (no retry with the same token)", n)
	}
	if n := e.srv.Requests(client.OpCreateToken); n != 0 {
		t.Errorf("a token client fetched %d tokens", n)
	}
}

func TestTokenWithoutRightsIsForbidden(t *testing.T) {
	e := newEnv(t, mock.Huawei)
	tok := e.srv.IssueToken(e.fx.DomainName, e.fx.ReaderUser)
	c := newClient(t, client.Config{AuthURL: e.url, Token: tok, Retry: fastRetry})
	_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "ap-southeast-1_x", ParentID: "x"})
	if !client.IsPermissionDenied(err) {
		t.Fatalf("want 403, got %v", err)
	}
	api := apiError(t, err)
	if api.Code != "Forbidden" || !strings.Contains(api.Message, "not authorized") || !strings.Contains(api.Hint, "Security Administrator") {
		t.Errorf("error %+v", api)
	}
}

func TestAKSKSigning(t *testing.T) {
	for _, style := range []client.SigningStyle{client.SigningHuawei, client.SigningOTC} {
		t.Run(style.String(), func(t *testing.T) { testAKSKSigning(t, style) })
	}
}

func testAKSKSigning(t *testing.T, style client.SigningStyle) {
	e := newEnv(t, mock.OTC)
	e.style = style
	ctx := context.Background()
	c := newClient(t, e.aksk())
	if c.SigningStyle() != style {
		t.Fatalf("style %v, want %v", c.SigningStyle(), style)
	}
	p := e.create(t, c, "eu-de_signed")
	got, err := c.GetProject(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "eu-de_signed" || got.Status != client.StatusNormal || got.DomainID != e.fx.DomainID || !got.Enabled {
		t.Errorf("read %+v", got)
	}
	desc := "with a query ü"
	if _, err := c.UpdateProject(ctx, p.ID, client.UpdateProjectInput{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	if found, err := c.FindProjectByName(ctx, "eu-de_signed", e.fx.DomainID); err != nil || found == nil || found.Description != desc {
		t.Fatalf("FindProjectByName = %+v, %v", found, err)
	}

	temp := e.aksk()
	temp.AccessKey, temp.SecretKey, temp.SecurityToken = e.fx.TempAccessKey, e.fx.TempSecretKey, e.fx.STToken
	if _, err := newClient(t, temp).ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Errorf("temporary key: %v", err)
	}

	for name, change := range map[string]func(*client.Config){
		"wrong secret key":        func(c *client.Config) { c.SecretKey = "wrong" },
		"unknown access key":      func(c *client.Config) { c.AccessKey = "UNKNOWNAK" },
		"wrong domain id":         func(c *client.Config) { c.DomainID = "0123456789abcdef0123456789abcdef" },
		"missing security token":  func(c *client.Config) { c.AccessKey, c.SecretKey = e.fx.TempAccessKey, e.fx.TempSecretKey },
		"clock 20 minutes behind": func(c *client.Config) { c.Now = func() time.Time { return time.Now().Add(-20 * time.Minute) } },
	} {
		cfg := e.aksk()
		change(&cfg)
		_, err := newClient(t, cfg).ListProjects(ctx, client.ListProjectsInput{})
		api := apiError(t, err)
		if api.StatusCode != 401 || api.Code != "APIGW.0301" || !strings.Contains(api.Hint, "HW_SECRET_KEY") {
			t.Errorf("%s: %+v", name, api)
		}
	}

	reader := e.aksk()
	reader.AccessKey, reader.SecretKey = e.fx.ReaderAccessKey, e.fx.ReaderSecretKey
	if _, err := newClient(t, reader).ListProjects(ctx, client.ListProjectsInput{}); !client.IsPermissionDenied(err) {
		t.Errorf("reader key: want 403, got %v", err)
	}
}

func TestDuplicateNameIsAConflict(t *testing.T) {
	e := newEnv(t, mock.Huawei)
	c := newClient(t, e.password())
	e.create(t, c, "cn-north-4_dup")
	_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "cn-north-4_dup", ParentID: e.srv.RegionProjectID(e.fx.DomainID, "cn-north-4")})
	if !client.IsConflict(err) {
		t.Fatalf("want a conflict, got %v", err)
	}
	api := apiError(t, err)
	// Keystone's shape: {"error": {"code": 409, "message": ..., "title": "Conflict"}}, request id in the header.
	if api.Code != "Conflict" || !strings.Contains(api.Message, "Duplicate entry found with name cn-north-4_dup") || api.RequestID == "" {
		t.Errorf("error %+v", api)
	}
	if !strings.Contains(api.Operation, "POST /v3/projects") {
		t.Errorf("operation %q does not show the call", api.Operation)
	}
}

func TestInvalidNameIsRejectedByTheServer(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "xx-nowhere-1_p", ParentID: "x"})
	api := apiError(t, err)
	// The gateway/IAM shape: {"error_msg", "error_code", "request_id"}.
	if api.StatusCode != 400 || api.Code != "IAM.0007" || !strings.Contains(api.Message, "existing region") || api.RequestID == "" {
		t.Errorf("error %+v", api)
	}
}

func TestRegionProjectLookup(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	ctx := context.Background()
	p, err := c.FindRegionProject(ctx, "eu-nl", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != e.srv.RegionProjectID(e.fx.DomainID, "eu-nl") {
		t.Errorf("region project %+v", p)
	}
	_, err = c.FindRegionProject(ctx, "ap-southeast-1", "")
	var rerr *client.RegionProjectNotFoundError
	if !errors.As(err, &rerr) || rerr.Region != "ap-southeast-1" {
		t.Errorf("unknown region: %v", err)
	}
	// A region found is not looked up again, even by concurrent callers; one not found is.
	before := e.srv.Requests(client.OpListProjects)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if again, err := c.FindRegionProject(ctx, "eu-nl", ""); err != nil || again.ID != p.ID {
				t.Errorf("cached region project %+v, %v", again, err)
			}
		}()
	}
	wg.Wait()
	if _, err := c.FindRegionProject(ctx, "ap-southeast-1", ""); err == nil {
		t.Error("an unknown region was found on the second lookup")
	}
	if n := e.srv.Requests(client.OpListProjects) - before; n != 1 {
		t.Errorf("%d lookups after the first two, want 1 (the region not found before)", n)
	}
	fresh := newClient(t, e.password())
	var wg2 sync.WaitGroup
	for range 20 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			if _, err := fresh.FindRegionProject(ctx, "eu-de", ""); err != nil {
				t.Error(err)
			}
		}()
	}
	wg2.Wait()
	if n := e.srv.Requests(client.OpListProjects) - before; n != 2 {
		t.Errorf("20 concurrent first lookups of one region sent %d requests, want 1", n-1)
	}
}

func TestListProjectsFollowsPages(t *testing.T) {
	defer client.SetListPageSize(2)()
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	for _, n := range []string{"eu-de_a", "eu-de_b", "eu-de_c"} {
		e.create(t, c, n)
	}
	all, err := c.ListProjects(context.Background(), client.ListProjectsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 { // three region projects and three created
		t.Errorf("listed %d projects, want 6: %+v", len(all), all)
	}
	if n := e.srv.Requests(client.OpListProjects); n != 3 {
		t.Errorf("%d pages requested, want 3", n)
	}
}

func TestGetFallsBackWhereV3ExtIsNotOffered(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	p := e.create(t, c, "eu-de_noext")
	e.srv.SetExtAPI(false)
	for i := 0; i < 2; i++ {
		got, err := c.GetProject(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != p.Name || got.Status != "" {
			t.Errorf("read %+v", got)
		}
	}
	if c.StatusSupported() {
		t.Error("StatusSupported after the gateway said /v3-ext does not exist")
	}
	if n := e.srv.Requests(client.OpShowProjectStatus); n != 1 {
		t.Errorf("/v3-ext asked %d times, want once", n)
	}
	if n := e.srv.Requests(client.OpShowProject); n != 2 {
		t.Errorf("/v3 asked %d times, want 2", n)
	}
}

func TestStatusAndUpdate(t *testing.T) {
	e := newEnv(t, mock.Huawei)
	c := newClient(t, e.password())
	ctx := context.Background()
	p := e.create(t, c, "eu-west-101_st")
	if err := c.SetProjectStatus(ctx, p.ID, client.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	name := "eu-west-101_renamed"
	if _, err := c.UpdateProject(ctx, p.ID, client.UpdateProjectInput{Name: &name}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetProject(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != client.StatusSuspended || got.Name != name {
		t.Errorf("read %+v", got)
	}
	other := "cn-north-4_renamed"
	_, err = c.UpdateProject(ctx, p.ID, client.UpdateProjectInput{Name: &other})
	if api := apiError(t, err); api.StatusCode != 400 || !strings.Contains(api.Message, "cannot be changed") {
		t.Errorf("prefix change: %+v", api)
	}
	if _, err := c.GetProject(ctx, "0123456789abcdef0123456789abcdef"); !client.IsNotFound(err) {
		t.Errorf("missing project: %v", err)
	}
}

func TestDeleteOnOTCRenewsTheToken(t *testing.T) {
	for _, status := range []int{http.StatusNoContent, http.StatusOK} {
		e := newEnv(t, mock.OTC)
		e.srv.SetDeleteStatus(status)
		c := newClient(t, e.password())
		ctx := context.Background()
		p := e.create(t, c, "eu-de_gone")
		if err := c.DeleteProject(ctx, p.ID); err != nil {
			t.Fatalf("delete answered %d: %v", status, err)
		}
		if _, ok := e.srv.Project(p.ID); ok {
			t.Error("the project still exists")
		}
		if _, err := c.GetProject(ctx, p.ID); !client.IsNotFound(err) {
			t.Errorf("read after delete: %v", err)
		}
		if n := e.srv.TokensIssued(); n != 2 {
			t.Errorf("%d tokens fetched, want a new one after the delete", n)
		}
		if n := e.srv.Unauthorized(); n != 0 {
			t.Errorf("%d requests sent with the revoked token", n)
		}
	}
}

func TestDeleteOnHuaweiDoesNotExist(t *testing.T) {
	e := newEnv(t, mock.Huawei)
	c := newClient(t, e.password())
	p := e.create(t, c, "ap-southeast-1_kept")
	err := c.DeleteProject(context.Background(), p.ID)
	if !client.IsAPIMissing(err) || client.IsNotFound(err) {
		t.Fatalf("want the gateway's missing-API answer, got %v", err)
	}
	api := apiError(t, err)
	if api.StatusCode != 404 || api.Code != "APIGW.0101" || !strings.Contains(api.Message, "method DELETE not found") || api.RequestID == "" {
		t.Errorf("error %+v", api)
	}
	if _, ok := e.srv.Project(p.ID); !ok {
		t.Error("the project is gone")
	}
}

func TestThrottlingAndServerErrorsAreRetried(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	ctx := context.Background()
	e.srv.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.Throttle}, mockserver.Fault{Kind: mockserver.ServerError, Status: 503})
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.Requests(client.OpListProjects); n != 3 {
		t.Errorf("ListProjects sent %d times, want 3", n)
	}
	// A throttled create did nothing and is sent again.
	e.srv.Inject(client.OpCreateProject, mockserver.Fault{Kind: mockserver.Throttle})
	e.create(t, c, "eu-de_throttled")
	if n := e.srv.Requests(client.OpCreateProject); n != 2 {
		t.Errorf("CreateProject sent %d times, want 2", n)
	}
	// Throttled until the attempts run out: the error says so.
	e.srv.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.Throttle}, mockserver.Fault{Kind: mockserver.Throttle},
		mockserver.Fault{Kind: mockserver.Throttle}, mockserver.Fault{Kind: mockserver.Throttle})
	_, err := c.ListProjects(ctx, client.ListProjectsInput{})
	if !transport.IsThrottled(err) || !strings.Contains(err.Error(), "gave up after 4 attempts") {
		t.Errorf("want a throttling error after 4 attempts, got %v", err)
	}
	if api := apiError(t, err); api.StatusCode != 429 || api.Code != "APIGW.0308" || !strings.Contains(api.Hint, "max_requests_per_second") {
		t.Errorf("error %+v", api)
	}
}

func TestCreateWithUnknownOutcome(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	parent := e.srv.RegionProjectID(e.fx.DomainID, "eu-de")
	for _, fault := range []mockserver.Fault{{Kind: mockserver.LoseResponse}, {Kind: mockserver.ServerError, Status: 502}} {
		e.srv.Inject(client.OpCreateProject, fault)
		_, err := c.CreateProject(context.Background(), client.CreateProjectInput{Name: "eu-de_unknown", ParentID: parent})
		if !transport.IsOutcomeUnknown(err) {
			t.Errorf("fault %v: want an unknown outcome, got %v", fault.Kind, err)
		}
	}
	if n := e.srv.Requests(client.OpCreateProject); n != 2 {
		t.Errorf("CreateProject sent %d times, want once per fault: it is not idempotent", n)
	}
	if _, ok := e.srv.ProjectByName(e.fx.DomainID, "eu-de_unknown"); !ok {
		t.Error("the lost answer's project was not created")
	}
}

// Secrets and tokens never reach the logs, even at TRACE, which logs headers and bodies.
func TestSecretsAreNotLogged(t *testing.T) {
	e := newEnv(t, mock.OTC)
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	tok := e.srv.IssueToken(e.fx.DomainName, e.fx.AdminUser)
	temp := e.aksk()
	temp.AccessKey, temp.SecretKey, temp.SecurityToken = e.fx.TempAccessKey, e.fx.TempSecretKey, e.fx.STToken
	for _, cfg := range []client.Config{e.password(), temp, {AuthURL: e.url, Token: tok, Retry: fastRetry}} {
		if _, err := newClient(t, cfg).ListProjects(ctx, client.ListProjectsInput{}); err != nil {
			t.Fatal(err)
		}
	}
	logs := buf.String()
	if !strings.Contains(logs, "API request") || !strings.Contains(logs, "X-Auth-Token") {
		t.Fatalf("the logs are not at TRACE level:\n%s", logs)
	}
	secrets := []string{e.fx.AdminPassword, e.fx.TempSecretKey, e.fx.STToken, tok, "MIIE"}
	for _, s := range secrets {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain the secret %q", s)
		}
	}
	if strings.Contains(logs, "Signature=") {
		t.Error("the logs contain an AK/SK signature")
	}
}

// After a 401 the token is fetched again once; if that fails too, the error says why.
func TestPasswordTokenRenewalIsTriedOnce(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	ctx := context.Background()
	if _, err := c.ListProjects(ctx, client.ListProjectsInput{}); err != nil {
		t.Fatal(err)
	}
	e.srv.AddUser(e.fx.DomainName, e.fx.AdminUser, "changed-in-the-console", true)
	e.srv.ExpireTokens()
	_, err := c.ListProjects(ctx, client.ListProjectsInput{})
	api := apiError(t, err)
	if api.StatusCode != 401 || !strings.Contains(api.Operation, client.OpCreateToken) || !strings.Contains(api.Hint, "HW_USER_PASSWORD") {
		t.Errorf("error %+v", api)
	}
	if n := e.srv.Requests(client.OpListProjects); n != 2 {
		t.Errorf("ListProjects sent %d times, want 2", n)
	}
	if n := e.srv.Requests(client.OpCreateToken); n != 2 {
		t.Errorf("%d token requests, want the first and one renewal", n)
	}
}

// On OTC a delete revokes the account's tokens: with a password, deletes and other calls made
// concurrently never go out with a token a delete has revoked, so none is refused.
func TestConcurrentDeletesDoNotUseRevokedTokens(t *testing.T) {
	e := newEnv(t, mock.OTC)
	cfg := e.password()
	cfg.RequestsPerSecond = 1000
	c := newClient(t, cfg)
	ctx := context.Background()
	var ids []string
	for i := range 20 {
		ids = append(ids, e.create(t, c, fmt.Sprintf("eu-de_del-%02d", i)).ID)
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := c.DeleteProject(ctx, id); err != nil {
				t.Errorf("delete %s: %v", id, err)
			}
		}()
		go func() {
			defer wg.Done()
			if _, err := c.ListProjects(ctx, client.ListProjectsInput{Name: "eu-de"}); err != nil {
				t.Errorf("list: %v", err)
			}
		}()
	}
	wg.Wait()
	if n := e.srv.Unauthorized(); n != 0 {
		t.Errorf("%d requests were refused with 401", n)
	}
	if n := e.srv.Requests(client.OpDeleteProject); n != len(ids) {
		t.Errorf("DeleteProject sent %d times, want %d", n, len(ids))
	}
}

// A region's project that a listing of the account held is the parent of the creates that
// follow, in that account's key ("" for the credentials' account) and its id's, without a lookup.
func TestRegionProjectKnownFromAListing(t *testing.T) {
	e := newEnv(t, mock.OTC)
	c := newClient(t, e.password())
	ctx := context.Background()
	projects, err := c.ListProjects(ctx, client.ListProjectsInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range projects {
		if p.Name == "eu-nl" {
			c.KnowRegionProject("", p)
		}
	}
	before := e.srv.Requests(client.OpListProjects)
	want := e.srv.RegionProjectID(e.fx.DomainID, "eu-nl")
	for _, domainID := range []string{"", e.fx.DomainID} {
		if p, err := c.FindRegionProject(ctx, "eu-nl", domainID); err != nil || p.ID != want {
			t.Errorf("FindRegionProject(eu-nl, %q) = %+v, %v; want %s", domainID, p, err, want)
		}
	}
	if n := e.srv.Requests(client.OpListProjects) - before; n != 0 {
		t.Errorf("%d lookups of a region the listing held, want 0", n)
	}
	// A region the listing did not give is still looked up.
	if _, err := c.FindRegionProject(ctx, "eu-de", ""); err != nil {
		t.Fatal(err)
	}
	if n := e.srv.Requests(client.OpListProjects) - before; n != 1 {
		t.Errorf("%d lookups of a region not known, want 1", n)
	}
}
