package client

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/listing"
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

// wireProject is a project as DescribeProjectInfo and DescribeProjectList send it, the one
// answer type every call that decodes a project uses; pointers tell a missing key from an empty
// value.
type wireProject struct {
	ID          *string `json:"ProjectId"`
	Name        *string `json:"ProjectName"`
	Description *string `json:"ProjectDescription"`
	PolicyMode  *string `json:"PolicyMode"`
	ModifyTime  *string `json:"ModifyTime"`
}

// project converts the answer and says which attributes it lacks (their keys, sorted): the one
// completeness rule of the lists, the snapshots and the reads. A project is complete when it
// carries every attribute DescribeProjectInfo returns and the resources store: ProjectId,
// ProjectName and PolicyMode not empty, ProjectDescription and ModifyTime present (possibly
// empty). What is missing comes back as "".
func (w *wireProject) project() (Project, []string) {
	var p Project
	missing := transport.CopyAnswerFields(
		transport.AnswerField{Key: "ModifyTime", From: w.ModifyTime, To: &p.ModifyTime, MayBeEmpty: true},
		transport.AnswerField{Key: "PolicyMode", From: w.PolicyMode, To: &p.PolicyMode},
		transport.AnswerField{Key: "ProjectDescription", From: w.Description, To: &p.Description, MayBeEmpty: true},
		transport.AnswerField{Key: "ProjectId", From: w.ID, To: &p.ID},
		transport.AnswerField{Key: "ProjectName", From: w.Name, To: &p.Name},
	)
	return p, missing
}

// Matches says whether p has every attribute a create with in sets: TRRO names are not unique,
// so a project is the create's only if it has the same name, description and policy mode.
func (p Project) Matches(in CreateProjectInput) bool {
	return p.Name == in.Name && p.Description == in.Description && p.PolicyMode == in.PolicyMode
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
	return c.describeProjectInfo(ctx, id)
}

