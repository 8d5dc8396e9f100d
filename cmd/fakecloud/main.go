// Command fakecloud runs the projectkit mock APIs as a local fake cloud on loopback, so the
// examples can be applied, and tools built, without a cloud account. It serves four APIs, each
// on its own port: TRRO, IAM as Huawei Cloud, IAM as Open Telekom Cloud, and Yunxiao. It writes
// the environment a provider needs (endpoints and the fake credentials) as a shell file, and
// runs until interrupted.
//
//	go run ./cmd/fakecloud -env-file .demo/fakecloud.env
//	go run ./cmd/fakecloud -trro-addr 127.0.0.1:18080 -trro-latency 150ms -trro-throttle 0.1 -otc-lose-create 0.5
//
// Every API has the same flags, prefixed with its name (trro, huawei, otc, yunxiao):
//
//	-<api>-addr         listen address, host:port on loopback (default: a free port on -host)
//	-<api>-latency      delay before every answer, e.g. 200ms
//	-<api>-throttle     share of requests (0 to 1) answered with the cloud's throttling error
//	-<api>-5xx          share of requests (0 to 1) answered with the cloud's HTTP 503 error
//	-<api>-lose-create  share of project creates (0 to 1) that succeed but whose answer is lost
//	-<api>-rate-limit   requests per second per operation before the mock throttles (-1: the mock's default)
//
// The environment's HW_AUTH_URL points at the IAM flavour -iam-flavour names (otc unless
// FAKECLOUD_IAM_FLAVOUR says otherwise); FAKECLOUD_HUAWEI_AUTH_URL and FAKECLOUD_OTC_AUTH_URL
// point at each flavour, and the same user signs in to both.
//
// As a CI fixture: -seed FILE starts with the projects of a seed file (JSON: each API's projects
// under its name, named like the resources' attributes), -state FILE keeps every API's projects
// in FILE across restarts (loaded at start when it exists, -seed then ignored; written after
// every change), and an admin endpoint without signing (FAKECLOUD_ADMIN_URL, on -admin-addr)
// lists, adds and removes projects (see admin). `fakecloud seed FILE` seeds a running fake cloud.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	iammock "github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
)

// mockAPI is what every cloud's mock offers: an http.Handler with mockserver.Base's knobs and
// the cloud's own throttling and server error envelopes.
type mockAPI interface {
	http.Handler
	mockserver.Responder
	SetLatency(d time.Duration)
	SetRateLimit(perSecond int)
	Inject(operation string, faults ...mockserver.Fault)
}

// api is one fake API this command serves.
type api struct {
	// name prefixes the API's flags and names it in the log.
	name, title string
	mock        mockAPI
	// createOp returns the mock's operation name when r creates a project, else "".
	createOp func(r *http.Request) string
	// env returns the provider environment for the API served at url.
	env func(url string) map[string]string
	// flavour is set for IAM: then flavourEnv (HW_AUTH_URL and the credentials) is part of the
	// environment only when -iam-flavour names this flavour.
	flavour    iammock.Flavour
	flavourEnv func(url string) map[string]string
	// projects are the API's projects for seed files, -state and the admin endpoint.
	projects projectStore
}

// knobs are one API's flags.
type knobs struct {
	addr                              string
	latency                           time.Duration
	throttle, serverError, loseCreate float64
	rateLimit                         int
}

func main() {
	log.SetFlags(log.LstdFlags)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		log.Fatal(err)
	}
}

