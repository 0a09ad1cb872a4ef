package hub

import (
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// signIn returns a client signed in to th as a new user.
func signIn(t *testing.T, th *testHub) *http.Client {
	t.Helper()
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw-for-test"), bcrypt.MinCost)
	if err := th.data.PutUser("ops", string(hash)); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	hc := th.srv.Client()
	hc.Jar = jar
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	_, page, _ := get(t, hc, th.srv.URL+"/login", "")
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf on the login page")
	}
	resp, err := hc.PostForm(th.srv.URL+"/login", url.Values{"csrf": {m[1]}, "username": {"ops"}, "password": {"pw-for-test"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp.Body.Close()
	return hc
}

// TestQuarterReport: a quarter of history (an action fixed in August, one
// opened in September, health rising) makes a report that says so, as
// HTML and as a PDF.
func TestQuarterReport(t *testing.T) {
	eachStore(t, func(t *testing.T, th *testHub) {
		th.clk.t = time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
		for d := range 92 {
			var acts []string
			if d < 40 {
				acts = append(acts, `{"id":"firmware-eol:aa","severity":"high","title":"core switch runs out-of-support firmware"}`)
			}
			if d >= 70 {
				acts = append(acts, `{"id":"default-community:bb","severity":"critical","title":"printer answers SNMP community public"}`)
			}
			extra := fmt.Sprintf(`,"health":{"score":%d,"components":[]},"actions":[%s],"forecast":{"due":[{"mac":"aa","name":"core-sw","product":"ios 12.2","eol":"2027-03-01T00:00:00Z","within_months":6}]}`,
				50+d/4, strings.Join(acts, ","))
			seq := uint64(d + 1)
			if code, r := signedPost(t, th, "b1", seq, gzipJSON(t, summaryJSON("b1", seq, extra))); code != http.StatusOK {
				t.Fatalf("day %d: %d %+v", d, code, r)
			}
			th.clk.Add(24 * time.Hour)
		}
		th.clk.t = time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
		from, to := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)
		r, err := th.data.BuildReport("Example IT", "acme", from, to)
		if err != nil {
			t.Fatal(err)
		}
		if r.HealthStart != 50 || r.HealthEnd != 72 || len(r.Fixed) != 1 || r.Fixed[0].Key != "firmware-eol:aa" ||
			len(r.New) != 1 || r.New[0].Severity != "critical" || len(r.Coming) != 1 {
			t.Errorf("report %+v", r)
		}
		hc := signIn(t, th)
		code, page, _ := get(t, hc, th.srv.URL+"/sites/acme/report", "") // the last full quarter
		if code != 200 || !strings.Contains(page, "Fixed (1)") || !strings.Contains(page, "core switch runs out-of-support firmware") ||
			!strings.Contains(page, "2026-07-01 to 2026-09-30") || !strings.Contains(page, "<polyline") {
			t.Errorf("report page: %d\n%s", code, page)
		}
		code, pdf, h := get(t, hc, th.srv.URL+"/sites/acme/report.pdf?from=2026-07-01&to=2026-09-30", "")
		if code != 200 || !strings.HasPrefix(pdf, "%PDF-") || h.Get("Content-Type") != "application/pdf" || len(pdf) < 1000 {
			t.Errorf("report pdf: %d %s %d bytes", code, h.Get("Content-Type"), len(pdf))
		}
		b1, _ := r.PDF()
		b2, _ := r.PDF()
		if string(b1) != string(b2) {
			t.Error("the same report made two different PDFs")
		}
	})
}
