package client

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// authorizeFunc adds credentials to one attempt's request; body is what it will send.
type authorizeFunc func(req *http.Request, body []byte)

// authenticator supplies credentials for calls.
type authenticator interface {
	// prepare returns what authorizes the next call, fetching a token if one is needed.
	prepare(ctx context.Context) (authorizeFunc, error)
	// renew forgets a cached token after a 401 and reports whether calling again may help.
	renew() bool
	// forget drops a cached token that the server has revoked (after a project delete).
	forget()
}

// maxTokenRenewals bounds the new tokens one call fetches after 401s. On Open Telekom Cloud
// every project delete revokes every token of the account, so while another run destroys
// projects a new token can be revoked before the call it was fetched for arrives: one renewal
// is not enough, an unbounded number would never end.
const maxTokenRenewals = 3

// tokensKeptRevoked says what a 401 that outlived maxTokenRenewals new tokens means: the
// password was accepted each time (a wrong one fails at POST /v3/auth/tokens with its own
// message), and each new token was refused, so the account's tokens are being revoked.
func tokensKeptRevoked(err error) error {
	e, ok := transport.AsAPIError(err)
	if !ok {
		return err
	}
	revoked := *e
	revoked.Hint = fmt.Sprintf("The API refused %d tokens in a row for this call, each fetched with the password just before "+
		"(the password was accepted every time): the account's tokens are being revoked while this run works. On Open "+
		"Telekom Cloud, deleting any project revokes every token of the account, so another Terraform run or a person "+
		"deleting projects of this account is the likely cause. Run again once it has finished, or lower -parallelism "+
		"of the run that deletes.", maxTokenRenewals+1)
	return &revoked
}

// staticToken sends a token given by the user; it cannot be renewed.
type staticToken string

func (t staticToken) prepare(context.Context) (authorizeFunc, error) {
	return func(req *http.Request, _ []byte) { req.Header.Set("X-Auth-Token", string(t)) }, nil
}
func (staticToken) renew() bool { return false }
func (staticToken) forget()     {}

// akskSigner signs every request with SDK-HMAC-SHA256; X-Domain-Id names the account, as
// global services such as IAM require.
type akskSigner struct {
	accessKey, secretKey, securityToken, domainID string
	style                                         SigningStyle
	now                                           func() time.Time
}

func (s *akskSigner) prepare(context.Context) (authorizeFunc, error) {
	return func(req *http.Request, body []byte) {
		// The Huawei SDK adds X-Domain-Id and X-Security-Token before it signs, and signs them;
		// the OTC SDK adds them after, unsigned.
		account := func() {
			req.Header.Set("X-Domain-Id", s.domainID)
			if s.securityToken != "" {
				req.Header.Set("X-Security-Token", s.securityToken)
			}
		}
		if s.style != SigningOTC {
			account()
		}
		SignRequest(req, body, s.accessKey, s.secretKey, s.now(), s.style)
		if s.style == SigningOTC {
			account()
		}
	}, nil
}
func (*akskSigner) renew() bool { return false }
func (*akskSigner) forget()     {}

// passwordTokens exchanges the user's password for a domain-scoped token and caches it until
// shortly before it expires.
type passwordTokens struct {
	client *Client

	mu        sync.Mutex
	token     string
	refreshAt time.Time
	domainID  string
}

func (p *passwordTokens) prepare(ctx context.Context) (authorizeFunc, error) {
	token, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	return func(req *http.Request, _ []byte) { req.Header.Set("X-Auth-Token", token) }, nil
}

func (p *passwordTokens) renew() bool {
	p.forget()
	return true
}

func (p *passwordTokens) forget() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.token = ""
}

// get returns the cached token, or fetches one. Concurrent callers wait for one fetch.
func (p *passwordTokens) get(ctx context.Context) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.client.cfg.Now()
	if p.token != "" && now.Before(p.refreshAt) {
		return p.token, nil
	}
	tok, err := p.client.createToken(ctx)
	if err != nil {
		return "", err
	}
	lifetime := tok.ExpiresAt.Sub(now)
	margin := p.client.cfg.TokenRefreshMargin
	if margin > lifetime/2 {
		margin = lifetime / 2
	}
	p.token, p.refreshAt, p.domainID = tok.Value, tok.ExpiresAt.Add(-margin), tok.DomainID
	return p.token, nil
}

// Token is a token as POST /v3/auth/tokens issues it.
type Token struct {
	Value     string
	ExpiresAt time.Time
	DomainID  string
}

// defaultTokenLifetime is assumed when a token's expires_at cannot be read; IAM tokens last 24 h.
const defaultTokenLifetime = time.Hour

// createToken fetches a domain-scoped token for the configured user.
func (c *Client) createToken(ctx context.Context) (*Token, error) {
	user := map[string]any{
		"name":     c.cfg.UserName,
		"password": c.cfg.Password,
		"domain":   map[string]string{"name": c.cfg.DomainName},
	}
	in := map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": user}},
		"scope":    map[string]any{"domain": map[string]string{"name": c.cfg.DomainName}},
	}}
	op := operation{name: OpCreateToken, idempotent: true, method: http.MethodPost, path: "/v3/auth/tokens", ok: []int{http.StatusCreated, http.StatusOK, http.StatusAccepted}}
	resp, err := c.doUnauthenticated(ctx, op, in)
	if err != nil {
		return nil, err
	}
	var out struct {
		Token *struct {
			ExpiresAt string `json:"expires_at"`
			Domain    struct {
				ID string `json:"id"`
			} `json:"domain"`
		} `json:"token"`
	}
	if err := c.decode(op, resp, &out); err != nil {
		return nil, err
	}
	if out.Token == nil {
		return nil, c.badAnswer(op, resp, "it has no token object")
	}
	tok := &Token{Value: resp.Header.Get("X-Subject-Token"), DomainID: out.Token.Domain.ID}
	if tok.Value == "" {
		return nil, c.badAnswer(op, resp, "it has no X-Subject-Token header")
	}
	if t, err := time.Parse(time.RFC3339Nano, out.Token.ExpiresAt); err == nil {
		tok.ExpiresAt = t
	} else {
		tok.ExpiresAt = c.cfg.Now().Add(defaultTokenLifetime)
	}
	return tok, nil
}
