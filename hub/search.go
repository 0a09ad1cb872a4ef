package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"tend/storage"
	"tend/upstream"
)

// The records that let the fleet page's search (?q=) and the forecast page
// read what they show rather than every site's record:
//
//	gram:<g>:<name>      "1" for each run g of three characters of the site's display name
//	                     (lower-cased) and of its slug, both padded with two gramPad so that
//	                     a search of one or two characters is the start of some g; kept by
//	                     indexHead with the page records, rewritten only when a name changes
//	fc:<name>:<6-digit i> upstream.Due: the i-th device of the site's forecast whose support
//	                     ends within 12 months, rewritten by an ingest whose forecast changed
//	                     (siteCounters.Forecast)
//	meta:index           "1" once every site has its records above (indexRecords: stores
//	                     from before them); a store whose first site is added with them
//	                     has them from the start
//
// A search reads the gram: keys that start with its first three (or
// fewer) characters: its cost is the sites whose names hold those, not
// the fleet.

// gramPad ends each name for the gram: keys: a control character, which
// display names and slugs never hold.
const gramPad = "\x01"

func gramKey(g, name string) string { return "gram:" + g + ":" + name }

// gramsOf are the distinct three-character runs of s's searchable names
// (pageSites's rule: the lower-cased display name, the slug).
func gramsOf(s SiteStatus) []string {
	seen := map[string]bool{}
	var out []string
	for _, name := range []string{strings.ToLower(s.Label()), s.Name} {
		r := []rune(name + gramPad + gramPad)
		for i := 0; i+3 <= len(r); i++ {
			if g := string(r[i : i+3]); !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	return out
}

// indexGrams replaces the gram: keys of old (the site's list record
// before, nil: none) by those of s (nil: the site is deleted); nothing
// when its names are the same (an ingest).
func indexGrams(tx kvTx, old, s *SiteStatus) error {
	if old != nil && s != nil && old.Name == s.Name && old.Label() == s.Label() {
		return nil
	}
	for _, x := range []*SiteStatus{old, s} { // old's deleted, then s's set
		if x == nil {
			continue
		}
		for _, g := range gramsOf(*x) {
			var err error
			if x == old {
				err = tx.Delete(gramKey(g, x.Name))
			} else {
				err = tx.Set(gramKey(g, x.Name), "1")
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// searchSites is the list records of the sites whose display name or
// slug holds q (case-insensitive, pageSites's rule), by slug. It reads
// the sites that hold q's first three characters (gram: keys), or
// start a run with q's one or two: a superset it filters.
func (h *HubStore) searchSites(q string) ([]SiteStatus, error) {
	if err := h.indexRecords(); err != nil {
		return nil, fmt.Errorf("hub: search sites: %w", err)
	}
	lq := strings.ToLower(q)
	r := []rune(lq)
	prefix := "gram:" + string(r[:min(3, len(r))])
	var matched []SiteStatus
	err := h.db.view(func(tx kvTx) error {
		matched = nil
		var names, keys []string
		seen := map[string]bool{}
		if err := tx.Ascend(prefix, func(k, _ string) bool {
			if name := k[strings.LastIndexByte(k, ':')+1:]; !seen[name] {
				seen[name] = true
				names, keys = append(names, name), append(keys, "list:"+name)
			}
			return true
		}); err != nil {
			return err
		}
		if p, ok := tx.(interface{ prefetch(...string) error }); ok && len(keys) > 0 {
			if err := p.prefetch(keys...); err != nil {
				return err
			}
		}
		for _, name := range names {
			v, err := tx.Get("list:" + name)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if s := decodeHead(name, v); strings.Contains(strings.ToLower(s.Label()), lq) || strings.Contains(s.Name, lq) {
				matched = append(matched, s)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hub: search sites: %w", err)
	}
	return matched, nil
}

// indexRecords writes the gram: and fc: records of a store from before
// them, once: one site per transaction (a fleet's whole records are more
// than one statement may take), then meta:index.
func (h *HubStore) indexRecords() error {
	if err := h.listRecords(); err != nil {
		return err
	}
	var names []string
	err := h.db.view(func(tx kvTx) error {
		if _, err := tx.Get("meta:index"); !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		names = []string{}
		return tx.Ascend("list:", func(k, _ string) bool { names = append(names, strings.TrimPrefix(k, "list:")); return true })
	})
	if err != nil || names == nil {
		return err
	}
	for _, name := range names {
		if err := h.db.update(func(tx kvTx) error {
			v, err := tx.Get("site:" + name)
			if errors.Is(err, storage.ErrNotFound) {
				return nil // deleted since
			}
			if err != nil {
				return err
			}
			st, _ := decodeSite(name, v)
			return errors.Join(indexGrams(tx, nil, &st), setForecast(tx, name, st.Forecast.Due))
		}); err != nil {
			return err
		}
	}
	return h.db.update(func(tx kvTx) error { return tx.Set("meta:index", "1") })
}

// firstSiteMark sets meta:index when the site being added is the store's
// first: it gets its gram: and fc: records as it is written, as every
// later one does.
func firstSiteMark(tx kvTx) error {
	if _, err := tx.Get("meta:index"); !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	found := false
	if err := tx.Ascend("count:", func(string, string) bool { found = true; return false }); err != nil || found {
		return err
	}
	return tx.Set("meta:index", "1")
}

func fcPrefix(site string) string { return "fc:" + site + ":" }

// setForecast replaces the site's fc: records by due.
func setForecast(tx kvTx, site string, due []upstream.Due) error {
	if err := tx.DeleteRange(fcPrefix(site), prefixEnd(fcPrefix(site))); err != nil {
		return err
	}
	for i, d := range due {
		b, err := json.Marshal(d)
		if err != nil {
			return fmt.Errorf("encode forecast of %s: %w", site, err)
		}
		if err := tx.Set(fmt.Sprintf("%s%06d", fcPrefix(site), i), string(b)); err != nil {
			return err
		}
	}
	return nil
}

// ForecastDue is every site's devices whose support ends within 12
// months, soonest first (FleetOf's Due), from the fc: records: what the
// forecast page lists, not the sites' whole records.
func (h *HubStore) ForecastDue() ([]SiteDue, error) {
	if err := h.indexRecords(); err != nil {
		return nil, fmt.Errorf("hub: forecast: %w", err)
	}
	out := []SiteDue{}
	err := h.db.view(func(tx kvTx) error {
		out = out[:0]
		return tx.Ascend("fc:", func(k, v string) bool {
			site, _, _ := strings.Cut(k[len("fc:"):], ":")
			d := SiteDue{Site: site}
			if json.Unmarshal([]byte(v), &d.Due) == nil { // written from a decoded Due (setForecast)
				out = append(out, d)
			}
			return true
		})
	})
	if err != nil {
		return nil, fmt.Errorf("hub: forecast: %w", err)
	}
	slices.SortFunc(out, func(a, b SiteDue) int { return a.EOL.Compare(b.EOL) })
	return out, nil
}
