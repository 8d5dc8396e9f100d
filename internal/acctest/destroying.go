package acctest

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/projectkit/terraform-provider-projectkit/internal/providerutil"
)

// UseTerraformCommand makes the in-process provider read the command of the terraform this
// test runs, as a provider that terraform started reads its parent's
// (providerutil.TerraformDestroying): served in the test's process, the provider's parent is
// `go test`, and its plan errors would all be warnings. terraform is then the test process's
// child. A test that calls it must not run in parallel (t.Parallel), so that the only terraform
// children are its own; until the test ends, every plan error of the package's providers
// depends on that command.
func UseTerraformCommand(t *testing.T) {
	t.Helper()
	saved := providerutil.TerraformDestroying
	t.Cleanup(func() { providerutil.TerraformDestroying = saved })
	providerutil.TerraformDestroying = childTerraformDestroying
}

// childTerraformDestroying is TerraformDestroying for the terraform children of this process:
// known only when there is one.
func childTerraformDestroying() (destroying, known bool) {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	found := 0
	self := strconv.Itoa(os.Getpid())
	for _, stat := range stats {
		b, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
		s := string(b)
		end := strings.LastIndexByte(s, ')')
		if end < 0 || !strings.HasPrefix(s[strings.IndexByte(s, '(')+1:], "terraform") {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 2 || fields[1] != self {
			continue
		}
		pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(stat)))
		destroying, known = providerutil.CommandDestroying(pid)
		found++
	}
	if found != 1 {
		return false, false
	}
	return destroying, known
}
