package yunxiao

import (
	"context"
	"sync"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// codeIndex answers the plan-time conflict check from one listing of an organization's
// projects per provider process, instead of one listing per planned create: planning N new
// projects in an organization of M costs one pass over M, not N of them. The listing is a
// snapshot taken while Terraform plans; projects this run creates itself are not conflicts, and
// one created elsewhere meanwhile is still reported by createProject at apply.
type codeIndex struct {
	mu   sync.Mutex
	orgs map[string]*orgCodes
}

type orgCodes struct {
	once  sync.Once
	codes map[string]client.Project
	err   error
}

// find returns the project of org with code, or nil.
func (x *codeIndex) find(ctx context.Context, c *client.Client, org, code string) (*client.Project, error) {
	x.mu.Lock()
	if x.orgs == nil {
		x.orgs = map[string]*orgCodes{}
	}
	entry, ok := x.orgs[org]
	if !ok {
		entry = &orgCodes{}
		x.orgs[org] = entry
	}
	x.mu.Unlock()

	entry.once.Do(func() {
		projects, err := c.ListProjects(ctx, org)
		if err != nil {
			entry.err = err
			return
		}
		entry.codes = make(map[string]client.Project, len(projects))
		for _, p := range projects {
			if !p.Deleted() {
				entry.codes[p.CustomCode] = p
			}
		}
	})
	if entry.err != nil {
		// Let a later plan-time check try again rather than keep a failure for the process.
		x.mu.Lock()
		if x.orgs[org] == entry {
			delete(x.orgs, org)
		}
		x.mu.Unlock()
		return nil, entry.err
	}
	if p, ok := entry.codes[code]; ok {
		return &p, nil
	}
	return nil, nil
}
