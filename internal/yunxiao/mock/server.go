// Package mock is a stateful Yunxiao devops API (2021-06-25) server for tests and the local fake
// cloud. It behaves as Alibaba Cloud documents: its gateway verifies ACS3-HMAC-SHA256 signatures
// (content hash, date, nonce, security token) and answers in the POP envelope
// {RequestId, Code, Message}; Yunxiao itself keeps projects per organization, enforces
// createProject's rules (customCode: 4-6 upper-case letters, unique in the organization) and
// answers {requestId, success: false, errorCode, errorMessage} with HTTP 400 (Openapi.RequestError),
// 403 (Operate.NoPermission, for an organization the AccessKey may not use) or 404. Faults and a
// rate limit (Throttling.User) can be injected through the embedded mockserver.Base; list faults
// through LagLists (a list that lags behind the creates) and TruncatePages (a short page with the
// true totalCount).
package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/client"
)

// MaxSkew is how far a request's x-acs-date may be from the server's clock, and how long a
// nonce is remembered.
const MaxSkew = 15 * time.Minute

// CustomCodePattern is createProject's documented rule for customCode.
var CustomCodePattern = regexp.MustCompile(`^[A-Z]{4,6}$`)

// Server is the mock. Create it with New.
type Server struct {
	mockserver.Base

	mu     sync.Mutex
	keys   map[string]key
	orgs   map[string]*organization
	nonces map[string]time.Time
	// lastUpdate is the field list of the last successful UpdateProjectField.
	lastUpdate []client.FieldUpdate
	// Now is the server's clock; tests move it to make signatures stale.
	Now func() time.Time
	// hideNewReads makes a new project answer not found to its first GetProjectInfo calls.
	hideNewReads int
	hidden       map[string]int
	// unlisted projects are left out of ListProjects (HideFromList).
	unlisted map[string]bool
	// List faults (LagLists, TruncatePages, CreateBetweenPages).
	lagAnswers    int
	lagKnown      map[string]bool
	truncatePages int
	createAfter   []client.Project
}

type key struct {
	secret string
	token  string
	orgs   map[string]bool
}

type organization struct {
	templates map[string]client.Template
	projects  map[string]*client.Project
	order     []string
}

// New returns an empty mock: no keys, no organizations, no rate limit.
func New() *Server {
	return &Server{keys: map[string]key{}, orgs: map[string]*organization{}, nonces: map[string]time.Time{}, Now: time.Now, hidden: map[string]int{}}
}

// AddOrganization creates an organization whose projects may use the given template identifiers
// (custom templates named after their identifiers; AddTemplate gives one a name).
func (s *Server) AddOrganization(org string, templates ...string) {
	for _, t := range templates {
		s.AddTemplate(org, client.Template{Identifier: t, Name: t, Type: 4})
	}
	if len(templates) == 0 {
		s.mu.Lock()
		s.org(org)
		s.mu.Unlock()
	}
}

// AddTemplate adds (or replaces) a project template of the organization, creating the
// organization if needed.
func (s *Server) AddTemplate(org string, t client.Template) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t.ResourceCategory = "Project"
	if t.Creator == "" {
		t.Creator = "1900000000000001"
	}
	if t.GmtCreate == 0 {
		t.GmtCreate = client.Millis(s.Now().UnixMilli())
		t.GmtModified = t.GmtCreate
	}
	s.org(org).templates[t.Identifier] = t
}

func (s *Server) org(org string) *organization {
	o, ok := s.orgs[org]
	if !ok {
		o = &organization{templates: map[string]client.Template{}, projects: map[string]*client.Project{}}
		s.orgs[org] = o
	}
	return o
}

// stillHidden counts a call by id to a project created under HideNewProjects; true while the
// project is to answer "not found". The caller holds s.mu.
func (s *Server) stillHidden(id string) bool {
	if s.hidden[id] > 0 {
		s.hidden[id]--
		return true
	}
	return false
}

// HideNewProjects makes every project created from now on answer "not found" to its first reads
// calls by id (GetProjectInfo, UpdateProjectField, DeleteProject), as an eventually consistent
// API would.
func (s *Server) HideNewProjects(reads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hideNewReads = reads
}

