package hub

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSiteProblemsOnePerProblem: a site whose box groups three devices'
// default-community findings into one problem shows one entry for it on
// the site page (key, devices, count), and the report, after two of the
// devices are fixed, one item covering both.
func TestSiteProblemsOnePerProblem(t *testing.T) {
	th := newTestHub(t)
	th.clk.t = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	action := func(mac string) string {
		return fmt.Sprintf(`{"id":"snmp-default-community:%s","rule":"snmp-default-community","severity":"high","device":%q,"title":"SNMP answers community public on %s"}`, mac, mac, mac)
	}
	problem := func(macs ...string) string {
		var devs []string
		for _, m := range macs {
			devs = append(devs, fmt.Sprintf(`{"key":%q,"name":"dev-%s"}`, m, m))
		}
		return fmt.Sprintf(`{"key":"snmp-default-community:problem","rule":"snmp-default-community","severity":"high","title":"SNMP answers a default community on %d devices","action":"Change the community","evidence":[],"devices":[%s],"count":%d,"first_seen":"2026-07-01T09:00:00Z"}`,
			len(macs), strings.Join(devs, ","), len(macs))
	}
	rogue := `{"id":"rogue-dhcp:x","rule":"rogue-dhcp","severity":"critical","title":"Rogue DHCP server"}`
	rogueP := `{"key":"rogue-dhcp:x","rule":"rogue-dhcp","severity":"critical","title":"Rogue DHCP server","action":"Find it","evidence":[],"devices":[],"count":0,"first_seen":"2026-07-01T09:00:00Z"}`
	days := [][]string{{"aa", "bb", "cc"}, {"bb"}}
	for d, macs := range days {
		var acts []string
		for _, m := range macs {
			acts = append(acts, action(m))
		}
		extra := fmt.Sprintf(`,"schema":"1.1","actions":[%s,%s],"problems":[%s,%s]`, rogue, strings.Join(acts, ","), rogueP, problem(macs...))
		body := strings.Replace(string(summaryJSON("b1", uint64(d+1), extra)), `"schema":"1.0",`, "", 1)
		if code, r := signedPost(t, th, "b1", uint64(d+1), gzipJSON(t, []byte(body))); code != http.StatusOK {
			t.Fatalf("day %d: %d %+v", d, code, r)
		}
		if d == 0 {
			hc := signIn(t, th)
			_, page, _ := get(t, hc, th.srv.URL+"/sites/acme", "")
			if !strings.Contains(page, "Open problems (2, from 4 actions)") || strings.Count(page, "SNMP answers a default community on 3 devices") != 1 ||
				strings.Contains(page, "community public on aa") || !strings.Contains(page, "dev-cc") || !strings.Contains(page, "snmp-default-community:problem") {
				t.Errorf("site page does not list one entry per problem:\n%s", page)
			}
			if s, _ := th.data.Site("acme"); len(s.Problems) != 2 || s.OpenActions != 4 {
				t.Errorf("site: %d problems, %d actions", len(s.Problems), s.OpenActions)
			}
		}
		th.clk.Add(24 * time.Hour)
	}
	r, err := th.data.BuildReport("Example IT", "acme", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), th.clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Fixed) != 1 || r.Fixed[0].Key != "snmp-default-community:problem" || r.Fixed[0].Count != 2 ||
		strings.Join(r.Fixed[0].Devices, ",") != "aa,cc" || len(r.New) != 0 {
		t.Errorf("report: fixed %+v, new %+v", r.Fixed, r.New)
	}
}
