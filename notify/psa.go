package notify

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"tend/inventory"
)

// TicketStore remembers which PSA ticket belongs to which problem, so one
// problem is one ticket through its changes until it clears. PutTicket
// with an empty id forgets.
type TicketStore interface {
	Ticket(outlet, problem string) (id string, ok bool, err error)
	PutTicket(outlet, problem, id string) error
}

// psaAPI is one vendor's ticket API.
type psaAPI interface {
	vendor() string
	// create opens a ticket under company ("": the outlet's default).
	create(ctx context.Context, m *Message, company string) (id, answer string, err error)
	note(ctx context.Context, id string, m *Message) (answer string, err error)
	close(ctx context.Context, id string, m *Message) (answer string, err error)
	check(ctx context.Context) (answer string, err error)
}

// PSA opens one ticket per problem key, adds a note when the problem
// changes and closes the ticket when it clears.
type PSA struct {
	api psaAPI
	// companies maps a site to the PSA's company for it (the hub's
	// site_companies=); a site not in it goes to the URL's company.
	companies map[string]string

	mu      sync.Mutex
	outlet  string
	tickets TicketStore       // nil: mem
	sited   bool              // tickets are keyed by site and problem (the hub)
	mem     map[string]string // problem → ticket when no store is bound
}

// bind gives the PSA its durable ticket map (the dispatcher does this).
func (p *PSA) bind(outlet string, ts TicketStore, sited bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.outlet, p.tickets, p.sited = outlet, ts, sited
}

func (p *PSA) ticket(key string) (string, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tickets != nil {
		return p.tickets.Ticket(p.outlet, key)
	}
	id, ok := p.mem[key]
	return id, ok, nil
}

func (p *PSA) putTicket(key, id string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tickets != nil {
		return p.tickets.PutTicket(p.outlet, key, id)
	}
	if p.mem == nil {
		p.mem = map[string]string{}
	}
	if id == "" {
		delete(p.mem, key)
	} else {
		p.mem[key] = id
	}
	return nil
}

// ticketKey is what the ticket is remembered under: the problem key, and
// at the hub (where problem keys of different sites may meet) the site
// and the problem key.
func (p *PSA) ticketKey(m *Message) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.sited {
		return m.Site + ":" + m.Key
	}
	return m.Key
}

// Send applies m to the problem's ticket.
func (p *PSA) Send(ctx context.Context, m *Message) (string, error) {
	v := p.api.vendor()
	if m.Status == StatusTest {
		return p.api.check(ctx)
	}
	key := p.ticketKey(m)
	id, ok, err := p.ticket(key)
	if err != nil {
		return "", fmt.Errorf("%s: look up the ticket of %s: %w", v, m.Key, err)
	}
	switch {
	case m.Status == StatusCleared && !ok:
		return "no ticket open for this problem", nil
	case m.Status == StatusCleared:
		if _, err := p.api.note(ctx, id, m); err != nil {
			return "", err
		}
		ans, err := p.api.close(ctx, id, m)
		if err != nil {
			return ans, err
		}
		return fmt.Sprintf("ticket %s closed: %s", id, ans), p.putTicket(key, "")
	case ok:
		ans, err := p.api.note(ctx, id, m)
		if err != nil {
			return ans, err
		}
		return fmt.Sprintf("note added to ticket %s: %s", id, ans), nil
	}
	id, ans, err := p.api.create(ctx, m, p.companies[m.Site])
	if err != nil {
		return ans, err
	}
	if err := p.putTicket(key, id); err != nil {
		return ans, fmt.Errorf("%s: ticket %s opened but not remembered: %w", v, id, err)
	}
	return fmt.Sprintf("ticket %s opened: %s", id, ans), nil
}

// priorities maps severities, most severe first (critical, high, medium,
// low, info), to a PSA's priority ids.
type priorities [5]int

func (p priorities) of(s inventory.Severity) int {
	switch s {
	case inventory.SeverityCritical:
		return p[0]
	case inventory.SeverityHigh:
		return p[1]
	case inventory.SeverityMedium:
		return p[2]
	case inventory.SeverityLow:
		return p[3]
	}
	return p[4]
}

