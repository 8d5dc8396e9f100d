// Package mock is a stateful TRRO API 3.0 server for tests and the local fake cloud. It behaves
// as Tencent Cloud documents: it verifies TC3-HMAC-SHA256 signatures and their timestamps,
// checks X-TC-Action and X-TC-Version, applies CreateProject's limits, answers with the
// Response envelope and the documented error codes, and allows 20 requests per second per
// action. Faults can be injected through the embedded mockserver.Base; list faults through
// LagLists (a list that lags behind the creates), DeleteBetweenPages and CreateBetweenPages (a
// project deleted or created between two page reads), ListNewestFirst (the order is not
// documented), TruncatePages (a short page with the true Total) and OmitListField (list items
// without an attribute).
package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro/client"
)

// MaxSkew is how far a request's X-TC-Timestamp may be from the server's clock.
const MaxSkew = 5 * time.Minute

// Server is the mock. Create it with New.
type Server struct {
	mockserver.Base

	mu       sync.Mutex
	keys     map[string]key
	projects map[string]*client.Project
	order    []string // creation order, for DescribeProjectList
	// lastUpdate is the body of the last successful ModifyProject.
	lastUpdate map[string]any
	// hideNewReads makes a new project answer ResourceNotFound to its first reads.
	hideNewReads int
	hidden       map[string]int
	// unlisted projects are left out of DescribeProjectList (HideFromList).
	unlisted map[string]bool
	// List faults (LagLists, DeleteBetweenPages, TruncatePages, OmitListField).
	lagAnswers    int
	lagKnown      map[string]bool
	deleteAfter   map[int]string
	createAfter   map[int]client.Project
	newestFirst   bool
	truncatePages int
	omitFields    map[string]bool
	// Now is the server's clock; tests move it to make signatures stale.
	Now func() time.Time
}

type key struct {
	secret string
	token  string
}

// New returns an empty mock with TRRO's documented rate limit.
func New() *Server {
	s := &Server{keys: map[string]key{}, projects: map[string]*client.Project{}, hidden: map[string]int{}, Now: time.Now}
	s.SetRateLimit(client.DocumentedRateLimit)
	return s
}

// AddKey lets secretID/secretKey call the API; a non-empty token makes it a temporary
// credential that must send X-TC-Token.
func (s *Server) AddKey(secretID, secretKey, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[secretID] = key{secret: secretKey, token: token}
}

// Projects returns a copy of every project, in creation order.
func (s *Server) Projects() []client.Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]client.Project, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.projects[id])
	}
	return out
}

// Project returns one project, for out-of-band checks.
func (s *Server) Project(id string) (client.Project, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects[id]
	if !ok {
		return client.Project{}, false
	}
	return *p, true
}

// PutProject creates or replaces a project out of band (as the console would) and returns its id.
func (s *Server) PutProject(p client.Project) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.put(p)
}

func (s *Server) put(p client.Project) string {
	if p.ID == "" {
		p.ID = mockserver.RandomString(16, "abcdefghijklmnopqrstuvwxyz0123456789")
	}
	if _, ok := s.projects[p.ID]; !ok {
		s.order = append(s.order, p.ID)
	}
	p.ModifyTime = s.Now().UTC().Format(time.DateTime)
	s.projects[p.ID] = &p
	return p.ID
}

// RemoveProject deletes a project out of band.
func (s *Server) RemoveProject(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(id)
}

