package mock

import (
	"fmt"

	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// AddProject creates a project of an existing organization out of band, as the console would,
// under createProject's rules (a name, scope public or private, a custom code of 4 to 6
// upper-case letters unused in the organization, the description's limit): a project the API
// would refuse is refused with its code and message. p.Identifier is kept when set and must not
// be taken; an empty Creator is the mock's user. cmd/fakecloud's seed files, its -state and its
// admin endpoint add projects this way.
func (s *Server) AddProject(org string, p client.Project) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[org]
	if !ok {
		return "", fmt.Errorf("no organization %s", org)
	}
	if _, taken := o.projects[p.Identifier]; taken && p.Identifier != "" {
		return "", fmt.Errorf("a project with identifier %s exists", p.Identifier)
	}
	if aerr := validate(o, p, ""); aerr != nil {
		return "", fmt.Errorf("%s: %s", aerr.code, aerr.message)
	}
	if p.Creator == "" {
		p.Creator = "1900000000000001"
	}
	return s.put(o, org, p), nil
}