func parsePriorities(s string, def priorities, bad func(string, string, ...any) error) (priorities, error) {
	if s == "" {
		return def, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) != 5 {
		return def, bad("priorities", "give five priority ids: critical,high,medium,low,info")
	}
	var p priorities
	for i, x := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil || n < 0 {
			return def, bad("priorities", "%q is not a priority id", x)
		}
		p[i] = n
	}
	return p, nil
}

// psaHTTP sends one JSON request and decodes a 2xx answer into out (if
// non-nil); other answers become errors through answer().
func psaHTTP(ctx context.Context, c *http.Client, vendor, method, url string, h http.Header, in, out any) (string, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return "", fmt.Errorf("%s: encode request: %w", vendor, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return "", fmt.Errorf("%s: build request: %w", vendor, err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "tend-notify/1")
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s: %s: %w", vendor, method, scrubURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 && out != nil {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if err := json.Unmarshal(b, out); err != nil {
			return resp.Status, fmt.Errorf("%s: decode answer (%s): %w", vendor, resp.Status, err)
		}
		return resp.Status, nil
	}
	return answer(vendor, resp)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func ticketTitle(m *Message) string {
	return fmt.Sprintf("[tend] %s: %s", m.Site, m.Title)
}

// ConnectWise Manage (REST API 3.0): Basic authentication with
// "company+publicKey:privateKey" and the integration's clientId header;
// tickets at service/tickets, notes at service/tickets/{id}/notes, status
// changes by JSON Patch.
type connectWise struct {
	base, clientID, auth string
	company, board       string
	closed               string
	prio                 priorities
	c                    *http.Client
}

func (cw *connectWise) vendor() string { return "connectwise" }

func (cw *connectWise) hdr() http.Header {
	return http.Header{"Authorization": {"Basic " + cw.auth}, "Clientid": {cw.clientID}}
}

func (cw *connectWise) create(ctx context.Context, m *Message, company string) (string, string, error) {
	t := map[string]any{
		"summary":            clip(ticketTitle(m), 100), // the field holds 100 characters
		"initialDescription": m.Text(),
		"company":            map[string]string{"identifier": cmpOr(company, cw.company)},
		"priority":           map[string]int{"id": cw.prio.of(m.Severity)},
	}
	if cw.board != "" {
		t["board"] = map[string]string{"name": cw.board}
	}
	var out struct {
		ID int64 `json:"id"`
	}
	ans, err := psaHTTP(ctx, cw.c, "connectwise", http.MethodPost, cw.base+"/service/tickets", cw.hdr(), t, &out)
	if err == nil && out.ID == 0 {
		err = fmt.Errorf("connectwise: answer %s carries no ticket id", ans)
	}
	return strconv.FormatInt(out.ID, 10), ans, err
}

func (cw *connectWise) note(ctx context.Context, id string, m *Message) (string, error) {
	n := map[string]any{"text": strings.ToUpper(string(m.Status)) + "\n\n" + m.Text(), "detailDescriptionFlag": true}
	return psaHTTP(ctx, cw.c, "connectwise", http.MethodPost, cw.base+"/service/tickets/"+url.PathEscape(id)+"/notes", cw.hdr(), n, nil)
}

func (cw *connectWise) close(ctx context.Context, id string, m *Message) (string, error) {
	patch := []map[string]any{{"op": "replace", "path": "status", "value": map[string]string{"name": cw.closed}}}
	return psaHTTP(ctx, cw.c, "connectwise", http.MethodPatch, cw.base+"/service/tickets/"+url.PathEscape(id), cw.hdr(), patch, nil)
}

func (cw *connectWise) check(ctx context.Context) (string, error) {
	return psaHTTP(ctx, cw.c, "connectwise", http.MethodGet, cw.base+"/system/info", cw.hdr(), nil, nil)
}

// Autotask (REST API v1.0): the ApiIntegrationCode, UserName and Secret
// headers; POST Tickets answers {"itemId": n}; notes at
// Tickets/{id}/Notes; PATCH Tickets changes the status.
type autotask struct {
	base, user, code string
	secret           inventory.Secret
	company, queue   int
	complete         int
	prio             priorities
	c                *http.Client
}

func (at *autotask) vendor() string { return "autotask" }

func (at *autotask) hdr() http.Header {
	return http.Header{"Apiintegrationcode": {at.code}, "Username": {at.user}, "Secret": {at.secret.Reveal()}}
}

