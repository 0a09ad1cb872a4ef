// Package psatest holds contract receivers for the PSA outlets' tests:
// ConnectWise Manage, Autotask and HaloPSA as their public API
// documentation describes them (paths, authentication, bodies), answering
// as the vendors do, including their authentication, rate-limit and server
// errors. notify's own tests and the hub's use the same receivers.
package psatest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Desk is a contract receiver for one PSA: it checks every request's
// path, authentication and body against the vendor's documented shapes,
// keeps tickets, and answers as the vendor does, including its
// authentication, rate-limit and server errors (mode).
type Desk struct {
	// ClientID is the clientId header ConnectWise requests must carry.
	ClientID string

	mu      sync.Mutex
	mode    string // "", "401", "429", "500"
	fails   []int  // answered in turn, one request each, before mode
	next    int64
	tickets map[int64]*Ticket
	calls   []string
	errs    []string
}

// Ticket is a ticket as the desk keeps it.
type Ticket struct {
	Company  string
	Priority int
	Title    string
	Notes    []string
	Closed   bool
}

// NewDesk returns an empty desk.
func NewDesk() *Desk {
	return &Desk{ClientID: "0f1e2d3c-aaaa-bbbb-cccc-000000000001", next: 1000, tickets: map[int64]*Ticket{}}
}

// SetMode makes every following request (but Halo's token requests)
// answer as the vendor does on an error: "401", "429" (with the vendor's
// rate-limit header), "500"; "" to answer normally.
func (d *Desk) SetMode(mode string) {
	d.mu.Lock()
	d.mode = mode
	d.mu.Unlock()
}

// FailNext makes the next len(codes) requests answer with these errors,
// one each, in turn.
func (d *Desk) FailNext(codes ...int) {
	d.mu.Lock()
	d.fails = append(d.fails, codes...)
	d.mu.Unlock()
}

// Tickets returns copies of the tickets, by id.
func (d *Desk) Tickets() map[int64]Ticket {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[int64]Ticket, len(d.tickets))
	for id, t := range d.tickets {
		c := *t
		c.Notes = append([]string(nil), t.Notes...)
		out[id] = c
	}
	return out
}

// Errs returns the requests the desk refused as malformed.
func (d *Desk) Errs() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.errs...)
}

// Pending says how many FailNext answers are still to be given.
func (d *Desk) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.fails)
}

// Handler serves one vendor's API ("connectwise", "autotask",
// "halopsa") from the desk.
func (d *Desk) Handler(vendor string) http.Handler {
	answer := map[string]func(*http.Request, []byte) (int, string, http.Header){
		"connectwise": d.ConnectWise, "autotask": d.Autotask, "halopsa": d.Halo}[vendor]
	if answer == nil {
		panic("psatest: no vendor " + vendor)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		code, body, h := answer(r, b)
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(code)
		io.WriteString(w, body)
	})
}

func (d *Desk) reject(format string, a ...any) (int, string, http.Header) {
	d.errs = append(d.errs, fmt.Sprintf(format, a...))
	return 400, fmt.Sprintf(`{"errors":[%q]}`, fmt.Sprintf(format, a...)), nil
}

// injected answers the error modes; ok is false when the request proceeds.
func (d *Desk) injected(vendorLimit http.Header) (int, string, http.Header, bool) {
	mode := d.mode
	if len(d.fails) > 0 {
		mode, d.fails = fmt.Sprint(d.fails[0]), d.fails[1:]
	}
	switch mode {
	case "401":
		return 401, `{"message":"Unauthorized"}`, nil, true
	case "429":
		return 429, `{"errors":["rate limit exceeded"]}`, vendorLimit, true
	case "500":
		return 500, `{"errors":["internal error"]}`, nil, true
	}
	return 0, "", nil, false
}

func (d *Desk) ticket(id int64) *Ticket { return d.tickets[id] }

