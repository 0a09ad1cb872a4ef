package notify

import (
	"cmp"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"tend/inventory"
)

// ErrBadURL means an outlet's service URL cannot be used; the message
// names the parameter at fault.
var ErrBadURL = errors.New("notify: bad outlet URL")

// Endpoint is one configured outlet: what to send through, and the policy
// that decides which messages go.
type Endpoint struct {
	// ID is stable for one URL: it names the outlet's durable queue.
	ID string
	// Name is the URL with every secret removed, safe to show and log.
	Name   string
	Scheme string
	Policy Policy
	Outlet Outlet
}

// ParseOptions are what parsing needs from outside.
type ParseOptions struct {
	// ReadFile reads secret files (secret_file, password_file); nil: os.ReadFile.
	ReadFile func(string) ([]byte, error)
	// HTTPClient sends the HTTP outlets' requests; nil: a client with a
	// 30-second timeout.
	HTTPClient *http.Client
	// Hostname names this box in syslog lines; "": os.Hostname.
	Hostname string
}

// policyParams are the query parameters every scheme accepts.
var policyParams = []string{"min_severity", "rules", "sites", "quiet", "min_interval", "name"}

// ParseURLs parses every --notify URL given to serve or the hub, so it
// refuses to start on a bad one with a message naming the parameter (and
// never the secret); the same outlet twice is refused too.
func ParseURLs(urls []string, o ParseOptions) ([]*Endpoint, error) {
	var eps []*Endpoint
	seen := map[string]bool{}
	for i, u := range urls {
		e, err := ParseURL(u, o)
		if err != nil {
			return nil, fmt.Errorf("--notify (outlet %d): %w", i+1, err)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("--notify (outlet %d): %s is given twice", i+1, e.Name)
		}
		seen[e.ID] = true
		eps = append(eps, e)
	}
	return eps, nil
}

// ParseURL turns a service URL into an Endpoint. Schemes: webhook+http(s),
// slack+https, teams+https, smtp, smtps, syslog+udp, syslog+tcp,
// syslog+tls. Secrets never travel in the URL itself: a password in the
// user-info part is refused, secret_file and password_file name files.
func ParseURL(raw string, o ParseOptions) (*Endpoint, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: cannot parse it as a URL (check quoting and %%-escapes)", ErrBadURL)
	}
	if o.ReadFile == nil {
		o.ReadFile = os.ReadFile
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	p := &urlParser{u: u, q: u.Query(), o: o, name: redact(u)}
	if _, has := u.User.Password(); has {
		return nil, p.bad("password", "do not put a password in the URL; use password_file= or secret_file=")
	}
	pol, err := parsePolicy(p.q, p.bad)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(raw))
	e := &Endpoint{ID: hex.EncodeToString(sum[:6]), Name: cmp.Or(p.q.Get("name"), p.name), Scheme: u.Scheme, Policy: pol}
	if e.Outlet, err = p.outlet(); err != nil {
		return nil, err
	}
	return e, nil
}

// urlParser holds one service URL while ParseURL reads it: name is the
// URL without secrets, for messages.
type urlParser struct {
	u    *url.URL
	q    url.Values
	o    ParseOptions
	name string
}

// bad is an ErrBadURL naming the URL (redacted) and the parameter.
func (p *urlParser) bad(param, format string, a ...any) error {
	return fmt.Errorf("%w %s: parameter %q: %s", ErrBadURL, p.name, param, fmt.Sprintf(format, a...))
}

// secret reads the secret in the file parameter param names.
func (p *urlParser) secret(param string, required bool) (inventory.Secret, error) {
	path := p.q.Get(param)
	if path == "" {
		if required {
			return "", p.bad(param, "required: the path of a file holding the secret")
		}
		return "", nil
	}
	b, err := p.o.ReadFile(path)
	if err != nil {
		return "", p.bad(param, "cannot read the file: %v", errors.Unwrap(err))
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", p.bad(param, "the file %s is empty", path)
	}
	return inventory.Secret(s), nil
}

