// Package mock is a stateful IAM (Keystone v3) server for tests and the local fake cloud, in two
// flavours: Huawei Cloud (no project DELETE: the gateway answers 404 APIGW.0101) and Open
// Telekom Cloud (DELETE answers 200 and revokes every token of the account). It issues
// domain-scoped tokens for known users at POST /v3/auth/tokens, rejects missing, unknown,
// expired or revoked tokens with 401 and tokens without admin rights with 403, verifies AK/SK
// (SDK-HMAC-SHA256) signatures in both SDKs' forms (Access= and Credential=) and X-Domain-Id,
// keeps projects per account, and enforces the
// documented name rules (an existing region's id and "_" first, at most 64 characters), unique
// names (409 in Keystone's shape), parent ids and the 255-character description. It can answer
// 404 to the first GETs of a new project, and faults can be injected through the embedded
// mockserver.Base. GET /v3/auth/domains, the provider's credential check, answers any valid
// credentials with the caller's account. Tests add projects out of band (PutProject,
// RemoveProject, UpdateProject), hide new projects from reads for a while (HideNewProjects),
// see the last update's fields (LastUpdate) and when each request arrived (Arrivals), revoke
// every token as another run's delete does on OTC (RevokeTokens, RevokeTokensBefore) and make
// lists lag behind the creates (LagLists).
package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// Flavour selects the cloud the mock behaves like.
type Flavour string

const (
	// Huawei is Huawei Cloud: projects cannot be deleted.
	Huawei Flavour = "huawei"
	// OTC is Open Telekom Cloud: DELETE works and revokes the account's tokens.
	OTC Flavour = "otc"
)

// ParseFlavour accepts "huawei" or "otc".
func ParseFlavour(s string) (Flavour, error) {
	switch Flavour(s) {
	case Huawei, OTC:
		return Flavour(s), nil
	}
	return "", fmt.Errorf("unknown IAM mock flavour %q: use %q or %q", s, Huawei, OTC)
}

// Regions returns the region ids the flavour knows.
func (f Flavour) Regions() []string {
	if f == OTC {
		return []string{"eu-de", "eu-nl", "eu-ch2"}
	}
	return []string{"ap-southeast-1", "cn-north-4", "eu-west-101"}
}

// MaxSkew is how far a request's X-Sdk-Date may be from the server's clock.
const MaxSkew = 15 * time.Minute

// DefaultTokenTTL is how long issued tokens are valid, as on the real clouds.
const DefaultTokenTTL = 24 * time.Hour

// Server is the mock. Create it with New.
type Server struct {
	mockserver.Base

	flavour Flavour

	mu         sync.Mutex
	domains    map[string]*domain // by id
	users      map[string]*user   // by domain name + "/" + user name
	keys       map[string]*accessKey
	tokens     map[string]*token
	projects   map[string]*client.Project
	order      []string
	pending404 map[string]int
	hideReads  int
	noExt      bool
	// unlisted projects are left out of GET /v3/projects (HideFromList).
	unlisted     map[string]bool
	deleteStatus int
	expireBefore map[string]bool
	// revokeBefore counts, per operation, the next requests before which every token is
	// revoked (RevokeTokensBefore).
	revokeBefore map[string]int
	// lagAnswers and lagKnown make lists lag behind the creates (LagLists).
	lagAnswers   int
	lagKnown     map[string]bool
	unauthorized int
	issued       int
	tokenTTL     time.Duration
	lastUpdate   map[string]any
	arrivals     map[string][]time.Time

	// Now is the server's clock; tests move it to expire tokens or make signatures stale.
	Now func() time.Time
}

type domain struct{ id, name string }

type user struct {
	id, name, password, domainID string
	admin                        bool
}

type accessKey struct {
	secret, securityToken, domainID string
	admin                           bool
}

type token struct {
	domainID, userID string
	admin            bool
	expires          time.Time
}

// caller is who made an authenticated request.
type caller struct {
	domainID string
	admin    bool
}

// New returns an empty mock of the flavour.
func New(flavour Flavour) *Server {
	return &Server{
		flavour:      flavour,
		domains:      map[string]*domain{},
		users:        map[string]*user{},
		keys:         map[string]*accessKey{},
		tokens:       map[string]*token{},
		projects:     map[string]*client.Project{},
		pending404:   map[string]int{},
		expireBefore: map[string]bool{},
		arrivals:     map[string][]time.Time{},
		deleteStatus: http.StatusOK,
		tokenTTL:     DefaultTokenTTL,
		Now:          time.Now,
	}
}

