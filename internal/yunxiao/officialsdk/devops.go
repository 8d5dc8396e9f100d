// Package officialsdk holds, for tests only, what Alibaba Cloud's official devops SDK sends and
// decodes for the calls the provider makes. The SDK, github.com/alibabacloud-go/devops-20210625
// (v5), is refused by the Go module proxy, so its calls are copied here from client/client.go at
// commit 7e1d527acd4f1d32b3b4ae22160a3a8431b9fa0b (2025-03-13): each <Action>WithOptions builds
// an openapi.Params and an openapi.OpenApiRequest and hands them to darabonba-openapi's
// Client.CallApi. The tests call the real CallApi (github.com/alibabacloud-go/darabonba-openapi/v2
// v2.0.10, with openapi-util v0.1.1 and tea v1.2.2, the versions that go.mod requires), so
// the requests are byte for byte what the SDK sends, and decode the answers with tea.Convert
// into the SDK's response models, copied below with the fields the provider reads.
//
// Nothing outside _test.go files imports this package.
package officialsdk

import (
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/openapi-util/service"
	"github.com/alibabacloud-go/tea/tea"
)

// Version is the devops API version the SDK's calls name.
const Version = "2021-06-25"

// Call is one SDK call: the Params and request that <Action>WithOptions passes to CallApi.
type Call struct {
	Params  *openapi.Params
	Request *openapi.OpenApiRequest
}

func params(action, method, pathname string) *openapi.Params {
	return &openapi.Params{
		Action: tea.String(action), Version: tea.String(Version), Protocol: tea.String("HTTPS"),
		Pathname: tea.String(pathname), Method: tea.String(method), AuthType: tea.String("AK"),
		Style: tea.String("ROA"), ReqBodyType: tea.String("json"), BodyType: tea.String("json"),
	}
}

func enc(s string) string { return tea.StringValue(openapiutil.GetEncodeParam(tea.String(s))) }

// CreateProject is CreateProjectWithOptions: the body holds the request's set fields.
func CreateProject(org, name, scope, customCode, templateIdentifier string) Call {
	body := map[string]interface{}{
		"customCode": tea.String(customCode), "name": tea.String(name),
		"scope": tea.String(scope), "templateIdentifier": tea.String(templateIdentifier),
	}
	return Call{params("CreateProject", "POST", "/organization/"+enc(org)+"/projects/createProject"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Body: openapiutil.ParseToMap(body)}}
}

// GetProjectInfo is GetProjectInfoWithOptions.
func GetProjectInfo(org, projectID string) Call {
	return Call{params("GetProjectInfo", "GET", "/organization/"+enc(org)+"/project/"+enc(projectID)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}}}
}

// FieldUpdate is UpdateProjectFieldRequestUpdateBasicFieldRequestList.
type FieldUpdate struct {
	PropertyKey   *string `json:"propertyKey,omitempty" xml:"propertyKey,omitempty"`
	PropertyValue *string `json:"propertyValue,omitempty" xml:"propertyValue,omitempty"`
}

// UpdateProjectField is UpdateProjectFieldWithOptions with updateBasicFieldRequestList set.
func UpdateProjectField(org, identifier string, fields []*FieldUpdate) Call {
	body := map[string]interface{}{"updateBasicFieldRequestList": fields}
	return Call{params("UpdateProjectField", "POST", "/organization/"+enc(org)+"/project/"+enc(identifier)),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Body: openapiutil.ParseToMap(body)}}
}

// DeleteProject is DeleteProjectWithOptions: the identifier travels in the query.
func DeleteProject(org, identifier string) Call {
	query := map[string]interface{}{"identifier": tea.String(identifier)}
	return Call{params("DeleteProject", "DELETE", "/organization/"+enc(org)+"/projects/delete"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: openapiutil.Query(query)}}
}

