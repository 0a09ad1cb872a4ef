package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/upstream"
)

// TestIngestUnchangedParts: a summary whose actions and problems are
// byte-equal to the previous one's is stored without decoding them again
// (partHashes), and reads back the same as one decoded: the site's actions,
// problems and open count, the history point's action counts; changed
// actions are decoded, and the first summary of a day writes the day's
// action notes.
func TestIngestUnchangedParts(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		key, _ := upstream.ParseSiteKey(th.key)
		seq := uint64(0)
		ingest := func(s *upstream.Summary) {
			t.Helper()
			seq++
			if _, err := ingestAcme(t, th, key, seq, s); err != nil {
				t.Fatalf("#%d: %v", seq, err)
			}
			th.clk.Add(5 * time.Minute)
		}
		in := testSite(t, 40, t0)
		full := boxSummary(t, "acme", t0, in)
		ingest(full)
		first, err := th.data.Site("acme")
		if err != nil || first.OpenActions == 0 || len(first.Problems) == 0 {
			t.Fatalf("first summary: %d actions, %d problems, %v", first.OpenActions, len(first.Problems), err)
		}
		ingest(full)
		var cnt siteCounters
		_ = th.data.db.view(func(tx kvTx) error {
			v, err := tx.Get("count:acme")
			if err == nil {
				err = json.Unmarshal([]byte(v), &cnt)
			}
			return err
		})
		hs := mustDecodeForHub(t, full)
		a, p := sha256.Sum256(hs.Actions), sha256.Sum256(hs.Problems)
		want := partHashes{Actions: hex.EncodeToString(a[:16]), Problems: hex.EncodeToString(p[:16])}
		if cnt.Parts != want || cnt.OpenActions != first.OpenActions {
			t.Errorf("counters keep %+v, %d open; want the summary's hashes and %d", cnt.Parts, cnt.OpenActions, first.OpenActions)
		}
		second, err := th.data.Site("acme")
		if err != nil || !reflect.DeepEqual(second.Actions, first.Actions) || !reflect.DeepEqual(second.Problems, first.Problems) ||
			second.OpenActions != first.OpenActions || second.Summaries != 2 {
			t.Errorf("second summary reads back %d actions, %d problems, %d open, %d summaries (%v); want those of the first",
				len(second.Actions), len(second.Problems), second.OpenActions, second.Summaries, err)
		}
		heads, _ := th.data.SiteHeads()
		if len(heads) != 1 || heads[0].OpenActions != first.OpenActions {
			t.Errorf("list record: %+v, want %d open actions", heads, first.OpenActions)
		}
		points, err := th.data.History("acme", t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil || len(points) != 2 || !reflect.DeepEqual(points[0].Actions, points[1].Actions) ||
			!reflect.DeepEqual(points[0].Open, points[1].Open) || len(points[1].Open) != first.OpenActions {
			t.Errorf("history %+v, %v: want two points with the same %d open actions", points, err, first.OpenActions)
		}

		fewer := in
		fewer.Findings = in.Findings[1:]
		ingest(boxSummary(t, "acme", t0, fewer))
		if third, _ := th.data.Site("acme"); third.OpenActions != first.OpenActions-1 || len(third.Actions) != third.OpenActions {
			t.Errorf("changed actions: %d open, %d listed; want %d", third.OpenActions, len(third.Actions), first.OpenActions-1)
		}

		th.clk.Add(24 * time.Hour)
		ingest(boxSummary(t, "acme", t0, fewer))
		day := th.clk.Now().Add(-5 * time.Minute)
		fresh := 0
		_ = th.data.db.view(func(tx kvTx) error {
			return tx.Ascend("act:acme:", func(_, v string) bool {
				var n ActionNote
				if json.Unmarshal([]byte(v), &n) == nil && n.LastSeen.Equal(day) {
					fresh++
				}
				return true
			})
		})
		if fresh != first.OpenActions-1 {
			t.Errorf("the next day's first summary noted %d actions, want %d", fresh, first.OpenActions-1)
		}
	})
}

