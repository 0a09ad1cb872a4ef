package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/tidwall/buntdb"

	"tend/internal/lazyre"
)

// The notification outboxes' keys (the notify package's durable queues):
//
//	notify:q:<outlet>:<seq>  {"seq", "body" (base64 of the message, opaque to storage)}: one
//	                         message waiting for one outlet; seq is zero-padded to 20 digits so
//	                         key order is delivery order
//	notify:seq:<outlet>      the outlet's last sequence number (decimal)
//	notify:state             opaque JSON: the problems last notified, written in the same
//	                         transaction as the messages their change produced
//
// outlet is the outlet's id: lower-case letters and digits.
const (
	prefixNotifyQueue = "notify:q:"
	prefixNotifySeq   = "notify:seq:"
	keyNotifyState    = "notify:state"
)

// validOutletID keeps keys well-formed whatever the caller passes.
var validOutletID = &lazyre.Regexp{Expr: `^[a-z0-9]{1,32}$`}

// NotifyItem is one message waiting for an outlet.
type NotifyItem struct {
	Seq  uint64 `json:"seq"`
	Body []byte `json:"body"`
}

func notifyKey(outlet string, seq uint64) string {
	return fmt.Sprintf("%s%s:%020d", prefixNotifyQueue, outlet, seq)
}

func checkOutlet(outlet string) error {
	if !validOutletID.MatchString(outlet) {
		return fmt.Errorf("storage: outlet id %q is not 1-32 lower-case letters and digits", outlet)
	}
	return nil
}

// NotifyPublish appends each outlet's messages to its queue, in order, and
// stores state (the problems they were computed from) in one transaction,
// so a crash leaves either both or neither: no message lost, none twice.
// Queued alerts, deliveries and ticket ids are fsynced before they return:
// a power cut must not lose an alert or send one twice.
// A nil state leaves the stored one as it is.
func (s *Store) NotifyPublish(state []byte, items map[string][][]byte) error {
	for outlet := range items {
		if err := checkOutlet(outlet); err != nil {
			return err
		}
	}
	err := s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		n := 0
		for outlet, bodies := range items {
			if len(bodies) == 0 {
				continue
			}
			seq := uint64(0)
			if v, err := tx.Get(prefixNotifySeq + outlet); err == nil {
				if seq, err = strconv.ParseUint(v, 10, 64); err != nil {
					return n, fmt.Errorf("decode %s%s: %w", prefixNotifySeq, outlet, err)
				}
			} else if !errors.Is(err, buntdb.ErrNotFound) {
				return n, err
			}
			for _, b := range bodies {
				seq++
				v, err := json.Marshal(NotifyItem{Seq: seq, Body: b})
				if err != nil {
					return n, err
				}
				if _, _, err := tx.Set(notifyKey(outlet, seq), string(v), nil); err != nil {
					return n, err
				}
				n++
			}
			if _, _, err := tx.Set(prefixNotifySeq+outlet, strconv.FormatUint(seq, 10), nil); err != nil {
				return n, err
			}
		}
		if state != nil {
			if _, _, err := tx.Set(keyNotifyState, string(state), nil); err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	})
	if err != nil {
		return fmt.Errorf("storage: publish notifications: %w", err)
	}
	return nil
}

// NotifyState returns the state NotifyPublish stored last; nil when none.
func (s *Store) NotifyState() ([]byte, error) {
	var out []byte
	err := s.db.View(func(tx *buntdb.Tx) error {
		v, err := tx.Get(keyNotifyState)
		if errors.Is(err, buntdb.ErrNotFound) {
			return nil
		}
		out = []byte(v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("storage: read notification state: %w", err)
	}
	return out, nil
}

// NotifyHead returns the oldest message waiting for outlet, or ErrNotFound.
func (s *Store) NotifyHead(outlet string) (NotifyItem, error) {
	if err := checkOutlet(outlet); err != nil {
		return NotifyItem{}, err
	}
	var it NotifyItem
	found := false
	var decodeErr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixNotifyQueue+outlet+":*", func(key, val string) bool {
			found = true
			if err := json.Unmarshal([]byte(val), &it); err != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, err)
			}
			return false
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return NotifyItem{}, fmt.Errorf("storage: read notification queue %s: %w", outlet, err)
	}
	if !found {
		return NotifyItem{}, fmt.Errorf("storage: notification queue %s is empty: %w", outlet, ErrNotFound)
	}
	return it, nil
}

// NotifyDelete removes a delivered message; ErrNotFound if it is not there.
func (s *Store) NotifyDelete(outlet string, seq uint64) error {
	if err := checkOutlet(outlet); err != nil {
		return err
	}
	err := s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		_, err := tx.Delete(notifyKey(outlet, seq))
		return 1, err
	})
	if errors.Is(err, buntdb.ErrNotFound) {
		return fmt.Errorf("storage: delete notification %s/%d: %w", outlet, seq, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("storage: delete notification %s/%d: %w", outlet, seq, err)
	}
	return nil
}

// NotifyLen returns how many messages wait for outlet.
func (s *Store) NotifyLen(outlet string) (int, error) {
	if err := checkOutlet(outlet); err != nil {
		return 0, err
	}
	n := 0
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixNotifyQueue+outlet+":*", func(string, string) bool { n++; return true })
	})
	if err != nil {
		return 0, fmt.Errorf("storage: count notification queue %s: %w", outlet, err)
	}
	return n, nil
}

