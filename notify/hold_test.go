package notify

import (
	"slices"
	"testing"
)

// TestHoldProblems: a held problem stays as last notified, or is left
// out when it never was; the others pass as they are.
func TestHoldProblems(t *testing.T) {
	prev := map[string]Problem{"a": {Key: "a", Title: "old a"}, "b": {Key: "b", Title: "old b"}}
	cur := []Problem{{Key: "a", Title: "new a"}, {Key: "b", Title: "new b"}, {Key: "c", Title: "new c"}, {Key: "d", Title: "new d"}}
	got := holdProblems(prev, cur, map[string]bool{"a": true, "c": true})
	var titles []string
	for _, p := range got {
		titles = append(titles, p.Title)
	}
	if want := []string{"old a", "new b", "new d"}; !slices.Equal(titles, want) {
		t.Errorf("held: %q, want %q", titles, want)
	}
	if got := holdProblems(prev, cur, nil); len(got) != len(cur) || &got[0] != &cur[0] {
		t.Error("nothing held should pass the problems through")
	}
}
