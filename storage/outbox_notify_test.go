package storage

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestNotifyQueues: each outlet's queue keeps its messages in order across
// a restart, outlets do not see each other's, the state is stored with
// them, and a bad outlet id is refused.
func TestNotifyQueues(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tend.db")
	s, err := Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.NotifyHead("a1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty queue head: %v, want ErrNotFound", err)
	}
	if err := s.NotifyPublish([]byte(`{"v":1}`), map[string][][]byte{"a1": {[]byte("t1"), []byte("c1")}, "b2": {[]byte("t1")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.NotifyPublish(nil, map[string][][]byte{"a1": {[]byte("t2")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.NotifyPublish(nil, map[string][][]byte{"A!": {[]byte("x")}}); err == nil {
		t.Error("outlet id A! accepted")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := s.NotifyState(); err != nil || string(st) != `{"v":1}` {
		t.Errorf("state %q, %v", st, err)
	}
	var got []string
	for {
		it, err := s.NotifyHead("a1")
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(it.Body))
		if err := s.NotifyDelete("a1", it.Seq); err != nil {
			t.Fatal(err)
		}
	}
	if want := []string{"t1", "c1", "t2"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("a1 delivered %q, want %q", got, want)
	}
	if n, err := s.NotifyLen("b2"); err != nil || n != 1 {
		t.Errorf("b2 holds %d (%v), want 1", n, err)
	}
	if err := s.NotifyDelete("a1", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	// Sequence numbers continue after the queue drained: no reuse.
	if err := s.NotifyPublish(nil, map[string][][]byte{"a1": {[]byte("t3")}}); err != nil {
		t.Fatal(err)
	}
	if it, err := s.NotifyHead("a1"); err != nil || it.Seq != 4 {
		t.Errorf("after draining, next item %+v, %v; want seq 4", it, err)
	}
}

func TestNotifyTickets(t *testing.T) {
	s, err := Open(":memory:", Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok, err := s.NotifyTicket("a1", "rogue_dhcp-0123456789ab"); ok || err != nil {
		t.Fatalf("no ticket yet: ok %t, %v", ok, err)
	}
	if err := s.PutNotifyTicket("a1", "rogue_dhcp-0123456789ab", "4711"); err != nil {
		t.Fatal(err)
	}
	if id, ok, err := s.NotifyTicket("a1", "rogue_dhcp-0123456789ab"); id != "4711" || !ok || err != nil {
		t.Errorf("ticket %q %t %v", id, ok, err)
	}
	if _, ok, _ := s.NotifyTicket("b2", "rogue_dhcp-0123456789ab"); ok {
		t.Error("another outlet sees the ticket")
	}
	if err := s.PutNotifyTicket("a1", "rogue_dhcp-0123456789ab", ""); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.NotifyTicket("a1", "rogue_dhcp-0123456789ab"); ok {
		t.Error("forgotten ticket still there")
	}
	if err := s.PutNotifyTicket("a1", "bad key!", "1"); err == nil {
		t.Error("bad problem key accepted")
	}
}
