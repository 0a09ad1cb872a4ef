package webkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// Layout is what the shell's page frame (templates/layout.html) needs;
// every page view of both UIs embeds it. It is never part of a JSON answer.
type Layout struct {
	AppName string // the client site's name on a box, the hub's title at the hub
	Home    string // where the brand leads
	Title   string
	Nav     string // the active navigation entry
	User    string // the signed-in user; empty shows no navigation
	CSRF    string // the session's token, for the header's POST forms
	Role    string // the user's role or the API token's scope
	CanScan bool   // the box's "Scan now" button
	Banner  string // a recent database repair: what was lost
}

// ErrorView is the error page; as JSON it is {"error": message}.
type ErrorView struct {
	Layout  `json:"-"`
	Status  int    `json:"-"`
	Message string `json:"error"`
	BackURL string `json:"-"` // where a signed-in user goes on
	Back    string `json:"-"` // that link's words
}

// ShellConfig is what a UI tells its shell.
type ShellConfig struct {
	CSP          string // the Content-Security-Policy of every answer
	PanicMessage string // shown on the 500 page after a handler panicked
	// BackURL and Back are the error page's way on for a signed-in user:
	// "/devices", "Back to the device list".
	BackURL, Back string
	Now           func() time.Time
	// LayoutFor fills the page frame for the request (its session, if any).
	LayoutFor func(c *gin.Context, title, nav string) Layout
	// Funcs are the UI's template functions; "asset", "ago", "when",
	// "date" and "healthClass" are the shell's.
	Funcs template.FuncMap
	// Nav is the UI's template file (in UI) that defines "nav", the main
	// navigation, and may define "account", more of the account corner.
	UI  fs.FS
	Nav string
	Log *slog.Logger
}

// Shell is the web shell both UIs stand on: the page frame, the sign-in
// and error pages, hashed assets, render-or-JSON, the error answer, the
// common middleware, sessions and sign-in (session.go, signin.go).
type Shell struct {
	cfg     ShellConfig
	log     *slog.Logger
	assets  *Assets
	origins *http.CrossOriginProtection
	bufs    sync.Pool
	funcs   template.FuncMap

	errorPage, loginPage *template.Template
}

// NewShell parses the shell's pages with the UI's navigation and hashes
// the assets, so a broken template fails start-up, not a page view.
func NewShell(cfg ShellConfig) (*Shell, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.LayoutFor == nil || cfg.UI == nil {
		return nil, errors.New("webkit: new shell: LayoutFor and UI are required")
	}
	s := &Shell{cfg: cfg, log: cfg.Log, origins: http.NewCrossOriginProtection(),
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	var err error
	if s.assets, err = LoadAssets(); err != nil {
		return nil, err
	}
	s.funcs = template.FuncMap{
		"asset":       s.assets.URL,
		"ago":         s.Ago,
		"when":        When,
		"date":        func(t time.Time) string { return orDash(t, "2006-01-02") },
		"healthClass": func(score int) string { return "health-" + HealthLevel(score) },
	}
	maps.Copy(s.funcs, cfg.Funcs)
	if s.errorPage, err = s.parse(files, "templates/error.html"); err != nil {
		return nil, err
	}
	if s.loginPage, err = s.parse(files, "templates/login.html"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Shell) parse(page fs.FS, file ...string) (*template.Template, error) {
	t, err := template.New("layout").Funcs(s.funcs).ParseFS(files, "templates/layout.html")
	if err == nil {
		t, err = t.ParseFS(s.cfg.UI, s.cfg.Nav)
	}
	if err == nil {
		t, err = t.ParseFS(page, file...)
	}
	if err != nil {
		return nil, fmt.Errorf("webkit: parse template %s: %w", file, err)
	}
	return t, nil
}

// Page parses one of the UI's pages (its files in the UI's file system:
// partials it shares, then the page) into the frame: one template set per
// page, so pages cannot clash over block names.
func (s *Shell) Page(file ...string) (*template.Template, error) { return s.parse(s.cfg.UI, file...) }

// Static answers GET /static/:file from the shell's hashed assets.
func (s *Shell) Static() gin.HandlerFunc {
	return s.assets.Serve(func(c *gin.Context) { s.Fail(c, http.StatusNotFound, "There is no such file.", nil) })
}

// Engine is a gin engine with the shell's rules: the client address is the
// socket's (the sign-in limiter keys on it; X-Forwarded-For is ignored),
// panics become a logged 500, the strict headers on every answer,
// cross-site unsafe requests refused, and the error page for unknown
// addresses and methods, plus GET /healthz and /static/:file.
func (s *Shell) Engine() *gin.Engine {
	// Release mode keeps gin from printing its route table to stdout; the
	// setting is gin's own (atomic) global.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ForwardedByClientIP = false
	_ = r.SetTrustedProxies(nil) // cannot fail for nil
	r.HandleMethodNotAllowed = true
	r.Use(s.recoverPanics, SecurityHeaders(s.cfg.CSP), s.sameOrigin)
	r.NoRoute(func(c *gin.Context) { s.Fail(c, http.StatusNotFound, "There is no page at this address.", nil) })
	r.NoMethod(func(c *gin.Context) {
		s.Fail(c, http.StatusMethodNotAllowed, "This address does not accept that request method.", nil)
	})
	// healthz tells a supervisor the process serves HTTP; it needs no
	// session and reveals nothing.
	r.GET("/healthz", func(c *gin.Context) { c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte("ok")) })
	r.GET("/static/:file", s.Static())
	return r
}

// sameOrigin refuses cross-site unsafe requests by Sec-Fetch-Site and
// Origin (net/http's CrossOriginProtection), a second wall behind the CSRF
// tokens.
func (s *Shell) sameOrigin(c *gin.Context) {
	if err := s.origins.Check(c.Request); err != nil {
		s.Fail(c, http.StatusForbidden, "Cross-site request refused.", err)
		return
	}
	c.Next()
}

// recoverPanics turns a handler panic into a logged 500 instead of a
// dropped connection.
func (s *Shell) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			err := fmt.Errorf("panic: %v", r)
			if c.Writer.Written() {
				s.log.Error("handler panicked after writing", "path", c.Request.URL.Path, "err", err)
				c.Abort()
				return
			}
			s.Fail(c, http.StatusInternalServerError, s.cfg.PanicMessage, err)
		}
	}()
	c.Next()
}

