package main

import (
	"fmt"
	"net/http/httptest"
	"sort"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	trromock "github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
)

// target is one provider under measurement.
type target struct {
	name string
	// callsPerCreate is how many API calls one resource's create makes, for the latency ideal.
	callsPerCreate int
	// start runs the cloud's mock with a rate limit (0: none) and a latency per call.
	start func(limit int, latency time.Duration) *mockRun
}

// mockRun is a running mock and how to write configuration against it.
type mockRun struct {
	// providerBlock configures the provider for the mock with a client-side rate limit.
	providerBlock func(maxRequestsPerSecond int) string
	// resources declares n resources.
	resources func(n int) string
	// createStats reports the create operation's requests.
	createStats func() mockserver.Stats
	// projects counts the projects the mock holds.
	projects func() int
	close    func()
}

var targets = map[string]target{
	"trro": {name: "trro", callsPerCreate: 2, start: startTRRO},
}

func targetNames() []string {
	names := make([]string, 0, len(targets))
	for n := range targets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func startTRRO(limit int, latency time.Duration) *mockRun {
	const id, key = "AKIDbenchmark0000000000000000000000", "bench-secret-key-000000000000000"
	m := trromock.New()
	m.AddKey(id, key, "")
	m.SetRateLimit(limit)
	m.SetLatency(latency)
	srv := httptest.NewServer(m)
	return &mockRun{
		providerBlock: func(rps int) string {
			return requiredProvider("trro") + fmt.Sprintf("provider \"trro\" {\n  secret_id = %q\n  secret_key = %q\n  endpoint = %q\n  max_requests_per_second = %d\n}\n", id, key, srv.URL, rps)
		},
		resources: func(n int) string {
			return fmt.Sprintf("resource \"trro_project\" \"bench\" {\n  count = %d\n  name  = \"bench-${count.index}\"\n}\n", n)
		},
		createStats: func() mockserver.Stats { return m.OperationStats("CreateProject") },
		projects:    func() int { return len(m.Projects()) },
		close:       srv.Close,
	}
}

// requiredProvider is the terraform block that takes a provider type from projectkit.
func requiredProvider(name string) string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    %s = {\n      source = \"projectkit/%s\"\n    }\n  }\n}\n", name, name)
}
