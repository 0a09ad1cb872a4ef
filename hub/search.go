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
//	fc:<name>            []upstream.Due: the site's devices whose support ends within 12
//	                     months (its forecast's list; none when empty), rewritten by an
//	                     ingest whose forecast changed (siteCounters.Forecast)
//	meta:index           "1" once every site has its records above (indexRecords: stores
//	                     from before them); a store whose first site is added with them
//	                     has them from the start
//
// A search reads the gram: keys of its rarest three-character run
// (gramCandidates): its cost is the sites whose names hold that run, not
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

// gramCandidates are the sites whose names may hold lq (lower-cased),
// a superset of the matches: those with the rarest of lq's three-character
// runs (every name that holds lq holds each of them), or, for one or two
// characters, a run that starts with them. The runs' keys are read up to
// a limit that grows eightfold until one run's are all read, so the cost
// is about the rarest run's sites times the runs, not the fleet.
func gramCandidates(tx kvTx, lq string) ([]string, error) {
	r := []rune(lq)
	prefixes := []string{"gram:" + lq}
	if len(r) >= 3 {
		prefixes = nil
		for i := 0; i+3 <= len(r); i++ { // a run twice in lq is read twice: still bounded
			prefixes = append(prefixes, gramKey(string(r[i:i+3]), ""))
		}
	}
	for limit := 64; ; limit *= 8 {
		if len(prefixes) == 1 {
			limit = 1 << 62
		}
		var best []string
		found := false
		for _, p := range prefixes {
			var names []string
			complete := true
			if err := tx.Ascend(p, func(k, _ string) bool {
				if complete = len(names) < limit; complete {
					names = append(names, k[strings.LastIndexByte(k, ':')+1:])
				}
				return complete
			}); err != nil {
				return nil, err
			}
			if complete && (!found || len(names) < len(best)) {
				best, found = names, true
			}
		}
		if !found {
			continue
		}
		seen, out := map[string]bool{}, best[:0] // a short search's runs name a site more than once
		for _, name := range best {
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
		return out, nil
	}
}

// searchSites is the list records of the sites whose display name or
// slug holds q (case-insensitive, pageSites's rule), by slug: the
// gramCandidates filtered.
func (h *HubStore) searchSites(q string) ([]SiteStatus, error) {
	if err := h.indexRecords(); err != nil {
		return nil, fmt.Errorf("hub: search sites: %w", err)
	}
	lq := strings.ToLower(q)
	var matched []SiteStatus
	err := h.db.view(func(tx kvTx) error {
		matched = nil
		names, err := gramCandidates(tx, lq)
		if err != nil {
			return err
		}
		keys := make([]string, len(names))
		for i, name := range names {
			keys[i] = "list:" + name
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
			st, err := readSite(tx, name)
			if errors.Is(err, storage.ErrNotFound) {
				return nil // deleted since
			}
			if err != nil {
				return err
			}
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

// setForecast writes the site's fc: record: due, none when it is empty.
func setForecast(tx kvTx, site string, due []upstream.Due) error {
	if len(due) == 0 {
		return tx.Delete("fc:" + site)
	}
	b, _ := json.Marshal(due) // decoded Dues: nothing that cannot encode
	return tx.Set("fc:"+site, string(b))
}

// forecastListed is how many due devices the forecast page lists: the
// soonest of the fleet (a 10,000-site fleet has ~600,000 due; the page
// took 7 s and the hub ~900 MB to list them all). Each site's page lists
// its own.
const forecastListed = 500

// ForecastDue is the soonest limit (0: all) of every site's devices whose
// support ends within 12 months (FleetOf's Due order), and how many there
// are, from the fc: records: what the forecast page lists, not the sites'
// whole records. It holds at most 2×limit devices while it reads.
func (h *HubStore) ForecastDue(limit int) ([]SiteDue, int, error) {
	if err := h.indexRecords(); err != nil {
		return nil, 0, fmt.Errorf("hub: forecast: %w", err)
	}
	out := []SiteDue{}
	total := 0
	err := h.db.view(func(tx kvTx) error {
		out, total = out[:0], 0
		return tx.Ascend("fc:", func(k, v string) bool {
			var due []upstream.Due
			_ = json.Unmarshal([]byte(v), &due) // written from decoded Dues (setForecast)
			for _, d := range due {
				out = append(out, SiteDue{Site: k[len("fc:"):], Due: d})
			}
			total += len(due)
			if limit > 0 && len(out) > 2*limit {
				slices.SortFunc(out, dueBefore)
				out = out[:limit]
			}
			return true
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("hub: forecast: %w", err)
	}
	slices.SortFunc(out, dueBefore)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}
