package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// projectStore is one API's projects as seed files, -state and the admin endpoint see them: as
// records named like the resource's attributes, without signing or the API's envelopes. add
// applies the API's own rules for a create (through the mock's AddProject).
type projectStore interface {
	// list returns the API's projects, in creation order.
	list() []any
	// add decodes one record (unknown fields are an error), adds the project and returns its
	// record as stored, id included.
	add(record json.RawMessage) (any, error)
	// remove deletes the project with the id; false if there is none.
	remove(id string) bool
}

// plausibleID is what a seeded id may be: what every API's ids are made of, and safe in a path.
var plausibleID = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// checkID refuses an id no API would hand out (an empty id is drawn by the mock).
func checkID(id string) error {
	if id != "" && !plausibleID.MatchString(id) {
		return fmt.Errorf("id %q is not 1 to 64 letters, digits, - or _", id)
	}
	return nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and trailing data, so that
// a misspelt attribute in a seed file is an error rather than a silent default.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// projectFile is a seed file, a -state file and what GET /projects answers: each API's projects
// under its name (trro, huawei, otc, yunxiao).
type projectFile map[string][]json.RawMessage

// fleet is every API's project store, by API name, in the order the APIs are served.
type fleet struct {
	names  []string
	stores map[string]projectStore
	// mu serializes loads, admin changes and state writes.
	mu sync.Mutex
}

func newFleet(apis []*api) *fleet {
	f := &fleet{stores: map[string]projectStore{}}
	for _, a := range apis {
		f.names = append(f.names, a.name)
		f.stores[a.name] = a.projects
	}
	return f
}

// snapshot returns every API's projects as a projectFile's JSON, indented, APIs in name order.
func (f *fleet) snapshot() []byte {
	all := map[string][]any{}
	for _, name := range f.names {
		all[name] = f.stores[name].list()
		if all[name] == nil {
			all[name] = []any{}
		}
	}
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		panic(err) // the records are plain structs
	}
	return append(b, '\n')
}

// load adds every project of a projectFile's JSON. It checks the whole file first (known API
// names, well-formed records), then adds in file order and stops at the first project an API
// refuses, naming it; what was added before stays.
func (f *fleet) load(b []byte, source string) (int, error) {
	var file projectFile
	if err := decodeStrict(b, &file); err != nil {
		return 0, fmt.Errorf("%s: not a project file (an object of API names, each with a list of projects): %w", source, err)
	}
	var apis []string
	for name := range file {
		if _, ok := f.stores[name]; !ok {
			return 0, fmt.Errorf("%s: no API %q; the APIs are %s", source, name, strings.Join(f.names, ", "))
		}
		apis = append(apis, name)
	}
	sort.Slice(apis, func(i, j int) bool { return f.index(apis[i]) < f.index(apis[j]) })
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, name := range apis {
		for i, record := range file[name] {
			if _, err := f.stores[name].add(record); err != nil {
				return n, fmt.Errorf("%s: %s project %d: %w", source, name, i+1, err)
			}
			n++
		}
	}
	return n, nil
}

func (f *fleet) index(name string) int {
	for i, n := range f.names {
		if n == name {
			return i
		}
	}
	return len(f.names)
}

// loadFile loads a seed or state file.
func (f *fleet) loadFile(path string) (int, error) {
	b, err := os.ReadFile(filepath.Clean(path))
	if err != nil {
		return 0, err
	}
	return f.load(b, path)
}

// stateFile keeps every API's projects in a file, written whenever they changed: after every
// API request and admin change, and when the fake cloud stops. A write goes to a temporary file
// renamed over the state, so a fake cloud killed mid-write leaves the previous state whole.
type stateFile struct {
	fleet *fleet
	path  string

	mu   sync.Mutex
	last []byte
}

// save writes the state if it changed since the last write.
func (s *stateFile) save() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.fleet.snapshot()
	if bytes.Equal(b, s.last) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), "."+filepath.Base(s.path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b)
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("writing the state to %s: %w", s.path, err)
	}
	s.last = b
	return nil
}
