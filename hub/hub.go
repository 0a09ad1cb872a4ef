package hub

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// The fleet UI stands on the same web shell as the box's (package
// webkit): frame, stylesheet, sessions, CSRF, CSP and sign-in throttling.
// Its sessions live in the hub's store (sessions.go).

const (
	hubCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	hubMaxFormBytes = 64 << 10
	hubCtxToken     = "hub.token"
)

// HubConfig tunes the hub's HTTP side.
type HubConfig struct {
	Title           string // shown in the header; default "tend hub"
	Now             func() time.Time
	SecureCookies   bool          // set when served over TLS (always, in production)
	SessionLifetime time.Duration // default 12 h
	SessionIdle     time.Duration // ended when unused this long; default 1 h
	// StaleAfter flags a site that has sent nothing for this long. Zero
	// means three of the site's own intervals, at least ten minutes.
	StaleAfter time.Duration
	// MaxIngest bounds the summaries read at once, whatever their senders;
	// a post past it is answered 503 before its body is read. Each holds
	// at most upstream.MaxBodyBytes, so this also bounds ingest memory.
	// Zero means DefaultMaxIngest.
	MaxIngest int
	// MaxIngestPerAddress bounds the summaries one client address (an
	// IPv6 /64) posts at once; past it the answer is 429. Zero means
	// DefaultMaxIngestPerAddress.
	MaxIngestPerAddress int
	// PublicURL is the hub's address as people reach it
	// (https://hub.example, no trailing slash; ParsePublicURL), for the
	// links the hub writes; "" leaves setup links as paths.
	PublicURL string
	// Files are the data files Run keeps owner-only (the database).
	Files []string
	Log   *slog.Logger
}