// HideFromList leaves project id out of ListProjects (GetProjectInfo still finds it), as a list
// that lags behind the reads would.
func (s *Server) HideFromList(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unlisted == nil {
		s.unlisted = map[string]bool{}
	}
	s.unlisted[id] = true
}

// AddKey lets accessKeyID/secret call the API in the given organizations; a non-empty token
// makes it an STS credential that must send (and sign) x-acs-security-token.
func (s *Server) AddKey(accessKeyID, secret, token string, orgs ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := key{secret: secret, token: token, orgs: map[string]bool{}}
	for _, o := range orgs {
		k.orgs[o] = true
	}
	s.keys[accessKeyID] = k
}

// Projects returns a copy of the organization's projects, in creation order.
func (s *Server) Projects(org string) []client.Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[org]
	if !ok {
		return nil
	}
	out := make([]client.Project, 0, len(o.order))
	for _, id := range o.order {
		out = append(out, *o.projects[id])
	}
	return out
}

// Project returns one project, for out-of-band checks.
func (s *Server) Project(org, id string) (client.Project, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orgs[org]
	if !ok {
		return client.Project{}, false
	}
	p, ok := o.projects[id]
	if !ok {
		return client.Project{}, false
	}
	return *p, true
}

// LastUpdate returns the fields of the last UpdateProjectField that changed a project, in the
// order sent, so tests can see that only changed fields were sent.
func (s *Server) LastUpdate() []client.FieldUpdate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]client.FieldUpdate(nil), s.lastUpdate...)
}

// ResetLastUpdate forgets the last UpdateProjectField.
func (s *Server) ResetLastUpdate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUpdate = nil
}

// PutProject creates or replaces a project out of band (as the console would) and returns its
// identifier. The organization must exist.
func (s *Server) PutProject(org string, p client.Project) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.put(s.orgs[org], org, p)
}

func (s *Server) put(o *organization, org string, p client.Project) string {
	now := client.Millis(s.Now().UnixMilli())
	if p.Identifier == "" {
		p.Identifier = mockserver.RandomString(24, "0123456789abcdef")
	}
	if _, ok := o.projects[p.Identifier]; !ok {
		o.order = append(o.order, p.Identifier)
		if p.GmtCreate == 0 {
			p.GmtCreate = now
		}
	}
	if p.LogicalStatus == "" {
		p.LogicalStatus = "NORMAL"
	}
	if p.Scope == "" {
		p.Scope = "private"
	}
	p.OrganizationIdentifier = org
	p.CategoryIdentifier = "Project"
	p.TypeIdentifier = "CustomProject"
	p.GmtModified = now
	o.projects[p.Identifier] = &p
	return p.Identifier
}

// RemoveProject deletes a project out of band.
func (s *Server) RemoveProject(org, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orgs[org]; ok {
		o.remove(id)
	}
}

func (o *organization) remove(id string) {
	delete(o.projects, id)
	for i, v := range o.order {
		if v == id {
			o.order = append(o.order[:i], o.order[i+1:]...)
			break
		}
	}
}

// popError is an error of the API gateway, in the POP envelope.
type popError struct {
	status        int
	code, message string
}

// apiError is an error of Yunxiao itself.
type apiError struct {
	status        int
	code, message string
}

func requestError(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "Openapi.RequestError", message: fmt.Sprintf(format, args...)}
}

func notFound(id string) *apiError {
	return &apiError{status: http.StatusNotFound, code: "Openapi.RequestError", message: fmt.Sprintf("project %s does not exist (项目不存在)", id)}
}

// route is one operation: its x-acs-action, method and path pattern.
type route struct {
	action string
	method string
	re     *regexp.Regexp
}

var routes = []route{
	{"CreateProject", http.MethodPost, regexp.MustCompile(`^/organization/([^/]+)/projects/createProject$`)},
	{"GetProjectInfo", http.MethodGet, regexp.MustCompile(`^/organization/([^/]+)/project/([^/]+)$`)},
	{"UpdateProjectField", http.MethodPost, regexp.MustCompile(`^/organization/([^/]+)/project/([^/]+)$`)},
	{"DeleteProject", http.MethodDelete, regexp.MustCompile(`^/organization/([^/]+)/projects/delete$`)},
	{"ListProjects", http.MethodGet, regexp.MustCompile(`^/organization/([^/]+)/listProjects$`)},
	{"ListProjectTemplates", http.MethodGet, regexp.MustCompile(`^/organization/([^/]+)/projects/listTemplates$`)},
	{"ListJoinedOrganizations", http.MethodGet, regexp.MustCompile(`^/users/joinedOrgs$`)},
}

