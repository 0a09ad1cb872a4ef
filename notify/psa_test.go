package notify

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// psaDesk is a contract receiver for one PSA: it checks every request's
// path, authentication and body against the vendor's documented shapes,
// keeps tickets, and answers as the vendor does, including its
// authentication, rate-limit and server errors (mode).
type psaDesk struct {
	mu      sync.Mutex
	mode    string // "", "401", "429", "500"
	next    int64
	tickets map[int64]*deskTicket
	calls   []string
	errs    []string
}

type deskTicket struct {
	company  string
	priority int
	title    string
	notes    []string
	closed   bool
}

func newDesk() *psaDesk { return &psaDesk{next: 1000, tickets: map[int64]*deskTicket{}} }

func (d *psaDesk) reject(format string, a ...any) (int, string, http.Header) {
	d.errs = append(d.errs, fmt.Sprintf(format, a...))
	return 400, fmt.Sprintf(`{"errors":[%q]}`, fmt.Sprintf(format, a...)), nil
}

// injected answers the error modes; ok is false when the request proceeds.
func (d *psaDesk) injected(vendorLimit http.Header) (int, string, http.Header, bool) {
	switch d.mode {
	case "401":
		return 401, `{"message":"Unauthorized"}`, nil, true
	case "429":
		return 429, `{"errors":["rate limit exceeded"]}`, vendorLimit, true
	case "500":
		return 500, `{"errors":["internal error"]}`, nil, true
	}
	return 0, "", nil, false
}

func (d *psaDesk) ticket(id int64) *deskTicket { return d.tickets[id] }

// connectWiseDesk follows ConnectWise Manage REST 3.0: Basic
// "company+public:private", the clientId header, POST service/tickets
// (summary ≤ 100, company and priority references), POST
// service/tickets/{id}/notes, PATCH service/tickets/{id} with JSON Patch.
func (d *psaDesk) connectWise(r *http.Request, body []byte) (int, string, http.Header) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, r.Method+" "+r.URL.Path)
	if code, b, h, ok := d.injected(http.Header{"Retry-After": {"2"}}); ok {
		return code, b, h
	}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("msp+PUBKEY:PRIVKEY"))
	if r.Header.Get("Authorization") != want {
		return 401, `{"code":"Unauthorized","message":"Authentication failed"}`, nil
	}
	if r.Header.Get("clientId") != "0f1e2d3c-aaaa-bbbb-cccc-000000000001" {
		return 403, `{"code":"Forbidden","message":"clientId requested"}`, nil
	}
	const base = "/v4_6_release/apis/3.0"
	path := strings.TrimPrefix(r.URL.Path, base)
	if path == r.URL.Path {
		return 404, `{"code":"NotFound"}`, nil
	}
	var id int64
	switch {
	case r.Method == http.MethodGet && path == "/system/info":
		return 200, `{"version":"v2024.1"}`, nil
	case r.Method == http.MethodPost && path == "/service/tickets":
		var t struct {
			Summary            string
			InitialDescription string
			Company            struct{ Identifier string }
			Priority           struct{ ID int }
			Board              struct{ Name string }
		}
		if err := json.Unmarshal(body, &t); err != nil || t.Summary == "" || len(t.Summary) > 100 || t.Company.Identifier == "" || t.Priority.ID == 0 {
			return d.reject("ticket %s", body)
		}
		d.next++
		d.tickets[d.next] = &deskTicket{company: t.Company.Identifier, priority: t.Priority.ID, title: t.Summary}
		return 201, fmt.Sprintf(`{"id":%d,"summary":%q}`, d.next, t.Summary), nil
	case r.Method == http.MethodPost && fmtScan(path, "/service/tickets/%d/notes", &id):
		var n struct {
			Text                  string
			DetailDescriptionFlag *bool
		}
		if err := json.Unmarshal(body, &n); err != nil || n.Text == "" || n.DetailDescriptionFlag == nil || d.ticket(id) == nil {
			return d.reject("note %s", body)
		}
		d.ticket(id).notes = append(d.ticket(id).notes, n.Text)
		return 201, `{"id":1}`, nil
	case r.Method == http.MethodPatch && fmtScan(path, "/service/tickets/%d", &id):
		var p []struct {
			Op, Path string
			Value    struct{ Name string }
		}
		if err := json.Unmarshal(body, &p); err != nil || len(p) != 1 || p[0].Op != "replace" || p[0].Path != "status" || p[0].Value.Name == "" || d.ticket(id) == nil {
			return d.reject("patch %s", body)
		}
		d.ticket(id).closed = p[0].Value.Name == ">Closed"
		return 200, fmt.Sprintf(`{"id":%d}`, id), nil
	}
	return 404, `{"code":"NotFound"}`, nil
}

