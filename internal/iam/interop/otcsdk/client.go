// Package otcsdk is what the interop tests need of gophertelekomcloud, which the Go module proxy
// refuses: its signer (signer_helper.go, copied verbatim but for the noted changes), the headers
// its ProviderClient.Request sets around it, the status codes its identity v3 calls accept and
// the models they decode into. Everything here names the upstream file it follows, at commit
// 30e3307593c0a3c6cc92ed1309d873fdf9241c8b.
package otcsdk

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// Credentials are AKSKAuthOptions' fields that Request uses.
type Credentials struct {
	AccessKey, SecretKey, DomainID, SecurityToken string
}

// UserAgent is what ProviderClient.UserAgent.Join() gives without extra entries
// (provider_client.go DefaultUserAgent).
const UserAgent = "golangsdk/2.0.0"

// NewRequest builds a request as provider_client.go ProviderClient.Request does: the body
// through extract.JsonMarshal (an Encoder without HTML escaping, so with a trailing newline),
// Content-Type application/json with a body only, Accept application/json, the User-Agent,
// then MoreHeaders (an empty value deletes), then Sign with AK/SK only (no region, no service),
// and only after signing X-Domain-Id and X-Security-Token, which are therefore not signed. A
// nil creds sends no credentials (tokens.Create with a password).
func NewRequest(method, url string, jsonBody any, more map[string]string, creds *Credentials) (*http.Request, error) {
	var body io.Reader
	if jsonBody != nil {
		buf := &bytes.Buffer{}
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(jsonBody); err != nil {
			return nil, err
		}
		body = bytes.NewReader(buf.Bytes())
	}
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		return nil, err
	}
	if jsonBody != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	for k, v := range more {
		if v != "" {
			req.Header.Set(k, v)
		} else {
			req.Header.Del(k)
		}
	}
	req.Close = true
	if creds != nil && creds.AccessKey != "" {
		Sign(req, SignOptions{AccessKey: creds.AccessKey, SecretKey: creds.SecretKey})
		if creds.DomainID != "" {
			req.Header.Set("X-Domain-Id", creds.DomainID)
		}
		if creds.SecurityToken != "" {
			req.Header.Set("X-Security-Token", creds.SecurityToken)
		}
	}
	return req, nil
}

// OkCodes are the statuses each call accepts: openstack/identity/v3/projects/requests.go
// (Delete 200, Update 200) and provider_client.go defaultOkCodes for the others (GET 200, POST
// 201 or 202); tokens.Create posts, so 201 or 202.
var OkCodes = map[string][]int{
	"CreateToken":   {201, 202},
	"CreateProject": {201, 202},
	"GetProject":    {200},
	"ListProjects":  {200},
	"UpdateProject": {200},
	"DeleteProject": {200},
	// Not a call of the OTC SDK, which has no /v3-ext: the API reference's 204.
	"UpdateProjectStatus": {204},
}

// Project is openstack/identity/v3/projects/results.go Project.
type Project struct {
	IsDomain    bool   `json:"is_domain"`
	Description string `json:"description"`
	DomainID    string `json:"domain_id"`
	Enabled     bool   `json:"enabled"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	ParentID    string `json:"parent_id"`
}

// CreateOpts is projects.CreateOpts, sent through golangsdk.BuildRequestBody(opts, "project").
type CreateOpts struct {
	DomainID    string `json:"domain_id,omitempty"`
	Name        string `json:"name"`
	ParentID    string `json:"parent_id,omitempty"`
	Description string `json:"description,omitempty"`
}

// UpdateOpts is projects.UpdateOpts.
type UpdateOpts struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

// ProjectPage is what projects.ExtractProjects and ProjectPage.NextPageURL read.
type ProjectPage struct {
	Projects []Project `json:"projects"`
	Links    struct {
		Next     string `json:"next"`
		Previous string `json:"previous"`
	} `json:"links"`
}
