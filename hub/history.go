package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// History keeps each site's figures over time, one Point per accepted
// summary, below the records of store.go:
//
//	hist:<site>:<20-digit unix seconds>   storedPoint, full detail, kept HistoryFull
//	day:<site>:<YYYY-MM-DD>                storedPoint, the day's last, kept HistoryDaily
//
// so a quarter's report and the trend charts read a bounded number of
// records whatever the summary rate. A hist: point holds its open actions'
// ids only when they differ from the previous point's of its day
// (storedPoint).
const (
	HistoryFull  = 90 * 24 * time.Hour
	HistoryDaily = 3 * 365 * 24 * time.Hour
)

// Point is a site's figures at one time.
type Point struct {
	Time       time.Time      `json:"t"`
	Health     int            `json:"health"`
	Components map[string]int `json:"components,omitempty"` // health component → score
	Devices    int            `json:"devices"`
	ByType     map[string]int `json:"by_type,omitempty"`
	Actions    map[string]int `json:"actions,omitempty"` // open actions by severity
	EOL        int            `json:"eol"`
	EOL12      int            `json:"eol_12_months"`
	Open       []string       `json:"open,omitempty"` // the open actions' ids (what a report calls fixed or new)
}

// storedPoint is a Point as a hist: or day: record holds it. The open
// actions' ids are most of a point's bytes (100 of them ~2.3 KB of ~2.6
// KB) and seldom change between summaries, so a hist: point whose ids are
// those of the previous point of its (UTC) day holds none: OpenAt is the
// unix time of the day's hist: point that holds them. The day's first
// point, and one whose ids changed, holds its own (OpenAt 0). A day:
// record always holds its ids, OpenAt saying where the day's next point
// may refer to. A record from before OpenAt holds its own ids.
type storedPoint struct {
	Point
	OpenAt int64 `json:"open_at,omitempty"`
}

// pointOf is the history point of a site's state at t. A state without
// its actions decoded (partHashes) has today's previous point's action
// counts, one without its health decoded (keepState) its components.
func pointOf(s SiteStatus, t time.Time, today *Point) Point {
	p := Point{Time: t.UTC(), Health: s.Health.Score, Devices: s.Devices, ByType: s.ByType,
		EOL: s.Forecast.EOL, EOL12: s.Forecast.EOL12Months, Components: map[string]int{}, Actions: map[string]int{}}
	for _, c := range s.Health.Components {
		p.Components[c.Name] = c.Score
	}
	if s.Health.Components == nil && today != nil {
		p.Components = today.Components
	}
	if s.Actions == nil && today != nil {
		p.Actions, p.Open = today.Actions, today.Open
	}
	for _, a := range s.Actions {
		p.Actions[string(a.Severity)]++
		p.Open = append(p.Open, a.ID)
	}
	return p
}

func histKey(site string, t time.Time) string {
	return fmt.Sprintf("hist:%s:%020d", site, t.Unix())
}

func dayKey(site string, t time.Time) string {
	return "day:" + site + ":" + t.UTC().Format(time.DateOnly)
}

// todayPoint is the site's last history point of now's day (the
// previous summary's), nil when it has none yet or it does not decode.
func todayPoint(tx kvTx, site string, now time.Time) (*storedPoint, error) {
	day, err := tx.Get(dayKey(site, now))
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var p storedPoint
	if json.Unmarshal([]byte(day), &p) != nil {
		return nil, nil
	}
	return &p, nil
}

// storedPoints are p as its hist: and day: records hold it (storedPoint),
// today being the day's previous point (nil: p is the day's first).
func storedPoints(p Point, today *storedPoint) (hist, day storedPoint) {
	hist, day = storedPoint{Point: p}, storedPoint{Point: p}
	if len(p.Open) == 0 {
		return hist, day
	}
	at := p.Time.Unix()
	day.OpenAt = at
	// Not a point of the same second: it is this one's key, overwritten.
	if today != nil && today.OpenAt != 0 && today.OpenAt != at && slices.Equal(today.Open, p.Open) {
		hist.Open, hist.OpenAt, day.OpenAt = nil, today.OpenAt, today.OpenAt
	}
	return hist, day
}

