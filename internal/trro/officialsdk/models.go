// Package officialsdk holds, for tests only, the request and answer models of Tencent Cloud's
// official TRRO SDK package, github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/trro
// v20220325, copied from tencentcloud/trro/v20220325/models.go and client.go at commit
// 144f6c8d39e410da77a70472f1416e9903740593 (2026-08-21; its go.mod requires common v1.3.166).
// The Go module proxy refuses that module, so the interop tests send these copies through the
// real common client (github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common, which
// the proxy serves): the JSON the SDK marshals from them, field order and omitempty included,
// is what the SDK's CreateProject, DescribeProjectInfo, DescribeProjectList, ModifyProject and
// DeleteProject send, and decoding an answer into them is what the SDK accepts.
//
// The SDK's tags read `json:"X,omitnil,omitempty"`; omitnil is an option of the SDK's own json
// package, the same as omitempty on these pointers, and is left out for encoding/json's vet.
// Only the five actions the provider calls are here; comments and methods the tests do not use
// are left out. Nothing outside _test.go files imports this package.
package officialsdk

import (
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
)

// APIVersion is the SDK package's APIVersion.
const APIVersion = "2022-03-25"

// newRequest is what the SDK's New<Action>Request does: Init().WithApiInfo("trro", ...).
func newRequest(action string) *tchttp.BaseRequest {
	r := &tchttp.BaseRequest{}
	r.Init().WithApiInfo("trro", APIVersion, action)
	return r
}

type CreateProjectRequest struct {
	*tchttp.BaseRequest
	ProjectName        *string `json:"ProjectName,omitempty" name:"ProjectName"`
	ProjectDescription *string `json:"ProjectDescription,omitempty" name:"ProjectDescription"`
	PolicyMode         *string `json:"PolicyMode,omitempty" name:"PolicyMode"`
}

func NewCreateProjectRequest() *CreateProjectRequest {
	return &CreateProjectRequest{BaseRequest: newRequest("CreateProject")}
}

type CreateProjectResponseParams struct {
	ProjectId *string `json:"ProjectId,omitempty" name:"ProjectId"`
	RequestId *string `json:"RequestId,omitempty" name:"RequestId"`
}

type CreateProjectResponse struct {
	*tchttp.BaseResponse
	Response *CreateProjectResponseParams `json:"Response"`
}

func NewCreateProjectResponse() *CreateProjectResponse {
	return &CreateProjectResponse{BaseResponse: &tchttp.BaseResponse{}}
}

type DeleteProjectRequest struct {
	*tchttp.BaseRequest
	ProjectId *string `json:"ProjectId,omitempty" name:"ProjectId"`
}

func NewDeleteProjectRequest() *DeleteProjectRequest {
	return &DeleteProjectRequest{BaseRequest: newRequest("DeleteProject")}
}

type DeleteProjectResponseParams struct {
	RequestId *string `json:"RequestId,omitempty" name:"RequestId"`
}

type DeleteProjectResponse struct {
	*tchttp.BaseResponse
	Response *DeleteProjectResponseParams `json:"Response"`
}

func NewDeleteProjectResponse() *DeleteProjectResponse {
	return &DeleteProjectResponse{BaseResponse: &tchttp.BaseResponse{}}
}

type DescribeProjectInfoRequest struct {
	*tchttp.BaseRequest
	ProjectId *string `json:"ProjectId,omitempty" name:"ProjectId"`
}

func NewDescribeProjectInfoRequest() *DescribeProjectInfoRequest {
	return &DescribeProjectInfoRequest{BaseRequest: newRequest("DescribeProjectInfo")}
}

type DescribeProjectInfoResponseParams struct {
	ProjectName        *string `json:"ProjectName,omitempty" name:"ProjectName"`
	ProjectDescription *string `json:"ProjectDescription,omitempty" name:"ProjectDescription"`
	PolicyMode         *string `json:"PolicyMode,omitempty" name:"PolicyMode"`
	ModifyTime         *string `json:"ModifyTime,omitempty" name:"ModifyTime"`
	RequestId          *string `json:"RequestId,omitempty" name:"RequestId"`
}

type DescribeProjectInfoResponse struct {
	*tchttp.BaseResponse
	Response *DescribeProjectInfoResponseParams `json:"Response"`
}

func NewDescribeProjectInfoResponse() *DescribeProjectInfoResponse {
	return &DescribeProjectInfoResponse{BaseResponse: &tchttp.BaseResponse{}}
}

type DescribeProjectListRequest struct {
	*tchttp.BaseRequest
	PageSize   *int64 `json:"PageSize,omitempty" name:"PageSize"`
	PageNumber *int64 `json:"PageNumber,omitempty" name:"PageNumber"`
}

func NewDescribeProjectListRequest() *DescribeProjectListRequest {
	return &DescribeProjectListRequest{BaseRequest: newRequest("DescribeProjectList")}
}

type ProjectInfo struct {
	ProjectId          *string `json:"ProjectId,omitempty" name:"ProjectId"`
	ProjectName        *string `json:"ProjectName,omitempty" name:"ProjectName"`
	ProjectDescription *string `json:"ProjectDescription,omitempty" name:"ProjectDescription"`
	PolicyMode         *string `json:"PolicyMode,omitempty" name:"PolicyMode"`
	ModifyTime         *string `json:"ModifyTime,omitempty" name:"ModifyTime"`
}

type DescribeProjectListResponseParams struct {
	Projects  []*ProjectInfo `json:"Projects,omitempty" name:"Projects"`
	Total     *int64         `json:"Total,omitempty" name:"Total"`
	Num       *int64         `json:"Num,omitempty" name:"Num"`
	RequestId *string        `json:"RequestId,omitempty" name:"RequestId"`
}

type DescribeProjectListResponse struct {
	*tchttp.BaseResponse
	Response *DescribeProjectListResponseParams `json:"Response"`
}

func NewDescribeProjectListResponse() *DescribeProjectListResponse {
	return &DescribeProjectListResponse{BaseResponse: &tchttp.BaseResponse{}}
}

type ModifyProjectRequest struct {
	*tchttp.BaseRequest
	ProjectId          *string `json:"ProjectId,omitempty" name:"ProjectId"`
	ProjectName        *string `json:"ProjectName,omitempty" name:"ProjectName"`
	ProjectDescription *string `json:"ProjectDescription,omitempty" name:"ProjectDescription"`
	PolicyMode         *string `json:"PolicyMode,omitempty" name:"PolicyMode"`
}

func NewModifyProjectRequest() *ModifyProjectRequest {
	return &ModifyProjectRequest{BaseRequest: newRequest("ModifyProject")}
}

type ModifyProjectResponseParams struct {
	RequestId *string `json:"RequestId,omitempty" name:"RequestId"`
}

type ModifyProjectResponse struct {
	*tchttp.BaseResponse
	Response *ModifyProjectResponseParams `json:"Response"`
}

func NewModifyProjectResponse() *ModifyProjectResponse {
	return &ModifyProjectResponse{BaseResponse: &tchttp.BaseResponse{}}
}
