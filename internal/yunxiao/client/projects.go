package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
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
	// missing holds the keys the answer p was decoded from lacks (wireProject.project); nil
	// for a complete answer, and for a project not decoded from one.
	missing []string
}

// Complete says whether p was decoded from an answer carrying every attribute the resource
// stores (wireProject.project's rule), so that it may stand for the project without a read.
func (p *Project) Complete() bool { return len(p.missing) == 0 }

// Matches says whether p is live and has every attribute a create with in sets that an answer
// shows: the custom code, name and scope (the template is never returned).
func (p Project) Matches(in CreateProjectInput) bool {
	return p.CustomCode == in.CustomCode && p.Name == in.Name && p.Scope == in.Scope && !p.Deleted()
}

// wireProject is a project as createProject, GetProjectInfo, UpdateProjectField and
// ListProjects send it, the one answer type every call that decodes a project uses; pointers
// tell a missing key (or null) from an empty value.
type wireProject struct {
	Identifier             *string `json:"identifier"`
	Name                   *string `json:"name"`
	CustomCode             *string `json:"customCode"`
	Scope                  *string `json:"scope"`
	Description            *string `json:"description"`
	LogicalStatus          *string `json:"logicalStatus"`
	Creator                *string `json:"creator"`
	Modifier               string  `json:"modifier"`
	GmtCreate              *Millis `json:"gmtCreate"`
	GmtModified            Millis  `json:"gmtModified"`
	OrganizationIdentifier string  `json:"organizationIdentifier"`
	CategoryIdentifier     string  `json:"categoryIdentifier"`
	TypeIdentifier         string  `json:"typeIdentifier"`
}

// project converts the answer and says which attributes it lacks (their keys, sorted; the
// project carries them too, see Complete): the one completeness rule of the list snapshot and
// of the create's decision to read the project back. Every attribute GetProjectInfo returns and
// the resource stores must be there; the description and the creator may be empty (createProject
// takes no description), the others may not. What is missing comes back as the zero value.
func (w *wireProject) project() (Project, []string) {
	p := Project{
		Modifier: w.Modifier, GmtModified: w.GmtModified, OrganizationIdentifier: w.OrganizationIdentifier,
		CategoryIdentifier: w.CategoryIdentifier, TypeIdentifier: w.TypeIdentifier,
	}
	missing := transport.CopyAnswerFields(
		transport.AnswerField{Key: "creator", From: w.Creator, To: &p.Creator, MayBeEmpty: true},
		transport.AnswerField{Key: "customCode", From: w.CustomCode, To: &p.CustomCode},
		transport.AnswerField{Key: "description", From: w.Description, To: &p.Description, MayBeEmpty: true},
		transport.AnswerField{Key: "identifier", From: w.Identifier, To: &p.Identifier},
		transport.AnswerField{Key: "logicalStatus", From: w.LogicalStatus, To: &p.LogicalStatus},
		transport.AnswerField{Key: "name", From: w.Name, To: &p.Name},
		transport.AnswerField{Key: "scope", From: w.Scope, To: &p.Scope},
	)
	if w.GmtCreate != nil {
		p.GmtCreate = *w.GmtCreate
	}
	if p.GmtCreate == 0 {
		missing = append(missing, "gmtCreate")
	}
	slices.Sort(missing)
	p.missing = missing
	return p, missing
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
	// Each part is one path parameter, encoded whole as the SDK does: a "/" in an id is %2F.
	parts := []string{"", "organization", PathParam(org)}
	for _, r := range rest {
		parts = append(parts, PathParam(r))
	}
	return strings.Join(parts, "/")
}

// projectAnswer is the answer of the calls that return one project.
type projectAnswer struct {
	envelope
	Project *wireProject `json:"project"`
}

// project is the answer's project, converted; nil when it has none.
func (a projectAnswer) project() *Project {
	if a.Project == nil {
		return nil
	}
	p, _ := a.Project.project()
	return &p
}

// MaxDescriptionLength is the longest description, in characters, the provider sends. Yunxiao
// publishes no limit; this one keeps a description far from any request-size limit while
// leaving room for a long text, and the mock enforces it like the API would.
const MaxDescriptionLength = 1000

