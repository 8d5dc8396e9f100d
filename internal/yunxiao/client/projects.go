package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Project is a Yunxiao project as createProject, GetProjectInfo and ListProjects return it.
type Project struct {
	Identifier             string `json:"identifier"`
	Name                   string `json:"name"`
	CustomCode             string `json:"customCode"`
	Scope                  string `json:"scope"`
	Description            string `json:"description"`
	LogicalStatus          string `json:"logicalStatus"`
	Creator                string `json:"creator"`
	Modifier               string `json:"modifier,omitempty"`
	GmtCreate              Millis `json:"gmtCreate"`
	GmtModified            Millis `json:"gmtModified"`
	OrganizationIdentifier string `json:"organizationIdentifier"`
	CategoryIdentifier     string `json:"categoryIdentifier,omitempty"`
	TypeIdentifier         string `json:"typeIdentifier,omitempty"`
}

// Millis is a timestamp in milliseconds since the epoch. The 2021-06-25 API sends a number; newer
// documents show a numeric string, so both decode.
type Millis int64

// UnmarshalJSON accepts 1623916393000, "1623916393000" and null.
func (m *Millis) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" || string(b) == `""` {
		*m = 0
		return nil
	}
	s := strings.Trim(string(b), `"`)
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %s is not a number of milliseconds", b)
	}
	*m = Millis(v)
	return nil
}

// Time is the timestamp in UTC; the zero time when unset.
func (m Millis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// RFC3339 renders the timestamp as RFC 3339 in UTC, "" when unset.
func (m Millis) RFC3339() string {
	if m == 0 {
		return ""
	}
	return m.Time().Format(time.RFC3339)
}

// Deleted reports whether the project's logical status says it is deleted (some answers keep a
// deleted project visible with such a status instead of a not-found error).
func (p Project) Deleted() bool {
	s := strings.ToUpper(p.LogicalStatus)
	return s == "DELETED" || s == "RECYCLED"
}

// The fields UpdateProjectField can change.
const (
	FieldName        = "name"
	FieldDescription = "description"
	FieldScope       = "scope"
	FieldCustomCode  = "customCode"
)

// FieldUpdate is one entry of updateBasicFieldRequestList.
type FieldUpdate struct {
	Key   string `json:"propertyKey"`
	Value string `json:"propertyValue"`
}

// CreateProjectInput is createProject's body. All four fields are required.
type CreateProjectInput struct {
	TemplateIdentifier string `json:"templateIdentifier"`
	Name               string `json:"name"`
	Scope              string `json:"scope"`
	CustomCode         string `json:"customCode"`
}

func orgPath(org string, rest ...string) string {
	return "/organization/" + org + "/" + strings.Join(rest, "/")
}

type projectResponse struct {
	Project *Project `json:"project"`
}

// CreateProject creates a project and returns it. It is not idempotent: on an unknown outcome it
// returns an error for which transport.IsOutcomeUnknown is true, and the caller should look the
// project up by its custom code (FindProjectByCustomCode), which is unique in the organization.
func (c *Client) CreateProject(ctx context.Context, org string, in CreateProjectInput) (*Project, error) {
	var out projectResponse
	err := c.call(ctx, request{
		action: "CreateProject", method: http.MethodPost,
		path: orgPath(org, "projects", "createProject"), body: in,
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Project == nil || out.Project.Identifier == "" {
		return nil, fmt.Errorf("%s CreateProject: the answer has no project identifier", ServiceName)
	}
	return out.Project, nil
}

// GetProject returns the project; IsNotFound(err) when there is none or it is deleted.
func (c *Client) GetProject(ctx context.Context, org, id string) (*Project, error) {
	var out projectResponse
	err := c.call(ctx, request{
		action: "GetProjectInfo", method: http.MethodGet,
		path: orgPath(org, "project", id), idempotent: true,
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Project == nil || out.Project.Identifier == "" || out.Project.Deleted() {
		return nil, fmt.Errorf("%s GetProjectInfo %s: %w", ServiceName, id, ErrNotFound)
	}
	return out.Project, nil
}

// UpdateProjectFields sets the given fields with one UpdateProjectField call. Setting a field
// to a value is idempotent, so the call is retried like a read.
func (c *Client) UpdateProjectFields(ctx context.Context, org, id string, fields []FieldUpdate) error {
	if len(fields) == 0 {
		return nil
	}
	body := struct {
		List []FieldUpdate `json:"updateBasicFieldRequestList"`
	}{fields}
	return c.call(ctx, request{
		action: "UpdateProjectField", method: http.MethodPost,
		path: orgPath(org, "project", id), body: body, idempotent: true,
	}, nil)
}

// DeleteProject deletes the project; IsNotFound(err) when it was already gone.
func (c *Client) DeleteProject(ctx context.Context, org, id string) error {
	return c.call(ctx, request{
		action: "DeleteProject", method: http.MethodDelete,
		path:  orgPath(org, "projects", "delete"),
		query: url.Values{"identifier": {id}}, idempotent: true,
	}, nil)
}

// ListPageSize is the page size ListProjects asks for, the API's maximum.
const ListPageSize = 200

// ListProjects returns every project of the organization, following nextToken.
func (c *Client) ListProjects(ctx context.Context, org string) ([]Project, error) {
	var all []Project
	token := ""
	for page := 0; ; page++ {
		var out struct {
			Projects   []Project       `json:"projects"`
			NextToken  string          `json:"nextToken"`
			TotalCount json.RawMessage `json:"totalCount"`
		}
		q := url.Values{"category": {"Project"}, "maxResults": {strconv.Itoa(ListPageSize)}}
		if token != "" {
			q.Set("nextToken", token)
		}
		err := c.call(ctx, request{
			action: "ListProjects", method: http.MethodGet,
			path: orgPath(org, "listProjects"), query: q, idempotent: true,
		}, &out)
		if err != nil {
			return nil, err
		}
		all = append(all, out.Projects...)
		if out.NextToken == "" || out.NextToken == token || len(out.Projects) == 0 {
			return all, nil
		}
		if page > 10000 {
			return nil, fmt.Errorf("%s ListProjects: gave up after %d pages", ServiceName, page)
		}
		token = out.NextToken
	}
}

// FindProjectByCustomCode returns the organization's project with the custom code, or nil.
func (c *Client) FindProjectByCustomCode(ctx context.Context, org, code string) (*Project, error) {
	projects, err := c.ListProjects(ctx, org)
	if err != nil {
		return nil, err
	}
	for i := range projects {
		if projects[i].CustomCode == code && !projects[i].Deleted() {
			return &projects[i], nil
		}
	}
	return nil, nil
}
