package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
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

// wireProject is a project as the API sends it, the one answer type every call that decodes a
// project uses (single reads, list pages, create and update answers); pointers tell a missing
// field from a zero one.
type wireProject struct {
	ID          *string `json:"id"`
	Name        *string `json:"name"`
	Description *string `json:"description"`
	ParentID    *string `json:"parent_id"`
	DomainID    *string `json:"domain_id"`
	Enabled     *bool   `json:"enabled"`
	IsDomain    bool    `json:"is_domain"`
	Status      string  `json:"status"`
}

// project converts the answer and says which attributes it lacks (their keys, sorted): the one
// completeness rule of every call. Every attribute the resources store must be there: a project
// without its parent or account would plan a replacement, one without its name a rename. The
// description may be missing (""), and the status is only in /v3-ext's answers.
func (w *wireProject) project() (Project, []string) {
	p := Project{IsDomain: w.IsDomain, Status: w.Status}
	missing := transport.CopyAnswerFields(
		transport.AnswerField{Key: "description", From: w.Description, To: &p.Description, Optional: true},
		transport.AnswerField{Key: "domain_id", From: w.DomainID, To: &p.DomainID},
		transport.AnswerField{Key: "id", From: w.ID, To: &p.ID},
		transport.AnswerField{Key: "name", From: w.Name, To: &p.Name},
		transport.AnswerField{Key: "parent_id", From: w.ParentID, To: &p.ParentID},
	)
	if w.Enabled != nil {
		p.Enabled = *w.Enabled
	} else {
		missing = append(missing, "enabled")
	}
	slices.Sort(missing)
	return p, missing
}

// problem says what keeps an answer's project from being used ("" when nothing does).
func (w *wireProject) problem() (*Project, string) {
	if w == nil {
		return nil, "it has no project"
	}
	p, missing := w.project()
	if len(missing) > 0 {
		return nil, "its project lacks " + strings.Join(missing, ", ")
	}
	return &p, ""
}

// Matches says whether p has every attribute a create with in sets: its name (unique in an
// account without regard to case, so compared without case), description and parent, and its
// account where in names one.
func (p Project) Matches(in CreateProjectInput) bool {
	return strings.EqualFold(p.Name, in.Name) && p.Description == in.Description && p.ParentID == in.ParentID &&
		(in.DomainID == "" || p.DomainID == in.DomainID)
}