func mustDecodeForHub(t *testing.T, s *upstream.Summary) *upstream.HubSummary {
	t.Helper()
	c := *s
	c.Site, c.Box, c.Seq, c.FirstSeq = "acme", "box", 1, 1
	body, err := upstream.EncodeBody(&c)
	if err != nil {
		t.Fatal(err)
	}
	h, err := upstream.DecodeForHub(body)
	if err != nil || strings.TrimSpace(string(h.Actions)) == "" {
		t.Fatalf("decode: %v", err)
	}
	return h
}

// TestPartsRecord: a site's actions and problems live in their own
// parts: record, written only when they change (an ingest of unchanged
// ones writes ~23 KB instead of ~72 KB for a 250-device site); a store
// from before parts: records reads back and is migrated by its next
// ingest, even one whose parts are unchanged; a site record an older hub
// wrote (actions inside, no parts_apart) wins over a stale parts: record;
// deleting the site deletes it. On both stores.
func TestPartsRecord(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		key, _ := upstream.ParseSiteKey(th.key)
		rec := &writeCounter{kv: th.data.db, sets: map[string]int{}}
		th.data.db = rec
		seq := uint64(0)
		ingest := func(s *upstream.Summary) {
			t.Helper()
			seq++
			if _, err := ingestAcme(t, th, key, seq, s); err != nil {
				t.Fatalf("#%d: %v", seq, err)
			}
		}
		get := func(k string) string {
			var v string
			_ = th.data.db.view(func(tx kvTx) error { v, _ = tx.Get(k); return nil })
			return v
		}
		in := testSite(t, 40, t0)
		full := boxSummary(t, "acme", t0, in)
		ingest(full)
		first, err := th.data.Site("acme")
		if err != nil || first.OpenActions == 0 || len(first.Problems) == 0 || rec.sets["parts"] != 1 {
			t.Fatalf("first summary: %d actions, %d problems, %d parts: writes, %v", first.OpenActions, len(first.Problems), rec.sets["parts"], err)
		}
		var fields map[string]json.RawMessage
		if json.Unmarshal([]byte(get("site:acme")), &fields); fields["actions"] != nil || fields["problems"] != nil {
			t.Error("the site record still holds the actions")
		}
		ingest(full)
		if rec.sets["parts"] != 1 {
			t.Errorf("unchanged actions written again: %d parts: writes", rec.sets["parts"])
		}

		// A store from before: the actions in the site record, no flag in
		// the counters, no parts: record. Its next ingest (unchanged
		// parts) writes the record.
		old, _ := json.Marshal(first)
		var cnt siteCounters
		_ = json.Unmarshal([]byte(get("count:acme")), &cnt)
		cnt.PartsApart = false
		oldCnt, _ := json.Marshal(cnt)
		_ = th.data.db.update(func(tx kvTx) error {
			return errors.Join(tx.Set("site:acme", string(old)), tx.Set("count:acme", string(oldCnt)), tx.Delete("parts:acme"))
		})
		for _, when := range []string{"before parts: records", "after their migration"} {
			if s, err := th.data.Site("acme"); err != nil || !reflect.DeepEqual(s.Actions, first.Actions) || !reflect.DeepEqual(s.Problems, first.Problems) || s.OpenActions != first.OpenActions {
				t.Errorf("%s: %d actions, %d problems, %d open (%v); want %d, %d", when, len(s.Actions), len(s.Problems), s.OpenActions, err, len(first.Actions), len(first.Problems))
			}
			if all, err := th.data.Sites(); err != nil || len(all) != 1 || all[0].OpenActions != first.OpenActions || len(all[0].Problems) != len(first.Problems) {
				t.Errorf("%s: Sites %d, %v", when, len(all), err)
			}
			ingest(full)
		}
		if get("parts:acme") == "" {
			t.Error("the migrating ingest wrote no parts: record")
		}

		// An older hub's site record (no parts_apart) wins over a stale
		// parts: record.
		fewer := first
		fewer.Actions = first.Actions[1:]
		older, _ := json.Marshal(fewer)
		_ = th.data.db.update(func(tx kvTx) error { return tx.Set("site:acme", string(older)) })
		if s, _ := th.data.Site("acme"); len(s.Actions) != len(first.Actions)-1 || s.OpenActions != len(s.Actions) {
			t.Errorf("older hub's record: %d actions, %d open; want %d", len(s.Actions), s.OpenActions, len(first.Actions)-1)
		}

		if err := th.data.DeleteSite("acme"); err != nil || get("parts:acme") != "" {
			t.Errorf("after deleting the site its parts: record is %.40q (%v)", get("parts:acme"), err)
		}
	})
}

