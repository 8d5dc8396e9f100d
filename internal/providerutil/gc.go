package providerutil

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Garbage collection of a provider process. The process lives for one Terraform command and,
// for most commands, its live heap is small, so Go's default (collect whenever the heap has
// doubled) runs the collector every few megabytes, a share of the provider's CPU measured in
// docs/benchmarks.md. While the live heap is small, collecting at five times it within a 64 MiB
// soft limit spends less CPU; once the live heap passes half the limit (large states), the limit
// would make the collector run more often than the default does, so the default comes back for
// the rest of the process.
const (
	gcPercent     = 400
	gcHeapCeiling = 64 << 20
	gcSmallHeap   = gcHeapCeiling / 2
	// gcCheckEvery is how often the live heap is looked at.
	gcCheckEvery = 50 * time.Millisecond
)

// TuneGC applies the settings above unless the user set GOGC or GOMEMLIMIT.
func TuneGC(lookup func(string) (string, bool)) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := lookup(name); ok && v != "" {
			return
		}
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(gcHeapCeiling)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		ticker := time.NewTicker(gcCheckEvery)
		defer ticker.Stop()
		for range ticker.C {
			metrics.Read(sample)
			if sample[0].Value.Uint64() > gcSmallHeap {
				debug.SetGCPercent(100)
				debug.SetMemoryLimit(math.MaxInt64)
				return
			}
		}
	}()
}
