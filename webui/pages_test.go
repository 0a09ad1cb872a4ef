package webui

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/google/go-cmp/cmp"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"tend/internal/testclock"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"tend/findings"
	"tend/inventory"
	"tend/storage"
)

// public lists the routes that need no session; every other route is
// checked by TestEveryRouteNeedsSession, so a new page cannot forget auth.
var public = map[string]bool{
	"GET /healthz": true, "GET /static/:file": true, "GET /login": true, "POST /login": true, "POST /setup": true,
}

func concrete(path string) string {
	path = strings.ReplaceAll(path, ":mac", "00:1b:54:aa:bb:01")
	return strings.ReplaceAll(path, ":id", findings.ID(findings.RuleScan, "00:1b:54:aa:bb:01"))
}

func TestEveryRouteNeedsSession(t *testing.T) {
	f := newFixture(t, Config{ScanNow: func(context.Context) error { return nil }})
	f.seed()
	s := f.login("alice")
	routes := f.srv.engine.Routes()
	if len(routes) < 12 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, r := range routes {
		if public[r.Method+" "+r.Path] {
			continue
		}
		path := concrete(r.Path)
		var form url.Values
		if r.Method == http.MethodPost {
			form = url.Values{"do": {"acknowledge"}, "label": {"x"}}
		}
		// No session: browsers go to the sign-in page, scripts get 401.
		if res := f.do(request{method: r.Method, path: path, form: form}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
			t.Errorf("%s %s without session = %d to %q, want 303 to /login", r.Method, path, res.StatusCode, res.Header.Get("Location"))
		}
		if res := f.do(request{method: r.Method, path: path, form: form, json: true}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s (JSON) without session = %d, want 401", r.Method, path, res.StatusCode)
		}
		// A session but no CSRF token: every POST is refused.
		if r.Method == http.MethodPost {
			if res := f.do(request{method: r.Method, path: path, form: form, cookies: []*http.Cookie{s.cookie}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s without CSRF = %d, want 403", r.Method, path, res.StatusCode)
			}
			bad := url.Values{"csrf": {s.csrf[:len(s.csrf)-2] + "AA"}, "do": {"acknowledge"}}
			if res := f.do(request{method: r.Method, path: path, form: bad, cookies: []*http.Cookie{s.cookie}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s %s with a wrong CSRF token = %d, want 403", r.Method, path, res.StatusCode)
			}
		}
	}
}

// setupFixture is a server over a store with no users and a live setup
// code in a file.
func setupFixture(t *testing.T) (*fixture, string, string) {
	t.Helper()
	clk := &clock{t: testclock.Now().Truncate(time.Second)}
	st, err := storage.Open(":memory:", storage.Config{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	code, hash := NewSetupCode()
	if err := st.PutSetupCode(storage.SetupCode{Hash: hash, Created: clk.Now(), Expires: clk.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "setup-code")
	if err := os.WriteFile(file, []byte(code+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Now: clk.Now, SetupCodeFile: file}, st, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	srv.hashPassword = func(pw string) (string, error) { // HashPassword's rules at bcrypt's cheapest cost
		if len(pw) < minPasswordLen || len(pw) > maxPasswordLen {
			return "", errors.New("bad password")
		}
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		return string(h), err
	}
	return &fixture{t: t, clock: clk, st: st, srv: srv, h: srv.Handler()}, code, file
}

func TestFirstRunSetup(t *testing.T) {
	f, code, file := setupFixture(t)
	page := f.do(request{path: "/login"})
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, `action="/setup"`) || !strings.Contains(page.body, file) {
		t.Fatalf("GET /login on a fresh box = %d, want the first-run form:\n%s", page.StatusCode, page.body)
	}
	if strings.Contains(page.body, code) {
		t.Fatal("the setup page shows the code")
	}
	ck := page.cookie(f.srv.loginCSRFCookie)
	token := formCSRF(t, page.body)
	post := func(form url.Values) response {
		form.Set("csrf", token)
		return f.do(request{method: http.MethodPost, path: "/setup", cookies: []*http.Cookie{ck}, form: form})
	}
	// No default password: there is no user to sign in as.
	if has, err := f.st.HasUsers(); has || err != nil {
		t.Fatalf("fresh box has users: %v", err)
	}
	if res := post(url.Values{"code": {"AAAA-BBBB-CCCC-DDDD"}, "username": {"admin"}, "password": {testPassword}, "password2": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong code = %d, want 401", res.StatusCode)
	}
	if res := post(url.Values{"code": {code}, "username": {"admin"}, "password": {"short"}, "password2": {"short"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("short password = %d, want 400", res.StatusCode)
	}
	if res := post(url.Values{"code": {code}, "username": {"admin"}, "password": {testPassword}, "password2": {testPassword + "x"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("mismatched passwords = %d, want 400", res.StatusCode)
	}
	if res := f.do(request{method: http.MethodPost, path: "/setup", cookies: []*http.Cookie{ck},
		form: url.Values{"code": {code}, "username": {"admin"}, "password": {testPassword}, "password2": {testPassword}}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("setup without CSRF = %d, want 403", res.StatusCode)
	}
	// The code as a person types it: lower case, spaces for dashes.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	res := post(url.Values{"code": {typed}, "username": {"admin"}, "password": {testPassword}, "password2": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" || res.cookie(f.srv.sessionCookie) == nil {
		t.Fatalf("setup = %d to %q:\n%s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("setup-code file survives setup: %v", err)
	}
	if _, err := f.st.SetupCode(); err == nil {
		t.Error("setup code survives setup")
	}
	// Used once: a second administrator cannot be made with it.
	res = post(url.Values{"code": {code}, "username": {"mallory"}, "password": {testPassword}, "password2": {testPassword}})
	if _, err := f.st.User("mallory"); err == nil || res.cookie(f.srv.sessionCookie) != nil {
		t.Errorf("second setup made a user: %d", res.StatusCode)
	}
	if page := f.do(request{path: "/login"}); strings.Contains(page.body, `action="/setup"`) {
		t.Error("setup form still shown after setup")
	}
	if res := f.tryLogin("admin", testPassword, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("admin cannot sign in: %d", res.StatusCode)
	}
}

// seedFindings stores findings as the runner would.
func (f *fixture) seedFindings() []inventory.Finding {
	f.t.Helper()
	now := f.clock.Now()
	mac, _ := inventory.ParseMAC("00:1b:54:aa:bb:01")
	in := findings.Input{Snapshot: inventory.Snapshot{Time: now, Devices: []inventory.Device{
		{MAC: mac, Type: inventory.TypeSwitch, FirstSeen: now.Add(-time.Hour), LastSeen: now.Add(-time.Hour),
			SNMP:   &inventory.SNMPSystem{Version: "2c", DefaultCommunity: true, Uptime: 500 * 24 * time.Hour},
			Health: &inventory.Health{Battery: &inventory.Battery{OnBattery: true}}},
	}}}
	cur := findings.Evaluate(in)
	if err := f.st.ReplaceFindings(func(old []inventory.Finding) []inventory.Finding { return findings.Reconcile(old, cur, now) }); err != nil {
		f.t.Fatal(err)
	}
	return cur
}

func TestActionsTriage(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	cur := f.seedFindings()
	if len(cur) < 4 {
		t.Fatalf("%d findings seeded", len(cur))
	}
	s := f.login("alice")
	page := f.do(request{path: "/actions", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"UPS running on battery", "SNMP answers a default community", "core-sw", `action="/actions/` + cur[0].ID + `"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/actions lacks %q", want)
		}
	}
	id := findings.ID(findings.RuleSNMPDefaultCommunity, "00:1b:54:aa:bb:01")
	res := f.do(request{method: http.MethodPost, path: "/actions/" + id, cookies: []*http.Cookie{s.cookie},
		form: url.Values{"csrf": {s.csrf}, "do": {"acknowledge"}, "note": {"changing it Friday"}, "return": {"https://evil.example/"}}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/actions" {
		t.Fatalf("acknowledge = %d to %q (off-site return must be ignored)", res.StatusCode, res.Header.Get("Location"))
	}
	got, _ := f.st.Finding(id)
	if got.State != inventory.FindingAcknowledged || got.StateBy != "alice" || got.StateNote != "changing it Friday" {
		t.Errorf("after acknowledge: %+v", got)
	}
	// Snooze with a date, as JSON.
	until := f.clock.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	up := findings.ID(findings.RuleLongUptime, "00:1b:54:aa:bb:01")
	jres := f.do(request{method: http.MethodPost, path: "/actions/" + up, json: true, cookies: []*http.Cookie{s.cookie},
		form: url.Values{"csrf": {s.csrf}, "do": {"snooze"}, "until": {until}}})
	var ans inventory.Finding
	if err := json.Unmarshal([]byte(jres.body), &ans); err != nil || ans.State != inventory.FindingSnoozed || ans.Until.Format(time.DateOnly) != until {
		t.Errorf("snooze = %d %v %+v", jres.StatusCode, err, ans)
	}
	for _, bad := range []url.Values{{"do": {"snooze"}, "until": {"2001-01-01"}}, {"do": {"explode"}}, {"do": {"snooze"}, "until": {"soon"}}} {
		bad.Set("csrf", s.csrf)
		if r := f.do(request{method: http.MethodPost, path: "/actions/" + up, cookies: []*http.Cookie{s.cookie}, form: bad}); r.StatusCode != http.StatusBadRequest {
			t.Errorf("bad change %v = %d, want 400", bad, r.StatusCode)
		}
	}
	if r := f.do(request{method: http.MethodPost, path: "/actions/scan-000000000000", cookies: []*http.Cookie{s.cookie},
		form: url.Values{"csrf": {s.csrf}, "do": {"resolve"}}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown finding = %d, want 404", r.StatusCode)
	}
	// Filters: the active list no longer holds the snoozed one.
	var list actionsView
	lres := f.do(request{path: "/actions", json: true, cookies: []*http.Cookie{s.cookie}})
	if err := json.Unmarshal([]byte(lres.body), &list); err != nil {
		t.Fatal(err)
	}
	for _, x := range list.Findings {
		if x.ID == up {
			t.Error("snoozed finding listed as active")
		}
	}
	if len(list.Findings) != len(cur)-1 {
		t.Errorf("%d active findings, want %d", len(list.Findings), len(cur)-1)
	}
	lres = f.do(request{path: "/actions?state=snoozed", json: true, cookies: []*http.Cookie{s.cookie}})
	_ = json.Unmarshal([]byte(lres.body), &list)
	if len(list.Findings) != 1 || list.Findings[0].ID != up {
		t.Errorf("snoozed filter: %+v", list.Findings)
	}
	lres = f.do(request{path: "/actions?severity=critical&state=all", json: true, cookies: []*http.Cookie{s.cookie}})
	_ = json.Unmarshal([]byte(lres.body), &list)
	if len(list.Findings) != 1 || list.Findings[0].Rule != findings.RuleUPSOnBattery {
		t.Errorf("critical filter: %+v", list.Findings)
	}
}

func TestDashboard(t *testing.T) {
	f := newFixture(t, Config{
		Events: func(limit int) ([]inventory.Event, error) {
			return []inventory.Event{{Time: testclock.Now(), Type: inventory.EventNewDevice, Severity: inventory.SeverityInfo, Summary: "new printer"}}, nil
		},
		Traffic: func() []TrafficPoint {
			t0 := testclock.Now().Add(-time.Hour)
			return []TrafficPoint{{t0, 100}, {t0.Add(30 * time.Minute), 5000}, {t0.Add(time.Hour), 2500}}
		},
	})
	f.seed()
	f.seedFindings()
	// A host in another subnet that only the core switch's ARP table names:
	// counted apart, not as an unknown device of this LAN.
	remote, _ := inventory.ParseMAC("00:1b:54:aa:cc:07")
	if _, err := f.st.Apply(inventory.Observation{Time: f.clock.Now(), Source: inventory.SourceSNMP, MAC: remote, IP: netip.MustParseAddr("192.168.40.7"),
		Evidence: []inventory.Evidence{{Source: "ARP table", Detail: "switch 10.0.0.2"}}}); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	page := f.do(request{path: "/", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"Site health", `class="gauge`, "<polyline", "new printer", "UPS running on battery", `href="/devices?type=switch"`,
		`<a href="/devices?type=remote">1 device in other subnets</a>, known only from routers' ARP tables`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page.body, "style=") || strings.Contains(page.body, "<script") {
		t.Error("dashboard has inline style or script (the CSP would block it)")
	}
	var d struct {
		Health struct {
			Score      int
			Components []findings.Component
		}
		OpenBySeverity []severityCount `json:"open_by_severity"`
		DevicesByType  []typeCount     `json:"devices_by_type"`
		Devices        int             `json:"devices"`
		Remote         int             `json:"remote_devices"`
	}
	jres := f.do(request{path: "/", json: true, cookies: []*http.Cookie{s.cookie}})
	if err := json.Unmarshal([]byte(jres.body), &d); err != nil {
		t.Fatal(err)
	}
	onLAN := 0
	for _, tc := range d.DevicesByType {
		onLAN += tc.Count
	}
	if d.Remote != 1 || onLAN != d.Devices-1 {
		t.Errorf("dashboard json: %d devices, %d by type on the LAN, %d remote; want the ARP-table host apart", d.Devices, onLAN, d.Remote)
	}
	// The devices page lists it under "remote", not "unknown".
	for filter, want := range map[string]bool{"remote": true, "unknown": false} {
		var list devicesView
		res := f.do(request{path: "/devices?type=" + filter, json: true, cookies: []*http.Cookie{s.cookie}})
		if err := json.Unmarshal([]byte(res.body), &list); err != nil {
			t.Fatal(err)
		}
		listed := slices.ContainsFunc(list.Devices, func(d inventory.Device) bool { return d.MAC.String() == remote.String() })
		if listed != want || (filter == "remote" && list.Count != 1) {
			t.Errorf("type=%s lists the ARP-table host: %v (%d devices), want %v", filter, listed, list.Count, want)
		}
	}
	if d.Health.Score <= 0 || d.Health.Score >= 100 || len(d.Health.Components) != 5 || d.OpenBySeverity[0].Count != 1 || len(d.DevicesByType) == 0 {
		t.Errorf("dashboard json: %+v", d)
	}
}

func TestEditDeviceAndCSV(t *testing.T) {
	var refreshed int
	f := newFixture(t, Config{Refresh: func() { refreshed++ }})
	f.seed()
	s := f.login("alice")
	path := "/devices/00:11:32:00:00:03"
	res := f.do(request{method: http.MethodPost, path: path, cookies: []*http.Cookie{s.cookie},
		form: url.Values{"csrf": {s.csrf}, "label": {"=HYPERLINK(\"x\") backup NAS"}, "role": {findings.RoleBackupTarget}, "purchase_date": {"2018-05-02"}}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path || refreshed != 1 {
		t.Fatalf("edit = %d to %q, refreshed %d:\n%s", res.StatusCode, res.Header.Get("Location"), refreshed, res.body)
	}
	page := f.do(request{path: path, cookies: []*http.Cookie{s.cookie}})
	if !strings.Contains(page.body, `value="2018-05-02"`) || !strings.Contains(page.body, `<option value="backup_target" selected>`) {
		t.Errorf("device page does not show the edit:\n%s", page.body)
	}
	for _, bad := range []url.Values{{"purchase_date": {"2999-01-01"}}, {"purchase_date": {"yesterday"}}, {"label": {strings.Repeat("x", 201)}}} {
		bad.Set("csrf", s.csrf)
		if r := f.do(request{method: http.MethodPost, path: path, cookies: []*http.Cookie{s.cookie}, form: bad}); r.StatusCode != http.StatusBadRequest {
			t.Errorf("bad edit %v = %d, want 400", bad, r.StatusCode)
		}
	}
	if r := f.do(request{method: http.MethodPost, path: "/devices/00:00:5e:00:53:99", cookies: []*http.Cookie{s.cookie},
		form: url.Values{"csrf": {s.csrf}, "label": {"x"}}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("edit of an unseen device = %d", r.StatusCode)
	}

	csvRes := f.do(request{path: "/devices.csv?q=nas", cookies: []*http.Cookie{s.cookie}})
	if csvRes.StatusCode != http.StatusOK || !strings.HasPrefix(csvRes.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv = %d %s", csvRes.StatusCode, csvRes.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(csvRes.body)).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("csv rows: %v %q", err, csvRes.body)
	}
	if rows[1][0] != "00:11:32:00:00:03" || rows[1][3] != `'=HYPERLINK("x") backup NAS` || rows[1][4] != "backup_target" {
		t.Errorf("csv row: %q", rows[1])
	}
}

// TestDeviceRowsEscaped: the device table body is written without
// html/template, so prove hostile sensor data stays text.
func TestDeviceRowsEscaped(t *testing.T) {
	f := newFixture(t, Config{})
	mac, _ := inventory.ParseMAC("00:11:32:00:00:66")
	if _, err := f.st.Apply(inventory.Observation{Time: f.clock.Now(), Source: inventory.SourceSNMP, MAC: mac,
		Hostname: `<script>alert(1)</script>`, Vendor: `"><img src=x onerror=alert(2)>`, Type: `printer" onclick="x`,
		Firmware: "1.0 & <b>", Serial: "'single'"}); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	page := f.do(request{path: "/devices", cookies: []*http.Cookie{s.cookie}})
	for _, bad := range []string{"<script>alert", "<img src=x", `onclick="x`, "<b>"} {
		if strings.Contains(page.body, bad) {
			t.Errorf("device list contains unescaped %q", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;", "1.0 &amp; &lt;b&gt;", `badge-printeronclickx`} {
		if !strings.Contains(page.body, good) {
			t.Errorf("device list lacks escaped %q", good)
		}
	}
}

func TestDevicesTypeFilter(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	s := f.login("alice")
	var list devicesView
	res := f.do(request{path: "/devices?type=printer", json: true, cookies: []*http.Cookie{s.cookie}})
	if err := json.Unmarshal([]byte(res.body), &list); err != nil {
		t.Fatal(err)
	}
	if list.Count != 1 || list.Total != 5 || list.Devices[0].Hostname != "printer-2" || list.Type != "printer" {
		t.Errorf("type=printer: count %d of %d, %+v", list.Count, list.Total, list.Devices)
	}
	page := f.do(request{path: "/devices?type=unknown&sort=name", cookies: []*http.Cookie{s.cookie}})
	if !strings.Contains(page.body, `href="/devices.csv?sort=name&amp;type=unknown"`) || !strings.Contains(page.body, `<option value="unknown" selected>`) {
		t.Errorf("type filter not kept in links:\n%s", page.body)
	}
}

func TestReport(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	cur := f.seedFindings()
	now := f.clock.Now()
	if _, err := f.st.UpdateFinding(cur[0].ID, func(x *inventory.Finding) error {
		return findings.Apply(x, findings.Change{State: inventory.FindingResolved, By: "alice", Note: "new battery fitted"}, now)
	}); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	page := f.do(request{path: "/report", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"Client report: Acme Dental", "Done this quarter (1)", "new battery fitted", "Open actions (" + strconv.Itoa(len(cur)-1) + ")", `class="gauge`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	var rep reportView
	if err := json.Unmarshal([]byte(f.do(request{path: "/report", json: true, cookies: []*http.Cookie{s.cookie}}).body), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Done) != 1 || len(rep.Open) != len(cur)-1 || rep.Devices != 5 {
		t.Errorf("report json: done %d open %d devices %d", len(rep.Done), len(rep.Open), rep.Devices)
	}
}

func TestLifecycleOutlook(t *testing.T) {
	now := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	soon, past, far := now.AddDate(0, 2, 0), now.AddDate(-1, 0, 0), now.AddDate(3, 0, 0)
	mk := func(last byte, st inventory.LifecycleStatus, eol *time.Time) inventory.Device {
		mac, _ := inventory.ParseMAC("00:1b:54:00:00:0" + string('0'+last))
		return inventory.Device{MAC: mac, Hostname: "h" + string('0'+last), Lifecycle: &inventory.Lifecycle{Product: "fortios", Cycle: "7.0", Status: st, EOL: eol}}
	}
	devs := []inventory.Device{mk(1, inventory.StatusSecurityOnly, &soon), mk(2, inventory.StatusEOL, &past), mk(3, inventory.StatusCurrent, &far), {Hostname: "no verdict"}}
	forecast, eol := lifecycleOutlook(devs, now)
	if len(forecast) != 1 || forecast[0].Name != "h1" || forecast[0].Within != 3 {
		t.Errorf("forecast %+v", forecast)
	}
	if len(eol) != 1 || eol[0].Name != "h2" || !eol[0].EOL.Equal(past) {
		t.Errorf("eol %+v", eol)
	}
}

func TestAPIToken(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	f.seedFindings()
	tok, hash := NewAPIToken()
	if err := f.st.PutToken(storage.APIToken{Hash: hash, Name: "rmm", Created: f.clock.Now(), Scope: storage.RoleTechnician}); err != nil {
		t.Fatal(err)
	}
	bearer := func(v string) map[string]string { return map[string]string{"Authorization": v} }
	res := f.do(request{path: "/actions", json: true, header: bearer("Bearer " + tok)})
	if res.StatusCode != http.StatusOK || !strings.Contains(res.body, `"findings"`) {
		t.Fatalf("GET /actions with token = %d %s", res.StatusCode, res.body)
	}
	// No CSRF token needed: a bearer token is not an ambient credential.
	id := findings.ID(findings.RuleLongUptime, "00:1b:54:aa:bb:01")
	res = f.do(request{method: http.MethodPost, path: "/actions/" + id, json: true, header: bearer("Bearer " + tok), form: url.Values{"do": {"acknowledge"}}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST with token = %d %s", res.StatusCode, res.body)
	}
	if got, _ := f.st.Finding(id); got.StateBy != "token:rmm" {
		t.Errorf("state changed by %q, want token:rmm", got.StateBy)
	}
	for _, bad := range []string{"Bearer " + tok[:len(tok)-1] + "x", "Bearer " + strings.TrimPrefix(tok, "tend_"), "Basic " + tok, "Bearer "} {
		for _, r := range []request{{path: "/"}, {path: "/devices", json: true}, {method: http.MethodPost, path: "/actions/" + id, form: url.Values{"do": {"resolve"}}}} {
			r.header = bearer(bad)
			if res := f.do(r); res.StatusCode != http.StatusUnauthorized {
				t.Errorf("%s %s with %q = %d, want 401", cmpOr(r.method, "GET"), r.path, bad, res.StatusCode)
			}
		}
	}
	if err := f.st.DeleteToken("rmm"); err != nil {
		t.Fatal(err)
	}
	if res := f.do(request{path: "/actions", json: true, header: bearer("Bearer " + tok)}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", res.StatusCode)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func TestEventsPage(t *testing.T) {
	mac, _ := inventory.ParseMAC("00:1b:54:aa:bb:01")
	evs := []inventory.Event{
		{Time: testclock.Now(), Type: inventory.EventPortScan, Severity: inventory.SeverityHigh, MAC: mac, Summary: "scanned 1000 ports of 10.0.0.3",
			Evidence: []inventory.Evidence{{Source: "traffic", Detail: "SYN to 1000 ports in 4 s"}}},
		{Time: testclock.Now().Add(-time.Hour), Type: inventory.EventNewDevice, Severity: inventory.SeverityInfo, MAC: mac, Summary: "new device"},
		{Time: testclock.Now().Add(-2 * time.Hour), Type: inventory.EventNamePoisoning, Severity: inventory.SeverityHigh, MAC: mac, Summary: "answers LLMNR for names it does not own"},
	}
	f := newFixture(t, Config{Events: func(int) ([]inventory.Event, error) { return evs, nil }})
	s := f.login("alice")
	page := f.do(request{path: "/events", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"scanned 1000 ports", "SYN to 1000 ports", "new device", `href="/devices/00:1b:54:aa:bb:01"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("events page lacks %q", want)
		}
	}
	var v eventsView
	_ = json.Unmarshal([]byte(f.do(request{path: "/events?severity=medium", json: true, cookies: []*http.Cookie{s.cookie}}).body), &v)
	if v.Count != 2 || v.Events[0].Type != inventory.EventPortScan {
		t.Errorf("severity filter: %+v", v)
	}
	// Every detector's type filters, not only the first round's; tabs are
	// offered only for the types present.
	_ = json.Unmarshal([]byte(f.do(request{path: "/events?type=name_poisoning", json: true, cookies: []*http.Cookie{s.cookie}}).body), &v)
	if v.Count != 1 || v.Events[0].Type != inventory.EventNamePoisoning {
		t.Errorf("name_poisoning filter: %+v", v)
	}
	if !strings.Contains(page.body, `href="/events?type=name_poisoning"`) || strings.Contains(page.body, `href="/events?type=flood"`) {
		t.Error("event type tabs: want one for name_poisoning (present), none for flood (absent)")
	}
	_ = json.Unmarshal([]byte(f.do(request{path: "/events?type=new_device", json: true, cookies: []*http.Cookie{s.cookie}}).body), &v)
	if v.Count != 1 || v.Events[0].Type != inventory.EventNewDevice {
		t.Errorf("type filter: %+v", v)
	}
	none := newFixture(t, Config{})
	s2 := none.login("alice")
	if p := none.do(request{path: "/events", cookies: []*http.Cookie{s2.cookie}}); !strings.Contains(p.body, "No event store") {
		t.Error("events page without a store does not say so")
	}
}

func TestNetworkMap(t *testing.T) {
	m := func(s string) inventory.MAC { x, _ := inventory.ParseMAC(s); return x }
	fw, core, edge, pc := m("00:00:5e:00:53:01"), m("00:00:5e:00:53:02"), m("00:00:5e:00:53:03"), m("00:00:5e:00:53:04")
	devs := []inventory.Device{
		{MAC: fw, Hostname: "fw", Type: inventory.TypeFirewall},
		{MAC: core, Hostname: "core", Type: inventory.TypeSwitch, Neighbors: []inventory.Neighbor{
			{Protocol: "lldp", LocalPort: "Gi1/0/48", RemoteMAC: fw, RemotePort: "port1"},
			{Protocol: "cdp", LocalPort: "Gi1/0/1", RemoteName: "edge", RemotePort: "Gi0/24"},
			{Protocol: "lldp", LocalPort: "Gi1/0/2", RemoteName: "phone-sw", RemotePort: "1"}, // never seen by tend
		}},
		{MAC: edge, Hostname: "edge", Type: inventory.TypeSwitch},
		{MAC: pc, Hostname: "pc", Type: inventory.TypeWorkstation, Port: &inventory.SwitchPort{Switch: edge, Port: "Gi0/5"}},
		{MAC: m("00:00:5e:00:53:09"), Hostname: "lonely-ap", Type: inventory.TypeAP},
	}
	v := buildMap(devs)
	level := map[string]int{}
	for _, n := range v.Nodes {
		level[n.Name] = n.Level
		if n.X < 0 || n.Y < 0 || n.X+mapNodeW > v.Width || n.Y+mapNodeH > v.Height {
			t.Errorf("node %s at %d,%d outside %dx%d", n.Name, n.X, n.Y, v.Width, v.Height)
		}
		if n.Name == "pc" && n.Detail != "workstation · Gi0/5" {
			t.Errorf("pc's box says %q, want its type and port", n.Detail)
		}
	}
	want := map[string]int{"fw": 0, "core": 1, "edge": 2, "phone-sw": 2, "pc": 3, "lonely-ap": 4}
	if diff := cmpDiff(want, level); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
	if len(v.Links) != 4 {
		t.Errorf("%d links, want 4: %+v", len(v.Links), v.Links)
	}

	f := newFixture(t, Config{})
	f.seed()
	s := f.login("alice")
	page := f.do(request{path: "/map", cookies: []*http.Cookie{s.cookie}})
	if page.StatusCode != http.StatusOK || !strings.Contains(page.body, `<svg class="netmap"`) || !strings.Contains(page.body, "core-sw") {
		t.Errorf("map page = %d:\n%s", page.StatusCode, page.body)
	}
}

func cmpDiff(a, b any) string { return cmp.Diff(a, b) }

func TestAuditLog(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	f.seedFindings()
	s := f.login("alice")
	id := findings.ID(findings.RuleLongUptime, "00:1b:54:aa:bb:01")
	f.clock.Advance(time.Second)
	f.do(request{method: http.MethodPost, path: "/actions/" + id, cookies: []*http.Cookie{s.cookie}, form: url.Values{"csrf": {s.csrf}, "do": {"resolve"}, "note": {"rebooted"}}})
	f.clock.Advance(time.Second)
	f.do(request{method: http.MethodPost, path: "/devices/00:11:32:00:00:03", cookies: []*http.Cookie{s.cookie}, form: url.Values{"csrf": {s.csrf}, "label": {"NAS"}}})
	var v auditView
	res := f.do(request{path: "/audit", json: true, cookies: []*http.Cookie{s.cookie}})
	if err := json.Unmarshal([]byte(res.body), &v); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range v.Entries {
		got = append(got, e.User+" "+e.Action+" "+e.Target)
	}
	want := []string{"alice device_edited 00:11:32:00:00:03", "alice finding_resolved " + id, "alice login "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit (-want +got):\n%s", diff)
	}
	if page := f.do(request{path: "/audit", cookies: []*http.Cookie{s.cookie}}); !strings.Contains(page.body, "rebooted") {
		t.Error("audit page lacks the note")
	}
}

func TestSettings(t *testing.T) {
	f := newFixture(t, Config{Settings: func() BoxSettings {
		return BoxSettings{Interface: "eth0", Subnets: []string{"10.0.0.0/24"}, ScanInterval: 5 * time.Minute, SNMPCommunities: 2, SNMPv3Users: 1, Upstream: "https://hub.example:8443",
			Gateway: "10.0.0.1", DHCPServers: []string{"10.0.0.2"}, IPv6Routers: []string{"00:1a:a1:00:00:02", "00:1a:a1:00:00:03"}}
	}})
	f.srv.hashPassword = func(pw string) (string, error) {
		if len(pw) < minPasswordLen {
			return "", errors.New("short")
		}
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
		return string(h), err
	}
	tok, hash := NewAPIToken()
	_ = tok
	if err := f.st.PutToken(storage.APIToken{Hash: hash, Name: "rmm", Created: f.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	page := f.do(request{path: "/settings", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"eth0", "10.0.0.0/24", "2 communities", "1 v3 user configured", "https://hub.example:8443", "rmm", `value="bob"`, "new devices refused", "0 names, client identifiers and MAC links let go at the device merger",
		"10.0.0.1", "10.0.0.2", "00:1a:a1:00:00:02, 00:1a:a1:00:00:03"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}
	post := func(path string, form url.Values) response {
		form.Set("csrf", s.csrf)
		return f.do(request{method: http.MethodPost, path: path, cookies: []*http.Cookie{s.cookie}, form: form})
	}
	if r := post("/settings/users", url.Values{"username": {"zoe"}, "password": {testPassword}, "password2": {testPassword}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("add user = %d %s", r.StatusCode, r.body)
	}
	if _, err := f.st.User("zoe"); err != nil {
		t.Errorf("zoe not added: %v", err)
	}
	if r := post("/settings/users", url.Values{"username": {"zoe"}, "password": {testPassword}, "password2": {testPassword}}); r.StatusCode != http.StatusConflict {
		t.Errorf("duplicate user = %d", r.StatusCode)
	}
	if r := post("/settings/users", url.Values{"username": {"yan"}, "password": {"short"}, "password2": {"short"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("short password = %d", r.StatusCode)
	}
	if r := post("/settings/users/delete", url.Values{"username": {"alice"}}); r.StatusCode != http.StatusBadRequest {
		t.Errorf("delete yourself = %d", r.StatusCode)
	}
	if r := post("/settings/users/delete", url.Values{"username": {"bob"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("delete bob = %d", r.StatusCode)
	}
	if _, err := f.st.User("bob"); err == nil {
		t.Error("bob survives")
	}
	if r := post("/settings/tokens/delete", url.Values{"name": {"rmm"}}); r.StatusCode != http.StatusSeeOther {
		t.Errorf("revoke = %d", r.StatusCode)
	}
	if toks, _ := f.st.Tokens(); len(toks) != 0 {
		t.Errorf("token survives: %+v", toks)
	}
	if p := f.do(request{path: "/settings", cookies: []*http.Cookie{s.cookie}}); strings.Contains(p.body, "public") {
		t.Error("settings page shows a community")
	}
}

func TestDeviceTrafficChart(t *testing.T) {
	t0 := testclock.Now().Add(-time.Hour)
	f := newFixture(t, Config{DeviceTraffic: func(mac inventory.MAC) []TrafficPoint {
		if mac.String() != "00:11:32:00:00:03" {
			return nil
		}
		return []TrafficPoint{{t0, 10}, {t0.Add(time.Hour), 9_000_000}}
	}})
	f.seed()
	s := f.login("alice")
	if p := f.do(request{path: "/devices/00:11:32:00:00:03", cookies: []*http.Cookie{s.cookie}}); !strings.Contains(p.body, "<polyline") || !strings.Contains(p.body, "9.0 MB") {
		t.Errorf("device page lacks its traffic chart")
	}
	if p := f.do(request{path: "/devices/3c:2a:f4:00:00:20", cookies: []*http.Cookie{s.cookie}}); strings.Contains(p.body, "<polyline") {
		t.Errorf("chart drawn without data")
	}
}

func TestActionsPageBounded(t *testing.T) {
	f := newFixture(t, Config{})
	now := f.clock.Now()
	var many []inventory.Finding
	for i := range maxActionRows + 50 {
		dev := fmt.Sprintf("00:11:32:00:%02x:%02x", i/256, i%256)
		many = append(many, inventory.Finding{ID: findings.ID(findings.RuleUnknownDevice, dev), Rule: findings.RuleUnknownDevice, Device: dev,
			Severity: inventory.SeverityInfo, Title: "Unknown device awaiting triage: " + dev, Evidence: []inventory.Evidence{}, State: inventory.FindingOpen, FirstSeen: now, LastSeen: now})
	}
	if err := f.st.ReplaceFindings(func([]inventory.Finding) []inventory.Finding { return many }); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	page := f.do(request{path: "/actions", cookies: []*http.Cookie{s.cookie}})
	if n := strings.Count(page.body, `<li class="action card`); n != maxActionRows || !strings.Contains(page.body, "50 more") {
		t.Errorf("%d cards drawn, want %d and a note of 50 more", n, maxActionRows)
	}
	var v actionsView
	_ = json.Unmarshal([]byte(f.do(request{path: "/actions", json: true, cookies: []*http.Cookie{s.cookie}}).body), &v)
	if len(v.Findings) != maxActionRows+50 {
		t.Errorf("json has %d findings", len(v.Findings))
	}
}

// TestSettingsWatchCounters: once serve hands over the traffic watch's
// counters, the settings page and its JSON show what was dropped to stay
// within the caps; without a watch there is no such line.
func TestSettingsWatchCounters(t *testing.T) {
	f := newFixture(t, Config{})
	s := f.login("alice")
	if page := f.do(request{path: "/settings", cookies: []*http.Cookie{s.cookie}}); strings.Contains(page.body, "watch-counters") {
		t.Error("settings page shows watch counters without a watch")
	}
	f.srv.SetWatch(func() WatchCounters {
		return WatchCounters{Packets: 9000001, Hosts: 4096, HostsUntracked: 317, HostsEvicted: 2900, BindingsEvicted: 6100, TrackersDropped: 23, EventsDropped: 5, KernelDropped: 41, ObservationsDropped: 7}
	})
	page := f.do(request{path: "/settings", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"9000001 packets", "4096 hosts tracked", "frames of 317 beyond the host cap", "2900 hosts of a frame or two evicted", "6100 ARP and neighbour bindings evicted", "23 probes untracked", "5 events over the incident cap", "41 frames in the kernel", "7 observations"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}
	js := f.do(request{path: "/settings", json: true, cookies: []*http.Cookie{s.cookie}})
	var v struct {
		Watch *WatchCounters `json:"watch"`
	}
	if err := json.Unmarshal([]byte(js.body), &v); err != nil || v.Watch == nil || v.Watch.HostsUntracked != 317 || v.Watch.HostsEvicted != 2900 || v.Watch.BindingsEvicted != 6100 || v.Watch.KernelDropped != 41 {
		t.Errorf("settings JSON watch = %+v (%v): %s", v.Watch, err, js.body)
	}
}
