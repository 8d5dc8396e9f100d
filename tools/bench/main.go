// Command bench measures the providers against the fake cloud: their overhead over Terraform's
// own floor, throughput at an API's rate limit, how well they hide API latency, and the memory
// of one provider process. Every figure is a ratio or a rate taken within one run, because the
// machines are noisy. `make bench` runs it; see docs/benchmarks.md for the method.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

type config struct {
	n               int
	rounds          int
	memoryN         int
	parallelism     int
	latency         time.Duration
	latencyParallel int
	limit           int
	outDir          string
	providers       []string
	terraform       string
	// smoke runs every case but judges no target: a check that the benchmark itself works.
	smoke bool
}

func main() {
	var c config
	var providers string
	flag.IntVar(&c.n, "n", 200, "resources per case")
	flag.IntVar(&c.rounds, "rounds", 3, "overhead rounds (floor and provider alternating); the median ratio counts")
	flag.IntVar(&c.memoryN, "memory-n", 1000, "resources refreshed for the memory case (0 skips it)")
	flag.IntVar(&c.parallelism, "parallelism", 50, "terraform -parallelism for the throughput case")
	flag.DurationVar(&c.latency, "latency", 50*time.Millisecond, "latency added to every API call in the latency case")
	flag.IntVar(&c.latencyParallel, "latency-parallelism", 10, "terraform -parallelism for the latency case (10 is terraform's default)")
	flag.IntVar(&c.limit, "limit", 20, "the mock's rate limit (requests per second per operation) in the throughput case")
	flag.StringVar(&c.outDir, "out", ".bench", "working folder; results.json is written there")
	flag.BoolVar(&c.smoke, "smoke", false, "run every case once on tiny inputs and exit 0 whatever the figures (make test uses it)")
	flag.StringVar(&providers, "providers", strings.Join(targetNames(), ","), "providers to measure")
	flag.Parse()
	c.providers = strings.Split(providers, ",")
	if c.smoke {
		c.n, c.memoryN, c.rounds = 5, 5, 1
		c.outDir = filepath.Join(c.outDir, "smoke")
	}
	log.SetFlags(0)

	bin, err := exec.LookPath("terraform")
	if err != nil {
		log.Fatal("bench needs the terraform CLI on PATH; nothing here downloads it")
	}
	c.terraform = bin
	out, err := filepath.Abs(c.outDir)
	if err != nil {
		log.Fatal(err)
	}
	c.outDir = out

	r, err := run(c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(r.table())
	path := filepath.Join(c.outDir, "results.json")
	b, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nwritten to %s\n", path)
	if c.smoke {
		fmt.Println("smoke run: every case ran; targets are not judged on tiny inputs")
		return
	}
	if !r.Pass {
		os.Exit(1)
	}
}

// results is what one run measured.
type results struct {
	Machine  string         `json:"machine"`
	Date     string         `json:"date"`
	Settings map[string]any `json:"settings"`
	Floor    stepTimes      `json:"floor_terraform_data"`
	// Reference is a do-nothing plugin: what the plugin protocol alone costs over the floor.
	Reference overheadResult  `json:"reference_noop_plugin"`
	Targets   []*targetResult `json:"providers"`
	Pass      bool            `json:"all_targets_met"`
}

type stepTimes struct {
	Apply   float64 `json:"apply_s"`
	Plan    float64 `json:"plan_s"`
	Destroy float64 `json:"destroy_s"`
}

func (s stepTimes) total() float64 { return s.Apply + s.Plan + s.Destroy }

type targetResult struct {
	Provider         string    `json:"provider"`
	Steps            stepTimes `json:"steps"`
	OverheadRatio    float64   `json:"overhead_ratio"`
	ThroughputShare  float64   `json:"throughput_share_of_limit"`
	ThroughputRate   float64   `json:"throughput_requests_per_s"`
	Throttled        int       `json:"throttled_responses"`
	Failed           int       `json:"failed_resources"`
	CallsPerResource float64   `json:"api_calls_per_resource"`
	LatencyApply     float64   `json:"latency_apply_s"`
	LatencyIdeal     float64   `json:"latency_ideal_s"`
	LatencyRatio     float64   `json:"latency_ratio"`
	PeakRSSMB        float64   `json:"peak_rss_mb"`
}

// Targets of the issue.
const (
	maxOverhead   = 1.3
	minThroughput = 0.95
	maxLatency    = 1.5
	maxRSSMB      = 100.0
)

func (t *targetResult) pass(memory bool) bool {
	return t.OverheadRatio <= maxOverhead && t.ThroughputShare >= minThroughput && t.Failed == 0 &&
		t.LatencyRatio <= maxLatency && (!memory || t.PeakRSSMB <= maxRSSMB)
}

func (r *results) table() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s\n", r.Machine, r.Date)
	fmt.Fprintf(&b, "floor: %d terraform_data: apply %.2fs, plan %.2fs, destroy %.2fs\n", r.Settings["n"], r.Floor.Apply, r.Floor.Plan, r.Floor.Destroy)
	fmt.Fprintf(&b, "reference: a do-nothing plugin: %.2f × the floor (apply %.2fs, plan %.2fs, destroy %.2fs)\n\n",
		r.Reference.Ratio, r.Reference.Steps.Apply, r.Reference.Steps.Plan, r.Reference.Steps.Destroy)
	fmt.Fprintf(&b, "| provider | overhead vs floor (≤ %.1f) | vs the do-nothing plugin | throughput, share of limit (≥ %.0f%%) | failed | latency vs ideal (≤ %.1f) | API calls per create | peak RSS (≤ %.0f MB) |\n", maxOverhead, minThroughput*100, maxLatency, maxRSSMB)
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, t := range r.Targets {
		rss := "skipped"
		if t.PeakRSSMB > 0 {
			rss = fmt.Sprintf("%.1f MB", t.PeakRSSMB)
		}
		fmt.Fprintf(&b, "| %s | %.2f (apply %.2fs, plan %.2fs, destroy %.2fs) | %.2f | %.1f%% (%.1f req/s, %d throttled) | %d | %.2f (%.2fs / %.2fs) | %.1f | %s |\n",
			t.Provider, t.OverheadRatio, t.Steps.Apply, t.Steps.Plan, t.Steps.Destroy, t.OverheadRatio/r.Reference.Ratio,
			t.ThroughputShare*100, t.ThroughputRate, t.Throttled, t.Failed,
			t.LatencyRatio, t.LatencyApply, t.LatencyIdeal, t.CallsPerResource, rss)
	}
	return b.String()
}

func machine() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				model = strings.TrimSpace(strings.SplitN(line, ":", 2)[1])
				break
			}
		}
	}
	return fmt.Sprintf("%s/%s, %d CPUs %s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), model, runtime.Version())
}