// ParsePublicURL checks the hub's --public-url and returns it without a
// trailing slash ("" stays ""): https, a host, at most a path (a hub
// behind a proxy's prefix), nothing that would leak into every link.
func ParsePublicURL(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", fmt.Errorf("hub: --public-url %q: give the hub's address as people reach it, https://host[:port][/path], nothing more", s)
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// Ingest limits: 32 × 2 MiB = 64 MiB of bodies at most, and one client
// address cannot hold more than four of the slots.
const (
	DefaultMaxIngest           = 32
	DefaultMaxIngestPerAddress = 4
)

// Hub is the provider-side server: summary ingest, fleet UI, pull API and
// metrics.
type Hub struct {
	cfg    HubConfig
	st     *storage.Store
	data   *HubStore
	log    *slog.Logger
	engine *gin.Engine

	shell   *webkit.Shell
	pages   map[string]*template.Template
	limiter *webkit.Limiter
	bufs    sync.Pool

	sessions    *webkit.Sessions // kept in data, shared by every hub process on it
	loginCookie string

	ingestSlots chan struct{}
	notifier    *Notifier // nil: no outlets (see SetNotifier)

	mu       sync.Mutex
	accepted int
	refused  map[string]int // reason → count
	posting  map[string]int // client address → summaries being read
}

// NewHub builds the hub over st (users and sessions) and data (sites).
func NewHub(cfg HubConfig, st *storage.Store, data *HubStore) (*Hub, error) {
	if st == nil || data == nil {
		return nil, errors.New("upstream: new hub: nil store")
	}
	if cfg.Title == "" {
		cfg.Title = "tend hub"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionLifetime <= 0 {
		cfg.SessionLifetime = 12 * time.Hour
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxIngest <= 0 {
		cfg.MaxIngest = DefaultMaxIngest
	}
	var err error
	if cfg.PublicURL, err = ParsePublicURL(cfg.PublicURL); err != nil {
		return nil, err
	}
	if cfg.MaxIngestPerAddress <= 0 {
		cfg.MaxIngestPerAddress = DefaultMaxIngestPerAddress
	}
	prefix := ""
	if cfg.SecureCookies {
		prefix = "__Host-"
	}
	if _, err := data.ImportUsers(st); err != nil {
		return nil, fmt.Errorf("hub: import users: %w", err)
	}
	h := &Hub{cfg: cfg, st: st, data: data, log: cfg.Log.With("component", "hub"),
		limiter:     webkit.NewLimiter(cfg.Now),
		bufs:        sync.Pool{New: func() any { return new(bytes.Buffer) }},
		loginCookie: prefix + "tend_hub_login",
		refused:     map[string]int{}, posting: map[string]int{}, ingestSlots: make(chan struct{}, cfg.MaxIngest)}
	h.sessions = webkit.NewSessions(webkit.SessionsConfig{Store: data, Now: cfg.Now, Lifetime: cfg.SessionLifetime,
		Idle: cfg.SessionIdle, Secure: cfg.SecureCookies, Cookie: "tend_hub_session", Stamp: h.stamp, Log: h.log})
	h.shell, err = webkit.NewShell(webkit.ShellConfig{
		CSP:          hubCSP,
		PanicMessage: "Something went wrong on the hub. The error has been logged.",
		BackURL:      "/sites", Back: "Back to the sites",
		Now: cfg.Now, LayoutFor: h.layoutFor, UI: hubFiles, Nav: "web/templates/nav.html", Log: h.log,
	})
	if err != nil {
		return nil, err
	}
	if err := h.parsePages(); err != nil {
		return nil, err
	}
	h.engine = h.routes()
	return h, nil
}

// Handler returns the hub as an http.Handler.
func (h *Hub) Handler() http.Handler { return h.engine }

func (h *Hub) routes() *gin.Engine {
	r := h.shell.Engine() // with /healthz and /static/

	// Boxes: authenticated by the signature, not a session.
	r.POST(upstream.SummaryPath, h.ingest)

	forms := r.Group("/", webkit.LimitBody(hubMaxFormBytes))
	forms.GET("/login", h.loginPage)
	forms.POST("/login", h.shell.SignIn(h.signIn()))

	// The provider's tools read with an API token; people have a session,
	// and a CSRF token on every POST. Every route in one table.
	api := forms.Group("/", h.requireToken)
	ui := forms.Group("/", h.shell.RequireSession(h.sessions, nil), h.shell.RequireCSRF(nil), h.requireRole)
	get, post := http.MethodGet, http.MethodPost
	for _, rt := range []struct {
		group        *gin.RouterGroup
		method, path string
		handle       gin.HandlerFunc
	}{
		{api, get, "/api/sites", h.apiSites},
		{api, get, "/api/sites.csv", h.apiSitesCSV},
		{api, get, "/api/sites/:name", h.apiSite},
		{api, get, "/api/sites/:name/summaries", h.apiSummaries},
		{api, get, "/api/sites/:name/history", h.apiHistory},
		{api, get, "/api/sites/:name/devices.csv", h.apiDevicesCSV},
		{api, get, "/api/sites/:name/summaries.csv", h.apiSummariesCSV},
		{api, get, "/metrics", h.metrics},
		{ui, get, "/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/sites") }},
		{ui, get, "/sites", h.sitesPage},
		{ui, get, "/sites/:name", h.sitePage},
		{ui, get, "/forecast", h.forecastPage},
		{ui, get, "/sites/:name/report", h.reportPage},
		{ui, get, "/sites/:name/report.pdf", h.reportPDF},
		{ui, post, "/sites", h.addSite},
		{ui, post, "/tokens", h.addToken},
		{ui, get, "/outlets", h.outletsPage},
		{ui, post, "/outlets", h.addOutlet},
		{ui, post, "/outlets/:id/test", h.testOutlet},
		{ui, post, "/outlets/:id/delete", h.removeOutlet},
		{ui, get, "/users", h.usersPage},
		{ui, post, "/users", h.addUser},
		{ui, post, "/users/:name/role", h.userRole},
		{ui, post, "/users/:name/link", h.userLink},
		{ui, post, "/users/:name/delete", h.deleteUser},
		{ui, get, "/tokens", h.tokensPage},
		{ui, post, "/tokens/:id/revoke", h.revokeToken},
		{ui, post, "/sites/:name/key", h.rotateKey},
		{ui, post, "/sites/:name/delete", h.deleteSite},
		{ui, post, "/sites/:name/actions", h.decideAction},
		{forms, get, "/setup/:token", h.setupPage},
		{forms, post, "/setup", h.setup},
		{ui, post, "/logout", h.logout},
	} {
		rt.group.Handle(rt.method, rt.path, rt.handle)
	}
	return r
}

// Tokens, sessions and CSRF.

func (h *Hub) session(c *gin.Context) (webkit.Session, bool) { return webkit.SessionOf(c) }

// stamp is a user's credential stamp (webkit.SessionsConfig.Stamp): a
// new password, or the user's removal, ends the sessions of the old one.
func (h *Hub) stamp(user string) (string, error) {
	hash, err := h.data.UserHash(user)
	if errors.Is(err, storage.ErrNotFound) {
		return "", fmt.Errorf("hub: user %s: %w", user, webkit.ErrNoSession)
	}
	if err != nil {
		return "", err
	}
	return webkit.HashToken(hash)[:16], nil
}

// requireToken admits API clients with "Authorization: Bearer <token>".
func (h *Hub) requireToken(c *gin.Context) {
	tok, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	name, err := h.data.CheckToken(strings.TrimSpace(tok))
	if !ok || err != nil {
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			h.fail(c, http.StatusInternalServerError, "Could not check the token.", err)
			return
		}
		c.Header("WWW-Authenticate", `Bearer realm="tend hub"`)
		h.writeJSON(c, http.StatusUnauthorized, map[string]string{"error": "a valid API token is required (tend hub token create)"})
		c.Abort()
		return
	}
	c.Set(hubCtxToken, name)
	c.Next()
}

