package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/upstream"
)

// Decision states: a technician's or admin's decision on one of a site's
// open actions at the hub (reopen deletes the decision). The decision holds
// the hub's alerting, shows on the site page and travels to the box in the
// answer to its next summary (upstream.HubDecisions).
const (
	DecisionAcknowledged = "acknowledged" // someone is on it
	DecisionSnoozed      = "snoozed"      // not before Until
	DecisionResolved     = "resolved"     // done, awaiting the box's next summaries
)

// maxDecisionNote bounds a decision's note (as the box's findings do).
const maxDecisionNote = 1000

// ErrBadDecision is a decision the hub refuses: its message says why.
var ErrBadDecision = errors.New("hub: bad decision")

// Decision is stored under dec:<site>:<key>, key being the action's stable
// id: the problem's key (schema 1.1 summaries) or the action's id (1.0),
// the same key the hub's alerts follow.
type Decision struct {
	State string    `json:"state"`
	By    string    `json:"by"`
	At    time.Time `json:"at"`
	Note  string    `json:"note,omitempty"`
	Until time.Time `json:"until,omitzero"`
}

// active reports whether d still holds at now: a snooze past its date
// counts as open again.
func (d Decision) active(now time.Time) bool {
	return d.State != DecisionSnoozed || now.Before(d.Until)
}

// check says what is wrong with d, or "".
func (d *Decision) check(now time.Time) string {
	switch {
	case d.By == "":
		return "no user"
	case len(d.Note) > maxDecisionNote:
		return "note longer than 1000 bytes"
	case d.State == DecisionSnoozed && !d.Until.After(now):
		return "a snooze needs a date in the future"
	case !slices.Contains([]string{"", DecisionAcknowledged, DecisionSnoozed, DecisionResolved}, d.State):
		return "unknown state " + d.State
	}
	return ""
}

func decPrefix(site string) string { return "dec:" + site + ":" }

// liveKeys are the stable ids of the site's open actions as the site page
// and the alerts show them.
func liveKeys(s SiteStatus) []string {
	var ks []string
	if s.Problems != nil {
		for _, p := range s.Problems {
			ks = append(ks, p.Key)
		}
		return ks
	}
	for _, a := range s.Actions {
		ks = append(ks, a.ID)
	}
	return ks
}

// Decide records d on the site's open action key; an empty State (reopen)
// deletes it. The action must be among those the site reports now.
func (h *HubStore) Decide(site, key string, d Decision) error {
	now := h.now()
	if msg := d.check(now); msg != "" {
		return fmt.Errorf("%w: %s", ErrBadDecision, msg)
	}
	if d.State != DecisionSnoozed {
		d.Until = time.Time{}
	}
	s, err := h.Site(site)
	if err != nil {
		return err
	}
	if !slices.Contains(liveKeys(s), key) {
		return fmt.Errorf("hub: action %q of site %q: %w", key, site, storage.ErrNotFound)
	}
	d.At = now.UTC()
	return h.db.update(func(tx kvTx) error {
		if d.State == "" {
			return tx.Delete(decPrefix(site) + key)
		}
		b, err := json.Marshal(d)
		if err != nil {
			return err
		}
		return tx.Set(decPrefix(site)+key, string(b))
	})
}

// Decisions returns the site's decisions that hold at now on the actions
// in live (by key); an expired snooze is left out (and replaced by the
// next one). It only reads: a decision on an action the box no longer
// reports is deleted after the site's next summary (SweepDecisions).
func (h *HubStore) Decisions(site string, live []string, now time.Time) (map[string]Decision, error) {
	out := map[string]Decision{}
	err := h.db.view(func(tx kvTx) error {
		return tx.Ascend(decPrefix(site), func(k, v string) bool {
			key := strings.TrimPrefix(k, decPrefix(site))
			var d Decision
			if slices.Contains(live, key) && json.Unmarshal([]byte(v), &d) == nil && d.active(now) {
				out[key] = d
			}
			return true
		})
	})
	return out, err
}

// SweepDecisions runs after a summary of the site is stored: it deletes the
// site's decisions on actions the site no longer reports (or that do not
// decode) and returns those that hold at now. It reads and deletes
// outside the ingest's transaction: on PostgreSQL the handler's read is a
// statement after the ingest's COMMIT, in the same round trip
// (readAfterCommit), and deletes are a transaction of their own; a site
// without decisions costs one empty prefix read.
func (h *HubStore) SweepDecisions(site string, now time.Time) (map[string]Decision, error) {
	return h.sweepDecisions(site, now, nil)
}