// decodeProject reads {"project": {...}} and checks it is complete and, when wantID is given,
// the project asked for: an answer naming another project must never re-point the state.
func (c *Client) decodeProject(op operation, resp *transport.Response, wantID string) (*Project, error) {
	var out struct {
		Project *wireProject `json:"project"`
	}
	if err := c.decode(op, resp, &out); err != nil {
		return nil, err
	}
	p, problem := out.Project.problem()
	if problem != "" {
		return nil, c.badAnswer(op, resp, problem)
	}
	if wantID != "" && p.ID != wantID {
		return nil, c.badAnswer(op, resp, fmt.Sprintf("it names project %s, not %s as asked", p.ID, wantID))
	}
	return p, nil
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

// CreateProject creates a project and returns it as the answer describes it (every attribute
// but the status, which a new project has as "normal"). It is not idempotent: when its outcome
// is unknown, or its answer is not a complete project of that name, it returns an error for
// which transport.MayHaveActed is true, and the caller should look the project up by name. A
// duplicate name gives an error for which IsConflict is true.
func (c *Client) CreateProject(ctx context.Context, in CreateProjectInput) (*Project, error) {
	// 202 too: gophertelekomcloud accepts 201 and 202 on every POST (defaultOkCodes).
	op := operation{name: OpCreateProject, idempotent: false, method: http.MethodPost, path: "/v3/projects", ok: []int{http.StatusCreated, http.StatusOK, http.StatusAccepted}}
	// No snapshot taken before or during the create serves a read after it.
	c.snapshots.Wrote()
	defer c.snapshots.Wrote()
	resp, err := c.do(ctx, op, map[string]any{"project": in})
	if err != nil {
		return nil, err
	}
	p, err := c.decodeProject(op, resp, "")
	if err != nil {
		return nil, err
	}
	if p.Name != in.Name {
		return nil, c.badAnswer(op, resp, fmt.Sprintf("it names the project %q, not %q as sent", p.Name, in.Name))
	}
	c.snapshots.Wrote(p.ID)
	p.Status = ""
	return p, nil
}

// GetProject returns the project with id, with its status from GET /v3-ext/projects/{id}; where
// the cloud does not offer /v3-ext it falls back to GET /v3/projects/{id} (Status empty).
// IsNotFound(err) when there is no such project; an answer that is not that project is a
// transport.BadAnswerError.
func (c *Client) GetProject(ctx context.Context, id string) (*Project, error) {
	// Where the cloud has no /v3-ext, the read below carries no status, and a listing carries
	// everything it does: a refresh of many projects is then served from one listing (only what
	// it holds complete and this process did not write; anything else is read here). Where
	// /v3-ext is offered, the status needs its own call per project anyway.
	if offered, known := c.ExtKnown(); known && !offered {
		if p, ok := c.snapshots.Lookup(ctx, "", id); ok {
			p.Status = ""
			return &p, nil
		}
	}
	if c.ext.Load() != extMissing {
		op := operation{name: OpShowProjectStatus, idempotent: true, method: http.MethodGet, path: projectPath("/v3-ext", id), ok: []int{http.StatusOK}}
		resp, err := c.do(ctx, op, nil)
		if err == nil {
			c.ext.Store(extOffered)
			return c.decodeProject(op, resp, id)
		}
		if !IsAPIMissing(err) {
			return nil, err
		}
		c.ext.Store(extMissing)
	}
	op := operation{name: OpShowProject, idempotent: true, method: http.MethodGet, path: projectPath("/v3", id), ok: []int{http.StatusOK}}
	resp, err := c.do(ctx, op, nil)
	if err != nil {
		return nil, err
	}
	p, err := c.decodeProject(op, resp, id)
	if err != nil {
		return nil, err
	}
	p.Status = ""
	return p, nil
}

// StatusSupported reports whether the cloud has not (yet) said it lacks /v3-ext.
func (c *Client) StatusSupported() bool { return c.ext.Load() != extMissing }

// ExtKnown reports whether this client knows if the cloud offers /v3-ext, and if so whether it
// does.
func (c *Client) ExtKnown() (offered, known bool) {
	switch c.ext.Load() {
	case extOffered:
		return true, true
	case extMissing:
		return false, true
	}
	return false, false
}

// LearnExt runs read (a read of a new project through GetProject) unless another caller has
// meanwhile learnt whether the cloud offers /v3-ext, so that of many projects created at once
// only one is read back to find out. It returns the project read, or nil when read was not
// needed.
func (c *Client) LearnExt(ctx context.Context, read func(context.Context) (*Project, error)) (*Project, error) {
	c.extProbe.Lock()
	defer c.extProbe.Unlock()
	if _, known := c.ExtKnown(); known {
		return nil, nil
	}
	return read(ctx)
}

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
		op := operation{name: OpListProjects, idempotent: true, method: http.MethodGet, path: "/v3/projects", query: q, ok: []int{http.StatusOK}}
		resp, err := c.do(ctx, op, nil)
		if err != nil {
			return nil, err
		}
		var out struct {
			Projects *[]*wireProject `json:"projects"`
			Links    struct {
				Next *string `json:"next"`
			} `json:"links"`
		}
		if err := c.decode(op, resp, &out); err != nil {
			return nil, err
		}
		if out.Projects == nil {
			return nil, c.badAnswer(op, resp, "it has no projects list")
		}
		for i, w := range *out.Projects {
			p, problem := w.problem()
			if problem != "" {
				return nil, c.badAnswer(op, resp, fmt.Sprintf("its project #%d is not complete (%s)", i+1, strings.TrimPrefix(problem, "its project ")))
			}
			all = append(all, *p)
		}
		// The next link, not the page's length, says whether more follow: a short page with a
		// next link is not the last. A server that ignores paging answers with everything at
		// once and no next link; one whose next link never ends, or whose pages repeat, gives
		// no complete list.
		if out.Links.Next == nil || *out.Links.Next == "" || len(*out.Projects) == 0 {
			return dedupe(all), nil
		}
		if page >= maxListPages {
			return nil, &IncompleteListError{Service: "IAM", Operation: OpListProjects, Scope: "the account's projects", Problem: fmt.Sprintf("its next link did not end after %d pages", page)}
		}
	}
}

