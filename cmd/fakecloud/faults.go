package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// faults serves an API with a share of its requests failing, drawn at random for each request:
// throttled (the cloud's throttling envelope), a server error (its HTTP 503 envelope), or, for
// project creates, a lost answer (the mock creates the project, then the connection drops with
// no answer, through the mock's own mockserver.LoseResponse). A throttled or failed request
// waits the API's latency like any other and never reaches the mock's state.
type faults struct {
	api   *api
	knobs *knobs

	mu  sync.Mutex
	rnd *rand.Rand
}

// newFaults wraps the API's mock.
func newFaults(a *api, k *knobs) *faults {
	rnd := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())) //nolint:gosec // G404: fault injection, not security
	return &faults{api: a, knobs: k, rnd: rnd}
}

// draw returns a number in [0, 1).
func (f *faults) draw() float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rnd.Float64()
}

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := f.draw()
	switch {
	case x < f.knobs.throttle:
		if sleep(r.Context(), f.knobs.latency) {
			f.api.mock.WriteThrottled(w, r)
		}
		return
	case x < f.knobs.throttle+f.knobs.serverError:
		if sleep(r.Context(), f.knobs.latency) {
			f.api.mock.WriteServerError(w, r, http.StatusServiceUnavailable)
		}
		return
	}
	if f.knobs.loseCreate > 0 {
		if op := f.api.createOp(r); op != "" && f.draw() < f.knobs.loseCreate {
			// Queued for this operation; the mock applies it to the next create it handles,
			// which is this one unless another create arrived at the same instant.
			f.api.mock.Inject(op, mockserver.Fault{Kind: mockserver.LoseResponse})
		}
	}
	f.api.mock.ServeHTTP(w, r)
}

// sleep waits d, or until ctx ends; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