// CreateProject creates a project and returns it. It is not idempotent: on an unknown outcome it
// returns an error for which transport.MayHaveActed is true (a lost or late answer, or a bad
// answer: one without the new project, or naming another custom code), and the caller should
// look the project up by its custom code (FindProjectByCustomCode), which is unique in the
// organization.
func (c *Client) CreateProject(ctx context.Context, org string, in CreateProjectInput) (*Project, error) {
	var out projectAnswer
	op := operation{
		name: "CreateProject", idempotent: false,
		method: http.MethodPost, path: orgPath(org, "projects", "createProject"), body: in,
	}
	// No snapshot taken before or during the create serves a read after it.
	c.snapshots.Wrote()
	defer c.snapshots.Wrote()
	resp, err := c.call(ctx, op, &out)
	if err != nil {
		return nil, err
	}
	p := out.project()
	switch {
	case p == nil:
		return nil, c.badAnswer(op.name, resp, "it has no project")
	case p.Identifier == "":
		return nil, c.badAnswer(op.name, resp, "its project has no identifier")
	case p.CustomCode != "" && p.CustomCode != in.CustomCode:
		return nil, c.badAnswer(op.name, resp, fmt.Sprintf("its project %s has custom code %s, not %s as created", p.Identifier, p.CustomCode, in.CustomCode))
	}
	c.snapshots.Wrote(p.Identifier)
	return p, nil
}

// GetProject returns the project; IsNotFound(err) when the API says there is none or it is
// deleted. An answer without the project, or about another project, is a bad answer.
func (c *Client) GetProject(ctx context.Context, org, id string) (*Project, error) {
	// A refresh of many projects is served from one listing of the organization (only what the
	// listing holds complete and this process did not write; anything else is read here).
	if p, ok := c.snapshots.Lookup(ctx, org, id); ok {
		return &p, nil
	}
	var out projectAnswer
	op := operation{
		name: "GetProjectInfo", idempotent: true,
		method: http.MethodGet, path: orgPath(org, "project", id),
	}
	resp, err := c.call(ctx, op, &out)
	if err != nil {
		return nil, err
	}
	p := out.project()
	if err := c.checkProject(op.name, resp, p, id); err != nil {
		return nil, err
	}
	if p.Deleted() {
		return nil, fmt.Errorf("%s GetProjectInfo %s: %w (its logicalStatus is %s)", ServiceName, id, &NotFoundError{}, p.LogicalStatus)
	}
	return p, nil
}

// checkProject asserts that an answer holds project id.
func (c *Client) checkProject(operation string, resp *transport.Response, p *Project, id string) error {
	switch {
	case p == nil:
		return c.badAnswer(operation, resp, "it has no project")
	case p.Identifier == "":
		return c.badAnswer(operation, resp, "its project has no identifier")
	case p.Identifier != id:
		return c.badAnswer(operation, resp, fmt.Sprintf("it describes project %s, not project %s as asked", p.Identifier, id))
	}
	return nil
}

