package traffic

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// mergeWorld is a MAC's slot and three of its pairs' slots.
type mergeWorld struct {
	m     silentScan
	pairs [3]silentScan
}

// mergeState is what of a slot merge reads and writes.
type mergeState struct {
	ports              [silentKept]uint16
	seen               [silentKept]uint32
	n                  uint8
	answered, repeated uint16
}

func stateOfScan(s *silentScan) mergeState {
	return mergeState{s.ports, s.seen, s.n, s.answered, s.repeated}
}

// TestMergeFromSame drives two alike worlds through random SYNs, answers,
// renewals and merges of pairs into the MAC's slot: one merges through
// mergeFrom (skipping merges that change nothing, looking ports up from
// the last one found), the other as session 36 did (mergeRef). Both report the same new ports and end in the same state at
// every step, and mergeFrom skips most merges (it fails without the skip).
func TestMergeFromSame(t *testing.T) {
	r := rand.New(rand.NewPCG(37, 4))
	var skip, whole mergeWorld
	sec := uint32(1000)
	skipped := 0
	for step := range 50000 {
		sec += uint32(r.IntN(3))
		i := r.IntN(len(skip.pairs))
		port := uint16(1 + r.IntN(24))
		switch op := r.IntN(100); {
		case op < 50: // a SYN: the pair notes its port
			skip.pairs[i].note(port, sec)
			whole.pairs[i].note(port, sec)
		case op < 60: // an answer to the pair's port, seen by the MAC's slot too
			for _, w := range []*mergeWorld{&skip, &whole} {
				for _, s := range []*silentScan{&w.pairs[i], &w.m} {
					if j := indexPort(s, port); j >= 0 {
						s.flag(j, true, false)
					}
				}
			}
		case op < 61:
			skip.pairs[i].renew(int64(sec))
			whole.pairs[i].renew(int64(sec))
		case op < 62:
			skip.m.renew(int64(sec))
			whole.m.renew(int64(sec))
		default:
			if pr := &skip.pairs[i]; pr.mergedTo == &skip.m && pr.mergedVer == pr.ver && pr.mergedToVer == skip.m.ver {
				skipped++
			}
			got := skip.m.mergeFrom(&skip.pairs[i])
			want := mergeRef(&whole.m, &whole.pairs[i])
			if got != want {
				t.Fatalf("step %d: mergeFrom reported a new port %v, merge %v", step, got, want)
			}
		}
		if g, w := stateOfScan(&skip.m), stateOfScan(&whole.m); g != w {
			t.Fatalf("step %d: the MAC's slot differs:\nmergeFrom %+v\nmerge     %+v", step, g, w)
		}
		for j := range skip.pairs {
			if g, w := stateOfScan(&skip.pairs[j]), stateOfScan(&whole.pairs[j]); g != w {
				t.Fatalf("step %d: pair %d differs:\nmergeFrom %+v\nmerge     %+v", step, j, g, w)
			}
		}
	}
	t.Logf("mergeFrom skipped %d merges", skipped)
	if skipped < 1000 {
		t.Errorf("mergeFrom skipped %d merges of ~19,000, want over 1,000", skipped)
	}
}

func indexPort(s *silentScan, port uint16) int {
	for j, p := range s.ports[:s.n] {
		if p == port {
			return j
		}
	}
	return -1
}

// mergeRef is merge as it was before mergeFrom and indexFrom: every port
// of pair looked up among all of m's.
func mergeRef(m, pair *silentScan) bool {
	isNew := false
	for i, p := range pair.ports[:pair.n] {
		switch bit := uint16(1) << i; {
		case pair.answered&bit != 0, pair.repeated&bit != 0:
			if j := slices.Index(m.ports[:m.n], p); j >= 0 {
				m.answered |= pair.answered & bit >> i << j
				m.repeated |= pair.repeated & bit >> i << j
			}
		case m.note(p, pair.seen[i]):
			isNew = true
		}
	}
	return isNew
}