// recordHistory adds s's point at now to its history and drops what is
// past the retention, inside the ingest transaction; today is
// todayPoint's.
func recordHistory(tx kvTx, s SiteStatus, now time.Time, today *storedPoint) error {
	var todayPt *Point
	if today != nil {
		todayPt = &today.Point
	}
	hist, day := storedPoints(pointOf(s, now, todayPt), today)
	hb, err := marshalString(hist)
	if err != nil {
		return fmt.Errorf("encode history of %s: %w", s.Name, err)
	}
	b, err := marshalString(day)
	if err != nil {
		return fmt.Errorf("encode history of %s: %w", s.Name, err)
	}
	if err := tx.Set(histKey(s.Name, now), hb); err != nil {
		return err
	}
	// Today's last point says which actions were open already: their
	// notes were written today. A note is written when its action is new
	// and once a day (its LastSeen decides when it is dropped), not on
	// every summary.
	newDay := today == nil
	var prev Point
	if today != nil {
		prev = today.Point
	}
	var noted map[string]bool // only for actions decoded (partHashes)
	if len(s.Actions) > 0 {
		noted = make(map[string]bool, len(prev.Open))
		for _, id := range prev.Open {
			noted[id] = true
		}
	}
	problem := map[string]upstream.Problem{} // rule and device → the problem the box put it in
	for _, p := range s.Problems {
		for _, d := range p.Devices {
			problem[p.Rule+"\x00"+d.Key] = p
		}
	}
	for _, a := range s.Actions {
		if !newDay && noted[a.ID] {
			continue
		}
		// What the report says of an action once it is gone: kept as
		// long as the daily history.
		n := ActionNote{ID: a.ID, Title: a.Title, Severity: string(a.Severity), Device: a.Device, LastSeen: now}
		if p, ok := problem[a.Rule+"\x00"+a.Device]; ok && a.Device != "" {
			n.Problem, n.ProblemTitle = p.Key, p.Title
		}
		note, _ := json.Marshal(n)
		if err := tx.Set("act:"+s.Name+":"+a.ID, string(note)); err != nil {
			return err
		}
	}
	if err := tx.Set(dayKey(s.Name, now), b); err != nil {
		return err
	}
	if !newDay {
		return nil // pruned already today
	}
	var gone []string
	if err := tx.Ascend("act:"+s.Name+":", func(k, v string) bool {
		var n ActionNote
		if json.Unmarshal([]byte(v), &n) != nil || now.Sub(n.LastSeen) > HistoryDaily {
			gone = append(gone, k)
		}
		return true
	}); err != nil {
		return err
	}
	for _, k := range gone {
		if err := tx.Delete(k); err != nil {
			return err
		}
	}
	// Full detail is kept from the start of the cutoff's day: a kept
	// point may take its open actions from an earlier point of its day.
	return prune(tx, []string{"hist:" + s.Name + ":", "day:" + s.Name + ":"},
		[]string{histKey(s.Name, now.Add(-HistoryFull).UTC().Truncate(24*time.Hour)), dayKey(s.Name, now.Add(-HistoryDaily))})
}

// prune deletes, for each prefix, the keys that sort before its cutoff.
func prune(tx kvTx, prefixes, cutoffs []string) error {
	for i, prefix := range prefixes {
		if err := tx.DeleteRange(prefix, cutoffs[i]); err != nil {
			return err
		}
	}
	return nil
}

// History returns a site's points from from to to, oldest first: full
// detail when the range starts within HistoryFull of now, else one point
// per day.
func (h *HubStore) History(site string, from, to time.Time) ([]Point, error) {
	prefix, lo, hi := "hist:"+site+":", histKey(site, from), histKey(site, to)
	if h.now().Sub(from) > HistoryFull {
		prefix, lo, hi = "day:"+site+":", dayKey(site, from), dayKey(site, to)
	}
	var out []Point
	err := h.db.view(func(tx kvTx) error {
		var derr error
		held := map[int64][]string{} // hist: points' open actions by unix time (storedPoint)
		err := tx.Ascend(prefix, func(k, v string) bool {
			if k < lo {
				return true
			}
			if k > hi {
				return false
			}
			var p storedPoint
			if err := json.Unmarshal([]byte(v), &p); err != nil {
				derr = fmt.Errorf("decode %s: %w", k, err)
				return true // one bad point does not hide the rest
			}
			if p.OpenAt != 0 && p.Open == nil { // only hist: points refer
				open, ok := held[p.OpenAt]
				if !ok {
					var err error
					if open, err = heldOpen(tx, site, p.OpenAt); err != nil {
						derr = fmt.Errorf("open actions of %s: %w", k, err)
					}
					held[p.OpenAt] = open
				}
				p.Open = open
			} else if p.Open != nil {
				held[p.Time.Unix()] = p.Open
			}
			out = append(out, p.Point)
			return true
		})
		return errors.Join(err, derr)
	})
	if err != nil {
		return out, fmt.Errorf("hub: history of %s: %w", site, err)
	}
	return out, nil
}

