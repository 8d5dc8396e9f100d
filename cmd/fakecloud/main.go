// Command fakecloud runs the projectkit mock APIs as a local fake cloud, each on its own
// loopback port, so the examples can be applied without a cloud account. It writes the
// environment a provider needs (endpoints and the fake credentials) as a shell file, and runs
// until interrupted.
//
//	go run ./cmd/fakecloud -env-file .demo/fakecloud.env
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
)

// cloud is one fake API: its handler and the environment that points a provider at it.
type cloud struct {
	name string
	// start returns the handler and, given the URL it is served at, the provider environment.
	start func() (http.Handler, func(url string) map[string]string)
}

// clouds lists the fake clouds this command serves.
var clouds = []cloud{
	{name: "trro", start: trroCloud},
	{name: "iam", start: iamCloud},
	{name: "yunxiao", start: yunxiaoCloud},
}

func main() {
	host := flag.String("host", "127.0.0.1", "loopback address to listen on")
	envFile := flag.String("env-file", "", "write the providers' environment (shell export lines) to this file")
	flag.Parse()
	if ip := net.ParseIP(*host); ip == nil || !ip.IsLoopback() {
		log.Fatalf("fakecloud listens on loopback only; %q is not a loopback address", *host)
	}

	env := map[string]string{}
	var servers []*http.Server
	for _, c := range clouds {
		handler, envFor := c.start()
		ln, err := net.Listen("tcp", net.JoinHostPort(*host, "0"))
		if err != nil {
			log.Fatalf("%s: %v", c.name, err)
		}
		url := "http://" + ln.Addr().String()
		for k, v := range envFor(url) {
			env[k] = v
		}
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
		servers = append(servers, srv)
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Printf("%s: %v", c.name, err)
			}
		}()
		log.Printf("fake %s API listening on %s", c.name, url)
	}

	lines := exportLines(env)
	if *envFile != "" {
		if err := os.WriteFile(*envFile, []byte(lines), 0o600); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote the providers' environment to %s", *envFile)
	} else {
		fmt.Print(lines)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		_ = srv.Shutdown(shutdown)
	}
	log.Print("fake cloud stopped")
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
