package hub

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/internal/testwatch"
	"tend/inventory"
	"tend/notify"
	"tend/notify/psatest"
	"tend/upstream"
)

// problemJSON is one problem of a 1.1 summary.
func problemJSON(key, rule, sev, title string, devs ...string) string {
	var ds []string
	for i, d := range devs {
		ds = append(ds, fmt.Sprintf(`{"key":%q,"name":"dev%d","ip":"10.0.0.%d"}`, d, i+1, i+1))
	}
	return fmt.Sprintf(`{"key":%q,"rule":%q,"severity":%q,"title":%q,"action":"Fix it.","evidence":[{"source":"snmp","detail":"seen"}],`+
		`"devices":[%s],"count":%d,"first_seen":"2026-11-24T12:00:00Z"}`, key, rule, sev, title, strings.Join(ds, ","), len(devs))
}

// siteSummary is a 1.1 summary of site carrying problems.
func siteSummary(site, box string, seq uint64, problems ...string) []byte {
	return []byte(fmt.Sprintf(`{"schema":"1.1","site":%q,"box":%q,"seq":%d,"first_seq":%d,"coalesced":1,`+
		`"generated_at":"2026-11-24T12:00:00Z","interval_seconds":60,"devices":3,"problems":[%s]}`, site, box, seq, seq, strings.Join(problems, ",")))
}

// ingest stores a summary of site straight through the hub's store, as
// its ingest handler does.
func ingest(t *testing.T, th *testHub, site, key string, seq uint64, raw []byte) {
	t.Helper()
	body := gzipJSON(t, raw)
	k, err := upstream.ParseSiteKey(key)
	if err != nil {
		t.Fatal(err)
	}
	idem := upstream.IdempotencyKey("box1", seq)
	if _, err := th.data.Ingest(site, idem, upstream.Sign(k, site, idem, body), body); err != nil {
		t.Fatalf("ingest %s #%d: %v", site, seq, err)
	}
}

// webhookDesk is a webhook receiver that checks every signature.
type webhookDesk struct {
	secret string
	mu     sync.Mutex
	got    []notify.Message
	paths  []string // of got
	bad    []string
}

func (w *webhookDesk) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.mu.Lock()
	defer w.mu.Unlock()
	if !hmac.Equal([]byte(r.Header.Get(notify.SignatureHeader)), []byte(notify.Sign(inventory.Secret(w.secret), b))) {
		w.bad = append(w.bad, "bad signature")
		http.Error(rw, "bad signature", http.StatusUnauthorized)
		return
	}
	var m notify.Message
	if err := json.Unmarshal(b, &m); err != nil || m.Schema != notify.SchemaVersion {
		w.bad = append(w.bad, fmt.Sprintf("body %s: %v", b, err))
		http.Error(rw, "bad body", http.StatusBadRequest)
		return
	}
	w.got, w.paths = append(w.got, m), append(w.paths, r.URL.Path)
}

// at returns the messages posted to path.
func (w *webhookDesk) at(path string) []notify.Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []notify.Message
	for i, m := range w.got {
		if w.paths[i] == path {
			out = append(out, m)
		}
	}
	return out
}

func (w *webhookDesk) messages() []notify.Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]notify.Message(nil), w.got...)
}