// heldOpen is the open actions' ids the site's hist: point at unix time
// at holds (a point before the range History reads, of the same day).
func heldOpen(tx kvTx, site string, at int64) ([]string, error) {
	v, err := tx.Get(histKey(site, time.Unix(at, 0)))
	if err != nil {
		return nil, err
	}
	var p storedPoint
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return nil, err
	}
	return p.Open, nil
}

// dayFigures is one site's figures of one day for the fleet's trend
// ("fday:<date>:<site>", the day's last summary): keyed by day first, so
// a finished day of the whole fleet is one range read, done once.
type dayFigures struct {
	Health  int `json:"h"`
	Devices int `json:"d"`
	EOL     int `json:"e"`
}

func fdayPrefix(day string) string { return "fday:" + day + ":" }

func setDayFigures(tx kvTx, site string, f dayFigures, t time.Time) error {
	day := t.UTC().Format(time.DateOnly)
	prev, err := dayFiguresAt(tx, site, day)
	if err != nil {
		return err
	}
	if prev != nil && *prev == f {
		return nil
	}
	b, _ := json.Marshal(f)
	return errors.Join(tx.Set(fdayPrefix(day)+site, string(b)), addDay(tx, site, day, prev, &f))
}

// fleetDaySettled is how long after a day ends its fleet average is
// written once and for all: summaries still in flight at midnight land.
const fleetDaySettled = 15 * time.Minute

// FleetHistory is the fleet's average health per day (devices and
// out-of-support devices summed), oldest first: a finished day from its
// stored average ("fleetday:", made from the sites' day figures the first
// time it is asked for, which are then dropped), the current day from
// sites, the list records the page holds already.
func (h *HubStore) FleetHistory(sites []SiteStatus, from, to time.Time) ([]Point, error) {
	d := h.now().UTC().Truncate(24 * time.Hour)
	p := Point{Time: d}
	n := 0
	for _, s := range sites {
		if !s.LastSeen.IsZero() && !s.LastSeen.UTC().Before(d) && s.LastSeen.UTC().Before(d.Add(24*time.Hour)) {
			p.Health += s.Health.Score
			p.Devices += s.Devices
			p.EOL += s.Forecast.EOL
			n++
		}
	}
	if n == 0 {
		return h.fleetHistory(nil, from, to)
	}
	p.Health /= n
	return h.fleetHistory(&p, from, to)
}

