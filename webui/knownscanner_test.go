package webui

import (
	"net/http"
	"strings"
	"testing"
)

// TestSettingsKnownScanners: the settings page lists the declared scanners
// (--known-scanner), and says when there are none.
func TestSettingsKnownScanners(t *testing.T) {
	for _, c := range []struct {
		scanners []string
		want     string
	}{
		{[]string{"00:1b:21:32:00:14", "10.32.0.16/32"}, `id="known-scanners">00:1b:21:32:00:14, 10.32.0.16/32</dd>`},
		{nil, "none declared: every scan and sweep is raised"},
	} {
		f := newFixture(t, Config{Settings: func() BoxSettings {
			return BoxSettings{Interface: "eth0", KnownScanners: c.scanners}
		}})
		s := f.login("alice")
		page := f.do(request{path: "/settings", cookies: []*http.Cookie{s.cookie}})
		if page.StatusCode != http.StatusOK || !strings.Contains(page.body, c.want) {
			t.Errorf("settings page (%d) lacks %q", page.StatusCode, c.want)
		}
	}
}
