package interop

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
)

// recorder serves the mock and keeps the requests it saw, for comparing headers.
type recorder struct {
	srv *mock.Server
	mu  sync.Mutex
	got []*http.Request
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.got = append(r.got, req.Clone(req.Context()))
	r.mu.Unlock()
	r.srv.ServeHTTP(w, req)
}

func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.got...)
}

func newMock(t *testing.T, flavour mock.Flavour) (*recorder, *httptest.Server, mock.Fixture) {
	t.Helper()
	srv := mock.New(flavour)
	fx := srv.Seed()
	rec := &recorder{srv: srv}
	ts := httptest.NewServer(rec)
	t.Cleanup(ts.Close)
	return rec, ts, fx
}

func huaweiClient(t *testing.T, endpoint, ak, sk, securityToken, domainID string) *iam.IamClient {
	t.Helper()
	b := global.NewCredentialsBuilder().WithAk(ak).WithSk(sk).WithDomainId(domainID)
	if securityToken != "" {
		b = b.WithSecurityToken(securityToken)
	}
	cred, err := b.SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := iam.IamClientBuilder().WithEndpoints([]string{endpoint}).WithCredential(cred).
		WithHttpConfig(config.DefaultHttpConfig().WithRetries(0)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	return iam.NewIamClient(hc)
}

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestHuaweiSDKDrivesTheMock runs every IAM call the provider makes through the official Huawei
// SDK's IamClient (huaweicloud-sdk-go-v3, pointed at the mock) with a permanent and a temporary
// access key: the mock accepts what the SDK signs (user-agent;x-domain-id;x-sdk-date, no host),
// and its answers decode into the SDK's models with the values the mock holds.
func TestHuaweiSDKDrivesTheMock(t *testing.T) {
	for _, flavour := range []mock.Flavour{mock.Huawei, mock.OTC} {
		for _, temporary := range []bool{false, true} {
			name := string(flavour) + map[bool]string{false: "/permanent key", true: "/temporary key"}[temporary]
			t.Run(name, func(t *testing.T) { testHuaweiSDK(t, flavour, temporary) })
		}
	}
}

func testHuaweiSDK(t *testing.T, flavour mock.Flavour, temporary bool) {
	rec, ts, fx := newMock(t, flavour)
	ak, sk, sts := fx.AccessKey, fx.SecretKey, ""
	if temporary {
		ak, sk, sts = fx.TempAccessKey, fx.TempSecretKey, fx.STToken
	}
	c := huaweiClient(t, ts.URL, ak, sk, sts, fx.DomainID)
	region := flavour.Regions()[0]
	parent := rec.srv.RegionProjectID(fx.DomainID, region)

	// Token by password (what a password-configured provider fetches).
	methods := []model.PwdIdentityMethods{model.GetPwdIdentityMethodsEnum().PASSWORD}
	domainName := fx.DomainName
	tok, err := c.KeystoneCreateUserTokenByPassword(&model.KeystoneCreateUserTokenByPasswordRequest{Body: &model.KeystoneCreateUserTokenByPasswordRequestBody{
		Auth: &model.PwdAuth{
			Identity: &model.PwdIdentity{Methods: methods, Password: &model.PwdPassword{User: &model.PwdPasswordUser{
				Name: fx.AdminUser, Password: fx.AdminPassword, Domain: &model.PwdPasswordUserDomain{Name: fx.DomainName}}}},
			Scope: &model.AuthScope{Domain: &model.AuthScopeDomain{Name: &domainName}},
		}}})
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	if tok.HttpStatusCode != 201 || tok.XSubjectToken == nil || *tok.XSubjectToken == "" || tok.Token == nil || tok.Token.Domain == nil || tok.Token.Domain.Id != fx.DomainID || tok.Token.ExpiresAt == "" {
		t.Errorf("token answer %+v", tok)
	}

	// The credential check.
	domains, err := c.KeystoneListAuthDomains(&model.KeystoneListAuthDomainsRequest{})
	if err != nil || domains.Domains == nil || len(*domains.Domains) != 1 || (*domains.Domains)[0].Id != fx.DomainID {
		t.Fatalf("auth domains: %+v, %v", domains, err)
	}

	// Create.
	desc := "made by the official SDK & <ü>"
	created, err := c.KeystoneCreateProject(&model.KeystoneCreateProjectRequest{Body: &model.KeystoneCreateProjectRequestBody{
		Project: &model.KeystoneCreateProjectOption{Name: region + "_sdk", ParentId: parent, Description: &desc}}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	p := created.Project
	if created.HttpStatusCode != 201 || p == nil || !hexID.MatchString(p.Id) || p.Name != region+"_sdk" || p.ParentId != parent || p.DomainId != fx.DomainID || !p.Enabled || p.Description != desc {
		t.Fatalf("create answer %+v", p)
	}
	if held, ok := rec.srv.Project(p.Id); !ok || held.Description != desc || held.Name != region+"_sdk" {
		t.Fatalf("the mock holds %+v, %v", held, ok)
	}

	// Read, with and without status.
	shown, err := c.KeystoneShowProject(&model.KeystoneShowProjectRequest{ProjectId: p.Id})
	if err != nil || shown.Project == nil || shown.Project.Id != p.Id || shown.Project.Name != p.Name || shown.Project.ParentId != parent {
		t.Fatalf("show: %+v, %v", shown, err)
	}
	status, err := c.ShowProjectDetailsAndStatus(&model.ShowProjectDetailsAndStatusRequest{ProjectId: p.Id})
	if err != nil || status.Project == nil || status.Project.Status != client.StatusNormal || status.Project.Id != p.Id {
		t.Fatalf("status: %+v, %v", status, err)
	}

	// List by name: only that project.
	name := p.Name
	page, perPage := int32(1), int32(500)
	listed, err := c.KeystoneListProjects(&model.KeystoneListProjectsRequest{Name: &name, Page: &page, PerPage: &perPage})
	if err != nil || listed.Projects == nil || len(*listed.Projects) != 1 || (*listed.Projects)[0].Id != p.Id {
		t.Fatalf("list by name: %+v, %v", listed, err)
	}
	all, err := c.KeystoneListProjects(&model.KeystoneListProjectsRequest{})
	if err != nil || all.Projects == nil || len(*all.Projects) != len(flavour.Regions())+1 {
		t.Fatalf("list: %+v, %v", all, err)
	}

	// Update, then suspend.
	newDesc := ""
	updated, err := c.KeystoneUpdateProject(&model.KeystoneUpdateProjectRequest{ProjectId: p.Id, Body: &model.KeystoneUpdateProjectRequestBody{
		Project: &model.KeystoneUpdateProjectOption{Description: &newDesc}}})
	if err != nil || updated.Project == nil || updated.Project.Description != "" || updated.Project.Name != p.Name {
		t.Fatalf("update: %+v, %v", updated, err)
	}
	suspended, err := c.UpdateProjectStatus(&model.UpdateProjectStatusRequest{ProjectId: p.Id, Body: &model.UpdateProjectStatusRequestBody{
		Project: &model.UpdateProjectOption{Status: model.GetUpdateProjectOptionStatusEnum().SUSPENDED}}})
	if err != nil || suspended.HttpStatusCode != 204 {
		t.Fatalf("suspend: %+v, %v", suspended, err)
	}
	if held, _ := rec.srv.Project(p.Id); held.Status != client.StatusSuspended || held.Description != "" {
		t.Errorf("the mock holds %+v", held)
	}

	// A missing project: the SDK reads the error body's code and message.
	_, err = c.KeystoneShowProject(&model.KeystoneShowProjectRequest{ProjectId: "0123456789abcdef0123456789abcdef"})
	if se, ok := asServiceError(err); !ok || se.StatusCode != 404 || !strings.Contains(se.ErrorMessage, "Could not find project") || se.RequestId == "" {
		t.Errorf("missing project: %#v", err)
	}
	_, err = c.ShowProjectDetailsAndStatus(&model.ShowProjectDetailsAndStatusRequest{ProjectId: "0123456789abcdef0123456789abcdef"})
	if se, ok := asServiceError(err); !ok || se.StatusCode != 404 || se.ErrorCode != "IAM.0004" || se.RequestId == "" {
		t.Errorf("missing project (ext): %#v", err)
	}

	// What the SDK signed, and that the mock needed nothing more.
	for _, r := range rec.requests() {
		if r.URL.Path == "/v3/auth/tokens" {
			continue
		}
		auth, err := client.ParseAuthorization(r.Header.Get("Authorization"))
		want := "user-agent;x-domain-id;x-sdk-date"
		if temporary {
			want += ";x-security-token"
		}
		if err != nil || strings.Join(auth.SignedHeaders, ";") != want || auth.Style != client.SigningHuawei {
			t.Errorf("%s %s signed %v (%v), want %s", r.Method, r.URL.Path, auth.SignedHeaders, err, want)
		}
	}
	if n := rec.srv.Unauthorized(); n != 0 {
		t.Errorf("%d requests of the SDK were refused", n)
	}
}

// TestMockRejectsAlteredSDKRequests: the mock's acceptance of the SDK's narrow signed-header set
// is no blanket acceptance: a wrong secret key, a signature without X-Sdk-Date or a temporary
// key without its token is still refused.
func TestMockRejectsAlteredSDKRequests(t *testing.T) {
	rec, ts, fx := newMock(t, mock.Huawei)
	for name, c := range map[string]*iam.IamClient{
		"wrong secret key":        huaweiClient(t, ts.URL, fx.AccessKey, "wrong", "", fx.DomainID),
		"other account":           huaweiClient(t, ts.URL, fx.AccessKey, fx.SecretKey, "", "0123456789abcdef0123456789abcdef"),
		"temporary key, no token": huaweiClient(t, ts.URL, fx.TempAccessKey, fx.TempSecretKey, "", fx.DomainID),
		"wrong security token":    huaweiClient(t, ts.URL, fx.TempAccessKey, fx.TempSecretKey, "forged", fx.DomainID),
	} {
		_, err := c.KeystoneListProjects(&model.KeystoneListProjectsRequest{})
		if se, ok := asServiceError(err); !ok || se.StatusCode != 401 || se.ErrorCode != "APIGW.0301" {
			t.Errorf("%s: %#v", name, err)
		}
	}
	if got := rec.srv.Unauthorized(); got != 4 {
		t.Errorf("%d refused, want 4", got)
	}
}

// asServiceError unwraps the SDK's error for a status it does not accept.
func asServiceError(err error) (*sdkerr.ServiceResponseError, bool) {
	var se *sdkerr.ServiceResponseError
	return se, errors.As(err, &se)
}
