package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// overheadRequestsPerSecond is the client-side limit in the overhead, latency and memory cases:
// the largest the providers accept, so that pacing plays no part there.
const overheadRequestsPerSecond = 1000

// bench is one run's shared setup: the provider binaries and terraform's environment.
type bench struct {
	c      config
	binDir string
	env    []string
	// cpuEnv runs the plugins through tools/bench/cpuwrap (the overhead case).
	cpuEnv []string
}

func run(c config) (*results, error) {
	if err := os.RemoveAll(c.outDir); err != nil {
		return nil, err
	}
	b := &bench{c: c, binDir: filepath.Join(c.outDir, "bin")}
	if err := b.buildProviders(); err != nil {
		return nil, err
	}
	r := &results{
		Machine: machine(),
		Date:    time.Now().UTC().Format(time.RFC3339),
		Settings: map[string]any{
			"n": c.n, "rounds": c.rounds, "memory_n": c.memoryN, "parallelism": c.parallelism, "latency_ms": c.latency.Milliseconds(),
			"latency_parallelism": c.latencyParallel, "limit": c.limit, "refresh_n": c.refreshN, "pipelines": c.pipelines,
			"pipeline_n": c.pipelineN, "pipeline_stagger_s": c.pipelineStagger.Seconds(), "calls_n": c.callsN,
		},
		Pass: true,
	}

	var floors, twoAttribute []stepTimes
	type outcome struct {
		tr           *targetResult
		floors       []stepTimes
		twoAttribute []stepTimes
		pipelines    *pipelinesResult
		err          error
	}
	outcomes := make([]outcome, len(c.providers))
	measureOne := func(i int, name string) {
		t, ok := targets[name]
		if !ok {
			outcomes[i].err = fmt.Errorf("unknown provider %q; known: %s", name, strings.Join(targetNames(), ", "))
			return
		}
		o := &outcomes[i]
		if o.tr, o.floors, o.twoAttribute, o.err = b.measure(t); o.err != nil {
			o.err = fmt.Errorf("%s: %w", name, o.err)
			return
		}
		if c.pipelines > 0 {
			if o.pipelines, o.err = b.pipelines(t); o.err != nil {
				o.err = fmt.Errorf("%s: many pipelines: %w", name, o.err)
			}
		}
	}
	if c.smoke {
		// The smoke run checks that every case works, not figures: the providers run side by
		// side so that make test stays short.
		var wg sync.WaitGroup
		for i, name := range c.providers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				measureOne(i, name)
			}()
		}
		wg.Wait()
	} else {
		for i, name := range c.providers {
			measureOne(i, name)
			if outcomes[i].err != nil {
				break
			}
		}
	}
	for _, o := range outcomes {
		if o.err != nil {
			return nil, o.err
		}
		floors, twoAttribute = append(floors, o.floors...), append(twoAttribute, o.twoAttribute...)
		r.Targets = append(r.Targets, o.tr)
		r.Pass = r.Pass && o.tr.pass(c)
		if o.pipelines != nil {
			o.pipelines.AloneShare = o.tr.ThroughputShare
			r.Pipelines = append(r.Pipelines, o.pipelines)
			r.Pass = r.Pass && o.pipelines.pass(c.has("throughput"))
		}
	}
	r.Floor = medianSteps(floors)
	if len(twoAttribute) > 0 {
		r.TwoAttribute.Steps = medianSteps(twoAttribute)
		var ratios []float64
		for i, f := range floors {
			if i < len(twoAttribute) && f.total() > 0 {
				ratios = append(ratios, twoAttribute[i].total()/f.total())
			}
		}
		r.TwoAttribute.Ratio = median(ratios)
		r.TwoAttribute.RatioRounds = ratios
	}
	return r, nil
}

// floorConfig is the same number of terraform_data resources: Terraform's own cost, the floor
// of what any provider can reach.
func floorConfig(n int) string {
	return fmt.Sprintf("resource \"terraform_data\" \"bench\" {\n  count = %d\n  input = \"bench-${count.index}\"\n}\n", n)
}

