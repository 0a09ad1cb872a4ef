package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"sync"
	"time"

	"tend/inventory"
)

// TLS modes of the mail outlet.
const (
	SMTPStartTLS = "starttls" // RFC 3207: plain connection upgraded; refused if the server does not offer it
	SMTPImplicit = "implicit" // RFC 8314: TLS from the first byte (port 465)
	SMTPNone     = "none"     // no TLS: only for a relay on the box's own network
)

// Mail sends each message as a multipart/alternative mail (plain text and
// HTML) over SMTP.
type Mail struct {
	Addr     string // host:port
	Host     string // for the TLS server name and PLAIN auth
	TLSMode  string
	TLS      *tls.Config
	Username string
	Password inventory.Secret
	From     string
	To       []string
	// Digest "daily" marks an outlet whose messages a person wants once a
	// day; the dispatcher batches them (see Batcher).
	Digest string
	// Timeout bounds one delivery; zero: 30 s.
	Timeout time.Duration
}

func parseSMTP(u *url.URL, q url.Values, bad func(string, string, ...any) error, secret func(string, bool) (inventory.Secret, error), read func(string) ([]byte, error)) (*Mail, error) {
	if u.Hostname() == "" {
		return nil, bad("host", "missing")
	}
	m := &Mail{Host: u.Hostname(), TLSMode: SMTPStartTLS}
	port := "587" // RFC 6409 submission
	if u.Scheme == "smtps" {
		m.TLSMode, port = SMTPImplicit, "465"
	}
	if t := q.Get("tls"); t != "" {
		if t != SMTPStartTLS && t != SMTPImplicit && t != SMTPNone {
			return nil, bad("tls", "%q is not starttls, implicit or none", t)
		}
		m.TLSMode = t
	}
	m.Addr = net.JoinHostPort(u.Hostname(), cmpOr(u.Port(), port))
	from, err := mail.ParseAddress(q.Get("from"))
	if err != nil {
		return nil, bad("from", "%q is not a mail address: %v", q.Get("from"), err)
	}
	m.From = from.Address
	for _, v := range q["to"] {
		for a := range strings.SplitSeq(v, ",") {
			addr, err := mail.ParseAddress(strings.TrimSpace(a))
			if err != nil {
				return nil, bad("to", "%q is not a mail address: %v", a, err)
			}
			m.To = append(m.To, addr.Address)
		}
	}
	if len(m.To) == 0 {
		return nil, bad("to", "required: at least one recipient")
	}
	if d := q.Get("digest"); d != "" && d != "daily" {
		return nil, bad("digest", "%q: the only digest is daily", d)
	}
	m.Digest = q.Get("digest")
	if u.User != nil {
		m.Username = u.User.Username()
		if m.Password, err = secret("password_file", true); err != nil {
			return nil, err
		}
	} else if q.Get("password_file") != "" {
		return nil, bad("password_file", "a password needs a user name: smtp://USER@host/…")
	}
	if m.TLSMode != SMTPNone {
		if m.TLS, err = tlsConfig(m.Host, q.Get("ca_file"), read, func(f string, a ...any) error { return bad("ca_file", f, a...) }); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Send delivers m as one mail.
func (o *Mail) Send(ctx context.Context, m *Message) (string, error) {
	return o.deliver(ctx, m.Subject(), m.Text(), htmlBody([]Message{*m}), m.ID)
}

// SendDigest delivers several messages as one mail.
func (o *Mail) SendDigest(ctx context.Context, ms []Message, site string, now time.Time) (string, error) {
	var b strings.Builder
	for i := range ms {
		b.WriteString(ms[i].Text())
		b.WriteString("\n----\n\n")
	}
	subj := fmt.Sprintf("[%s] tend daily digest %s: %d change(s)", cmpOr(site, "tend"), now.Format(time.DateOnly), len(ms))
	return o.deliver(ctx, subj, b.String(), htmlBody(ms), fmt.Sprintf("digest-%d", now.UnixNano()))
}

// mailHTML is parsed on first use: a process that sends no mail (tend
// replay, tend scan) does not pay for it at start-up.
var mailHTML = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("mail").Parse(mailHTMLText))
})

const mailHTMLText = `<!doctype html><html><body style="font-family:sans-serif">
{{range .}}<h2>{{.Title}}</h2>
<table><tr><th align=left>Status</th><td>{{.Status}}</td></tr><tr><th align=left>Severity</th><td>{{.Severity}}</td></tr>
<tr><th align=left>Site</th><td>{{.Site}}</td></tr><tr><th align=left>Problem</th><td>{{.Key}} ({{.Rule}})</td></tr></table>
{{if .Action}}<p><b>Action:</b> {{.Action}}</p>{{end}}
{{if .Devices}}<p>Devices ({{.Count}}):</p><ul>{{range .Devices}}<li>{{.Name}} {{.IP}} {{.Key}}</li>{{end}}</ul>{{end}}
{{if .Evidence}}<p>Evidence:</p><ul>{{range .Evidence}}<li>{{.Source}}: {{.Detail}}</li>{{end}}</ul>{{end}}
{{if .Link}}<p><a href="{{.Link}}">Open in tend</a></p>{{end}}<hr>{{end}}
</body></html>`

