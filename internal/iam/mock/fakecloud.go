package mock

import (
	"fmt"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
)

// AddProject creates a project of an existing domain out of band, as the console would, under
// the API's rules for a create (a name that starts with an existing region's id and "_", the
// name and description limits, a name unused in the domain): a project the API would refuse is
// refused with its message. The parent is the region's project (p.ParentID, if set, must be
// it); p.ID is kept when set and must not be taken; an empty Status is normal. cmd/fakecloud's
// seed files, its -state and its admin endpoint add projects this way.
func (s *Server) AddProject(p client.Project) (string, error) {
	region, aerr := s.validateName(p.Name)
	if aerr == nil {
		aerr = validateDescription(p.Description)
	}
	if aerr != nil {
		return "", fmt.Errorf("%s", aerr.message)
	}
	switch p.Status {
	case "", client.StatusNormal, client.StatusSuspended:
	default:
		return "", fmt.Errorf("status must be %s or %s, not %q", client.StatusNormal, client.StatusSuspended, p.Status)
	}
	s.mu.Lock()
	_, known := s.domains[p.DomainID]
	parent := s.byName(p.DomainID, region)
	duplicate := s.byName(p.DomainID, p.Name) != nil
	_, taken := s.projects[p.ID]
	s.mu.Unlock()
	switch {
	case !known:
		return "", fmt.Errorf("no domain %s", p.DomainID)
	case parent == nil:
		return "", fmt.Errorf("the domain has no project for region %s", region)
	case p.ParentID != "" && p.ParentID != parent.ID:
		return "", fmt.Errorf("parent_id %s is not the project of region %s (%s)", p.ParentID, region, parent.ID)
	case duplicate:
		return "", fmt.Errorf("duplicate entry found with name %s", p.Name)
	case taken && p.ID != "":
		return "", fmt.Errorf("a project with id %s exists", p.ID)
	}
	p.ParentID = parent.ID
	return s.PutProject(p), nil
}

// SetIDs gives the domain named name the id domainID, and each of its region projects the id
// regionID returns for the region, so that a fake cloud keeps its ids across restarts (its
// projects' domain_id and parent_id with them). Call it before serving, right after Seed.
func (s *Server) SetIDs(name, domainID string, regionID func(region string) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domainByName(name)
	if d == nil {
		panic("mock: unknown domain " + name)
	}
	old := d.id
	delete(s.domains, old)
	d.id = domainID
	s.domains[domainID] = d
	for _, u := range s.users {
		if u.domainID == old {
			u.domainID = domainID
		}
	}
	for _, k := range s.keys {
		if k.domainID == old {
			k.domainID = domainID
		}
	}
	for _, t := range s.tokens {
		if t.domainID == old {
			t.domainID = domainID
		}
	}
	renamed := map[string]string{}
	for i, id := range s.order {
		p := s.projects[id]
		if p.DomainID != old {
			continue
		}
		p.DomainID = domainID
		if p.ParentID == old {
			p.ParentID = domainID
			if contains(s.flavour.Regions(), p.Name) {
				delete(s.projects, id)
				p.ID = regionID(p.Name)
				s.projects[p.ID] = p
				s.order[i] = p.ID
				renamed[id] = p.ID
			}
		}
	}
	for _, p := range s.projects {
		if id, ok := renamed[p.ParentID]; ok {
			p.ParentID = id
		}
	}
}