// run serves the fake cloud until ctx ends. ready, if not nil, is called with the environment
// once every API is listening.
func run(ctx context.Context, args []string, stdout io.Writer, ready func(env map[string]string)) error {
	if len(args) > 0 && args[0] == "seed" {
		return seedRunning(args[1:], stdout)
	}
	fs := newFlagSet("fakecloud")
	host := fs.String("host", "127.0.0.1", "loopback address for the APIs without an -<api>-addr")
	adminAddr := fs.String("admin-addr", "", "listen address of the admin endpoint (FAKECLOUD_ADMIN_URL), host:port on loopback (default: a free port on -host)")
	seedFile := fs.String("seed", "", "start with the projects of this seed file (ignored when the -state file exists)")
	statePath := fs.String("state", "", "keep every API's projects in this file across restarts: loaded at start when it exists, written after every change")
	envFile := fs.String("env-file", "", "write the providers' environment (shell export lines) to this file instead of standard output")
	defaultFlavour := string(iammock.OTC)
	if v := os.Getenv("FAKECLOUD_IAM_FLAVOUR"); v != "" {
		defaultFlavour = v
	}
	flavour := fs.String("iam-flavour", defaultFlavour, "the IAM flavour, huawei or otc, that HW_AUTH_URL and the credentials are for; FAKECLOUD_IAM_FLAVOUR sets the default")
	apis := []*api{trroAPI(), iamAPI(iammock.Huawei), iamAPI(iammock.OTC), yunxiaoAPI()}
	settings := map[string]*knobs{}
	for _, a := range apis {
		k := &knobs{}
		settings[a.name] = k
		fs.StringVar(&k.addr, a.name+"-addr", "", fmt.Sprintf("listen address of the %s API, host:port on loopback (default: a free port on -host)", a.title))
		fs.DurationVar(&k.latency, a.name+"-latency", 0, fmt.Sprintf("delay before every answer of the %s API, e.g. 200ms", a.title))
		fs.Float64Var(&k.throttle, a.name+"-throttle", 0, fmt.Sprintf("share of %s requests (0 to 1) answered with its throttling error", a.title))
		fs.Float64Var(&k.serverError, a.name+"-5xx", 0, fmt.Sprintf("share of %s requests (0 to 1) answered with its HTTP 503 error", a.title))
		fs.Float64Var(&k.loseCreate, a.name+"-lose-create", 0, fmt.Sprintf("share of %s project creates (0 to 1) that succeed but whose answer is lost", a.title))
		fs.IntVar(&k.rateLimit, a.name+"-rate-limit", -1, fmt.Sprintf("requests per second per operation before the %s API throttles; 0 for none, -1 for the mock's default", a.title))
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if ip := net.ParseIP(*host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("fakecloud listens on loopback only; %q is not a loopback address", *host)
	}
	hwFlavour, err := iammock.ParseFlavour(*flavour)
	if err != nil {
		return err
	}

	// Every flag is checked before anything listens.
	handlers := map[string]http.Handler{}
	for _, a := range apis {
		h, err := a.configure(settings[a.name])
		if err != nil {
			return err
		}
		if _, err := listenAddress(settings[a.name].addr, *host); err != nil {
			return fmt.Errorf("-%s-addr: %w", a.name, err)
		}
		handlers[a.name] = h
	}
	if _, err := listenAddress(*adminAddr, *host); err != nil {
		return fmt.Errorf("-admin-addr: %w", err)
	}

	projects := newFleet(apis)
	var state *stateFile
	if *statePath != "" {
		state = &stateFile{fleet: projects, path: *statePath}
	}
	switch {
	case state != nil && fileExists(*statePath):
		n, err := projects.loadFile(*statePath)
		if err != nil {
			return fmt.Errorf("-state: %w", err)
		}
		log.Printf("loaded %d projects from the state %s%s", n, *statePath, ignoredSeed(*seedFile))
	case *seedFile != "":
		n, err := projects.loadFile(*seedFile)
		if err != nil {
			return fmt.Errorf("-seed: %w", err)
		}
		log.Printf("seeded %d projects from %s", n, *seedFile)
	}
	saveState := func() {}
	if state != nil {
		if err := state.save(); err != nil {
			return err
		}
		saveState = func() {
			if err := state.save(); err != nil {
				log.Print(err)
			}
		}
		defer saveState()
		for name, h := range handlers {
			handlers[name] = savingAfter(h, saveState)
		}
	}

	env := map[string]string{}
	var servers []*http.Server
	defer func() {
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, srv := range servers {
			_ = srv.Shutdown(shutdown)
		}
	}()
	for _, a := range apis {
		k := settings[a.name]
		addr, _ := listenAddress(k.addr, *host) // checked above
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s: %w", a.title, err)
		}
		url := "http://" + ln.Addr().String()
		maps.Copy(env, a.env(url))
		if a.flavour == hwFlavour {
			maps.Copy(env, a.flavourEnv(url))
		}
		srv := &http.Server{Handler: handlers[a.name], ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Printf("%s: %v", a.title, err)
			}
		}()
		log.Printf("fake %s API listening on %s%s", a.title, url, k.describe())
	}

	adminAddrResolved, _ := listenAddress(*adminAddr, *host) // checked above
	ln, err := net.Listen("tcp", adminAddrResolved)
	if err != nil {
		return fmt.Errorf("admin endpoint: %w", err)
	}
	env["FAKECLOUD_ADMIN_URL"] = "http://" + ln.Addr().String()
	adminSrv := &http.Server{Handler: &admin{fleet: projects, changed: saveState}, ReadHeaderTimeout: 10 * time.Second}
	servers = append(servers, adminSrv)
	go func() {
		if err := adminSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("admin endpoint: %v", err)
		}
	}()
	log.Printf("admin endpoint (no signing) listening on %s", env["FAKECLOUD_ADMIN_URL"])
	if state != nil {
		log.Printf("keeping every API's projects in %s", *statePath)
	}

	lines := exportLines(env)
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(lines), 0o600); err != nil {
			return err
		}
		log.Printf("wrote the providers' environment to %s", *envFile)
	} else {
		fmt.Fprint(stdout, lines)
	}
	if ready != nil {
		ready(env)
	}
	<-ctx.Done()
	log.Print("fake cloud stopped")
	return nil
}