// match finds the route for the request; the operation name is "" when none matches.
func match(r *http.Request) (action string, params []string) {
	for _, rt := range routes {
		if rt.method != r.Method {
			continue
		}
		// Matched on the path as sent, so that a path parameter holding an encoded "/" (%2F) stays
		// one parameter, as the SDK encodes it.
		if m := rt.re.FindStringSubmatch(r.URL.EscapedPath()); m != nil {
			params := m[1:]
			for i, p := range params {
				v, err := url.PathUnescape(p)
				if err != nil {
					return "", nil
				}
				params[i] = v
			}
			return rt.action, params
		}
	}
	return "", nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, params := match(r)
	op := action
	if op == "" {
		op = r.Header.Get("x-acs-action")
	}
	s.Serve(w, r, op, s, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			writePOP(w, &popError{http.StatusBadRequest, "InvalidParameter", "The request body could not be read."})
			return
		}
		if perr := s.authenticate(r, body); perr != nil {
			writePOP(w, perr)
			return
		}
		if action == "" {
			writePOP(w, &popError{http.StatusNotFound, "InvalidAction.NotFound", fmt.Sprintf("Specified api is not found, please check your url and method: %s %s.", r.Method, r.URL.Path)})
			return
		}
		if got := r.Header.Get("x-acs-action"); got != action {
			writePOP(w, &popError{http.StatusBadRequest, "InvalidAction.Mismatch", fmt.Sprintf("The x-acs-action header %q does not match the API %s.", got, action)})
			return
		}
		if v := r.Header.Get("x-acs-version"); v != client.Version {
			writePOP(w, &popError{http.StatusBadRequest, "InvalidVersion", fmt.Sprintf("Specified parameter Version %q is not valid; use %s.", v, client.Version)})
			return
		}
		result, aerr := s.handle(r, action, params, body)
		if aerr != nil {
			// errorCode is what the API pages document; code is what the official SDK reads
			// (darabonba-openapi's DoRequest takes Code or code, Message or message), so a 404
			// after a delete reads as such there too.
			fields := map[string]any{"success": false, "errorCode": aerr.code, "code": aerr.code, "message": aerr.message}
			// The createProject page names the message errorMsg; the other pages errorMessage.
			if action == "CreateProject" {
				fields["errorMsg"] = aerr.message
			} else {
				fields["errorMessage"] = aerr.message
			}
			writeYunxiao(w, aerr.status, fields)
			return
		}
		result["success"] = true
		writeYunxiao(w, http.StatusOK, result)
	})
}

// WriteThrottled answers as Alibaba Cloud's gateway does when a flow control limit is exceeded.
func (s *Server) WriteThrottled(w http.ResponseWriter, _ *http.Request) {
	writePOP(w, &popError{http.StatusBadRequest, "Throttling.User", "Request was denied due to user flow control."})
}

