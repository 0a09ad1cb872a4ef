package webui

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"tend/inventory"
	"tend/storage"
)

// TestHygienePages: a device's hygiene shows on its page and in its JSON,
// the site's shares on the dashboard and in the report, with the coverage
// caveats.
func TestHygienePages(t *testing.T) {
	f := newFixture(t, Config{})
	f.seed()
	now := f.clock.Now()
	s := f.login("alice")
	if res := f.do(request{path: "/", cookies: []*http.Cookie{s.cookie}}); !strings.Contains(res.body, "No protection, update, backup or remote-access traffic seen from any endpoint yet") ||
		strings.Contains(res.body, "showed a protection heartbeat") {
		t.Error("with no hygiene traffic at all the dashboard shows shares instead of saying it sees none")
	}
	vm, _ := inventory.ParseMAC("00:50:56:00:00:09")
	h := inventory.Hygiene{
		EndpointProtection: []inventory.HygieneProduct{{Product: "Microsoft Defender Antivirus", Vendor: "Microsoft", FirstSeen: now.Add(-48 * time.Hour), LastSeen: now.Add(-time.Hour), DaysSeen: 3, Heartbeat: true}},
		RemoteAccess:       []inventory.HygieneProduct{{Product: "TeamViewer", Vendor: "TeamViewer", FirstSeen: now.Add(-time.Hour), LastSeen: now.Add(-time.Hour), DaysSeen: 1}},
		EncryptedDNS:       now.Add(-time.Hour),
	}
	if _, missing, err := f.st.PutHygiene(storage.HygieneRecord{MAC: vm, Hygiene: h}); err != nil || len(missing) != 0 {
		t.Fatal(missing, err)
	}
	res := f.do(request{path: "/devices/00:50:56:00:00:09", cookies: []*http.Cookie{s.cookie}})
	for _, want := range []string{"Hygiene (seen from the wire)", "Microsoft Defender Antivirus", "heartbeat", "Remote access", "TeamViewer", "encrypted DNS", "mirror (SPAN) port"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("device page lacks %q", want)
		}
	}
	res = f.do(request{path: "/devices/00:50:56:00:00:09", cookies: []*http.Cookie{s.cookie}, json: true})
	var d struct {
		Hygiene *inventory.Hygiene `json:"hygiene"`
	}
	if err := json.Unmarshal([]byte(res.body), &d); err != nil || d.Hygiene == nil || d.Hygiene.EndpointProtection[0].Product != "Microsoft Defender Antivirus" || d.Hygiene.OSUpdate != nil {
		t.Errorf("device JSON hygiene %+v (%v)", d.Hygiene, err)
	}
	if res := f.do(request{path: "/devices/3c:2a:f4:00:00:20", cookies: []*http.Cookie{s.cookie}}); !strings.Contains(res.body, "No protection, update, backup or remote-access traffic seen") {
		t.Error("a device without hygiene does not say so")
	}
	res = f.do(request{path: "/", cookies: []*http.Cookie{s.cookie}, json: true})
	var dash struct {
		Hygiene inventory.HygieneSite `json:"hygiene"`
	}
	if err := json.Unmarshal([]byte(res.body), &dash); err != nil {
		t.Fatal(err)
	}
	// Endpoints: the unidentified random-MAC device and the VM (unknown type) seen within 24 h.
	if dash.Hygiene.Protected24h != 1 || dash.Hygiene.Endpoints24h < 1 || len(dash.Hygiene.RemoteAccess) != 1 || dash.Hygiene.EncryptedDNS != 1 {
		t.Errorf("dashboard hygiene %+v", dash.Hygiene)
	}
	for _, page := range []string{"/", "/report"} {
		res := f.do(request{path: page, cookies: []*http.Cookie{s.cookie}})
		for _, want := range []string{"Protection, patches and backups (seen from the wire)", "showed a protection heartbeat in the last 24 h", "TeamViewer", "not protected"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("%s lacks %q", page, want)
			}
		}
	}
}