// fleetHistory is FleetHistory with the current day's point given (nil:
// no site reported today).
func (h *HubStore) fleetHistory(cur *Point, from, to time.Time) ([]Point, error) {
	now := h.now().UTC()
	today := now.Truncate(24 * time.Hour)
	lo, hi := "fleetday:"+from.UTC().Format(time.DateOnly), "fleetday:"+to.UTC().Format(time.DateOnly)
	stored := map[string]Point{}
	err := h.db.view(func(tx kvTx) error {
		return tx.Ascend("fleetday:", func(k, v string) bool {
			var p Point
			if k >= lo && json.Unmarshal([]byte(v), &p) == nil {
				stored[strings.TrimPrefix(k, "fleetday:")] = p
			}
			return k < hi
		})
	})
	if err != nil {
		return nil, fmt.Errorf("hub: fleet history: %w", err)
	}
	var out []Point
	for d := from.UTC().Truncate(24 * time.Hour); !d.After(to); d = d.Add(24 * time.Hour) {
		if !d.Before(today) {
			if cur != nil && d.Equal(today) {
				out = append(out, *cur)
			}
			continue
		}
		if p, ok := stored[d.Format(time.DateOnly)]; ok {
			if p.Devices >= 0 { // -1: no site reported that day
				out = append(out, p)
			}
			continue
		}
		p, ok, err := h.fleetDay(d, now.Sub(d.Add(24*time.Hour)) > fleetDaySettled)
		if err != nil {
			return out, fmt.Errorf("hub: fleet history: %w", err)
		}
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// fleetDay computes the fleet's average of day d from the sites' day
// figures (ok false: no site reported that day). settled: the day is
// over, so the average is stored and the figures it came from dropped.
func (h *HubStore) fleetDay(d time.Time, settled bool) (Point, bool, error) {
	day := d.Format(time.DateOnly)
	var p Point
	var err error
	sum := func(tx kvTx) (Point, []string, error) {
		p := Point{Time: d}
		var keys []string
		err := tx.Ascend(fdayPrefix(day), func(k, v string) bool {
			var f dayFigures
			if json.Unmarshal([]byte(v), &f) == nil {
				p.Health += f.Health
				p.Devices += f.Devices
				p.EOL += f.EOL
			}
			keys = append(keys, k)
			return true
		})
		if len(keys) > 0 {
			p.Health /= len(keys)
		}
		return p, keys, err
	}
	var keys []string
	if !settled {
		err = h.db.view(func(tx kvTx) error { p, keys, err = sum(tx); return err })
		return p, len(keys) > 0, err
	}
	err = h.db.update(func(tx kvTx) error {
		if v, err := tx.Get("fleetday:" + day); err == nil { // another hub was first
			keys = nil
			if json.Unmarshal([]byte(v), &p) == nil && p.Devices >= 0 {
				keys = []string{day}
			}
			return nil
		}
		if p, keys, err = sum(tx); err != nil {
			return err
		}
		rec := p
		if len(keys) == 0 {
			rec = Point{Time: d, Devices: -1} // no site that day: remembered too
		}
		b, _ := json.Marshal(rec)
		if err := tx.Set("fleetday:"+day, string(b)); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Delete(k); err != nil {
				return err
			}
		}
		return tx.Delete("tday:" + day)
	})
	return p, len(keys) > 0, err
}

// chart draws a health series (0-100) as an inline SVG line: no script, no
// style attribute, so the pages' strict CSP holds.
func chart(points []Point, title string) template.HTML {
	const w, hgt = 600.0, 120.0
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="trend" viewBox="0 0 %g %g" role="img" aria-label="%s" preserveAspectRatio="none">`,
		w, hgt, template.HTMLEscapeString(title))
	for _, y := range []int{webkit.HealthFair, webkit.HealthGood} {
		fmt.Fprintf(&b, `<line class="trend-grid" x1="0" x2="%g" y1="%g" y2="%g"/>`, w, hgt-float64(y)*hgt/100, hgt-float64(y)*hgt/100)
	}
	if len(points) > 0 {
		t0, t1 := points[0].Time, points[len(points)-1].Time
		span := t1.Sub(t0).Seconds()
		b.WriteString(`<polyline class="trend-line" fill="none" points="`)
		for i, p := range points {
			x := w / 2
			if span > 0 {
				x = p.Time.Sub(t0).Seconds() / span * w
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x, hgt-float64(p.Health)*hgt/100)
		}
		b.WriteString(`"/>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// dateRange reads ?from=YYYY-MM-DD&to=YYYY-MM-DD (to inclusive); the
// default is the last days days up to now.
func dateRange(fromQ, toQ string, now time.Time, days int) (time.Time, time.Time, error) {
	from, to := now.AddDate(0, 0, -days), now
	if fromQ != "" {
		t, err := time.Parse(time.DateOnly, fromQ)
		if err != nil {
			return from, to, fmt.Errorf("from: %w", err)
		}
		from = t
	}
	if toQ != "" {
		t, err := time.Parse(time.DateOnly, toQ)
		if err != nil {
			return from, to, fmt.Errorf("to: %w", err)
		}
		to = t.Add(24*time.Hour - time.Second)
	}
	if to.Before(from) {
		return from, to, errors.New("the range ends before it starts")
	}
	return from, to, nil
}

// apiHistory serves a site's history points for a date range.
func (h *Hub) apiHistory(c *gin.Context) {
	s, err := h.data.Site(c.Param("name"))
	if err != nil {
		h.writeJSON(c, http.StatusNotFound, map[string]string{"error": "no such site"})
		return
	}
	from, to, err := dateRange(c.Query("from"), c.Query("to"), h.cfg.Now(), 90)
	if err != nil {
		h.writeJSON(c, http.StatusBadRequest, map[string]string{"error": err.Error()})
		return
	}
	pts, err := h.data.History(s.Name, from, to)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not read the history.", err)
		return
	}
	if pts == nil {
		pts = []Point{}
	}
	h.writeJSON(c, http.StatusOK, pts)
}