func writeSecret(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(s+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// startWebhook serves a webhookDesk that wants secret until the test
// ends; it returns the desk, its server's URL and an outlet URL that
// delivers to its /hook (the secret in a file).
func startWebhook(t *testing.T, secret string) (wh *webhookDesk, base, outlet string) {
	t.Helper()
	wh = &webhookDesk{secret: secret}
	srv := httptest.NewServer(wh)
	t.Cleanup(srv.Close)
	return wh, srv.URL, "webhook+" + srv.URL + "/hook?secret_file=" + writeSecret(t, secret)
}

// newNotifier is a hub notifier on data with the outlets urls, parsed for
// a hub named host.
func newNotifier(t *testing.T, cfg NotifyConfig, data *HubStore, host string, urls ...string) *Notifier {
	t.Helper()
	eps, err := ParseOutlets(urls, notify.ParseOptions{Hostname: host})
	if err != nil {
		t.Fatal(err)
	}
	return NewNotifier(cfg, data, eps, slog.New(slog.DiscardHandler))
}

// runNotifier is newNotifier, running until the test ends. It returns once
// Run's first scan is over, so that scan never comes between a test's
// summary and its decision on it (a loaded machine may start the goroutine
// late).
func runNotifier(t *testing.T, cfg NotifyConfig, data *HubStore, host string, urls ...string) *Notifier {
	t.Helper()
	nt := newNotifier(t, cfg, data, host, urls...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- nt.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "the notifier's first scan", func() bool {
		nt.mu.Lock() // held through a scan: once it counts one, that one is over
		defer nt.mu.Unlock()
		return nt.scans > 0
	})
	return nt
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHubNotifyContract: the hub raises one message per site and problem
// from the summaries it ingests: triggered, updated when the device list
// grows, cleared when the problem is gone. A signed webhook gets every
// site's; each PSA outlet (ConnectWise, Autotask, HaloPSA, against
// notify's contract receivers, psatest) limited to one site opens one
// ticket per problem under that site's company, through 401 and 500
// answers (and ConnectWise's 429), adds a note on the update and closes the ticket on the clear. A
// new notifier over the same store sends nothing twice. On the embedded
// store and on PostgreSQL.
func TestHubNotifyContract(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		globexKey, err := th.data.AddSite("globex")
		if err != nil {
			t.Fatal(err)
		}
		wh, _, hook := startWebhook(t, "hook-secret")
		desks := map[string]*psatest.Desk{}
		base := map[string]string{}
		for _, v := range []string{"connectwise", "autotask", "halopsa"} {
			desks[v] = psatest.NewDesk()
			desks[v].ClientID = "tend-test"
			if v == "connectwise" {
				desks[v].FailNext(401, 429, 500) // ConnectWise's 429 says Retry-After: 2
			} else {
				desks[v].FailNext(401, 500) // without Retry-After the outlets wait a minute (TestPSAContracts has their 429s)
			}
			srv := httptest.NewServer(desks[v].Handler(v))
			t.Cleanup(srv.Close)
			base[v] = srv.URL
		}
		urls := []string{
			hook,
			"connectwise+" + base["connectwise"] + "/v4_6_release/apis/3.0?company_id=msp&public_key=PUBKEY&private_key_file=" + writeSecret(t, "PRIVKEY") +
				"&client_id=tend-test&company=MSPDefault&sites=acme&site_companies=acme:AcmeCorp",
			"autotask+" + base["autotask"] + "/ATServicesRest/V1.0?username=api@msp.example&integration_code=INTEGRATIONCODE&secret_file=" + writeSecret(t, "ATSECRET") +
				"&company_id=1&queue_id=8&sites=acme&site_companies=acme:175",
			"halopsa+" + base["halopsa"] + "?client_id=halo-client&secret_file=" + writeSecret(t, "HALOSECRET") + "&tenant=acme&company_id=1&sites=acme&site_companies=acme:12",
		}
		company := map[string]string{"connectwise": "AcmeCorp", "autotask": "175", "halopsa": "12"}
		eps, err := ParseOutlets(urls, notify.ParseOptions{Hostname: "hub1"})
		if err != nil {
			t.Fatal(err)
		}
		cfg := NotifyConfig{Link: "https://hub.example/", Every: time.Hour, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Now: th.clk.Now}
		nt := NewNotifier(cfg, th.data, eps, slog.New(slog.DiscardHandler))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- nt.Run(ctx) }()
		stopped := false
		stop := func() {
			if !stopped {
				cancel()
				<-done
				stopped = true
			}
		}
		t.Cleanup(stop)

		community := problemJSON("snmp_default_community-aaaaaaaaaaaa", "snmp_default_community", "high", "SNMP answers a default community on 2 devices", "02:00:00:00:00:01", "02:00:00:00:00:02")
		rogue := problemJSON("rogue_dhcp-bbbbbbbbbbbb", "rogue_dhcp", "critical", "Rogue DHCP server", "02:00:00:00:00:09")
		ingest(t, th, "acme", th.key, 1, siteSummary("acme", "box1", 1, community, rogue))
		ingest(t, th, "globex", globexKey, 1, siteSummary("globex", "box1", 1, rogue))
		if err := nt.Scan(); err != nil {
			t.Fatal(err)
		}
		community3 := problemJSON("snmp_default_community-aaaaaaaaaaaa", "snmp_default_community", "high", "SNMP answers a default community on 3 devices", "02:00:00:00:00:01", "02:00:00:00:00:02", "02:00:00:00:00:03")
		ingest(t, th, "acme", th.key, 2, siteSummary("acme", "box1", 2, community3))
		if err := nt.Scan(); err != nil {
			t.Fatal(err)
		}

		waitFor(t, "five webhook messages", func() bool { return len(wh.messages()) >= 5 })
		var got []string
		for _, m := range wh.messages() {
			got = append(got, fmt.Sprintf("%s %s %s %d", m.Site, m.Key, m.Status, m.Count))
			if m.Site == "acme" && m.Link != "https://hub.example/sites/acme" {
				t.Errorf("link %q", m.Link)
			}
		}
		want := []string{ // within one scan, sites in name order; triggered before cleared
			"acme rogue_dhcp-bbbbbbbbbbbb triggered 1",
			"acme snmp_default_community-aaaaaaaaaaaa triggered 2",
			"globex rogue_dhcp-bbbbbbbbbbbb triggered 1",
			"acme snmp_default_community-aaaaaaaaaaaa updated 3",
			"acme rogue_dhcp-bbbbbbbbbbbb cleared 1",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("webhook got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}

		for i, v := range []string{"connectwise", "autotask", "halopsa"} {
			d := desks[v]
			waitFor(t, v+": the rogue DHCP ticket closed", func() bool {
				closed := 0
				for _, tk := range d.Tickets() {
					if tk.Closed {
						closed++
					}
				}
				st := nt.Outlets()[1+i]
				return closed == 1 && st.Queued == 0 && st.Delivered == 4
			})
			tickets := d.Tickets()
			if len(tickets) != 2 || len(d.Errs()) != 0 || d.Pending() != 0 {
				t.Errorf("%s: %d tickets (want 2: acme's only), refused %v, failures left %d", v, len(tickets), d.Errs(), d.Pending())
			}
			notes := 0
			for id, tk := range tickets {
				if tk.Company != company[v] {
					t.Errorf("%s: ticket %d under company %s, want acme's %s", v, id, tk.Company, company[v])
				}
				if strings.Contains(tk.Title, "Rogue") != tk.Closed {
					t.Errorf("%s: ticket %d %q closed %t", v, id, tk.Title, tk.Closed)
				}
				notes += len(tk.Notes)
			}
			if notes != 2 { // the update's note, and the clear's before closing
				t.Errorf("%s: %d notes, want 2", v, notes)
			}
		}
		st := nt.Outlets()
		if len(st) != 4 || st[1].Queued != 0 || st[1].Delivered != 4 {
			t.Errorf("outlet status %+v", st)
		}

		// A restarted hub: the same store, a new notifier.
		stop()
		nt2 := NewNotifier(cfg, th.data, eps, slog.New(slog.DiscardHandler))
		if err := nt2.Scan(); err != nil {
			t.Fatal(err)
		}
		for _, o := range nt2.Outlets() {
			if o.Queued != 0 {
				t.Errorf("after a restart %s queued %d messages again", o.Name, o.Queued)
			}
		}
	})
}

// TestHubNotifyOutletDownLosesNothing: an outlet that refuses to connect
// keeps every message in the hub's store, and gets them all, in order,
// once it is up (the problem that triggered and cleared meanwhile arrives
// as both).
func TestHubNotifyOutletDownLosesNothing(t *testing.T) {
	th := newTestHub(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: connection refused
	wh := &webhookDesk{secret: "s"}
	nt := runNotifier(t, NotifyConfig{Every: time.Hour, MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Now: th.clk.Now}, th.data, "",
		"webhook+http://"+addr+"/hook?secret_file="+writeSecret(t, "s"))

	rogue := problemJSON("rogue_dhcp-bbbbbbbbbbbb", "rogue_dhcp", "critical", "Rogue DHCP server", "02:00:00:00:00:09")
	ingest(t, th, "acme", th.key, 1, siteSummary("acme", "box1", 1, rogue))
	if err := nt.Scan(); err != nil {
		t.Fatal(err)
	}
	ingest(t, th, "acme", th.key, 2, siteSummary("acme", "box1", 2))
	if err := nt.Scan(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the refused connection reported", func() bool {
		st := nt.Outlets()
		return st[0].LastError != "" && st[0].Queued == 2
	})
	if e := nt.Outlets()[0].LastError; !strings.Contains(e, "connection refused") {
		t.Errorf("last error %q", e)
	}
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("port %s taken meanwhile: %v", addr, err)
	}
	srv := &http.Server{Handler: wh, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	waitFor(t, "both messages", func() bool { return len(wh.messages()) == 2 })
	ms := wh.messages()
	if ms[0].Status != notify.StatusTriggered || ms[1].Status != notify.StatusCleared || ms[0].Key != ms[1].Key {
		t.Errorf("got %s %s then %s %s", ms[0].Key, ms[0].Status, ms[1].Key, ms[1].Status)
	}
	time.Sleep(200 * time.Millisecond)
	if n := len(wh.messages()); n != 2 {
		t.Errorf("%d messages, want 2: none twice", n)
	}
}

// TestHubNotifySyslog: a real rsyslogd receives the hub's lines, naming
// the site and the problem.
func TestHubNotifySyslog(t *testing.T) {
	if _, err := exec.LookPath("rsyslogd"); err != nil {
		t.Skip("needs rsyslog (make deps)")
	}
	th := newTestHub(t)
	dir := t.TempDir()
	port := freeTCPPort(t)
	conf := filepath.Join(dir, "rsyslog.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf(`
global(workDirectory="%[1]s" net.ipprotocol="ipv4-only")
module(load="imtcp" maxSessions="10")
input(type="imtcp" address="127.0.0.1" port="%[2]d")
action(type="omfile" file="%[1]s/messages" template="RSYSLOG_SyslogProtocol23Format")
`, dir, port)), 0o600)
	cmd := exec.Command("rsyslogd", "-n", "-f", conf, "-i", filepath.Join(dir, "rsyslogd.pid"))
	out, _ := os.Create(filepath.Join(dir, "rsyslogd.log"))
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	release := testwatch.Adopt(cmd.Process)
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); release() })
	waitFor(t, "rsyslogd listening", func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	nt := runNotifier(t, NotifyConfig{Every: time.Hour, Now: th.clk.Now}, th.data, "hub1", "syslog+tcp://127.0.0.1:"+strconv.Itoa(port)+"?min_severity=high")
	ingest(t, th, "acme", th.key, 1, siteSummary("acme", "box1", 1,
		problemJSON("rogue_dhcp-bbbbbbbbbbbb", "rogue_dhcp", "critical", "Rogue DHCP server", "02:00:00:00:00:09"),
		problemJSON("long_uptime-cccccccccccc", "long_uptime", "low", "Devices running more than a year without a reboot on 1 devices", "02:00:00:00:00:04")))
	if err := nt.Scan(); err != nil {
		t.Fatal(err)
	}
	var text string
	waitFor(t, "the syslog line", func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "messages"))
		text = string(b)
		return strings.Contains(text, "Rogue DHCP server")
	})
	if !strings.Contains(text, " hub1 tend ") || !strings.Contains(text, `problem="rogue_dhcp-bbbbbbbbbbbb"`) || !strings.Contains(text, `site="acme"`) {
		t.Errorf("syslog line %q", text)
	}
	time.Sleep(300 * time.Millisecond)
	if b, _ := os.ReadFile(filepath.Join(dir, "messages")); strings.Contains(string(b), "reboot") {
		t.Errorf("a low problem passed min_severity=high: %s", b)
	}
}

func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestParseOutletsNamesTheParameter: a malformed --notify URL stops the hub
// before it starts, naming the parameter and never the secret.
func TestParseOutletsNamesTheParameter(t *testing.T) {
	sec := writeSecret(t, "hunter2")
	for _, tc := range []struct {
		urls []string
		want string
	}{
		{[]string{"webhook+https://h.example/x"}, `--notify (outlet 1): notify: bad outlet URL webhook+https://h.example/x: parameter "secret_file"`},
		{[]string{"syslog+udp://log.example", "slack+https://hooks.slack.com/services/T/B/hunter2?sites="}, ""},
		{[]string{"syslog+udp://log.example", "connectwise+https://cw.example?company_id=msp&public_key=p&private_key_file=" + sec + "&client_id=c&company=X&site_companies=acme"}, `outlet 2`},
		{[]string{"syslog+udp://log.example", "syslog+udp://log.example"}, "given twice"},
		{[]string{"smtp://u:hunter2@relay.example/?from=a@b.example&to=c@d.example"}, `parameter "password"`},
	} {
		_, err := ParseOutlets(tc.urls, notify.ParseOptions{})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%v: %v", tc.urls, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%v: %v, want %q", tc.urls, err, tc.want)
		case err != nil && strings.Contains(err.Error(), "hunter2"):
			t.Errorf("the error shows a secret: %v", err)
		case err != nil && !errors.Is(err, notify.ErrBadURL) && !strings.Contains(err.Error(), "twice"):
			t.Errorf("%v: %v is not ErrBadURL", tc.urls, err)
		}
	}
}