// sweepDecisions is SweepDecisions with the site's dec: records read
// already (IngestResult.decisions; nil: read them).
func (h *HubStore) sweepDecisions(site string, now time.Time, records map[string]string) (map[string]Decision, error) {
	raw := map[string]string{}
	var err error
	if records != nil {
		for k, v := range records {
			raw[strings.TrimPrefix(k, decPrefix(site))] = v
		}
	} else {
		err = h.readPrefix(decPrefix(site), func(k, v string) { raw[strings.TrimPrefix(k, decPrefix(site))] = v })
	}
	if err != nil || len(raw) == 0 {
		return nil, err
	}
	s, err := h.Site(site)
	if err != nil || s.Broken != "" {
		return nil, err // a site record this hub cannot read says nothing about its actions
	}
	live := liveKeys(s)
	out := map[string]Decision{}
	var stale []string
	for key, v := range raw {
		var d Decision
		if !slices.Contains(live, key) || json.Unmarshal([]byte(v), &d) != nil {
			stale = append(stale, key)
		} else if d.active(now) {
			out[key] = d
		}
	}
	if len(stale) == 0 {
		return out, nil
	}
	return out, h.db.update(func(tx kvTx) error {
		for _, key := range stale {
			// A decision taken since the read above (on an action a newer
			// summary reports again) is not the stale one: it stays.
			if v, err := tx.Get(decPrefix(site) + key); err != nil || v != raw[key] {
				if errors.Is(err, storage.ErrNotFound) {
					err = nil
				}
				if err != nil {
					return err
				}
				continue
			}
			if err := tx.Delete(decPrefix(site) + key); err != nil {
				return err
			}
		}
		return nil
	})
}

// wireDecisions are ds as the answer to the site's summary carries them,
// by key, at most upstream.MaxReplyDecisions.
func wireDecisions(ds map[string]Decision) *upstream.HubDecisions {
	keys := slices.Sorted(maps.Keys(ds))
	out := &upstream.HubDecisions{Version: upstream.DecisionsVersion, Items: []upstream.HubDecision{}}
	if n := len(keys) - upstream.MaxReplyDecisions; n > 0 {
		keys, out.Omitted = keys[:upstream.MaxReplyDecisions], n
	}
	for _, k := range keys {
		d := ds[k]
		out.Items = append(out.Items, upstream.HubDecision{Key: k, State: d.State, By: d.By, At: d.At, Note: d.Note, Until: d.Until})
	}
	return out
}

// decideAction applies a person's decision from the site page: do is
// acknowledge, snooze (until a YYYY-MM-DD date), resolve or reopen.
func (h *Hub) decideAction(c *gin.Context) {
	sess, _ := h.session(c)
	site, key, do := c.Param("name"), c.PostForm("key"), c.PostForm("do")
	d := Decision{By: sess.User, Note: strings.TrimSpace(c.PostForm("note"))}
	var err error
	switch do {
	case "acknowledge", "resolve": // the states are the verbs past
		d.State = do + "d"
	case "snooze":
		d.State = DecisionSnoozed
		if d.Until, err = time.Parse(time.DateOnly, c.PostForm("until")); err != nil {
			err = fmt.Errorf("%w: give the date the snooze ends as YYYY-MM-DD", ErrBadDecision)
		}
	case "reopen":
	default:
		err = fmt.Errorf("%w: say what to do: acknowledge, snooze, resolve or reopen", ErrBadDecision)
	}
	if err == nil {
		err = h.data.Decide(site, key, d)
	}
	if err != nil {
		status, msg := http.StatusInternalServerError, "Could not save the decision."
		if errors.Is(err, storage.ErrNotFound) {
			status, msg = http.StatusNotFound, "The site does not report this action (any more)."
		} else if errors.Is(err, ErrBadDecision) {
			status, msg = http.StatusBadRequest, strings.TrimPrefix(err.Error(), ErrBadDecision.Error()+": ")
		}
		h.fail(c, status, msg, err)
		return
	}
	if do == "snooze" {
		do += " until " + d.Until.Format(time.DateOnly)
	}
	h.audit(sess.User, "action "+do, site+" "+key)
	c.Redirect(http.StatusSeeOther, "/sites/"+site)
}
