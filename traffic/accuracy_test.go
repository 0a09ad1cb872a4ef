package traffic

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"tend/capture"
	"tend/inventory"
)

// accuracyTable, when set, is where TestDetectAccuracy writes its table
// (make detect-accuracy sets it to testdata/detect-accuracy.md).
var accuracyTable = flag.String("accuracy-table", "", "write the detection accuracy table to this file")

// label is one event a capture must raise: its type and culprit (a MAC or
// an IP; empty for floods from spoofed sources, which match on target).
type label struct {
	Event   inventory.EventType `json:"event"`
	Culprit *string             `json:"culprit"`
	Target  targetList          `json:"target"`
	Extra   bool                `json:"-"` // ours, not the manifest's
}

// targetList reads the manifest's target: an address, a list of them, or null.
type targetList []string

func (t *targetList) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var one string
	if json.Unmarshal(b, &one) == nil {
		*t = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("target: %w", err)
	}
	*t = many
	return nil
}

type labelled struct {
	File    string  `json:"file"`
	Labels  []label `json:"labels"`
	Benign  bool    `json:"benign"`
	Gateway string  `json:"gateway"` // the box's own default route in a lab capture
	// IPv6Routers and DHCPServers are the settings a lab capture is
	// replayed with (--ipv6-router, --dhcp-server).
	IPv6Routers []string `json:"ipv6_routers"`
	DHCPServers []string `json:"dhcp_servers"`
	Notes       string   `json:"notes"`
}

// corpusCaptures lists every capture of the corpus with its labels: the
// train set's own, and for the older captures the ones in
// testdata/corpus-labels.jsonl (taken from each capture's description;
// captures not listed there must stay quiet).
func corpusCaptures(t *testing.T, dir string) []labelled {
	t.Helper()
	var out []labelled
	read := func(path string, each func(labelled)) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var l labelled
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			each(l)
		}
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
	}
	ours := map[string]labelled{}
	read(filepath.Join("testdata", "corpus-labels.jsonl"), func(l labelled) { ours[l.File] = l })
	read(filepath.Join(dir, "train", "manifest.jsonl"), func(l labelled) {
		l.File = "train/" + l.File
		// Events the packets show that the manifest does not label
		// (checked by hand; each entry says why).
		for _, x := range ours[l.File].Labels {
			x.Extra = true
			l.Labels = append(l.Labels, x)
		}
		out = append(out, l)
	})
	read(filepath.Join(dir, "manifest.jsonl"), func(l labelled) {
		if o, ok := ours[l.File]; ok {
			l = o
		} else {
			l.Benign = true
		}
		out = append(out, l)
	})
	return out
}

