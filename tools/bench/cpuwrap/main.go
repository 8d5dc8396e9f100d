// Command cpuwrap stands in for a plugin in the benchmark's overhead case so that the CPU time
// of the plugin processes can be told apart from Terraform's own: installed as
// <dir>/terraform-provider-<type>, it runs <dir>/../terraform-provider-<type> with the same
// arguments, standard streams and environment (the plugin handshake passes straight through),
// and when that exits appends "<type> <user µs> <system µs>" to the file named by
// PROJECTKIT_BENCH_CPU_FILE.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	// The name it was started by: the benchmark links one build under every plugin's name.
	name := filepath.Base(os.Args[0])
	plugin := exec.Command(filepath.Join(filepath.Dir(self), "..", name), os.Args[1:]...) //nolint:gosec // G204: the plugin of the wrapper's own name, beside it
	plugin.Stdin, plugin.Stdout, plugin.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := plugin.Start(); err != nil {
		fail(err)
	}
	// An interrupt or termination sent to this process alone (not to the whole process group,
	// as a terminal's Ctrl-C is) reaches the plugin too; meanwhile this process waits for it.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		for s := range signals {
			_ = plugin.Process.Signal(s)
		}
	}()
	err = plugin.Wait()
	if file := os.Getenv("PROJECTKIT_BENCH_CPU_FILE"); file != "" && plugin.ProcessState != nil {
		line := fmt.Sprintf("%s %d %d\n", strings.TrimPrefix(name, "terraform-provider-"),
			plugin.ProcessState.UserTime().Microseconds(), plugin.ProcessState.SystemTime().Microseconds())
		if f, ferr := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); ferr == nil { //nolint:gosec // G304/G703: the file the benchmark names in its own environment
			_, _ = f.WriteString(line)
			_ = f.Close()
		}
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if status, ok := exit.Sys().(syscall.WaitStatus); ok && status.Signaled() {
			os.Exit(128 + int(status.Signal()))
		}
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "cpuwrap:", err)
	os.Exit(1)
}