// ListProjects is ListProjectsWithOptions with category, maxResults and (when not "")
// nextToken set, as the provider lists.
func ListProjects(org string, maxResults int64, nextToken string) Call {
	query := map[string]interface{}{"category": tea.String("Project"), "maxResults": tea.Int64(maxResults)}
	if nextToken != "" {
		query["nextToken"] = tea.String(nextToken)
	}
	return Call{params("ListProjects", "GET", "/organization/"+enc(org)+"/listProjects"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: openapiutil.Query(query)}}
}

// ListProjectTemplates is ListProjectTemplatesWithOptions with category "Project".
func ListProjectTemplates(org string) Call {
	query := map[string]interface{}{"category": tea.String("Project")}
	return Call{params("ListProjectTemplates", "GET", "/organization/"+enc(org)+"/projects/listTemplates"),
		&openapi.OpenApiRequest{Headers: map[string]*string{}, Query: openapiutil.Query(query)}}
}

// ListJoinedOrganizations is ListJoinedOrganizationsWithOptions.
func ListJoinedOrganizations() Call {
	return Call{params("ListJoinedOrganizations", "GET", "/users/joinedOrgs"), &openapi.OpenApiRequest{Headers: map[string]*string{}}}
}

// Project is the project of CreateProjectResponseBody, GetProjectInfoResponseBody and
// UpdateProjectFieldResponseBody (the three models have these fields with these types).
type Project struct {
	CategoryIdentifier     *string `json:"categoryIdentifier,omitempty"`
	Creator                *string `json:"creator,omitempty"`
	CustomCode             *string `json:"customCode,omitempty"`
	Description            *string `json:"description,omitempty"`
	GmtCreate              *int64  `json:"gmtCreate,omitempty"`
	GmtModified            *int64  `json:"gmtModified,omitempty"`
	Identifier             *string `json:"identifier,omitempty"`
	LogicalStatus          *string `json:"logicalStatus,omitempty"`
	Modifier               *string `json:"modifier,omitempty"`
	Name                   *string `json:"name,omitempty"`
	OrganizationIdentifier *string `json:"organizationIdentifier,omitempty"`
	Scope                  *string `json:"scope,omitempty"`
	StatusIdentifier       *string `json:"statusIdentifier,omitempty"`
	TypeIdentifier         *string `json:"typeIdentifier,omitempty"`
}

// ProjectResponseBody is CreateProjectResponseBody, GetProjectInfoResponseBody and
// UpdateProjectFieldResponseBody (the first names its message errorMsg, the others
// errorMessage).
type ProjectResponseBody struct {
	ErrorCode    *string  `json:"errorCode,omitempty"`
	ErrorMsg     *string  `json:"errorMsg,omitempty"`
	ErrorMessage *string  `json:"errorMessage,omitempty"`
	Project      *Project `json:"project,omitempty"`
	RequestId    *string  `json:"requestId,omitempty"`
	Success      *bool    `json:"success,omitempty"`
}

// DeleteProjectResponseBody is the SDK's model of the same name.
type DeleteProjectResponseBody struct {
	ErrorCode *string `json:"errorCode,omitempty"`
	ErrorMsg  *string `json:"errorMsg,omitempty"`
	RequestId *string `json:"requestId,omitempty"`
	Result    *bool   `json:"result,omitempty"`
	Success   *bool   `json:"success,omitempty"`
}

// ListProjectsResponseBodyProjects is the SDK's model of the same name.
type ListProjectsResponseBodyProjects struct {
	CategoryIdentifier    *string `json:"categoryIdentifier,omitempty"`
	Creator               *string `json:"creator,omitempty"`
	CustomCode            *string `json:"customCode,omitempty"`
	DeleteTime            *int64  `json:"deleteTime,omitempty"`
	Description           *string `json:"description,omitempty"`
	GmtCreate             *int64  `json:"gmtCreate,omitempty"`
	Icon                  *string `json:"icon,omitempty"`
	Identifier            *string `json:"identifier,omitempty"`
	LogicalStatus         *string `json:"logicalStatus,omitempty"`
	Name                  *string `json:"name,omitempty"`
	Scope                 *string `json:"scope,omitempty"`
	StatusStageIdentifier *string `json:"statusStageIdentifier,omitempty"`
	TypeIdentifier        *string `json:"typeIdentifier,omitempty"`
}

