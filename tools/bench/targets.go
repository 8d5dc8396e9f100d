package main

import (
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"time"

	iamclient "github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	iammock "github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	trromock "github.com/projectkit/terraform-provider-projectkit/internal/trro/mock"
	yunxiaomock "github.com/projectkit/terraform-provider-projectkit/internal/yunxiao/mock"
)

// target is one provider under measurement.
type target struct {
	name string
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
	// requests counts every API request the mock received.
	requests func() int
	close    func()
}

var targets = map[string]target{
	"trro":    {name: "trro", start: startTRRO},
	"iam":     {name: "iam", start: startIAM},
	"yunxiao": {name: "yunxiao", start: startYunxiao},
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
		requests:    func() int { return m.Requests(mockserver.AnyOperation) },
		close:       srv.Close,
	}
}

func startIAM(limit int, latency time.Duration) *mockRun {
	m := iammock.New(iammock.OTC)
	fx := m.Seed()
	m.SetRateLimit(limit)
	m.SetLatency(latency)
	srv := httptest.NewServer(m)
	return &mockRun{
		providerBlock: func(rps int) string {
			// AK/SK, Huawei's recommended credential. With a password, OTC's deletes revoke the
			// account's tokens and must run one at a time (see docs/benchmarks.md).
			return requiredProvider("iam") + fmt.Sprintf("provider \"iam\" {\n  auth_url = %q\n  access_key = %q\n  secret_key = %q\n  domain_id = %q\n  max_requests_per_second = %d\n}\n",
				srv.URL+"/v3", fx.AccessKey, fx.SecretKey, fx.DomainID, rps)
		},
		resources: func(n int) string {
			return fmt.Sprintf("resource \"iam_project\" \"bench\" {\n  count = %d\n  name  = \"eu-de_bench-${count.index}\"\n}\n", n)
		},
		createStats: func() mockserver.Stats { return m.OperationStats(iamclient.OpCreateProject) },
		projects:    func() int { return len(m.Projects(fx.DomainID)) - len(iamRegions(m, fx.DomainID)) },
		requests:    func() int { return m.Requests(mockserver.AnyOperation) },
		close:       srv.Close,
	}
}

// iamRegions are the region projects the mock seeds, which are not the benchmark's.
func iamRegions(m *iammock.Server, domainID string) []string {
	var ids []string
	for _, p := range m.Projects(domainID) {
		if !strings.Contains(p.Name, "_") {
			ids = append(ids, p.ID)
		}
	}
	return ids
}

func startYunxiao(limit int, latency time.Duration) *mockRun {
	const key, secret, org, template = "LTAI5tBenchmarkKey000000", "bench-access-key-secret-00000000", "5ebbc0228123212b59bench0", "704ea0000bench00template"
	m := yunxiaomock.New()
	m.AddOrganization(org, template)
	m.AddKey(key, secret, "", org)
	m.SetRateLimit(limit)
	m.SetLatency(latency)
	srv := httptest.NewServer(m)
	return &mockRun{
		providerBlock: func(rps int) string {
			return requiredProvider("yunxiao") + fmt.Sprintf("provider \"yunxiao\" {\n  access_key_id = %q\n  access_key_secret = %q\n  organization_id = %q\n  endpoint = %q\n  max_requests_per_second = %d\n}\n",
				key, secret, org, srv.URL, rps)
		},
		resources: func(n int) string {
			codes := make([]string, n)
			for i := range codes {
				codes[i] = fmt.Sprintf("%q", customCode(i))
			}
			return fmt.Sprintf("locals {\n  codes = [%s]\n}\nresource \"yunxiao_project\" \"bench\" {\n  count = %d\n  name = \"bench ${count.index}\"\n  custom_code = local.codes[count.index]\n  template_identifier = %q\n}\n",
				strings.Join(codes, ", "), n, template)
		},
		createStats: func() mockserver.Stats { return m.OperationStats("CreateProject") },
		projects:    func() int { return len(m.Projects(org)) },
		requests:    func() int { return m.Requests(mockserver.AnyOperation) },
		close:       srv.Close,
	}
}

// customCode is the i-th four-letter project code: AAAA, AAAB, ...
func customCode(i int) string {
	b := []byte("AAAA")
	for j := 3; j >= 0; j-- {
		b[j] = byte('A' + i%26)
		i /= 26
	}
	return string(b)
}

// requiredProvider is the terraform block that takes a provider type from projectkit.
func requiredProvider(name string) string {
	return fmt.Sprintf("terraform {\n  required_providers {\n    %s = {\n      source = \"projectkit/%s\"\n    }\n  }\n}\n", name, name)
}
