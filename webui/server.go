package webui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"tend/inventory"
	"tend/storage"
	"tend/webkit"
)

// defaultSessionLifetime is one working day plus slack: an engineer signs in
// once per site visit.
const defaultSessionLifetime = 12 * time.Hour

// defaultSessionIdle ends a session nobody used for an hour.
const defaultSessionIdle = time.Hour

// Config tunes a Server. The zero value serves plain HTTP with every feature
// that needs wiring turned off.
type Config struct {
	// SiteName names the client site in the header and page titles, so an
	// engineer with several tabs open knows which box each one is.
	SiteName string

	// Now is the clock for sessions, login lockouts and "last seen" ages.
	// Nil means time.Now.
	Now func() time.Time

	// SecureCookies marks cookies Secure (and gives them the __Host- prefix).
	// Set it whenever the UI is served over TLS, which the appliance always is.
	SecureCookies bool

	// SessionLifetime is how long a sign-in lasts at most. Zero means 12 hours.
	SessionLifetime time.Duration

	// SessionIdle ends a session not used for this long. Zero means an
	// hour: a browser left open on a shared desk does not stay signed in.
	SessionIdle time.Duration

	// ScanNow starts an active discovery sweep for the "Scan now" button.
	// It should return once the sweep has started, not when it ends. Nil
	// hides the button and POST /scan answers 404.
	ScanNow func(ctx context.Context) error

	// SetupCodeFile is the file holding the first-run setup code
	// (DATA/setup-code); the UI names it on the setup form and deletes it
	// once the first admin exists. Empty: nothing to delete.
	SetupCodeFile string

	// Events returns the most recent events, newest first, at most limit,
	// for the dashboard and device pages. Nil: no event store yet.
	Events func(limit int) ([]inventory.Event, error)

	// Traffic returns the site's traffic over time for the dashboard chart
	// (oldest first). Nil or empty: the chart says there are no statistics.
	Traffic func() []TrafficPoint

	// DeviceTraffic returns one device's traffic over time (oldest first)
	// for the chart on its page. Nil or empty: no chart.
	DeviceTraffic func(mac inventory.MAC) []TrafficPoint

	// Settings reports the box's configuration for the settings page.
	// Nil: the page shows users and tokens only.
	Settings func() BoxSettings

	// Refresh asks for the findings to be re-evaluated soon, after a person
	// changed something they read (a device's role). Nil: wait for the next
	// scheduled evaluation.
	Refresh func()

	// Outlets are the notification outlets for Settings → Outlets. Nil:
	// the page says none are configured.
	Outlets Outlets
}

// TrafficPoint is the site's traffic in one interval.
type TrafficPoint struct {
	Time  time.Time `json:"time"`
	Bytes uint64    `json:"bytes"`
}

// Server is the web UI: the handler struct that holds every dependency the
// pages need. Serve it with Handler inside an http.Server that owns the
// socket, timeouts and shutdown.
type Server struct {
	cfg    Config
	st     *storage.Store
	log    *slog.Logger
	engine *gin.Engine

	pages   pages
	assets  map[string]asset
	limiter *webkit.Limiter
	origins *http.CrossOriginProtection
	bufs    sync.Pool // *bytes.Buffer for rendering

	sessionCookie   string
	loginCSRFCookie string

	// hashPassword is HashPassword; tests swap in a cheap bcrypt cost.
	hashPassword func(string) (string, error)
}

// pages holds one template set per page, each parsed at construction.
type pages struct {
	login, setup, devices, device, errorPage   *template.Template
	dashboard, actions, report, events, netmap *template.Template
	audit, settings, outlets, problems         *template.Template
}

