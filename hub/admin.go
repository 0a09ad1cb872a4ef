package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"tend/storage"
	"tend/upstream"
)

// Token scopes. A token is read-only unless made otherwise: the pull API
// and /metrics need nothing more.
const (
	ScopeRead  = "read"
	ScopeAdmin = "admin"
)

// TokenInfo is a token as listed: never the token itself, which only its
// holder has; ID is the start of its SHA-256, enough to name it.
type TokenInfo struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Scope   string    `json:"scope"`
	Created time.Time `json:"created"`
}

// Tokens lists the API tokens, by name.
func (h *HubStore) Tokens() ([]TokenInfo, error) {
	var out []TokenInfo
	err := h.db.view(func(tx kvTx) error {
		return tx.Ascend("token:", func(k, v string) bool {
			var r tokenRecord
			_ = json.Unmarshal([]byte(v), &r)
			if r.Scope == "" {
				r.Scope = ScopeRead
			}
			out = append(out, TokenInfo{ID: strings.TrimPrefix(k, "token:")[:12], Name: r.Name, Scope: r.Scope, Created: r.Created})
			return true
		})
	})
	slices.SortFunc(out, func(a, b TokenInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// RevokeToken deletes the tokens named nameOrID (a name, or an ID from
// Tokens) and returns how many it revoked; a revoked token is refused at
// once, by every hub on the database.
func (h *HubStore) RevokeToken(nameOrID string) (int, error) {
	n := 0
	err := h.db.update(func(tx kvTx) (err error) {
		n, err = deleteWhere(tx, "token:", func(k, v string) bool {
			var r tokenRecord
			_ = json.Unmarshal([]byte(v), &r)
			return r.Name == nameOrID || (len(nameOrID) >= 8 && strings.HasPrefix(strings.TrimPrefix(k, "token:"), nameOrID))
		})
		return err
	})
	if err == nil && n == 0 {
		err = fmt.Errorf("hub: revoke token %q: %w", nameOrID, storage.ErrNotFound)
	}
	return n, err
}

// RotateSiteKey gives a site a new key and returns it: the old key stops
// working at once (put the new one on the site's box).
func (h *HubStore) RotateSiteKey(site string) (string, error) {
	key := upstream.NewSiteKey()
	err := h.db.update(func(tx kvTx) error {
		if _, err := tx.Get("key:" + site); err != nil {
			return fmt.Errorf("hub: rotate key of %q: %w", site, err)
		}
		rec, err := h.sealedRecord(tx, site, key)
		if err != nil {
			return err
		}
		return tx.Set("key:"+site, rec)
	})
	h.forgetKey(site)
	if err != nil {
		return "", err
	}
	return key, nil
}

// DeleteSite removes a site with its key, devices, summaries and history.
func (h *HubStore) DeleteSite(site string) error {
	if upstream.ValidateSiteName(site) != nil {
		return fmt.Errorf("hub: delete site %q: %w", site, storage.ErrNotFound)
	}
	err := h.db.update(func(tx kvTx) error {
		if _, err := tx.Get("site:" + site); err != nil {
			return fmt.Errorf("hub: delete site %q: %w", site, err)
		}
		if err := dropHead(tx, site); err != nil {
			return err
		}
		for _, k := range []string{"site:" + site, "parts:" + site, "state:" + site, "count:" + site, "key:" + site, "fc:" + site} {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		for d := range int(HistoryFull/(24*time.Hour)) + 2 { // its figures of days not yet in the fleet's averages
			day := h.now().UTC().AddDate(0, 0, -d).Format(time.DateOnly)
			prev, err := dayFiguresAt(tx, site, day)
			if err != nil || prev == nil {
				if err != nil {
					return err
				}
				continue
			}
			if err := errors.Join(tx.Delete(fdayPrefix(day)+site), addDay(tx, site, day, prev, nil)); err != nil {
				return err
			}
		}
		if err := foldSite(tx, site, h.now().UTC().Format(time.DateOnly)); err != nil {
			return err
		}
		for _, p := range []string{"box:", "sum:", "dev:", "hist:", "day:", "act:", "dec:"} {
			if err := prune(tx, []string{p + site + ":"}, []string{p + site + ";"}); err != nil { // ';' sorts right after ':'
				return err
			}
		}
		return nil
	})
	h.forgetKey(site)
	return err
}

func (h *HubStore) forgetKey(site string) {
	h.mu.Lock()
	delete(h.keys, site)
	h.mu.Unlock()
}

// AuditEntry is one administrative act at the hub.
type AuditEntry struct {
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"` // user name, "cli", or "token:<name>"
	Action string    `json:"action"`
	Target string    `json:"target"`
}

// Audit records an administrative act; the log is kept for good.
func (h *HubStore) Audit(actor, action, target string) error {
	e := AuditEntry{Time: h.now().UTC(), Actor: actor, Action: action, Target: target}
	b, _ := json.Marshal(e)
	return h.db.update(func(tx kvTx) error {
		k := fmt.Sprintf("audit:%020d", e.Time.UnixNano())
		for {
			if _, err := tx.Get(k); errors.Is(err, storage.ErrNotFound) {
				break
			}
			k += "+" // two acts in one nanosecond (a fixed test clock)
		}
		return tx.Set(k, string(b))
	})
}

// AuditLog returns the newest limit entries, newest first.
func (h *HubStore) AuditLog(limit int) ([]AuditEntry, error) {
	var out []AuditEntry
	err := h.db.view(func(tx kvTx) error {
		return tx.Descend("audit:", func(_, v string) bool {
			var e AuditEntry
			if json.Unmarshal([]byte(v), &e) == nil {
				out = append(out, e)
			}
			return limit <= 0 || len(out) < limit
		})
	})
	return out, err
}
