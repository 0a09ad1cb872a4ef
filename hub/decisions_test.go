package hub

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"tend/storage"
)

var (
	probA = problemJSON("rogue_dhcp-aaaaaaaaaaaa", "rogue_dhcp", "critical", "Rogue DHCP server", "02:00:00:00:00:01")
	probB = problemJSON("snmp_default_community-bbbbbbbbbbbb", "snmp_default_community", "high", "SNMP default community", "02:00:00:00:00:02")
)

const keyA, keyB = "rogue_dhcp-aaaaaaaaaaaa", "snmp_default_community-bbbbbbbbbbbb"

// storedDecisions is the site's dec: records as the store holds them.
func storedDecisions(t *testing.T, th *testHub, site string) []string {
	t.Helper()
	var ks []string
	if err := th.data.db.view(func(tx kvTx) error {
		return tx.Ascend(decPrefix(site), func(k, _ string) bool { ks = append(ks, k); return true })
	}); err != nil {
		t.Fatal(err)
	}
	return ks
}

// TestDecisionsStore: a decision is kept per site and action key; bad
// decisions are refused with a reason and change nothing; a snooze past
// its date counts as open; reopen deletes; an action the box no longer
// reports drops its decision at the sweep after its summary (a read
// writes nothing), and so does deleting the site.
func TestDecisionsStore(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		ingest(t, th, "acme", th.key, 1, siteSummary("acme", "box1", 1, probA, probB))
		now := th.clk.Now()
		for _, c := range []struct {
			key  string
			d    Decision
			want error
		}{
			{"nope", Decision{State: DecisionAcknowledged, By: "ops"}, storage.ErrNotFound},
			{keyA, Decision{State: DecisionSnoozed, By: "ops", Until: now.Add(-time.Hour)}, ErrBadDecision},
			{keyA, Decision{State: "ignored", By: "ops"}, ErrBadDecision},
			{keyA, Decision{State: DecisionAcknowledged}, ErrBadDecision},
			{keyA, Decision{State: DecisionAcknowledged, By: "ops", Note: strings.Repeat("x", maxDecisionNote+1)}, ErrBadDecision},
		} {
			if err := th.data.Decide("acme", c.key, c.d); !errors.Is(err, c.want) {
				t.Errorf("Decide(%s, %+v): %v, want %v", c.key, c.d.State, err, c.want)
			}
		}
		if err := th.data.Decide("nosuch", keyA, Decision{State: DecisionResolved, By: "ops"}); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("decision on an unknown site: %v", err)
		}
		if ks := storedDecisions(t, th, "acme"); len(ks) != 0 {
			t.Fatalf("refused decisions were stored: %v", ks)
		}
		must(t, th.data.Decide("acme", keyA, Decision{State: DecisionAcknowledged, By: "ops", Note: "on it"}))
		must(t, th.data.Decide("acme", keyB, Decision{State: DecisionSnoozed, By: "tech", Until: now.Add(72 * time.Hour)}))
		live := []string{keyA, keyB}
		ds, err := th.data.Decisions("acme", live, now)
		if err != nil || len(ds) != 2 || ds[keyA].Note != "on it" || ds[keyA].By != "ops" || ds[keyB].State != DecisionSnoozed || !ds[keyA].At.Equal(now) {
			t.Fatalf("decisions %+v, %v", ds, err)
		}
		if ds, _ := th.data.Decisions("acme", live, now.Add(73*time.Hour)); len(ds) != 1 || ds[keyA].State != DecisionAcknowledged {
			t.Errorf("after the snooze's date: %+v, want only the acknowledgement", ds)
		}
		must(t, th.data.Decide("acme", keyB, Decision{By: "ops"})) // reopen
		if ks := storedDecisions(t, th, "acme"); len(ks) != 1 {
			t.Errorf("after reopening B: %v", ks)
		}
		ingest(t, th, "acme", th.key, 2, siteSummary("acme", "box1", 2, probB)) // A fixed on the box
		s, err := th.data.Site("acme")
		must(t, err)
		if ds, err := th.data.Decisions("acme", liveKeys(s), now); err != nil || len(ds) != 0 {
			t.Errorf("decision on an action no longer reported: %+v %v", ds, err)
		}
		if ks := storedDecisions(t, th, "acme"); len(ks) != 1 {
			t.Errorf("reading the decisions wrote: %v", ks)
		}
		if ds, err := th.data.SweepDecisions("acme", now); err != nil || len(ds) != 0 {
			t.Errorf("sweep: %+v %v", ds, err)
		}
		if ks := storedDecisions(t, th, "acme"); len(ks) != 0 {
			t.Errorf("the dropped decision is still stored after the sweep: %v", ks)
		}
		must(t, th.data.Decide("acme", keyB, Decision{State: DecisionResolved, By: "ops"}))
		must(t, th.data.DeleteSite("acme"))
		if ks := storedDecisions(t, th, "acme"); len(ks) != 0 {
			t.Errorf("decisions outlive their site: %v", ks)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// decidePost posts a decision form as hc and returns the status.
func decidePost(t *testing.T, hc *http.Client, th *testHub, site string, form url.Values) int {
	t.Helper()
	resp, err := hc.PostForm(th.srv.URL+"/sites/"+site+"/actions", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestDecideActionsUI: admins and technicians decide from the site page
// (CSRF-checked, audited); read-only users and client viewers see the
// state without forms and are refused.
func TestDecideActionsUI(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		ingest(t, th, "acme", th.key, 1, siteSummary("acme", "box1", 1, probA, probB))
		hc, csrf := uiLogin(t, th, "ops")
		_, page, _ := get(t, hc, th.srv.URL+"/sites/acme", "")
		if strings.Count(page, `action="/sites/acme/actions"`) != 2 || !strings.Contains(page, `value="2026-12-01"`) {
			t.Fatalf("admin: want a form per action with a week's snooze as default:\n%s", page)
		}
		form := url.Values{"csrf": {csrf}, "key": {keyA}, "do": {"acknowledge"}, "note": {"calling the client"}}
		for _, bad := range []struct {
			change func(url.Values)
			want   int
		}{
			{func(v url.Values) { v.Set("csrf", "forged") }, http.StatusForbidden},
			{func(v url.Values) { v.Set("do", "ignore") }, http.StatusBadRequest},
			{func(v url.Values) { v.Set("do", "snooze"); v.Set("until", "next week") }, http.StatusBadRequest},
			{func(v url.Values) { v.Set("do", "snooze"); v.Set("until", "2026-11-01") }, http.StatusBadRequest},
			{func(v url.Values) { v.Set("key", "gone-000") }, http.StatusNotFound},
		} {
			v := url.Values{}
			for k, x := range form {
				v[k] = x
			}
			bad.change(v)
			if code := decidePost(t, hc, th, "acme", v); code != bad.want {
				t.Errorf("%v: %d, want %d", v, code, bad.want)
			}
		}
		if ks := storedDecisions(t, th, "acme"); len(ks) != 0 {
			t.Fatalf("refused posts stored %v", ks)
		}
		if code := decidePost(t, hc, th, "acme", form); code != http.StatusSeeOther {
			t.Fatalf("admin acknowledges: %d", code)
		}
		must(t, th.data.SetRole("ops", UserRole{Role: RoleTechnician}))
		snooze := url.Values{"csrf": {csrf}, "key": {keyB}, "do": {"snooze"}, "until": {"2026-12-01"}}
		if code := decidePost(t, hc, th, "acme", snooze); code != http.StatusSeeOther {
			t.Fatalf("technician snoozes: %d", code)
		}
		_, page, _ = get(t, hc, th.srv.URL+"/sites/acme", "")
		for _, want := range []string{"acknowledged", "calling the client", "snoozed</span> until 2026-12-01", `<option value="reopen">`} {
			if !strings.Contains(page, want) {
				t.Errorf("site page lacks %q", want)
			}
		}
		if code, _, _ := get(t, hc, th.srv.URL+"/sites", ""); code != 200 {
			t.Errorf("technician's fleet page: %d", code)
		}
		for _, path := range []string{"/sites", "/sites/acme/key"} {
			resp, err := hc.PostForm(th.srv.URL+path, url.Values{"csrf": {csrf}, "name": {"Intruder"}})
			must(t, err)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("technician posting to %s: %d, want 403", path, resp.StatusCode)
			}
		}
		log, err := th.data.AuditLog(10)
		must(t, err)
		var audit []string
		for _, e := range log {
			audit = append(audit, e.Actor+" "+e.Action+" "+e.Target)
		}
		for _, want := range []string{"ops action acknowledge acme " + keyA, "ops action snooze until 2026-12-01 acme " + keyB} {
			if !strings.Contains(strings.Join(audit, "\n"), want) {
				t.Errorf("audit log lacks %q: %q", want, audit)
			}
		}
		checkNoDecide(t, th, hc, csrf)
	})
}

