package notify

import (
	"context"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const python = "/usr/bin/python3"

// needAiosmtpd skips without Debian's python3-aiosmtpd.
func needAiosmtpd(t *testing.T) {
	t.Helper()
	if err := exec.Command(python, "-c", "import aiosmtpd").Run(); err != nil {
		t.Skip("needs python3-aiosmtpd (make deps)")
	}
}

// aiosmtpdAuth runs aiosmtpd with STARTTLS required and AUTH PLAIN
// accepting user tend with password "right", delivering into a Maildir.
const aiosmtpdAuth = `
import sys, ssl, time
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult
port, maildir, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
def auth(server, session, envelope, mechanism, data):
    return AuthResult(success=(data.login == b"tend" and data.password == b"right"), handled=False)
ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
ctx.load_cert_chain(cert, key)
c = Controller(Mailbox(maildir), hostname="127.0.0.1", port=port, authenticator=auth,
               auth_require_tls=True, require_starttls=True, tls_context=ctx)
c.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
`

// maildirMessages reads the mails aiosmtpd's Mailbox handler delivered.
func maildirMessages(t *testing.T, dir string, want int) []*mail.Message {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ents, _ := os.ReadDir(filepath.Join(dir, "new"))
		if len(ents) >= want || time.Now().After(deadline) {
			var out []*mail.Message
			for _, e := range ents {
				f, err := os.Open(filepath.Join(dir, "new", e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				m, err := mail.ReadMessage(f)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, m)
			}
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestMailPlainRelay(t *testing.T) {
	needAiosmtpd(t)
	port := freePort(t)
	maildir := filepath.Join(t.TempDir(), "Maildir")
	startDaemon(t, python, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:"+strconv.Itoa(port), "-c", "aiosmtpd.handlers.Mailbox", maildir)
	waitPort(t, port)
	e, err := ParseURL("smtp://127.0.0.1:"+strconv.Itoa(port)+"/?tls=none&from=tend@box.example&to=desk@msp.example,noc@msp.example", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := sample()
	if _, err := e.Outlet.Send(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	msgs := maildirMessages(t, maildir, 1)
	if len(msgs) != 1 {
		t.Fatalf("%d mails delivered, want 1", len(msgs))
	}
	got := msgs[0]
	if s := got.Header.Get("Subject"); !strings.Contains(s, "SNMP answers a default community") || !strings.Contains(s, "triggered") {
		t.Errorf("subject %q", s)
	}
	if to := got.Header.Get("To"); to != "desk@msp.example, noc@msp.example" {
		t.Errorf("To %q", to)
	}
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") {
		t.Errorf("Content-Type %q", ct)
	}
	b := new(strings.Builder)
	buf := make([]byte, 1<<16)
	n, _ := got.Body.Read(buf)
	b.Write(buf[:n])
	for _, want := range []string{"text/plain", "text/html", "sw1", "Change the community."} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("body lacks %q", want)
		}
	}
	// STARTTLS is the default: a relay that does not offer it is refused.
	e2, _ := ParseURL("smtp://127.0.0.1:"+strconv.Itoa(port)+"/?from=tend@box.example&to=desk@msp.example", ParseOptions{})
	if _, err := e2.Outlet.Send(context.Background(), &m); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("no STARTTLS offered: %v", err)
	}
}

func TestMailStartTLSAuth(t *testing.T) {
	needAiosmtpd(t)
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	port := freePort(t)
	maildir := filepath.Join(t.TempDir(), "Maildir")
	startDaemon(t, python, "-c", aiosmtpdAuth, strconv.Itoa(port), maildir, cert, key)
	waitPort(t, port)
	os.WriteFile(filepath.Join(dir, "right"), []byte("right\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "wrong"), []byte("wrong\n"), 0o600)
	base := "smtp://tend@127.0.0.1:" + strconv.Itoa(port) + "/?from=tend@box.example&to=desk@msp.example&ca_file=" + cert + "&password_file="

	bad, err := ParseURL(base+filepath.Join(dir, "wrong"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := sample()
	st := time.Now()
	_, err = bad.Outlet.Send(context.Background(), &m)
	t.Log("wrong password answered after", time.Since(st), err)
	if err == nil || !strings.Contains(err.Error(), "authenticate as tend") {
		t.Fatalf("wrong password: %v", err)
	}
	if strings.Contains(err.Error(), "wrong") && !strings.Contains(err.Error(), "authenticate") {
		t.Errorf("error quotes the password: %v", err)
	}
	good, err := ParseURL(base+filepath.Join(dir, "right"), ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := good.Outlet.Send(context.Background(), &m); err != nil {
		t.Fatal(err)
	}
	if n := len(maildirMessages(t, maildir, 1)); n != 1 {
		t.Fatalf("%d mails delivered, want 1", n)
	}
}

func TestMailImplicitTLSDigest(t *testing.T) {
	needAiosmtpd(t)
	dir := t.TempDir()
	cert, key := selfSigned(t, dir)
	port := freePort(t)
	maildir := filepath.Join(t.TempDir(), "Maildir")
	startDaemon(t, python, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:"+strconv.Itoa(port), "--smtpscert", cert, "--smtpskey", key,
		"-c", "aiosmtpd.handlers.Mailbox", maildir)
	waitPort(t, port)
	e, err := ParseURL("smtps://127.0.0.1:"+strconv.Itoa(port)+"/?from=tend@box.example&to=desk@msp.example&digest=daily&ca_file="+cert, ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, b := sample(), sample()
	b.Status = StatusCleared
	if _, err := e.Outlet.(*Mail).SendDigest(context.Background(), []Message{a, b}, "Acme HQ", a.Time); err != nil {
		t.Fatal(err)
	}
	msgs := maildirMessages(t, maildir, 1)
	if len(msgs) != 1 || !strings.Contains(msgs[0].Header.Get("Subject"), "daily digest") {
		t.Fatalf("digest: %d mails", len(msgs))
	}
}
