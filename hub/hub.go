package hub

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/netip"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"tend/storage"
	"tend/upstream"
	"tend/webkit"
)

// The fleet UI follows the box's web UI (package webui, which hub may
// not import): the same stylesheet, the same session, CSRF, CSP and login
// throttling rules, copied here.

//go:embed web/templates/*.html web/static/*
var hubFiles embed.FS

const (
	hubCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
	hubMaxFormBytes = 64 << 10
	hubTokenBytes   = 32
	hubCtxSession   = "hub.session"
	hubCtxToken     = "hub.token"
	// hubDummyHash makes unknown user names cost a bcrypt check too.
	hubDummyHash = "$2a$12$N9VCIEeSlR7iQfBmnC9ApuF6O0WT7jjFcP.c.Qwr1H93p.9rbmVLi"
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

	pages   map[string]*template.Template
	assets  map[string]hubAsset
	limiter *webkit.Limiter
	origins *http.CrossOriginProtection
	bufs    sync.Pool

	sessionCookie, loginCookie string

	ingestSlots chan struct{}
	notifier    *Notifier // nil: no outlets (see SetNotifier)

	mu       sync.Mutex
	accepted int
	refused  map[string]int // reason → count
	posting  map[string]int // client address → summaries being read
}

type hubAsset struct {
	body              []byte
	hash, contentType string
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
		limiter: webkit.NewLimiter(cfg.Now), origins: http.NewCrossOriginProtection(),
		bufs:          sync.Pool{New: func() any { return new(bytes.Buffer) }},
		sessionCookie: prefix + "tend_hub_session", loginCookie: prefix + "tend_hub_login",
		refused: map[string]int{}, posting: map[string]int{}, ingestSlots: make(chan struct{}, cfg.MaxIngest)}
	if err := h.loadAssets(); err != nil {
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ForwardedByClientIP = false
	_ = r.SetTrustedProxies(nil)
	r.HandleMethodNotAllowed = true
	r.Use(h.recoverPanics, webkit.SecurityHeaders(hubCSP), h.sameOrigin)
	r.NoRoute(func(c *gin.Context) { h.fail(c, http.StatusNotFound, "There is no page at this address.", nil) })
	r.NoMethod(func(c *gin.Context) {
		h.fail(c, http.StatusMethodNotAllowed, "This address does not accept that request method.", nil)
	})

	// Boxes: authenticated by the signature, not a session.
	r.POST(upstream.SummaryPath, h.ingest)

	forms := r.Group("/", webkit.LimitBody(hubMaxFormBytes))
	forms.GET("/healthz", func(c *gin.Context) { c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok")) })
	forms.GET("/static/:file", h.static)
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
	ui.GET("/outlets", h.outletsPage)
	ui.POST("/outlets", h.addOutlet)
	ui.POST("/outlets/:id/test", h.testOutlet)
	ui.POST("/outlets/:id/delete", h.removeOutlet)
	ui.POST("/logout", h.logout)
	return r
}

// Middleware, as on the box.

func (h *Hub) sameOrigin(c *gin.Context) {
	if err := h.origins.Check(c.Request); err != nil {
		h.fail(c, http.StatusForbidden, "Cross-site request refused.", err)
		return
	}
	c.Next()
}

func (h *Hub) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			err := fmt.Errorf("panic: %v", r)
			if c.Writer.Written() {
				h.log.Error("handler panicked after writing", "path", c.Request.URL.Path, "err", err)
				c.Abort()
				return
			}
			h.fail(c, http.StatusInternalServerError, "Something went wrong on the hub. The error has been logged.", err)
		}
	}()
	c.Next()
}

// Tokens, sessions and CSRF.

