package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tend/findings"
	"tend/hub"
	"tend/inventory"
	"tend/upstream"
)

// TestUpstreamPin: a pinned fingerprint admits exactly that certificate.
func TestUpstreamPin(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are the point
	srv.StartTLS()
	defer srv.Close()
	sum := sha256.Sum256(srv.Certificate().Raw)
	for _, tc := range []struct {
		pin  string
		ok   bool
		name string
	}{
		{strings.ToUpper(hex.EncodeToString(sum[:])), true, "right pin"},
		{hex.EncodeToString(make([]byte, 32)), false, "wrong pin"},
	} {
		cfg, err := upstream.HubTrust{Pin: tc.pin}.TLSConfig()
		if err != nil {
			t.Fatal(err)
		}
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 5 * time.Second}
		resp, err := c.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	// Without a pin or CA the self-signed hub is refused.
	cfg, _ := upstream.HubTrust{}.TLSConfig()
	if _, err := (&http.Client{Transport: &http.Transport{TLSClientConfig: cfg}}).Get(srv.URL); err == nil {
		t.Error("an unknown certificate was trusted")
	}
	for _, bad := range []upstream.HubTrust{{Pin: "zz"}, {Insecure: true, Pin: hex.EncodeToString(sum[:])}} {
		if _, err := bad.TLSConfig(); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

func TestUpstreamFlagsRefuse(t *testing.T) {
	for _, f := range []upstreamFlags{
		{url: "https://hub:8443"},                                                   // no key
		{url: "https://hub:8443", key: "nonsense"},                                  // bad key
		{key: upstream.NewSiteKey()},                                                // key without URL
		{url: "http://hub:8443", key: upstream.NewSiteKey(), interval: time.Minute}, // plain http
	} {
		if _, err := f.client(nil, "site", nil); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
}

func TestHubAdminCommands(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"hub", "site", "add", "--data", dir, "--name", "acme"}, nil, &out, &errOut); err != nil {
		t.Fatal(err, errOut.String())
	}
	if _, err := upstream.ParseSiteKey(out.String()); err != nil {
		t.Errorf("site add printed %q: %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"hub", "site", "add", "--data", dir, "--name", "acme"}, nil, &out, &errOut); err == nil {
		t.Error("a site was added twice")
	}
	if err := run(context.Background(), []string{"hub", "site", "add", "--data", dir, "--name", "bad\x01name"}, nil, &out, &errOut); err == nil {
		t.Error("a display name with a control character was accepted")
	}
	out.Reset()
	if err := run(context.Background(), []string{"hub", "token", "create", "--data", dir, "--name", "grafana"}, nil, &out, &errOut); err != nil || !strings.HasPrefix(out.String(), "tht1_") {
		t.Errorf("token create: %q %v", out.String(), err)
	}
	// The usage's audit and user verbs reach the admin commands too.
	out.Reset()
	if err := run(context.Background(), []string{"hub", "audit", "list", "--data", dir}, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), "token create") {
		t.Errorf("audit list: %q %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"hub", "user", "role", "--data", dir, "--name", "ann", "--role", "technician"}, nil, &out, &errOut); err == nil {
		t.Error("user role for a user the hub does not have succeeded")
	}
	if err := run(context.Background(), []string{"hub", "user", "add", "--data", dir, "--name", "ann"}, strings.NewReader("correct horse battery\n"), &out, &errOut); err != nil {
		t.Errorf("user add: %v", err)
	}
	if err := run(context.Background(), []string{"hub", "user", "role", "--data", dir, "--name", "ann", "--role", "technician"}, nil, &out, &errOut); err == nil {
		t.Error("the hub's only admin was made a technician")
	}
	if err := run(context.Background(), []string{"hub", "user", "add", "--data", dir, "--name", "bob", "--role", "admin"}, strings.NewReader("correct horse battery\n"), &out, &errOut); err != nil {
		t.Errorf("user add: %v", err)
	}
	if err := run(context.Background(), []string{"hub", "user", "role", "--data", dir, "--name", "ann", "--role", "technician"}, nil, &out, &errOut); err != nil {
		t.Errorf("user role: %v", err)
	}
	st, _, err := hub.OpenDir(dir) // as a running hub holds it
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = run(context.Background(), []string{"hub", "site", "add", "--data", dir, "--name", "other"}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "running") {
		t.Errorf("site add under a running hub: %v", err)
	}
}

func TestSiteHealthAndForecast(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	soon, past := now.AddDate(0, 2, 0), now.AddDate(-1, 0, 0)
	devs := []inventory.Device{
		{Type: inventory.TypeSwitch, Lifecycle: &inventory.Lifecycle{Product: "ios", Cycle: "15.2", Status: inventory.StatusSecurityOnly, EOL: &soon}},
		{Type: inventory.TypeFirewall, Lifecycle: &inventory.Lifecycle{Status: inventory.StatusEOL, EOL: &past}},
		{Type: inventory.TypeUnknown},
		{Type: inventory.TypePrinter, Lifecycle: &inventory.Lifecycle{Status: inventory.StatusCurrent}},
	}
	for i := range devs {
		devs[i].MAC = inventory.MAC{2, 0, 0, 0, 0, byte(i + 1)}
	}
	f := upstream.ForecastOf(devs, forecastDue(devs, now))
	if f.EOL != 1 || f.SecurityOnly != 1 || f.Current != 1 || f.Unknown != 1 || f.EOL12Months != 1 || len(f.Due) != 1 || f.Due[0].Within != 3 || f.Due[0].Product != "ios 15.2" {
		t.Errorf("forecast %+v", f)
	}
	// The summary carries the UI's score: an open critical security action
	// costs the security component 60 points, a resolved one nothing.
	h := upstream.SiteHealth([]inventory.Finding{{Rule: "arp_spoof", Severity: inventory.SeverityCritical, State: inventory.FindingOpen},
		{Rule: "rogue_dhcp", Severity: inventory.SeverityCritical, State: inventory.FindingResolved}}, now)
	if want := findings.Score([]inventory.Finding{{Rule: "arp_spoof", Severity: inventory.SeverityCritical, State: inventory.FindingOpen}}, now); h.Score != want.Score || h.Score >= 100 {
		t.Errorf("health %+v, want score %d (below 100)", h, want.Score)
	}
	for _, c := range h.Components {
		if c.Name == "security" && (c.Score != 40 || c.Detail != "1 open action") {
			t.Errorf("security component %+v, want 40 and one open action", c)
		}
	}
	if empty := upstream.SiteHealth(nil, now); empty.Score != 100 {
		t.Errorf("empty site scores %d, want 100", empty.Score)
	}
}
