package notify

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"tend/notify/psatest"
)

// TestPSAContracts runs each PSA outlet against its contract receiver
// (psatest) through a problem's life: triggered, the vendor's errors,
// updated, cleared, triggered again.
func TestPSAContracts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		url     func(base, secret string) string
		secret  string
		company string
		prio    [3]int // critical, high, medium
	}{
		{"connectwise",
			func(base, sec string) string {
				return "connectwise+" + base + "/v4_6_release/apis/3.0?company_id=msp&public_key=PUBKEY&private_key_file=" + sec +
					"&client_id=0f1e2d3c-aaaa-bbbb-cccc-000000000001&company=AcmeDental&board=Alerts"
			}, "PRIVKEY", "AcmeDental", [3]int{1, 2, 3}},
		{"autotask",
			func(base, sec string) string {
				return "autotask+" + base + "/ATServicesRest/V1.0?username=api@msp.example&integration_code=INTEGRATIONCODE&secret_file=" + sec + "&company_id=175&queue_id=8"
			}, "ATSECRET", "175", [3]int{4, 1, 2}},
		{"halopsa",
			func(base, sec string) string {
				return "halopsa+" + base + "?client_id=halo-client&secret_file=" + sec + "&tenant=acme&company_id=12"
			}, "HALOSECRET", "12", [3]int{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			desk := psatest.NewDesk()
			srv := httptest.NewServer(desk.Handler(tc.name))
			t.Cleanup(srv.Close)
			e, err := ParseURL(tc.url(srv.URL, secretFile(t, tc.secret)), ParseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(e.Name, tc.secret) {
				t.Errorf("name shows the secret: %s", e.Name)
			}
			ctx := context.Background()
			test := TestMessage("Acme", sample().Time)
			if ans, err := e.Outlet.Send(ctx, &test); err != nil {
				t.Fatalf("test send: %q %v", ans, err)
			}
			m := sample()
			m.Severity = "critical"
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatalf("triggered: %v (receiver: %v)", err, desk.Errs())
			}
			tickets := desk.Tickets()
			if len(tickets) != 1 {
				t.Fatalf("%d tickets after triggered, want 1", len(tickets))
			}
			var tk psatest.Ticket
			var id int64
			for i, x := range tickets {
				tk, id = x, i
			}
			if tk.Company != tc.company || tk.Priority != tc.prio[0] || !strings.Contains(tk.Title, "SNMP answers a default community") {
				t.Errorf("ticket %+v: want company %s, priority %d", tk, tc.company, tc.prio[0])
			}
			// The PSA answers with errors: each is a clear error, and the
			// message is not lost (the dispatcher retries the same one).
			m.Status, m.Severity, m.Title = StatusUpdated, "high", "SNMP answers a default community on 3 devices"
			for _, mode := range []string{"401", "429", "500"} {
				desk.SetMode(mode)
				_, err := e.Outlet.Send(ctx, &m)
				var ra *RetryAfter
				switch {
				case err == nil:
					t.Errorf("PSA answering %s: no error", mode)
				case mode == "401" && !strings.Contains(err.Error(), "credentials refused"):
					t.Errorf("401: %v", err)
				case mode == "429" && !errors.As(err, &ra):
					t.Errorf("429: %v, want a RetryAfter", err)
				case mode == "500" && !strings.Contains(err.Error(), "500"):
					t.Errorf("500: %v", err)
				}
			}
			desk.SetMode("")
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatalf("updated: %v (receiver: %v)", err, desk.Errs())
			}
			tickets = desk.Tickets()
			if tk = tickets[id]; len(tickets) != 1 || len(tk.Notes) != 1 || !strings.Contains(tk.Notes[0], "3 devices") {
				t.Errorf("after updated: %d tickets, notes %q", len(tickets), tk.Notes)
			}
			m.Status = StatusCleared
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatalf("cleared: %v (receiver: %v)", err, desk.Errs())
			}
			if tk = desk.Tickets()[id]; !tk.Closed || len(tk.Notes) != 2 {
				t.Errorf("after cleared: closed %t, notes %d", tk.Closed, len(tk.Notes))
			}
			// The problem comes back: a new ticket.
			m.Status = StatusTriggered
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatal(err)
			}
			if n := len(desk.Tickets()); n != 2 {
				t.Errorf("%d tickets after the problem came back, want 2", n)
			}
			if errs := desk.Errs(); len(errs) > 0 {
				t.Errorf("receiver refused requests: %v", errs)
			}
		})
	}
}