// describeProjectInfo reads the project with id from DescribeProjectInfo, never from a snapshot.
func (c *Client) describeProjectInfo(ctx context.Context, id string) (*Project, error) {
	var out wireProject
	op := operation{name: ActionDescribeProjectInfo, idempotent: true}
	resp, err := c.call(withProjectID(ctx, id), op, map[string]string{"ProjectId": id}, &out)
	if err != nil {
		return nil, err
	}
	// DescribeProjectInfo does not document ProjectId in its answer; when one comes, it must be
	// the project asked for, or the state would be pointed at another project.
	if out.ID != nil && *out.ID != id {
		return nil, c.http.BadAnswer(op.name, resp, fmt.Sprintf("it describes project %q, not %q", *out.ID, id))
	}
	out.ID = &id
	p, missing := out.project()
	// The read by id is the authority on what a project holds: only a project without its
	// name or policy mode is refused; a missing description or modification time is "".
	switch {
	case slices.Contains(missing, "ProjectName"):
		return nil, c.http.BadAnswer(op.name, resp, "it carries no project (no ProjectName)")
	case slices.Contains(missing, "PolicyMode"):
		return nil, c.http.BadAnswer(op.name, resp, "it carries no PolicyMode")
	}
	return &p, nil
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

// listQueuedAfter: a walk's first page that waited longer than this to go out was queued for
// the rate limit; the next walk asks for its pages one by one.
const listQueuedAfter = 10 * time.Millisecond

// listSlowAnswer: a walk whose first page took this long to be answered met an API slow to
// answer; the next walk asks for its pages at once (unless queued). Where answers come at once,
// a walk's time is the limiter's spacing of its pages, which asking at once does not shorten.
const listSlowAnswer = 20 * time.Millisecond

// listPageSize is the page size ListProjects asks for (DescribeProjectList's maximum).
const listPageSize = 100

// listWalks bounds how often ListProjects walks the pages from the first again after a walk
// that did not add up (the Total fell between pages, or the pages held fewer projects than it
// says): a list that changes under every walk is an error, never a partial answer.
const listWalks = 3

// IncompleteListError and IsIncompleteList: a listing that cannot prove what it lacks.
type IncompleteListError = listing.IncompleteListError

// IsIncompleteList reports whether err is an *IncompleteListError.
var IsIncompleteList = listing.IsIncompleteList

// ListProjects returns every project of the account, or an error: never a partial list. It
// walks DescribeProjectList's pages by the Total the API reports (a short page is not the end
// while the Total says more), reads every page's Total and walks again from the first page when
// it fell between pages (a project deleted between pages shifts the others onto pages already
// read) or the pages held fewer distinct projects than the last page's Total says (a project
// created between pages landed on a page already read); after listWalks walks that do not add
// up it returns an *IncompleteListError. A Total that grew is no reason to walk again: a
// project created between pages moves the others only towards later pages, never onto one
// already read, so a walk that then reads as many distinct projects as the last Total counts
// has read them all. (A busy apply's own creates grow the Total under most walks of a large
// account: walking again for each, 40 % of an apply's list requests were walks thrown away.) A listed project lacking an attribute (no
// ProjectDescription key, as opposed to "") is read by id, so that it is what it is, not "".
// It never uses a list snapshot (batch reads): lookups after a create must see the API.
func (c *Client) ListProjects(ctx context.Context) ([]Project, error) {
	problem := ""
	for walk := 1; walk <= listWalks; walk++ {
		listed, p, err := c.walkList(ctx)
		if err != nil {
			return nil, err
		}
		if p != "" {
			problem = p
			continue
		}
		return c.completeListed(ctx, listed)
	}
	return nil, &IncompleteListError{Service: "TRRO", Operation: ActionDescribeProjectList, Scope: "the account", Walks: listWalks, Problem: problem}
}

// walkList walks DescribeProjectList once; problem says why the walk does not add up.
//
// While the API is slow to answer and the list operation is not queued for the rate limit (as
// the last walk's first page found both), the pages the last walk's Total needs are asked for
// at once: a walk then takes one round trip instead of one per page, and a create waiting for
// it less. Where requests queue for the limit, or the API answers at once and a walk's time is
// its pages' spacing under the limit, pages asked at once would only take slots from the
// creates (measured: 8 × 50 creates against one limit fell from 96 to 88–93 % of it), so they
// are asked one by one, as are pages beyond those. Pages asked at once may be answered in any
// order; their Totals are still compared in page order, so one that grew between two of them
// read the other way round shows as a fall, and the walk is made again.
func (c *Client) walkList(ctx context.Context) (listed []listedProject, problem string, err error) {
	type pageAnswer struct {
		items []listedProject
		total int
		err   error
	}
	pages := 1
	if c.listSlow.Load() && !c.listQueued.Load() {
		pages = max(1, (int(c.lastListTotal.Load())+listPageSize-1)/listPageSize)
	}
	ahead := make([]pageAnswer, pages)
	asked := time.Now()
	firstCtx := transport.WithBeforeSend(ctx, func() { c.listQueued.Store(time.Since(asked) > listQueuedAfter) })
	firstCtx = transport.WithRoundTrip(firstCtx, func(d time.Duration) { c.listSlow.Store(d >= listSlowAnswer) })
	var wg sync.WaitGroup
	for i := range ahead {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := &ahead[i]
			pageCtx := ctx
			if i == 0 {
				pageCtx = firstCtx
			}
			a.items, a.total, a.err = c.listPage(pageCtx, i+1, listPageSize)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	total := -1
	defer func() {
		if total >= 0 {
			c.lastListTotal.Store(int64(total))
		}
	}()
	for page := 1; ; page++ {
		var a pageAnswer
		if page <= len(ahead) {
			a = ahead[page-1]
		} else {
			a.items, a.total, a.err = c.listPage(ctx, page, listPageSize)
		}
		if a.err != nil {
			return nil, "", a.err
		}
		if total >= 0 && a.total < total {
			return nil, fmt.Sprintf("the Total fell from %d to %d between pages %d and %d", total, a.total, page-1, page), nil
		}
		total = a.total
		for _, l := range a.items {
			if !seen[l.ID] {
				seen[l.ID] = true
				listed = append(listed, l)
			}
		}
		switch {
		case len(listed) == total:
			return listed, "", nil
		case len(listed) > total:
			return nil, fmt.Sprintf("the pages held %d distinct projects, the Total says %d", len(listed), total), nil
		case len(a.items) == 0:
			return nil, fmt.Sprintf("page %d was empty although the Total says %d and %d were read", page, total, len(listed)), nil
		case page > total/listPageSize+1:
			// The Total fits in fewer pages: the API's pages do not add up.
			return nil, fmt.Sprintf("%d pages held %d projects, the Total says %d", page, len(listed), total), nil
		}
	}
}

// completeListed returns the listed projects, reading by id those that lack an attribute.
// A project deleted between the list and its read is left out.
func (c *Client) completeListed(ctx context.Context, listed []listedProject) ([]Project, error) {
	out := make([]Project, 0, len(listed))
	for _, l := range listed {
		if len(l.missing) == 0 {
			out = append(out, l.Project)
			continue
		}
		p, err := c.describeProjectInfo(ctx, l.ID)
		if IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
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
// numbered from 1). Only complete items (wireProject.project) serve a read; any other is read
// directly, as DescribeProject would.
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
			projects, total, err := c.listPage(ctx, page, listPageSize)
			if err != nil {
				return listing.ListPage[Project]{}, err
			}
			out := listing.ListPage[Project]{Total: total}
			for _, l := range projects {
				if len(l.missing) == 0 && plausibleID.MatchString(l.ID) {
					out.Items = append(out.Items, l.Project)
				}
			}
			if page*listPageSize < total && len(projects) > 0 {
				out.Next = strconv.Itoa(page + 1)
			}
			return out, nil
		},
		ID:       func(p Project) string { return p.ID },
		PageSize: listPageSize,
		Disabled: disabled,
	})
}

