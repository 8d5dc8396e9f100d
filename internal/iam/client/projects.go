package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// Project is an IAM project. Status is "normal" or "suspended" when read through /v3-ext, and
// empty when the cloud does not offer it.
type Project struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id"`
	DomainID    string `json:"domain_id"`
	Enabled     bool   `json:"enabled"`
	IsDomain    bool   `json:"is_domain"`
	Status      string `json:"status,omitempty"`
}

// Project statuses.
const (
	StatusNormal    = "normal"
	StatusSuspended = "suspended"
)

type projectEnvelope struct {
	Project Project `json:"project"`
}

func projectPath(prefix, id string) string {
	return prefix + "/projects/" + url.PathEscape(id)
}

// CreateProjectInput is the body of POST /v3/projects.
type CreateProjectInput struct {
	Name        string `json:"name"`
	ParentID    string `json:"parent_id"`
	DomainID    string `json:"domain_id,omitempty"`
	Description string `json:"description,omitempty"`
}

// CreateProject creates a project. It is not idempotent: when its outcome is unknown it returns
// an error for which transport.IsOutcomeUnknown is true, and the caller should look the project
// up by name. A duplicate name gives an error for which IsConflict is true.
func (c *Client) CreateProject(ctx context.Context, in CreateProjectInput) (*Project, error) {
	var out projectEnvelope
	op := operation{name: OpCreateProject, method: http.MethodPost, path: "/v3/projects", ok: []int{http.StatusCreated, http.StatusOK}}
	if err := c.do(ctx, op, map[string]any{"project": in}, &out); err != nil {
		return nil, err
	}
	if out.Project.ID == "" {
		return nil, fmt.Errorf("%s %s: the answer has no project id", ServiceName, op.label())
	}
	return &out.Project, nil
}

// GetProject returns the project with id, with its status from GET /v3-ext/projects/{id}; where
// the cloud does not offer /v3-ext it falls back to GET /v3/projects/{id} (Status empty).
// IsNotFound(err) when there is no such project.
func (c *Client) GetProject(ctx context.Context, id string) (*Project, error) {
	if !c.noExt.Load() {
		var out projectEnvelope
		op := operation{name: OpShowProjectStatus, method: http.MethodGet, path: projectPath("/v3-ext", id), idempotent: true, ok: []int{http.StatusOK}}
		err := c.do(ctx, op, nil, &out)
		if err == nil {
			out.Project.ID = firstNonEmpty(out.Project.ID, id)
			return &out.Project, nil
		}
		if !IsAPIMissing(err) {
			return nil, err
		}
		c.noExt.Store(true)
	}
	var out projectEnvelope
	op := operation{name: OpShowProject, method: http.MethodGet, path: projectPath("/v3", id), idempotent: true, ok: []int{http.StatusOK}}
	if err := c.do(ctx, op, nil, &out); err != nil {
		return nil, err
	}
	out.Project.ID = firstNonEmpty(out.Project.ID, id)
	out.Project.Status = ""
	return &out.Project, nil
}

// StatusSupported reports whether the cloud has not (yet) said it lacks /v3-ext.
func (c *Client) StatusSupported() bool { return !c.noExt.Load() }

// ListProjectsInput filters GET /v3/projects; empty fields are not sent.
type ListProjectsInput struct {
	Name     string
	DomainID string
	ParentID string
	// Enabled, when not nil, keeps only enabled (true) or disabled (false) projects.
	Enabled *bool
}

// listPageSize is the page size ListProjects asks for (the API allows 1 to 5000).
var listPageSize = 500

// ListProjects returns the projects matching in, following the pages.
func (c *Client) ListProjects(ctx context.Context, in ListProjectsInput) ([]Project, error) {
	pageSize := c.cfg.ListPageSize
	if pageSize == 0 {
		pageSize = listPageSize
	}
	var all []Project
	for page := 1; ; page++ {
		q := url.Values{}
		for k, v := range map[string]string{"name": in.Name, "domain_id": in.DomainID, "parent_id": in.ParentID} {
			if v != "" {
				q.Set(k, v)
			}
		}
		if in.Enabled != nil {
			q.Set("enabled", strconv.FormatBool(*in.Enabled))
		}
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(pageSize))
		var out struct {
			Projects []Project `json:"projects"`
			Links    struct {
				Next *string `json:"next"`
			} `json:"links"`
		}
		op := operation{name: OpListProjects, method: http.MethodGet, path: "/v3/projects", query: q, idempotent: true, ok: []int{http.StatusOK}}
		if err := c.do(ctx, op, nil, &out); err != nil {
			return nil, err
		}
		all = append(all, out.Projects...)
		// A server that ignores paging answers with everything at once and no next link.
		if len(out.Projects) < pageSize || out.Links.Next == nil || *out.Links.Next == "" {
			return all, nil
		}
	}
}