// replayEvents runs one capture through the replay path: `tend replay
// --json` when TEND_BIN names a built binary (make detect-accuracy), else
// the same capture → engine loop in process.
func replayEvents(t *testing.T, path string, l labelled) []inventory.Event {
	t.Helper()
	gateway := l.Gateway
	if bin := os.Getenv("TEND_BIN"); bin != "" {
		args := []string{"replay", "--json"}
		if gateway != "" {
			args = append(args, "--gateway", gateway)
		}
		for _, m := range l.IPv6Routers {
			args = append(args, "--ipv6-router", m)
		}
		for _, a := range l.DHCPServers {
			args = append(args, "--dhcp-server", a)
		}
		out, err := exec.Command(bin, append(args, path)...).Output()
		if err != nil {
			t.Fatalf("%s replay %s: %v", bin, path, err)
		}
		var res struct {
			Events []inventory.Event `json:"events"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("replay --json %s: %v", path, err)
		}
		return res.Events
	}
	cfg := Config{}
	if gateway != "" {
		cfg.Gateway = netip.MustParseAddr(gateway)
	}
	for _, m := range l.IPv6Routers {
		cfg.IPv6Routers = append(cfg.IPv6Routers, hw(m))
	}
	for _, a := range l.DHCPServers {
		cfg.DHCPServers = append(cfg.DHCPServers, netip.MustParseAddr(a))
	}
	var evs []inventory.Event
	e := New(cfg, func(ev inventory.Event) { evs = append(evs, ev) })
	src, err := capture.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := capture.Run(context.Background(), src, e.Packet); err != nil {
		t.Fatal(err)
	}
	e.Flush()
	return evs
}

// matches reports whether ev is the labelled event: same type and the
// culprit named by MAC or IP; a label without culprit (spoofed floods)
// matches on the target.
func (l label) matches(ev inventory.Event) bool {
	if ev.Type != l.Event {
		return false
	}
	if l.Culprit != nil && *l.Culprit != "" {
		c := strings.ToLower(*l.Culprit)
		return ev.MAC.String() == c || (ev.IP.IsValid() && ev.IP.String() == c)
	}
	for _, tg := range l.Target {
		if inTarget(ev.TargetIP, tg) || inTarget(ev.IP, tg) {
			return true
		}
	}
	return len(l.Target) == 0
}

func inTarget(a netip.Addr, tg string) bool {
	if !a.IsValid() {
		return false
	}
	if p, err := netip.ParsePrefix(tg); err == nil {
		return p.Contains(a)
	}
	b, err := netip.ParseAddr(tg)
	return err == nil && b == a
}

func (l label) String() string {
	c := "(spoofed)"
	if l.Culprit != nil {
		c = *l.Culprit
	}
	if l.Extra {
		c += " (+)"
	}
	return fmt.Sprintf("%s %s", l.Event, c)
}

type typeScore struct{ labels, found, unexpected, benignFP int }

// TestDetectAccuracy replays every capture of the corpus and compares the
// events with the labels. It fails when a labelled event is missed or a
// benign capture raises anything above info; with -accuracy-table it writes
// the per-capture and per-type table.
func TestDetectAccuracy(t *testing.T) {
	heavyUnderRace(t)
	dir := corpusDir(t)
	if _, err := os.Stat(filepath.Join(dir, "train", "manifest.jsonl")); err != nil {
		t.Skipf("labelled corpus absent: %v", err)
	}
	caps := corpusCaptures(t, dir)
	scores := map[inventory.EventType]*typeScore{}
	score := func(ty inventory.EventType) *typeScore {
		if scores[ty] == nil {
			scores[ty] = &typeScore{}
		}
		return scores[ty]
	}
	var rows strings.Builder
	var nLabels, nFound, nBenign, nBenignLoud int
	for _, c := range caps {
		evs := replayEvents(t, filepath.Join(dir, c.File), c)
		var raised, missing, unexpected []string
		used := make([]bool, len(evs))
		for _, l := range c.Labels {
			score(l.Event).labels++
			nLabels++
			hit := -1
			for i, ev := range evs {
				if l.matches(ev) {
					used[i] = true
					if hit < 0 {
						hit = i
					}
				}
			}
			if hit < 0 {
				missing = append(missing, l.String())
				t.Errorf("%s: missed %s", c.File, l)
				continue
			}
			score(l.Event).found++
			nFound++
			raised = append(raised, fmt.Sprintf("%s %s", evs[hit].Type, culpritOf(evs[hit])))
		}
		loud := false
		for i, ev := range evs {
			if used[i] || ev.Severity.Rank() == 0 {
				continue
			}
			unexpected = append(unexpected, fmt.Sprintf("%s %s (%s)", ev.Type, culpritOf(ev), ev.Severity))
			score(ev.Type).unexpected++
			if c.Benign {
				loud = true
				score(ev.Type).benignFP++
				t.Errorf("%s: benign capture raised %s %s: %s", c.File, ev.Type, ev.Severity, ev.Summary)
			}
		}
		if c.Benign {
			nBenign++
			if loud {
				nBenignLoud++
			}
		}
		kind := "attack"
		switch {
		case c.Benign:
			kind = "benign"
		case len(c.Labels) == 0:
			kind = "unlabelled"
		}
		fmt.Fprintf(&rows, "| %s | %s | %s | %s | %s | %s |\n", c.File, kind, cell(labelsOf(c.Labels)), cell(raised), cell(missing), cell(dedupe(unexpected)))
	}
	if *accuracyTable == "" {
		return
	}
	var b strings.Builder
	b.WriteString("# Detection accuracy on the pcap corpus\n\n")
	b.WriteString("Written by `make detect-accuracy` (TestDetectAccuracy in traffic/accuracy_test.go): every capture of\n")
	b.WriteString("`../shared/corpus/pcap` (train/ with its manifest's labels; the older captures with the labels in\n")
	b.WriteString("`traffic/testdata/corpus-labels.jsonl`, the rest of them benign) replayed through `tend replay --json` with the\n")
	b.WriteString("default settings. An event matches a label when its type and culprit (MAC or IP) agree; for floods from\n")
	b.WriteString("spoofed sources, the target. Unexpected: events above info that match no label. (+) marks a label the train\n")
	b.WriteString("manifest lacks that we verified in the packets (corpus-labels.jsonl says why for each).\n\n")
	fmt.Fprintf(&b, "Labelled events raised: **%d of %d**. Benign captures that raised an event above info: **%d of %d**.\n\n", nFound, nLabels, nBenignLoud, nBenign)
	b.WriteString("| event type | labelled | raised | recall | unexpected (all captures) | on benign captures |\n|---|---|---|---|---|---|\n")
	types := make([]string, 0, len(scores))
	for ty := range scores {
		types = append(types, string(ty))
	}
	sort.Strings(types)
	for _, ty := range types {
		s := scores[inventory.EventType(ty)]
		recall := "-"
		if s.labels > 0 {
			recall = fmt.Sprintf("%.0f%%", 100*float64(s.found)/float64(s.labels))
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s | %d | %d |\n", ty, s.labels, s.found, recall, s.unexpected, s.benignFP)
	}
	b.WriteString("\n| capture | kind | expected | raised | missing | unexpected |\n|---|---|---|---|---|---|\n")
	b.WriteString(rows.String())
	if err := os.WriteFile(*accuracyTable, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func culpritOf(ev inventory.Event) string {
	switch {
	case ev.IP.IsValid() && !ev.MAC.IsZero():
		return ev.IP.String() + " " + ev.MAC.String()
	case ev.IP.IsValid():
		return ev.IP.String()
	case !ev.MAC.IsZero():
		return ev.MAC.String()
	}
	return "→ " + ev.TargetIP.String()
}

func labelsOf(ls []label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.String()
	}
	return out
}

func dedupe(xs []string) []string {
	counts := map[string]int{}
	var order []string
	for _, x := range xs {
		if counts[x] == 0 {
			order = append(order, x)
		}
		counts[x]++
	}
	for i, x := range order {
		if counts[x] > 1 {
			order[i] = fmt.Sprintf("%s ×%d", x, counts[x])
		}
	}
	return order
}

func cell(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(slices.Clip(xs), "<br>")
}
