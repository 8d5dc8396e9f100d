package client

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

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

// plausibleID matches what an answer may carry as a ProjectId (documented as 16 letters and
// digits; a little looser, so that a longer id some day is not taken for a broken answer).
var plausibleID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// CreateProject creates a project and returns its id. It is not idempotent: when the attempt
// may have acted without a trustworthy answer, transport.MayHaveActed(err) is true and the
// caller must look for the project before sending it again.
func (c *Client) CreateProject(ctx context.Context, in CreateProjectInput) (string, error) {
	var out struct {
		ProjectID *string `json:"ProjectId"`
	}
	// No snapshot taken before or during the create serves a read after it.
	c.snapshots.Wrote()
	defer c.snapshots.Wrote()
	resp, err := c.call(ctx, operation{name: ActionCreateProject, idempotent: false}, in, &out)
	if err != nil {
		return "", err
	}
	switch {
	case out.ProjectID == nil || *out.ProjectID == "":
		return "", c.http.BadAnswer(ActionCreateProject, resp, "it carries no ProjectId")
	case !plausibleID.MatchString(*out.ProjectID):
		return "", c.http.BadAnswer(ActionCreateProject, resp, fmt.Sprintf("its ProjectId %+q is not an id", *out.ProjectID))
	}
	c.snapshots.Wrote(*out.ProjectID)
	return *out.ProjectID, nil
}

// DescribeProject returns the project with id; IsNotFound(err) when the API says there is none.
func (c *Client) DescribeProject(ctx context.Context, id string) (*Project, error) {
	// A refresh of many projects is served from one listing (only what the listing holds and
	// this process did not write; anything else is read here).
	if p, ok := c.snapshots.Lookup(ctx, "", id); ok {
		return &p, nil
	}
	// Pointers tell a missing field from an empty one.
	var out struct {
		ProjectID          *string `json:"ProjectId"`
		ProjectName        *string `json:"ProjectName"`
		ProjectDescription *string `json:"ProjectDescription"`
		PolicyMode         *string `json:"PolicyMode"`
		ModifyTime         *string `json:"ModifyTime"`
	}
	op := operation{name: ActionDescribeProjectInfo, idempotent: true}
	resp, err := c.call(withProjectID(ctx, id), op, map[string]string{"ProjectId": id}, &out)
	if err != nil {
		return nil, err
	}
	switch {
	// DescribeProjectInfo does not document ProjectId in its answer; when one comes, it must be
	// the project asked for, or the state would be pointed at another project.
	case out.ProjectID != nil && *out.ProjectID != id:
		return nil, c.http.BadAnswer(op.name, resp, fmt.Sprintf("it describes project %q, not %q", *out.ProjectID, id))
	case out.ProjectName == nil || *out.ProjectName == "":
		return nil, c.http.BadAnswer(op.name, resp, "it carries no project (no ProjectName)")
	case out.PolicyMode == nil || *out.PolicyMode == "":
		return nil, c.http.BadAnswer(op.name, resp, "it carries no PolicyMode")
	}
	p := &Project{ID: id, Name: *out.ProjectName, PolicyMode: *out.PolicyMode}
	if out.ProjectDescription != nil {
		p.Description = *out.ProjectDescription
	}
	if out.ModifyTime != nil {
		p.ModifyTime = *out.ModifyTime
	}
	return p, nil
}

// ModifyProjectInput changes the fields that are not nil.
type ModifyProjectInput struct {
	ID          string  `json:"ProjectId"`
	Name        *string `json:"ProjectName,omitempty"`
	Description *string `json:"ProjectDescription,omitempty"`
	PolicyMode  *string `json:"PolicyMode,omitempty"`
}

// ModifyProject updates a project in place. Sending the same values twice changes nothing, so
// it is retried like a read.
func (c *Client) ModifyProject(ctx context.Context, in ModifyProjectInput) error {
	c.snapshots.Wrote(in.ID)
	_, err := c.call(withProjectID(ctx, in.ID), operation{name: ActionModifyProject, idempotent: true}, in, nil)
	return err
}

// DeleteProject deletes a project; IsNotFound(err) when it was already gone.
func (c *Client) DeleteProject(ctx context.Context, id string) error {
	c.snapshots.Wrote(id)
	_, err := c.call(withProjectID(ctx, id), operation{name: ActionDeleteProject, idempotent: true}, map[string]string{"ProjectId": id}, nil)
	return err
}

