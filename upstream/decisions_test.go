package upstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"tend/findings"
	"tend/inventory"
)

var replyKey = []byte("0123456789abcdef0123456789abcdef")

func signedReply(t testing.TB, r Reply, idem string) ([]byte, string) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return b, SignReply(replyKey, "acme", idem, b)
}

var decAt = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

func goodDecisions() *HubDecisions {
	return &HubDecisions{Version: DecisionsVersion, Items: []HubDecision{
		{Key: "rogue_dhcp-aaaaaaaaaaaa", State: HubAcknowledged, By: "Anna Müller", At: decAt, Note: "on it"},
		{Key: "snmp_default_community-bbbbbbbbbbbb", State: HubSnoozed, By: "ops", At: decAt, Until: decAt.Add(72 * time.Hour)},
	}}
}

// TestDecodeReply: decisions are kept only from a signed answer to this
// very summary, of a known version, each well formed; an answer without
// decisions needs no signature.
func TestDecodeReply(t *testing.T) {
	base := Reply{Status: "stored", LastSeq: 7, HubTime: decAt}
	b, sig := signedReply(t, Reply{Status: "stored", LastSeq: 7, HubTime: decAt, Decisions: goodDecisions()}, "box:7")
	r, err := DecodeReply(replyKey, "acme", "box:7", b, sig)
	if err != nil || r.Decisions == nil || !reflect.DeepEqual(r.Decisions.Items, goodDecisions().Items) || r.LastSeq != 7 {
		t.Fatalf("good reply: %+v %v", r, err)
	}
	if r, err := DecodeReply(replyKey, "acme", "box:7", mustJSON(t, base), ""); err != nil || r.Decisions != nil || r.Status != "stored" {
		t.Errorf("a reply without decisions: %+v %v", r, err)
	}
	for name, c := range map[string]struct {
		site, idem, sig string
		want            error
	}{
		"no signature":       {"acme", "box:7", "", ErrBadSignature},
		"another summary":    {"acme", "box:8", sig, ErrBadSignature},
		"another site":       {"beta", "box:7", sig, ErrBadSignature},
		"a summary's scheme": {"acme", "box:7", Sign(replyKey, "acme", "box:7", b), ErrBadSignature},
	} {
		r, err := DecodeReply(replyKey, c.site, c.idem, b, c.sig)
		if !errors.Is(err, c.want) || r.Decisions != nil || r.LastSeq != 7 {
			t.Errorf("%s: %v, decisions %v; want %v and the status kept", name, err, r.Decisions, c.want)
		}
	}
	bad := map[string]func(d *HubDecisions){
		"version 2":        func(d *HubDecisions) { d.Version = 2 },
		"unknown state":    func(d *HubDecisions) { d.Items[0].State = "ignored" },
		"no user":          func(d *HubDecisions) { d.Items[0].By = "" },
		"control in user":  func(d *HubDecisions) { d.Items[0].By = "a\nb" },
		"long note":        func(d *HubDecisions) { d.Items[0].Note = strings.Repeat("x", 1001) },
		"bad key":          func(d *HubDecisions) { d.Items[0].Key = "a/b" },
		"snooze no end":    func(d *HubDecisions) { d.Items[1].Until = time.Time{} },
		"ack with end":     func(d *HubDecisions) { d.Items[0].Until = decAt },
		"no time":          func(d *HubDecisions) { d.Items[0].At = time.Time{} },
		"twice":            func(d *HubDecisions) { d.Items[1].Key = d.Items[0].Key },
		"negative omitted": func(d *HubDecisions) { d.Omitted = -1 },
		"too many": func(d *HubDecisions) {
			for i := range MaxReplyDecisions {
				d.Items = append(d.Items, HubDecision{Key: fmt.Sprintf("k-%d", i), State: HubResolved, By: "ops", At: decAt})
			}
		},
	}
	for name, spoil := range bad {
		d := goodDecisions()
		spoil(d)
		b, sig := signedReply(t, Reply{Status: "stored", LastSeq: 7, Decisions: d}, "box:7")
		if r, err := DecodeReply(replyKey, "acme", "box:7", b, sig); err == nil || r.Decisions != nil {
			t.Errorf("%s: taken (%v)", name, err)
		}
	}
	deep := []byte(`{"status":"stored","decisions":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`)
	if _, err := DecodeReply(replyKey, "acme", "box:7", deep, ""); err == nil {
		t.Error("a reply nested 100 deep was read")
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecodeReply: the box reads the hub's answer, untrusted until its
// signature verifies: no panic, and decisions it keeps are well formed and
// survive a re-encoding unchanged.
func FuzzDecodeReply(f *testing.F) {
	b, sig := signedReply(f, Reply{Status: "stored", LastSeq: 3, HubTime: decAt, Decisions: goodDecisions()}, "box:3")
	f.Add(b, sig)
	f.Add([]byte(`{"status":"stored","decisions":{"version":1,"items":[]}}`), "")
	f.Add([]byte(`{"status":"refused","error":"x","last_seq":2}`), "")
	f.Fuzz(func(t *testing.T, body []byte, sig string) {
		fuzzReply(t, body, sig)
		// Signed as the hub would, so the decisions' checks are reached.
		fuzzReply(t, body, SignReply(replyKey, "acme", "box:3", body))
	})
}

func fuzzReply(t *testing.T, body []byte, sig string) {
	r, err := DecodeReply(replyKey, "acme", "box:3", body, sig)
	if r.Decisions == nil {
		return
	}
	if err != nil {
		t.Fatalf("decisions kept with error %v", err)
	}
	for i := range r.Decisions.Items {
		if msg := r.Decisions.Items[i].problem(); msg != "" {
			t.Fatalf("kept a bad decision: %s", msg)
		}
	}
	again, sig2 := signedReply(t, r, "box:3")
	r2, err := DecodeReply(replyKey, "acme", "box:3", again, sig2)
	if err != nil || !reflect.DeepEqual(r2.Decisions, r.Decisions) {
		t.Fatalf("round trip: %v\n%+v\n%+v", err, r.Decisions, r2.Decisions)
	}
}

// TestApplyDecisions: the newer decision wins, on the box's clock; every
// finding of a problem takes it; resolved findings and ended snoozes are
// left alone; the same decision again changes nothing.
func TestApplyDecisions(t *testing.T) {
	now := decAt.Add(time.Hour)
	open := func(rule, dev string) inventory.Finding {
		return inventory.Finding{ID: findings.ID(rule, dev), Rule: rule, Device: dev, State: inventory.FindingOpen}
	}
	a, b1, b2 := open("rogue_dhcp", "02:00:00:00:00:01"), open(findings.RuleSMBv1, "02:00:00:00:00:02"), open(findings.RuleSMBv1, "02:00:00:00:00:03")
	local := open("rogue_dhcp", "02:00:00:00:00:04")
	local.State, local.StateBy, local.StateAt = inventory.FindingAcknowledged, "anna", decAt.Add(30*time.Second)
	gone := open("rogue_dhcp", "02:00:00:00:00:05")
	gone.State, gone.StateBy, gone.StateAt = inventory.FindingResolved, findings.SystemActor, decAt.Add(-time.Hour)
	ds := []HubDecision{
		{Key: a.ID, State: HubSnoozed, By: "ops", At: decAt, Note: "after hours", Until: now.Add(time.Hour)},
		{Key: findings.ProblemKey(&b1, nil), State: HubAcknowledged, By: "tech", At: decAt},
		{Key: local.ID, State: HubResolved, By: "ops", At: decAt},
		{Key: gone.ID, State: HubAcknowledged, By: "ops", At: decAt},
	}
	fs, n := applyDecisions([]inventory.Finding{a, b1, b2, local, gone}, nil, ds, time.Minute, now) // the hub's clock a minute ahead
	if n != 3 {
		t.Errorf("%d changed, want 3", n)
	}
	if f := fs[0]; f.State != inventory.FindingSnoozed || f.StateBy != "ops at the hub" || f.StateNote != "after hours" ||
		!f.Until.Equal(now.Add(time.Hour)) || !f.StateAt.Equal(decAt.Add(-time.Minute)) {
		t.Errorf("a: %+v", f)
	}
	for _, f := range fs[1:3] {
		if f.State != inventory.FindingAcknowledged || f.StateBy != "tech at the hub" {
			t.Errorf("problem member %s: %+v", f.ID, f)
		}
	}
	if fs[3].State != inventory.FindingAcknowledged || fs[3].StateBy != "anna" {
		t.Errorf("the box's newer decision lost: %+v", fs[3])
	}
	if fs[4].State != inventory.FindingResolved {
		t.Errorf("a cleared finding was revived: %+v", fs[4])
	}
	if _, n := applyDecisions(fs, nil, ds, 2*time.Minute, now); n != 0 {
		t.Errorf("the same decisions again changed %d findings", n)
	}
	ended := []HubDecision{{Key: local.ID, State: HubSnoozed, By: "ops", At: now, Until: now}}
	if _, n := applyDecisions([]inventory.Finding{open("rogue_dhcp", "02:00:00:00:00:04")}, nil, ended, 0, now); n != 0 {
		t.Error("a snooze that has ended on the box's clock was taken")
	}
	future := []HubDecision{{Key: a.ID, State: HubAcknowledged, By: "ops", At: now.Add(time.Hour)}}
	if fs, _ := applyDecisions([]inventory.Finding{open("rogue_dhcp", "02:00:00:00:00:01")}, nil, future, 0, now); !fs[0].StateAt.Equal(now) {
		t.Errorf("a decision from the box's future is dated %v, want now", fs[0].StateAt)
	}
}
