package client

import "encoding/json"

// DecodeProject runs one project of an answer through the conversion every call uses, and
// returns it with the keys it lacks.
func DecodeProject(answer []byte) (Project, []string, error) {
	var w wireProject
	if err := json.Unmarshal(answer, &w); err != nil {
		return Project{}, nil, err
	}
	p, missing := w.project()
	return p, missing, nil
}