// ConnectWise follows ConnectWise Manage REST 3.0: Basic
// "company+public:private", the clientId header, POST service/tickets
// (summary ≤ 100, company and priority references), POST
// service/tickets/{id}/notes, PATCH service/tickets/{id} with JSON Patch.
func (d *Desk) ConnectWise(r *http.Request, body []byte) (int, string, http.Header) {
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
	if r.Header.Get("clientId") != d.ClientID {
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
		d.tickets[d.next] = &Ticket{Company: t.Company.Identifier, Priority: t.Priority.ID, Title: t.Summary}
		return 201, fmt.Sprintf(`{"id":%d,"summary":%q}`, d.next, t.Summary), nil
	case r.Method == http.MethodPost && fmtScan(path, "/service/tickets/%d/notes", &id):
		var n struct {
			Text                  string
			DetailDescriptionFlag *bool
		}
		if err := json.Unmarshal(body, &n); err != nil || n.Text == "" || n.DetailDescriptionFlag == nil || d.ticket(id) == nil {
			return d.reject("note %s", body)
		}
		d.ticket(id).Notes = append(d.ticket(id).Notes, n.Text)
		return 201, `{"id":1}`, nil
	case r.Method == http.MethodPatch && fmtScan(path, "/service/tickets/%d", &id):
		var p []struct {
			Op, Path string
			Value    struct{ Name string }
		}
		if err := json.Unmarshal(body, &p); err != nil || len(p) != 1 || p[0].Op != "replace" || p[0].Path != "status" || p[0].Value.Name == "" || d.ticket(id) == nil {
			return d.reject("patch %s", body)
		}
		d.ticket(id).Closed = p[0].Value.Name == ">Closed"
		return 200, fmt.Sprintf(`{"id":%d}`, id), nil
	}
	return 404, `{"code":"NotFound"}`, nil
}

// Autotask follows Autotask REST v1.0: ApiIntegrationCode, UserName
// and Secret headers; POST /Tickets answers {"itemId"}; POST
// /Tickets/{id}/Notes; PATCH /Tickets with id and status.
func (d *Desk) Autotask(r *http.Request, body []byte) (int, string, http.Header) {
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
		d.tickets[d.next] = &Ticket{Company: fmt.Sprint(t.CompanyID), Priority: t.Priority, Title: t.Title}
		return 200, fmt.Sprintf(`{"itemId":%d}`, d.next), nil
	case r.Method == http.MethodPost && fmtScan(path, "/Tickets/%d/Notes", &id):
		var n struct {
			Title, Description string
			NoteType, Publish  int
		}
		if err := json.Unmarshal(body, &n); err != nil || n.Description == "" || n.NoteType == 0 || n.Publish == 0 || d.ticket(id) == nil {
			return d.reject("note %s", body)
		}
		d.ticket(id).Notes = append(d.ticket(id).Notes, n.Description)
		return 200, `{"itemId":1}`, nil
	case r.Method == http.MethodPatch && path == "/Tickets":
		var p struct {
			ID     int64
			Status int
		}
		if err := json.Unmarshal(body, &p); err != nil || d.ticket(p.ID) == nil || p.Status == 0 {
			return d.reject("patch %s", body)
		}
		d.ticket(p.ID).Closed = p.Status == 5
		return 200, fmt.Sprintf(`{"itemId":%d}`, p.ID), nil
	}
	return 404, "", nil
}

// Halo follows HaloPSA: POST /auth/token (form, client_credentials,
// scope all, tenant in the query) → access_token; bearer on /api/*; POST
// /api/Tickets takes an array and answers the saved ticket; POST
// /api/Actions takes an array of actions.
func (d *Desk) Halo(r *http.Request, body []byte) (int, string, http.Header) {
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
			tk.Closed = t["status_id"].(float64) == 9
			return 201, fmt.Sprintf(`{"id":%d}`, int64(id)), nil
		}
		if t["summary"] == "" || t["client_id"] == nil || t["priority_id"] == nil {
			return d.reject("ticket %s", body)
		}
		d.next++
		d.tickets[d.next] = &Ticket{Company: fmt.Sprint(t["client_id"]), Priority: int(t["priority_id"].(float64)), Title: t["summary"].(string)}
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
		d.ticket(as[0].TicketID).Notes = append(d.ticket(as[0].TicketID).Notes, as[0].Note)
		return 201, `{"id":1}`, nil
	}
	return 404, "", nil
}

func fmtScan(s, format string, id *int64) bool {
	n, err := fmt.Sscanf(s, format, id)
	return err == nil && n == 1 && fmt.Sprintf(format, *id) == s
}
