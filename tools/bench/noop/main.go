// Command noop is the benchmark's reference plugin: a terraform-plugin-framework provider whose
// resources do nothing but keep their arguments in state. Its time over terraform_data is what
// the plugin protocol itself costs, which no real provider can avoid.
//
// noop_thing has two attributes. noop_trro_project, noop_iam_project and noop_yunxiao_project
// have the real resources' schemas (the same attributes, validators, plan modifiers, defaults,
// timeouts block and identity) and no code: against them, the benchmark separates what a
// provider's own code costs from what the framework costs for a schema of that size.
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
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao"
)

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}
func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (noopProvider) Resources(context.Context) []func() resource.Resource {
	resources := []func() resource.Resource{func() resource.Resource { return thing{} }}
	for name, newResource := range map[string]func() resource.ResourceWithIdentity{
		"trro": identityResource(trro.NewProjectResource), "iam": identityResource(iam.NewProjectResource), "yunxiao": identityResource(yunxiao.NewProjectResource),
	} {
		resources = append(resources, func() resource.Resource { return sameSchema{name: name, real: newResource()} })
	}
	return resources
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

// sameSchema has the schema and identity schema of a real resource, and does nothing: a create or
// update keeps the plan, with every unknown (computed) value set to a placeholder.
type sameSchema struct {
	name string
	real resource.ResourceWithIdentity
}

// identityResource turns a constructor of a resource with an identity into one typed so.
func identityResource(newResource func() resource.Resource) func() resource.ResourceWithIdentity {
	return func() resource.ResourceWithIdentity {
		r, ok := newResource().(resource.ResourceWithIdentity)
		if !ok {
			panic("the real resources have identities")
		}
		return r
	}
}

var _ resource.ResourceWithIdentity = sameSchema{}

func (s sameSchema) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + s.name + "_project"
}

func (s sameSchema) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	s.real.Schema(ctx, req, resp)
}

func (s sameSchema) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	s.real.IdentitySchema(ctx, req, resp)
}

// placeholderLengths are the lengths of the real provider's values of its computed string
// attributes (bench passes them in placeholderLengthsEnv, as name=length pairs). Terraform's
// local backend writes the whole state again after each resource it changes, so its own time
// grows with the state's size: placeholders as long as the values the API gives (32-character
// ids) leave a state of the provider's size, and the reference then differs from the provider
// only in the provider's code.
var placeholderLengths = parseLengths(os.Getenv(placeholderLengthsEnv))

// placeholderLengthsEnv names the variable that gives placeholderLengths.
const placeholderLengthsEnv = "PROJECTKIT_NOOP_STRING_LENGTHS"

// parseLengths reads "name=length,name=length"; what it cannot read it leaves out.
func parseLengths(s string) map[string]int {
	lengths := map[string]int{}
	for _, pair := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(pair, "=")
		if n, err := strconv.Atoi(value); ok && err == nil && n >= 0 {
			lengths[name] = n
		}
	}
	return lengths
}

// placeholder is the value of an unknown string at path: as long as the real provider's
// value of that top-level attribute where bench said, else "noop".
func placeholder(path *tftypes.AttributePath) string {
	if steps := path.Steps(); len(steps) == 1 {
		if name, ok := steps[0].(tftypes.AttributeName); ok {
			if n, ok := placeholderLengths[string(name)]; ok {
				return strings.Repeat("n", n)
			}
		}
	}
	return "noop"
}

// known replaces unknown values by placeholders of their type.
func known(path *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
	if v.IsKnown() {
		return v, nil
	}
	switch {
	case v.Type().Is(tftypes.String):
		return tftypes.NewValue(tftypes.String, placeholder(path)), nil
	case v.Type().Is(tftypes.Bool):
		return tftypes.NewValue(tftypes.Bool, true), nil
	case v.Type().Is(tftypes.Number):
		return tftypes.NewValue(tftypes.Number, 0), nil
	}
	return tftypes.NewValue(v.Type(), nil), nil
}

// identityOf takes the identity's attributes from the state's attributes of the same names.
func identityOf(state tftypes.Value, identityType tftypes.Type) (tftypes.Value, error) {
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		return tftypes.Value{}, err
	}
	object, ok := identityType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("identity type %s is not an object", identityType)
	}
	values := map[string]tftypes.Value{}
	for name := range object.AttributeTypes {
		values[name] = attrs[name]
	}
	return tftypes.NewValue(identityType, values), nil
}

func (s sameSchema) keep(ctx context.Context, plan tftypes.Value, state *tfsdk.State, identity *tfsdk.ResourceIdentity) error {
	raw, err := tftypes.Transform(plan, known)
	if err != nil {
		return err
	}
	state.Raw = raw
	if identity != nil {
		if identity.Raw, err = identityOf(raw, identity.Schema.Type().TerraformType(ctx)); err != nil {
			return err
		}
	}
	return nil
}

func (s sameSchema) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if err := s.keep(ctx, req.Plan.Raw, &resp.State, resp.Identity); err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
	}
}

// Read keeps the state; Terraform wants an identity back whenever the resource has one.
func (s sameSchema) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsNull() {
		return
	}
	raw, err := identityOf(req.State.Raw, resp.Identity.Schema.Type().TerraformType(ctx))
	if err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
		return
	}
	resp.Identity.Raw = raw
}

func (s sameSchema) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if err := s.keep(ctx, req.Plan.Raw, &resp.State, resp.Identity); err != nil {
		resp.Diagnostics.AddError("noop", err.Error())
	}
}

func (sameSchema) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func main() {
	// As the real providers do when no TF_LOG* variable is set: no log lines nobody reads.
	for _, name := range []string{"TF_LOG_PROVIDER_NOOP", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "OFF")
	}
	// And the same garbage collector settings: against the reference, only the providers'
	// own code differs.
	providerutil.TuneGC(os.LookupEnv)
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
