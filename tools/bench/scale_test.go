package main

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

func TestBusyRateCountsOnlyTheTimeSomeApplyWasCreating(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	// named makes n creates of apply i, every 100 ms from start, named by format (the providers'
	// bench names: trro's pipe<i>-<k>, iam's eu-de_pipe<i>-<k>, yunxiao's "pipe<i> <k>").
	named := func(format string, i, n int, start time.Duration) []mockserver.Creation {
		var out []mockserver.Creation
		for k := range n {
			out = append(out, mockserver.Creation{Name: fmt.Sprintf(format, i, k), At: t0.Add(start + time.Duration(k)*100*time.Millisecond)})
		}
		return out
	}
	run := func(i, n int, start time.Duration) []mockserver.Creation { return named("pipe%d-%d", i, n, start) }
	join := func(runs ...[]mockserver.Creation) []mockserver.Creation {
		var out []mockserver.Creation
		for _, r := range runs {
			out = append(out, r...)
		}
		return out
	}
	for _, tc := range []struct {
		name      string
		creations []mockserver.Creation
		applies   int
		want      float64
	}{
		// Two applies 5 s apart, each 11 creates in 1 s: 10 a second while creating, though
		// first to last create is 6 s.
		{"apart", join(run(0, 11, 0), run(1, 11, 5*time.Second)), 2, 10},
		// Overlapping all along: the joined span, as first to last create.
		{"overlapping", join(run(0, 11, 0), run(1, 11, 50*time.Millisecond)), 2, 21.0 / 1.05},
		// One apply inside another's span.
		{"nested", join(run(0, 21, 0), run(1, 3, 500*time.Millisecond)), 2, 23.0 / 2},
		// Names of no apply, and an apply without creates, are left out.
		{"others", join(run(0, 11, 0), []mockserver.Creation{{Name: "bench-1", At: t0.Add(time.Hour)}}), 3, 10},
		{"none", nil, 2, 0},
		// iam's and yunxiao's names.
		{"iam names", join(named("eu-de_pipe%d-%d", 0, 11, 0), named("eu-de_pipe%d-%d", 1, 11, 5*time.Second)), 2, 10},
		{"yunxiao names", join(named("pipe%d %d", 0, 11, 0), named("pipe%d %d", 1, 11, 5*time.Second)), 2, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := busyRate(tc.creations, tc.applies); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("busyRate = %v, want %v", got, tc.want)
			}
		})
	}
}