// autotaskDesk follows Autotask REST v1.0: ApiIntegrationCode, UserName
// and Secret headers; POST /Tickets answers {"itemId"}; POST
// /Tickets/{id}/Notes; PATCH /Tickets with id and status.
func (d *psaDesk) autotask(r *http.Request, body []byte) (int, string, http.Header) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, r.Method+" "+r.URL.Path)
	if code, b, h, ok := d.injected(nil); ok {
		return code, b, h
	}
	if r.Header.Get("ApiIntegrationCode") != "INTEGRATIONCODE" || r.Header.Get("UserName") != "api@msp.example" || r.Header.Get("Secret") != "ATSECRET" {
		return 401, "", nil
	}
	const base = "/ATServicesRest/V1.0"
	path := strings.TrimPrefix(r.URL.Path, base)
	var id int64
	switch {
	case r.Method == http.MethodGet && path == "/Companies/175":
		return 200, `{"item":{"id":175,"companyName":"Acme"}}`, nil
	case r.Method == http.MethodPost && path == "/Tickets":
		var t struct {
			CompanyID, Status, Priority, QueueID int
			Title, Description                   string
		}
		if err := json.Unmarshal(body, &t); err != nil || t.CompanyID == 0 || t.Status == 0 || t.Priority == 0 || t.Title == "" || len(t.Title) > 255 || len(t.Description) > 8000 {
			return d.reject("ticket %s", body)
		}
		d.next++
		d.tickets[d.next] = &deskTicket{company: fmt.Sprint(t.CompanyID), priority: t.Priority, title: t.Title}
		return 200, fmt.Sprintf(`{"itemId":%d}`, d.next), nil
	case r.Method == http.MethodPost && fmtScan(path, "/Tickets/%d/Notes", &id):
		var n struct {
			Title, Description string
			NoteType, Publish  int
		}
		if err := json.Unmarshal(body, &n); err != nil || n.Description == "" || n.NoteType == 0 || n.Publish == 0 || d.ticket(id) == nil {
			return d.reject("note %s", body)
		}
		d.ticket(id).notes = append(d.ticket(id).notes, n.Description)
		return 200, `{"itemId":1}`, nil
	case r.Method == http.MethodPatch && path == "/Tickets":
		var p struct {
			ID     int64
			Status int
		}
		if err := json.Unmarshal(body, &p); err != nil || d.ticket(p.ID) == nil || p.Status == 0 {
			return d.reject("patch %s", body)
		}
		d.ticket(p.ID).closed = p.Status == 5
		return 200, fmt.Sprintf(`{"itemId":%d}`, p.ID), nil
	}
	return 404, "", nil
}

// haloDesk follows HaloPSA: POST /auth/token (form, client_credentials,
// scope all, tenant in the query) → access_token; bearer on /api/*; POST
// /api/Tickets takes an array and answers the saved ticket; POST
// /api/Actions takes an array of actions.
func (d *psaDesk) halo(r *http.Request, body []byte) (int, string, http.Header) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, r.Method+" "+r.URL.Path)
	if r.URL.Path == "/auth/token" {
		f, err := url.ParseQuery(string(body))
		if err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			return 400, `{"error":"invalid_request"}`, nil
		}
		if r.URL.Query().Get("tenant") != "acme" || f.Get("grant_type") != "client_credentials" || f.Get("scope") != "all" ||
			f.Get("client_id") != "halo-client" || f.Get("client_secret") != "HALOSECRET" {
			return 401, `{"error":"invalid_client"}`, nil
		}
		return 200, `{"access_token":"TOKEN1","token_type":"Bearer","expires_in":3600}`, nil
	}
	if code, b, h, ok := d.injected(nil); ok {
		return code, b, h
	}
	if r.Header.Get("Authorization") != "Bearer TOKEN1" {
		return 401, "", nil
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/Client/12":
		return 200, `{"id":12,"name":"Acme"}`, nil
	case r.Method == http.MethodPost && r.URL.Path == "/api/Tickets":
		var raw []map[string]any
		if err := json.Unmarshal(body, &raw); err != nil || len(raw) != 1 {
			return d.reject("tickets must be an array of one: %s", body)
		}
		t := raw[0]
		if id, ok := t["id"].(float64); ok {
			tk := d.ticket(int64(id))
			if tk == nil || t["status_id"] == nil {
				return d.reject("update %s", body)
			}
			tk.closed = t["status_id"].(float64) == 9
			return 201, fmt.Sprintf(`{"id":%d}`, int64(id)), nil
		}
		if t["summary"] == "" || t["client_id"] == nil || t["priority_id"] == nil {
			return d.reject("ticket %s", body)
		}
		d.next++
		d.tickets[d.next] = &deskTicket{company: fmt.Sprint(t["client_id"]), priority: int(t["priority_id"].(float64)), title: t["summary"].(string)}
		return 201, fmt.Sprintf(`{"id":%d,"summary":%q}`, d.next, t["summary"]), nil
	case r.Method == http.MethodPost && r.URL.Path == "/api/Actions":
		var as []struct {
			TicketID int64 `json:"ticket_id"`
			Note     string
			Outcome  string
		}
		if err := json.Unmarshal(body, &as); err != nil || len(as) != 1 || as[0].Note == "" || as[0].Outcome == "" || d.ticket(as[0].TicketID) == nil {
			return d.reject("action %s", body)
		}
		d.ticket(as[0].TicketID).notes = append(d.ticket(as[0].TicketID).notes, as[0].Note)
		return 201, `{"id":1}`, nil
	}
	return 404, "", nil
}