// uiLogin signs user in and returns its client and a CSRF token.
func uiLogin(t *testing.T, th *testHub, user string) (*http.Client, string) {
	t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw-for-test"), bcrypt.MinCost)
	if err := th.data.PutUser(user, string(hash)); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := th.srv.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	_, page, _ := get(t, hc, th.srv.URL+"/login", "")
	resp, err := hc.PostForm(th.srv.URL+"/login", url.Values{"csrf": {csrfField.FindStringSubmatch(page)[1]}, "username": {user}, "password": {"pw-for-test"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %v %v", user, err, resp)
	}
	resp.Body.Close()
	_, page, _ = get(t, hc, th.srv.URL+"/sites", "")
	return hc, csrfField.FindStringSubmatch(page)[1]
}

// TestHubNotifyFromBoxAndUI: a box's summary (built by upstream from its
// findings) reaches an outlet as one message per problem: five devices
// answering a default community are one message with five devices. An
// admin sees the outlet and test-sends through it; a read-only user does
// not see the outlets.
func TestHubNotifyFromBoxAndUI(t *testing.T) {
	th := newTestHub(t)
	wh, whURL, hook := startWebhook(t, "s")
	nt := runNotifier(t, NotifyConfig{Every: time.Hour, Now: th.clk.Now}, th.data, "", hook+"&min_severity=high")
	th.hub.SetNotifier(nt)
	cmdLine := nt.Outlets()[0].ID // the command line's outlet

	in := testSite(t, 12, t0)
	for _, d := range in.Snapshot.Devices[:5] {
		in.Findings = append(in.Findings, inventory.Finding{ID: "snmp_default_community-" + strings.ReplaceAll(d.MAC.String(), ":", ""),
			Rule: "snmp_default_community", Severity: inventory.SeverityHigh, Device: d.MAC.String(), Title: "SNMP answers public",
			Action: "Change the community.", State: inventory.FindingOpen, FirstSeen: t0})
	}
	c, _ := newTestClient(t, th, th.srv.URL, &in, 0)
	c.Enqueue(context.Background())
	if _, err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := nt.Scan(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the community problem", func() bool {
		for _, m := range wh.messages() {
			if m.Rule == "snmp_default_community" {
				return true
			}
		}
		return false
	})
	time.Sleep(200 * time.Millisecond)
	n := 0
	for _, m := range wh.messages() {
		if m.Rule == "snmp_default_community" {
			n++
			if m.Count != 5 || len(m.Devices) != 5 || m.Devices[0].Name == "" || m.Site != "acme" || !strings.HasPrefix(m.Title, "SNMP answers a default community on 5 devices") {
				t.Errorf("community message %+v", m)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d community messages, want one for the five devices", n)
	}

	hc, csrf := uiLogin(t, th, "ops")
	code, page, _ := get(t, hc, th.srv.URL+"/outlets", "")
	if code != http.StatusOK || !strings.Contains(page, "/hook?min_severity=high&amp;secret_file=REDACTED") || !strings.Contains(page, "≥ high") {
		t.Fatalf("outlets page: %d\n%s", code, page)
	}
	if strings.Contains(page, os.TempDir()+"/") {
		t.Errorf("the outlets page shows the secret file's path: %s", page)
	}
	resp, err := hc.PostForm(th.srv.URL+"/outlets/"+cmdLine+"/test", url.Values{"csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), "The outlet answered") || !strings.Contains(string(b), "200 OK") {
		t.Errorf("test send: %d\n%s", resp.StatusCode, b)
	}
	if ms := wh.messages(); ms[len(ms)-1].Status != notify.StatusTest {
		t.Errorf("the receiver got no test message: %+v", ms[len(ms)-1])
	}
	// Outlets managed on the page: a bad URL is refused naming the
	// parameter; a good one is added, delivered to and removed.
	postOutlet := func(path string, v url.Values) (int, string) {
		v.Set("csrf", csrf)
		resp, err := hc.PostForm(th.srv.URL+path, v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, page := postOutlet("/outlets", url.Values{"url": {"webhook+" + whURL + "/ui"}}); code != http.StatusBadRequest || !strings.Contains(page, "parameter &#34;secret_file&#34;") {
		t.Errorf("bad outlet URL: %d\n%s", code, page)
	}
	uiURL := "webhook+" + whURL + "/ui?secret_file=" + writeSecret(t, "s") + "&sites=acme"
	code, page = postOutlet("/outlets", url.Values{"url": {uiURL}})
	if code != http.StatusOK || !strings.Contains(page, "Added") || strings.Count(page, ">Remove</button>") != 1 || strings.Contains(page, os.TempDir()+"/") {
		t.Fatalf("add outlet: %d\n%s", code, page)
	}
	var added OutletRow
	for _, o := range nt.Outlets() {
		if o.FromUI {
			added = o
		}
	}
	if added.ID == "" || len(nt.Outlets()) != 2 {
		t.Fatalf("outlets after adding %+v", nt.Outlets())
	}
	if code, _ := postOutlet("/outlets", url.Values{"url": {uiURL}}); code != http.StatusBadRequest {
		t.Errorf("the same outlet added twice: %d", code)
	}
	if code, _ := postOutlet("/outlets/"+cmdLine+"/delete", url.Values{}); code != http.StatusBadRequest {
		t.Errorf("removing the command line's outlet: %d", code)
	}
	// The added outlet hears of a change from now on, and survives a new
	// notifier (a restarted hub) over the same store.
	in.Findings = in.Findings[:len(in.Findings)-1] // one device less
	c.Enqueue(context.Background())
	if _, err := c.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := nt.Scan(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the update at the added outlet", func() bool {
		ms := wh.at("/ui")
		return len(ms) == 1 && ms[0].Status == notify.StatusUpdated && ms[0].Rule == "snmp_default_community" && ms[0].Count == 4
	})
	if n := len(newNotifier(t, NotifyConfig{}, th.data, "", hook+"&min_severity=high").Outlets()); n != 2 {
		t.Errorf("a restarted hub has %d outlets, want 2", n)
	}
	if code, _ := postOutlet("/outlets/"+added.ID+"/delete", url.Values{}); code != http.StatusSeeOther {
		t.Errorf("remove outlet: %d", code)
	}
	if n := len(nt.Outlets()); n != 1 {
		t.Errorf("%d outlets after removing one", n)
	}
	if code, _ := postOutlet("/outlets/"+added.ID+"/delete", url.Values{}); code != http.StatusNotFound {
		t.Errorf("removing it again: %d", code)
	}

	if err := th.data.SetRole("viewer", UserRole{Role: RoleReadOnly}); err != nil {
		t.Fatal(err)
	}
	vc, _ := uiLogin(t, th, "viewer")
	if code, _, _ := get(t, vc, th.srv.URL+"/outlets", ""); code != http.StatusForbidden {
		t.Errorf("a read-only user sees the outlets: %d", code)
	}
}

// TestHubNotifyTwoHubsOnce: two hubs' notifiers (two holders) with the
// same outlet on one PostgreSQL both compare and both deliver, and the
// webhook gets each message once: the holder of the outlet's lease sends,
// the other waits.
func TestHubNotifyTwoHubsOnce(t *testing.T) {
	a := newTestHubOn(t, "postgres")
	wh, _, hook := startWebhook(t, "hook-secret")
	cfg := NotifyConfig{Every: 20 * time.Millisecond, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Now: a.clk.Now}
	nts := []*Notifier{newNotifier(t, cfg, a.data, "hub", hook), newNotifier(t, cfg, a.data, "hub", hook)}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, nt := range nts {
		wg.Add(1)
		go func() { defer wg.Done(); nt.Run(ctx) }()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
	// A problem more with each summary, so both hubs see news first now
	// and then, and both are woken to deliver the one queue.
	var ps []string
	for i := range 6 {
		ps = append(ps, problemJSON(fmt.Sprintf("rogue_dhcp-%012d", i), "rogue_dhcp", "critical", "Rogue DHCP server", fmt.Sprintf("02:00:00:00:00:%02d", i)))
		ingest(t, a, "acme", a.key, uint64(i+1), siteSummary("acme", "box1", uint64(i+1), ps...))
		time.Sleep(30 * time.Millisecond)
	}
	waitFor(t, "six webhook messages", func() bool { return len(wh.messages()) >= 6 })
	time.Sleep(500 * time.Millisecond) // time for a second sender to show itself
	seen := map[string]int{}
	for _, m := range wh.messages() {
		seen[m.Key+" "+string(m.Status)]++
	}
	if len(wh.messages()) != 6 || len(seen) != 6 {
		t.Errorf("%d messages for 6 problems: %v", len(wh.messages()), seen)
	}
}

// TestNotifyLeaseContended: hubs asking for a free lease at once get it
// one at a time, also when PostgreSQL makes the loser of a write conflict
// run its transaction again (40001): that run must not keep the first
// run's "got it".
func TestNotifyLeaseContended(t *testing.T) {
	th := newTestHubOn(t, "postgres")
	const hubs, rounds = 4, 40
	qs := make([]*leasedQueue, hubs)
	for i := range qs {
		qs[i] = &leasedQueue{notifyQueue: notifyQueue{th.data.db}, now: th.clk.Now, read: map[string]string{}}
	}
	for r := range rounds {
		outlet := fmt.Sprintf("o%d", r)
		var got atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, q := range qs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ok, err := q.Lease(outlet, fmt.Sprintf("hub%d", i), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					got.Add(1)
				}
			}()
		}
		close(start)
		wg.Wait()
		if n := got.Load(); n != 1 {
			t.Fatalf("round %d: %d hubs hold the lease of one outlet", r, n)
		}
	}
}

// TestNotifyLease: an outlet's delivery lease is one holder's until it runs
// out or is given up; the holder renews it; giving up another's does
// nothing.
func TestNotifyLease(t *testing.T) {
	th := newTestHubOn(t, "postgres")
	q := &leasedQueue{notifyQueue: notifyQueue{th.data.db}, now: th.clk.Now, read: map[string]string{}}
	step := func(holder string, d time.Duration, want bool) {
		t.Helper()
		if got, err := q.Lease("o1", holder, d); got != want || err != nil {
			t.Errorf("%s lease %v: %t %v, want %t", holder, d, got, err, want)
		}
	}
	step("a", time.Minute, true)
	step("b", time.Minute, false)
	step("a", time.Minute, true) // renewed
	step("b", 0, false)          // not b's to give up
	step("b", time.Minute, false)
	th.clk.Add(2 * time.Minute) // ran out
	step("b", time.Minute, true)
	step("a", time.Minute, false)
	step("b", 0, true) // given up
	step("a", time.Minute, true)
}

// TestHubNotifyStaleProblems: a hub that read a site's problems before
// another hub compared a newer summary does not tell the difference as news
// (a "cleared" for the problem the newer summary added, then "triggered"
// again): its compare fails and runs again over the newer summary.
func TestHubNotifyStaleProblems(t *testing.T) {
	a := newTestHubOn(t, "postgres")
	wh, _, hook := startWebhook(t, "hook-secret")
	cfg := NotifyConfig{Every: time.Hour, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Now: a.clk.Now}
	hubA, hubB := newNotifier(t, cfg, a.data, "hub", hook), newNotifier(t, cfg, a.data, "hub", hook)
	p0 := problemJSON("rogue_dhcp-000000000000", "rogue_dhcp", "critical", "Rogue DHCP server", "02:00:00:00:00:00")
	p1 := problemJSON("rogue_dhcp-000000000001", "rogue_dhcp", "critical", "Rogue DHCP server", "02:00:00:00:00:01")
	ingest(t, a, "acme", a.key, 1, siteSummary("acme", "box1", 1, p0))
	hubB.afterProblems = func(string) { // B has read summary 1; A compares summary 2 first
		ingest(t, a, "acme", a.key, 2, siteSummary("acme", "box1", 2, p0, p1))
		if err := hubA.Scan(); err != nil {
			t.Errorf("hub A: %v", err)
		}
	}
	if err := hubB.Scan(); err == nil {
		t.Log("hub B compared summary 1 over hub A's newer state without a race error")
	}
	hubB.afterProblems = nil
	if err := hubB.Scan(); err != nil {
		t.Fatalf("hub B's second scan: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); hubA.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "two webhook messages", func() bool { return len(wh.messages()) >= 2 })
	time.Sleep(300 * time.Millisecond) // time for a wrong third to show itself
	var got []string
	for _, m := range wh.messages() {
		got = append(got, m.Key+" "+string(m.Status))
	}
	slices.Sort(got)
	if want := []string{"rogue_dhcp-000000000000 triggered", "rogue_dhcp-000000000001 triggered"}; !slices.Equal(got, want) {
		t.Errorf("messages %q, want %q", got, want)
	}
}
