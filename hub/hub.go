package hub

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// The fleet UI follows the box's web UI (package webui, which hub may
// not import): the same stylesheet, the same session, CSRF, CSP and login
// throttling rules, copied here.

const (
	hubCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	hubMaxFormBytes = 64 << 10
	hubCtxSession   = "hub.session"
	hubCtxToken     = "hub.token"
)

// HubConfig tunes the hub's HTTP side.
type HubConfig struct {
	Title           string // shown in the header; default "tend hub"
	Now             func() time.Time
	SecureCookies   bool          // set when served over TLS (always, in production)
	SessionLifetime time.Duration // default 12 h
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
	// Files are the data files Run keeps owner-only (the database).
	Files []string
	Log   *slog.Logger
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

	sessionCookie, loginCookie string

	ingestSlots chan struct{}

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
	if cfg.MaxIngestPerAddress <= 0 {
		cfg.MaxIngestPerAddress = DefaultMaxIngestPerAddress
	}
	prefix := ""
	if cfg.SecureCookies {
		prefix = "__Host-"
	}
	h := &Hub{cfg: cfg, st: st, data: data, log: cfg.Log.With("component", "hub"),
		limiter:       webkit.NewLimiter(cfg.Now),
		bufs:          sync.Pool{New: func() any { return new(bytes.Buffer) }},
		sessionCookie: prefix + "tend_hub_session", loginCookie: prefix + "tend_hub_login",
		refused: map[string]int{}, posting: map[string]int{}, ingestSlots: make(chan struct{}, cfg.MaxIngest)}
	var err error
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
	forms.POST("/login", h.login)

	// The provider's tools: an API token.
	api := forms.Group("/", h.requireToken)
	api.GET("/api/sites", h.apiSites)
	api.GET("/api/sites.csv", h.apiSitesCSV)
	api.GET("/api/sites/:name", h.apiSite)
	api.GET("/api/sites/:name/summaries", h.apiSummaries)
	api.GET("/api/sites/:name/history", h.apiHistory)
	api.GET("/api/sites/:name/devices.csv", h.apiDevicesCSV)
	api.GET("/api/sites/:name/summaries.csv", h.apiSummariesCSV)
	api.GET("/metrics", h.metrics)

	// People: a session, and a CSRF token on every POST.
	ui := forms.Group("/", h.requireSession, h.requireCSRF, h.requireRole)
	ui.GET("/", func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/sites") })
	ui.GET("/sites", h.sitesPage)
	ui.GET("/sites/:name", h.sitePage)
	ui.GET("/forecast", h.forecastPage)
	ui.GET("/sites/:name/report", h.reportPage)
	ui.GET("/sites/:name/report.pdf", h.reportPDF)
	ui.POST("/sites", h.addSite)
	ui.POST("/tokens", h.addToken)
	ui.POST("/logout", h.logout)
	return r
}

// Tokens, sessions and CSRF.

func (h *Hub) session(c *gin.Context) (storage.Session, bool) {
	v, ok := c.Get(hubCtxSession)
	if !ok {
		return storage.Session{}, false
	}
	s, ok := v.(storage.Session)
	return s, ok
}

func (h *Hub) lookupSession(r *http.Request) (storage.Session, bool, error) {
	ck, err := r.Cookie(h.sessionCookie)
	if err != nil || !webkit.ValidToken(ck.Value) {
		return storage.Session{}, false, nil
	}
	sess, err := h.st.Session(webkit.HashToken(ck.Value))
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Session{}, false, nil
	}
	if err != nil {
		return storage.Session{}, false, err
	}
	if !h.cfg.Now().Before(sess.Expires) {
		return storage.Session{}, false, nil
	}
	return sess, true, nil
}

func (h *Hub) requireSession(c *gin.Context) {
	sess, ok, err := h.lookupSession(c.Request)
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not check your session.", err)
		return
	}
	if !ok {
		if wantsJSON(c.Request) {
			h.writeJSON(c, http.StatusUnauthorized, map[string]string{"error": "authentication required"})
			c.Abort()
			return
		}
		c.Redirect(http.StatusSeeOther, "/login")
		c.Abort()
		return
	}
	c.Set(hubCtxSession, sess)
	c.Next()
}