// Flavour returns the cloud the mock behaves like.
func (s *Server) Flavour() Flavour { return s.flavour }

func newID() string { return mockserver.RandomString(32, "0123456789abcdef") }

// AddDomain creates an account (domain) with one project per region, named like the region,
// and returns the domain's id.
func (s *Server) AddDomain(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := newID()
	s.domains[id] = &domain{id: id, name: name}
	for _, region := range s.flavour.Regions() {
		p := &client.Project{ID: newID(), Name: region, ParentID: id, DomainID: id, Enabled: true, Status: client.StatusNormal}
		s.projects[p.ID] = p
		s.order = append(s.order, p.ID)
	}
	return id
}

func (s *Server) domainByName(name string) *domain {
	for _, d := range s.domains {
		if d.name == name {
			return d
		}
	}
	return nil
}

// AddUser lets name/password sign in to the domain; admin grants Security Administrator rights.
func (s *Server) AddUser(domainName, name, password string, admin bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domainByName(domainName)
	if d == nil {
		panic("mock: unknown domain " + domainName)
	}
	s.users[domainName+"/"+name] = &user{id: newID(), name: name, password: password, domainID: d.id, admin: admin}
}

// AddAccessKey lets ak/sk sign requests for the domain; a non-empty securityToken makes it a
// temporary key that must send X-Security-Token.
func (s *Server) AddAccessKey(ak, sk, securityToken, domainID string, admin bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[ak] = &accessKey{secret: sk, securityToken: securityToken, domainID: domainID, admin: admin}
}

// IssueToken returns a valid token for a known user, as if the user had fetched one.
func (s *Server) IssueToken(domainName, userName string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[domainName+"/"+userName]
	if u == nil {
		panic("mock: unknown user " + domainName + "/" + userName)
	}
	return s.issue(u)
}

func (s *Server) issue(u *user) string {
	value := "MIIE" + mockserver.RandomString(60, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
	s.tokens[value] = &token{domainID: u.domainID, userID: u.id, admin: u.admin, expires: s.Now().Add(s.tokenTTL)}
	s.issued++
	return value
}

// SetTokenTTL sets how long tokens issued from now on are valid.
func (s *Server) SetTokenTTL(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenTTL = d
}

// ExpireTokens makes every token issued so far expire now.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireAll()
}

func (s *Server) expireAll() {
	past := s.Now().Add(-time.Second)
	for _, t := range s.tokens {
		t.expires = past
	}
}

// ExpireTokensBefore makes every token expire just before the next request of operation is
// served, so that a client holding a cached token meets a 401 in the middle of a run.
func (s *Server) ExpireTokensBefore(operation string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireBefore[operation] = true
}

// RevokeTokens revokes every token issued so far, as another client's project delete does on
// Open Telekom Cloud: the next call with one is answered 401.
func (s *Server) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revokeAll()
}

// RevokeTokensBefore revokes every token just before each of the next times requests of
// operation is served, as other runs deleting projects while this one works would: a client
// that fetches a new token after the 401 meets another 401 while times lasts.
func (s *Server) RevokeTokensBefore(operation string, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.revokeBefore == nil {
		s.revokeBefore = map[string]int{}
	}
	s.revokeBefore[operation] = times
}

func (s *Server) revokeAll() {
	for value := range s.tokens {
		delete(s.tokens, value)
	}
}

// LagLists makes the next n GET /v3/projects answers omit the projects created after this
// call, as a list that lags behind the creates would.
func (s *Server) LagLists(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lagAnswers = n
	s.lagKnown = map[string]bool{}
	for id := range s.projects {
		s.lagKnown[id] = true
	}
}

// TokensIssued returns how many tokens were issued (through the API or IssueToken).
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// Unauthorized returns how many requests were answered 401.
func (s *Server) Unauthorized() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.unauthorized
}

// HideNewProjects makes each project created from now on answer 404 to its first reads GETs,
// as a new project can for a few seconds; projects created earlier owe at most reads more.
func (s *Server) HideNewProjects(reads int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hideReads = reads
	for id, owed := range s.pending404 {
		s.pending404[id] = min(owed, reads)
	}
}

// LastUpdate returns the fields of the last UpdateProject request's project object (nil
// before any), so tests can see that only changed fields were sent.
func (s *Server) LastUpdate() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastUpdate
}

// Arrivals returns when each request of operation arrived, in order, for tests of the pauses
// between resends.
func (s *Server) Arrivals(operation string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.arrivals[operation]...)
}

