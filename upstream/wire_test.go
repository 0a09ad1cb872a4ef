package upstream

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"
	"weak"

	"github.com/google/go-cmp/cmp"

	"tend/inventory"
)

var t0 = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func firstSummary(t testing.TB, n int) (*Summary, map[string]string, Inputs) {
	in := testSite(t, n, t0)
	s, dg := buildSummary(stateView{box: "box1"}, in, summaryMeta{site: "acme", version: "test", now: t0, interval: time.Minute})
	return s, dg, in
}

func gunzip(t testing.TB, body []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestSummaryRoundTrip(t *testing.T) {
	s, _, _ := firstSummary(t, 40)
	body, err := EncodeBody(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeBody(body)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(s, got); d != "" {
		t.Errorf("round trip differs (-sent +decoded):\n%s", d)
	}
	if got.Seq != 1 || got.FirstSeq != 1 || got.Coalesced != 1 || len(got.Changed) != 40 || got.Devices != 40 {
		t.Errorf("first summary: seq %d first %d coalesced %d changed %d devices %d", got.Seq, got.FirstSeq, got.Coalesced, len(got.Changed), got.Devices)
	}
	for i := 1; i < len(got.Actions); i++ {
		if got.Actions[i-1].Severity.Rank() < got.Actions[i].Severity.Rank() {
			t.Fatalf("actions not most severe first: %s before %s", got.Actions[i-1].Severity, got.Actions[i].Severity)
		}
	}
}

// TestSummaryDeltas: a device that does not change is not sent again; one
// that changes is, one that goes is listed as removed; events are only
// those after the previous summary.
func TestSummaryDeltas(t *testing.T) {
	s1, dg, in := firstSummary(t, 20)
	in.Snapshot.Devices[3].Firmware = "99.1"
	in.Snapshot.Devices[3].LastSeen = t0.Add(time.Hour) // alone, not a change
	in.Snapshot.Devices[4].LastSeen = t0.Add(time.Hour)
	gone := in.Snapshot.Devices[7].MAC.String()
	in.Snapshot.Devices = append(in.Snapshot.Devices[:7], in.Snapshot.Devices[8:]...)
	in.Snapshot.Events = append(in.Snapshot.Events, inventory.Event{Time: t0.Add(time.Minute), Type: inventory.EventPortScan, Severity: inventory.SeverityHigh, Summary: "scan"})
	s2, _ := buildSummary(stateView{box: "box1", lastSeq: s1.Seq, lastAt: t0, digests: dg}, in, summaryMeta{site: "acme", now: t0.Add(2 * time.Minute)})
	if s2.Seq != 2 || len(s2.Changed) != 1 || s2.Changed[0].Firmware != "99.1" {
		t.Errorf("second summary: seq %d, changed %+v; want seq 2 and only the re-flashed device", s2.Seq, s2.Changed)
	}
	if len(s2.Removed) != 1 || s2.Removed[0] != gone {
		t.Errorf("removed %v, want [%s]", s2.Removed, gone)
	}
	if len(s2.Events) != 1 || s2.Events[0].Type != "port_scan" {
		t.Errorf("events %+v, want only the port scan after the first summary", s2.Events)
	}
}

// TestSummarySize is the size target: a 250-device site's summary, with
// every device in it (the first one, or after the hub lost track), is at
// most 30 KB gzipped.
func TestSummarySize(t *testing.T) {
	s, dg, in := firstSummary(t, 250)
	body, err := EncodeBody(s)
	if err != nil {
		t.Fatal(err)
	}
	raw := gunzip(t, body)
	t.Logf("250-device site, every device included: %d bytes gzipped (%d JSON), %d actions, %d events", len(body), len(raw), len(s.Actions), len(s.Events))
	if len(body) > 30<<10 {
		t.Errorf("summary is %d bytes gzipped, the target is 30 KB", len(body))
	}
	s2, _ := buildSummary(stateView{box: "box1", lastSeq: 1, lastAt: t0, digests: dg}, in, summaryMeta{site: "acme", now: t0.Add(time.Minute)})
	body2, _ := EncodeBody(s2)
	t.Logf("next summary, nothing changed: %d bytes gzipped", len(body2))
}

// TestNoSecretsLeave marks every field of the box's device record that must
// stay on the box and checks none of it is in the summary.
func TestNoSecretsLeave(t *testing.T) {
	const mark = "SECRET-MARK"
	in := testSite(t, 8, t0)
	for i := range in.Snapshot.Devices {
		d := &in.Snapshot.Devices[i]
		d.SNMP = &inventory.SNMPSystem{Version: "3", SysContact: mark + "contact", SysLocation: mark + "location", SysName: "n"}
		d.Neighbors = []inventory.Neighbor{{RemoteName: mark + "neighbour"}}
		d.Evidence = []inventory.Evidence{{Source: "snmp", Detail: "community " + mark}}
		d.Role = mark + "role"
	}
	s, _ := buildSummary(stateView{box: "box1"}, in, summaryMeta{site: "acme", now: t0})
	body, err := EncodeBody(s)
	if err != nil {
		t.Fatal(err)
	}
	if raw := gunzip(t, body); bytes.Contains(raw, []byte(mark)) {
		i := bytes.Index(raw, []byte(mark))
		t.Errorf("box-only data left in the summary: …%s…", raw[max(0, i-80):min(len(raw), i+40)])
	}
	// And the credential type cannot print itself even by mistake.
	b, _ := json.Marshal(struct{ C inventory.Secret }{inventory.Secret(mark)})
	if bytes.Contains(b, []byte(mark)) {
		t.Errorf("inventory.Secret marshals in clear: %s", b)
	}
}

func TestSignVerify(t *testing.T) {
	key, _ := ParseSiteKey(NewSiteKey())
	other, _ := ParseSiteKey(NewSiteKey())
	s, _, _ := firstSummary(t, 5)
	body, _ := EncodeBody(s)
	idem := IdempotencyKey("box1", 1)
	sig := Sign(key, "acme", idem, body)
	if err := Verify(key, "acme", idem, body, sig); err != nil {
		t.Fatalf("own signature refused: %v", err)
	}
	tampered := bytes.Clone(body)
	tampered[len(tampered)/2] ^= 1
	for name, err := range map[string]error{
		"tampered body":   Verify(key, "acme", idem, tampered, sig),
		"wrong key":       Verify(other, "acme", idem, body, sig),
		"other site":      Verify(key, "acme2", idem, body, sig),
		"other sequence":  Verify(key, "acme", IdempotencyKey("box1", 2), body, sig),
		"unknown scheme":  Verify(key, "acme", idem, body, "sha1="+sig),
		"not hex":         Verify(key, "acme", idem, body, "hmac-sha256=zz"),
		"empty signature": Verify(key, "acme", idem, body, ""),
	} {
		if !errors.Is(err, ErrBadSignature) {
			t.Errorf("%s: %v, want ErrBadSignature", name, err)
		}
	}
	if _, err := ParseSiteKey("tsk1_short"); err == nil {
		t.Error("a short key was accepted")
	}
}

func gz(b []byte, multi bool) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	if multi {
		zw = gzip.NewWriter(&buf)
		zw.Write([]byte("{}"))
		zw.Close()
	}
	return buf.Bytes()
}

func TestDecodeRefuses(t *testing.T) {
	s, _, _ := firstSummary(t, 3)
	good, _ := json.Marshal(s)
	mod := func(f func(*Summary)) []byte {
		c := *s
		f(&c)
		b, _ := json.Marshal(&c)
		return gz(b, false)
	}
	var bombBuf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bombBuf, gzip.BestSpeed)
	zw.Write(bytes.Repeat([]byte(" "), MaxInflatedBytes+10))
	zw.Close()
	bomb := bombBuf.Bytes()
	for name, tc := range map[string]struct {
		body []byte
		want error
	}{
		"not gzip":        {good, ErrInvalid},
		"gzip bomb":       {bomb, ErrTooLarge},
		"two members":     {gz(good, true), ErrInvalid},
		"trailing data":   {gz(append(bytes.Clone(good), []byte(" {}")...), false), ErrInvalid},
		"not json":        {gz([]byte("hello"), false), ErrInvalid},
		"major 2":         {mod(func(s *Summary) { s.Schema = "2.0" }), ErrInvalid},
		"seq 0":           {mod(func(s *Summary) { s.Seq = 0 }), ErrInvalid},
		"first after seq": {mod(func(s *Summary) { s.FirstSeq = 5 }), ErrInvalid},
		"bad site":        {mod(func(s *Summary) { s.Site = "a/b" }), ErrInvalid},
		"health 101":      {mod(func(s *Summary) { s.Health.Score = 101 }), ErrInvalid},
		"too many events": {mod(func(s *Summary) { s.Events = make([]Event, MaxEvents+1) }), ErrTooLarge},
		"too large":       {make([]byte, MaxBodyBytes+1), ErrTooLarge},
	} {
		if _, err := DecodeBody(tc.body); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	newer := mod(func(s *Summary) { s.Schema = "1.7" })
	var withExtra map[string]any
	json.Unmarshal(good, &withExtra)
	withExtra["added_in_1_1"] = []int{1, 2}
	extra, _ := json.Marshal(withExtra)
	for name, b := range map[string][]byte{"minor 1.7": newer, "unknown property": gz(extra, false)} {
		if _, err := DecodeBody(b); err != nil {
			t.Errorf("%s refused: %v (COMPATIBILITY.md: readers accept every 1.x)", name, err)
		}
	}
}

func TestCoalesce(t *testing.T) {
	s1, dg, in := firstSummary(t, 10)
	b1, _ := EncodeBody(s1)
	goneMAC := in.Snapshot.Devices[0].MAC.String()
	in.Snapshot.Devices = in.Snapshot.Devices[1:]
	in.Snapshot.Devices[0].Model = "new model"
	in.Snapshot.Events = []inventory.Event{{Time: t0.Add(time.Minute), Type: inventory.EventDeviceGone, Summary: "gone"}}
	s2, dg2 := buildSummary(stateView{box: "box1", lastSeq: 1, lastAt: t0, digests: dg}, in, summaryMeta{site: "acme", now: t0.Add(time.Minute)})
	s2.Health.Score = 42
	b2, _ := EncodeBody(s2)
	in.Snapshot.Devices = append(in.Snapshot.Devices, testSite(t, 1, t0).Snapshot.Devices[0]) // the gone one is back
	in.Snapshot.Events = nil
	s3, _ := buildSummary(stateView{box: "box1", lastSeq: 2, lastAt: t0.Add(time.Minute), digests: dg2}, in, summaryMeta{site: "acme", now: t0.Add(2 * time.Minute)})
	b3, _ := EncodeBody(s3)

	m12, err := Coalesce(b1, b2)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := DecodeBody(m12)
	if m.Seq != 2 || m.FirstSeq != 1 || m.Coalesced != 2 || m.Health.Score != 42 {
		t.Errorf("merged 1+2: seq %d first %d coalesced %d health %d", m.Seq, m.FirstSeq, m.Coalesced, m.Health.Score)
	}
	if len(m.Changed) != 9 || len(m.Removed) != 1 || m.Removed[0] != goneMAC {
		t.Errorf("merged 1+2: %d changed, removed %v; want 9 and [%s]", len(m.Changed), m.Removed, goneMAC)
	}
	if len(m.Events) != len(s1.Events)+1 {
		t.Errorf("merged 1+2: %d events, want %d", len(m.Events), len(s1.Events)+1)
	}
	m123, err := Coalesce(m12, b3)
	if err != nil {
		t.Fatal(err)
	}
	m, _ = DecodeBody(m123)
	if m.FirstSeq != 1 || m.Seq != 3 || m.Coalesced != 3 || len(m.Removed) != 0 || len(m.Changed) != 10 {
		t.Errorf("merged 1..3: seq %d..%d coalesced %d, removed %v, %d changed; want the returned device changed, not removed", m.FirstSeq, m.Seq, m.Coalesced, m.Removed, len(m.Changed))
	}
	if _, err := Coalesce(b2, b1); err == nil {
		t.Error("merging out of order was accepted")
	}
}

// TestSchemaMatchesCode checks a full summary against schema/summary-v1.json
// with a small validator of the keywords the schema uses, and that every
// property the code writes is declared.
func TestSchemaMatchesCode(t *testing.T) {
	raw, err := os.ReadFile("schema/summary-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema map[string]any
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	s, _, _ := firstSummary(t, 30)
	s.Removed = []string{"02:00:00:00:00:01"}
	b, _ := json.Marshal(s)
	var doc any
	json.Unmarshal(b, &doc)
	v := validator{root: schema}
	v.check(schema, doc, "$")
	for _, e := range v.errs {
		t.Error(e)
	}
	var bad map[string]any
	json.Unmarshal(b, &bad)
	bad["seq"] = 0
	delete(bad, "health")
	v = validator{root: schema}
	v.check(schema, bad, "$")
	if len(v.errs) != 2 {
		t.Errorf("validator found %v in a summary with two faults", v.errs)
	}
}

type validator struct {
	root map[string]any
	errs []string
}

func (v *validator) check(s map[string]any, x any, at string) {
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/$defs/")
		v.check(v.root["$defs"].(map[string]any)[name].(map[string]any), x, at)
	}
	fail := func(f string, a ...any) { v.errs = append(v.errs, at+": "+fmt.Sprintf(f, a...)) }
	if tp, ok := s["type"]; ok {
		var types []any
		if l, ok := tp.([]any); ok {
			types = l
		} else {
			types = []any{tp}
		}
		matched := false
		for _, want := range types {
			switch want {
			case "object":
				_, matched = x.(map[string]any)
			case "array":
				_, matched = x.([]any)
			case "string":
				_, matched = x.(string)
			case "integer":
				f, ok := x.(float64)
				matched = ok && f == float64(int64(f))
			case "null":
				matched = x == nil
			}
			if matched {
				break
			}
		}
		if !matched {
			fail("%v is not %v", x, tp)
			return
		}
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == x
		}
		if !found {
			fail("%v not in %v", x, enum)
		}
	}
	if f, ok := x.(float64); ok {
		if m, ok := s["minimum"].(float64); ok && f < m {
			fail("%v below %v", f, m)
		}
		if m, ok := s["maximum"].(float64); ok && f > m {
			fail("%v above %v", f, m)
		}
	}
	if str, ok := x.(string); ok {
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(str) {
			fail("%q does not match %s", str, p)
		}
	}
	if obj, ok := x.(map[string]any); ok {
		props, _ := s["properties"].(map[string]any)
		for _, r := range asList(s["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				fail("missing %q", r)
			}
		}
		for k, val := range obj {
			if ps, ok := props[k].(map[string]any); ok {
				v.check(ps, val, at+"."+k)
			} else if ap, ok := s["additionalProperties"].(map[string]any); ok {
				v.check(ap, val, at+"."+k)
			} else if props != nil {
				fail("property %q is not in the schema", k)
			}
		}
	}
	if arr, ok := x.([]any); ok {
		if m, ok := s["maxItems"].(float64); ok && float64(len(arr)) > m {
			fail("%d items, max %v", len(arr), m)
		}
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range arr {
				v.check(items, e, fmt.Sprintf("%s[%d]", at, i))
			}
		}
	}
}