// Autotask's status picklist: 1 is New; priorities 1 High, 2 Medium, 3
// Low, 4 Critical (the defaults of a new Autotask instance).
const autotaskNew = 1

func (at *autotask) create(ctx context.Context, m *Message, company string) (string, string, error) {
	id := at.company
	if company != "" {
		id, _ = strconv.Atoi(company) // checked numeric when the URL was parsed
	}
	t := map[string]any{
		"companyID":   id,
		"title":       clip(ticketTitle(m), 255),
		"description": clip(m.Text(), 8000),
		"status":      autotaskNew,
		"priority":    at.prio.of(m.Severity),
	}
	if at.queue != 0 {
		t["queueID"] = at.queue
	}
	var out struct {
		ItemID int64 `json:"itemId"`
	}
	ans, err := psaHTTP(ctx, at.c, "autotask", http.MethodPost, at.base+"/Tickets", at.hdr(), t, &out)
	if err == nil && out.ItemID == 0 {
		err = fmt.Errorf("autotask: answer %s carries no itemId", ans)
	}
	return strconv.FormatInt(out.ItemID, 10), ans, err
}

func (at *autotask) note(ctx context.Context, id string, m *Message) (string, error) {
	n := map[string]any{"title": clip(strings.ToUpper(string(m.Status))+": "+m.Title, 250), "description": clip(m.Text(), 3200),
		"noteType": 1, "publish": 1} // general note, internal only
	return psaHTTP(ctx, at.c, "autotask", http.MethodPost, at.base+"/Tickets/"+url.PathEscape(id)+"/Notes", at.hdr(), n, nil)
}

func (at *autotask) close(ctx context.Context, id string, m *Message) (string, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return "", fmt.Errorf("autotask: ticket id %q: %w", id, err)
	}
	return psaHTTP(ctx, at.c, "autotask", http.MethodPatch, at.base+"/Tickets", at.hdr(), map[string]any{"id": n, "status": at.complete}, nil)
}

func (at *autotask) check(ctx context.Context) (string, error) {
	return psaHTTP(ctx, at.c, "autotask", http.MethodGet, at.base+"/Companies/"+strconv.Itoa(at.company), at.hdr(), nil, nil)
}

// HaloPSA: an OAuth 2 client-credentials token from /auth/token, then
// POST /api/Tickets (create and update take an array of tickets) and POST
// /api/Actions for notes.
type haloPSA struct {
	host, clientID, tenant string
	secret                 inventory.Secret
	client, ticketType     int
	closed                 int
	prio                   priorities
	c                      *http.Client
	now                    func() time.Time

	mu      sync.Mutex
	token   string
	expires time.Time
}

func (h *haloPSA) vendor() string { return "halopsa" }

func (h *haloPSA) bearer(ctx context.Context) (http.Header, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.token != "" && h.now().Before(h.expires) {
		return http.Header{"Authorization": {"Bearer " + h.token}}, nil
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {h.clientID}, "client_secret": {h.secret.Reveal()}, "scope": {"all"}}
	u := h.host + "/auth/token"
	if h.tenant != "" {
		u += "?tenant=" + url.QueryEscape(h.tenant)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("halopsa: build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := h.c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("halopsa: token: %w", scrubURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, err := answer("halopsa: token", resp)
		return nil, err
	}
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&tok); err != nil || tok.AccessToken == "" {
		return nil, fmt.Errorf("halopsa: token answer without access_token (%v)", err)
	}
	h.token = tok.AccessToken
	h.expires = h.now().Add(time.Duration(max(tok.ExpiresIn-60, 30)) * time.Second)
	return http.Header{"Authorization": {"Bearer " + h.token}}, nil
}

// call runs one API request, fetching a new token once on a 401 (an
// expired token).
func (h *haloPSA) call(ctx context.Context, method, path string, in, out any) (string, error) {
	for attempt := 0; ; attempt++ {
		hdr, err := h.bearer(ctx)
		if err != nil {
			return "", err
		}
		ans, err := psaHTTP(ctx, h.c, "halopsa", method, h.host+path, hdr, in, out)
		if err != nil && attempt == 0 && strings.HasPrefix(ans, "401") {
			h.mu.Lock()
			h.token = ""
			h.mu.Unlock()
			continue
		}
		return ans, err
	}
}

