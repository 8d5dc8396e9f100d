//go:build !windows

package main

import (
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/acctest"
)

// make fakecloud runs the built binary in make's place: it serves with the flags of
// FAKECLOUD_FLAGS (-seed, -state, -env-file), and a SIGTERM to make (as CI's `kill` of the
// background job sends) stops it, saves the state and leaves no process listening behind.
func TestAccMakeFakecloud(t *testing.T) {
	acctest.RequireAcc(t)
	makeBin, err := exec.LookPath("make")
	if err != nil {
		t.Skip("make is not on PATH")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	seedFile := writeFile(t, dir, "seed.json", seed)
	envFile, stateFile := filepath.Join(dir, "fakecloud.env"), filepath.Join(dir, "state.json")
	adminAddr := freeAddr(t)
	cmd := exec.Command(makeBin, "--no-print-directory", "-C", root, "fakecloud", //nolint:gosec // G204: make from PATH with the test's arguments
		"FAKECLOUD_FLAGS=-env-file "+envFile+" -seed "+seedFile+" -state "+stateFile+" -admin-addr "+adminAddr)
	cmd.Env = append(os.Environ(), "MAKEFLAGS=")
	// Its own process group, so that whatever the test's outcome nothing outlives it; the
	// SIGTERM below still goes to make alone.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	waited := false
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if !waited {
			if err := <-exited; err != nil {
				t.Logf("make fakecloud, killed: %v", err)
			}
		}
	})
	// The first build may take a while on a busy machine.
	deadline := time.Now().Add(5 * time.Minute)
	for !fileExists(envFile) {
		select {
		case err := <-exited:
			waited = true
			t.Fatalf("make fakecloud ended before serving: %v\n%s", err, log.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("make fakecloud wrote no environment file in 5 minutes:\n%s", log.String())
		}
	}
	env := readEnvFile(t, envFile)
	if env["FAKECLOUD_ADMIN_URL"] != "http://"+adminAddr {
		t.Errorf("FAKECLOUD_ADMIN_URL = %q, want http://%s", env["FAKECLOUD_ADMIN_URL"], adminAddr)
	}
	if got := strings.Join(names(listed(t, env["FAKECLOUD_ADMIN_URL"])["trro"]), " "); got != "factory-floor warehouse" {
		t.Errorf("make fakecloud with -seed serves trro projects %q", got)
	}
	if status, body := adminCall(t, http.MethodPost, env["FAKECLOUD_ADMIN_URL"]+"/projects/trro", `{"name": "added-by-admin"}`); status != http.StatusCreated {
		t.Fatalf("POST /projects/trro: %d %s", status, body)
	}

	// SIGTERM to make alone, not to its process group.
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		waited = true
		t.Logf("make fakecloud ended on SIGTERM: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatalf("make fakecloud did not end within 30s of SIGTERM:\n%s", log.String())
	}
	if !strings.Contains(log.String(), "fake cloud stopped") {
		t.Errorf("the fake cloud did not stop cleanly on make's SIGTERM:\n%s", log.String())
	}
	for _, url := range []string{env["FAKECLOUD_ADMIN_URL"], env["TRRO_ENDPOINT"]} {
		conn, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), time.Second)
		if err == nil {
			_ = conn.Close()
			t.Errorf("%s still accepts connections after make fakecloud ended: a process was left behind", url)
		} else if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Logf("dialing %s: %v", url, err)
		}
	}
	b, err := os.ReadFile(stateFile) //nolint:gosec // G304: the test's own file
	if err != nil || !strings.Contains(string(b), `"added-by-admin"`) {
		t.Errorf("the state file after SIGTERM: %v\n%s", err, b)
	}
}