// SetExtAPI turns the /v3-ext calls (status) on or off; off, the gateway answers APIGW.0101.
func (s *Server) SetExtAPI(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.noExt = !on
}

// HideFromList leaves project id out of GET /v3/projects (reads by id still find it), as a list
// that lags behind the reads would.
func (s *Server) HideFromList(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.unlisted == nil {
		s.unlisted = map[string]bool{}
	}
	s.unlisted[id] = true
}

// SetDeleteStatus sets what a successful DELETE answers on OTC: 200 by default, the only status
// gophertelekomcloud's projects.Delete accepts, or 204 as the API reference writes.
func (s *Server) SetDeleteStatus(status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleteStatus = status
}

// RegionProjectID returns the id of the domain's project for region ("" if none).
func (s *Server) RegionProjectID(domainID, region string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.projects {
		if p.DomainID == domainID && p.Name == region && p.ParentID == domainID {
			return p.ID
		}
	}
	return ""
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

// ProjectByName returns the domain's project named name.
func (s *Server) ProjectByName(domainID, name string) (client.Project, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.byName(domainID, name); p != nil {
		return *p, true
	}
	return client.Project{}, false
}

func (s *Server) byName(domainID, name string) *client.Project {
	for _, id := range s.order {
		p := s.projects[id]
		if p.DomainID == domainID && strings.EqualFold(p.Name, name) {
			return p
		}
	}
	return nil
}

// Projects returns a copy of the domain's projects (region projects included), in creation order.
func (s *Server) Projects(domainID string) []client.Project {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []client.Project
	for _, id := range s.order {
		if p := s.projects[id]; p.DomainID == domainID {
			out = append(out, *p)
		}
	}
	return out
}

// PutProject inserts a project out of band (as the console would) and returns its id. p needs
// DomainID and Name; an empty ID is generated, an empty ParentID is the project of the name's
// region, an empty Status is normal, and the project is enabled.
func (s *Server) PutProject(p client.Project) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.ParentID == "" {
		region, _, _ := strings.Cut(p.Name, "_")
		parent := s.byName(p.DomainID, region)
		if parent == nil {
			panic("mock: no project for region " + region)
		}
		p.ParentID = parent.ID
	}
	if p.ID == "" {
		p.ID = newID()
	}
	if p.Status == "" {
		p.Status = client.StatusNormal
	}
	p.Enabled = true
	if _, exists := s.projects[p.ID]; !exists {
		s.order = append(s.order, p.ID)
	}
	s.projects[p.ID] = &p
	return p.ID
}

// UpdateProject changes a project out of band (as the console would).
func (s *Server) UpdateProject(id string, change func(*client.Project)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.projects[id]
	if ok {
		change(p)
	}
	return ok
}

// RemoveProject deletes a project out of band.
func (s *Server) RemoveProject(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(id)
}

