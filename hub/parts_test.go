package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
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
			c := *s
			c.Site, c.Box, c.Seq, c.FirstSeq = "acme", "box", seq, seq
			body, err := upstream.EncodeBody(&c)
			if err != nil {
				t.Fatal(err)
			}
			idem := upstream.IdempotencyKey(c.Box, c.Seq)
			if _, err := th.data.Ingest("acme", idem, upstream.Sign(key, "acme", idem, body), body); err != nil {
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
			c := *s
			c.Site, c.Box, c.Seq, c.FirstSeq = "acme", "box", seq, seq
			body, err := upstream.EncodeBody(&c)
			if err != nil {
				t.Fatal(err)
			}
			idem := upstream.IdempotencyKey(c.Box, c.Seq)
			if _, err := th.data.Ingest("acme", idem, upstream.Sign(key, "acme", idem, body), body); err != nil {
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