// listedProject is a project of a DescribeProjectList page and what it lacks
// (wireProject.project): a missing key is not an empty value.
type listedProject struct {
	Project
	missing []string
}

func (c *Client) listPage(ctx context.Context, page, size int) ([]listedProject, int, error) {
	// The parameters travel in the body (every call is POST /): the logs show them as the query.
	ctx = transport.LogFields(ctx, map[string]any{"query": fmt.Sprintf("PageNumber=%d&PageSize=%d", page, size)})
	var out struct {
		Projects *[]wireProject `json:"Projects"`
		Total    *int           `json:"Total"`
	}
	op := operation{name: ActionDescribeProjectList, idempotent: true}
	resp, err := c.call(ctx, op, map[string]int{"PageSize": size, "PageNumber": page}, &out)
	if err != nil {
		return nil, 0, err
	}
	if out.Total == nil || *out.Total < 0 {
		return nil, 0, c.http.BadAnswer(op.name, resp, "it carries no Total")
	}
	if out.Projects == nil {
		if *out.Total != 0 {
			return nil, 0, c.http.BadAnswer(op.name, resp, "it carries no Projects list")
		}
		return nil, 0, nil
	}
	listed := make([]listedProject, 0, len(*out.Projects))
	for _, w := range *out.Projects {
		p, missing := w.project()
		if slices.Contains(missing, "ProjectId") || slices.Contains(missing, "ProjectName") {
			return nil, 0, c.http.BadAnswer(op.name, resp, "a project in its Projects list has no ProjectId or ProjectName")
		}
		listed = append(listed, listedProject{Project: p, missing: missing})
	}
	return listed, *out.Total, nil
}
