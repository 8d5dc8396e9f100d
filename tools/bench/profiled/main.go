// Command profiled is the provider program with CPU and allocation profiles, for `bench
// -profile`: each provider process that Terraform starts writes
// <type>-<pid>.cpu.pprof, .allocs.pprof and .goroutine.pprof into $PROJECTKIT_PPROF_DIR when Terraform stops it.
// It serves the providers as main.go does (the type from the executable's name, loggers off
// unless a TF_LOG* variable asks for them), so that the profile is of what users run.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam"
	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
	"github.com/projectkit/terraform-provider-projectkit/internal/trro"
	"github.com/projectkit/terraform-provider-projectkit/internal/yunxiao"
)

var providers = map[string]func(string) func() provider.Provider{
	iam.TypeName:     iam.New,
	trro.TypeName:    trro.New,
	yunxiao.TypeName: yunxiao.New,
}

var executableName = regexp.MustCompile(`^terraform-provider-([a-z0-9]+)`)

func main() {
	m := executableName.FindStringSubmatch(filepath.Base(os.Args[0]))
	if m == nil || providers[m[1]] == nil {
		log.Fatalf("cannot tell the provider type from %s", os.Args[0]) //nolint:gosec // G706: the program's own name, printed once as it exits
	}
	typeName := m[1]
	variables := []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_" + strings.ToUpper(typeName), "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	quiet := true
	for _, name := range variables {
		if os.Getenv(name) != "" {
			quiet = false
		}
	}
	if quiet {
		for _, name := range variables[2:] {
			_ = os.Setenv(name, "OFF")
		}
	}
	// Experiments with the garbage collector of the provider process alone (GOGC and
	// GOMEMLIMIT would also change Terraform's): PROJECTKIT_GCPERCENT, PROJECTKIT_MEMLIMIT_MB.
	if v, err := strconv.Atoi(os.Getenv("PROJECTKIT_GCPERCENT")); err == nil {
		debug.SetGCPercent(v)
	} else {
		providerutil.TuneGC(os.LookupEnv) // as main.go does
	}
	if v, err := strconv.Atoi(os.Getenv("PROJECTKIT_MEMLIMIT_MB")); err == nil {
		debug.SetMemoryLimit(int64(v) << 20)
	}
	dir := os.Getenv("PROJECTKIT_PPROF_DIR")
	var cpu *os.File
	if dir != "" {
		var err error
		cpu, err = os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.cpu.pprof", typeName, os.Getpid()))) //nolint:gosec // G703: the profile folder the benchmark names in its own environment
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			log.Fatal(err)
		}
	}
	// The largest live heap seen (after any GC), written with the profiles.
	var maxLive atomic.Uint64
	if dir != "" {
		go func() {
			sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
			for range time.Tick(5 * time.Millisecond) {
				metrics.Read(sample)
				if v := sample[0].Value.Uint64(); v > maxLive.Load() {
					// A heap profile at each new peak above 24 MB shows what is live then.
					if v > 24<<20 && v > maxLive.Load()+4<<20 {
						for _, name := range []string{"heap", "goroutine"} {
							if f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.peak-%s.pprof", typeName, os.Getpid(), name))); err == nil { //nolint:gosec // G703: the profile folder the benchmark names in its own environment
								_ = pprof.Lookup(name).WriteTo(f, 0)
								_ = f.Close()
							}
						}
					}
					maxLive.Store(v)
				}
			}
		}()
	}
	err := providerserver.Serve(context.Background(), providers[typeName]("dev"), providerserver.ServeOpts{Address: "registry.terraform.io/projectkit/" + typeName})
	if dir != "" {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		// A heap profile shows an allocation only two collections after it was made: with one,
		// the objects of the last requests would show as in use at exit.
		runtime.GC()
		runtime.GC()
		_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.maxlive", typeName, os.Getpid())), []byte(strconv.FormatUint(maxLive.Load(), 10)+"\n"), 0o600) //nolint:gosec // G703: the profile folder the benchmark names in its own environment
		for _, name := range []string{"allocs", "goroutine"} {
			if f, ferr := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%d.%s.pprof", typeName, os.Getpid(), name))); ferr == nil { //nolint:gosec // G703: the profile folder the benchmark names in its own environment
				_ = pprof.Lookup(name).WriteTo(f, 0)
				_ = f.Close()
			}
		}
	}
	if err != nil {
		log.Fatal(err)
	}
}