func asList(x any) []any {
	l, _ := x.([]any)
	return l
}

// FuzzDecodeBody feeds the decoder untrusted bytes: it must not panic, and
// whatever it accepts must be valid and survive a round trip.
func FuzzDecodeBody(f *testing.F) {
	s, _, _ := firstSummary(f, 4)
	body, _ := EncodeBody(s)
	f.Add(body)
	f.Add(gz([]byte(`{"schema":"1.0","site":"a","box":"b","seq":1,"first_seq":1,"coalesced":1}`), false))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, herr := DecodeForHub(b)
		s, err := DecodeBody(b)
		if herr == nil && err == nil {
			// The hub's fast path and the reference decoder agree on
			// everything the hub keys and counts by.
			got := []any{h.Site, h.Box, h.Seq, h.FirstSeq, h.Coalesced, h.Devices, len(h.Changed), len(h.Removed), len(h.Events), h.GeneratedAt.Equal(s.GeneratedAt)}
			want := []any{s.Site, s.Box, s.Seq, s.FirstSeq, s.Coalesced, s.Devices, len(s.Changed), len(s.Removed), len(s.Events), true}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("DecodeForHub and DecodeBody disagree (-reference +hub):\n%s", d)
			}
		}
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("decoded summary does not validate: %v", err)
		}
		again, err := EncodeBody(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecodeBody(again); err != nil {
			t.Fatalf("re-encoded summary refused: %v", err)
		}
	})
}