// maxListPages bounds a walk of GET /v3/projects' pages.
const maxListPages = 10000

// dedupe keeps the first of projects with one id (a project can move onto the next page while
// the pages are read).
func dedupe(projects []Project) []Project {
	seen := make(map[string]bool, len(projects))
	out := projects[:0]
	for _, p := range projects {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, p)
		}
	}
	return out
}

// IncompleteListError: a listing that cannot prove what it lacks.
type IncompleteListError = listing.IncompleteListError

// DuplicateKeyError: several projects with one name, which the API keeps unique in an account.
type DuplicateKeyError = listing.DuplicateKeyError

// IsIncompleteList and IsDuplicateKey report those errors.
var (
	IsIncompleteList = listing.IsIncompleteList
	IsDuplicateKey   = listing.IsDuplicateKey
)

// snapshotPageSize is the page size of the listings that serve reads: the API's maximum, so
// that one page covers nearly every account.
const snapshotPageSize = 5000

// Wrote tells the client that this process wrote project id by other means than its own
// create, update and delete calls (e.g. adopted it after a create without an answer), so that
// no list snapshot serves a read of it.
func (c *Client) Wrote(id string) { c.snapshots.Wrote(id) }

// newSnapshots serves GetProject from GET /v3/projects (the credentials' account, pages of
// snapshotPageSize numbered from 1) where the cloud has no /v3-ext. The answer has no total, so
// the next page is fetched only when the reads seen pay for it. Items GetProject would refuse
// (incomplete) are left out, so they are read by themselves.
func (c *Client) newSnapshots(disabled bool) *listing.Snapshots[Project] {
	return listing.NewSnapshots(listing.SnapshotConfig[Project]{
		List: func(ctx context.Context, _ string, token string) (listing.ListPage[Project], error) {
			page := 1
			if token != "" {
				n, err := strconv.Atoi(token)
				if err != nil {
					return listing.ListPage[Project]{}, fmt.Errorf("page token %q is not a page number", token)
				}
				page = n
			}
			q := url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(snapshotPageSize)}}
			op := operation{name: OpListProjects, idempotent: true, method: http.MethodGet, path: "/v3/projects", query: q, ok: []int{http.StatusOK}}
			resp, err := c.do(ctx, op, nil)
			if err != nil {
				return listing.ListPage[Project]{}, err
			}
			var out struct {
				Projects *[]*wireProject `json:"projects"`
				Links    struct {
					Next *string `json:"next"`
				} `json:"links"`
			}
			if err := c.decode(op, resp, &out); err != nil {
				return listing.ListPage[Project]{}, err
			}
			if out.Projects == nil {
				return listing.ListPage[Project]{}, c.badAnswer(op, resp, "it has no projects list")
			}
			var lp listing.ListPage[Project]
			for _, w := range *out.Projects {
				if p, problem := w.problem(); problem == "" {
					p.Status = ""
					lp.Items = append(lp.Items, *p)
				}
			}
			if len(*out.Projects) == snapshotPageSize && out.Links.Next != nil && *out.Links.Next != "" {
				lp.Next = strconv.Itoa(page + 1)
			}
			return lp, nil
		},
		ID:       func(p Project) string { return p.ID },
		Disabled: disabled,
	})
}

// FindProjectByName returns the project named exactly name (in domainID when not empty), a
// *NotFoundError (IsNotFound) when there is none, or a *DuplicateKeyError when the answer lists
// several: never a pick. It lists directly, never from a snapshot (batch reads).
func (c *Client) FindProjectByName(ctx context.Context, name, domainID string) (*Project, error) {
	projects, err := c.ListProjects(ctx, ListProjectsInput{Name: name, DomainID: domainID})
	if err != nil {
		return nil, err
	}
	var matches []Project
	for _, p := range projects {
		if p.Name == name {
			matches = append(matches, p)
		}
	}
	switch len(matches) {
	case 0:
		return nil, &NotFoundError{What: fmt.Sprintf("IAM project named %q", name)}
	case 1:
		return &matches[0], nil
	}
	ids := make([]string, len(matches))
	for i, p := range matches {
		ids[i] = p.ID
	}
	return nil, &DuplicateKeyError{Service: "IAM", Operation: OpListProjects, Key: "name", Value: name, IDs: ids}
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
	if rc.found == nil {
		rc.locks, rc.found = map[string]*sync.Mutex{}, map[string]*Project{}
	}
	rc.found[key] = p
}