func (h *haloPSA) create(ctx context.Context, m *Message, company string) (string, string, error) {
	client := h.client
	if company != "" {
		client, _ = strconv.Atoi(company) // checked numeric when the URL was parsed
	}
	t := map[string]any{
		"summary":     clip(ticketTitle(m), 250),
		"details":     m.Text(),
		"client_id":   client,
		"priority_id": h.prio.of(m.Severity),
	}
	if h.ticketType != 0 {
		t["tickettype_id"] = h.ticketType
	}
	var raw json.RawMessage
	ans, err := h.call(ctx, http.MethodPost, "/api/Tickets", []any{t}, &raw)
	if err != nil {
		return "", ans, err
	}
	// Halo answers the saved ticket: an object, or an array of one.
	var one struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal(raw, &one) != nil {
		var many []struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
			one.ID = many[0].ID
		}
	}
	if one.ID == 0 {
		return "", ans, fmt.Errorf("halopsa: answer %s carries no ticket id", ans)
	}
	return strconv.FormatInt(one.ID, 10), ans, nil
}

func (h *haloPSA) ticketID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("halopsa: ticket id %q: %w", id, err)
	}
	return n, nil
}

func (h *haloPSA) note(ctx context.Context, id string, m *Message) (string, error) {
	n, err := h.ticketID(id)
	if err != nil {
		return "", err
	}
	a := map[string]any{"ticket_id": n, "outcome": "Note", "note": strings.ToUpper(string(m.Status)) + "\n\n" + m.Text(), "hiddenfromuser": true}
	return h.call(ctx, http.MethodPost, "/api/Actions", []any{a}, nil)
}

func (h *haloPSA) close(ctx context.Context, id string, m *Message) (string, error) {
	n, err := h.ticketID(id)
	if err != nil {
		return "", err
	}
	return h.call(ctx, http.MethodPost, "/api/Tickets", []any{map[string]any{"id": n, "status_id": h.closed}}, nil)
}

func (h *haloPSA) check(ctx context.Context) (string, error) {
	if _, err := h.bearer(ctx); err != nil {
		return "", err
	}
	return h.call(ctx, http.MethodGet, "/api/Client/"+strconv.Itoa(h.client), nil, nil)
}

// parsePSA builds a PSA outlet from its URL (scheme connectwise+https,
// autotask+https or halopsa+https).
func parsePSA(u *url.URL, q url.Values, c *http.Client, bad func(string, string, ...any) error, secret func(string, bool) (inventory.Secret, error)) (*PSA, error) {
	vendor, inner, _ := strings.Cut(u.Scheme, "+")
	if inner != "https" && inner != "http" {
		return nil, bad("scheme", "%s needs https", u.Scheme)
	}
	if u.Host == "" {
		return nil, bad("host", "missing")
	}
	base := (&url.URL{Scheme: inner, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}).String()
	r := psaQuery{q: q, bad: bad, secret: secret}
	var api psaAPI
	var err error
	switch vendor {
	case "connectwise":
		api, err = r.connectWise(base, c)
	case "autotask":
		api, err = r.autotask(base, c)
	case "halopsa":
		api, err = r.haloPSA(base, c)
	default:
		return nil, bad("scheme", "%q is not a PSA", vendor)
	}
	if err != nil {
		return nil, err
	}
	companies, err := parseSiteCompanies(q.Get("site_companies"), vendor != "connectwise", bad)
	if err != nil {
		return nil, err
	}
	return &PSA{api: api, companies: companies}, nil
}

// psaQuery reads a PSA URL's query parameters for parsePSA.
type psaQuery struct {
	q      url.Values
	bad    func(string, string, ...any) error
	secret func(string, bool) (inventory.Secret, error)
}

// need is a required parameter.
func (r psaQuery) need(k string) (string, error) {
	v := r.q.Get(k)
	if v == "" {
		return "", r.bad(k, "required")
	}
	return v, nil
}

// num is a numeric id parameter, def when absent and not required.
func (r psaQuery) num(k string, required bool, def int) (int, error) {
	v := r.q.Get(k)
	if v == "" {
		if required {
			return 0, r.bad(k, "required: a numeric id")
		}
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, r.bad(k, "%q is not a numeric id", v)
	}
	return n, nil
}

