package mock

import (
	"fmt"

	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// AddProject creates a project out of band, as the console would, under CreateProject's
// documented limits: a project the API would refuse is refused with the API's code and message.
// p.ID is kept when set and must not be taken; else one is drawn. cmd/fakecloud's seed files, its
// -state and its admin endpoint add projects this way.
func (s *Server) AddProject(p client.Project) (string, error) {
	if aerr := validate(p); aerr != nil {
		return "", fmt.Errorf("%s: %s", aerr.code, aerr.message)
	}
	if p.ID != "" {
		if _, taken := s.Project(p.ID); taken {
			return "", fmt.Errorf("a project with id %s exists", p.ID)
		}
	}
	return s.PutProject(p), nil
}