// New builds the UI over st. It parses every template and hashes every
// asset now, so a broken template fails start-up instead of a page view.
func New(cfg Config, st *storage.Store, log *slog.Logger) (*Server, error) {
	if st == nil {
		return nil, errors.New("webui: new: nil store")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.SiteName == "" {
		cfg.SiteName = "tend"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionLifetime <= 0 {
		cfg.SessionLifetime = defaultSessionLifetime
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = defaultSessionIdle
	}
	s := &Server{
		cfg:             cfg,
		st:              st,
		log:             log.With("component", "webui"),
		limiter:         webkit.NewLimiter(cfg.Now),
		origins:         http.NewCrossOriginProtection(),
		bufs:            sync.Pool{New: func() any { return new(bytes.Buffer) }},
		sessionCookie:   cookieName("tend_session", cfg.SecureCookies),
		loginCSRFCookie: cookieName("tend_login", cfg.SecureCookies),
		hashPassword:    HashPassword,
	}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.parsePages(); err != nil {
		return nil, err
	}
	s.engine = s.routes()
	return s, nil
}

// Handler returns the UI as an http.Handler.
func (s *Server) Handler() http.Handler { return s.engine }

// cookieName adds the __Host- prefix on TLS: browsers then refuse the cookie
// unless it is Secure, host-only and Path=/, so a sibling host on the client's
// domain cannot plant or overwrite it.
func cookieName(base string, secure bool) string {
	if secure {
		return "__Host-" + base
	}
	return base
}

func (s *Server) now() time.Time { return s.cfg.Now() }

// parsePages builds one template set per page: the shared layout plus the
// page's own file, so pages cannot clash over block names.
func (s *Server) parsePages() (pages, error) {
	funcs := template.FuncMap{
		"asset":     s.assetURL,
		"ago":       s.ago,
		"when":      when,
		"iso":       iso,
		"ip":        ipString,
		"join":      joinSources,
		"dur":       duration,
		"date":      date,
		"speed":     speedLabel,
		"bytes":     bytesLabel,
		"trunc":     truncate,
		"add":       func(a, b int) int { return a + b },
		"endpoints": endpointsLabel,
		"pct100":    func(f float64) float64 { return 100 * f },
		"pctText":   pctText,
		"deref":     func(p *[]inventory.HygieneProduct) []inventory.HygieneProduct { return *p },
	}
	parse := func(page string) (*template.Template, error) {
		t, err := template.New("layout").Funcs(funcs).ParseFS(embedded, "templates/layout.html", "templates/hygiene.html", "templates/"+page+".html")
		if err != nil {
			return nil, fmt.Errorf("webui: parse template %s: %w", page, err)
		}
		return t, nil
	}
	var p pages
	var err error
	for _, x := range []struct {
		name string
		dst  **template.Template
	}{
		{"login", &p.login},
		{"setup", &p.setup},
		{"dashboard", &p.dashboard},
		{"actions", &p.actions},
		{"report", &p.report},
		{"events", &p.events},
		{"netmap", &p.netmap},
		{"audit", &p.audit},
		{"settings", &p.settings},
		{"outlets", &p.outlets},
		{"problems", &p.problems},
		{"devices", &p.devices},
		{"device", &p.device},
		{"error", &p.errorPage},
	} {
		if *x.dst, err = parse(x.name); err != nil {
			return pages{}, err
		}
	}
	return p, nil
}

// layout is what the shared page frame needs; every page view embeds it.
// It is never part of a JSON answer.
type layout struct {
	SiteName string
	Title    string
	Nav      string // active navigation entry
	User     string // signed-in user; empty shows no navigation
	CSRF     string // per-session token for the header's POST forms
	Role     string // the user's role or the token's scope
	CanScan  bool
	Banner   string // a recent database repair: what was lost (storage.Recovery)
}

// layoutFor fills the frame for the request's session, if any.
func (s *Server) layoutFor(c *gin.Context, title, nav string) layout {
	l := layout{SiteName: s.cfg.SiteName, Title: title, Nav: nav}
	if sess, ok := sessionFrom(c); ok {
		l.User = sess.User
		l.CSRF = sess.CSRF
		l.Role = c.GetString(ctxRole)
		l.CanScan = s.cfg.ScanNow != nil && storage.RoleAllows(l.Role, storage.RoleTechnician)
		if r := s.st.LastRecovery(); r != nil {
			l.Banner = r.Summary()
		}
	}
	return l
}

// wantsJSON reports whether the client asked for JSON, the scripting face of
// every page.
func wantsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == "application/json" {
			return true
		}
	}
	return false
}

// render answers with the page, or with body as JSON when the client asked
// for JSON. HTML is rendered into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (s *Server) render(c *gin.Context, status int, page *template.Template, view, body any) {
	if wantsJSON(c.Request) {
		s.writeJSON(c, status, body)
		return
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufs.Put(buf)
	if err := page.ExecuteTemplate(buf, "layout", view); err != nil {
		s.log.Error("render page failed", "page", page.Name(), "path", c.Request.URL.Path, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		c.Abort()
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (s *Server) writeJSON(c *gin.Context, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		s.log.Error("encode json failed", "path", c.Request.URL.Path, "err", err)
		c.Data(http.StatusInternalServerError, "application/json; charset=utf-8", []byte(`{"error":"internal error"}`))
		c.Abort()
		return
	}
	c.Data(status, "application/json; charset=utf-8", append(b, '\n'))
}

// errorView is the error page; as JSON it is {"error": message}.
type errorView struct {
	layout  `json:"-"`
	Status  int    `json:"-"`
	Message string `json:"error"`
}

// fail is the one place a request ends in an error: it logs (server faults
// at error level with err, refusals at debug) and answers with the error page
// or JSON, then stops the handler chain. message is shown to the user, so it
// must not carry internals; err is only logged.
func (s *Server) fail(c *gin.Context, status int, message string, err error) {
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", status}
	switch {
	case status >= 500:
		s.log.Error("request failed", append(attrs, "err", err)...)
	case err != nil:
		s.log.Debug("request refused", append(attrs, "err", err)...)
	default:
		s.log.Debug("request refused", attrs...)
	}
	view := errorView{layout: s.layoutFor(c, http.StatusText(status), ""), Status: status, Message: message}
	s.render(c, status, s.pages.errorPage, view, view)
	c.Abort()
}
