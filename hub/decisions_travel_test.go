package hub

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"tend/inventory"
	"tend/storage"
	"tend/upstream"
)

// boxFinding is an open finding id of rule on device, first seen at at.
func boxFinding(id, rule, device string, at time.Time) inventory.Finding {
	return inventory.Finding{ID: id, Rule: rule, Severity: inventory.SeverityHigh, Device: device,
		Title: rule + " on " + device, Action: "Fix it.", FirstSeen: at, LastSeen: at, State: inventory.FindingOpen}
}

// problemKeyOf is the key of the site's one problem of rule, as the box
// grouped it.
func problemKeyOf(t *testing.T, th *testHub, rule string) string {
	t.Helper()
	s, err := th.data.Site("acme")
	must(t, err)
	for _, p := range s.Problems {
		if p.Rule == rule {
			return p.Key
		}
	}
	t.Fatalf("no problem of %s at the hub: %+v", rule, s.Problems)
	return ""
}

// pushFrom makes and sends the box's next summary from its stored findings.
func pushFrom(t *testing.T, c *upstream.Client, box *storage.Store, in *upstream.Inputs) {
	t.Helper()
	fs, err := box.Findings()
	must(t, err)
	in.Findings = fs
	if _, err := c.Enqueue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Flush(context.Background()); err != nil || n != 1 {
		t.Fatalf("flush: %d %v", n, err)
	}
}

// TestDecisionsTravelToBox: the hub's decisions come back in the answer to
// the box's next summary and are taken into its findings (who, when, note,
// until), a problem's decision on each of its findings; a decision the
// box took after the hub's stands; once the box reports them no more, the
// hub's sweep after that summary deletes them. An old box (no header) gets
// none.
func TestDecisionsTravelToBox(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		t1 := th.clk.Now()
		const snmp = "snmp_default_community" // one problem for every device (findings' fleet rules)
		f1 := boxFinding("rogue_dhcp-000000000001", "rogue_dhcp", "02:00:00:00:00:01", t1)
		f2 := boxFinding(snmp+"-000000000002", snmp, "02:00:00:00:00:02", t1)
		f2b := boxFinding(snmp+"-000000000003", snmp, "02:00:00:00:00:03", t1)
		f3 := boxFinding("rogue_dhcp-000000000004", "rogue_dhcp", "02:00:00:00:00:04", t1)
		in := upstream.Inputs{Snapshot: inventory.Snapshot{Time: t1}}
		c, box := newTestClient(t, th, th.srv.URL, &in, 0)
		must(t, box.ReplaceFindings(func([]inventory.Finding) []inventory.Finding { return []inventory.Finding{f1, f2, f2b, f3} }))
		pushFrom(t, c, box, &in)

		k2 := problemKeyOf(t, th, snmp) // the SNMP problem covers f2 and f2b
		if k2 == f2.ID || k2 == f2b.ID {
			t.Fatalf("the SNMP findings are not one problem: %s", k2)
		}
		th.clk.Add(time.Minute)
		must(t, th.data.Decide("acme", f1.ID, Decision{State: DecisionAcknowledged, By: "ops", Note: "on it"}))
		must(t, th.data.Decide("acme", k2, Decision{State: DecisionSnoozed, By: "tech", Until: t1.Add(72 * time.Hour)}))
		must(t, th.data.Decide("acme", f3.ID, Decision{State: DecisionAcknowledged, By: "ops"}))
		hubAt := th.clk.Now()
		th.clk.Add(time.Minute) // on the box, someone reopens f3 after the hub's decision
		_, err := box.UpdateFinding(f3.ID, func(f *inventory.Finding) error {
			f.State, f.StateBy, f.StateAt, f.StateNote = inventory.FindingOpen, "anna", th.clk.Now(), "still seen" // as findings.Apply
			return nil
		})
		must(t, err)

		pushFrom(t, c, box, &in)
		got := map[string]inventory.Finding{}
		fs, err := box.Findings()
		must(t, err)
		for _, f := range fs {
			got[f.ID] = f
		}
		if f := got[f1.ID]; f.State != inventory.FindingAcknowledged || f.StateBy != "ops"+upstream.HubActorSuffix || f.StateNote != "on it" || !f.StateAt.Equal(hubAt) {
			t.Errorf("f1 on the box: %s by %q at %v %q; want acknowledged by ops at the hub at %v", f.State, f.StateBy, f.StateAt, f.StateNote, hubAt)
		}
		for _, id := range []string{f2.ID, f2b.ID} {
			if f := got[id]; f.State != inventory.FindingSnoozed || !f.Until.Equal(t1.Add(72*time.Hour)) || f.StateBy != "tech"+upstream.HubActorSuffix {
				t.Errorf("%s on the box: %s until %v by %q; want the hub's snooze", id, f.State, f.Until, f.StateBy)
			}
		}
		if f := got[f3.ID]; f.State != inventory.FindingOpen || f.StateBy != "anna" {
			t.Errorf("f3: the box's newer reopen lost to the hub's older decision: %s by %q", f.State, f.StateBy)
		}

		// The next summary no longer lists f1 and the SNMP problem: their
		// decisions at the hub are done with.
		pushFrom(t, c, box, &in)
		if ks := storedDecisions(t, th, "acme"); !slices.Equal(ks, []string{decPrefix("acme") + f3.ID}) {
			t.Errorf("decisions at the hub after the box took them: %v", ks)
		}
		// An old box sends no header and gets no decisions.
		code, r := signedPost(t, th, "old", 1, gzipJSON(t, summaryJSON("old", 1, "")))
		if code != http.StatusOK || r.Decisions != nil {
			t.Errorf("an old box got %d %+v", code, r.Decisions)
		}
		if st := c.Stats(); st.Delivered != 3 || st.Failures != 0 {
			t.Errorf("client stats %+v", st)
		}
	})
}