// WantsJSON reports whether the client asked for JSON, the scripting face
// of every page.
func WantsJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == "application/json" {
			return true
		}
	}
	return false
}

// Render answers with the page, or with body as JSON when the client asked
// for JSON. HTML is rendered into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *Shell) Render(c *gin.Context, status int, page *template.Template, view, body any) {
	if WantsJSON(c.Request) {
		s.WriteJSON(c, status, body)
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

// WriteJSON answers with body as JSON.
func (s *Shell) WriteJSON(c *gin.Context, status int, body any) {
	b, err := json.Marshal(body)
	if err != nil {
		s.log.Error("encode json failed", "path", c.Request.URL.Path, "err", err)
		c.Data(http.StatusInternalServerError, "application/json; charset=utf-8", []byte(`{"error":"internal error"}`))
		c.Abort()
		return
	}
	c.Data(status, "application/json; charset=utf-8", append(b, '\n'))
}

// Fail is the one place a request ends in an error: it logs (server faults
// at error level with err, refusals at debug) and answers with the error
// page or JSON, then stops the handler chain. message is shown to the
// user, so it must not carry internals; err is only logged.
func (s *Shell) Fail(c *gin.Context, status int, message string, err error) {
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "status", status}
	switch {
	case status >= 500:
		s.log.Error("request failed", append(attrs, "err", err)...)
	case err != nil:
		s.log.Debug("request refused", append(attrs, "err", err)...)
	default:
		s.log.Debug("request refused", attrs...)
	}
	v := ErrorView{Layout: s.cfg.LayoutFor(c, http.StatusText(status), ""), Status: status, Message: message,
		BackURL: s.cfg.BackURL, Back: s.cfg.Back}
	s.Render(c, status, s.errorPage, v, v)
	c.Abort()
}

// Ago renders how long ago t was, coarsely: engineers want "3 min ago",
// not seconds.
func (s *Shell) Ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := s.cfg.Now().Sub(t)
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

// When is a moment as both UIs show it, "—" for none.
func When(t time.Time) string { return orDash(t, "2006-01-02 15:04:05 MST") }

func orDash(t time.Time, layout string) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format(layout)
}

// AssetURL is the content-hashed URL of one of the shell's assets.
func (s *Shell) AssetURL(name string) (string, error) { return s.assets.URL(name) }
