// Package pgtest starts a private PostgreSQL cluster for tests, from
// Debian's postgresql package: initdb and pg_ctl as an unprivileged user
// (nobody, when the test runs as root), on a free loopback port with its
// socket in the cluster's own directory, removed by Stop, or by
// internal/testwatch when the test binary nears its -timeout (whose panic
// skips t.Cleanup and TestMain's own Stop), or by `tend lab reap` when the
// binary was killed outright (the directory carries an owner marker,
// internal/orphans). Test helper only (standard library, internal/testwatch
// and internal/orphans; no product code imports it).
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"

	"tend/internal/orphans"
	"tend/internal/testwatch"
)

// Cluster is a running private PostgreSQL cluster.
type Cluster struct {
	// URL reaches its "postgres" database over TCP on 127.0.0.1.
	URL string
	// SocketURL reaches the same database over its Unix socket, which
	// works from any network namespace on the machine.
	SocketURL string
	dir, data string
	keep      bool
	run       func(name string, args ...string) error
	unwatch   func()
}

// Stop stops the cluster and removes its files, unless it was launched
// by LaunchIn (then it is shut down cleanly and kept for the next run).
func (c *Cluster) Stop() {
	c.unwatch()
	c.stop()
}

// stop is Stop without its unregistering from testwatch: what the timeout
// cleanup runs. It reads only fields set before that cleanup was
// registered (testwatch's lock orders them before the cleanup's run);
// unwatch is set after, and a read of it there is a data race.
func (c *Cluster) stop() {
	if c.keep {
		_ = c.run("pg_ctl", "-D", c.data, "-m", "fast", "-w", "stop")
		return
	}
	_ = c.run("pg_ctl", "-D", c.data, "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.dir)
}

// Launch starts a cluster. A non-empty skip says why it cannot run here
// (the binaries are absent): the caller skips its test with it.
func Launch() (c *Cluster, skip string, err error) { return LaunchIn("") }

// LaunchIn starts a cluster in dir and keeps it there when stopped: a
// later LaunchIn of the same dir starts the same data again (a benchmark
// that fills a large fleet once). dir "" is Launch: a new temporary
// directory, removed by Stop. A kept cluster is kept on purpose: nothing
// ever removes it, not even `tend lab reap` after the binary was killed
// outright; the reap only shuts its postmaster down (the directory is
// not marked, its postmaster is: orphans.MarkDaemon), which would
// otherwise run on and hold the directory, and the next LaunchIn fail.
func LaunchIn(keep string) (c *Cluster, skip string, err error) {
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		return nil, "PostgreSQL binaries absent (Debian package postgresql; make deps installs it)", nil
	}
	bin := filepath.Dir(bins[len(bins)-1])
	dir, err := clusterDir(keep)
	if err != nil {
		return nil, "", err
	}
	remove := func() {
		if keep == "" {
			os.RemoveAll(dir)
		}
	}
	var wrap []string
	if os.Geteuid() == 0 {
		u, err := user.Lookup("nobody")
		if err != nil {
			remove()
			return nil, fmt.Sprintf("running as root and no user nobody to run PostgreSQL as: %v", err), nil
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := errors.Join(os.Chmod(dir, 0o755), os.Chown(dir, uid, gid)); err != nil {
			remove()
			return nil, "", err
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
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err == nil && keep != "" {
		// kept from an earlier run: start it again
	} else if err := run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"); err != nil {
		remove()
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		remove()
		return nil, "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off", port, dir)
	unmark := func() {}
	if keep != "" {
		unmark = markKept(data) // before the start: a kill during it leaves a postmaster too
	}
	if err := run("pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-o", opts, "-w", "-t", "60", "start"); err != nil {
		unmark()
		remove()
		return nil, "", err
	}
	c = &Cluster{
		URL:       fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port),
		SocketURL: fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d&sslmode=disable", url.QueryEscape(dir), port),
		dir:       dir, data: data, keep: keep != "", run: run,
	}
	unwatch := testwatch.OnTimeout(func(context.Context) { c.stop() })
	c.unwatch = func() { unwatch(); unmark() }
	return c, "", nil
}

// clusterDir makes the cluster's directory: keep (absolute), or a new
// temporary one, marked as this binary's (its pid and start time) before
// the cluster starts: `tend lab reap` stops a SIGKILLed binary's.
func clusterDir(keep string) (string, error) {
	if keep != "" {
		dir, err := filepath.Abs(keep)
		if err != nil {
			return "", err
		}
		return dir, os.MkdirAll(dir, 0o700)
	}
	dir, err := os.MkdirTemp("", orphans.DirPrefix+"hub-pg-")
	if err != nil {
		return "", err
	}
	if err := orphans.MarkDir(dir, "data/postmaster.pid"); err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// markKept marks a kept cluster's postmaster (orphans.MarkDaemon): should
// the binary be killed outright, `tend lab reap` shuts it down (fast) so
// that the next LaunchIn of the directory can start it, and removes none
// of its files. It returns the marker's removal.
func markKept(data string) (unmark func()) {
	real, err := filepath.EvalSymlinks(data) // the postmaster's working directory, as /proc shows it
	if err != nil {
		real = data
	}
	unmark, err = orphans.MarkDaemon(os.TempDir(), filepath.Join(real, "postmaster.pid"))
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v: a kill of this binary would leave the kept cluster in %s running\n", err, data)
		return func() {}
	}
	return unmark
}
