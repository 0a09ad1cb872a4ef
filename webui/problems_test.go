package webui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"tend/findings"
	"tend/inventory"
)

// TestProblemsPage: findings of one remedy on many devices are one entry
// with its device list; a device's own incident stays its own entry.
func TestProblemsPage(t *testing.T) {
	f := newFixture(t, Config{})
	now := f.clock.Now()
	var fs []inventory.Finding
	for i := range 5 {
		dev := fmt.Sprintf("00:11:22:00:00:%02x", i)
		fs = append(fs, inventory.Finding{ID: findings.ID(findings.RuleSNMPDefaultCommunity, dev), Rule: findings.RuleSNMPDefaultCommunity,
			Severity: inventory.SeverityHigh, Device: dev, Title: "SNMP answers a default community on sw" + fmt.Sprint(i), Action: "Change it.",
			Evidence: []inventory.Evidence{{Source: "snmp", Detail: "public"}}, FirstSeen: now, LastSeen: now, State: inventory.FindingOpen})
	}
	ups := "00:c0:b7:00:00:01"
	fs = append(fs, inventory.Finding{ID: findings.ID(findings.RuleUPSOnBattery, ups), Rule: findings.RuleUPSOnBattery, Severity: inventory.SeverityCritical,
		Device: ups, Title: "UPS running on battery: ups1", Action: "Check the feed.", Evidence: []inventory.Evidence{}, FirstSeen: now, LastSeen: now, State: inventory.FindingOpen})
	if err := f.st.ReplaceFindings(func([]inventory.Finding) []inventory.Finding { return fs }); err != nil {
		t.Fatal(err)
	}
	s := f.login("alice")
	res := f.do(request{path: "/problems", cookies: []*http.Cookie{s.cookie}, json: true})
	var v struct {
		Count, Findings int
		Problems        []findings.Problem
	}
	if err := json.Unmarshal([]byte(res.body), &v); err != nil {
		t.Fatalf("%v: %s", err, res.body)
	}
	if v.Count != 2 || v.Findings != 6 || v.Problems[0].Rule != findings.RuleUPSOnBattery || v.Problems[1].Count != 5 ||
		!strings.Contains(v.Problems[1].Title, "on 5 devices") {
		t.Errorf("problems %+v", v)
	}
	page := f.do(request{path: "/problems", cookies: []*http.Cookie{s.cookie}})
	if page.StatusCode != http.StatusOK || strings.Count(page.body, `class="action card`) != 2 || !strings.Contains(page.body, "Devices (5)") {
		t.Errorf("problems page %d:\n%s", page.StatusCode, page.body)
	}
	if r := f.do(request{path: "/problems"}); r.StatusCode == http.StatusOK {
		t.Error("problems page served without a session")
	}

	// The dashboard and the report count and list problems too.
	var dash struct {
		OpenBySeverity []severityCount `json:"open_by_severity"`
		OpenProblems   int             `json:"open_problems"`
		OpenFindings   int             `json:"open_findings"`
		TopActions     []struct {
			Title   string `json:"title"`
			Devices int    `json:"devices"`
		} `json:"top_actions"`
	}
	res = f.do(request{path: "/", cookies: []*http.Cookie{s.cookie}, json: true})
	if err := json.Unmarshal([]byte(res.body), &dash); err != nil {
		t.Fatalf("%v: %s", err, res.body)
	}
	high := 0
	for _, sc := range dash.OpenBySeverity {
		if sc.Severity == inventory.SeverityHigh {
			high = sc.Count
		}
	}
	if dash.OpenProblems != 2 || dash.OpenFindings != 6 || high != 1 || len(dash.TopActions) != 2 || dash.TopActions[1].Devices != 5 ||
		!strings.Contains(dash.TopActions[1].Title, "on 5 devices") {
		t.Errorf("dashboard %+v", dash)
	}
	var rep struct {
		Open []struct {
			Title   string `json:"title"`
			Devices int    `json:"devices"`
		} `json:"open"`
	}
	res = f.do(request{path: "/report", cookies: []*http.Cookie{s.cookie}, json: true})
	if err := json.Unmarshal([]byte(res.body), &rep); err != nil {
		t.Fatalf("%v: %s", err, res.body)
	}
	if len(rep.Open) != 2 || rep.Open[1].Devices != 5 {
		t.Errorf("report's open actions %+v", rep.Open)
	}
	if page := f.do(request{path: "/report", cookies: []*http.Cookie{s.cookie}}); !strings.Contains(page.body, "(5 devices)") {
		t.Errorf("report page lists no grouped problem:\n%s", page.body)
	}
}