// FuzzDecodeJSON mutates the JSON inside the gzip, where the mutations
// reach the decoders' logic, and checks the hub's decoder against the
// reference one.
func FuzzDecodeJSON(f *testing.F) {
	s, _, _ := firstSummary(f, 2)
	s.Removed = []string{"02:00:00:00:00:09"}
	b, _ := json.Marshal(s)
	f.Add(b)
	f.Add([]byte(`{"schema":"1.0","site":"a","box":"b","seq":3,"first_seq":1,"coalesced":2,"changed":[{"mac":"x"}],"health":{"score":5}}`))
	f.Add([]byte(`{"schema":"1.0","site":"a","box":"b","seq":1,"first_seq":1,"coalesced":1,"seq":2}`))
	f.Fuzz(func(t *testing.T, j []byte) {
		body := gz(j, false)
		h, herr := DecodeForHub(body)
		if herr == nil && !json.Valid(j) {
			// The hub splices parts of what it accepts into its records,
			// which encoding/json must read back.
			t.Fatalf("DecodeForHub accepted JSON that encoding/json calls invalid: %q", j)
		}
		s, err := DecodeBody(body)
		if herr != nil || err != nil {
			return
		}
		got := []any{h.Site, h.Box, h.Seq, h.FirstSeq, h.Coalesced, h.Devices, len(h.Changed), len(h.Removed), len(h.Events), h.GeneratedAt.Equal(s.GeneratedAt), h.Score}
		want := []any{s.Site, s.Box, s.Seq, s.FirstSeq, s.Coalesced, s.Devices, len(s.Changed), len(s.Removed), len(s.Events), true, s.Health.Score}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("DecodeForHub and DecodeBody disagree (-reference +hub):\n%s", d)
		}
	})
}