func (s *Server) remove(id string) {
	delete(s.projects, id)
	for i, v := range s.order {
		if v == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

// apiError is a documented error code with its message.
type apiError struct {
	code, message string
}

func errorf(code, format string, args ...any) *apiError {
	return &apiError{code: code, message: fmt.Sprintf(format, args...)}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action := r.Header.Get("X-TC-Action")
	s.Serve(w, r, action, s, func(w http.ResponseWriter, r *http.Request) {
		result, err := s.handle(r, action)
		if err != nil {
			writeResponse(w, http.StatusOK, map[string]any{"Error": map[string]string{"Code": err.code, "Message": err.message}})
			return
		}
		writeResponse(w, http.StatusOK, result)
	})
}

// WriteThrottled answers as TRRO does when an action's rate limit is exceeded.
func (s *Server) WriteThrottled(w http.ResponseWriter, _ *http.Request) {
	writeResponse(w, http.StatusOK, map[string]any{"Error": map[string]string{
		"Code": "RequestLimitExceeded", "Message": "Your current request times exceeds the rate limit (20 requests per second per action).",
	}})
}

// WriteServerError answers with an InternalError envelope and status.
func (s *Server) WriteServerError(w http.ResponseWriter, _ *http.Request, status int) {
	writeResponse(w, status, map[string]any{"Error": map[string]string{"Code": "InternalError", "Message": "An internal error occurred."}})
}

func writeResponse(w http.ResponseWriter, status int, fields map[string]any) {
	fields["RequestId"] = mockserver.RequestID()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"Response": fields})
}

func (s *Server) handle(r *http.Request, action string) (map[string]any, *apiError) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return nil, errorf("InvalidParameter", "API 3.0 requests are POST /, not %s %s.", r.Method, r.URL.Path)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, errorf("InvalidParameter", "The request body could not be read.")
	}
	if aerr := s.authenticate(r, body); aerr != nil {
		return nil, aerr
	}
	if v := r.Header.Get("X-TC-Version"); v != client.Version {
		return nil, errorf("NoSuchVersion", "The API version `%s` does not exist for trro; use %s.", v, client.Version)
	}
	switch region := r.Header.Get("X-TC-Region"); {
	case region == "":
		return nil, errorf("MissingParameter", "The request is missing a required parameter `Region`.")
	case !client.KnownRegion(region):
		// API 3.0's common error for a region the product does not serve, so that a typo in a
		// test's region fails as it would against TRRO.
		return nil, errorf("UnsupportedRegion", "The API does not support the region `%s`.", region)
	}
	switch action {
	case "CreateProject":
		var in struct {
			ProjectName        *string
			ProjectDescription *string
			PolicyMode         *string
		}
		if aerr := decode(body, &in); aerr != nil {
			return nil, aerr
		}
		if in.ProjectName == nil {
			return nil, errorf("MissingParameter", "The request is missing a required parameter `ProjectName`.")
		}
		p := client.Project{Name: *in.ProjectName, PolicyMode: "black"}
		if in.ProjectDescription != nil {
			p.Description = *in.ProjectDescription
		}
		if in.PolicyMode != nil {
			p.PolicyMode = *in.PolicyMode
		}
		if aerr := validate(p); aerr != nil {
			return nil, aerr
		}
		id := s.PutProject(p)
		s.Created(p.Name)
		s.mu.Lock()
		if s.hideNewReads > 0 {
			s.hidden[id] = s.hideNewReads
		}
		s.mu.Unlock()
		return map[string]any{"ProjectId": id}, nil
	case "DescribeProjectInfo":
		var in struct{ ProjectId string }
		if aerr := decode(body, &in); aerr != nil {
			return nil, aerr
		}
		p, ok := s.Project(in.ProjectId)
		if !ok || s.stillHidden(in.ProjectId) {
			return nil, notFound(in.ProjectId)
		}
		return map[string]any{"ProjectName": p.Name, "ProjectDescription": p.Description, "PolicyMode": p.PolicyMode, "ModifyTime": p.ModifyTime}, nil
	case "ModifyProject":
		return s.modify(body)
	case "DeleteProject":
		var in struct{ ProjectId string }
		if aerr := decode(body, &in); aerr != nil {
			return nil, aerr
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.projects[in.ProjectId]; !ok {
			return nil, notFound(in.ProjectId)
		}
		s.remove(in.ProjectId)
		return map[string]any{}, nil
	case "DescribeProjectList":
		return s.list(body)
	default:
		return nil, errorf("InvalidAction", "The action `%s` does not exist.", action)
	}
}

