// Command noop is the benchmark's reference plugin: a terraform-plugin-framework provider whose
// one resource does nothing but keep its arguments in state. Its time over terraform_data is
// what the plugin protocol itself costs, which no real provider can avoid.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}
func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return thing{} }}
}
func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type thing struct{}

type thingModel struct {
	ID   types.String `tfsdk:"id"`
	Name types.String `tfsdk:"name"`
}

func (thing) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_thing"
}

func (thing) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":   schema.StringAttribute{Computed: true, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
		"name": schema.StringAttribute{Required: true},
	}}
}

func (thing) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	m.ID = m.Name
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (thing) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m thingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (thing) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func main() {
	// As the real providers do when no TF_LOG* variable is set: no log lines nobody reads.
	for _, name := range []string{"TF_LOG_PROVIDER_NOOP", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "OFF")
	}
	// bench -profile: CPU and allocation profiles of each process, to compare with the
	// providers'.
	if dir := os.Getenv("PROJECTKIT_PPROF_DIR"); dir != "" {
		var maxLive atomic.Uint64
		go func() {
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for range time.Tick(5 * time.Millisecond) {
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > maxLive.Load() {
					maxLive.Store(v)
				}
			}
		}()
		defer func() {
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("noop-%d.maxlive", os.Getpid())), []byte(strconv.FormatUint(maxLive.Load(), 10)+"\n"), 0o600) //nolint:gosec // G703: the profile folder the benchmark names in its own environment
		}()
		if f, err := os.Create(filepath.Join(dir, fmt.Sprintf("noop-%d.cpu.pprof", os.Getpid()))); err == nil { //nolint:gosec // G703: the profile folder the benchmark names in its own environment
			if err := pprof.StartCPUProfile(f); err == nil {
				defer func() {
					pprof.StopCPUProfile()
					runtime.GC()
					runtime.GC()
					if f, err := os.Create(filepath.Join(dir, fmt.Sprintf("noop-%d.allocs.pprof", os.Getpid()))); err == nil { //nolint:gosec // G703: the profile folder the benchmark names in its own environment
						_ = pprof.Lookup("allocs").WriteTo(f, 0)
						_ = f.Close()
					}
				}()
			}
		}
	}
	err := providerserver.Serve(context.Background(), func() provider.Provider { return noopProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/projectkit/noop"})
	if err != nil {
		log.Fatal(err)
	}
}
