package providerutil

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Garbage collection of a provider process. The process lives for one Terraform command and
// its live heap is small (about 10 MB for a plan of 200 projects, 40 MB for 1,000), so Go's
// default (collect whenever the heap has doubled) runs the collector every few megabytes: 12 to
// 15 % of the provider's CPU in docs/benchmarks.md. Collecting at five times the live heap
// instead, but never letting the heap pass gcHeapCeiling or one and a half times the live heap,
// whichever is larger, spends less CPU on small heaps and keeps large ones bounded (a refresh
// of 1,000 projects stays under 100 MB).
const (
	gcPercent     = 400
	gcHeapCeiling = 64 << 20
	// gcCheckEvery is how often the ceiling follows the live heap.
	gcCheckEvery = 100 * time.Millisecond
)

// gcLimit is the soft memory limit for a live heap of live bytes.
func gcLimit(live uint64) int64 {
	return max(gcHeapCeiling, int64(live)/2*3) //nolint:gosec // G115: a heap size fits in int64
}

// TuneGC applies the settings above unless the user set GOGC or GOMEMLIMIT, and raises the limit
// with the live heap once that nears the ceiling, so a very large state never makes the
// collector run back to back.
func TuneGC(lookup func(string) (string, bool)) {
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		if v, ok := lookup(name); ok && v != "" {
			return
		}
	}
	debug.SetGCPercent(gcPercent)
	debug.SetMemoryLimit(gcLimit(0))
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		current := gcLimit(0)
		for range time.Tick(gcCheckEvery) {
			metrics.Read(sample)
			if limit := gcLimit(sample[0].Value.Uint64()); limit != current {
				debug.SetMemoryLimit(limit)
				current = limit
			}
		}
	}()
}
