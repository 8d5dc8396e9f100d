package providerutil

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestTuneGCLeavesTheUsersSettings(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		TuneGC(func(v string) (string, bool) { return "200", v == name })
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("with %s set, TuneGC changed GOGC to %d", name, got)
		}
	}
}

// The tuned settings hold while the live heap is small and give way to Go's defaults once it
// grows past gcSmallHeap.
func TestTuneGCReturnsToTheDefaultsForALargeHeap(t *testing.T) {
	beforePercent, beforeLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	defer func() { debug.SetGCPercent(beforePercent); debug.SetMemoryLimit(beforeLimit) }()
	runtime.GC()
	TuneGC(func(string) (string, bool) { return "", false })
	if got := debug.SetMemoryLimit(-1); got != gcHeapCeiling {
		t.Fatalf("memory limit %d, want %d", got, gcHeapCeiling)
	}
	live := make([][]byte, 0, 48)
	for range 48 {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) != math.MaxInt64 {
		if time.Now().After(deadline) {
			t.Fatal("the memory limit stayed after the live heap passed 32 MiB")
		}
		runtime.GC() // makes the live heap known
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC %d after a large live heap, want 100", got)
	}
	runtime.KeepAlive(live)
}