func (s *Server) remove(id string) {
	delete(s.projects, id)
	delete(s.pending404, id)
	for i, v := range s.order {
		if v == id {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}

// Fixture names what Seed created.
type Fixture struct {
	DomainID, DomainName                  string
	AdminUser, AdminPassword              string
	ReaderUser, ReaderPassword            string
	AccessKey, SecretKey                  string
	TempAccessKey, TempSecretKey, STToken string
	ReaderAccessKey, ReaderSecretKey      string
}

// Seed creates an account "projectkit" with an admin and a reader (no rights), a permanent and a
// temporary admin access key and a reader access key, for tests and the fake cloud.
func (s *Server) Seed() Fixture {
	f := Fixture{
		DomainName: "projectkit",
		AdminUser:  "admin", AdminPassword: "admin-Passw0rd",
		ReaderUser: "reader", ReaderPassword: "reader-Passw0rd",
		AccessKey: "MOCKAK0ADMIN0000001", SecretKey: "mock-secret-key-admin-000000000000000001",
		TempAccessKey: "MOCKAK0TEMP00000001", TempSecretKey: "mock-secret-key-temp-0000000000000000001", STToken: "mock-security-token-0001",
		ReaderAccessKey: "MOCKAK0READER000001", ReaderSecretKey: "mock-secret-key-reader-00000000000000001",
	}
	f.DomainID = s.AddDomain(f.DomainName)
	s.AddUser(f.DomainName, f.AdminUser, f.AdminPassword, true)
	s.AddUser(f.DomainName, f.ReaderUser, f.ReaderPassword, false)
	s.AddAccessKey(f.AccessKey, f.SecretKey, "", f.DomainID, true)
	s.AddAccessKey(f.TempAccessKey, f.TempSecretKey, f.STToken, f.DomainID, true)
	s.AddAccessKey(f.ReaderAccessKey, f.ReaderSecretKey, "", f.DomainID, false)
	return f
}

// apiError is an answer in one of the two error shapes.
type apiError struct {
	status int
	// code set: the gateway/IAM shape {"error_msg", "error_code", "request_id"}; empty: Keystone's
	// {"error": {"code", "message", "title"}}.
	code    string
	message string
}

func gatewayError(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func keystoneError(status int, format string, args ...any) *apiError {
	return &apiError{status: status, message: fmt.Sprintf(format, args...)}
}

func (e *apiError) write(w http.ResponseWriter, requestID string) {
	if e.code != "" {
		writeJSON(w, e.status, requestID, map[string]any{"error_msg": e.message, "error_code": e.code, "request_id": requestID})
		return
	}
	writeJSON(w, e.status, requestID, map[string]any{"error": map[string]any{"code": e.status, "message": e.message, "title": http.StatusText(e.status)}})
}

func writeJSON(w http.ResponseWriter, status int, requestID string, body any) {
	w.Header().Set("X-Request-Id", requestID)
	if body == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=utf8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// WriteThrottled answers as API Gateway does when a rate limit is exceeded.
func (s *Server) WriteThrottled(w http.ResponseWriter, _ *http.Request) {
	gatewayError(http.StatusTooManyRequests, "APIGW.0308", "The throttling threshold has been reached: policy user over ratelimit").write(w, mockserver.RequestID())
}

// WriteServerError answers as API Gateway does when the IAM backend fails.
func (s *Server) WriteServerError(w http.ResponseWriter, _ *http.Request, status int) {
	gatewayError(status, "APIGW.0202", "Backend unavailable").write(w, mockserver.RequestID())
}

// route names the operation of a request and the project id in its path ("" if none).
func route(r *http.Request) (op, id string) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/v3/auth/tokens" && r.Method == http.MethodPost:
		return client.OpCreateToken, ""
	case path == "/v3/auth/domains" && r.Method == http.MethodGet:
		return client.OpListAuthDomains, ""
	case path == "/v3/projects" && r.Method == http.MethodPost:
		return client.OpCreateProject, ""
	case path == "/v3/projects" && r.Method == http.MethodGet:
		return client.OpListProjects, ""
	}
	if rest, ok := strings.CutPrefix(path, "/v3/projects/"); ok && !strings.Contains(rest, "/") {
		switch r.Method {
		case http.MethodGet:
			return client.OpShowProject, rest
		case http.MethodPatch:
			return client.OpUpdateProject, rest
		case http.MethodDelete:
			return client.OpDeleteProject, rest
		}
	}
	if rest, ok := strings.CutPrefix(path, "/v3-ext/projects/"); ok && !strings.Contains(rest, "/") {
		switch r.Method {
		case http.MethodGet:
			return client.OpShowProjectStatus, rest
		case http.MethodPut:
			return client.OpUpdateProjectStatus, rest
		}
	}
	return "", ""
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, id := route(r)
	s.mu.Lock()
	s.arrivals[op] = append(s.arrivals[op], time.Now())
	s.mu.Unlock()
	s.Serve(w, r, op, s, func(w http.ResponseWriter, r *http.Request) {
		requestID := mockserver.RequestID()
		status, body, header, aerr := s.handle(r, op, id)
		if aerr != nil {
			if aerr.status == http.StatusUnauthorized {
				s.mu.Lock()
				s.unauthorized++
				s.mu.Unlock()
			}
			aerr.write(w, requestID)
			return
		}
		for k, v := range header {
			w.Header().Set(k, v)
		}
		writeJSON(w, status, requestID, body)
	})
}

func (s *Server) missingAPI(r *http.Request) *apiError {
	return gatewayError(http.StatusNotFound, "APIGW.0101", "The API does not exist: method %s not found", r.Method)
}

func (s *Server) handle(r *http.Request, op, id string) (int, any, map[string]string, *apiError) {
	s.mu.Lock()
	noExt := s.noExt
	if s.expireBefore[op] {
		delete(s.expireBefore, op)
		s.expireAll()
	}
	if s.revokeBefore[op] > 0 {
		s.revokeBefore[op]--
		s.revokeAll()
	}
	s.mu.Unlock()
	switch {
	case op == "":
		return 0, nil, nil, s.missingAPI(r)
	case op == client.OpDeleteProject && s.flavour == Huawei:
		return 0, nil, nil, s.missingAPI(r)
	case (op == client.OpShowProjectStatus || op == client.OpUpdateProjectStatus) && noExt:
		return 0, nil, nil, s.missingAPI(r)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0011", "Request body is invalid.")
	}
	if op == client.OpCreateToken {
		return s.createToken(body)
	}
	who, aerr := s.authenticate(r, body)
	if aerr != nil {
		return 0, nil, nil, aerr
	}
	if op == client.OpListAuthDomains {
		return s.authDomains(who, base(r))
	}
	if !who.admin {
		return 0, nil, nil, keystoneError(http.StatusForbidden, "You are not authorized to perform the requested action: identity:%s.", strings.ToLower(op))
	}
	if ct := r.Header.Get("Content-Type"); len(body) > 0 && !strings.HasPrefix(ct, "application/json") {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0011", "Content-Type must be application/json;charset=utf8, not %q.", ct)
	}
	base := base(r)
	switch op {
	case client.OpCreateProject:
		return s.createProject(who, body, base)
	case client.OpListProjects:
		return s.listProjects(who, r.URL.Query(), base)
	case client.OpShowProject, client.OpShowProjectStatus:
		return s.showProject(who, id, op == client.OpShowProjectStatus, base)
	case client.OpUpdateProject:
		return s.updateProject(who, id, body, base)
	case client.OpUpdateProjectStatus:
		return s.setStatus(who, id, body)
	case client.OpDeleteProject:
		return s.deleteProject(who, id)
	}
	return 0, nil, nil, s.missingAPI(r)
}

// authenticate checks X-Auth-Token or an AK/SK signature.
func (s *Server) authenticate(r *http.Request, body []byte) (caller, *apiError) {
	if h := r.Header.Get("Authorization"); h != "" {
		return s.verifySignature(r, h, body)
	}
	value := r.Header.Get("X-Auth-Token")
	if value == "" {
		return caller{}, keystoneError(http.StatusUnauthorized, "The request you have made requires authentication.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[value]
	if !ok {
		return caller{}, keystoneError(http.StatusUnauthorized, "The request you have made requires authentication.")
	}
	if !s.Now().Before(t.expires) {
		return caller{}, gatewayError(http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: the token has expired")
	}
	return caller{domainID: t.domainID, admin: t.admin}, nil
}

func (s *Server) verifySignature(r *http.Request, header string, body []byte) (caller, *apiError) {
	fail := func(format string, args ...any) (caller, *apiError) {
		return caller{}, gatewayError(http.StatusUnauthorized, "APIGW.0301", "Incorrect IAM authentication information: "+format, args...)
	}
	auth, err := client.ParseAuthorization(header)
	if err != nil {
		return fail("%v", err)
	}
	date := r.Header.Get("X-Sdk-Date")
	t, err := time.Parse(client.SdkDateFormat, date)
	if err != nil {
		return fail("the X-Sdk-Date header is missing or malformed")
	}
	if skew := s.Now().Sub(t); skew > MaxSkew || skew < -MaxSkew {
		return fail("the request date %s is more than 15 minutes from the server's clock", date)
	}
	s.mu.Lock()
	key, ok := s.keys[auth.AccessKey]
	s.mu.Unlock()
	if !ok {
		return fail("ak %s not exist", auth.AccessKey)
	}
	// The gateway wants X-Sdk-Date signed, nothing else: the Huawei SDK signs
	// user-agent;x-domain-id;x-sdk-date (no host), the OTC SDK accept;content-type;host;
	// user-agent;x-sdk-date.
	if !contains(auth.SignedHeaders, "x-sdk-date") {
		return fail("x-sdk-date must be signed")
	}
	if auth.Style == client.SigningOTC && auth.Scope != date[:8]+"///sdk_request" {
		return fail("the credential scope %q is not %s///sdk_request", auth.Scope, date[:8])
	}
	headers := map[string]string{}
	for name, values := range r.Header {
		headers[strings.ToLower(name)] = values[0]
	}
	headers["host"] = r.Host
	in := client.SigningInput{
		Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
		Headers: headers, SignedHeaders: auth.SignedHeaders, Payload: body, Date: date, Style: auth.Style,
	}
	if in.Signature(key.secret) != auth.Signature {
		return fail("verify aksk signature fail")
	}
	if domainID := r.Header.Get("X-Domain-Id"); domainID != key.domainID {
		return fail("X-Domain-Id %q does not match the access key's account", domainID)
	}
	// The Huawei SDK signs X-Security-Token; the OTC SDK sends it unsigned.
	if key.securityToken != "" && (r.Header.Get("X-Security-Token") != key.securityToken ||
		(auth.Style == client.SigningHuawei && !contains(auth.SignedHeaders, "x-security-token"))) {
		return fail("the temporary access key needs its X-Security-Token (signed, in the Access= form)")
	}
	return caller{domainID: key.domainID, admin: key.admin}, nil
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// decode reads {"<wrapper>": {...}} strictly: an unknown field is an invalid body.
func decode(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return gatewayError(http.StatusBadRequest, "IAM.0011", "Request body is invalid: %v", err)
	}
	return nil
}

func (s *Server) createToken(body []byte) (int, any, map[string]string, *apiError) {
	var in struct {
		Auth struct {
			Identity struct {
				Methods  []string `json:"methods"`
				Password struct {
					User struct {
						Name     string `json:"name"`
						Password string `json:"password"`
						Domain   struct {
							Name string `json:"name"`
						} `json:"domain"`
					} `json:"user"`
				} `json:"password"`
			} `json:"identity"`
			Scope struct {
				Domain *struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"domain"`
			} `json:"scope"`
		} `json:"auth"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return 0, nil, nil, keystoneError(http.StatusBadRequest, "The request body is not valid JSON.")
	}
	id := in.Auth.Identity
	if !contains(id.Methods, "password") || id.Password.User.Name == "" || id.Password.User.Domain.Name == "" {
		return 0, nil, nil, keystoneError(http.StatusBadRequest, "Expecting to find identity.password.user with name, password and domain.name.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[id.Password.User.Domain.Name+"/"+id.Password.User.Name]
	if u == nil || u.password != id.Password.User.Password {
		return 0, nil, nil, keystoneError(http.StatusUnauthorized, "The username or password is wrong.")
	}
	d := s.domains[u.domainID]
	scope := in.Auth.Scope.Domain
	if scope == nil || (scope.Name != d.name && scope.ID != d.id) {
		return 0, nil, nil, keystoneError(http.StatusUnauthorized, "The request you have made requires a domain scope of the user's own domain.")
	}
	value := s.issue(u)
	now := s.Now().UTC()
	const layout = "2006-01-02T15:04:05.000000Z"
	out := map[string]any{"token": map[string]any{
		"methods":    []string{"password"},
		"issued_at":  now.Format(layout),
		"expires_at": s.tokens[value].expires.UTC().Format(layout),
		"domain":     map[string]string{"id": d.id, "name": d.name},
		"user": map[string]any{
			"id": u.id, "name": u.name, "password_expires_at": "",
			"domain": map[string]string{"id": d.id, "name": d.name},
		},
		"roles": []map[string]string{{"id": "0", "name": map[bool]string{true: "secu_admin", false: "readonly"}[u.admin]}},
	}}
	return http.StatusCreated, out, map[string]string{"X-Subject-Token": value}, nil
}

// base is the URL the request was sent to, for the answers' links.
func base(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}

// authDomains answers GET /v3/auth/domains: the caller's account, for any valid credentials.
func (s *Server) authDomains(who caller, base string) (int, any, map[string]string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.domains[who.domainID]
	domain := map[string]any{"id": d.id, "name": d.name, "enabled": true, "description": "",
		"links": map[string]string{"self": base + "/v3/domains/" + d.id}}
	return http.StatusOK, map[string]any{"domains": []any{domain}, "links": map[string]any{"self": base + "/v3/auth/domains"}}, nil, nil
}

// projectJSON renders a project as the API does; withStatus adds /v3-ext's status.
func projectJSON(p *client.Project, base string, withStatus bool) map[string]any {
	m := map[string]any{
		"id": p.ID, "name": p.Name, "description": p.Description, "parent_id": p.ParentID,
		"domain_id": p.DomainID, "enabled": p.Enabled, "is_domain": false,
		"links": map[string]string{"self": base + "/v3/projects/" + p.ID},
	}
	if withStatus {
		m["status"] = p.Status
	}
	return m
}

// validateName applies the documented rules and returns the region prefix.
func (s *Server) validateName(name string) (string, *apiError) {
	if name == "" {
		return "", gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter name is invalid: it is required.")
	}
	if n := utf8.RuneCountInString(name); n > 64 {
		return "", gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter name is invalid: it has %d characters, at most 64 are allowed.", n)
	}
	region, _, ok := strings.Cut(name, "_")
	if !ok || !contains(s.flavour.Regions(), region) {
		return "", gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter name is invalid: it must start with the id of an existing region and \"_\", e.g. %s_project1.", s.flavour.Regions()[0])
	}
	return region, nil
}

func validateDescription(d string) *apiError {
	if n := utf8.RuneCountInString(d); n > 255 {
		return gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter description is invalid: it has %d characters, at most 255 are allowed.", n)
	}
	return nil
}

func duplicate(name string) *apiError {
	return keystoneError(http.StatusConflict, "Conflict occurred attempting to store project - Duplicate entry found with name %s.", name)
}

func (s *Server) createProject(who caller, body []byte, base string) (int, any, map[string]string, *apiError) {
	var in struct {
		Project *struct {
			Name        string  `json:"name"`
			ParentID    string  `json:"parent_id"`
			DomainID    string  `json:"domain_id"`
			Description *string `json:"description"`
		} `json:"project"`
	}
	if aerr := decode(body, &in); aerr != nil {
		return 0, nil, nil, aerr
	}
	if in.Project == nil {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0011", "Request body is invalid: project is required.")
	}
	region, aerr := s.validateName(in.Project.Name)
	if aerr != nil {
		return 0, nil, nil, aerr
	}
	p := &client.Project{Name: in.Project.Name, ParentID: in.Project.ParentID, DomainID: who.domainID, Enabled: true, Status: client.StatusNormal}
	if in.Project.Description != nil {
		p.Description = *in.Project.Description
	}
	if aerr := validateDescription(p.Description); aerr != nil {
		return 0, nil, nil, aerr
	}
	if in.Project.DomainID != "" && in.Project.DomainID != who.domainID {
		return 0, nil, nil, keystoneError(http.StatusForbidden, "You are not authorized to create projects in domain %s.", in.Project.DomainID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent := s.byName(who.domainID, region)
	if p.ParentID == "" {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter parent_id is invalid: it is required.")
	}
	if parent == nil || parent.ID != p.ParentID {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter parent_id is invalid: %s is not the project of region %s.", p.ParentID, region)
	}
	if s.byName(who.domainID, p.Name) != nil {
		return 0, nil, nil, duplicate(p.Name)
	}
	p.ID = newID()
	s.projects[p.ID] = p
	s.order = append(s.order, p.ID)
	if s.hideReads > 0 {
		s.pending404[p.ID] = s.hideReads
	}
	s.Created(p.Name)
	return http.StatusCreated, map[string]any{"project": projectJSON(p, base, false)}, nil, nil
}

func projectNotFound(id string, ext bool) *apiError {
	if ext {
		return gatewayError(http.StatusNotFound, "IAM.0004", "Could not find project: %s.", id)
	}
	return keystoneError(http.StatusNotFound, "Could not find project: %s.", id)
}

// lookup finds the caller's project id; the caller holds s.mu.
func (s *Server) lookup(who caller, id string, ext bool) (*client.Project, *apiError) {
	p, ok := s.projects[id]
	if !ok || p.DomainID != who.domainID {
		return nil, projectNotFound(id, ext)
	}
	return p, nil
}

func (s *Server) showProject(who caller, id string, ext bool, base string) (int, any, map[string]string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, aerr := s.lookup(who, id, ext)
	if aerr != nil {
		return 0, nil, nil, aerr
	}
	if n := s.pending404[id]; n > 0 {
		s.pending404[id] = n - 1
		return 0, nil, nil, projectNotFound(id, ext)
	}
	return http.StatusOK, map[string]any{"project": projectJSON(p, base, ext)}, nil, nil
}

func (s *Server) listProjects(who caller, q url.Values, base string) (int, any, map[string]string, *apiError) {
	page, perPage := 1, 0
	if v := q.Get("per_page"); v != "" {
		if q.Get("page") == "" {
			return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter per_page is invalid: it needs page.")
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 5000 {
			return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter per_page is invalid: it must be 1 to 5000.")
		}
		perPage = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter page is invalid: it must be at least 1.")
		}
		page = n
	}
	if d := q.Get("domain_id"); d != "" && d != who.domainID {
		return 0, nil, nil, keystoneError(http.StatusForbidden, "You are not authorized to list the projects of domain %s.", d)
	}
	s.mu.Lock()
	lagging := s.lagAnswers > 0
	if lagging {
		s.lagAnswers--
	}
	var matched []map[string]any
	for _, id := range s.order {
		p := s.projects[id]
		if s.unlisted[id] || (lagging && !s.lagKnown[id]) || p.DomainID != who.domainID ||
			(q.Has("name") && p.Name != q.Get("name")) ||
			(q.Has("parent_id") && p.ParentID != q.Get("parent_id")) ||
			(q.Has("enabled") && strconv.FormatBool(p.Enabled) != q.Get("enabled")) {
			continue
		}
		matched = append(matched, projectJSON(p, base, false))
	}
	s.mu.Unlock()
	links := map[string]any{"self": base + "/v3/projects", "previous": nil, "next": nil}
	if perPage > 0 {
		start := min((page-1)*perPage, len(matched))
		end := min(start+perPage, len(matched))
		if end < len(matched) {
			next := url.Values{}
			for k, v := range q {
				next[k] = v
			}
			next.Set("page", strconv.Itoa(page+1))
			links["next"] = base + "/v3/projects?" + next.Encode()
		}
		matched = matched[start:end]
	}
	if matched == nil {
		matched = []map[string]any{}
	}
	return http.StatusOK, map[string]any{"projects": matched, "links": links}, nil, nil
}

func (s *Server) updateProject(who caller, id string, body []byte, base string) (int, any, map[string]string, *apiError) {
	var in struct {
		Project *struct {
			Name        *string `json:"name"`
			Description *string `json:"description"`
		} `json:"project"`
	}
	if aerr := decode(body, &in); aerr != nil {
		return 0, nil, nil, aerr
	}
	if in.Project == nil || (in.Project.Name == nil && in.Project.Description == nil) {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0011", "Request body is invalid: give name or description.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lastUpdate = map[string]any{}
	if in.Project.Name != nil {
		s.lastUpdate["name"] = *in.Project.Name
	}
	if in.Project.Description != nil {
		s.lastUpdate["description"] = *in.Project.Description
	}
	p, aerr := s.lookup(who, id, false)
	if aerr != nil {
		return 0, nil, nil, aerr
	}
	if p.ParentID == p.DomainID {
		return 0, nil, nil, keystoneError(http.StatusForbidden, "The project of a region cannot be changed.")
	}
	next := *p
	if in.Project.Name != nil {
		region, aerr := s.validateName(*in.Project.Name)
		if aerr != nil {
			return 0, nil, nil, aerr
		}
		if cur, _, _ := strings.Cut(p.Name, "_"); cur != region {
			return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter name is invalid: the region prefix %s_ cannot be changed.", cur)
		}
		if other := s.byName(who.domainID, *in.Project.Name); other != nil && other.ID != id {
			return 0, nil, nil, duplicate(*in.Project.Name)
		}
		next.Name = *in.Project.Name
	}
	if in.Project.Description != nil {
		if aerr := validateDescription(*in.Project.Description); aerr != nil {
			return 0, nil, nil, aerr
		}
		next.Description = *in.Project.Description
	}
	*p = next
	return http.StatusOK, map[string]any{"project": projectJSON(p, base, false)}, nil, nil
}

func (s *Server) setStatus(who caller, id string, body []byte) (int, any, map[string]string, *apiError) {
	var in struct {
		Project *struct {
			Status string `json:"status"`
		} `json:"project"`
	}
	if aerr := decode(body, &in); aerr != nil {
		return 0, nil, nil, aerr
	}
	if in.Project == nil || (in.Project.Status != client.StatusNormal && in.Project.Status != client.StatusSuspended) {
		return 0, nil, nil, gatewayError(http.StatusBadRequest, "IAM.0007", "Request parameter status is invalid: it must be normal or suspended.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, aerr := s.lookup(who, id, true)
	if aerr != nil {
		return 0, nil, nil, aerr
	}
	if p.ParentID == p.DomainID {
		return 0, nil, nil, keystoneError(http.StatusForbidden, "The project of a region cannot be suspended.")
	}
	p.Status = in.Project.Status
	return http.StatusNoContent, nil, nil, nil
}

func (s *Server) deleteProject(who caller, id string) (int, any, map[string]string, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, aerr := s.lookup(who, id, false)
	if aerr != nil {
		return 0, nil, nil, aerr
	}
	if p.ParentID == p.DomainID {
		return 0, nil, nil, keystoneError(http.StatusForbidden, "The project of a region cannot be deleted.")
	}
	s.remove(id)
	// Deleting a project revokes every token of the account.
	for value, t := range s.tokens {
		if t.domainID == who.domainID {
			delete(s.tokens, value)
		}
	}
	return s.deleteStatus, nil, nil, nil
}
