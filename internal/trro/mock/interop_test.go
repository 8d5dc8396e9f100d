package mock

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/officialsdk"
)

func ptr[T any](v T) *T { return &v }

// sdkClient is Tencent Cloud's official common client (tencentcloud-sdk-go/tencentcloud/common
// v1.3.210) sending to srv whatever host it is configured with: the Host it signs and sends is
// host, the connection goes to the mock.
func sdkClient(srv *httptest.Server, host string, cred common.CredentialIface) *common.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = host
	cpf.HttpProfile.Scheme = "HTTP"
	addr := srv.Listener.Addr().String()
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return common.NewCommonClient(cred, "ap-guangzhou", cpf).WithHttpTransport(&http.Transport{DialContext: dial})
}

// TestMockServesTheOfficialSDK drives every action the provider uses with the official SDK's
// requests (the trro v20220325 models of internal/trro/officialsdk through the real common
// client), with permanent and temporary credentials and an upper-case host, and reads each
// answer with the SDK's models; then checks that the SDK's requests with a wrong key or a wrong
// token are refused and left the projects alone.
func TestMockServesTheOfficialSDK(t *testing.T) {
	for name, cred := range map[string]struct {
		host  string
		token string
	}{
		"permanent key":          {"trro.tencentcloudapi.com", ""},
		"temporary key":          {"trro.tencentcloudapi.com", "session+token/=="},
		"upper-case host":        {"TRRO.TencentCloudAPI.com", ""},
		"upper-case host, token": {"Trro.TencentCloudAPI.COM:8080", "tok"},
	} {
		t.Run(name, func(t *testing.T) {
			m := New()
			m.AddKey(testID, testKey, cred.token)
			srv := httptest.NewServer(m)
			t.Cleanup(srv.Close)
			var c common.CredentialIface = common.NewCredential(testID, testKey)
			if cred.token != "" {
				c = common.NewTokenCredential(testID, testKey, cred.token)
			}
			sdk := sdkClient(srv, cred.host, c)

			create := officialsdk.NewCreateProjectRequest()
			create.ProjectName, create.ProjectDescription, create.PolicyMode = ptr("名字 <&>"), ptr("d \"q\""), ptr("white")
			created := officialsdk.NewCreateProjectResponse()
			if err := sdk.Send(create, created); err != nil {
				t.Fatalf("CreateProject: %v", err)
			}
			id := *created.Response.ProjectId
			if created.Response.RequestId == nil || len(id) != 16 {
				t.Fatalf("CreateProject answered %+v", created.Response)
			}

			info := officialsdk.NewDescribeProjectInfoRequest()
			info.ProjectId = &id
			described := officialsdk.NewDescribeProjectInfoResponse()
			if err := sdk.Send(info, described); err != nil {
				t.Fatalf("DescribeProjectInfo: %v", err)
			}
			if r := described.Response; *r.ProjectName != "名字 <&>" || *r.ProjectDescription != "d \"q\"" || *r.PolicyMode != "white" || r.ModifyTime == nil {
				t.Errorf("DescribeProjectInfo answered %+v", r)
			}

			modify := officialsdk.NewModifyProjectRequest()
			modify.ProjectId, modify.ProjectDescription, modify.PolicyMode = &id, ptr(""), ptr("black")
			if err := sdk.Send(modify, officialsdk.NewModifyProjectResponse()); err != nil {
				t.Fatalf("ModifyProject: %v", err)
			}

			list := officialsdk.NewDescribeProjectListRequest()
			list.PageSize, list.PageNumber = ptr(int64(100)), ptr(int64(1))
			listed := officialsdk.NewDescribeProjectListResponse()
			if err := sdk.Send(list, listed); err != nil {
				t.Fatalf("DescribeProjectList: %v", err)
			}
			if r := listed.Response; *r.Total != 1 || len(r.Projects) != 1 || *r.Projects[0].ProjectId != id ||
				*r.Projects[0].PolicyMode != "black" || *r.Projects[0].ProjectDescription != "" {
				t.Errorf("DescribeProjectList answered %+v", r)
			}

			// The SDK with a wrong key, or without the session's token, is refused.
			wrongKey := common.NewCredential(testID, "not-the-key")
			if cred.token != "" {
				wrongKey = common.NewTokenCredential(testID, "not-the-key", cred.token)
			}
			del := officialsdk.NewDeleteProjectRequest()
			del.ProjectId = &id
			if err := sdkClient(srv, cred.host, wrongKey).Send(del, officialsdk.NewDeleteProjectResponse()); err == nil || !strings.Contains(err.Error(), "AuthFailure.SignatureFailure") {
				t.Errorf("a wrong key gave %v", err)
			}
			if cred.token != "" {
				del = officialsdk.NewDeleteProjectRequest()
				del.ProjectId = &id
				if err := sdkClient(srv, cred.host, common.NewTokenCredential(testID, testKey, "stale")).Send(del, officialsdk.NewDeleteProjectResponse()); err == nil || !strings.Contains(err.Error(), "AuthFailure.TokenFailure") {
					t.Errorf("a wrong token gave %v", err)
				}
			}
			if _, ok := m.Project(id); !ok {
				t.Fatal("a refused DeleteProject deleted the project")
			}

			del = officialsdk.NewDeleteProjectRequest()
			del.ProjectId = &id
			deleted := officialsdk.NewDeleteProjectResponse()
			if err := sdk.Send(del, deleted); err != nil || deleted.Response.RequestId == nil {
				t.Fatalf("DeleteProject: %v, %+v", err, deleted.Response)
			}
			if ps := m.Projects(); len(ps) != 0 {
				t.Errorf("after DeleteProject the mock holds %+v", ps)
			}
			// Once gone, the SDK reads the documented error.
			info = officialsdk.NewDescribeProjectInfoRequest()
			info.ProjectId = &id
			if err := sdk.Send(info, officialsdk.NewDescribeProjectInfoResponse()); err == nil || !strings.Contains(err.Error(), "ResourceNotFound") {
				t.Errorf("DescribeProjectInfo of a deleted project gave %v", err)
			}
		})
	}
}