// checkNoDecide: read-only users and client viewers see the decisions but
// no form, and their posts are refused (a client viewer's on another
// site as if it did not exist).
func checkNoDecide(t *testing.T, th *testHub, hc *http.Client, csrf string) {
	t.Helper()
	other, err := th.data.AddSite("globex")
	must(t, err)
	ingest(t, th, "globex", other, 1, siteSummary("globex", "box1", 1, probA))
	reopen := url.Values{"csrf": {csrf}, "key": {keyA}, "do": {"reopen"}}
	for _, c := range []struct {
		role        UserRole
		site        string
		code        int
		seesActions bool
	}{
		{UserRole{Role: RoleReadOnly}, "acme", http.StatusForbidden, true},
		{UserRole{Role: RoleClient, Site: "acme"}, "acme", http.StatusForbidden, true},
		{UserRole{Role: RoleClient, Site: "globex"}, "acme", http.StatusNotFound, false},
	} {
		must(t, th.data.SetRole("ops", c.role))
		if code := decidePost(t, hc, th, c.site, reopen); code != c.code {
			t.Errorf("%+v reopening on %s: %d, want %d", c.role, c.site, code, c.code)
		}
		_, page, _ := get(t, hc, th.srv.URL+"/sites/acme", "")
		if strings.Contains(page, "/actions\"") || (c.seesActions && !strings.Contains(page, "acknowledged")) {
			t.Errorf("%+v: a form, or no state, on the site page", c.role)
		}
	}
	if ds, _ := th.data.Decisions("acme", []string{keyA, keyB}, th.clk.Now()); len(ds) != 2 {
		t.Errorf("refused posts changed the decisions: %+v", ds)
	}
}