// connectWise is ConnectWise Manage's API from the URL's parameters.
func (r psaQuery) connectWise(base string, c *http.Client) (psaAPI, error) {
	q := r.q
	var err error
	cw := &connectWise{base: base, c: c, closed: cmpOr(q.Get("closed_status"), ">Closed"), board: q.Get("board")}
	var companyID, pub string
	if companyID, err = r.need("company_id"); err != nil {
		return nil, err
	}
	if pub, err = r.need("public_key"); err != nil {
		return nil, err
	}
	priv, err := r.secret("private_key_file", true)
	if err != nil {
		return nil, err
	}
	if cw.clientID, err = r.need("client_id"); err != nil {
		return nil, err
	}
	if cw.company, err = r.need("company"); err != nil {
		return nil, err
	}
	cw.auth = base64.StdEncoding.EncodeToString([]byte(companyID + "+" + pub + ":" + priv.Reveal()))
	// ConnectWise's default priorities: 1 Emergency, 2 Quick, 3 Normal,
	// 4 Scheduled maintenance; set yours with priorities=.
	if cw.prio, err = parsePriorities(q.Get("priorities"), priorities{1, 2, 3, 4, 4}, r.bad); err != nil {
		return nil, err
	}
	return cw, nil
}

// autotask is Autotask's API from the URL's parameters.
func (r psaQuery) autotask(base string, c *http.Client) (psaAPI, error) {
	q := r.q
	var err error
	at := &autotask{base: base, c: c}
	if at.user, err = r.need("username"); err != nil {
		return nil, err
	}
	if at.code, err = r.need("integration_code"); err != nil {
		return nil, err
	}
	if at.secret, err = r.secret("secret_file", true); err != nil {
		return nil, err
	}
	if at.company, err = r.num("company_id", true, 0); err != nil {
		return nil, err
	}
	if at.queue, err = r.num("queue_id", false, 0); err != nil {
		return nil, err
	}
	if at.complete, err = r.num("complete_status", false, 5); err != nil { // 5 is Complete
		return nil, err
	}
	if at.prio, err = parsePriorities(q.Get("priorities"), priorities{4, 1, 2, 3, 3}, r.bad); err != nil {
		return nil, err
	}
	return at, nil
}

// haloPSA is HaloPSA's API from the URL's parameters.
func (r psaQuery) haloPSA(base string, c *http.Client) (psaAPI, error) {
	q := r.q
	var err error
	h := &haloPSA{host: base, c: c, tenant: q.Get("tenant"), now: time.Now}
	if h.clientID, err = r.need("client_id"); err != nil {
		return nil, err
	}
	if h.secret, err = r.secret("secret_file", true); err != nil {
		return nil, err
	}
	if h.client, err = r.num("company_id", true, 0); err != nil {
		return nil, err
	}
	if h.ticketType, err = r.num("ticket_type_id", false, 0); err != nil {
		return nil, err
	}
	if h.closed, err = r.num("closed_status_id", false, 9); err != nil { // 9 is Closed
		return nil, err
	}
	if h.prio, err = parsePriorities(q.Get("priorities"), priorities{1, 2, 3, 4, 4}, r.bad); err != nil {
		return nil, err
	}
	return h, nil
}

// parseSiteCompanies reads site_companies=site:company,… (the hub maps each
// site to its PSA company; Autotask and HaloPSA take numeric ids).
func parseSiteCompanies(s string, numeric bool, bad func(string, string, ...any) error) (map[string]string, error) {
	if s == "" {
		return nil, nil
	}
	out := map[string]string{}
	for pair := range strings.SplitSeq(s, ",") {
		site, company, ok := strings.Cut(strings.TrimSpace(pair), ":")
		site, company = strings.TrimSpace(site), strings.TrimSpace(company)
		if !ok || site == "" || company == "" {
			return nil, bad("site_companies", "%q is not site:company", pair)
		}
		if numeric {
			if n, err := strconv.Atoi(company); err != nil || n <= 0 {
				return nil, bad("site_companies", "company %q of site %s is not a numeric id", company, site)
			}
		}
		if _, dup := out[site]; dup {
			return nil, bad("site_companies", "site %s is mapped twice", site)
		}
		out[site] = company
	}
	return out, nil
}
