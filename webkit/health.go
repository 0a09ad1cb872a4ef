package webkit

// The one health scale of both web UIs (the box's dashboard and the hub's
// fleet): a score of HealthGood or more is good, HealthFair or more fair,
// less poor. One scale, so a site reads the same on its box and at the
// provider's office.
const (
	HealthGood = 85
	HealthFair = 60
)

// HealthLevel names score's place on the scale: "good", "fair" or "poor"
// (the stylesheets' class suffixes).
func HealthLevel(score int) string {
	switch {
	case score >= HealthGood:
		return "good"
	case score >= HealthFair:
		return "fair"
	}
	return "poor"
}