func median(values []float64) float64 {
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	if len(v) == 0 {
		return 0
	}
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

func medianSteps(all []stepTimes) stepTimes {
	var apply, plan, destroy, terraformCPU, pluginCPU, mockCPU []float64
	for _, s := range all {
		apply, plan, destroy = append(apply, s.Apply), append(plan, s.Plan), append(destroy, s.Destroy)
		terraformCPU, pluginCPU, mockCPU = append(terraformCPU, s.TerraformCPU), append(pluginCPU, s.PluginCPU), append(mockCPU, s.MockCPU)
	}
	return stepTimes{Apply: median(apply), Plan: median(plan), Destroy: median(destroy),
		TerraformCPU: median(terraformCPU), PluginCPU: median(pluginCPU), MockCPU: median(mockCPU)}
}

// buildProviders builds the provider program once and names a copy for every provider type,
// builds the do-nothing reference plugin (tools/bench/noop), and writes a CLI configuration whose dev_overrides
// point terraform at them. A second folder, bin/cpu, holds tools/bench/cpuwrap under every
// plugin's name, each running the plugin of its name in bin, with a CLI configuration of its
// own: the overhead case runs through them to tell the plugins' CPU time from Terraform's.
func (b *bench) buildProviders() error {
	providerPkg := "."
	if b.c.profile != "" {
		providerPkg = "./tools/bench/profiled"
	}
	cpuDir := filepath.Join(b.binDir, "cpu")
	plugins := append(targetNames(), "noop")
	for _, name := range plugins {
		// The same program under each type's name; the second and third builds come from cache.
		pkg := providerPkg
		if name == "noop" {
			pkg = "./tools/bench/noop"
		}
		if err := goBuild(filepath.Join(b.binDir, "terraform-provider-"+name), pkg); err != nil {
			return err
		}
	}
	// One build of the wrapper, linked under every plugin's name.
	wrapper := filepath.Join(cpuDir, "cpuwrap")
	if err := goBuild(wrapper, "./tools/bench/cpuwrap"); err != nil {
		return err
	}
	for _, name := range plugins {
		link := filepath.Join(cpuDir, "terraform-provider-"+name)
		_ = os.Remove(link)
		if err := os.Link(wrapper, link); err != nil {
			return err
		}
	}
	b.env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	if b.c.profile != "" {
		b.env = append(b.env, "PROJECTKIT_PPROF_DIR="+b.c.profile)
	}
	env := b.env
	for _, cli := range []struct {
		into     *[]string
		rc, from string
	}{{&b.env, "terraformrc", b.binDir}, {&b.cpuEnv, "terraformrc-cpu", cpuDir}} {
		var overrides strings.Builder
		for _, name := range plugins {
			fmt.Fprintf(&overrides, "    \"registry.terraform.io/projectkit/%s\" = %q\n", name, cli.from)
		}
		rc := filepath.Join(b.c.outDir, cli.rc)
		if err := os.WriteFile(rc, []byte("provider_installation {\n  dev_overrides {\n"+overrides.String()+"  }\n  direct {}\n}\n"), 0o600); err != nil {
			return err
		}
		*cli.into = append(slices.Clone(env), "TF_CLI_CONFIG_FILE="+rc)
	}
	return nil
}

// goBuild builds the package pkg of this module into out.
func goBuild(out, pkg string) error {
	build := exec.Command("go", "build", "-o", out, pkg) //nolint:gosec // G204: paths and packages of this program's own
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building %s: %w", pkg, err)
	}
	return nil
}

// workdir makes a fresh terraform working directory holding main.tf.
func (b *bench) workdir(name, hcl string) (string, error) {
	dir := filepath.Join(b.c.outDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600)
}

// terraform runs one command in dir and returns its wall time.
func (b *bench) terraform(dir string, args ...string) (time.Duration, error) {
	elapsed, _, err := b.terraformWith(b.env, dir, args...)
	return elapsed, err
}

