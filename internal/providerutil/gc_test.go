package providerutil

import (
	"runtime/debug"
	"testing"
)

func TestGCLimitFollowsALargeLiveHeap(t *testing.T) {
	for live, want := range map[uint64]int64{0: 64 << 20, 10 << 20: 64 << 20, 42 << 20: 64 << 20, 60 << 20: 90 << 20, 400 << 20: 600 << 20} {
		if got := gcLimit(live); got != want {
			t.Errorf("gcLimit(%d MiB) = %d MiB, want %d MiB", live>>20, got>>20, want>>20)
		}
	}
}

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
