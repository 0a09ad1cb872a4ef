package inventory

import "fmt"

// FormatBytes writes a byte count for people in decimal units (kB, MB, …
// as disks and links are sold), one decimal place above 1,000 bytes: the
// one formatter of the findings' evidence and the web UI.
func FormatBytes(b uint64) string {
	const unit = 1000
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := uint64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(b)/float64(div), "kMGTPE"[exp])
}