// terraformWith runs one command in dir with env and returns its wall time and how it ended.
func (b *bench) terraformWith(env []string, dir string, args ...string) (time.Duration, *os.ProcessState, error) {
	cmd := exec.Command(b.c.terraform, args...) //nolint:gosec // G204: terraform is found by exec.LookPath; the arguments are this program's own
	cmd.Dir, cmd.Env = dir, env
	start := time.Now()
	out, err := cmd.CombinedOutput()
	elapsed := time.Since(start)
	if err != nil {
		return elapsed, cmd.ProcessState, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(string(out)))
	}
	return elapsed, cmd.ProcessState, nil
}

// steps times apply, a refreshing no-change plan, and destroy, and adds up the CPU time they
// cost: Terraform's own, the plugin processes' and this process's (the in-process mock's).
func (b *bench) steps(name, hcl string, env ...string) (stepTimes, error) {
	var st stepTimes
	dir, err := b.workdir(name, hcl)
	if err != nil {
		return st, err
	}
	for _, s := range []struct {
		name string
		into *float64
		args []string
	}{
		{"apply", &st.Apply, []string{"apply", "-auto-approve", "-input=false", "-no-color"}},
		{"plan", &st.Plan, []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}},
		{"destroy", &st.Destroy, []string{"destroy", "-auto-approve", "-input=false", "-no-color"}},
	} {
		cpuFile := filepath.Join(dir, "plugin-cpu-"+s.name)
		benchBefore := ownCPU()
		elapsed, ended, err := b.terraformWith(append(slices.Concat(b.cpuEnv, env), "PROJECTKIT_BENCH_CPU_FILE="+cpuFile), dir, s.args...)
		if err != nil {
			return st, err
		}
		*s.into = elapsed.Seconds()
		plugins, err := pluginCPU(cpuFile)
		if err != nil {
			return st, err
		}
		// Terraform waits for its plugins, so its usage includes theirs (and cpuwrap's, a few ms).
		own := (ended.UserTime() + ended.SystemTime()).Seconds() - plugins
		if own < 0 {
			return st, fmt.Errorf("terraform %s: the plugins' CPU time (%.2fs) exceeds the command's (%.2fs): a plugin was not waited for", s.name, plugins, own+plugins)
		}
		st.TerraformCPU += own
		st.PluginCPU += plugins
		if !b.c.smoke {
			// The smoke run measures the providers side by side in this one process.
			st.MockCPU += ownCPU() - benchBefore
		}
	}
	return st, nil
}

// pluginCPU adds up the CPU time tools/bench/cpuwrap recorded in file, in seconds; none when
// no plugin ran (terraform_data).
func pluginCPU(file string) (float64, error) {
	b, err := os.ReadFile(file) //nolint:gosec // G304: a file in this program's own working folder
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var total float64
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var name string
		var user, sys int64
		if _, err := fmt.Sscan(line, &name, &user, &sys); err != nil {
			return 0, fmt.Errorf("%s: %q: %w", file, line, err)
		}
		total += float64(user+sys) / 1e6
	}
	return total, nil
}

// ownCPU is the CPU time this process (with the mocks it serves) has used, in seconds.
func ownCPU() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return float64(u.Utime.Nano()+u.Stime.Nano()) / 1e9
}

