package notify

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"tend/inventory"
)

// Syslog sends RFC 5424 messages over UDP (RFC 5426), TCP (RFC 6587,
// octet-counted framing) or TLS (RFC 5425).
type Syslog struct {
	Network  string // udp, tcp or tls
	Addr     string
	Facility int
	App      string
	Hostname string
	TLS      *tls.Config

	mu   sync.Mutex
	conn net.Conn // kept open for tcp and tls between messages
}

// syslogSeverity maps a problem's severity to RFC 5424's (section 6.2.1):
// critical 2, high 3 (error), medium 4 (warning), low 5 (notice), info 6;
// a cleared problem is a notice.
func syslogSeverity(m *Message) int {
	if m.Status == StatusCleared {
		return 5
	}
	switch m.Severity {
	case inventory.SeverityCritical:
		return 2
	case inventory.SeverityHigh:
		return 3
	case inventory.SeverityMedium:
		return 4
	case inventory.SeverityLow:
		return 5
	}
	return 6
}

// sdEscape escapes a structured-data parameter value (RFC 5424 6.3.3).
func sdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, `]`, `\]`).Replace(s)
}

// header field: printable US-ASCII, "-" when empty, bounded.
func field(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 33 || r > 126 {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s[:min(len(s), n)]
}

// Format renders m as one RFC 5424 line.
func (s *Syslog) Format(m *Message) string {
	host := s.Hostname
	if host == "" {
		host, _ = os.Hostname()
	}
	pri := s.Facility*8 + syslogSeverity(m)
	// Private enterprise number 32473 is the one RFC 5612 reserves for
	// documentation: tend has no number of its own.
	sd := fmt.Sprintf(`[tend@32473 status="%s" severity="%s" problem="%s" rule="%s" site="%s" devices="%d"]`,
		sdEscape(string(m.Status)), sdEscape(string(m.Severity)), sdEscape(m.Key), sdEscape(m.Rule), sdEscape(m.Site), m.Count)
	msg := fmt.Sprintf("%s %s: %s", strings.ToUpper(string(m.Status)), m.Title, m.Action)
	return fmt.Sprintf("<%d>1 %s %s %s %d %s %s %s", pri, m.Time.UTC().Format("2006-01-02T15:04:05.000000Z"), field(host, 255), field(s.App, 48),
		os.Getpid(), field(string(m.Status), 32), sd, strings.ReplaceAll(msg, "\n", " "))
}

// Send writes one line; on a stream, a broken connection is redialled once.
func (s *Syslog) Send(ctx context.Context, m *Message) (string, error) {
	line := s.Format(m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Network == "udp" {
		var d net.Dialer
		c, err := d.DialContext(ctx, "udp", s.Addr)
		if err != nil {
			return "", fmt.Errorf("syslog: dial udp %s: %w", s.Addr, err)
		}
		defer c.Close()
		if _, err := c.Write([]byte(line)); err != nil {
			return "", fmt.Errorf("syslog: send to udp %s: %w", s.Addr, err)
		}
		return "sent to udp " + s.Addr, nil
	}
	frame := []byte(fmt.Sprintf("%d %s", len(line), line))
	for attempt := 0; ; attempt++ {
		if s.conn == nil {
			c, err := s.dial(ctx)
			if err != nil {
				return "", err
			}
			s.conn = c
		}
		s.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		_, err := s.conn.Write(frame)
		if err == nil {
			return "sent to " + s.Network + " " + s.Addr, nil
		}
		s.conn.Close()
		s.conn = nil
		if attempt > 0 {
			return "", fmt.Errorf("syslog: send to %s %s: %w", s.Network, s.Addr, err)
		}
	}
}

func (s *Syslog) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	if s.Network == "tls" {
		td := tls.Dialer{NetDialer: &d, Config: s.TLS}
		c, err := td.DialContext(ctx, "tcp", s.Addr)
		if err != nil {
			return nil, fmt.Errorf("syslog: dial tls %s: %w", s.Addr, err)
		}
		return c, nil
	}
	c, err := d.DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return nil, fmt.Errorf("syslog: dial tcp %s: %w", s.Addr, err)
	}
	return c, nil
}

// Close drops the stream connection, if any.
func (s *Syslog) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn != nil {
		err := s.conn.Close()
		s.conn = nil
		return err
	}
	return nil
}
