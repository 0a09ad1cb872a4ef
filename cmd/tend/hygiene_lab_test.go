package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"tend/discovery"
	"tend/inventory"
	"tend/traffic"
	"tend/upstream"
)

// lockedBuffer collects the watcher's log from its goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestHygieneLab: lab hosts really resolve and connect. dnsmasq on the
// gateway answers every name with "late", where openssl s_server speaks
// TLS on 443 (and 8531, as the LAN's WSUS); curl on pc fetches
// Defender's, CrowdStrike's, Windows Update's and TeamViewer's names and
// the WSUS server, on nas Veeam's, and on evil only
// ordinary sites. The box watches the mirror port. pc and nas must show
// the right categories and products, evil nothing; and none of evil's (or
// pc's) browsing names may appear in the store's file, the log, the
// devices' JSON or the summary for the hub.
func TestHygieneLab(t *testing.T) {
	needLabRoot(t, "dnsmasq", "openssl", "curl")
	cat, err := traffic.OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	dbPath := filepath.Join(t.TempDir(), "tend.db")
	logs := &lockedBuffer{}
	tr := traffic.NewHygieneTracker(cat, 0)
	l := startWatchAt(t, traffic.Config{Learning: time.Second, Hygiene: tr}, dbPath, logs, discovery.NewPassive(discovery.PassiveConfig{}).Packet)
	server := l.dev["late"].IP.String()

	// Each client asks the gateway: ip netns exec mounts
	// /etc/netns/<netns>/resolv.conf over /etc/resolv.conf.
	for _, h := range []string{"pc", "nas", "evil"} {
		dir := filepath.Join("/etc/netns", l.dev[h].Netns)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(dir) })
		if err := os.WriteFile(filepath.Join(dir, "resolv.conf"), []byte("nameserver "+l.dev["gw"].IP.String()+"\noptions timeout:2 attempts:2\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tmp := t.TempDir()
	l.start("gw", "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--user=root",
		"--bind-interfaces", "--listen-address="+l.dev["gw"].IP.String(), "--address=/#/"+server, "--pid-file="+filepath.Join(tmp, "dnsmasq.pid"))
	key, crt := filepath.Join(tmp, "key.pem"), filepath.Join(tmp, "cert.pem")
	if out, err := exec.Command("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		"-keyout", key, "-out", crt, "-days", "1", "-subj", "/CN=tend-lab").CombinedOutput(); err != nil {
		t.Fatalf("openssl req: %v\n%s", err, out)
	}
	l.start("late", "openssl", "s_server", "-quiet", "-accept", "443", "-cert", crt, "-key", key, "-www")
	// late is also the LAN's WSUS server (HTTPS on 8531).
	l.start("late", "openssl", "s_server", "-quiet", "-accept", "8531", "-cert", crt, "-key", key, "-www")
	time.Sleep(time.Second) // dnsmasq and s_server listening

	products := map[string][]string{
		"pc":   {"eu.wdcp.microsoft.com", "ts01-b.cloudsink.net", "fe2.update.microsoft.com", "router3.teamviewer.com", server + ":8531"},
		"nas":  {"autolk.veeam.com"},
		"evil": nil,
	}
	browsing := []string{"www.bbc.co.uk", "news.ycombinator.com", "private-clinic.example.org", "www.my-bank.example"}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	fetch := func(host, name string) {
		out, err := l.run(ctx, host, "curl", "-sk", "--max-time", "10", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}", "https://"+name+"/")
		if err != nil || !strings.HasPrefix(string(out), "200 "+server) {
			t.Fatalf("curl https://%s/ on %s: %v: %s", name, host, err, out)
		}
	}
	for host, names := range products {
		for _, n := range append(slices.Clone(names), browsing...) {
			fetch(host, n)
		}
	}

	want := map[string]map[string][]string{ // host → category → product prefixes
		"pc": {
			"endpoint_protection": {"CrowdStrike Falcon sensor", "Microsoft Defender Antivirus"},
			"os_update":           {"Windows Update / Microsoft Update", "Windows Update via WSUS (local cache)"},
			"remote_access":       {"TeamViewer"},
		},
		"nas": {"backup": {"Veeam Backup"}},
	}
	deadline := time.Now().Add(20 * time.Second)
	var devs []inventory.Device
	for {
		devs, err = l.store.Devices()
		if err != nil {
			t.Fatal(err)
		}
		if hygieneHas(devs, l.dev["pc"].MACText, want["pc"]) && hygieneHas(devs, l.dev["nas"].MACText, want["nas"]) {
			break
		}
		if time.Now().After(deadline) {
			b, _ := json.MarshalIndent(devs, "", " ")
			t.Fatalf("hygiene not stored within 20 s; tracker %+v; devices %s", tr.Stats(), b)
		}
		time.Sleep(300 * time.Millisecond)
	}
	for _, d := range devs {
		name := ""
		for n, ds := range l.dev {
			if ds.MACText == d.MAC.String() {
				name = n
			}
		}
		if d.Hygiene == nil {
			continue
		}
		if want[name] == nil {
			t.Errorf("%s (%s) is credited with hygiene it never had: %+v", name, d.MAC, d.Hygiene)
			continue
		}
		for _, c := range d.Hygiene.Categories() {
			var got []string
			for _, p := range *c.Products {
				got = append(got, p.Product)
				if p.Weak || p.DaysSeen != 1 || p.FirstSeen.IsZero() {
					t.Errorf("%s %s %+v", name, c.Name, p)
				}
			}
			if len(got) != len(want[name][c.Name]) {
				t.Errorf("%s %s: %q, want %q", name, c.Name, got, want[name][c.Name])
			}
		}
	}
	if pc := findDevice(devs, l.dev["pc"].MACText); pc == nil || !slices.ContainsFunc(pc.Hygiene.EndpointProtection, func(p inventory.HygieneProduct) bool { return p.Heartbeat }) {
		t.Error("pc's protection traffic is not a heartbeat")
	}
	st := tr.Stats()
	t.Logf("tracker: %+v", st)
	if st.Names < uint64(2*(len(browsing)*3+5)) { // every curl: A and AAAA questions and a ClientHello
		t.Errorf("only %d names read", st.Names)
	}

	// The summary for the hub, queued in the store's outbox.
	cl, err := upstream.NewClient(upstream.ClientConfig{URL: "https://127.0.0.1:9/", Site: "lab", Key: mustSiteKey(t), Interval: time.Minute,
		Inputs: upstream.StoreInputs(l.store, forecastDue)}, l.store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cl.Enqueue(ctx); err != nil {
		t.Fatal(err)
	}
	items, err := l.store.Outbox()
	if err != nil || len(items) != 1 {
		t.Fatalf("outbox: %d items, %v", len(items), err)
	}
	sum, err := upstream.DecodeBody(items[0].Body)
	if err != nil {
		t.Fatal(err)
	}
	sumJSON, _ := json.Marshal(sum)
	devJSON, _ := json.Marshal(devs)
	if !bytes.Contains(devJSON, []byte(`"hygiene":{"endpoint_protection":[`)) {
		t.Errorf("devices' JSON has no hygiene field: %s", devJSON)
	}
	if err := l.store.Close(); err != nil { // flush the file; startWatch's Cleanup closes it again, harmlessly
		t.Fatal(err)
	}
	file, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range browsing {
		for what, b := range map[string][]byte{"store file": file, "log": []byte(logs.String()), "devices JSON": devJSON, "summary": sumJSON} {
			if bytes.Contains(b, []byte(n)) {
				t.Errorf("%s appears in the %s", n, what)
			}
		}
	}
	for _, n := range products["pc"] { // the matched names themselves are not kept either: only products
		if bytes.Contains(file, []byte(n)) {
			t.Errorf("the name %s is in the store file", n)
		}
	}
}

func hygieneHas(devs []inventory.Device, mac string, want map[string][]string) bool {
	d := findDevice(devs, mac)
	if d == nil || d.Hygiene == nil {
		return false
	}
	for _, c := range d.Hygiene.Categories() {
		for _, prefix := range want[c.Name] {
			if !slices.ContainsFunc(*c.Products, func(p inventory.HygieneProduct) bool { return strings.HasPrefix(p.Product, prefix) }) {
				return false
			}
		}
	}
	return true
}

func findDevice(devs []inventory.Device, mac string) *inventory.Device {
	for i := range devs {
		if devs[i].MAC.String() == mac {
			return &devs[i]
		}
	}
	return nil
}

func mustSiteKey(t *testing.T) []byte {
	k, err := upstream.ParseSiteKey(upstream.NewSiteKey())
	if err != nil {
		t.Fatal(err)
	}
	return k
}