// overheadResult is case 1 for one configuration.
type overheadResult struct {
	Steps stepTimes `json:"steps"`
	// Ratio is the median, over the rounds, of this configuration's time over terraform_data's.
	Ratio float64 `json:"overhead_ratio"`
	// VsSameSchema is the same over the do-nothing resource with the provider's schema: what
	// the provider's code costs over any plugin serving that schema (issue 17.5), and SameSchema
	// that resource's steps (medians).
	VsSameSchema float64   `json:"overhead_vs_same_schema,omitempty"`
	SameSchema   stepTimes `json:"same_schema_steps"`
	// PlaceholderLengths are the lengths of the provider's string values (name=length pairs)
	// that the same-schema resource's placeholders take (placeholderLengths).
	PlaceholderLengths string `json:"same_schema_placeholder_lengths,omitempty"`
	// VsTwoAttribute is the same over the two-attribute do-nothing resource (shown, not judged),
	// and SchemaCost the median of the same-schema resource's time over that one's: what
	// Terraform and the framework cost for the schema.
	VsTwoAttribute float64 `json:"overhead_vs_two_attribute,omitempty"`
	SchemaCost     float64 `json:"schema_cost,omitempty"`
	// The ratios of every round, whose medians are above.
	RatioRounds          []float64 `json:"overhead_ratio_rounds,omitempty"`
	VsSameSchemaRounds   []float64 `json:"overhead_vs_same_schema_rounds,omitempty"`
	VsTwoAttributeRounds []float64 `json:"overhead_vs_two_attribute_rounds,omitempty"`
}

// sameSchemaConfig is hcl with the provider's resources served by the do-nothing plugin's
// resource of the same schema (noop_<name>_project), without the provider block.
func sameSchemaConfig(name, resources string) string {
	return requiredProvider("noop") + strings.ReplaceAll(resources, fmt.Sprintf("%q", name+"_project"), fmt.Sprintf("%q", "noop_"+name+"_project"))
}

// twoAttributeConfig is n of the do-nothing plugin's two-attribute resource.
func twoAttributeConfig(n int) string {
	return requiredProvider("noop") + fmt.Sprintf("resource \"noop_thing\" \"bench\" {\n  count = %d\n  name  = \"bench-${count.index}\"\n}\n", n)
}

// overhead times hcl's apply, plan and destroy, and the same steps, in every round, for the
// do-nothing resource of the same schema (sameSchemaHCL, the judged reference), the
// two-attribute do-nothing resource and terraform_data. The provider and its same-schema
// reference run back to back, in alternating order (odd rounds: two-attribute, same schema,
// provider; even rounds the reverse), so that a machine that slows down or speeds up affects
// both sides of each ratio alike: the ratios are taken per round (not as quotients of medians
// measured minutes apart, which a busy machine skews), and their median counts.
func (b *bench) overhead(name, hcl, sameSchemaHCL string, sameSchemaEnv []string) (result overheadResult, floors, twoAttribute []stepTimes, err error) {
	c := b.c
	var measured, sameSchemas []stepTimes
	var vsFloor, vsTwoAttribute, vsSameSchema, schemaCosts []float64
	for round := 1; round <= c.rounds; round++ {
		log.Printf("%s: overhead round %d/%d: %d resources each of terraform_data, the two-attribute do-nothing resource, the do-nothing resource of the same schema and the provider",
			name, round, c.rounds, c.n)
		var floor, twoAttr, sameSchema, steps stepTimes
		runs := []struct {
			name, hcl string
			into      *stepTimes
			env       []string
		}{{"noop", twoAttributeConfig(c.n), &twoAttr, nil}, {"noop-same-schema", sameSchemaHCL, &sameSchema, sameSchemaEnv}, {"overhead", hcl, &steps, nil}}
		if c.smoke {
			// The smoke run judges no ratio: the references and terraform_data are skipped.
			runs = runs[2:]
		} else if floor, err = b.steps(fmt.Sprintf("%s-floor-%d", name, round), floorConfig(c.n)); err != nil {
			return result, nil, nil, err
		}
		if round%2 == 0 {
			slices.Reverse(runs)
		}
		for _, r := range runs {
			if *r.into, err = b.steps(fmt.Sprintf("%s-%s-%d", name, r.name, round), r.hcl, r.env...); err != nil {
				return result, nil, nil, fmt.Errorf("%s: %w", r.name, err)
			}
		}
		floors, measured = append(floors, floor), append(measured, steps)
		if floor.total() > 0 {
			vsFloor = append(vsFloor, steps.total()/floor.total())
		}
		if twoAttr.total() > 0 {
			twoAttribute = append(twoAttribute, twoAttr)
			vsTwoAttribute = append(vsTwoAttribute, steps.total()/twoAttr.total())
		}
		if sameSchema.total() > 0 {
			sameSchemas = append(sameSchemas, sameSchema)
			vsSameSchema = append(vsSameSchema, steps.total()/sameSchema.total())
			if twoAttr.total() > 0 {
				schemaCosts = append(schemaCosts, sameSchema.total()/twoAttr.total())
			}
		}
	}
	result = overheadResult{Steps: medianSteps(measured), Ratio: median(vsFloor), VsSameSchema: median(vsSameSchema),
		SameSchema: medianSteps(sameSchemas), VsTwoAttribute: median(vsTwoAttribute), SchemaCost: median(schemaCosts),
		RatioRounds: vsFloor, VsSameSchemaRounds: vsSameSchema, VsTwoAttributeRounds: vsTwoAttribute}
	return result, floors, twoAttribute, nil
}