// NotifyItems returns up to limit of the oldest messages waiting for
// outlet, oldest first (for a digest).
func (s *Store) NotifyItems(outlet string, limit int) ([]NotifyItem, error) {
	if err := checkOutlet(outlet); err != nil {
		return nil, err
	}
	var out []NotifyItem
	var decodeErr error
	err := s.db.View(func(tx *buntdb.Tx) error {
		return tx.AscendKeys(prefixNotifyQueue+outlet+":*", func(key, val string) bool {
			var it NotifyItem
			if decodeErr = json.Unmarshal([]byte(val), &it); decodeErr != nil {
				decodeErr = fmt.Errorf("decode %s: %w", key, decodeErr)
				return false
			}
			out = append(out, it)
			return len(out) < limit
		})
	})
	if err == nil {
		err = decodeErr
	}
	if err != nil {
		return nil, fmt.Errorf("storage: list notification queue %s: %w", outlet, err)
	}
	return out, nil
}

// PSA tickets opened for problems:
//
//	notify:ticket:<outlet>:<problem key>  the PSA's ticket id for that problem, until it clears
const prefixNotifyTicket = "notify:ticket:"

// validProblemKey matches findings' problem keys (rule name, "-", hex).
var validProblemKey = &lazyre.Regexp{Expr: `^[a-z0-9_-]{1,128}$`}

func ticketKey(outlet, problem string) (string, error) {
	if err := checkOutlet(outlet); err != nil {
		return "", err
	}
	if !validProblemKey.MatchString(problem) {
		return "", fmt.Errorf("storage: problem key %q is not a findings problem key", problem)
	}
	return prefixNotifyTicket + outlet + ":" + problem, nil
}

// NotifyTicket returns the PSA ticket id outlet opened for problem; ok is
// false when there is none.
func (s *Store) NotifyTicket(outlet, problem string) (id string, ok bool, err error) {
	k, err := ticketKey(outlet, problem)
	if err != nil {
		return "", false, err
	}
	err = s.db.View(func(tx *buntdb.Tx) error {
		v, err := tx.Get(k)
		if errors.Is(err, buntdb.ErrNotFound) {
			return nil
		}
		id, ok = v, err == nil
		return err
	})
	if err != nil {
		return "", false, fmt.Errorf("storage: read ticket of %s: %w", problem, err)
	}
	return id, ok, nil
}

// PutNotifyTicket remembers the ticket id outlet opened for problem; an
// empty id forgets it (the problem cleared and the ticket is closed).
func (s *Store) PutNotifyTicket(outlet, problem, id string) error {
	k, err := ticketKey(outlet, problem)
	if err != nil {
		return err
	}
	err = s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		if id == "" {
			_, err := tx.Delete(k)
			if errors.Is(err, buntdb.ErrNotFound) {
				return 0, nil
			}
			return 1, err
		}
		_, _, err := tx.Set(k, id, nil)
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("storage: store ticket of %s: %w", problem, err)
	}
	return nil
}

// NotifyQueue is the notification outboxes in the shape package notify's
// dispatcher wants (notify.Queue); storage does not import notify.
type NotifyQueue struct{ St *Store }

// Publish stores the compared state and the new messages in one commit.
func (q NotifyQueue) Publish(state []byte, items map[string][][]byte) error {
	return q.St.NotifyPublish(state, items)
}

// State is the state the last Publish stored.
func (q NotifyQueue) State() ([]byte, error) { return q.St.NotifyState() }

// Head is an outlet's oldest message; ok is false when its queue is empty.
func (q NotifyQueue) Head(outlet string) (uint64, []byte, bool, error) {
	it, err := q.St.NotifyHead(outlet)
	if errors.Is(err, ErrNotFound) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, false, err
	}
	return it.Seq, it.Body, true, nil
}

// Items are an outlet's oldest messages, at most limit.
func (q NotifyQueue) Items(outlet string, limit int) ([]uint64, [][]byte, error) {
	its, err := q.St.NotifyItems(outlet, limit)
	if err != nil {
		return nil, nil, err
	}
	seqs, bodies := make([]uint64, len(its)), make([][]byte, len(its))
	for i, it := range its {
		seqs[i], bodies[i] = it.Seq, it.Body
	}
	return seqs, bodies, nil
}

// Delete drops a delivered message.
func (q NotifyQueue) Delete(outlet string, seq uint64) error { return q.St.NotifyDelete(outlet, seq) }

// Len is how many messages wait for an outlet.
func (q NotifyQueue) Len(outlet string) (int, error) { return q.St.NotifyLen(outlet) }

// Ticket is the PSA ticket an outlet opened for a problem.
func (q NotifyQueue) Ticket(outlet, problem string) (string, bool, error) {
	return q.St.NotifyTicket(outlet, problem)
}

// PutTicket remembers the PSA ticket an outlet opened for a problem.
func (q NotifyQueue) PutTicket(outlet, problem, id string) error {
	return q.St.PutNotifyTicket(outlet, problem, id)
}
