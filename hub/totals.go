package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
)

// The fleet page's records, kept by every write of a site's list record
// (setHead, dropHead) in the same transaction, so that a page of the
// fleet costs the same at 10 sites and at 10,000:
//
//	tpend:<name>              pending: how the site changed the totals since they were last
//	                          folded (an ingest writes only its own site's row: ingests of
//	                          different sites never update one row, so never conflict)
//	tot:fleet                 totals: the fleet's sums as of the last fold (foldTotals: the
//	                          fleet page moves the pending rows in, and deletes them)
//	tday:<YYYY-MM-DD>         dayTotals: the sums of that day's day figures (fday:), for the
//	                          trend's current day, folded the same way
//	ord:<hhh>:<ccccccccc>:<name>  the list record again, keyed in the page's order (health
//	                          ascending, critical actions descending, name)
//	due:<19-digit ns>:<name>  when the site goes stale with the default stale-after (zero: it
//	                          never reported): the stale ones are the keys before now
//	meta:fleet-totals         "1" once the records above were built from the list records

// pending is one site's change to the totals not folded in yet.
type pending struct {
	T    totals               `json:"t"`
	Days map[string]dayTotals `json:"days,omitempty"`
}

func pendKey(site string) string { return "tpend:" + site }

// addPending applies fn to site's pending row.
func addPending(tx kvTx, site string, fn func(*pending)) error {
	var p pending
	if v, err := tx.Get(pendKey(site)); err == nil {
		if err := json.Unmarshal([]byte(v), &p); err != nil {
			return fmt.Errorf("hub: pending totals of %s: %w", site, err)
		}
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	fn(&p)
	b, _ := marshalString(p)
	return tx.Set(pendKey(site), b)
}

// totals are the fleet page's headline sums.
type totals struct {
	Sites       int `json:"s"`
	Devices     int `json:"d"`
	EOL         int `json:"e"`
	EOL12Months int `json:"e12"`
	Critical    int `json:"c"`
	OpenActions int `json:"o"`
	KEVDevices  int `json:"kd"`
	KEVSites    int `json:"ks"`
}

// dayTotals sums day figures.
type dayTotals struct {
	Sites   int `json:"n"`
	Health  int `json:"h"`
	Devices int `json:"d"`
	EOL     int `json:"e"`
}

// contribution is one site's part of the totals.
func contribution(s SiteStatus) totals {
	t := totals{Sites: 1, Devices: s.Devices, EOL: s.Forecast.EOL, EOL12Months: s.Forecast.EOL12Months, Critical: s.Critical, OpenActions: s.OpenActions}
	if s.Vulns != nil && s.Vulns.KEVDevices > 0 {
		t.KEVDevices, t.KEVSites = s.Vulns.KEVDevices, 1
	}
	return t
}

func (t *totals) add(o totals, sign int) {
	t.Sites += sign * o.Sites
	t.Devices += sign * o.Devices
	t.EOL += sign * o.EOL
	t.EOL12Months += sign * o.EOL12Months
	t.Critical += sign * o.Critical
	t.OpenActions += sign * o.OpenActions
	t.KEVDevices += sign * o.KEVDevices
	t.KEVSites += sign * o.KEVSites
}

func (d *dayTotals) add(f dayFigures, sign int) {
	d.Sites += sign
	d.Health += sign * f.Health
	d.Devices += sign * f.Devices
	d.EOL += sign * f.EOL
}

// ordKey is a site's key in the page's order (sortWorstFirst without the
// stale sites, which come first and are read from due:).
func ordKey(s SiteStatus) string {
	return fmt.Sprintf("ord:%03d:%09d:%s", min(max(s.Health.Score, 0), 999), 999999999-min(max(s.Critical, 0), 999999999), s.Name)
}

// staleDeadline is when s goes stale under the default stale-after
// (Hub.staleAfter without HubConfig.StaleAfter), 0 if it never reported.
func staleDeadline(s SiteStatus) int64 {
	if s.LastSeen.IsZero() {
		return 0
	}
	return max(s.LastSeen.Add(max(3*time.Duration(s.Interval)*time.Second, 10*time.Minute)).UnixNano(), 0)
}

func dueKey(s SiteStatus) string { return fmt.Sprintf("due:%019d:%s", staleDeadline(s), s.Name) }

// indexHead replaces the page records of old (the site's list record
// before, nil: none) by those of s (nil: the site is deleted). A key s
// keeps is overwritten, not deleted first, and the pending row is written
// only when the site's part of the totals changed (an ingest, most often,
// changes neither its order nor its counts).
func indexHead(tx kvTx, old, s *SiteStatus, head string) error {
	var was, is totals
	name := ""
	if s != nil {
		is, name = contribution(*s), s.Name
	}
	if old != nil {
		was, name = contribution(*old), old.Name
		for _, k := range []string{ordKey(*old), dueKey(*old)} {
			if s != nil && (k == ordKey(*s) || k == dueKey(*s)) {
				continue
			}
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
	}
	if err := indexGrams(tx, old, s); err != nil {
		return err
	}
	if was != is {
		if err := addPending(tx, name, func(p *pending) { p.T.add(was, -1); p.T.add(is, 1) }); err != nil {
			return err
		}
	}
	if s == nil {
		return nil
	}
	return errors.Join(tx.Set(ordKey(*s), head), tx.Set(dueKey(*s), s.Name))
}

// oldHead is name's list record as stored (nil: none).
func oldHead(tx kvTx, name string) (*SiteStatus, error) {
	v, err := tx.Get("list:" + name)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := decodeHead(name, v)
	return &s, nil
}

// dropHead deletes name's list record and its page records.
func dropHead(tx kvTx, name string) error {
	old, err := oldHead(tx, name)
	if err != nil || old == nil {
		return err
	}
	if err := indexHead(tx, old, nil, ""); err != nil {
		return err
	}
	return tx.Delete("list:" + name)
}

// addDay moves site's day figures of day from old (nil: none) to f
// (nil: dropped) in its pending row.
func addDay(tx kvTx, site, day string, old, f *dayFigures) error {
	return addPending(tx, site, func(p *pending) {
		if p.Days == nil {
			p.Days = map[string]dayTotals{}
		}
		d := p.Days[day]
		if old != nil {
			d.add(*old, -1)
		}
		if f != nil {
			d.add(*f, 1)
		}
		p.Days[day] = d
	})
}

// dayFiguresAt is site's stored day figures of day (nil: none).
func dayFiguresAt(tx kvTx, site, day string) (*dayFigures, error) {
	v, err := tx.Get(fdayPrefix(day) + site)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var f dayFigures
	if json.Unmarshal([]byte(v), &f) != nil {
		return nil, nil // counted as nothing when written (decodeHead's rule: never fail the fleet)
	}
	return &f, nil
}

// fleetTotals folds the pending rows into the fleet's totals and the
// day sums from day (YYYY-MM-DD, the current day) on, and answers the
// totals and that day's sums; a store from before these records has them
// built first. Its cost is the sites that changed since the last fold.
func (h *HubStore) fleetTotals(day string) (totals, dayTotals, error) {
	var t totals
	var d dayTotals
	if err := h.totalRecords(); err != nil {
		return t, d, err
	}
	err := h.db.update(func(tx kvTx) error {
		t, d = totals{}, dayTotals{}
		if err := getJSON(tx, "tot:fleet", &t); err != nil {
			return err
		}
		days := map[string]dayTotals{}
		var folded []string
		if err := tx.Ascend("tpend:", func(k, v string) bool {
			var p pending
			if json.Unmarshal([]byte(v), &p) == nil {
				t.add(p.T, 1)
				for dd, s := range p.Days {
					if dd >= day {
						cur := days[dd]
						cur.Sites, cur.Health, cur.Devices, cur.EOL = cur.Sites+s.Sites, cur.Health+s.Health, cur.Devices+s.Devices, cur.EOL+s.EOL
						days[dd] = cur
					}
				}
			}
			folded = append(folded, k)
			return true
		}); err != nil {
			return err
		}
		if _, ok := days[day]; !ok {
			days[day] = dayTotals{}
		}
		for dd, s := range days {
			var cur dayTotals
			if err := getJSON(tx, "tday:"+dd, &cur); err != nil {
				return err
			}
			cur.Sites, cur.Health, cur.Devices, cur.EOL = cur.Sites+s.Sites, cur.Health+s.Health, cur.Devices+s.Devices, cur.EOL+s.EOL
			if dd == day {
				d = cur
			}
			if len(folded) > 0 {
				b, _ := json.Marshal(cur)
				if err := tx.Set("tday:"+dd, string(b)); err != nil {
					return err
				}
			}
		}
		if len(folded) == 0 {
			return nil
		}
		for _, k := range folded {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		b, _ := json.Marshal(t)
		return tx.Set("tot:fleet", string(b))
	})
	return t, d, err
}

// foldSite folds one site's pending row (DeleteSite: nothing of a
// deleted site is left behind) into the totals and the day sums from day
// on.
func foldSite(tx kvTx, site, day string) error {
	var p pending
	var t totals
	if err := errors.Join(getJSON(tx, pendKey(site), &p), getJSON(tx, "tot:fleet", &t)); err != nil {
		return err
	}
	t.add(p.T, 1)
	b, _ := json.Marshal(t)
	if err := tx.Set("tot:fleet", string(b)); err != nil {
		return err
	}
	for dd, s := range p.Days {
		if dd < day {
			continue
		}
		var cur dayTotals
		if err := getJSON(tx, "tday:"+dd, &cur); err != nil {
			return err
		}
		cur.Sites, cur.Health, cur.Devices, cur.EOL = cur.Sites+s.Sites, cur.Health+s.Health, cur.Devices+s.Devices, cur.EOL+s.EOL
		b, _ := json.Marshal(cur)
		if err := tx.Set("tday:"+dd, string(b)); err != nil {
			return err
		}
	}
	return tx.Delete(pendKey(site))
}

// getJSON decodes key's value into dst; a missing key leaves dst as it is.
func getJSON(tx kvTx, key string, dst any) error {
	v, err := tx.Get(key)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(v), dst); err != nil {
		return fmt.Errorf("hub: %s: %w", key, err)
	}
	return nil
}

// totalRecords builds the page records from the list records and day
// figures, once (a store from before them; listRecords asks again when it
// writes list records of its own).
func (h *HubStore) totalRecords() error {
	if err := h.listRecords(); err != nil {
		return err
	}
	err := h.db.view(func(tx kvTx) error { _, err := tx.Get("meta:fleet-totals"); return err })
	if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	return h.db.update(func(tx kvTx) error {
		if _, err := tx.Get("meta:fleet-totals"); err == nil {
			return nil // another hub did it
		}
		for _, p := range []string{"tot:", "ord:", "due:", "tday:", "tpend:"} {
			if err := prune(tx, []string{p}, []string{prefixEnd(p)}); err != nil {
				return err
			}
		}
		var heads []SiteStatus
		var raw []string
		if err := tx.Ascend("list:", func(k, v string) bool {
			heads, raw = append(heads, decodeHead(strings.TrimPrefix(k, "list:"), v)), append(raw, v)
			return true
		}); err != nil {
			return err
		}
		var sum totals
		for i, s := range heads {
			sum.add(contribution(s), 1)
			if err := errors.Join(tx.Set(ordKey(s), raw[i]), tx.Set(dueKey(s), s.Name)); err != nil {
				return err
			}
		}
		days := map[string]dayTotals{}
		if err := tx.Ascend("fday:", func(k, v string) bool {
			day, _, _ := strings.Cut(strings.TrimPrefix(k, "fday:"), ":")
			var f dayFigures
			if json.Unmarshal([]byte(v), &f) == nil {
				d := days[day]
				d.add(f, 1)
				days[day] = d
			}
			return true
		}); err != nil {
			return err
		}
		b, _ := json.Marshal(sum)
		if err := tx.Set("tot:fleet", string(b)); err != nil {
			return err
		}
		for k, d := range days {
			b, _ := json.Marshal(d)
			if err := tx.Set("tday:"+k, string(b)); err != nil {
				return err
			}
		}
		return tx.Set("meta:fleet-totals", "1")
	})
}

// sitesPage reads the fleet worst first (sortWorstFirst with the default
// stale-after) from the page records: every stale site (due: before now),
// and the sites that are not stale at positions lo to lo+n-1 of the whole
// order (after the stale ones), from ord:. Its cost is the page's size
// plus the stale sites, not the fleet's size (a deep page also steps over
// the keys before it).
func (h *HubStore) sitesPage(now time.Time, lo, n int) (stale []SiteStatus, page []SiteStatus, err error) {
	if err := h.totalRecords(); err != nil {
		return nil, nil, err
	}
	cut := fmt.Sprintf("due:%019d", max(now.UnixNano(), 0))
	err = h.db.view(func(tx kvTx) error {
		stale, page = nil, nil
		staleSet := map[string]bool{}
		if err := tx.Ascend("due:", func(k, v string) bool {
			if k >= cut {
				return false
			}
			staleSet[v] = true
			return true
		}); err != nil {
			return err
		}
		for name := range staleSet {
			v, err := tx.Get("list:" + name)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			stale = append(stale, decodeHead(name, v))
		}
		slices.SortFunc(stale, func(a, b SiteStatus) int { return worse(SiteView{SiteStatus: a}, SiteView{SiteStatus: b}) })
		skip, want := max(lo-len(stale), 0), lo+n-max(lo, len(stale))
		if want <= 0 {
			return nil
		}
		return tx.Ascend("ord:", func(k, v string) bool {
			name := k[len("ord:000:000000000:"):]
			if staleSet[name] {
				return true
			}
			if skip > 0 {
				skip--
				return true
			}
			page = append(page, decodeHead(name, v))
			return len(page) < want
		})
	})
	return stale, page, err
}

// apiSitesPage is apiSites's page from the page records and, for a
// search, the search records (renderSites's reads).
func (h *Hub) apiSitesPage(c *gin.Context) {
	v, ok := h.fleetPage(c)
	if !ok {
		return
	}
	c.Header("X-Total-Count", strconv.Itoa(v.Pager.Matched))
	h.writeJSON(c, http.StatusOK, v.Sites)
}

// renderSites is the fleet page from the page records: the totals, the page's
// sites (a search's from its gram: records) and the current day's trend
// point in a number of reads that does not grow with the fleet (the stale
// sites aside).
func (h *Hub) renderSites(c *gin.Context, status int, v sitesView) {
	page, ok := h.fleetPage(c)
	if !ok {
		return
	}
	v.hubLayout = h.layoutFor(c, "Sites", "sites")
	v.Total, v.Stale, v.Fleet, v.Sites, v.Pager = page.Total, page.Stale, page.Fleet, page.Sites, page.Pager
	var cur *Point
	if d := page.day; d.Sites > 0 {
		cur = &Point{Time: page.today, Health: d.Health / d.Sites, Devices: d.Devices, EOL: d.EOL}
	}
	now := h.cfg.Now()
	hist, err := h.data.fleetHistory(cur, now.Add(-HistoryFull), now)
	if err != nil {
		h.log.Warn("read fleet history", "err", err)
	}
	v.Trend = chart(hist, "Average health of the fleet over the last 90 days")
	h.render(c, status, "sites", v, v.Sites)
}

// fleetPageView is one page of the fleet from the page records.
type fleetPageView struct {
	sitesView
	day   dayTotals
	today time.Time
}

// fleetPage reads the page the query asks for (page, per_page) from the
// page records; false: it answered the failure.
func (h *Hub) fleetPage(c *gin.Context) (fleetPageView, bool) {
	var v fleetPageView
	now := h.cfg.Now()
	today := now.UTC().Truncate(24 * time.Hour)
	tot, day, err := h.data.fleetTotals(today.Format(time.DateOnly))
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the sites.", err)
		return v, false
	}
	// A search's sites, or all of them under a stale-after of the hub's
	// own (the page records' order and due: keys assume the default), are
	// sorted and paged here; the default's stale sites are counted either way.
	q := strings.TrimSpace(c.Query("q"))
	pg, lo, hi := newPager("", c.Query("page"), c.Query("per_page"), tot.Sites)
	sorted := q != "" || h.cfg.StaleAfter != 0
	if sorted {
		lo, hi = 0, 0
	}
	var stale, rest []SiteStatus
	if h.cfg.StaleAfter == 0 {
		stale, rest, err = h.data.sitesPage(now, lo, hi-lo)
	}
	if err == nil && h.cfg.StaleAfter != 0 {
		rest, err = h.data.SiteHeads()
	} else if err == nil && q != "" {
		rest, err = h.data.searchSites(q)
	}
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the sites.", err)
		return v, false
	}
	views := []SiteView{}
	for _, s := range stale[min(lo, len(stale)):min(hi, len(stale))] {
		views = append(views, SiteView{SiteStatus: s, Stale: true})
	}
	v.Stale = len(stale)
	for _, s := range rest {
		if views = append(views, h.view(s)); h.cfg.StaleAfter != 0 && views[len(views)-1].Stale {
			v.Stale++
		}
	}
	if sorted {
		sortWorstFirst(views)
		views, pg = pageSites(views, q, c.Query("page"), c.Query("per_page"))
	}
	v.day, v.today = day, today
	v.Total = tot.Sites
	v.Fleet = Fleet{Sites: tot.Sites, Devices: tot.Devices, EOL: tot.EOL, EOL12Months: tot.EOL12Months, Critical: tot.Critical,
		KEVDevices: tot.KEVDevices, KEVSites: tot.KEVSites, Due: []SiteDue{}}
	v.Sites = views
	v.Pager = pg
	return v, true
}
