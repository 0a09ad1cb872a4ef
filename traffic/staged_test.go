package traffic

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestStagedCaptures replays the attacks staged in the lab with real tools
// and recorded as fixtures (testdata/staged, see its README): each must raise
// its labelled events, naming the culprit, and nothing above info besides.
// Unlike TestDetectAccuracy it needs neither root nor the corpus.
func TestStagedCaptures(t *testing.T) {
	heavyUnderRace(t)
	f, err := os.Open(filepath.Join("testdata", "staged", "labels.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		var l labelled
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		n++
		t.Run(l.File, func(t *testing.T) {
			evs := replayEvents(t, filepath.Join("testdata", "staged", l.File), l)
			used := make([]bool, len(evs))
			for _, lb := range l.Labels {
				found := false
				for i, ev := range evs {
					if lb.matches(ev) {
						found, used[i] = true, true
					}
				}
				if !found {
					t.Errorf("missed %s; raised %d events: %v", lb, len(evs), evs)
				}
			}
			for i, ev := range evs {
				if !used[i] && ev.Severity.Rank() > 0 {
					t.Errorf("unexpected %s %s (%s): %s", ev.Severity, ev.Type, ev.MAC, ev.Summary)
				}
			}
		})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 139 {
		t.Fatalf("%d staged captures, want 139", n)
	}
}
