package iam

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/projectkit/terraform-provider-projectkit/internal/iam/client"
	"github.com/projectkit/terraform-provider-projectkit/internal/iam/mock"
	"github.com/projectkit/terraform-provider-projectkit/internal/mockserver"
	"github.com/projectkit/terraform-provider-projectkit/internal/transport"
)

// The conflict check's listing, made through the shared listings: a check whose plan-time limit
// runs out while the API hangs says that it timed out and after how long, whichever of the
// listing and the wait ends first; and a listing that answers holds the regions, whose projects
// the creates then take as parents without a lookup.
func TestNameIndexListing(t *testing.T) {
	m := mock.New(mock.OTC)
	fx := m.Seed()
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	newIndex := func() (*nameIndex, *client.Client) {
		c, err := client.New(client.Config{AuthURL: srv.URL + "/v3", AccessKey: fx.AccessKey, SecretKey: fx.SecretKey, DomainID: fx.DomainID, RequestsPerSecond: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return newNameIndex(c), c
	}
	for i := range 10 {
		m.Inject(client.OpListProjects, mockserver.Fault{Kind: mockserver.Delay, Delay: time.Minute})
		x, c := newIndex()
		ctx, cancel := transport.WithTimeout(context.Background(), time.Duration(20+i*5)*time.Millisecond)
		_, err := x.account(ctx, c, "")
		cancel()
		var timeout *transport.TimeoutError
		if !errors.As(err, &timeout) || !strings.Contains(err.Error(), "timed out after") {
			t.Fatalf("a check whose limit ran out: %v (%T), want a timeout that says after how long", err, err)
		}
	}

	x, c := newIndex()
	account, err := x.account(context.Background(), c, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(account.regions, ","), "eu-de") {
		t.Fatalf("regions %v", account.regions)
	}
	before := m.Requests(client.OpListProjects)
	if p, err := c.FindRegionProject(context.Background(), "eu-de", ""); err != nil || p.ID != m.RegionProjectID(fx.DomainID, "eu-de") {
		t.Errorf("the region's project: %+v, %v", p, err)
	}
	if n := m.Requests(client.OpListProjects) - before; n != 0 {
		t.Errorf("the region's project was looked up (%d requests) though the listing held it", n)
	}
}