func newHubToken() string {
	b := make([]byte, hubTokenBytes)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func validHubToken(v string) bool {
	if len(v) != base64.RawURLEncoding.EncodedLen(hubTokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

func sessionHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func tokensEqual(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

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
	if err != nil || !validHubToken(ck.Value) {
		return storage.Session{}, false, nil
	}
	sess, err := h.st.Session(sessionHash(ck.Value))
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
	token := c.GetHeader("X-CSRF-Token")
	if token == "" {
		token = c.PostForm("csrf")
	}
	if !tokensEqual(token, sess.CSRF) {
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
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: h.cfg.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// Sign-in.

type hubLoginView struct {
	hubLayout
	LoginCSRF, Username, Message string
}

func (h *Hub) loginPage(c *gin.Context) {
	if _, ok, _ := h.lookupSession(c.Request); ok {
		c.Redirect(http.StatusSeeOther, "/sites")
		return
	}
	h.renderLogin(c, http.StatusOK, "", "")
}

func (h *Hub) renderLogin(c *gin.Context, status int, username, message string) {
	token := ""
	if ck, err := c.Request.Cookie(h.loginCookie); err == nil && validHubToken(ck.Value) {
		token = ck.Value
	} else {
		token = newHubToken()
		h.setCookie(c, h.loginCookie, token, 0)
	}
	view := hubLoginView{hubLayout: hubLayout{Title: "Sign in", AppName: h.cfg.Title}, LoginCSRF: token, Username: username, Message: message}
	h.render(c, status, "login", view, map[string]string{"csrf": token, "error": message})
}

func (h *Hub) login(c *gin.Context) {
	ck, err := c.Request.Cookie(h.loginCookie)
	if err != nil || !validHubToken(ck.Value) || !tokensEqual(c.PostForm("csrf"), ck.Value) {
		h.renderLogin(c, http.StatusForbidden, "", "The sign-in form expired. Please try again.")
		return
	}
	username := strings.TrimSpace(c.PostForm("username"))
	password := c.PostForm("password")
	ipKey, userKey := "ip:"+clientKey(c.RemoteIP()), "user:"+username
	if storage.ValidateUserName(username) != nil {
		userKey = "user:"
	}
	if wait := h.limiter.Locked(ipKey, userKey); wait > 0 {
		h.renderLogin(c, http.StatusTooManyRequests, username, lockedMessage(wait))
		return
	}
	u, err := h.st.User(username)
	hash := u.PasswordHash
	switch {
	case errors.Is(err, storage.ErrNotFound):
		hash = hubDummyHash
	case err != nil:
		h.fail(c, http.StatusInternalServerError, "Could not check your password.", err)
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || u.Name == "" {
		wait := h.limiter.Fail(ipKey, userKey)
		h.log.Info("login failed", "user", u.Name, "user_known", u.Name != "", "client", c.RemoteIP(), "locked", wait > 0)
		msg := "Wrong user name or password."
		if wait > 0 {
			msg = lockedMessage(wait)
		}
		h.renderLogin(c, http.StatusUnauthorized, username, msg)
		return
	}
	h.limiter.Reset(ipKey, userKey)
	token, now := newHubToken(), h.cfg.Now()
	sess := storage.Session{TokenHash: sessionHash(token), User: u.Name, CSRF: newHubToken(), Created: now, Expires: now.Add(h.cfg.SessionLifetime)}
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

func clientKey(remote string) string {
	a, err := netip.ParseAddr(remote)
	if err != nil {
		return remote
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

func lockedMessage(wait time.Duration) string {
	return fmt.Sprintf("Too many failed sign-in attempts. upstream.Sign-in is locked; try again in %d seconds.", int((wait+time.Second-1)/time.Second))
}

// Rendering.

// hubLayout is what the page frame needs.
type hubLayout struct {
	AppName, Title, Nav, User, CSRF string
}

func (h *Hub) layoutFor(c *gin.Context, title, nav string) hubLayout {
	l := hubLayout{AppName: h.cfg.Title, Title: title, Nav: nav}
	if s, ok := h.session(c); ok {
		l.User, l.CSRF = s.User, s.CSRF
	}
	return l
}

func (h *Hub) loadAssets() error {
	files, err := fs.Glob(hubFiles, "web/static/*")
	if err != nil {
		return err
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
	h.assets = map[string]hubAsset{}
	for _, f := range files {
		b, err := hubFiles.ReadFile(f)
		if err != nil {
			return err
		}
		ct, ok := types[path.Ext(f)]
		if !ok {
			return fmt.Errorf("upstream: asset %s: unknown content type", f)
		}
		sum := sha256.Sum256(b)
		h.assets[path.Base(f)] = hubAsset{body: b, hash: hex.EncodeToString(sum[:8]), contentType: ct}
	}
	return nil
}

func (h *Hub) static(c *gin.Context) {
	a, ok := h.assets[c.Param("file")]
	if !ok {
		h.fail(c, http.StatusNotFound, "There is no such file.", nil)
		return
	}
	if c.Query("v") == a.hash {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	c.Data(http.StatusOK, a.contentType, a.body)
}

func (h *Hub) parsePages() error {
	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			a, ok := h.assets[name]
			if !ok {
				return "", fmt.Errorf("no asset %q", name)
			}
			return "/static/" + name + "?v=" + a.hash, nil
		},
		"ago":         h.ago,
		"when":        func(t time.Time) string { return orDash(t, "2006-01-02 15:04:05 MST") },
		"date":        func(t time.Time) string { return orDash(t, "2006-01-02") },
		"healthClass": func(score int) string { return "health-" + webkit.HealthLevel(score) },
	}
	h.pages = map[string]*template.Template{}
	for _, p := range []string{"login", "error", "sites", "site", "forecast", "report", "outlets"} {
		t, err := template.New("layout").Funcs(funcs).ParseFS(hubFiles, "web/templates/layout.html", "web/templates/"+p+".html")
		if err != nil {
			return fmt.Errorf("upstream: parse template %s: %w", p, err)
		}
		h.pages[p] = t
	}
	return nil
}

func orDash(t time.Time, layout string) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format(layout)
}

func (h *Hub) ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := h.cfg.Now().Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

func wantsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == "application/json" {
			return true
		}
	}
	return false
}

func (h *Hub) render(c *gin.Context, status int, page string, view, body any) {
	if wantsJSON(c.Request) {
		h.writeJSON(c, status, body)
		return
	}
	buf := h.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer h.bufs.Put(buf)
	if err := h.pages[page].ExecuteTemplate(buf, "layout", view); err != nil {
		h.log.Error("render page failed", "page", page, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error\n"))
		c.Abort()
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

func (h *Hub) writeJSON(c *gin.Context, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		h.log.Error("encode json failed", "path", c.Request.URL.Path, "err", err)
		c.Data(http.StatusInternalServerError, "application/json; charset=utf-8", []byte(`{"error":"internal error"}`))
		c.Abort()
		return
	}
	c.Data(status, "application/json; charset=utf-8", append(b, '\n'))
}

type hubErrorView struct {
	hubLayout `json:"-"`
	Status    int    `json:"-"`
	Message   string `json:"error"`
}

// fail ends a request with an error page or JSON; message is shown, err
// only logged.
func (h *Hub) fail(c *gin.Context, status int, message string, err error) {
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", status}
	if status >= 500 {
		h.log.Error("request failed", append(attrs, "err", err)...)
	} else {
		h.log.Debug("request refused", append(attrs, "err", err)...)
	}
	v := hubErrorView{hubLayout: h.layoutFor(c, http.StatusText(status), ""), Status: status, Message: message}
	h.render(c, status, "error", v, v)
	c.Abort()
}
