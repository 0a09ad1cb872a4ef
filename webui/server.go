package webui

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
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

	shell   *webkit.Shell
	pages   pages
	limiter *webkit.Limiter

	sessions        *webkit.Sessions
	sessionCookie   string
	loginCSRFCookie string

	// hashPassword is HashPassword; tests swap in a cheap bcrypt cost.
	hashPassword func(string) (string, error)

	watch atomic.Pointer[func() WatchCounters] // SetWatch
}

// pages holds one template set per page.
type pages struct {
	setup, devices, device                     *page
	dashboard, actions, report, events, netmap *page
	audit, settings, outlets, problems         *page
}

// page is one page's template set, parsed when it is first rendered. New
// parses every page once, so a broken template still fails start-up, and
// lets the trees go: serve runs for weeks mostly with nobody looking, and
// the twelve sets held 0.8 MB of its live heap (issue 19). A page parses
// again in about a millisecond on its first view.
type page struct {
	parse func() (*template.Template, error)
	once  sync.Once
	t     *template.Template
	err   error
}

// template returns the page's parsed set, parsing it on first use.
func (p *page) template() (*template.Template, error) {
	p.once.Do(func() { p.t, p.err = p.parse() })
	return p.t, p.err
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
		loginCSRFCookie: webkit.CookieName("tend_login", cfg.SecureCookies),
		hashPassword:    HashPassword,
	}
	s.sessions = webkit.NewSessions(webkit.SessionsConfig{Store: boxSessions{st}, Now: cfg.Now, Lifetime: cfg.SessionLifetime,
		Idle: cfg.SessionIdle, Secure: cfg.SecureCookies, Cookie: "tend_session", Log: s.log})
	s.sessionCookie = s.sessions.CookieName()
	var err error
	s.shell, err = webkit.NewShell(webkit.ShellConfig{
		CSP:          contentSecurityPolicy,
		PanicMessage: "Something went wrong on the box. The error has been logged.",
		BackURL:      "/devices", Back: "Back to the device list",
		Now: cfg.Now, LayoutFor: s.layoutFor, Funcs: s.funcs(), UI: embedded, Nav: "templates/nav.html", Log: s.log,
	})
	if err != nil {
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

func (s *Server) now() time.Time { return s.cfg.Now() }

// funcs are the box's own template functions (the shell adds asset,
// ago, when, date).
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"iso":       iso,
		"ip":        ipString,
		"join":      joinSources,
		"dur":       duration,
		"date":      date,
		"speed":     speedLabel,
		"bytes":     inventory.FormatBytes,
		"trunc":     truncate,
		"add":       func(a, b int) int { return a + b },
		"endpoints": endpointsLabel,
		"pct100":    func(f float64) float64 { return 100 * f },
		"pctText":   pctText,
		"deref":     func(p *[]inventory.HygieneProduct) []inventory.HygieneProduct { return *p },
	}
}

// parsePages builds one template set per page: the shell's frame plus the
// page's own file, so pages cannot clash over block names. Each is parsed
// here to check it, then again on its first view (page).
func (s *Server) parsePages() (pages, error) {
	var p pages
	for _, x := range []struct {
		name string
		dst  **page
	}{
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
	} {
		file := "templates/" + x.name + ".html"
		parse := func() (*template.Template, error) { return s.shell.Page("templates/hygiene.html", file) }
		if _, err := parse(); err != nil {
			return pages{}, err
		}
		*x.dst = &page{parse: parse}
	}
	return p, nil
}

// layout is the shell's page frame; every page view embeds it.
type layout = webkit.Layout

// layoutFor fills the frame for the request's session, if any.
func (s *Server) layoutFor(c *gin.Context, title, nav string) layout {
	l := layout{AppName: s.cfg.SiteName, Home: homePath, Title: title, Nav: nav}
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

// wantsJSON reports whether the client asked for JSON.
func wantsJSON(r *http.Request) bool { return webkit.WantsJSON(r) }

// render answers with the page, or with body as JSON (webkit.Shell.Render);
// a JSON answer does not parse the page.
func (s *Server) render(c *gin.Context, status int, p *page, view, body any) {
	if wantsJSON(c.Request) {
		s.writeJSON(c, status, body)
		return
	}
	t, err := p.template()
	if err != nil {
		s.fail(c, http.StatusInternalServerError, "Something went wrong on the box. The error has been logged.", err)
		return
	}
	s.shell.Render(c, status, t, view, body)
}

func (s *Server) writeJSON(c *gin.Context, status int, body any) { s.shell.WriteJSON(c, status, body) }

// errorView is the error page; as JSON it is {"error": message}.
type errorView = webkit.ErrorView

// fail ends a request with the error page or JSON (webkit.Shell.Fail):
// message is shown, err only logged.
func (s *Server) fail(c *gin.Context, status int, message string, err error) {
	s.shell.Fail(c, status, message, err)
}