// ListProjectsResponseBody is the SDK's model of the same name.
type ListProjectsResponseBody struct {
	ErrorCode  *string                             `json:"errorCode,omitempty"`
	ErrorMsg   *string                             `json:"errorMsg,omitempty"`
	MaxResults *int64                              `json:"maxResults,omitempty"`
	NextToken  *string                             `json:"nextToken,omitempty"`
	Projects   []*ListProjectsResponseBodyProjects `json:"projects,omitempty"`
	RequestId  *string                             `json:"requestId,omitempty"`
	Success    *bool                               `json:"success,omitempty"`
	TotalCount *int64                              `json:"totalCount,omitempty"`
}

// ListProjectTemplatesResponseBodyTemplates is the SDK's model of the same name.
type ListProjectTemplatesResponseBodyTemplates struct {
	CopyFrom         *string `json:"copyFrom,omitempty"`
	Creator          *string `json:"creator,omitempty"`
	Description      *string `json:"description,omitempty"`
	GmtCreate        *int64  `json:"gmtCreate,omitempty"`
	GmtModified      *int64  `json:"gmtModified,omitempty"`
	Icon             *string `json:"icon,omitempty"`
	Identifier       *string `json:"identifier,omitempty"`
	Modifier         *string `json:"modifier,omitempty"`
	Name             *string `json:"name,omitempty"`
	NameEn           *string `json:"nameEn,omitempty"`
	ResourceCategory *string `json:"resourceCategory,omitempty"`
	ResourceType     *string `json:"resourceType,omitempty"`
	SpaceIdentifier  *string `json:"spaceIdentifier,omitempty"`
	SpaceType        *string `json:"spaceType,omitempty"`
	Type             *int64  `json:"type,omitempty"`
}

// ListProjectTemplatesResponseBody is the SDK's model of the same name.
type ListProjectTemplatesResponseBody struct {
	ErrorCode *string                                      `json:"errorCode,omitempty"`
	ErrorMsg  *string                                      `json:"errorMsg,omitempty"`
	RequestId *string                                      `json:"requestId,omitempty"`
	Success   *bool                                        `json:"success,omitempty"`
	Templates []*ListProjectTemplatesResponseBodyTemplates `json:"templates,omitempty"`
}

// ListJoinedOrganizationsResponseBodyOrganizations is the SDK's model of the same name.
type ListJoinedOrganizationsResponseBodyOrganizations struct {
	Id         *string `json:"id,omitempty"`
	IsOrgAdmin *bool   `json:"isOrgAdmin,omitempty"`
	Name       *string `json:"name,omitempty"`
}

// ListJoinedOrganizationsResponseBody is the SDK's model of the same name.
type ListJoinedOrganizationsResponseBody struct {
	ErrorCode     *string                                             `json:"errorCode,omitempty"`
	ErrorMessage  *string                                             `json:"errorMessage,omitempty"`
	Organizations []*ListJoinedOrganizationsResponseBodyOrganizations `json:"organizations,omitempty"`
	RequestId     *string                                             `json:"requestId,omitempty"`
	Success       *bool                                               `json:"success,omitempty"`
}

// Response is the SDK's <Action>Response: the answer's headers, status and decoded body.
type Response[B any] struct {
	Headers    map[string]*string `json:"headers,omitempty"`
	StatusCode *int32             `json:"statusCode,omitempty"`
	Body       *B                 `json:"body,omitempty"`
}

// Decode is what the SDK does with CallApi's result: tea.Convert into the action's Response.
func Decode[B any](result map[string]interface{}) (*Response[B], error) {
	out := &Response[B]{}
	err := tea.Convert(result, &out)
	return out, err
}