// WriteServerError answers with the gateway's InternalError (or ServiceUnavailable for 503).
func (s *Server) WriteServerError(w http.ResponseWriter, _ *http.Request, status int) {
	if status == http.StatusServiceUnavailable {
		writePOP(w, &popError{status, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."})
		return
	}
	writePOP(w, &popError{status, "InternalError", "The request processing has failed due to some unknown error, exception or failure."})
}

func writePOP(w http.ResponseWriter, e *popError) {
	writeJSON(w, e.status, map[string]any{
		"RequestId": strings.ToUpper(mockserver.RequestID()), "Code": e.code, "Message": e.message,
		"HostId": "devops.cn-hangzhou.aliyuncs.com",
	})
}

func writeYunxiao(w http.ResponseWriter, status int, fields map[string]any) {
	fields["requestId"] = strings.ToUpper(mockserver.RequestID())
	writeJSON(w, status, fields)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// authenticate is the gateway: signature, content hash, date, nonce, key and token.
func (s *Server) authenticate(r *http.Request, body []byte) *popError {
	auth, err := client.ParseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return &popError{http.StatusBadRequest, "IncompleteSignature", fmt.Sprintf("The request signature does not conform to Aliyun standards: %v.", err)}
	}
	for _, h := range []string{"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if !contains(auth.SignedHeaders, h) {
			return &popError{http.StatusBadRequest, "IncompleteSignature", fmt.Sprintf("The request signature does not conform to Aliyun standards: header %s is not signed.", h)}
		}
	}
	for name := range r.Header {
		if n := strings.ToLower(name); strings.HasPrefix(n, "x-acs-") && !contains(auth.SignedHeaders, n) {
			return &popError{http.StatusBadRequest, "IncompleteSignature", fmt.Sprintf("The request signature does not conform to Aliyun standards: header %s is not signed.", n)}
		}
	}
	if r.Header.Get("x-acs-content-sha256") != client.HashPayload(body) {
		return &popError{http.StatusBadRequest, "IncompleteSignature", "The x-acs-content-sha256 header does not match the request body."}
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", r.Header.Get("x-acs-date"))
	if err != nil {
		return &popError{http.StatusBadRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."}
	}
	now := s.Now()
	if skew := now.Sub(date); skew > MaxSkew || skew < -MaxSkew {
		return &popError{http.StatusBadRequest, "InvalidTimeStamp.Expired", fmt.Sprintf("Specified time stamp or date value is expired: %s, the server time is %s.", date.Format(time.RFC3339), now.UTC().Format(time.RFC3339))}
	}
	s.mu.Lock()
	k, ok := s.keys[auth.AccessKeyID]
	s.mu.Unlock()
	if !ok {
		return &popError{http.StatusNotFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	}
	headers := map[string]string{"host": r.Host}
	for name, values := range r.Header {
		headers[name] = strings.Join(values, ",")
	}
	in := client.SigningInput{
		Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(),
		Headers: headers, SignedHeaders: auth.SignedHeaders, Payload: body,
	}
	if in.Signature(k.secret) != auth.Signature {
		return &popError{http.StatusBadRequest, "SignatureDoesNotMatch", "Specified signature does not match our calculation."}
	}
	// darabonba-openapi sends the AccessKey id beside a token (x-acs-accesskey-id, signed as every
	// x-acs-* header is); the published V3 description does not, so it may be absent, not other.
	if id := r.Header.Get("x-acs-accesskey-id"); id != "" && id != auth.AccessKeyID {
		return &popError{http.StatusBadRequest, "InvalidAccessKeyId.Mismatch", "The x-acs-accesskey-id header does not match the AccessKey of the signature."}
	}
	if k.token != "" && r.Header.Get("x-acs-security-token") != k.token {
		return &popError{http.StatusBadRequest, "InvalidSecurityToken.Mismatch", "Specified SecurityToken is missing or does not match the AccessKey."}
	}
	nonce := r.Header.Get("x-acs-signature-nonce")
	s.mu.Lock()
	defer s.mu.Unlock()
	for n, t := range s.nonces {
		if now.Sub(t) > MaxSkew {
			delete(s.nonces, n)
		}
	}
	if _, used := s.nonces[nonce]; used || nonce == "" {
		return &popError{http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce was used already."}
	}
	s.nonces[nonce] = now
	return nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// handle runs one authenticated operation of Yunxiao.
func (s *Server) handle(r *http.Request, action string, params []string, body []byte) (map[string]any, *apiError) {
	auth, _ := client.ParseAuthorization(r.Header.Get("Authorization"))
	s.mu.Lock()
	defer s.mu.Unlock()
	k := s.keys[auth.AccessKeyID]
	if action == "ListJoinedOrganizations" {
		orgs := []map[string]any{}
		for _, id := range sortedKeys(k.orgs) {
			if _, ok := s.orgs[id]; ok {
				orgs = append(orgs, map[string]any{"id": id, "name": "organization " + id, "isOrgAdmin": true})
			}
		}
		return map[string]any{"organizations": orgs}, nil
	}
	orgID := params[0]
	org, exists := s.orgs[orgID]
	if !exists || !k.orgs[orgID] {
		return nil, &apiError{status: http.StatusForbidden, code: "Operate.NoPermission", message: "NoPermission"}
	}
	switch action {
	case "CreateProject":
		return s.create(org, orgID, body)
	case "GetProjectInfo":
		p, ok := org.projects[params[1]]
		if !ok {
			return nil, notFound(params[1])
		}
		if s.stillHidden(params[1]) {
			return nil, notFound(params[1])
		}
		found := *p // a copy: the answer is encoded after the lock is released
		return map[string]any{"project": &found}, nil
	case "UpdateProjectField":
		if _, ok := org.projects[params[1]]; ok && s.stillHidden(params[1]) {
			return nil, notFound(params[1])
		}
		return s.update(org, params[1], body)
	case "DeleteProject":
		id := r.URL.Query().Get("identifier")
		if id == "" {
			return nil, requestError("identifier is required")
		}
		if _, ok := org.projects[id]; !ok || s.stillHidden(id) {
			return nil, notFound(id)
		}
		org.remove(id)
		// The SDK's DeleteProjectResponseBody carries result beside success.
		return map[string]any{"result": true}, nil
	case "ListProjects":
		return s.list(org, orgID, r)
	case "ListProjectTemplates":
		if r.URL.Query().Get("category") != "Project" {
			return nil, requestError("request error: category must be Project")
		}
		ts := []client.Template{}
		for _, id := range sortedKeys(org.templates) {
			ts = append(ts, org.templates[id])
		}
		return map[string]any{"templates": ts}, nil
	}
	return nil, requestError("unsupported action %s", action)
}

func (s *Server) create(org *organization, orgID string, body []byte) (map[string]any, *apiError) {
	var in struct {
		TemplateIdentifier *string `json:"templateIdentifier"`
		Name               *string `json:"name"`
		Scope              *string `json:"scope"`
		CustomCode         *string `json:"customCode"`
	}
	if aerr := decode(body, &in); aerr != nil {
		return nil, aerr
	}
	for name, v := range map[string]*string{"templateIdentifier": in.TemplateIdentifier, "name": in.Name, "scope": in.Scope, "customCode": in.CustomCode} {
		if v == nil || strings.TrimSpace(*v) == "" {
			return nil, requestError("request error: %s is required", name)
		}
	}
	if _, ok := org.templates[*in.TemplateIdentifier]; !ok {
		return nil, requestError("request error: project template %s does not exist in the organization", *in.TemplateIdentifier)
	}
	p := client.Project{Name: *in.Name, Scope: *in.Scope, CustomCode: *in.CustomCode, Creator: "1900000000000001"}
	if aerr := validate(org, p, ""); aerr != nil {
		return nil, aerr
	}
	id := s.put(org, orgID, p)
	s.Created(p.Name)
	if s.hideNewReads > 0 {
		s.hidden[id] = s.hideNewReads
	}
	created := *org.projects[id]
	return map[string]any{"project": &created}, nil
}

func (s *Server) update(org *organization, id string, body []byte) (map[string]any, *apiError) {
	var in struct {
		List []struct {
			PropertyKey   *string `json:"propertyKey"`
			PropertyValue *string `json:"propertyValue"`
		} `json:"updateBasicFieldRequestList"`
	}
	if aerr := decode(body, &in); aerr != nil {
		return nil, aerr
	}
	cur, ok := org.projects[id]
	if !ok {
		return nil, notFound(id)
	}
	if len(in.List) == 0 {
		return nil, requestError("request error: updateBasicFieldRequestList is empty")
	}
	next := *cur
	for _, f := range in.List {
		if f.PropertyKey == nil || f.PropertyValue == nil {
			return nil, requestError("request error: propertyKey and propertyValue are required")
		}
		switch *f.PropertyKey {
		case client.FieldName:
			next.Name = *f.PropertyValue
		case client.FieldDescription:
			next.Description = *f.PropertyValue
		case client.FieldScope:
			next.Scope = *f.PropertyValue
		case client.FieldCustomCode:
			next.CustomCode = *f.PropertyValue
		default:
			return nil, requestError("request error: propertyKey %s cannot be updated", *f.PropertyKey)
		}
	}
	if aerr := validate(org, next, id); aerr != nil {
		return nil, aerr
	}
	next.Modifier = "1900000000000001"
	next.GmtModified = client.Millis(s.Now().UnixMilli())
	*cur = next
	s.lastUpdate = s.lastUpdate[:0]
	for _, f := range in.List {
		s.lastUpdate = append(s.lastUpdate, client.FieldUpdate{Key: *f.PropertyKey, Value: *f.PropertyValue})
	}
	// UpdateProjectField's page documents the updated project in the answer.
	updated := *cur
	return map[string]any{"project": &updated}, nil
}

// validate applies createProject's rules; self is the project being updated, if any.
func validate(org *organization, p client.Project, self string) *apiError {
	if strings.TrimSpace(p.Name) == "" {
		return requestError("request error: name must not be empty")
	}
	if n := utf8.RuneCountInString(p.Description); n > client.MaxDescriptionLength {
		return requestError("request error: description must be at most %d characters, got %d", client.MaxDescriptionLength, n)
	}
	if p.Scope != "public" && p.Scope != "private" {
		return requestError("request error: scope must be public or private, got %s", p.Scope)
	}
	if !CustomCodePattern.MatchString(p.CustomCode) {
		return requestError("request error: customCode must be 4 to 6 upper-case letters, got %s", p.CustomCode)
	}
	for id, other := range org.projects {
		if id != self && other.CustomCode == p.CustomCode {
			return requestError("request error: customCode %s is already used by another project of the organization", p.CustomCode)
		}
	}
	return nil
}

func (s *Server) list(org *organization, orgID string, r *http.Request) (map[string]any, *apiError) {
	q := r.URL.Query()
	if q.Get("category") != "Project" {
		return nil, requestError("request error: category must be Project")
	}
	size := 20
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			return nil, requestError("request error: maxResults must be 1 to 200")
		}
		size = n
	}
	lagging := s.lagAnswers > 0
	if lagging {
		s.lagAnswers--
	}
	var visible []string
	for _, id := range org.order {
		if !s.unlisted[id] && (!lagging || s.lagKnown[id]) {
			visible = append(visible, id)
		}
	}
	start := 0
	if t := q.Get("nextToken"); t != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(t, "page-"))
		if err != nil || n < 0 || !strings.HasPrefix(t, "page-") {
			return nil, requestError("request error: nextToken is invalid")
		}
		start = min(n, len(visible))
	}
	end := min(start+size, len(visible))
	page := make([]client.Project, 0, end-start)
	for _, id := range visible[start:end] {
		page = append(page, *org.projects[id])
	}
	if s.truncatePages > 0 && len(page) > 0 {
		s.truncatePages--
		page = page[:len(page)-1]
	}
	next := ""
	if end < len(visible) {
		next = "page-" + strconv.Itoa(end)
	}
	if next != "" && len(s.createAfter) > 0 {
		s.put(org, orgID, s.createAfter[0])
		s.createAfter = s.createAfter[1:]
	}
	return map[string]any{"projects": page, "nextToken": next, "totalCount": len(visible)}, nil
}

// CreateBetweenPages creates p (as PutProject) in the listed organization right after the next
// ListProjects answer that has a next page, as another client creating one between two page
// reads would; the mock lists in creation order, so it lands on a later page.
func (s *Server) CreateBetweenPages(p client.Project) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.createAfter = append(s.createAfter, p)
}

// LagLists makes the next n ListProjects answers omit the projects created after this call, as
// a list that lags behind the creates would (each answer's totalCount counts what it lists).
func (s *Server) LagLists(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lagAnswers = n
	s.lagKnown = map[string]bool{}
	for _, o := range s.orgs {
		for id := range o.projects {
			s.lagKnown[id] = true
		}
	}
}

// TruncatePages makes the next n non-empty ListProjects pages leave out their last project
// while nextToken and totalCount still count it, as an API that cuts a page short would.
func (s *Server) TruncatePages(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.truncatePages = n
}

// decode reads a JSON body; unknown fields are an error, as they would be for the real API's
// strict request models.
func decode(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return requestError("request error: the body is not valid for this API: %v", err)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
