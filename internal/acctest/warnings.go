package acctest

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Warnings records what terraform prints but terraform-plugin-testing does not expose: the
// warnings of the provider's configuration, plans and applies, and how often the provider was
// configured (once per terraform command that needs the API). Its zero value is ready; Wrap
// the provider servers whose warnings it should keep.
type Warnings struct {
	mu                     sync.Mutex
	configure, plan, apply []string
	configures             int
}

// Wrap returns server with its warnings recorded.
func (w *Warnings) Wrap(server tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return recordedServer{ProviderServer: server, w: w}
}

// Configure returns the warnings of the provider's configuration so far, as summary, a line
// break and detail.
func (w *Warnings) Configure() []string { return w.get(&w.configure) }

// Plan returns the warnings the plans returned so far.
func (w *Warnings) Plan() []string { return w.get(&w.plan) }

// Apply returns the warnings the applies returned so far.
func (w *Warnings) Apply() []string { return w.get(&w.apply) }

// Configures returns how often the provider was configured so far.
func (w *Warnings) Configures() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.configures
}

func (w *Warnings) get(from *[]string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), *from...)
}

func (w *Warnings) keep(into *[]string, diags []*tfprotov6.Diagnostic) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityWarning {
			*into = append(*into, d.Summary+"\n"+d.Detail)
		}
	}
}

type recordedServer struct {
	tfprotov6.ProviderServer
	w *Warnings
}

// The list resource calls (Terraform 1.14's terraform query) are an interface of their own
// beside ProviderServer, which embedding alone would hide: Terraform would be told the provider
// does not implement them.
var _ tfprotov6.ListResourceServer = recordedServer{}

func (s recordedServer) lister() (tfprotov6.ListResourceServer, error) {
	l, ok := s.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		return nil, fmt.Errorf("the wrapped provider server %T has no list resources", s.ProviderServer)
	}
	return l, nil
}

func (s recordedServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	l, err := s.lister()
	if err != nil {
		return nil, err
	}
	return l.ValidateListResourceConfig(ctx, req)
}

func (s recordedServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	l, err := s.lister()
	if err != nil {
		return nil, err
	}
	return l.ListResource(ctx, req)
}

func (s recordedServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	resp, err := s.ProviderServer.ConfigureProvider(ctx, req)
	s.w.mu.Lock()
	s.w.configures++
	s.w.mu.Unlock()
	if resp != nil {
		s.w.keep(&s.w.configure, resp.Diagnostics)
	}
	return resp, err
}

func (s recordedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		s.w.keep(&s.w.plan, resp.Diagnostics)
	}
	return resp, err
}

func (s recordedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		s.w.keep(&s.w.apply, resp.Diagnostics)
	}
	return resp, err
}
