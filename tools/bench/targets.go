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
	// limit is the API's documented rate limit per operation, or the provider's default where
	// the cloud documents none: the refresh case runs under it.
	limit int
	// listCarriesAttributes says whether the cloud's list call returns every attribute the
	// resource stores, so that a refresh can be served from it (issue 17.1); where it does not
	// (IAM's status comes only from GET /v3-ext), the batched refresh figure is not judged.
	listCarriesAttributes bool
	// operations names the mock's operations, for the per-operation call counts.
	operations []string
}

// mockRun is a running mock and how to write configuration against it.
type mockRun struct {
	// providerBlock configures the provider for the mock with a client-side rate limit and
	// extra arguments (lines such as "batch_reads = false").
	providerBlock func(maxRequestsPerSecond int, extra ...string) string
	// resources declares n resources named from prefix ("bench" unless set); a description
	// when not empty.
	resources func(n int, prefix, description string) string
	// createStats reports the create operation's requests.
	createStats func() mockserver.Stats
	// stats reports any operation's requests.
	stats func(operation string) mockserver.Stats
	// creations lists the projects the create operation made, with when.
	creations func() []mockserver.Creation
	// projects counts the projects the mock holds.
	projects func() int
	// requests counts every API request the mock received.
	requests func() int
	// configure changes the mock's rate limit and latency while it runs.
	configure func(limit int, latency time.Duration)
	close     func()
}

var targets = map[string]target{
	"trro": {name: "trro", start: startTRRO, limit: 20, listCarriesAttributes: true,
		operations: []string{"CreateProject", "DescribeProjectInfo", "DescribeProjectList", "ModifyProject", "DeleteProject"}},
	"iam": {name: "iam", start: startIAM, limit: 10,
		operations: []string{iamclient.OpCreateToken, iamclient.OpCreateProject, iamclient.OpShowProject, iamclient.OpShowProjectStatus,
			iamclient.OpListProjects, iamclient.OpUpdateProject, iamclient.OpUpdateProjectStatus, iamclient.OpDeleteProject, iamclient.OpListAuthDomains}},
	"yunxiao": {name: "yunxiao", start: startYunxiao, limit: 10, listCarriesAttributes: true,
		operations: []string{"CreateProject", "GetProjectInfo", "UpdateProjectField", "DeleteProject", "ListProjects", "ListProjectTemplates", "ListJoinedOrganizations"}},
}

// providerBlock renders a provider block from its arguments (name = value lines) and extra.
func providerBlock(name string, args []string, extra []string) string {
	var b strings.Builder
	b.WriteString(requiredProvider(name))
	fmt.Fprintf(&b, "provider %q {\n", name)
	for _, line := range append(args, extra...) {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	b.WriteString("}\n")
	return b.String()
}

func withDescription(description string) string {
	if description == "" {
		return ""
	}
	return fmt.Sprintf("  description = %q\n", description)
}

func orDefault(prefix string) string {
	if prefix == "" {
		return "bench"
	}
	return prefix
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
		providerBlock: func(rps int, extra ...string) string {
			return providerBlock("trro", []string{fmt.Sprintf("secret_id = %q", id), fmt.Sprintf("secret_key = %q", key),
				fmt.Sprintf("endpoint = %q", srv.URL), fmt.Sprintf("max_requests_per_second = %d", rps)}, extra)
		},
		resources: func(n int, prefix, description string) string {
			return fmt.Sprintf("resource \"trro_project\" \"bench\" {\n  count = %d\n  name  = \"%s-${count.index}\"\n%s}\n", n, orDefault(prefix), withDescription(description))
		},
		createStats: func() mockserver.Stats { return m.OperationStats("CreateProject") },
		stats:       m.OperationStats,
		creations:   m.Creations,
		projects:    func() int { return len(m.Projects()) },
		requests:    func() int { return m.Requests(mockserver.AnyOperation) },
		configure:   func(limit int, latency time.Duration) { m.SetRateLimit(limit); m.SetLatency(latency) },
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
		providerBlock: func(rps int, extra ...string) string {
			// AK/SK, Huawei's recommended credential. With a password, OTC's deletes revoke the
			// account's tokens and must run one at a time (see docs/benchmarks.md).
			return providerBlock("iam", []string{fmt.Sprintf("auth_url = %q", srv.URL+"/v3"), fmt.Sprintf("access_key = %q", fx.AccessKey),
				fmt.Sprintf("secret_key = %q", fx.SecretKey), fmt.Sprintf("domain_id = %q", fx.DomainID), fmt.Sprintf("max_requests_per_second = %d", rps)}, extra)
		},
		resources: func(n int, prefix, description string) string {
			return fmt.Sprintf("resource \"iam_project\" \"bench\" {\n  count = %d\n  name  = \"eu-de_%s-${count.index}\"\n%s}\n", n, orDefault(prefix), withDescription(description))
		},
		createStats: func() mockserver.Stats { return m.OperationStats(iamclient.OpCreateProject) },
		stats:       m.OperationStats,
		creations:   m.Creations,
		projects:    func() int { return len(m.Projects(fx.DomainID)) - len(iamRegions(m, fx.DomainID)) },
		requests:    func() int { return m.Requests(mockserver.AnyOperation) },
		configure:   func(limit int, latency time.Duration) { m.SetRateLimit(limit); m.SetLatency(latency) },
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
		providerBlock: func(rps int, extra ...string) string {
			return providerBlock("yunxiao", []string{fmt.Sprintf("access_key_id = %q", key), fmt.Sprintf("access_key_secret = %q", secret),
				fmt.Sprintf("organization_id = %q", org), fmt.Sprintf("endpoint = %q", srv.URL), fmt.Sprintf("max_requests_per_second = %d", rps)}, extra)
		},
		resources: func(n int, prefix, description string) string {
			// Custom codes are unique in the organization: each pipeline (prefix pipe<k>) has its own.
			offset := 0
			if _, err := fmt.Sscanf(prefix, "pipe%d", &offset); err == nil {
				offset *= n
			}
			codes := make([]string, n)
			for i := range codes {
				codes[i] = fmt.Sprintf("%q", customCode(offset+i))
			}
			return fmt.Sprintf("locals {\n  codes = [%s]\n}\nresource \"yunxiao_project\" \"bench\" {\n  count = %d\n  name = \"%s ${count.index}\"\n  custom_code = local.codes[count.index]\n  template_identifier = %q\n%s}\n",
				strings.Join(codes, ", "), n, orDefault(prefix), template, withDescription(description))
		},
		createStats: func() mockserver.Stats { return m.OperationStats("CreateProject") },
		stats:       m.OperationStats,
		creations:   m.Creations,
		projects:    func() int { return len(m.Projects(org)) },
		requests:    func() int { return m.Requests(mockserver.AnyOperation) },
		configure:   func(limit int, latency time.Duration) { m.SetRateLimit(limit); m.SetLatency(latency) },
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