// withProjectID makes the call's log lines name the project, also where the caller did not know
// its id yet (the read-back of a new project).
func withProjectID(ctx context.Context, id string) context.Context {
	return transport.LogFields(ctx, map[string]any{"project_id": id})
}

// listPageSize is the page size ListProjects asks for (DescribeProjectList's maximum).
const listPageSize = 100

// ListProjects returns every project, following the pages.
func (c *Client) ListProjects(ctx context.Context) ([]Project, error) {
	var all []Project
	for page := 1; ; page++ {
		projects, total, err := c.listPage(ctx, page, listPageSize)
		if err != nil {
			return nil, err
		}
		all = append(all, projects...)
		if len(projects) < listPageSize || len(all) >= total {
			return all, nil
		}
	}
}

// FindProjectsByName returns every project named name (TRRO names are not unique), or a
// *NotFoundError when there is none.
func (c *Client) FindProjectsByName(ctx context.Context, name string) ([]Project, error) {
	projects, err := c.ListProjects(ctx)
	if err != nil {
		return nil, err
	}
	var matches []Project
	for _, p := range projects {
		if p.Name == name {
			matches = append(matches, p)
		}
	}
	if len(matches) == 0 {
		return nil, &NotFoundError{What: fmt.Sprintf("project named %q", name)}
	}
	return matches, nil
}

// ValidateCredentials makes the cheapest call that proves the credentials, region and endpoint
// work: one DescribeProjectList entry.
func (c *Client) ValidateCredentials(ctx context.Context) error {
	_, _, err := c.listPage(ctx, 1, 1)
	return err
}

// Wrote tells the client that this process wrote project id by other means than its own
// create, update and delete calls (e.g. adopted it after a create without an answer), so that
// no list snapshot serves a read of it.
func (c *Client) Wrote(id string) { c.snapshots.Wrote(id) }

// newSnapshots serves DescribeProject from DescribeProjectList's pages (100 projects each,
// numbered from 1). A list item carries everything DescribeProjectInfo returns; items that
// DescribeProject would not accept (no PolicyMode) are left out, so they are read directly.
func (c *Client) newSnapshots(disabled bool) *providerutil.Snapshots[Project] {
	return providerutil.NewSnapshots(providerutil.SnapshotConfig[Project]{
		List: func(ctx context.Context, _ string, token string) (providerutil.ListPage[Project], error) {
			page := 1
			if token != "" {
				n, err := strconv.Atoi(token)
				if err != nil {
					return providerutil.ListPage[Project]{}, fmt.Errorf("page token %q is not a page number", token)
				}
				page = n
			}
			projects, total, err := c.listPage(ctx, page, listPageSize)
			if err != nil {
				return providerutil.ListPage[Project]{}, err
			}
			out := providerutil.ListPage[Project]{Total: total}
			for _, p := range projects {
				if p.PolicyMode != "" && plausibleID.MatchString(p.ID) {
					out.Items = append(out.Items, p)
				}
			}
			if page*listPageSize < total && len(projects) == listPageSize {
				out.Next = strconv.Itoa(page + 1)
			}
			return out, nil
		},
		ID:       func(p Project) string { return p.ID },
		PageSize: listPageSize,
		Disabled: disabled,
	})
}

func (c *Client) listPage(ctx context.Context, page, size int) ([]Project, int, error) {
	// The parameters travel in the body (every call is POST /): the logs show them as the query.
	ctx = transport.LogFields(ctx, map[string]any{"query": fmt.Sprintf("PageNumber=%d&PageSize=%d", page, size)})
	var out struct {
		Projects *[]Project `json:"Projects"`
		Total    *int       `json:"Total"`
	}
	op := operation{name: ActionDescribeProjectList, idempotent: true}
	resp, err := c.call(ctx, op, map[string]int{"PageSize": size, "PageNumber": page}, &out)
	if err != nil {
		return nil, 0, err
	}
	if out.Total == nil {
		return nil, 0, c.http.BadAnswer(op.name, resp, "it carries no Total")
	}
	if out.Projects == nil {
		if *out.Total != 0 {
			return nil, 0, c.http.BadAnswer(op.name, resp, "it carries no Projects list")
		}
		return nil, 0, nil
	}
	for _, p := range *out.Projects {
		if p.ID == "" || p.Name == "" {
			return nil, 0, c.http.BadAnswer(op.name, resp, "a project in its Projects list has no ProjectId or ProjectName")
		}
	}
	return *out.Projects, *out.Total, nil
}
