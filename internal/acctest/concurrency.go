package acctest

import (
	"context"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ConcurrencyProbe wraps a provider server and records the peak number of PlanResourceChange
// and ApplyResourceChange calls in flight, so a test can prove terraform's -parallelism reached
// the provider. (terraform-plugin-testing always passes -parallelism=10, so tests that need
// more run terraform themselves through Reattach and Workdir.)
type ConcurrencyProbe struct {
	inflight, peak atomic.Int32
}

// Wrap returns server with its resource changes counted.
func (p *ConcurrencyProbe) Wrap(server tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return probedServer{ProviderServer: server, probe: p}
}

// Peak is the most resource changes that were in flight at once.
func (p *ConcurrencyProbe) Peak() int { return int(p.peak.Load()) }

func (p *ConcurrencyProbe) enter() func() {
	n := p.inflight.Add(1)
	for {
		peak := p.peak.Load()
		if n <= peak || p.peak.CompareAndSwap(peak, n) {
			break
		}
	}
	return func() { p.inflight.Add(-1) }
}

type probedServer struct {
	tfprotov6.ProviderServer
	probe *ConcurrencyProbe
}

func (s probedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	defer s.probe.enter()()
	return s.ProviderServer.PlanResourceChange(ctx, req)
}

func (s probedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	defer s.probe.enter()()
	return s.ProviderServer.ApplyResourceChange(ctx, req)
}
