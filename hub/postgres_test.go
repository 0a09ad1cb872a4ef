package hub

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"tend/upstream"
)

// The package's tests share one private PostgreSQL cluster (initdb takes
// seconds); each test gets its own database in it. TestMain stops and
// removes the cluster after the last test.
var pgShared struct {
	once      sync.Once
	url, skip string
	err       error
	stop      func()
	n         atomic.Int64
}

func TestMain(m *testing.M) {
	code := m.Run()
	if pgShared.stop != nil {
		pgShared.stop()
	}
	os.Exit(code)
}

// startPostgres returns the URL of a fresh database in the package's
// private cluster, started on first use from Debian's postgresql package:
// initdb and pg_ctl as an unprivileged user (nobody, when the test runs as
// root), on a free loopback port with its socket in the cluster's own
// directory. It skips the test when the binaries are absent.
func startPostgres(t *testing.T) string {
	t.Helper()
	pgShared.once.Do(func() { pgShared.url, pgShared.stop, pgShared.skip, pgShared.err = launchPostgres() })
	if pgShared.skip != "" {
		t.Skip(pgShared.skip)
	}
	if pgShared.err != nil {
		t.Fatal(pgShared.err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgconn.Connect(ctx, pgShared.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := fmt.Sprintf("t%d", pgShared.n.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name).ReadAll(); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(pgShared.url, "/postgres?", "/"+name+"?", 1)
}

func launchPostgres() (url string, stop func(), skip string, err error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return "", nil, "PostgreSQL binaries absent (Debian package postgresql; make deps installs it)", nil
	}
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := os.MkdirTemp("", "tend-hub-pg-")
	if err != nil {
		return "", nil, "", err
	}
	var wrap []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			os.RemoveAll(dir)
			return "", nil, fmt.Sprintf("running as root and no user nobody to run PostgreSQL as: %v", err), nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := errors.Join(os.Chmod(dir, 0o755), os.Chown(dir, uid, gid)); err != nil {
			os.RemoveAll(dir)
			return "", nil, "", err
		}
		wrap = []string{"setpriv", "--reuid=" + u.Uid, "--regid=" + u.Gid, "--clear-groups", "--"}
	}
	run := func(name string, args ...string) error {
		argv := append(append(wrap[:len(wrap):len(wrap)], filepath.Join(bin, name)), args...)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s %v: %w\n%s", name, args, err, out)
		}
		return nil
	}
	data := filepath.Join(dir, "data")
	if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return "", nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir)
	if err := run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		os.RemoveAll(dir)
		return "", nil, "", err
	}
	stop = func() {
		_ = run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
		os.RemoveAll(dir)
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), stop, "", nil
}

// openPostgresStore is a HubStore on a fresh private cluster.
func openPostgresStore(t *testing.T, url string, now func() time.Time) *HubStore {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	hs, closeDB, err := OpenPostgres(ctx, url, now, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeDB)
	return hs
}

// TestTwoHubsOneDatabase: two hubs (two servers, two connection pools) on
// one PostgreSQL serve the same fleet: a summary ingested through one is
// on the other's pages at once, and a site added through the other takes
// summaries through the first. Opening again applies no migration twice.
func TestTwoHubsOneDatabase(t *testing.T) {
	url := startPostgres(t)
	a := newTestHubOn(t, "embedded")
	b := newTestHubOn(t, "embedded")
	a.data = openPostgresStore(t, url, a.clk.Now)
	b.data = openPostgresStore(t, url, b.clk.Now)
	for _, th := range []*testHub{a, b} {
		hub, err := NewHub(HubConfig{Now: th.clk.Now}, th.st, th.data)
		if err != nil {
			t.Fatal(err)
		}
		th.hub = hub
		th.srv = httptest.NewTLSServer(hub.Handler())
		t.Cleanup(th.srv.Close)
	}
	slug, printable, err := b.data.AddNamedSite("Acme Dental", "")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := upstream.ParseSiteKey(printable)
	body := gzipJSON(t, []byte(strings.ReplaceAll(string(summaryJSON("b1", 1, "")), `"acme"`, `"`+slug+`"`)))
	idem := upstream.IdempotencyKey("b1", 1)
	if code, r := post(t, a, slug, idem, upstream.Sign(key, slug, idem, body), body); code != 200 {
		t.Fatalf("ingest through hub a: %d %+v", code, r)
	}
	if code, r := post(t, b, slug, idem, upstream.Sign(key, slug, idem, body), body); code != 200 || r.Status != "duplicate" {
		t.Errorf("the same summary through hub b: %d %+v, want a duplicate", code, r)
	}
	for name, th := range map[string]*testHub{"a": a, "b": b} {
		s, err := th.data.Site(slug)
		if err != nil || s.Summaries != 1 || s.Label() != "Acme Dental" {
			t.Errorf("hub %s sees %+v %v", name, s, err)
		}
	}
	ctx := context.Background()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	res := conn.ExecParams(ctx, `SELECT count(*)::text || ' ' || max(version)::text FROM hub_schema`, nil, nil, nil, nil).Read()
	want := fmt.Sprintf("%d %d", len(migrations), len(migrations))
	if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != want {
		t.Errorf("schema: count and version %q, %v; want %q", res.Rows, res.Err, want)
	}
}