func (s *Server) modify(body []byte) (map[string]any, *apiError) {
	var in struct {
		ProjectId          string
		ProjectName        *string
		ProjectDescription *string
		PolicyMode         *string
	}
	if aerr := decode(body, &in); aerr != nil {
		return nil, aerr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.projects[in.ProjectId]
	if !ok {
		return nil, notFound(in.ProjectId)
	}
	next := *cur
	if in.ProjectName != nil {
		next.Name = *in.ProjectName
	}
	if in.ProjectDescription != nil {
		next.Description = *in.ProjectDescription
	}
	if in.PolicyMode != nil {
		next.PolicyMode = *in.PolicyMode
	}
	if aerr := validate(next); aerr != nil {
		return nil, aerr
	}
	next.ModifyTime = s.Now().UTC().Format(time.DateTime)
	*cur = next
	s.lastUpdate = map[string]any{}
	_ = json.Unmarshal(body, &s.lastUpdate)
	return map[string]any{}, nil
}

func (s *Server) list(body []byte) (map[string]any, *apiError) {
	in := struct{ PageSize, PageNumber int }{PageSize: 10, PageNumber: 1}
	if aerr := decode(body, &in); aerr != nil {
		return nil, aerr
	}
	if in.PageSize < 1 || in.PageSize > 100 || in.PageNumber < 1 {
		return nil, errorf("InvalidParameterValue", "PageSize must be 1-100 and PageNumber at least 1.")
	}
	all := s.Projects()
	s.mu.Lock()
	defer s.mu.Unlock()
	lagging := s.lagAnswers > 0
	if lagging {
		s.lagAnswers--
	}
	listed := all[:0]
	for _, p := range all {
		if !s.unlisted[p.ID] && (!lagging || s.lagKnown[p.ID]) {
			listed = append(listed, p)
		}
	}
	all = listed
	if s.newestFirst {
		slices.Reverse(all)
	}
	start := min((in.PageNumber-1)*in.PageSize, len(all))
	end := min(start+in.PageSize, len(all))
	page := all[start:end]
	if s.truncatePages > 0 && len(page) > 0 {
		s.truncatePages--
		page = page[:len(page)-1]
	}
	items := make([]map[string]any, 0, len(page))
	for _, p := range page {
		item := map[string]any{"ProjectId": p.ID, "ProjectName": p.Name, "ProjectDescription": p.Description,
			"PolicyMode": p.PolicyMode, "ModifyTime": p.ModifyTime}
		for f := range s.omitFields {
			delete(item, f)
		}
		items = append(items, item)
	}
	if id, ok := s.deleteAfter[in.PageNumber]; ok {
		delete(s.deleteAfter, in.PageNumber)
		s.remove(id)
	}
	if p, ok := s.createAfter[in.PageNumber]; ok {
		delete(s.createAfter, in.PageNumber)
		s.put(p)
	}
	return map[string]any{"Projects": items, "Total": len(all), "Num": len(items)}, nil
}

// LagLists makes the next n DescribeProjectList answers omit the projects created after this
// call, as a list that lags behind the creates would (each answer is consistent in itself:
// its Total counts what it lists).
func (s *Server) LagLists(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lagAnswers = n
	s.lagKnown = map[string]bool{}
	for id := range s.projects {
		s.lagKnown[id] = true
	}
}

// DeleteBetweenPages deletes project id right after the next answer for page afterPage, as
// another client deleting it between two page reads would: the projects after it shift one
// place towards the first page.
func (s *Server) DeleteBetweenPages(afterPage int, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.deleteAfter == nil {
		s.deleteAfter = map[int]string{}
	}
	s.deleteAfter[afterPage] = id
}

// CreateBetweenPages creates p (as PutProject) right after the next answer for page
// afterPage, as another client creating one between two page reads would: where the list
// shows the newest last (the default), it lands on a later page; with ListNewestFirst, it
// shifts every project one place towards the last page.
func (s *Server) CreateBetweenPages(afterPage int, p client.Project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.createAfter == nil {
		s.createAfter = map[int]client.Project{}
	}
	s.createAfter[afterPage] = p
}

// ListNewestFirst makes DescribeProjectList show the newest project first (the documentation
// does not say which order the API lists in; by default the mock lists in creation order).
func (s *Server) ListNewestFirst(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.newestFirst = on
}

// TruncatePages makes the next n non-empty DescribeProjectList pages leave out their last
// project while the Total still counts it, as an API that cuts a page short would.
func (s *Server) TruncatePages(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.truncatePages = n
}

// OmitListField leaves the attribute (e.g. "ProjectDescription") out of every
// DescribeProjectList item from now on; DescribeProjectInfo still returns it.
func (s *Server) OmitListField(field string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.omitFields == nil {
		s.omitFields = map[string]bool{}
	}
	s.omitFields[field] = true
}

func notFound(id string) *apiError {
	return errorf("ResourceNotFound", "The project `%s` does not exist.", id)
}

// validate applies CreateProject's documented limits.
func validate(p client.Project) *apiError {
	if n := utf8.RuneCountInString(p.Name); n < 1 || n > 24 {
		return errorf("InvalidParameterValue", "ProjectName must be 1 to 24 characters, got %d.", n)
	}
	if n := utf8.RuneCountInString(p.Description); n > 120 {
		return errorf("InvalidParameterValue", "ProjectDescription must be at most 120 characters, got %d.", n)
	}
	if p.PolicyMode != "black" && p.PolicyMode != "white" {
		return errorf("InvalidParameterValue", "PolicyMode must be black or white, got `%s`.", p.PolicyMode)
	}
	return nil
}

// decode reads the JSON body strictly: like API 3.0, an unknown parameter is an error.
func decode(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errorf("UnknownParameter", "The request body is not valid for this action: %v.", err)
	}
	return nil
}