func htmlBody(ms []Message) string {
	var b bytes.Buffer
	if err := mailHTML().Execute(&b, ms); err != nil {
		return ""
	}
	return b.String()
}

// compose builds the RFC 5322 message: multipart/alternative, text first.
func (o *Mail) compose(subject, text, html, id string) ([]byte, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, part := range []struct{ typ, s string }{{"text/plain; charset=utf-8", text}, {"text/html; charset=utf-8", html}} {
		pw, err := w.CreatePart(textproto.MIMEHeader{"Content-Type": {part.typ}, "Content-Transfer-Encoding": {"8bit"}})
		if err != nil {
			return nil, err
		}
		pw.Write([]byte(strings.ReplaceAll(part.s, "\n", "\r\n")))
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	var msg bytes.Buffer
	fmt.Fprintf(&msg, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s.%s@tend>\r\nX-Tend-Message: %s\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=%q\r\n\r\n",
		o.From, strings.Join(o.To, ", "), mime.QEncoding.Encode("utf-8", subject), time.Now().Format(time.RFC1123Z),
		hex.EncodeToString(rnd[:]), sanitizeID(id), sanitizeID(id), w.Boundary())
	msg.Write(body.Bytes())
	return msg.Bytes(), nil
}

func sanitizeID(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '-'
	}, s)
}

// deliver runs one SMTP session.
func (o *Mail) deliver(ctx context.Context, subject, text, html, id string) (string, error) {
	raw, err := o.compose(subject, text, html, id)
	if err != nil {
		return "", fmt.Errorf("smtp: compose: %w", err)
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", o.Addr)
	if err != nil {
		return "", fmt.Errorf("smtp: connect %s: %w", o.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	if o.TLSMode == SMTPImplicit {
		tc := tls.Client(conn, o.TLS)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return "", fmt.Errorf("smtp: tls handshake with %s: %w", o.Addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, o.Host)
	if err != nil {
		conn.Close()
		return "", fmt.Errorf("smtp: greeting from %s: %w", o.Addr, err)
	}
	defer c.Close()
	if err := c.Hello("tend"); err != nil {
		return "", fmt.Errorf("smtp: EHLO: %w", err)
	}
	if o.TLSMode == SMTPStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return "", fmt.Errorf("smtp: %s does not offer STARTTLS (set tls=implicit, or tls=none for a local relay)", o.Addr)
		}
		if err := c.StartTLS(o.TLS); err != nil {
			return "", fmt.Errorf("smtp: STARTTLS: %w", err)
		}
	}
	if o.Username != "" {
		if err := o.auth(c); err != nil {
			return "", err
		}
	}
	if err := c.Mail(o.From); err != nil {
		return "", fmt.Errorf("smtp: MAIL FROM: %w", err)
	}
	for _, to := range o.To {
		if err := c.Rcpt(to); err != nil {
			return "", fmt.Errorf("smtp: RCPT TO %s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return "", fmt.Errorf("smtp: DATA: %w", err)
	}
	if _, err := w.Write(raw); err != nil {
		return "", fmt.Errorf("smtp: send data: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("smtp: end of data: %w", err)
	}
	if err := c.Quit(); err != nil {
		return "", fmt.Errorf("smtp: QUIT: %w", err)
	}
	return fmt.Sprintf("accepted by %s for %d recipient(s)", o.Addr, len(o.To)), nil
}

// auth runs AUTH PLAIN (RFC 4616) with the initial response, so a refusal
// comes back as the server's own answer (535 …) for the UI. The password
// goes only over TLS or to a loopback relay.
func (o *Mail) auth(c *smtp.Client) error {
	if o.TLSMode == SMTPNone {
		if ip := net.ParseIP(o.Host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("smtp: refusing to send the password for %s without TLS (tls=none)", o.Username)
		}
	}
	if ok, mechs := c.Extension("AUTH"); !ok || !strings.Contains(" "+strings.ToUpper(mechs)+" ", " PLAIN ") {
		return fmt.Errorf("smtp: %s does not offer AUTH PLAIN (offers %q)", o.Addr, mechs)
	}
	ir := base64.StdEncoding.EncodeToString([]byte("\x00" + o.Username + "\x00" + o.Password.Reveal()))
	id, err := c.Text.Cmd("AUTH PLAIN %s", ir)
	if err != nil {
		return fmt.Errorf("smtp: authenticate as %s: %w", o.Username, err)
	}
	c.Text.StartResponse(id)
	defer c.Text.EndResponse(id)
	if _, _, err := c.Text.ReadResponse(235); err != nil {
		return fmt.Errorf("smtp: authenticate as %s: refused: %w", o.Username, err)
	}
	return nil
}