// TestDecisionsHoldAlerts: the hub's alerting says nothing more about an
// action acknowledged, snoozed or resolved at the hub (not an update, not
// a trigger for one decided before it was ever sent), and goes on once
// it is reopened.
func TestDecisionsHoldAlerts(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		wh, _, hook := startWebhook(t, "hook-secret")
		cfg := NotifyConfig{Every: time.Hour, MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Now: th.clk.Now}
		nt := runNotifier(t, cfg, th.data, "hub1", hook)

		probA2 := problemJSON(keyA, "rogue_dhcp", "critical", "Rogue DHCP servers", "02:00:00:00:00:01", "02:00:00:00:00:03")
		probC := problemJSON("weak_tls-cccccccccccc", "weak_tls", "medium", "Weak TLS", "02:00:00:00:00:04")
		steps := []struct {
			problems []string
			decide   func()
		}{
			{[]string{probA}, nil},
			{[]string{probA2, probC}, func() { // A acknowledged, C resolved before it was ever sent
				must(t, th.data.Decide("acme", keyA, Decision{State: DecisionAcknowledged, By: "ops"}))
				must(t, th.data.Decide("acme", "weak_tls-cccccccccccc", Decision{State: DecisionResolved, By: "ops"}))
			}},
			{[]string{probA2, probC, probB}, func() { // B snoozed at once, as a week
				must(t, th.data.Decide("acme", keyB, Decision{State: DecisionSnoozed, By: "ops", Until: th.clk.Now().Add(7 * 24 * time.Hour)}))
			}},
			{[]string{probA2, probB}, func() { must(t, th.data.Decide("acme", keyA, Decision{By: "ops"})) }}, // A reopened; C gone
			{nil, func() { th.clk.Add(8 * 24 * time.Hour) }},                                                 // B's snooze over, no new summary
		}
		for i, s := range steps {
			if s.problems != nil {
				ingest(t, th, "acme", th.key, uint64(i+1), siteSummary("acme", "box1", uint64(i+1), s.problems...))
			}
			if s.decide != nil {
				s.decide()
			}
			must(t, nt.Scan())
		}
		want := []string{
			keyA + " triggered 1",
			keyA + " updated 2", // reopened: what was held goes out
			keyB + " triggered 1",
		}
		waitFor(t, "three webhook messages", func() bool { return len(wh.messages()) >= len(want) })
		time.Sleep(100 * time.Millisecond) // and no more
		var got []string
		for _, m := range wh.messages() {
			got = append(got, fmt.Sprintf("%s %s %d", m.Key, m.Status, m.Count))
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("webhook got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestDecisionsOldBox: a 1.0 summary's actions (no problems) are decided
// on by their ids, the key its alerts follow.
func TestDecisionsOldBox(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		extra := `,"actions":[{"id":"f-0001","rule":"weak_tls","severity":"medium","device":"02:00:00:00:00:01","title":"Weak TLS","action":"Fix it."}]`
		if code, r := signedPost(t, th, "b1", 1, gzipJSON(t, summaryJSON("b1", 1, extra))); code != http.StatusOK {
			t.Fatalf("ingest: %d %+v", code, r)
		}
		hc, csrf := uiLogin(t, th, "ops")
		if code := decidePost(t, hc, th, "acme", url.Values{"csrf": {csrf}, "key": {"f-0001"}, "do": {"resolve"}}); code != http.StatusSeeOther {
			t.Fatalf("resolve: %d", code)
		}
		_, page, _ := get(t, hc, th.srv.URL+"/sites/acme", "")
		if !strings.Contains(page, `name="key" value="f-0001"`) || !strings.Contains(page, ">resolved</span>") {
			t.Errorf("the action's form or state is missing:\n%s", page)
		}
	})
}

// TestReadPrefix: readPrefix (the handler's read of a site's decisions
// after each summary) gives every key with the prefix and no other, in
// order, below and above one PostgreSQL chunk (one statement, or a view).
func TestReadPrefix(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		for _, n := range []int{0, 3, scanChunk, scanChunk + 45} {
			prefix := fmt.Sprintf("dec:n%d:", n)
			var want []string
			must(t, th.data.db.update(func(tx kvTx) error {
				for i := range n {
					k := fmt.Sprintf("%s%05d", prefix, i)
					want = append(want, k+"="+fmt.Sprint(i))
					if err := tx.Set(k, fmt.Sprint(i)); err != nil {
						return err
					}
				}
				return errors.Join(tx.Set(fmt.Sprintf("dec:n%d;", n), "after"), tx.Set(fmt.Sprintf("dec:n%d", n), "before"))
			}))
			var got []string
			must(t, th.data.readPrefix(prefix, func(k, v string) { got = append(got, k+"="+v) }))
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%d keys: read %d: %.80q…", n, len(got), got)
			}
		}
	})
}
