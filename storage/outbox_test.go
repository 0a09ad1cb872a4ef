package storage

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tidwall/buntdb"
)

// joinMerge stands in for upstream.Coalesce: it keeps both bodies, so the
// test can see what was merged into what.
func joinMerge(older, newer []byte) ([]byte, error) {
	return []byte(string(older) + "+" + string(newer)), nil
}

func TestOutboxBoundedAndOrdered(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	s, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	merged := 0
	for i := 1; i <= 6; i++ {
		n, err := s.Enqueue(UpstreamState{BoxID: "b", LastSeq: uint64(i)}, []byte{byte('0' + i)}, 4, joinMerge)
		if err != nil {
			t.Fatal(err)
		}
		merged += n
	}
	if _, err := s.Enqueue(UpstreamState{BoxID: "b", LastSeq: 9}, nil, 4, joinMerge); !errors.Is(err, ErrSequence) {
		t.Errorf("skipping a sequence number: %v, want ErrSequence", err)
	}
	if _, err := s.Enqueue(UpstreamState{BoxID: "other", LastSeq: 7}, nil, 4, joinMerge); !errors.Is(err, ErrSequence) {
		t.Errorf("changing the box id: %v, want ErrSequence", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	items, err := s.Outbox()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, string(it.Body))
	}
	// The head (1) is never merged; 2+3 then (2+3)+4 are, to stay at 4.
	if want := "1 2+3+4 5 6"; strings.Join(got, " ") != want || merged != 2 {
		t.Errorf("outbox after reopen %v (%d merges), want %s (2 merges)", got, merged, want)
	}
	if items[1].Seq != 4 {
		t.Errorf("merged item has seq %d, want the newest it covers (4)", items[1].Seq)
	}
	st, _ := s.UpstreamState()
	if st.LastSeq != 6 || st.BoxID != "b" {
		t.Errorf("state after reopen %+v", st)
	}
	for _, want := range []uint64{1, 4, 5, 6} {
		head, err := s.OutboxHead()
		if err != nil || head.Seq != want {
			t.Fatalf("head %d, %v; want %d", head.Seq, err, want)
		}
		if err := s.OutboxDelete(head.Seq); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.OutboxHead(); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty outbox head: %v, want ErrNotFound", err)
	}
	if err := s.OutboxDelete(1); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
}

func TestHubTxConfined(t *testing.T) {
	s := openMemory(t, Config{})
	if err := s.db.Update(func(tx *buntdb.Tx) error { _, _, err := tx.Set("user:alice", "{}", nil); return err }); err != nil {
		t.Fatal(err)
	}
	err := s.HubUpdate(func(tx *HubTx) error {
		if err := tx.Set("site:a", "1"); err != nil {
			return err
		}
		return tx.Set("site:b", "2")
	})
	if err != nil {
		t.Fatal(err)
	}
	s.HubUpdate(func(tx *HubTx) error {
		tx.Set("site:c", "3")
		return errors.New("abort")
	})
	var keys []string
	s.HubView(func(tx *HubTx) error {
		return tx.Ascend("", func(k, v string) bool { keys = append(keys, k+"="+v); return true })
	})
	if got := strings.Join(keys, ","); got != "site:a=1,site:b=2" {
		t.Errorf("hub keys %s: want only the committed hub records, relative to hub:", got)
	}
	s.HubView(func(tx *HubTx) error {
		if _, err := tx.Get("../user:alice"); !errors.Is(err, ErrNotFound) {
			t.Errorf("reached outside the hub prefix: %v", err)
		}
		return nil
	})
}
