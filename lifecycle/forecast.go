package lifecycle

import (
	"cmp"
	"slices"
	"time"

	"tend/inventory"
)

// Due is a device whose support ends soon.
type Due struct {
	Key    string    // the caller's device key (a MAC, say)
	EOL    time.Time // end of security support
	Within int       // 3, 6 or 12: the smallest horizon, in months, it falls in
}

// Forecast lists the devices whose end of security support falls after now
// and within 12 months, soonest first, each placed in the smallest of the
// 3-, 6- and 12-month horizons, so a provider can budget replacements
// ahead. verdicts maps a device key to its Judge verdict.
func Forecast(verdicts map[string]inventory.Lifecycle, now time.Time) []Due {
	var out []Due
	for key, v := range verdicts {
		if v.EOL == nil || !v.EOL.After(now) {
			continue
		}
		for _, months := range []int{3, 6, 12} {
			if !v.EOL.After(now.AddDate(0, months, 0)) {
				out = append(out, Due{Key: key, EOL: *v.EOL, Within: months})
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b Due) int {
		if c := a.EOL.Compare(b.EOL); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}