// known refuses a query parameter that is neither a policy one nor extra.
func (p *urlParser) known(extra ...string) error {
	for k := range p.q {
		if !slices.Contains(policyParams, k) && !slices.Contains(extra, k) {
			return p.bad(k, "unknown for %s URLs (known: %s)", p.u.Scheme, strings.Join(append(slices.Clone(policyParams), extra...), ", "))
		}
	}
	return nil
}

// httpTarget is the URL to post to: the inner scheme of "x+https", with the
// vendor's own query parameters (a Workflows URL carries its signature in
// sig=) and without ours.
func (p *urlParser) httpTarget(allowHTTP bool) (string, error) {
	if p.u.Host == "" {
		return "", p.bad("host", "missing")
	}
	t := *p.u
	_, inner, _ := strings.Cut(p.u.Scheme, "+")
	if inner != "https" && !(allowHTTP && inner == "http") {
		return "", p.bad("scheme", "%s needs https", p.u.Scheme)
	}
	t.Scheme = inner
	tq := t.Query()
	for _, k := range append(slices.Clone(policyParams), "secret_file") {
		tq.Del(k)
	}
	t.RawQuery = tq.Encode()
	return t.String(), nil
}

// outlet builds the outlet the URL's scheme names.
func (p *urlParser) outlet() (Outlet, error) {
	u, q := p.u, p.q
	switch u.Scheme {
	case "webhook+https", "webhook+http":
		if err := p.known("secret_file"); err != nil {
			return nil, err
		}
		target, err := p.httpTarget(true)
		if err != nil {
			return nil, err
		}
		sec, err := p.secret("secret_file", true)
		if err != nil {
			return nil, err
		}
		return &Webhook{URL: target, Secret: sec, Client: p.o.HTTPClient}, nil
	case "slack+file", "teams+file", "slack", "teams":
		// The webhook URL is the secret: it comes from a file
		// (slack+file:///path, or slack://?url_file=/path), never argv.
		target, err := chatURLFromFile(u, q, p.o.ReadFile, p.bad)
		return p.chat(target, err)
	case "slack+https", "slack+http", "teams+https", "teams+http":
		// Slack and Teams accept any query (Workflows URLs carry api-version,
		// sp, sv, sig): only ours are checked.
		return p.chat(p.httpTarget(u.Scheme == "slack+http" || u.Scheme == "teams+http"))
	case "smtp", "smtps":
		if err := p.known("from", "to", "password_file", "tls", "ca_file", "digest"); err != nil {
			return nil, err
		}
		return parseSMTP(u, q, p.bad, p.secret, p.o.ReadFile)
	case "syslog+udp", "syslog+tcp", "syslog+tls":
		return p.syslog()
	case "connectwise+https", "connectwise+http", "autotask+https", "autotask+http", "halopsa+https", "halopsa+http":
		vendor, _, _ := strings.Cut(u.Scheme, "+")
		if err := p.known(psaParams[vendor]...); err != nil {
			return nil, err
		}
		return parsePSA(u, q, p.o.HTTPClient, p.bad, p.secret)
	case "":
		return nil, p.bad("scheme", "missing: the URL must start with a scheme such as webhook+https://, smtp:// or syslog+udp://")
	}
	return nil, p.bad("scheme", "%q is not supported (webhook+https, slack+https, slack+file, teams+https, teams+file, smtp, smtps, syslog+udp, syslog+tcp, syslog+tls, connectwise+https, autotask+https, halopsa+https)", p.u.Scheme)
}

// psaParams are each PSA scheme's own query parameters.
var psaParams = map[string][]string{
	"connectwise": {"company_id", "public_key", "private_key_file", "client_id", "company", "board", "closed_status", "priorities", "site_companies"},
	"autotask":    {"username", "integration_code", "secret_file", "company_id", "queue_id", "complete_status", "priorities", "site_companies"},
	"halopsa":     {"client_id", "secret_file", "tenant", "company_id", "ticket_type_id", "closed_status_id", "priorities", "site_companies"},
}