// authenticate verifies the TC3-HMAC-SHA256 signature, its timestamp and the session token.
func (s *Server) authenticate(r *http.Request, body []byte) *apiError {
	auth, err := client.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return errorf("AuthFailure.InvalidAuthorization", "The Authorization header is invalid: %v.", err)
	}
	ts, err := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
	if err != nil {
		return errorf("MissingParameter", "The request is missing a valid X-TC-Timestamp header.")
	}
	if skew := s.Now().Sub(time.Unix(ts, 0)); skew > MaxSkew || skew < -MaxSkew {
		return errorf("AuthFailure.SignatureExpire", "The request timestamp %d is more than 5 minutes from the server time %d.", ts, s.Now().Unix())
	}
	s.mu.Lock()
	k, ok := s.keys[auth.SecretID]
	s.mu.Unlock()
	if !ok {
		return errorf("AuthFailure.SecretIdNotFound", "The SecretId `%s` is not found.", auth.SecretID)
	}
	headers := map[string]string{"host": r.Host}
	for name, values := range r.Header {
		headers[name] = values[0]
	}
	in := client.SigningInput{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Headers: headers, SignedHeaders: auth.SignedHeaders, Payload: body,
		Service: client.Service, Timestamp: ts,
	}
	if !signs(auth.SignedHeaders, "content-type") || !signs(auth.SignedHeaders, "host") ||
		auth.Service != client.Service || auth.Date != in.Date() || in.Signature(k.secret) != auth.Signature {
		return errorf("AuthFailure.SignatureFailure", "The provided credentials could not be validated. Please check your signature is correct.")
	}
	if k.token != "" && r.Header.Get("X-TC-Token") != k.token {
		return errorf("AuthFailure.TokenFailure", "The temporary credential's token is missing or invalid.")
	}
	return nil
}

func signs(names []string, name string) bool {
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// LastUpdate returns the parameters of the last ModifyProject that changed a project, so tests
// can see that only changed fields were sent.
func (s *Server) LastUpdate() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastUpdate
}

// HideNewProjects makes every project created from now on answer ResourceNotFound to its first
// reads DescribeProjectInfo calls, as an eventually consistent API would.
func (s *Server) HideNewProjects(reads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hideNewReads = reads
}

// HideFromList leaves project id out of DescribeProjectList (reads by id still find it), as a
// list that lags behind the reads would.
func (s *Server) HideFromList(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unlisted == nil {
		s.unlisted = map[string]bool{}
	}
	s.unlisted[id] = true
}

func (s *Server) stillHidden(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hidden[id] == 0 {
		return false
	}
	s.hidden[id]--
	return true
}