// FuzzCheckDepth: CheckDepth agrees with a plain recursive count of
// nesting outside strings, on any bytes.
func FuzzCheckDepth(f *testing.F) {
	for _, s := range []string{`{}`, `[[["]]]"]]]`, `{"a":"\"[[[","b":[[1]]}`, `[[[[[`, `]]]][[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		deepest, depth, in, esc := 0, 0, false, false
		for _, c := range b {
			switch {
			case in && esc:
				esc = false
			case in && c == '\\':
				esc = true
			case in && c == '"':
				in = false
			case in:
			case c == '"':
				in = true
			case c == '{' || c == '[':
				depth++
				deepest = max(deepest, depth)
			case c == '}' || c == ']':
				depth--
			}
		}
		for _, limit := range []int{1, 3, MaxDepth} {
			if err := CheckDepth(b, limit); (err != nil) != (deepest > limit) {
				t.Fatalf("limit %d, deepest %d: %v", limit, deepest, err)
			}
		}
	})
}

// TestDecodeForHubKeepsNoText: no string DecodeForHub returns is a slice
// of the inflated text, so keeping one (the hub's embedded store keeps the
// site name in a record) does not keep the whole summary alive. Broken
// (gjson's strings kept as they are), the text outlives its collection.
// The raw parts are slices of it by design, dropped here.
func TestDecodeForHubKeepsNoText(t *testing.T) {
	s, _, _ := firstSummary(t, 40)
	s.Removed = []string{"02:00:00:00:00:99"}
	raw, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	gone := weak.Make(unsafe.StringData(text))
	h, err := decodeHubText(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.MACs) != 40 || h.Site != "acme" || len(h.Removed) != 1 {
		t.Fatalf("decoded %d MACs, site %q, %d removed", len(h.MACs), h.Site, len(h.Removed))
	}
	// The raw parts are slices of the text (decodeHubText): dropped,
	// what is left keeps none of it.
	h.Changed, h.Health, h.ByType, h.Forecast, h.Actions, h.Vulns, h.Hygiene, h.Problems = nil, nil, nil, nil, nil, nil, nil, nil
	text = ""
	for range 3 {
		runtime.GC()
	}
	if gone.Value() != nil {
		t.Error("the decoded summary keeps its text alive")
	}
	runtime.KeepAlive(h)
}

// TestDecodeForHubRelease: a summary decoded into the text a released one
// gave back reads as itself, whether it is smaller or larger than the
// one before, and a released summary holds no raw part.
func TestDecodeForHubRelease(t *testing.T) {
	big, _, _ := firstSummary(t, 60)
	small, _, _ := firstSummary(t, 5)
	small.Health.Score = 41
	var prev *HubSummary
	for i, s := range []*Summary{big, small, big, small} {
		body, err := EncodeBody(s)
		if err != nil {
			t.Fatal(err)
		}
		want, err := DecodeBody(body)
		if err != nil {
			t.Fatal(err)
		}
		h, err := DecodeForHub(body)
		if err != nil {
			t.Fatal(err)
		}
		var health Health
		if err := json.Unmarshal(h.Health, &health); err != nil || health.Score != want.Health.Score || len(h.Changed) != len(want.Changed) || h.Score != want.Health.Score {
			t.Errorf("#%d: health %+v (%v), %d changed; want score %d, %d changed", i, health, err, len(h.Changed), want.Health.Score, len(want.Changed))
		}
		for j, d := range h.Changed {
			var dev Device
			if err := json.Unmarshal(d, &dev); err != nil || dev.MAC != want.Changed[j].MAC || h.MACs[j] != dev.MAC {
				t.Fatalf("#%d: changed device %d reads %q (%v), want %q", i, j, dev.MAC, err, want.Changed[j].MAC)
			}
		}
		if prev != nil && (prev.Health != nil || prev.Changed != nil || prev.Actions != nil) {
			t.Errorf("#%d: the summary released before holds raw parts", i)
		}
		h.Release()
		prev = h
	}
}
