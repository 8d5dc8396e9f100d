// Package mockserver is the plumbing the clouds' mock servers share: counting requests per
// operation, a per-operation rate window, and fault injection (throttling, 5xx, reset
// connections, slow answers, and answers lost after the server acted). Each cloud's mock keeps
// its own state, signature checks and envelopes.
package mockserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// FaultKind says what an injected fault does to one request.
type FaultKind int

const (
	// Throttle answers with the cloud's throttling error; the server does not act.
	Throttle FaultKind = iota + 1
	// ServerError answers with the cloud's 5xx envelope and Status; the server does not act.
	ServerError
	// ResetConnection drops the connection without an answer; the server does not act.
	ResetConnection
	// Delay waits Delay before handling the request normally (or until the client gives up).
	Delay
	// LoseResponse handles the request (state changes), then drops the connection unanswered.
	LoseResponse
	// RawAnswer answers Status (200 when zero) with Body and the cloud's content type, without
	// acting: a broken or untrustworthy answer (empty, not JSON, no project, another project).
	RawAnswer
	// ActThenRawAnswer handles the request (state changes), then answers Status (200 when
	// zero) with Body instead of the real answer: a create whose answer is garbled.
	ActThenRawAnswer
	// Redirect answers Status (307 when zero) with a Location header of Location, without
	// acting.
	Redirect
	// Rewrite handles the request, then answers with what Edit makes of the real body (same
	// status): e.g. an answer that names another project than the one asked for.
	Rewrite
	// Hold handles the request (state changes), then holds the real answer back for Delay or
	// until the client hangs up: a call that took effect but whose answer comes too late, as
	// when Ctrl-C or the resource's timeout ends a create in flight.
	Hold
)

// Fault is one injected misbehaviour, used up by one request.
type Fault struct {
	Kind   FaultKind
	Status int
	// Delay is how long a Delay fault waits before handling the request, and a Hold fault
	// before answering.
	Delay time.Duration
	// Body is what RawAnswer and ActThenRawAnswer send.
	Body string
	// Location is where Redirect points.
	Location string
	// Edit turns the real answer's body into what Rewrite sends.
	Edit func(body []byte) []byte
	// Before, when set, runs as the fault is used, before it acts: e.g. someone else's
	// look-alike project appears while the create is in flight (with the mock's PutProject).
	Before func()
}

// Responder writes a cloud's own envelopes for injected throttling and server errors.
type Responder interface {
	WriteThrottled(w http.ResponseWriter, r *http.Request)
	WriteServerError(w http.ResponseWriter, r *http.Request, status int)
}

// AnyOperation queues a fault for whichever operation comes next.
const AnyOperation = ""

// Base is embedded by every cloud's mock. Its zero value is ready: no rate limit, no faults.
type Base struct {
	mu        sync.Mutex
	faults    map[string][]Fault
	counts    map[string]int
	rateLimit int
	latency   time.Duration
	hits      map[string][]time.Time
	stats     map[string]*Stats
	creations []Creation
}

// Creation is a project a mock's create operation made, and when (the benchmark's per-run
// intervals).
type Creation struct {
	Name string
	At   time.Time
}

// Created records that the create operation made the project called name, now.
func (b *Base) Created(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.creations = append(b.creations, Creation{Name: name, At: time.Now()})
}

// Creations returns the projects the create operation made, in creation order (deleted ones
// too).
func (b *Base) Creations() []Creation {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.creations)
}

// SetLatency makes every request wait d before it is handled, as a distant API would.
func (b *Base) SetLatency(d time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.latency = d
}

// Stats describe the requests of one operation, for rate and throttling assertions.
type Stats struct {
	// Requests counts every request that arrived; Throttled those refused by the rate window.
	Requests, Throttled int
	// First and Last are when the first and the last request arrived.
	First, Last time.Time
}

// Inject queues faults for operation (or AnyOperation); each is used by one request, in order.
func (b *Base) Inject(operation string, faults ...Fault) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.faults == nil {
		b.faults = map[string][]Fault{}
	}
	b.faults[operation] = append(b.faults[operation], faults...)
}

// ClearFaults drops every queued fault.
func (b *Base) ClearFaults() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.faults = nil
}

// SetRateLimit makes the mock refuse more than perSecond requests of one operation in any one
// second, as the clouds document; 0 turns it off.
func (b *Base) SetRateLimit(perSecond int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rateLimit = perSecond
	b.hits = nil
}