// placeholderLengthsEnv gives the reference plugin the lengths of the provider's string values
// (tools/bench/noop's placeholderLengths).
const placeholderLengthsEnv = "PROJECTKIT_NOOP_STRING_LENGTHS"

// placeholderLengths applies one resource of the provider's configuration (untimed, then
// destroyed) and returns the lengths of the string values in its state, as the reference plugin
// takes them: its placeholders for computed values are then as long as the values the API
// gives, and its state is as large as the provider's.
func (b *bench) placeholderLengths(name string, m *mockRun) (string, error) {
	dir, err := b.workdir(name+"-lengths", m.providerBlock(overheadRequestsPerSecond)+m.resources(1, "", ""))
	if err != nil {
		return "", err
	}
	if _, err := b.terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return "", err
	}
	lengths, err := stringLengths(filepath.Join(dir, "terraform.tfstate"))
	if _, destroyErr := b.terraform(dir, "destroy", "-auto-approve", "-input=false", "-no-color"); err == nil {
		err = destroyErr
	}
	return lengths, err
}

// stringLengths returns the lengths of the string attributes of a state file's first resource
// instance, as name=length pairs sorted by name.
func stringLengths(stateFile string) (string, error) {
	raw, err := os.ReadFile(stateFile) //nolint:gosec // G304: a file in this program's own working folder
	if err != nil {
		return "", err
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				Attributes map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		return "", fmt.Errorf("%s: %w", stateFile, err)
	}
	if len(state.Resources) == 0 || len(state.Resources[0].Instances) == 0 {
		return "", fmt.Errorf("%s holds no resource instance", stateFile)
	}
	var pairs []string
	for name, v := range state.Resources[0].Instances[0].Attributes {
		if s, ok := v.(string); ok {
			pairs = append(pairs, fmt.Sprintf("%s=%d", name, len(s)))
		}
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ","), nil
}