// chat is the Slack or Teams outlet posting to target.
func (p *urlParser) chat(target string, err error) (Outlet, error) {
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(p.u.Scheme, "slack") {
		return &Slack{URL: target, Client: p.o.HTTPClient}, nil
	}
	return &Teams{URL: target, Client: p.o.HTTPClient}, nil
}

// syslog is the syslog outlet over UDP, TCP or TLS.
func (p *urlParser) syslog() (Outlet, error) {
	u, q := p.u, p.q
	if err := p.known("facility", "app", "ca_file"); err != nil {
		return nil, err
	}
	if u.Hostname() == "" {
		return nil, p.bad("host", "missing")
	}
	_, network, _ := strings.Cut(u.Scheme, "+")
	port := cmp.Or(u.Port(), map[string]string{"udp": "514", "tcp": "514", "tls": "6514"}[network]) // RFC 5426, 6587, 5425
	fac := 16                                                                                       // local0
	if f := q.Get("facility"); f != "" {
		n, ok := facilities[f]
		if !ok {
			return nil, p.bad("facility", "%q is not a syslog facility (kern … local7)", f)
		}
		fac = n
	}
	s := &Syslog{Network: network, Addr: net.JoinHostPort(u.Hostname(), port), Facility: fac, App: cmp.Or(q.Get("app"), "tend"), Hostname: p.o.Hostname}
	if network == "tls" {
		tc, err := tlsConfig(u.Hostname(), q.Get("ca_file"), p.o.ReadFile, func(f string, a ...any) error { return p.bad("ca_file", f, a...) })
		if err != nil {
			return nil, err
		}
		s.TLS = tc
	}
	return s, nil
}

// chatURLFromFile reads a Slack or Teams webhook URL from the file named by
// a slack+file:///path URL or by url_file=; the file holds the https URL
// (http only for a receiver on loopback, as in tests).
func chatURLFromFile(u *url.URL, q url.Values, read func(string) ([]byte, error), bad func(string, string, ...any) error) (string, error) {
	for k := range q {
		if !slices.Contains(policyParams, k) && k != "url_file" {
			return "", bad(k, "unknown for %s URLs (known: %s, url_file)", u.Scheme, strings.Join(policyParams, ", "))
		}
	}
	path := q.Get("url_file")
	if strings.HasSuffix(u.Scheme, "+file") {
		if path != "" {
			return "", bad("url_file", "give the file once: as the path of %s:///path or as url_file=", u.Scheme)
		}
		if u.Host != "" {
			return "", bad("path", "%s:///path takes an absolute path (three slashes), not a host", u.Scheme)
		}
		path = u.Path
	}
	if path == "" {
		return "", bad("url_file", "required: the path of a 0600 file holding the webhook URL")
	}
	b, err := read(path)
	if err != nil {
		return "", bad("url_file", "cannot read the file: %v", errors.Unwrap(err))
	}
	raw := strings.TrimSpace(string(b))
	t, err := url.Parse(raw)
	if err != nil || t.Host == "" {
		return "", bad("url_file", "the file %s does not hold a webhook URL", path)
	}
	loop := t.Hostname() == "localhost" || net.ParseIP(t.Hostname()).IsLoopback()
	if t.Scheme != "https" && !(t.Scheme == "http" && loop) {
		return "", bad("url_file", "the URL in %s must be https", path)
	}
	return raw, nil
}

// redact returns u without user-info passwords and with every query
// value that could be a secret (or a Workflows signature) blanked.
func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	q := c.Query()
	for k := range q {
		if k == "sig" || strings.Contains(k, "secret") || strings.Contains(k, "password") || strings.Contains(k, "token") || strings.Contains(k, "key") {
			q.Set(k, "REDACTED")
		}
	}
	c.RawQuery = q.Encode()
	// Webhook paths of Slack (/services/T…/B…/secret) are secrets themselves.
	if (c.Scheme == "slack+https" || c.Scheme == "slack+http") && len(c.Path) > 12 {
		c.Path = c.Path[:12] + "…"
		c.RawPath = ""
	}
	return c.String()
}

