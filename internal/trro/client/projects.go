package client

import "context"

// Project is a TRRO project as DescribeProjectInfo and DescribeProjectList return it.
type Project struct {
	ID          string `json:"ProjectId"`
	Name        string `json:"ProjectName"`
	Description string `json:"ProjectDescription"`
	PolicyMode  string `json:"PolicyMode"`
	ModifyTime  string `json:"ModifyTime"`
}

// CreateProjectInput is CreateProject's request.
type CreateProjectInput struct {
	Name        string `json:"ProjectName"`
	Description string `json:"ProjectDescription,omitempty"`
	PolicyMode  string `json:"PolicyMode,omitempty"`
}

// CreateProject creates a project and returns its id. It is not idempotent: on an unknown
// outcome it returns an error for which transport.IsOutcomeUnknown is true.
func (c *Client) CreateProject(ctx context.Context, in CreateProjectInput) (string, error) {
	var out struct {
		ProjectID string `json:"ProjectId"`
	}
	if err := c.call(ctx, "CreateProject", false, in, &out); err != nil {
		return "", err
	}
	return out.ProjectID, nil
}

// DescribeProject returns the project with id; IsNotFound(err) when there is none.
func (c *Client) DescribeProject(ctx context.Context, id string) (*Project, error) {
	var out Project
	if err := c.call(ctx, "DescribeProjectInfo", true, map[string]string{"ProjectId": id}, &out); err != nil {
		return nil, err
	}
	// DescribeProjectInfo does not echo the id.
	out.ID = id
	return &out, nil
}

// ModifyProjectInput changes the fields that are not nil.
type ModifyProjectInput struct {
	ID          string  `json:"ProjectId"`
	Name        *string `json:"ProjectName,omitempty"`
	Description *string `json:"ProjectDescription,omitempty"`
	PolicyMode  *string `json:"PolicyMode,omitempty"`
}

// ModifyProject updates a project in place.
func (c *Client) ModifyProject(ctx context.Context, in ModifyProjectInput) error {
	return c.call(ctx, "ModifyProject", true, in, nil)
}

// DeleteProject deletes a project; IsNotFound(err) when it was already gone.
func (c *Client) DeleteProject(ctx context.Context, id string) error {
	return c.call(ctx, "DeleteProject", true, map[string]string{"ProjectId": id}, nil)
}

// listPageSize is the page size ListProjects asks for.
const listPageSize = 100

// ListProjects returns every project, following the pages.
func (c *Client) ListProjects(ctx context.Context) ([]Project, error) {
	var all []Project
	for page := 1; ; page++ {
		var out struct {
			Projects []Project `json:"Projects"`
			Total    int       `json:"Total"`
		}
		params := map[string]int{"PageSize": listPageSize, "PageNumber": page}
		if err := c.call(ctx, "DescribeProjectList", true, params, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Projects...)
		if len(out.Projects) < listPageSize || len(all) >= out.Total {
			return all, nil
		}
	}
}
