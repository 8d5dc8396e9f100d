package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// maxAdminBody bounds what the admin endpoint reads from one request.
const maxAdminBody = 16 << 20

// admin serves the fake cloud's admin endpoint, on its own loopback port and without signing
// (FAKECLOUD_ADMIN_URL), for tests and CI that seed or inspect projects:
//
//	GET    /projects             every API's projects, as a seed file (and -state) holds them
//	POST   /projects             adds the projects of a seed file
//	GET    /projects/<api>       one API's projects (api: trro, huawei, otc, yunxiao)
//	POST   /projects/<api>       adds one project; answers it, id included (201)
//	DELETE /projects/<api>/<id>  removes one project (204; 404 if there is none)
//
// Adds apply each API's own rules for a create; errors are {"error": "..."} with status 400
// (a refused project), 404 (no such API or project) or 405.
type admin struct {
	fleet *fleet
	// changed runs after every successful change (the state file's save).
	changed func()
}

func (a *admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// fakecloud listens on loopback only; this holds even behind a port forwarded by mistake.
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
		adminError(w, http.StatusForbidden, "the admin endpoint answers loopback clients only")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if parts[0] != "projects" || len(parts) > 3 {
		adminError(w, http.StatusNotFound, "no such path; try GET /projects")
		return
	}
	var store projectStore
	if len(parts) > 1 {
		if store = a.fleet.stores[parts[1]]; store == nil {
			adminError(w, http.StatusNotFound, fmt.Sprintf("no API %q; the APIs are %s", parts[1], strings.Join(a.fleet.names, ", ")))
			return
		}
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(a.fleet.snapshot())
	case len(parts) == 1 && r.Method == http.MethodPost:
		body, ok := readBody(w, r)
		if !ok {
			return
		}
		n, err := a.fleet.load(body, "the request")
		if n > 0 {
			a.changed()
		}
		if err != nil {
			adminError(w, http.StatusBadRequest, fmt.Sprintf("%v (%d projects added before it)", err, n))
			return
		}
		writeAdmin(w, http.StatusOK, map[string]int{"added": n})
	case len(parts) == 2 && r.Method == http.MethodGet:
		list := store.list()
		if list == nil {
			list = []any{}
		}
		writeAdmin(w, http.StatusOK, list)
	case len(parts) == 2 && r.Method == http.MethodPost:
		body, ok := readBody(w, r)
		if !ok {
			return
		}
		a.fleet.mu.Lock()
		p, err := store.add(body)
		a.fleet.mu.Unlock()
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		a.changed()
		writeAdmin(w, http.StatusCreated, p)
	case len(parts) == 3 && r.Method == http.MethodDelete:
		a.fleet.mu.Lock()
		removed := store.remove(parts[2])
		a.fleet.mu.Unlock()
		if !removed {
			adminError(w, http.StatusNotFound, fmt.Sprintf("%s has no project %q", parts[1], parts[2]))
			return
		}
		a.changed()
		w.WriteHeader(http.StatusNoContent)
	default:
		adminError(w, http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path+" is not an admin operation")
	}
}

func readBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxAdminBody))
	if err != nil {
		adminError(w, http.StatusBadRequest, "reading the request: "+err.Error())
		return nil, false
	}
	return body, true
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func adminError(w http.ResponseWriter, status int, msg string) {
	writeAdmin(w, status, map[string]string{"error": msg})
}

// seedRunning is `fakecloud seed [-admin-url URL] FILE...`: it adds the projects of each seed
// file to a running fake cloud through its admin endpoint (FAKECLOUD_ADMIN_URL by default).
func seedRunning(args []string, stdout io.Writer) error {
	fs := newFlagSet("fakecloud seed")
	adminURL := fs.String("admin-url", os.Getenv("FAKECLOUD_ADMIN_URL"), "the running fake cloud's admin endpoint; FAKECLOUD_ADMIN_URL sets the default")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *adminURL == "" {
		return errors.New("fakecloud seed: no admin endpoint: set FAKECLOUD_ADMIN_URL (source the fake cloud's environment file) or pass -admin-url")
	}
	if fs.NArg() == 0 {
		return errors.New("usage: fakecloud seed [-admin-url URL] FILE [FILE]")
	}
	hc := &http.Client{Timeout: time.Minute}
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path) //nolint:gosec // G304: the file the user names
		if err != nil {
			return err
		}
		resp, err := hc.Post(strings.TrimSuffix(*adminURL, "/")+"/projects", "application/json", bytes.NewReader(b)) //nolint:gosec // G704: the fake cloud's admin endpoint the user names
		if err != nil {
			return fmt.Errorf("fakecloud seed %s: %w", path, err)
		}
		answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAdminBody))
		_ = resp.Body.Close()
		if err != nil {
			return fmt.Errorf("fakecloud seed %s: %w", path, err)
		}
		var out struct {
			Added int    `json:"added"`
			Error string `json:"error"`
		}
		if err := json.Unmarshal(answer, &out); err != nil || resp.StatusCode != http.StatusOK {
			if out.Error == "" {
				out.Error = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, bytes.TrimSpace(answer))
			}
			return fmt.Errorf("fakecloud seed %s: %s", path, out.Error)
		}
		fmt.Fprintf(stdout, "%s: %d projects added\n", path, out.Added)
	}
	return nil
}