// KnowRegionProject records p, a region's own project that a listing of the account domainID
// ("" for the credentials' account) holds, so that FindRegionProject does not look it up again:
// a region's project is made by the cloud and never changes.
func (c *Client) KnowRegionProject(domainID string, p Project) {
	for _, d := range []string{domainID, p.DomainID} {
		found := p
		c.regions.put(d+"/"+p.Name, &found)
	}
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
	if IsNotFound(err) {
		return nil, &RegionProjectNotFoundError{Region: region}
	}
	if err != nil {
		return nil, err
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

// UpdateProject changes a project's name or description with PATCH /v3/projects/{id} and
// returns the project as the answer describes it (without status). A duplicate name gives an
// error for which IsConflict is true.
func (c *Client) UpdateProject(ctx context.Context, id string, in UpdateProjectInput) (*Project, error) {
	c.snapshots.Wrote(id)
	op := operation{name: OpUpdateProject, idempotent: true, method: http.MethodPatch, path: projectPath("/v3", id), ok: []int{http.StatusOK}}
	resp, err := c.do(ctx, op, map[string]any{"project": in})
	if err != nil {
		return nil, err
	}
	p, err := c.decodeProject(op, resp, id)
	if err != nil {
		return nil, err
	}
	p.Status = ""
	return p, nil
}

// SetProjectStatus sets a project's status ("normal" or "suspended") with
// PUT /v3-ext/projects/{id}.
func (c *Client) SetProjectStatus(ctx context.Context, id, status string) error {
	c.snapshots.Wrote(id)
	op := operation{name: OpUpdateProjectStatus, idempotent: true, method: http.MethodPut, path: projectPath("/v3-ext", id), ok: []int{http.StatusNoContent, http.StatusOK}}
	resp, err := c.do(ctx, op, map[string]any{"project": map[string]string{"status": status}})
	if err != nil {
		if IsAPIMissing(err) {
			c.ext.Store(extMissing)
		}
		return err
	}
	c.ext.Store(extOffered)
	return c.checkEmptyOrJSON(op, resp)
}

// DeleteProject deletes a project with DELETE /v3/projects/{id}. Open Telekom Cloud answers 204
// (200 on older deployments) and revokes every token of the account, so the client drops its
// token and fetches a new one for the next call; with a password, deletes wait for the calls in
// flight and run one at a time, so that no call is refused for a token revoked under it. Huawei
// Cloud does not offer the call: IsAPIMissing(err) is then true. IsNotFound(err) when the project was already gone.
func (c *Client) DeleteProject(ctx context.Context, id string) error {
	c.snapshots.Wrote(id)
	op := operation{name: OpDeleteProject, idempotent: true, method: http.MethodDelete, path: projectPath("/v3", id), ok: []int{http.StatusNoContent, http.StatusOK}, revokesTokens: true}
	resp, err := c.do(ctx, op, nil)
	if err != nil {
		return err
	}
	return c.checkEmptyOrJSON(op, resp)
}

// ValidateCredentials makes the cheapest call any valid credentials may make, GET
// /v3/auth/domains (no permission needed; with a password, the token request comes first), and
// checks that the answer is IAM's. IsAuthFailure(err) when the credentials are refused;
// IsWrongService(err) when what answers at the auth URL is not an IAM API.
func (c *Client) ValidateCredentials(ctx context.Context) error {
	op := operation{name: OpListAuthDomains, idempotent: true, method: http.MethodGet, path: "/v3/auth/domains", ok: []int{http.StatusOK}}
	resp, err := c.do(ctx, op, nil)
	if err != nil {
		return err
	}
	var out struct {
		Domains *[]struct {
			ID string `json:"id"`
		} `json:"domains"`
	}
	if err := c.decode(op, resp, &out); err != nil {
		return err
	}
	if out.Domains == nil {
		return c.badAnswer(op, resp, "it has no domains list")
	}
	return nil
}
