package providerutil

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
)

// CheckedCredentials remembers the credential sets a provider has checked at configure:
// Terraform configures the provider for every command (and a test process several times), and a
// set proved once stays good for the process, so each set costs one call. Its zero value is
// ready; each provider keeps one.
type CheckedCredentials struct{ keys sync.Map }

// CredentialKey identifies a credential set, with where it is sent and how (endpoint, TLS
// settings), without keeping the secrets themselves.
func CredentialKey(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// Checked reports whether the credential set key was proved before.
func (c *CheckedCredentials) Checked(key string) bool {
	_, ok := c.keys.Load(key)
	return ok
}

// Remember records that the credential set key was proved.
func (c *CheckedCredentials) Remember(key string) { c.keys.Store(key, struct{}{}) }

// RememberAnswer records that the credential set key was proved, keeping what the check
// answered (e.g. the organizations the key can see) for later configurations of the process.
func (c *CheckedCredentials) RememberAnswer(key string, answer any) { c.keys.Store(key, answer) }

// Answer returns what RememberAnswer kept for key, and whether key was proved.
func (c *CheckedCredentials) Answer(key string) (any, bool) { return c.keys.Load(key) }
