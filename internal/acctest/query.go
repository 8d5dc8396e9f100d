package acctest

import (
	"bufio"
	"encoding/json"
	"strings"
)

// QueryResult is one result of `terraform query -json` (Terraform 1.14+): a list_resource_found
// message.
type QueryResult struct {
	// Address is the list block's, e.g. list.trro_project.all.
	Address     string `json:"address"`
	DisplayName string `json:"display_name"`
	// Identity holds the identity's attributes as JSON values.
	Identity     map[string]json.RawMessage `json:"identity"`
	ResourceType string                     `json:"resource_type"`
	// ResourceObject is the full object, present only with include_resource = true.
	ResourceObject map[string]json.RawMessage `json:"resource_object"`
}

// IdentityString returns an identity attribute that is a string ("" when absent).
func (r QueryResult) IdentityString(name string) string {
	var s string
	_ = json.Unmarshal(r.Identity[name], &s)
	return s
}

// ObjectString returns a string attribute of the full object ("" when absent or null).
func (r QueryResult) ObjectString(name string) string {
	var s string
	_ = json.Unmarshal(r.ResourceObject[name], &s)
	return s
}

// Query runs `terraform query -json` with args and returns the results of each list block (by
// address) and the totals its list_complete messages announced; it fails the test when
// terraform fails or a total disagrees with the results.
func (w *Workdir) Query(args ...string) (map[string][]QueryResult, map[string]int) {
	w.t.Helper()
	out := w.MustRun(append([]string{"query", "-json", "-no-color"}, args...)...)
	results, totals := map[string][]QueryResult{}, map[string]int{}
	scanner := bufio.NewScanner(strings.NewReader(out))
	scanner.Buffer(make([]byte, 1<<20), 16<<20)
	for scanner.Scan() {
		var msg struct {
			Type     string       `json:"type"`
			Found    *QueryResult `json:"list_resource_found"`
			Complete *struct {
				Address string `json:"address"`
				Total   int    `json:"total"`
			} `json:"list_complete"`
		}
		if err := json.Unmarshal(scanner.Bytes(), &msg); err != nil {
			w.t.Fatalf("terraform query -json printed a line that is not JSON: %v\n%s", err, scanner.Text())
		}
		switch {
		case msg.Type == "list_resource_found" && msg.Found != nil:
			results[msg.Found.Address] = append(results[msg.Found.Address], *msg.Found)
		case msg.Type == "list_complete" && msg.Complete != nil:
			totals[msg.Complete.Address] = msg.Complete.Total
		}
	}
	if err := scanner.Err(); err != nil {
		w.t.Fatal(err)
	}
	for addr, total := range totals {
		if len(results[addr]) != total {
			w.t.Errorf("%s: list_complete says %d results, %d were printed", addr, total, len(results[addr]))
		}
	}
	return results, totals
}

// StateInstance is one resource instance as terraform.tfstate holds it.
type StateInstance struct {
	// Identity is nil when the state holds none (Terraform 1.11 and OpenTofu write none).
	Identity   map[string]any
	Attributes map[string]any
}

// StateInstances reads terraform.tfstate's managed resource instances by address (no module
// and no index: these tests' resources are single root-module instances).
func (w *Workdir) StateInstances() map[string]StateInstance {
	w.t.Helper()
	var s struct {
		Resources []struct {
			Mode, Type, Name string
			Instances        []struct {
				Identity   map[string]any `json:"identity"`
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	if err := json.Unmarshal([]byte(w.ReadFile("terraform.tfstate")), &s); err != nil {
		w.t.Fatal(err)
	}
	out := map[string]StateInstance{}
	for _, r := range s.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, inst := range r.Instances {
			out[r.Type+"."+r.Name] = StateInstance{Identity: inst.Identity, Attributes: inst.Attributes}
		}
	}
	return out
}