// UpdateProjectFields sets the given fields with one UpdateProjectField call. Setting a field
// to a value is idempotent, so the call is retried like a read.
func (c *Client) UpdateProjectFields(ctx context.Context, org, id string, fields []FieldUpdate) (*Project, error) {
	if len(fields) == 0 {
		return nil, nil
	}
	c.snapshots.Wrote(id)
	body := struct {
		List []FieldUpdate `json:"updateBasicFieldRequestList"`
	}{fields}
	var out projectAnswer
	op := operation{
		name: "UpdateProjectField", idempotent: true,
		method: http.MethodPost, path: orgPath(org, "project", id), body: body,
	}
	resp, err := c.call(ctx, op, &out)
	if err != nil {
		return nil, err
	}
	// The answer may carry the project; when it does, it must be this one, and it is returned
	// (nil when the answer has none).
	p := out.project()
	if p != nil {
		if err := c.checkProject(op.name, resp, p, id); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// DeleteProject deletes the project; IsNotFound(err) when it was already gone.
func (c *Client) DeleteProject(ctx context.Context, org, id string) error {
	c.snapshots.Wrote(id)
	_, err := c.call(ctx, operation{
		name: "DeleteProject", idempotent: true,
		method: http.MethodDelete, path: orgPath(org, "projects", "delete"), query: url.Values{"identifier": {id}},
	}, nil)
	return err
}

// ListPageSize is the page size ListProjects asks for, the API's maximum.
const ListPageSize = 200

// listWalks bounds how often ListProjects walks the pages from the first again after a walk
// that did not add up: a list that changes under every walk is an error, never a partial answer.
const listWalks = 3

// maxListPages bounds one walk of ListProjects' pages.
const maxListPages = 10000

// IncompleteListError: a listing that cannot prove what it lacks.
type IncompleteListError = listing.IncompleteListError

// DuplicateKeyError: several live projects with one customCode, which the API keeps unique.
type DuplicateKeyError = listing.DuplicateKeyError

// IsIncompleteList and IsDuplicateKey report those errors.
var (
	IsIncompleteList = listing.IsIncompleteList
	IsDuplicateKey   = listing.IsDuplicateKey
)

// ListProjects returns every project of the organization, or an error: never a partial list.
// It follows nextToken and, when the answer gives a totalCount, checks that it did not fall
// between pages (a project deleted between pages may shift the others onto a page already read)
// and that the pages held as many projects as the last page's totalCount (a page cut short, or
// a project created between pages that landed on a page already read), and walks again from
// the first page when they did not; after listWalks walks that do not add up it returns an
// *IncompleteListError. A totalCount that grew is no reason to walk again: a project created
// between pages moves the others only towards later pages, never onto one already read, so
// pages that then hold as many as the last totalCount counts hold them all. It never uses a list snapshot (batch reads).
func (c *Client) ListProjects(ctx context.Context, org string) ([]Project, error) {
	problem := ""
	for walk := 1; walk <= listWalks; walk++ {
		all, p, err := c.walkList(ctx, org)
		if err != nil {
			return nil, err
		}
		if p == "" {
			return all, nil
		}
		problem = p
	}
	return nil, &IncompleteListError{Service: ServiceName, Operation: "ListProjects", Scope: "the organization's projects", Walks: listWalks, Problem: problem}
}

// walkList walks ListProjects' pages once; problem says why the walk does not add up.
func (c *Client) walkList(ctx context.Context, org string) (all []Project, problem string, err error) {
	seen := map[string]bool{}
	token, total := "", -1
	for page := 1; ; page++ {
		listed, next, pageTotal, err := c.listPage(ctx, org, token)
		if err != nil {
			return nil, "", err
		}
		if total >= 0 && pageTotal < total {
			return nil, fmt.Sprintf("the totalCount fell from %d to %d between pages %d and %d", total, pageTotal, page-1, page), nil
		}
		total = pageTotal
		for _, p := range listed {
			if !seen[p.Identifier] {
				seen[p.Identifier] = true
				all = append(all, p)
			}
		}
		if next == "" || next == token || len(listed) == 0 {
			// totalCount 0 means the answer gave none: nothing to check against.
			if total > 0 && len(all) != total {
				return nil, fmt.Sprintf("the pages held %d projects, the totalCount says %d", len(all), total), nil
			}
			return all, "", nil
		}
		if page >= maxListPages {
			return nil, fmt.Sprintf("nextToken did not end after %d pages", page), nil
		}
		token = next
	}
}

// listPage fetches one page of ListProjects (the first when token is ""), at the API's
// largest page size, and returns its projects (each saying whether it is complete: API-NOTES
// describe the list's items only as the create answer's, so an item lacking an attribute is
// read by itself instead), the next page's token ("" after the last) and totalCount (0 when the
// answer has none).
func (c *Client) listPage(ctx context.Context, org, token string) (projects []Project, next string, total int, err error) {
	q := url.Values{"category": {"Project"}, "maxResults": {strconv.Itoa(ListPageSize)}}
	if token != "" {
		q.Set("nextToken", token)
	}
	// Decoded in one pass with the envelope (a page is up to 200 projects, and creates list
	// often); only a page that does not decode is decoded again, item by item, to say which
	// project is wrong (badListPage).
	var out listAnswer
	op := operation{
		name: "ListProjects", idempotent: true,
		method: http.MethodGet, path: orgPath(org, "listProjects"), query: q,
		badShape: c.badListPage,
	}
	resp, err := c.call(ctx, op, &out)
	if err != nil {
		return nil, "", 0, err
	}
	if out.Projects == nil {
		return nil, "", 0, c.badAnswer(op.name, resp, "it has no projects list")
	}
	projects = make([]Project, 0, len(*out.Projects))
	for i, w := range *out.Projects {
		p, _ := w.project()
		if p.Identifier == "" {
			return nil, "", 0, c.badAnswer(op.name, resp, fmt.Sprintf("project %d of the page has no identifier", i))
		}
		projects = append(projects, p)
	}
	if n, err := strconv.Atoi(strings.Trim(string(bytes.TrimSpace(out.TotalCount)), `"`)); err == nil && n > 0 {
		total = n
	}
	return projects, out.NextToken, total, nil
}

// listAnswer is a ListProjects answer: the envelope and one page.
type listAnswer struct {
	envelope
	Projects   *[]wireProject  `json:"projects"`
	NextToken  string          `json:"nextToken"`
	TotalCount json.RawMessage `json:"totalCount"`
}

// badListPage is the error for a list page that does not decode: it names the project that
// does not have the documented types, or the page's shape.
func (c *Client) badListPage(operation string, resp *transport.Response, decodeErr error) error {
	var page struct {
		Projects []json.RawMessage `json:"projects"`
	}
	if json.Unmarshal(resp.Body, &page) == nil {
		for i, raw := range page.Projects {
			var w wireProject
			if json.Unmarshal(raw, &w) != nil {
				return c.badAnswer(operation, resp, fmt.Sprintf("project %d of the page does not have the documented types", i))
			}
		}
	}
	return c.badAnswer(operation, resp, fmt.Sprintf("the body does not have the shape of a %s answer (%v)", operation, decodeErr))
}

// Wrote tells the client that this process wrote project id by other means than its own
// create, update and delete calls (e.g. adopted it after a create without an answer), so that
// no list snapshot serves a read of it.
func (c *Client) Wrote(id string) { c.snapshots.Wrote(id) }

// newSnapshots serves GetProject from ListProjects' pages, one snapshot per organization. An
// item serves a read only when GetProject would return it as it is: complete
// (wireProject.project) and not deleted; any other is read by itself.
func (c *Client) newSnapshots(disabled bool) *listing.Snapshots[Project] {
	return listing.NewSnapshots(listing.SnapshotConfig[Project]{
		List: func(ctx context.Context, org, token string) (listing.ListPage[Project], error) {
			listed, next, total, err := c.listPage(ctx, org, token)
			if err != nil {
				return listing.ListPage[Project]{}, err
			}
			out := listing.ListPage[Project]{Next: next, Total: total}
			for _, p := range listed {
				if p.Complete() && !p.Deleted() {
					out.Items = append(out.Items, p)
				}
			}
			return out, nil
		},
		ID:       func(p Project) string { return p.Identifier },
		PageSize: ListPageSize,
		Disabled: disabled,
	})
}

// FindProjectByCustomCode returns the organization's live project with the custom code;
// IsNotFound(err) when there is none, a *DuplicateKeyError when the list shows several (never a
// pick). It lists directly, never from a snapshot (batch reads).
func (c *Client) FindProjectByCustomCode(ctx context.Context, org, code string) (*Project, error) {
	projects, err := c.ListProjects(ctx, org)
	if err != nil {
		return nil, err
	}
	var matches []*Project
	for i := range projects {
		if projects[i].CustomCode == code && !projects[i].Deleted() {
			matches = append(matches, &projects[i])
		}
	}
	if len(matches) == 1 {
		return matches[0], nil
	}
	if len(matches) > 1 {
		ids := make([]string, len(matches))
		for i, p := range matches {
			ids[i] = p.Identifier
		}
		return nil, &DuplicateKeyError{Service: ServiceName, Operation: "ListProjects", Key: "customCode", Value: code, IDs: ids}
	}
	return nil, fmt.Errorf("%s: no project of organization %s has custom code %s: %w", ServiceName, org, code, &NotFoundError{})
}

// Organization is an organization the credentials' user joined, as ListJoinedOrganizations
// returns it.
type Organization struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	IsOrgAdmin bool   `json:"isOrgAdmin"`
}

// ListJoinedOrganizations returns the organizations the credentials' user joined: the cheapest
// call that needs no organization id, so the provider validates credentials with it.
func (c *Client) ListJoinedOrganizations(ctx context.Context) ([]Organization, error) {
	var out struct {
		Organizations *[]Organization `json:"organizations"`
	}
	op := operation{name: "ListJoinedOrganizations", idempotent: true, method: http.MethodGet, path: "/users/joinedOrgs"}
	resp, err := c.call(ctx, op, &out)
	if err != nil {
		return nil, err
	}
	if out.Organizations == nil {
		return nil, c.foreign(resp, c.badAnswer(op.name, resp, "it has no organizations list, so "+WrongService))
	}
	return *out.Organizations, nil
}

// ValidateCredentials checks the credentials (and that the endpoint is the devops API) with the
// cheapest call, ListJoinedOrganizations.
func (c *Client) ValidateCredentials(ctx context.Context) error {
	_, err := c.ListJoinedOrganizations(ctx)
	return err
}