func (h *Hub) requireCSRF(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	sess, _ := h.session(c)
	if !webkit.TokensEqual(webkit.CSRFToken(c), sess.CSRF) {
		h.fail(c, http.StatusForbidden, "The form had no valid security token. Reload the page and try again.", nil)
		return
	}
	c.Next()
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

func (h *Hub) setCookie(c *gin.Context, name, value string, maxAge int) {
	webkit.SetCookie(c, name, value, maxAge, h.cfg.SecureCookies)
}

// Sign-in.

func (h *Hub) loginPage(c *gin.Context) {
	if _, ok, _ := h.lookupSession(c.Request); ok {
		c.Redirect(http.StatusSeeOther, "/sites")
		return
	}
	h.renderLogin(c, http.StatusOK, "", "")
}

func (h *Hub) renderLogin(c *gin.Context, status int, username, message string) {
	token := webkit.LoginToken(c, h.loginCookie, h.cfg.SecureCookies)
	h.shell.RenderLogin(c, status, webkit.LoginView{Layout: hubLayout{AppName: h.cfg.Title, Home: "/sites"}, LoginCSRF: token, Username: username, Message: message})
}

func (h *Hub) login(c *gin.Context) {
	if !webkit.LoginTokenOK(c, h.loginCookie) {
		h.renderLogin(c, http.StatusForbidden, "", "The sign-in form expired. Please try again.")
		return
	}
	name := strings.TrimSpace(c.PostForm("username"))
	limitName := name
	if storage.ValidateUserName(name) != nil {
		limitName = "" // one bucket for names that cannot exist
	}
	var u storage.User
	v, err := h.limiter.CheckPassword(webkit.ClientKey(c.RemoteIP()), limitName, c.PostForm("password"),
		func() (string, error) {
			var err error
			if u, err = h.st.User(name); errors.Is(err, storage.ErrNotFound) {
				return "", nil
			}
			return u.PasswordHash, err
		})
	if err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not check your password.", err)
		return
	}
	if !v.OK {
		status, msg := http.StatusUnauthorized, "Wrong user name or password."
		if v.Wait > 0 {
			msg = webkit.LockedMessage(v.Wait)
		}
		if v.Refused {
			status = http.StatusTooManyRequests
		} else {
			h.log.Info("login failed", "user", u.Name, "user_known", u.Name != "", "client", c.RemoteIP(), "locked", v.Wait > 0)
		}
		h.renderLogin(c, status, name, msg)
		return
	}
	token, now := webkit.NewToken(), h.cfg.Now()
	sess := storage.Session{TokenHash: webkit.HashToken(token), User: u.Name, CSRF: webkit.NewToken(), Created: now, Expires: now.Add(h.cfg.SessionLifetime)}
	if err := h.st.PutSession(sess); err != nil {
		h.fail(c, http.StatusInternalServerError, "Could not start your session.", err)
		return
	}
	h.log.Info("login succeeded", "user", u.Name, "client", c.RemoteIP())
	h.setCookie(c, h.sessionCookie, token, int(h.cfg.SessionLifetime/time.Second))
	h.setCookie(c, h.loginCookie, "", -1)
	if wantsJSON(c.Request) {
		h.writeJSON(c, http.StatusOK, map[string]string{"user": u.Name, "csrf": sess.CSRF})
		return
	}
	c.Redirect(http.StatusSeeOther, "/sites")
}

func (h *Hub) logout(c *gin.Context) {
	sess, _ := h.session(c)
	if err := h.st.DeleteSession(sess.TokenHash); err != nil && !errors.Is(err, storage.ErrNotFound) {
		h.fail(c, http.StatusInternalServerError, "Could not end your session.", err)
		return
	}
	h.setCookie(c, h.sessionCookie, "", -1)
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
	return l
}

// The hub's own pages; the frame, sign-in and error pages, the
// stylesheet and the icon are the shell's (webkit).
//
//go:embed web/templates/*.html
var hubFiles embed.FS

func (h *Hub) parsePages() error {
	h.pages = map[string]*template.Template{}
	for _, p := range []string{"sites", "site", "forecast", "report"} {
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