// Sign-in.

func (h *Hub) loginPage(c *gin.Context) {
	if _, ok, _ := h.sessions.Lookup(c.Request); ok {
		c.Redirect(http.StatusSeeOther, "/sites")
		return
	}
	h.renderLogin(c, http.StatusOK, "", "")
}

func (h *Hub) renderLogin(c *gin.Context, status int, username, message string) {
	token := webkit.LoginToken(c, h.loginCookie, h.cfg.SecureCookies)
	h.shell.RenderLogin(c, status, webkit.LoginView{Layout: hubLayout{AppName: h.cfg.Title, Home: "/sites"}, LoginCSRF: token, Username: username, Message: message})
}

// signIn is the sign-in (webkit.Shell.SignIn) over the hub's users.
func (h *Hub) signIn() webkit.SignIn {
	return webkit.SignIn{
		Cookie: h.loginCookie, Limiter: h.limiter, Form: h.renderLogin,
		ValidName: func(name string) bool { return storage.ValidateUserName(name) == nil },
		Hash: func(name string) (string, error) {
			hash, err := h.data.UserHash(name)
			if errors.Is(err, storage.ErrNotFound) {
				err = nil
			}
			return hash, err
		},
		Failed: func(c *gin.Context, name string, known bool, wait time.Duration) {
			if !known {
				name = "" // may be a password typed into the wrong field
			}
			h.log.Info("login failed", "user", name, "user_known", known, "client", c.RemoteIP(), "locked", wait > 0)
		},
		Start: h.startSession,
	}
}

// startSession signs user in and sends the browser to the fleet.
func (h *Hub) startSession(c *gin.Context, user string) {
	sess, err := h.sessions.Start(c, user, h.loginCookie)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not start your session.", err)
		return
	}
	h.log.Info("login succeeded", "user", user, "client", c.RemoteIP())
	if wantsJSON(c.Request) {
		h.writeJSON(c, http.StatusOK, map[string]string{"user": user, "csrf": sess.CSRF})
		return
	}
	c.Redirect(http.StatusSeeOther, "/sites")
}

func (h *Hub) logout(c *gin.Context) {
	sess, _ := h.session(c)
	if err := h.sessions.End(c, sess); err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not end your session.", err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/login")
}

// Rendering.

// hubLayout is the shell's page frame.
type hubLayout = webkit.Layout

func (h *Hub) layoutFor(c *gin.Context, title, nav string) hubLayout {
	l := hubLayout{AppName: h.cfg.Title, Home: "/sites", Title: title, Nav: nav}
	if s, ok := h.session(c); ok {
		l.User, l.CSRF = s.User, s.CSRF
	}
	if r, ok := c.Get(hubCtxRole); ok {
		l.Role = r.(UserRole).Role
	}
	return l
}

func (h *Hub) parsePages() error {
	h.pages = map[string]*template.Template{}
	for _, p := range []string{"sites", "site", "forecast", "report", "outlets", "users", "tokens", "key", "setup"} {
		t, err := h.shell.Page("web/templates/" + p + ".html")
		if err != nil {
			return err
		}
		h.pages[p] = t
	}
	return nil
}

func wantsJSON(r *http.Request) bool { return webkit.WantsJSON(r) }

// render answers with the named page, or body as JSON when asked for.
func (h *Hub) render(c *gin.Context, status int, page string, view, body any) {
	h.shell.Render(c, status, h.pages[page], view, body)
}

func (h *Hub) writeJSON(c *gin.Context, status int, body any) { h.shell.WriteJSON(c, status, body) }

// fail ends a request with the error page or JSON; message is shown, err
// only logged.
func (h *Hub) fail(c *gin.Context, status int, message string, err error) {
	h.shell.Fail(c, status, message, err)
}