func newFlagSet(name string) *flag.FlagSet {
	return flag.NewFlagSet(name, flag.ContinueOnError)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func ignoredSeed(seed string) string {
	if seed == "" {
		return ""
	}
	return " (-seed " + seed + " ignored: the state already holds what the fake cloud had)"
}

// savingAfter serves h, then saves the state (if the projects changed): a change is on disk a
// moment after its answer, and a stop by signal saves once more. Only a SIGKILL within that
// moment loses it.
func savingAfter(h http.Handler, save func()) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		save()
	})
}

// configure applies the knobs to the API's mock and returns the handler to serve.
func (a *api) configure(k *knobs) (http.Handler, error) {
	for name, share := range map[string]float64{"throttle": k.throttle, "5xx": k.serverError, "lose-create": k.loseCreate} {
		if share < 0 || share > 1 {
			return nil, fmt.Errorf("-%s-%s must be between 0 and 1, not %g", a.name, name, share)
		}
	}
	if k.throttle+k.serverError > 1 {
		return nil, fmt.Errorf("-%s-throttle and -%s-5xx add up to more than 1", a.name, a.name)
	}
	if k.latency < 0 {
		return nil, fmt.Errorf("-%s-latency must not be negative", a.name)
	}
	if k.rateLimit < -1 {
		return nil, fmt.Errorf("-%s-rate-limit must be -1 (the default), 0 (none) or a number of requests per second", a.name)
	}
	a.mock.SetLatency(k.latency)
	if k.rateLimit >= 0 {
		a.mock.SetRateLimit(k.rateLimit)
	}
	if k.throttle == 0 && k.serverError == 0 && k.loseCreate == 0 {
		return a.mock, nil
	}
	return newFaults(a, k), nil
}

// describe lists the knobs that differ from the defaults, for the log.
func (k *knobs) describe() string {
	var parts []string
	if k.latency > 0 {
		parts = append(parts, "latency "+k.latency.String())
	}
	if k.throttle > 0 {
		parts = append(parts, fmt.Sprintf("throttling %g", k.throttle))
	}
	if k.serverError > 0 {
		parts = append(parts, fmt.Sprintf("5xx %g", k.serverError))
	}
	if k.loseCreate > 0 {
		parts = append(parts, fmt.Sprintf("lost creates %g", k.loseCreate))
	}
	if k.rateLimit >= 0 {
		parts = append(parts, fmt.Sprintf("rate limit %d/s", k.rateLimit))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// listenAddress checks a -<api>-addr (empty: a free port on host) is on loopback.
func listenAddress(addr, host string) (string, error) {
	if addr == "" {
		return net.JoinHostPort(host, "0"), nil
	}
	h, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%q is not host:port: %w", addr, err)
	}
	if h == "localhost" {
		h = "127.0.0.1"
	}
	if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
		return "", fmt.Errorf("fakecloud listens on loopback only; %q is not a loopback address", addr)
	}
	return net.JoinHostPort(h, port), nil
}

func exportLines(env map[string]string) string {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "export %s='%s'\n", k, env[k])
	}
	return b.String()
}