func fmtScan(s, format string, id *int64) bool {
	n, err := fmt.Sscanf(s, format, id)
	return err == nil && n == 1 && fmt.Sprintf(format, *id) == s
}

func TestPSAContracts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler func(d *psaDesk) func(r *http.Request, body []byte) (int, string, http.Header)
		url     func(base, secret string) string
		secret  string
		company string
		prio    [3]int // critical, high, medium
	}{
		{"connectwise", func(d *psaDesk) func(*http.Request, []byte) (int, string, http.Header) { return d.connectWise },
			func(base, sec string) string {
				return "connectwise+" + base + "/v4_6_release/apis/3.0?company_id=msp&public_key=PUBKEY&private_key_file=" + sec +
					"&client_id=0f1e2d3c-aaaa-bbbb-cccc-000000000001&company=AcmeDental&board=Alerts"
			}, "PRIVKEY", "AcmeDental", [3]int{1, 2, 3}},
		{"autotask", func(d *psaDesk) func(*http.Request, []byte) (int, string, http.Header) { return d.autotask },
			func(base, sec string) string {
				return "autotask+" + base + "/ATServicesRest/V1.0?username=api@msp.example&integration_code=INTEGRATIONCODE&secret_file=" + sec + "&company_id=175&queue_id=8"
			}, "ATSECRET", "175", [3]int{4, 1, 2}},
		{"halopsa", func(d *psaDesk) func(*http.Request, []byte) (int, string, http.Header) { return d.halo },
			func(base, sec string) string {
				return "halopsa+" + base + "?client_id=halo-client&secret_file=" + sec + "&tenant=acme&company_id=12"
			}, "HALOSECRET", "12", [3]int{1, 2, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			desk := newDesk()
			srv, _ := serve(t, tc.handler(desk))
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
				t.Fatalf("triggered: %v (receiver: %v)", err, desk.errs)
			}
			if len(desk.tickets) != 1 {
				t.Fatalf("%d tickets after triggered, want 1", len(desk.tickets))
			}
			var tk *deskTicket
			for _, x := range desk.tickets {
				tk = x
			}
			if tk.company != tc.company || tk.priority != tc.prio[0] || !strings.Contains(tk.title, "SNMP answers a default community") {
				t.Errorf("ticket %+v: want company %s, priority %d", tk, tc.company, tc.prio[0])
			}
			// The PSA answers with errors: each is a clear error, and the
			// message is not lost (the dispatcher retries the same one).
			m.Status, m.Severity, m.Title = StatusUpdated, "high", "SNMP answers a default community on 3 devices"
			for _, mode := range []string{"401", "429", "500"} {
				desk.mode = mode
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
			desk.mode = ""
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatalf("updated: %v (receiver: %v)", err, desk.errs)
			}
			if len(desk.tickets) != 1 || len(tk.notes) != 1 || !strings.Contains(tk.notes[0], "3 devices") {
				t.Errorf("after updated: %d tickets, notes %q", len(desk.tickets), tk.notes)
			}
			m.Status = StatusCleared
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatalf("cleared: %v (receiver: %v)", err, desk.errs)
			}
			if !tk.closed || len(tk.notes) != 2 {
				t.Errorf("after cleared: closed %t, notes %d", tk.closed, len(tk.notes))
			}
			// The problem comes back: a new ticket.
			m.Status = StatusTriggered
			if _, err := e.Outlet.Send(ctx, &m); err != nil {
				t.Fatal(err)
			}
			if len(desk.tickets) != 2 {
				t.Errorf("%d tickets after the problem came back, want 2", len(desk.tickets))
			}
			if len(desk.errs) > 0 {
				t.Errorf("receiver refused requests: %v", desk.errs)
			}
		})
	}
}
