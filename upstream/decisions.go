package upstream

import (
	"crypto/hmac"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"tend/internal/lazyre"
)

// The hub's decisions travel back to the box in the answer to its summary.
//
// A box that can take them sends HeaderDecisions: DecisionsVersion with its
// summary; a hub that knows the header answers with Reply.Decisions (the
// site's decisions that hold now on the actions the site reports) and signs
// the whole answer with the site's key in HeaderSignature, over
// "tend-reply-v1\n" + site + "\n" + idempotency key + "\n" + the answer's
// bytes, so an answer cannot be forged or replayed for another summary. An
// old box sends no header and gets none; an old hub ignores the header and
// sends none; a box ignores decisions of a version it does not know.
const (
	HeaderDecisions   = "Tend-Decisions"
	DecisionsVersion  = 1
	MaxReplyDecisions = 500     // decisions in one answer; the rest are counted in Omitted
	MaxReplyBytes     = 1 << 20 // what a box reads of an answer (500 decisions of ≤1 KB notes fit)
	replyContext      = "tend-reply-v1\n"
	maxDecisionNote   = 1000
	maxDecisionBy     = 128
)

// Decision states that travel (a reopen at the hub deletes its decision).
const (
	HubAcknowledged = "acknowledged"
	HubSnoozed      = "snoozed"
	HubResolved     = "resolved"
)

// HubDecision is a person's decision at the hub on one of the site's open
// actions: Key is the problem's key (schema 1.1) or the action's id.
type HubDecision struct {
	Key   string    `json:"key"`
	State string    `json:"state"`
	By    string    `json:"by"` // the hub user
	At    time.Time `json:"at"` // the hub's clock
	Note  string    `json:"note,omitempty"`
	Until time.Time `json:"until,omitzero"` // snoozed only
}

// HubDecisions is the decisions part of a reply.
type HubDecisions struct {
	Version int           `json:"version"`
	Items   []HubDecision `json:"items"`
	Omitted int           `json:"omitted,omitempty"` // decisions beyond MaxReplyDecisions, not sent
}

// validDecisionKey is the shape of problem keys and action ids.
var validDecisionKey = &lazyre.Regexp{Expr: `^[A-Za-z0-9._:-]{1,128}$`}

// problem says what is wrong with d, or "".
func (d *HubDecision) problem() string {
	switch {
	case !validDecisionKey.MatchString(d.Key):
		return "a bad key"
	case d.State != HubAcknowledged && d.State != HubSnoozed && d.State != HubResolved:
		return "an unknown state"
	case d.By == "" || len(d.By) > maxDecisionBy || !utf8.ValidString(d.By) || strings.ContainsFunc(d.By, isControl):
		return "a bad user name"
	case len(d.Note) > maxDecisionNote || !utf8.ValidString(d.Note):
		return "a note over 1000 bytes or not UTF-8"
	case d.At.IsZero():
		return "no time"
	case (d.State == HubSnoozed) == d.Until.IsZero():
		return "an end without a snooze or a snooze without an end"
	}
	return ""
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// SignReply returns the HeaderSignature value of a reply body to the
// summary site/idem.
func SignReply(key []byte, site, idem string, body []byte) string {
	return signaturePrefix + hex.EncodeToString(macIn(replyContext, key, site, idem, body))
}

// DecodeReply reads the hub's answer to summary site/idem. Decisions are
// kept only when the answer's signature verifies with the site's key, their
// version is known and every one is well formed; otherwise Decisions is nil
// and the error says why (the status code still decides delivery). An
// answer without decisions needs no signature.
func DecodeReply(key []byte, site, idem string, body []byte, signature string) (Reply, error) {
	var r Reply
	if len(body) > MaxReplyBytes {
		return r, fmt.Errorf("%w: reply of %d bytes", ErrTooLarge, len(body))
	}
	if err := CheckDepth(body, MaxDepth); err != nil {
		return r, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Reply{}, fmt.Errorf("%w: reply: %v", ErrInvalid, err)
	}
	if r.Decisions == nil {
		return r, nil
	}
	ds := r.Decisions
	r.Decisions = nil
	h, ok := strings.CutPrefix(signature, signaturePrefix)
	got, err := hex.DecodeString(h)
	switch {
	case !ok || err != nil || !hmac.Equal(got, macIn(replyContext, key, site, idem, body)):
		return r, fmt.Errorf("%w: the reply's decisions", ErrBadSignature)
	case ds.Version != DecisionsVersion:
		return r, fmt.Errorf("%w: decisions of version %d (this box reads %d)", ErrInvalid, ds.Version, DecisionsVersion)
	case len(ds.Items) > MaxReplyDecisions || ds.Omitted < 0:
		return r, fmt.Errorf("%w: %d decisions (at most %d)", ErrTooLarge, len(ds.Items), MaxReplyDecisions)
	}
	seen := make(map[string]bool, len(ds.Items))
	for i := range ds.Items {
		msg := ds.Items[i].problem()
		if seen[ds.Items[i].Key] {
			msg = "a key seen before"
		}
		if msg != "" {
			return r, fmt.Errorf("%w: decision %d has %s", ErrInvalid, i, msg)
		}
		seen[ds.Items[i].Key] = true
	}
	if ds.Items == nil {
		ds.Items = []HubDecision{}
	}
	r.Decisions = ds
	return r, nil
}