func (b *bench) measure(t target) (tr *targetResult, floors, twoAttribute []stepTimes, err error) {
	c := b.c
	tr = &targetResult{Provider: t.name}

	if c.has("overhead") {
		m := t.start(0, 0)
		var lengths string
		if !c.smoke {
			// The smoke run has no references.
			if lengths, err = b.placeholderLengths(t.name, m); err != nil {
				m.close()
				return nil, nil, nil, err
			}
		}
		resources := m.resources(c.n, "", "")
		overhead, f, twoAttr, err := b.overhead(t.name, m.providerBlock(overheadRequestsPerSecond)+resources, sameSchemaConfig(t.name, resources),
			[]string{placeholderLengthsEnv + "=" + lengths})
		m.close()
		if err != nil {
			return nil, nil, nil, err
		}
		tr.overheadResult = overhead
		tr.PlaceholderLengths = lengths
		floors, twoAttribute = f, twoAttr
	}
	if c.has("throughput") {
		if err := b.throughput(t, tr); err != nil {
			return nil, nil, nil, err
		}
	}
	if c.has("latency") {
		if err := b.latencyCase(t, tr); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := b.memoryAndRefresh(t, tr); err != nil {
		return nil, nil, nil, err
	}
	if c.callsN > 0 {
		if tr.Calls, err = b.calls(t); err != nil {
			return nil, nil, nil, err
		}
	}
	return tr, floors, twoAttribute, nil
}

// throughput is case 2: N creates at -parallelism against the mock's rate limit.
func (b *bench) throughput(t target, tr *targetResult) error {
	c := b.c
	log.Printf("%s: throughput, %d creates at -parallelism=%d against %d requests/s", t.name, c.n, c.parallelism, c.limit)
	m := t.start(c.limit, 0)
	dir, err := b.workdir(t.name+"-throughput", m.providerBlock(c.limit)+m.resources(c.n, "", ""))
	if err == nil {
		_, err = b.terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", c.parallelism))
	}
	st := m.createStats()
	tr.Failed = c.n - m.projects()
	m.close()
	if err != nil && tr.Failed == 0 {
		return err
	}
	if span := st.Last.Sub(st.First).Seconds(); span > 0 {
		tr.ThroughputRate = float64(st.Requests-st.Throttled-1) / span
	}
	tr.ThroughputShare = tr.ThroughputRate / float64(c.limit)
	tr.Throttled = st.Throttled
	return nil
}

// latencyCase is case 3: N creates with a latency per call at terraform's default parallelism.
func (b *bench) latencyCase(t target, tr *targetResult) error {
	c := b.c
	log.Printf("%s: latency, %d creates with %s per call at -parallelism=%d", t.name, c.n, c.latency, c.latencyParallel)
	m := t.start(0, c.latency)
	dir, err := b.workdir(t.name+"-latency", m.providerBlock(overheadRequestsPerSecond)+m.resources(c.n, "", ""))
	var d time.Duration
	if err == nil {
		d, err = b.terraform(dir, "apply", "-auto-approve", "-input=false", "-no-color", fmt.Sprintf("-parallelism=%d", c.latencyParallel))
	}
	calls := m.requests()
	m.close()
	if err != nil {
		return err
	}
	// The ideal counts the calls the provider really made (shown in the table, so waste shows):
	// each takes the latency, and -parallelism of them overlap; on top comes the same apply's time
	// without latency (the overhead case's), the work that no latency hiding can remove. Without
	// it a provider that makes fewer calls would look worse at hiding them.
	tr.CallsPerResource = float64(calls) / float64(c.n)
	tr.LatencyApply = d.Seconds()
	tr.LatencyIdeal = (time.Duration(calls) * c.latency / time.Duration(c.latencyParallel)).Seconds() + tr.Steps.Apply
	tr.LatencyRatio = tr.LatencyApply / tr.LatencyIdeal
	return nil
}

// peakRSS runs fn and returns the highest peak resident set (VmHWM, in kB) of any process
// running the executable at exe meanwhile.
func (b *bench) peakRSS(exe string, fn func() error) (int64, error) {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			for _, kb := range hwmOf(exe) {
				mu.Lock()
				peak = max(peak, kb)
				mu.Unlock()
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	err := fn()
	close(done)
	wg.Wait()
	if err == nil && peak == 0 {
		err = fmt.Errorf("no provider process running %s was seen", exe)
	}
	return peak, err
}

// hwmOf returns VmHWM of every process whose executable is exe.
func hwmOf(exe string) []int64 {
	entries, _ := os.ReadDir("/proc")
	var out []int64
	for _, e := range entries {
		pid := e.Name()
		if _, err := strconv.Atoi(pid); err != nil {
			continue
		}
		if target, err := os.Readlink(filepath.Join("/proc", pid, "exe")); err != nil || target != exe {
			continue
		}
		f, err := os.Open(filepath.Join("/proc", pid, "status"))
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
				kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
				out = append(out, kb)
			}
		}
		_ = f.Close()
	}
	return out
}

// tail is the end of a command's output, enough to show why it failed.
func tail(s string) string {
	const n = 3000
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}