// Requests returns how many requests of operation arrived (AnyOperation: all of them).
func (b *Base) Requests(operation string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if operation == AnyOperation {
		total := 0
		for _, n := range b.counts {
			total += n
		}
		return total
	}
	return b.counts[operation]
}

// OperationStats returns a copy of the statistics of operation.
func (b *Base) OperationStats(operation string) Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	if st := b.stats[operation]; st != nil {
		return *st
	}
	return Stats{}
}

// admit counts the request and returns the fault to apply, if any; throttled says the rate
// window is full.
func (b *Base) admit(operation string, now time.Time) (fault Fault, hasFault, throttled bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.counts == nil {
		b.counts = map[string]int{}
	}
	b.counts[operation]++
	if b.stats == nil {
		b.stats = map[string]*Stats{}
	}
	st := b.stats[operation]
	if st == nil {
		st = &Stats{First: now}
		b.stats[operation] = st
	}
	st.Requests++
	st.Last = now
	for _, key := range []string{operation, AnyOperation} {
		if q := b.faults[key]; len(q) > 0 {
			fault, hasFault = q[0], true
			b.faults[key] = q[1:]
			break
		}
	}
	if b.rateLimit > 0 {
		if b.hits == nil {
			b.hits = map[string][]time.Time{}
		}
		window := now.Add(-time.Second)
		kept := b.hits[operation][:0]
		for _, t := range b.hits[operation] {
			if t.After(window) {
				kept = append(kept, t)
			}
		}
		if len(kept) >= b.rateLimit {
			b.hits[operation] = kept
			st.Throttled++
			return fault, hasFault, true
		}
		b.hits[operation] = append(kept, now)
	}
	return fault, hasFault, false
}

// Serve runs the shared pipeline for one request of operation: count it, apply a queued fault
// or the rate window, then let handle act and answer.
func (b *Base) Serve(w http.ResponseWriter, r *http.Request, operation string, resp Responder, handle http.HandlerFunc) {
	fault, hasFault, throttled := b.admit(operation, time.Now())
	// Reading the body first lets net/http notice a client that hangs up during a Delay (it
	// watches the connection only once the body is consumed), so the request's context ends.
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	b.mu.Lock()
	latency := b.latency
	b.mu.Unlock()
	if latency > 0 && transport.Sleep(r.Context(), latency) != nil {
		return
	}
	if hasFault {
		if fault.Before != nil {
			fault.Before()
		}
		switch fault.Kind {
		case Throttle:
			resp.WriteThrottled(w, r)
			return
		case ServerError:
			resp.WriteServerError(w, r, fault.Status)
			return
		case ResetConnection:
			dropConnection(w)
			return
		case Delay:
			if transport.Sleep(r.Context(), fault.Delay) != nil {
				return
			}
		case LoseResponse:
			handle(httptest.NewRecorder(), r)
			dropConnection(w)
			return
		case RawAnswer:
			writeRaw(w, fault.Status, http.StatusOK, fault.Body)
			return
		case ActThenRawAnswer:
			handle(httptest.NewRecorder(), r)
			writeRaw(w, fault.Status, http.StatusOK, fault.Body)
			return
		case Redirect:
			w.Header().Set("Location", fault.Location)
			writeRaw(w, fault.Status, http.StatusTemporaryRedirect, "")
			return
		case Rewrite, Hold:
			rec := httptest.NewRecorder()
			handle(rec, r)
			if fault.Kind == Hold && transport.Sleep(r.Context(), fault.Delay) != nil {
				return
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			body := rec.Body.Bytes()
			if fault.Edit != nil {
				body = fault.Edit(body)
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
			return
		}
	}
	if throttled {
		resp.WriteThrottled(w, r)
		return
	}
	handle(w, r)
}

func writeRaw(w http.ResponseWriter, status, def int, body string) {
	if status == 0 {
		status = def
	}
	if body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// dropConnection closes the client's connection with a TCP reset and no HTTP answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("mockserver: the response writer cannot be hijacked")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// RequestID returns a fresh id in the UUID shape the clouds use.
func RequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// RandomString returns n characters drawn from alphabet.
func RandomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// Times returns n copies of f, e.g. throttling that outlasts a create's timeout.
func Times(f Fault, n int) []Fault {
	out := make([]Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}
