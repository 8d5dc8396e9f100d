package interop

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/interop/otcsdk"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// wire is what must be alike between our request and the SDK's for the same call: the header
// names sent (transport headers aside), Content-Type, Accept and the signed headers.
type wire struct {
	headers, contentType, accept, signed string
	style                                client.SigningStyle
}

var projectID = regexp.MustCompile(`[0-9a-f]{32}`)

// wireOf keys each request by method and path (ids replaced) and describes it.
func wireOf(t *testing.T, reqs []*http.Request) map[string]wire {
	t.Helper()
	out := map[string]wire{}
	for _, r := range reqs {
		var names []string
		for k := range r.Header {
			switch k = strings.ToLower(k); k {
			case "accept-encoding", "content-length", "connection":
			default:
				names = append(names, k)
			}
		}
		slices.Sort(names)
		w := wire{headers: strings.Join(names, ","), contentType: r.Header.Get("Content-Type"), accept: r.Header.Get("Accept")}
		if a := r.Header.Get("Authorization"); a != "" {
			p, err := client.ParseAuthorization(a)
			if err != nil {
				t.Fatal(err)
			}
			w.signed, w.style = strings.Join(p.SignedHeaders, ";"), p.Style
		}
		out[r.Method+" "+projectID.ReplaceAllString(r.URL.Path, "{id}")] = w
	}
	return out
}

// ours runs the provider's calls through our client against a fresh mock and returns what it
// sent.
func ours(t *testing.T, flavour mock.Flavour, style client.SigningStyle, temporary bool) map[string]wire {
	t.Helper()
	rec, ts, fx := newMock(t, flavour)
	cfg := client.Config{AuthURL: ts.URL + "/v3", AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID,
		Signing: style, UserAgent: "terraform-provider-iam/test", Retry: transport.RetryPolicy{MaxAttempts: 1, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}}
	if temporary {
		cfg.AccessKey, cfg.SecretKey, cfg.SecurityToken = fx.TempAccessKey, fx.TempSecretKey, fx.STToken
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	region := flavour.Regions()[0]
	p, err := c.CreateProject(ctx, client.CreateProjectInput{Name: region + "_ours", ParentID: rec.srv.RegionProjectID(fx.DomainID, region), Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetProject(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FindProjectByName(ctx, p.Name, ""); err != nil {
		t.Fatal(err)
	}
	desc := ""
	if _, err := c.UpdateProject(ctx, p.ID, client.UpdateProjectInput{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetProjectStatus(ctx, p.ID, client.StatusSuspended); err != nil {
		t.Fatal(err)
	}
	if flavour == mock.OTC {
		if err := c.DeleteProject(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	return wireOf(t, rec.requests())
}

// TestOurClientSendsWhatTheHuaweiSDKSends: in the Huawei style, each call we make carries the
// headers the SDK's same call carries, with the same Content-Type (application/json;charset=UTF-8
// with a body, application/json without), no Accept, and the same signed headers.
func TestOurClientSendsWhatTheHuaweiSDKSends(t *testing.T) {
	for _, temporary := range []bool{false, true} {
		got := ours(t, mock.Huawei, client.SigningHuawei, temporary)

		rec, ts, fx := newMock(t, mock.Huawei)
		ak, sk, sts := fx.AccessKey, fx.SecretKey, ""
		if temporary {
			ak, sk, sts = fx.TempAccessKey, fx.TempSecretKey, fx.STToken
		}
		c := huaweiClient(t, ts.URL, ak, sk, sts, fx.DomainID)
		desc := "d"
		created, err := c.KeystoneCreateProject(&model.KeystoneCreateProjectRequest{Body: &model.KeystoneCreateProjectRequestBody{
			Project: &model.KeystoneCreateProjectOption{Name: "ap-southeast-1_sdk", ParentId: rec.srv.RegionProjectID(fx.DomainID, "ap-southeast-1"), Description: &desc}}})
		if err != nil {
			t.Fatal(err)
		}
		id := created.Project.Id
		name := created.Project.Name
		page, perPage := int32(1), int32(500)
		empty := ""
		for _, err := range []error{
			second(c.ShowProjectDetailsAndStatus(&model.ShowProjectDetailsAndStatusRequest{ProjectId: id})),
			second(c.KeystoneListProjects(&model.KeystoneListProjectsRequest{Name: &name, Page: &page, PerPage: &perPage})),
			second(c.KeystoneUpdateProject(&model.KeystoneUpdateProjectRequest{ProjectId: id, Body: &model.KeystoneUpdateProjectRequestBody{Project: &model.KeystoneUpdateProjectOption{Description: &empty}}})),
			second(c.UpdateProjectStatus(&model.UpdateProjectStatusRequest{ProjectId: id, Body: &model.UpdateProjectStatusRequestBody{Project: &model.UpdateProjectOption{Status: model.GetUpdateProjectOptionStatusEnum().SUSPENDED}}})),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		compareWire(t, got, wireOf(t, rec.requests()))
	}
}

// TestOurClientSendsWhatTheOTCSDKSends: in the OTC style, each call we make carries the headers
// gophertelekomcloud's same call carries: Accept on every call, Content-Type application/json
// with a body only, the Credential= form over the same signed headers, X-Domain-Id and
// X-Security-Token unsigned. (The OTC SDK has no /v3-ext calls; those are compared by method.)
func TestOurClientSendsWhatTheOTCSDKSends(t *testing.T) {
	for _, temporary := range []bool{false, true} {
		got := ours(t, mock.OTC, client.SigningOTC, temporary)

		rec, ts, fx := newMock(t, mock.OTC)
		creds := &otcsdk.Credentials{AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID}
		if temporary {
			creds.AccessKey, creds.SecretKey, creds.SecurityToken = fx.TempAccessKey, fx.TempSecretKey, fx.STToken
		}
		var created struct{ Project *otcsdk.Project }
		otcCall(t, "CreateProject", "POST", ts.URL+"/v3/projects", map[string]any{"project": otcsdk.CreateOpts{Name: "eu-de_sdk", ParentID: rec.srv.RegionProjectID(fx.DomainID, "eu-de")}}, nil, creds, &created)
		id := created.Project.ID
		otcCall(t, "GetProject", "GET", ts.URL+"/v3-ext/projects/"+id, nil, nil, creds, nil)
		otcCall(t, "ListProjects", "GET", ts.URL+"/v3/projects?name=eu-de_sdk", nil, nil, creds, nil)
		otcCall(t, "UpdateProject", "PATCH", ts.URL+"/v3/projects/"+id, map[string]any{"project": otcsdk.UpdateOpts{Description: "x"}}, nil, creds, nil)
		otcCall(t, "UpdateProjectStatus", "PUT", ts.URL+"/v3-ext/projects/"+id, map[string]any{"project": map[string]string{"status": "suspended"}}, nil, creds, nil)
		otcCall(t, "DeleteProject", "DELETE", ts.URL+"/v3/projects/"+id, nil, nil, creds, nil)
		compareWire(t, got, wireOf(t, rec.requests()))
	}
}

func second[T any](_ T, err error) error { return err }

func compareWire(t *testing.T, got, want map[string]wire) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("calls: ours %v, SDK %v", keys(got), keys(want))
	}
	for call, w := range want {
		g, ok := got[call]
		if !ok {
			t.Errorf("%s: we do not make this call", call)
			continue
		}
		if g != w {
			t.Errorf("%s:\n ours %+v\n  SDK %+v", call, g, w)
		}
	}
}

func keys(m map[string]wire) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