// FindProjectByName returns the project named exactly name (in domainID when not empty), or
// nil when there is none.
func (c *Client) FindProjectByName(ctx context.Context, name, domainID string) (*Project, error) {
	projects, err := c.ListProjects(ctx, ListProjectsInput{Name: name, DomainID: domainID})
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		if p.Name == name {
			return &p, nil
		}
	}
	return nil, nil
}

// RegionProjectNotFoundError says the account has no project named like a region.
type RegionProjectNotFoundError struct {
	Region string
}

func (e *RegionProjectNotFoundError) Error() string {
	return fmt.Sprintf("the account has no project named %q, so %q is not a region id it can use; project names must start with an existing region id and \"_\"", e.Region, e.Region)
}

// regionCache keeps the regions' own projects found so far, per domain and region: the cloud
// makes them and they never change, so one lookup serves every project created in the region
// (200 new projects cost one lookup, not 200 of the operation's rate limit).
type regionCache struct {
	mu    sync.Mutex
	found map[string]*Project
	// locks make concurrent lookups of one region wait for the first instead of all asking.
	locks map[string]*sync.Mutex
}

func (rc *regionCache) lock(key string) (*sync.Mutex, *Project) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.locks == nil {
		rc.locks, rc.found = map[string]*sync.Mutex{}, map[string]*Project{}
	}
	if rc.locks[key] == nil {
		rc.locks[key] = &sync.Mutex{}
	}
	return rc.locks[key], rc.found[key]
}

func (rc *regionCache) get(key string) *Project {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.found[key]
}

func (rc *regionCache) put(key string, p *Project) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.found[key] = p
}

// FindRegionProject returns the region's own project (named exactly like the region id), the
// parent of every project created in that region. A region found once is not looked up again
// by this client; one not found is.
func (c *Client) FindRegionProject(ctx context.Context, region, domainID string) (*Project, error) {
	key := domainID + "/" + region
	l, cached := c.regions.lock(key)
	if cached != nil {
		p := *cached
		return &p, nil
	}
	l.Lock()
	defer l.Unlock()
	if cached := c.regions.get(key); cached != nil {
		p := *cached
		return &p, nil
	}
	p, err := c.FindProjectByName(ctx, region, domainID)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, &RegionProjectNotFoundError{Region: region}
	}
	c.regions.put(key, p)
	found := *p
	return &found, nil
}

// UpdateProjectInput changes the fields that are not nil.
type UpdateProjectInput struct {
	Name        *string `json:"name,omitempty"`
	Description *string `json:"description,omitempty"`
}

// UpdateProject changes a project's name or description with PATCH /v3/projects/{id}. A
// duplicate name gives an error for which IsConflict is true.
func (c *Client) UpdateProject(ctx context.Context, id string, in UpdateProjectInput) (*Project, error) {
	var out projectEnvelope
	op := operation{name: OpUpdateProject, method: http.MethodPatch, path: projectPath("/v3", id), idempotent: true, ok: []int{http.StatusOK}}
	if err := c.do(ctx, op, map[string]any{"project": in}, &out); err != nil {
		return nil, err
	}
	return &out.Project, nil
}

// SetProjectStatus sets a project's status ("normal" or "suspended") with
// PUT /v3-ext/projects/{id}.
func (c *Client) SetProjectStatus(ctx context.Context, id, status string) error {
	op := operation{name: OpUpdateProjectStatus, method: http.MethodPut, path: projectPath("/v3-ext", id), idempotent: true, ok: []int{http.StatusNoContent, http.StatusOK}}
	err := c.do(ctx, op, map[string]any{"project": map[string]string{"status": status}}, nil)
	return err
}

// DeleteProject deletes a project with DELETE /v3/projects/{id}. Open Telekom Cloud answers 204
// (200 on older deployments) and revokes every token of the account, so the client drops its
// token and fetches a new one for the next call; with a password, deletes wait for the calls in
// flight and run one at a time, so that no call is refused for a token revoked under it. Huawei
// Cloud does not offer the call: IsAPIMissing(err) is then true. IsNotFound(err) when the project was already gone.
func (c *Client) DeleteProject(ctx context.Context, id string) error {
	op := operation{name: OpDeleteProject, method: http.MethodDelete, path: projectPath("/v3", id), idempotent: true, ok: []int{http.StatusNoContent, http.StatusOK}, revokesTokens: true}
	return c.do(ctx, op, nil, nil)
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