// writeCounter counts an ingest's writes by key prefix.
type writeCounter struct {
	kv
	sets map[string]int
}

type countingTx struct {
	kvTx
	w *writeCounter
}

func (w *writeCounter) updateSite(fn func(tx kvTx) error) error {
	return w.kv.updateSite(func(tx kvTx) error { return fn(countingTx{tx, w}) })
}

func (t countingTx) Set(k, v string) error {
	p, _, _ := strings.Cut(k, ":")
	t.w.sets[p]++
	return t.kvTx.Set(k, v)
}

// stateView is what a reader shows of a site's state parts, as JSON (map
// keys sorted, times as written), so a site read back compares with the
// summary it came from.
func stateView(t *testing.T, s SiteStatus) string {
	t.Helper()
	b, err := json.Marshal(struct {
		Health   upstream.Health
		ByType   map[string]int
		Forecast upstream.Forecast
		Vulns    *upstream.VulnSummary
		Hygiene  *upstream.Hygiene
	}{s.Health, s.ByType, s.Forecast, s.Vulns, s.Hygiene})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestStateRecord: a site's health, device types and forecast live in a
// state: record written only when they (or its vulnerabilities and
// hygiene) change, and an ingest of unchanged ones decodes none of them;
// every reader shows what the summary said, after each of a run of
// summaries that change each part in turn: Site, Sites, the list record
// (fleet page, /api/sites, /metrics, CSV), the history point's components,
// types and forecast counts, the forecast page. Also: a day's first
// summary, and one after the hub's clock went back, take nothing from a
// stale history point; a store from before state: records reads back and
// is migrated by its next ingest; an older hub's site record wins over a
// stale state: record; the forecast page's records are rebuilt from a
// state: record; deleting the site deletes it. On both stores.
func TestStateRecord(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		key, _ := upstream.ParseSiteKey(th.key)
		rec := &writeCounter{kv: th.data.db, sets: map[string]int{}}
		th.data.db = rec
		seq := uint64(0)
		get := func(k string) string {
			var v string
			_ = th.data.db.view(func(tx kvTx) error { v, _ = tx.Get(k); return nil })
			return v
		}
		// check compares every reader with want (the summary as the box
		// sent it, decoded).
		check := func(what string, want *upstream.Summary) {
			t.Helper()
			exp := SiteStatus{Health: want.Health, ByType: want.ByType, Forecast: want.Forecast, Vulns: want.Vulns, Hygiene: want.Hygiene}
			stateDefaults(&exp)
			wantView := stateView(t, exp)
			site, err := th.data.Site("acme")
			if err != nil || site.Broken != "" {
				t.Fatalf("%s: site: %v %s", what, err, site.Broken)
			}
			if got := stateView(t, site); got != wantView {
				t.Errorf("%s: Site reads\n%s\nwant\n%s", what, got, wantView)
			}
			all, err := th.data.Sites()
			if err != nil || len(all) != 1 || stateView(t, all[0]) != wantView {
				t.Errorf("%s: Sites reads %d sites (%v), not the summary's state", what, len(all), err)
			}
			heads, err := th.data.SiteHeads()
			if err != nil || len(heads) != 1 || stateView(t, heads[0]) != stateView(t, headOf(exp)) {
				t.Errorf("%s: the list record does not say what the summary said (%v)", what, err)
			}
			now := th.clk.Now()
			points, err := th.data.History("acme", now.Add(-time.Hour), now)
			if err != nil || len(points) == 0 {
				t.Fatalf("%s: history %d points, %v", what, len(points), err)
			}
			p := points[len(points)-1]
			comps := map[string]int{}
			for _, c := range want.Health.Components {
				comps[c.Name] = c.Score
			}
			if !p.Time.Equal(now) || p.Health != want.Health.Score || !reflect.DeepEqual(p.Components, comps) ||
				!reflect.DeepEqual(p.ByType, want.ByType) || p.EOL != want.Forecast.EOL || p.EOL12 != want.Forecast.EOL12Months {
				t.Errorf("%s: history point %+v; want health %d, components %v, types %v, eol %d/%d", what, p,
					want.Health.Score, comps, want.ByType, want.Forecast.EOL, want.Forecast.EOL12Months)
			}
			due, _, err := th.data.ForecastDue(0)
			wantDue := []SiteDue{}
			for _, d := range want.Forecast.Due {
				wantDue = append(wantDue, SiteDue{Site: "acme", Due: d})
			}
			byMAC := func(a, b SiteDue) int { return strings.Compare(a.MAC, b.MAC) }
			slices.SortFunc(due, byMAC)
			slices.SortFunc(wantDue, byMAC)
			gotJSON, _ := json.Marshal(due)
			if wantJSON, _ := json.Marshal(wantDue); err != nil || string(gotJSON) != string(wantJSON) {
				t.Errorf("%s: forecast page lists %s (%v), want %d devices", what, gotJSON, err, len(wantDue))
			}
		}
		ingest := func(what string, s *upstream.Summary, stateWrites int) {
			t.Helper()
			seq++
			before := rec.sets["state"]
			body, err := ingestAcme(t, th, key, seq, s)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if got := rec.sets["state"] - before; got != stateWrites {
				t.Errorf("%s: %d state: writes, want %d", what, got, stateWrites)
			}
			sent, err := upstream.DecodeBody(body)
			if err != nil {
				t.Fatal(err)
			}
			check(what, sent)
			th.clk.Add(5 * time.Minute)
		}

		in := testSite(t, 40, t0)
		full := boxSummary(t, "acme", t0, in)
		if len(full.Health.Components) < 2 || len(full.Forecast.Due) < 2 || len(full.ByType) < 2 {
			t.Fatalf("the test summary has %d components, %d due, %d types", len(full.Health.Components), len(full.Forecast.Due), len(full.ByType))
		}
		ingest("first summary", full, 1)
		var fields map[string]map[string]json.RawMessage
		_ = json.Unmarshal([]byte(get("site:acme")), &fields)
		if string(fields["health"]["components"]) != "null" || string(fields["forecast"]["due"]) != "null" {
			t.Errorf("the site record still holds health components %.40s, forecast list %.40s", fields["health"]["components"], fields["forecast"]["due"])
		}
		// The site record is its list record and two flags, as
		// json.Marshal writes them (writeRecords builds it from the list
		// record's text).
		var stored SiteStatus
		if err := json.Unmarshal([]byte(get("site:acme")), &stored); err != nil || !stored.PartsApart || !stored.StateApart {
			t.Fatalf("site record %v: parts_apart %v, state_apart %v", err, stored.PartsApart, stored.StateApart)
		}
		if b, _ := json.Marshal(stored); string(b) != get("site:acme") {
			t.Errorf("site record\n%s\nis not json.Marshal's\n%s", get("site:acme"), b)
		}
		ingest("unchanged", full, 0)

		health := *full
		health.Health.Components = slices.Clone(full.Health.Components)
		health.Health.Components[0].Score /= 2
		health.Health.Components[1].Detail += " (changed)"
		ingest("health changed", &health, 1)
		ingest("health unchanged since", &health, 0)

		types := health
		types.ByType = maps.Clone(health.ByType)
		types.ByType["printer"]++
		ingest("device types changed", &types, 1)

		fc := types
		fc.Forecast.Due = full.Forecast.Due[1:]
		fc.Forecast.EOL12Months--
		fc.Forecast.Behind++
		ingest("forecast changed", &fc, 1)
		ingest("forecast unchanged since", &fc, 0)

		vulns := fc
		vulns.Vulns = &upstream.VulnSummary{KEVDevices: 2, Affected: 3, KEV: []string{"CVE-2024-0001"}}
		ingest("vulnerabilities changed", &vulns, 1)
		hyg := vulns
		hyg.Hygiene = &upstream.Hygiene{Endpoints24h: 10, Protected24h: 7}
		ingest("hygiene changed", &hyg, 1)
		ingest("hygiene unchanged since", &hyg, 0)

		// The next day's first summary decodes its parts (no point of
		// its day to take components from); unchanged, nothing written.
		day := th.clk.Now()
		th.clk.Add(24 * time.Hour)
		ingest("next day", &hyg, 0)
		// The clock goes back to the day before, whose last point has
		// the components of health; this summary's are full's, as are
		// the site's last.
		back := hyg
		back.Health = full.Health
		ingest("next day, full's health", &back, 1)
		th.clk.t = day
		ingest("clock back a day", &back, 0)

		// A store from before state: records: the site record holds the
		// state, the counters have no State, no state: record.
		last, _ := th.data.Site("acme")
		old := last
		old.Actions, old.Problems, old.PartsApart = nil, nil, true
		oldJSON, _ := json.Marshal(old)
		var cnt siteCounters
		_ = json.Unmarshal([]byte(get("count:acme")), &cnt)
		cnt.State = ""
		oldCnt, _ := json.Marshal(cnt)
		_ = th.data.db.update(func(tx kvTx) error {
			return errors.Join(tx.Set("site:acme", string(oldJSON)), tx.Set("count:acme", string(oldCnt)), tx.Delete("state:acme"))
		})
		th.clk.Add(-5 * time.Minute) // check reads the history point of now
		check("before state: records", &back)
		th.clk.Add(5 * time.Minute)
		ingest("the migrating ingest", &back, 1)

		// An older hub's site record (no state_apart) wins over a stale
		// state: record.
		older := last
		older.Actions, older.Problems, older.PartsApart = nil, nil, true
		older.Health.Components = older.Health.Components[1:]
		olderJSON, _ := json.Marshal(older)
		_ = th.data.db.update(func(tx kvTx) error { return tx.Set("site:acme", string(olderJSON)) })
		if s, _ := th.data.Site("acme"); len(s.Health.Components) != len(last.Health.Components)-1 {
			t.Errorf("older hub's record: %d health components, want %d", len(s.Health.Components), len(last.Health.Components)-1)
		}
		_ = th.data.db.update(func(tx kvTx) error { return tx.Set("site:acme", string(oldJSON)) })
		ingest("after an older hub", &back, 0)

		// The forecast page's records of a store from before them are
		// built from the state: record.
		_ = th.data.db.update(func(tx kvTx) error { return errors.Join(tx.Delete("meta:index"), tx.Delete("fc:acme")) })
		th.clk.Add(-5 * time.Minute)
		check("forecast records rebuilt", &back)

		if err := th.data.DeleteSite("acme"); err != nil || get("state:acme") != "" {
			t.Errorf("after deleting the site its state: record is %.40q (%v)", get("state:acme"), err)
		}
	})
}

// ingestAcme ingests s as summary seq of box "box" of site "acme", signed
// with key, and returns the body it sent.
func ingestAcme(t *testing.T, th *testHub, key []byte, seq uint64, s *upstream.Summary) ([]byte, error) {
	t.Helper()
	c := *s
	c.Site, c.Box, c.Seq, c.FirstSeq = "acme", "box", seq, seq
	body, err := upstream.EncodeBody(&c)
	if err != nil {
		t.Fatal(err)
	}
	idem := upstream.IdempotencyKey(c.Box, c.Seq)
	_, err = th.data.Ingest("acme", idem, upstream.Sign(key, "acme", idem, body), body)
	return body, err
}