func tlsConfig(host, caFile string, read func(string) ([]byte, error), bad func(string, ...any) error) (*tls.Config, error) {
	tc := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	if caFile == "" {
		return tc, nil
	}
	pem, err := read(caFile)
	if err != nil {
		return nil, bad("cannot read the file: %v", errors.Unwrap(err))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, bad("no PEM certificate in %s", caFile)
	}
	tc.RootCAs = pool
	return tc, nil
}

// Policy decides which messages an outlet gets.
type Policy struct {
	// MinSeverity: problems below it are not sent; "" sends all.
	MinSeverity inventory.Severity
	// Rules, when set, limits the outlet to these rules.
	Rules []string
	// Sites, when set, limits the outlet to these sites (at the hub).
	Sites []string
	// Quiet hours (local clock, minutes after midnight): messages wait in
	// the queue until they end. QuietFrom == QuietTo: none.
	QuietFrom, QuietTo int
	// MinInterval is the least time between two updates of one problem;
	// triggered and cleared always go.
	MinInterval time.Duration
}

var severityNames = []inventory.Severity{inventory.SeverityInfo, inventory.SeverityLow, inventory.SeverityMedium, inventory.SeverityHigh, inventory.SeverityCritical}

func parsePolicy(q url.Values, bad func(string, string, ...any) error) (Policy, error) {
	var p Policy
	if s := q.Get("min_severity"); s != "" {
		if !slices.Contains(severityNames, inventory.Severity(s)) {
			return p, bad("min_severity", "%q is not one of info, low, medium, high, critical", s)
		}
		p.MinSeverity = inventory.Severity(s)
	}
	if s := q.Get("rules"); s != "" {
		for r := range strings.SplitSeq(s, ",") {
			if r = strings.TrimSpace(r); r != "" {
				p.Rules = append(p.Rules, r)
			}
		}
	}
	if s := q.Get("sites"); s != "" {
		for r := range strings.SplitSeq(s, ",") {
			if r = strings.TrimSpace(r); r != "" {
				p.Sites = append(p.Sites, r)
			}
		}
	}
	if s := q.Get("quiet"); s != "" {
		a, b, ok := strings.Cut(s, "-")
		from, err1 := clock(a)
		to, err2 := clock(b)
		if !ok || err1 != nil || err2 != nil {
			return p, bad("quiet", "%q is not HH:MM-HH:MM (such as 22:00-07:00)", s)
		}
		p.QuietFrom, p.QuietTo = from, to
	}
	if s := q.Get("min_interval"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 {
			return p, bad("min_interval", "%q is not a duration such as 30m or 4h", s)
		}
		p.MinInterval = d
	}
	return p, nil
}

func clock(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// Allows reports whether the policy lets m through (quiet hours aside).
func (p Policy) Allows(m *Message) bool {
	if m.Status == StatusTest {
		return true
	}
	if p.MinSeverity != "" && m.Severity.Rank() < p.MinSeverity.Rank() {
		return false
	}
	if len(p.Sites) > 0 && !slices.Contains(p.Sites, m.Site) {
		return false
	}
	return len(p.Rules) == 0 || slices.Contains(p.Rules, m.Rule)
}

// Quiet reports whether t falls in the quiet hours.
func (p Policy) Quiet(t time.Time) bool {
	if p.QuietFrom == p.QuietTo {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	if p.QuietFrom < p.QuietTo {
		return m >= p.QuietFrom && m < p.QuietTo
	}
	return m >= p.QuietFrom || m < p.QuietTo // across midnight
}

// facilities are RFC 5424 section 6.2.1's facility codes.
var facilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7, "uucp": 8, "cron": 9,
	"authpriv": 10, "ftp": 11, "local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}
