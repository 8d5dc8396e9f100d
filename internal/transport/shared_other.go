//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package transport

import (
	"context"
	"os"
	"time"
)

// Without flock (windows and the rarer systems) there is no shared schedule: every process is
// paced by its own AdaptiveLimiter.
const sharedSupported = false

func (s *sharedSchedule) take(context.Context) (time.Time, bool) { return time.Time{}, false }

func (s *sharedSchedule) giveBack(time.Time) {}

func sweepIfDue(string) {}

func (s *sharedFile) locked(context.Context, func(*os.File) bool) bool { return false }
