// Package orphans keeps track of what a test binary starts outside itself
// (daemons on the host, network namespaces, private PostgreSQL clusters,
// the daemon of a cluster kept on purpose) so that what a killed
// binary leaves behind can be removed: SIGKILL (CI's job timeout, the OOM
// killer) runs no cleanup at all, not even internal/testwatch's. Each such
// thing carries an owner marker written by the binary before or as it
// starts (the binary's pid and start time, so a reused pid is not taken
// for the owner); Reap, which `tend lab reap` runs after go test, stops
// only what a marker names and whose owner is gone. Standard library only:
// the test helpers write markers, `tend lab reap` reads them.
package orphans

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// OwnerFile is the marker a marked directory holds: "PID START" of its
// owner, then one line per pid file (relative to the directory) naming a
// daemon that runs from inside the directory (a cluster's postmaster.pid).
const OwnerFile = "tend-owner"

// DirPrefix starts the name of every directory Reap may remove: a marked
// directory elsewhere, or an unmarked one here, is left alone.
const DirPrefix = "tend-"

// rootMarks is root's marker directory: /run is root's alone, where
// anyone may have made a /tmp/tend-test-owned-0 first.
var rootMarks = "/run/tend-test-owned"

// UseRootMarks points root's marker directory at dir in this binary (a
// test's own, not the machine's /run/tend-test-owned: a test that reaps
// must not reap what other binaries on the machine left) and returns the
// undo. For tests only (internal/testwatch.Isolate); not safe while
// anything marks or reaps.
func UseRootMarks(dir string) (undo func()) {
	old := rootMarks
	rootMarks = dir
	return func() { rootMarks = old }
}

// marksDir holds one marker file per process a test binary started, for
// this user (a root run and a user run each reap their own): rootMarks
// for root, MarksIn(tmp) for a user.
func marksDir(tmp string) string {
	if os.Geteuid() == 0 {
		return rootMarks
	}
	return MarksIn(tmp)
}

// MarksIn is a user's marker directory in dir, dir/tend-test-owned-EUID:
// a user's in its $TMPDIR, and, for any user, the one Reap also reads
// inside a marked directory whose owner is gone before it removes it
// (internal/testwatch.Isolate's, where root's children mark).
func MarksIn(dir string) string {
	return filepath.Join(dir, fmt.Sprintf("tend-test-owned-%d", os.Geteuid()))
}

// ownMarksDir is marksDir(tmp), made (mode 0700) when create is set and
// it does not exist, once it proves to be this user's alone: a directory,
// not a symlink, owned by the effective uid, mode 0700. Anything else
// (made first by another user of a shared /tmp) is refused, never trusted.
func ownMarksDir(tmp string, create bool) (string, error) {
	dir := marksDir(tmp)
	if create {
		if os.Geteuid() == 0 {
			os.MkdirAll(filepath.Dir(dir), 0o755) // /run
		}
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return "", fmt.Errorf("orphans: %w", err)
		}
	}
	fi, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("orphans: %w", err)
	}
	if fi.IsDir() && ownedBy(fi, os.Geteuid()) && fi.Mode().Perm() != 0o700 && fi.Mode().Perm()&0o022 == 0 {
		// The directory an earlier version made 0755: ours (not a
		// symlink, and the sticky /tmp lets no one else swap the entry)
		// and never writable by others, so it is made private rather
		// than refused for good.
		if err := os.Chmod(dir, 0o700); err == nil {
			fi, err = os.Lstat(dir)
			if err != nil {
				return "", fmt.Errorf("orphans: %w", err)
			}
		}
	}
	return dir, private(dir, fi)
}

// private says why fi, dir's Lstat, is not a directory of this user's
// alone (mode 0700, no symlink); nil when it is.
func private(dir string, fi fs.FileInfo) error {
	if !fi.IsDir() || !ownedBy(fi, os.Geteuid()) || fi.Mode().Perm() != 0o700 {
		return fmt.Errorf("orphans: %s is not a directory of uid %d's alone (mode 0700, no symlink): refused", dir, os.Geteuid())
	}
	return nil
}

// ownedBy is whether fi's owner is uid.
func ownedBy(fi fs.FileInfo, uid int) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == uid
}

// readOwned reads path, refusing anything but a regular file of uid's (a
// symlink is not followed; uid -1: anyone's): the check is on the opened
// file, so it cannot be swapped between the check and the read, and a
// FIFO or device (nothing to read, or no end) is never read.
func readOwned(path string, uid int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || uid >= 0 && !ownedBy(fi, uid) {
		return nil, fmt.Errorf("orphans: %s is not a regular file of uid %d's: ignored", path, uid)
	}
	return io.ReadAll(io.LimitReader(f, 1<<16))
}

// Start is pid's start time from /proc/PID/stat (field 22); false when no
// such process runs (a zombie has ended).
func Start(pid int) (uint64, bool) {
	_, start, ok := stat(pid)
	return start, ok
}

// stat reads pid's process group and start time from /proc/PID/stat.
func stat(pid int) (pgid int, start uint64, ok bool) {
	if pid <= 0 {
		return 0, 0, false
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, 0, false
	}
	// "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 20 || f[0] == "Z" || f[0] == "X" {
		return 0, 0, false
	}
	pgid, err1 := strconv.Atoi(f[2])
	start, err2 := strconv.ParseUint(f[19], 10, 64)
	return pgid, start, err1 == nil && err2 == nil
}

// self is this process's marker line, "PID START".
func self() (string, error) {
	start, ok := Start(os.Getpid())
	if !ok {
		return "", errors.New("orphans: no /proc/self/stat")
	}
	return fmt.Sprintf("%d %d", os.Getpid(), start), nil
}

// MarkProcess records that process pid, which this binary started, is
// its own: a marker file holding "OWNER OWNERSTART PID PIDSTART" in
// /run/tend-test-owned under root, else in tmp/tend-test-owned-EUID (tmp
// is os.TempDir() in a test), a directory that must be this user's alone
// (mode 0700), the marker a new file (no symlink followed). Reap kills it, with its process group when it
// leads one (Setpgid), once this binary is gone. unmark removes the
// marker: call it once the process has been stopped.
func MarkProcess(tmp string, pid int) (unmark func(), err error) {
	start, ok := Start(pid)
	if !ok {
		return nil, fmt.Errorf("orphans: process %d is not running", pid)
	}
	return mark(tmp, strconv.Itoa(pid), fmt.Sprintf("%d %d", pid, start))
}

// MarkNetns records that network namespace name, which this binary made
// (ip netns add), is its own: Reap deletes it (ip netns del) once this
// binary is gone. Marked as MarkProcess marks, as "OWNER OWNERSTART netns
// NAME". unmark removes the marker: call it once the namespace is gone.
func MarkNetns(tmp, name string) (unmark func(), err error) {
	if !validNetns(name) {
		return nil, fmt.Errorf("orphans: %q is not a namespace name", name)
	}
	return mark(tmp, "netns-"+name, "netns "+name)
}

// MarkDaemon records that the daemon whose pid file is pidFile (a kept
// PostgreSQL cluster's postmaster.pid) runs for this binary: once this
// binary is gone Reap stops it (SIGINT, then SIGKILL after 10 s) when it
// runs from pidFile's directory, and leaves every file where it is: what
// a run keeps on purpose is never removed, only no longer left running.
// A dead owner's marker whose pid file a live owner's marker also names
// is only removed: the daemon that runs from there now is the live run's.
// unmark removes the marker: call it once the daemon has been stopped.
func MarkDaemon(tmp, pidFile string) (unmark func(), err error) {
	if !filepath.IsAbs(pidFile) || strings.ContainsRune(pidFile, '\n') {
		return nil, fmt.Errorf("orphans: %q: a daemon's pid file is an absolute path on one line", pidFile)
	}
	return mark(tmp, fmt.Sprintf("daemon-%x", pathHash(pidFile)), "daemon "+pidFile)
}

// mark writes "OWNER OWNERSTART what" to a new marker, named after this
// binary and key, in this user's own marker directory.
func mark(tmp, key, what string) (unmark func(), err error) {
	owner, err := self()
	if err != nil {
		return nil, err
	}
	dir, err := ownMarksDir(tmp, true)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, fmt.Sprintf("%d-%s", os.Getpid(), key))
	if err := writeNew(path, owner+" "+what+"\n"); err != nil {
		return nil, fmt.Errorf("orphans: %w", err)
	}
	return func() { os.Remove(path) }, nil
}

// pathHash names a marker after a path.
func pathHash(path string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(path))
	return h.Sum64()
}

// validNetns is whether name can be a namespace under /run/netns: one
// path element, as ip netns add accepts it.
func validNetns(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00\n ") && len(name) < 256
}

// writeNew writes text to path, a file it creates: never through a
// symlink, never over a file already there.
func writeNew(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}

// MarkDir writes dir's owner marker (OwnerFile): this binary, and the pid
// files of the daemons that will run from dir. dir's name must start with
// DirPrefix and it must sit directly in the temporary directory Reap is
// given; write it before the daemons start.
func MarkDir(dir string, pidFiles ...string) error {
	if !strings.HasPrefix(filepath.Base(dir), DirPrefix) {
		return fmt.Errorf("orphans: %s: a marked directory's name starts with %q", dir, DirPrefix)
	}
	owner, err := self()
	if err != nil {
		return err
	}
	text := strings.Join(append([]string{owner}, pidFiles...), "\n") + "\n"
	if err := os.WriteFile(filepath.Join(dir, OwnerFile), []byte(text), 0o644); err != nil {
		return fmt.Errorf("orphans: %w", err)
	}
	return nil
}

// ownerGone parses "PID START" and says whether that process has ended.
func ownerGone(line string) (gone, ok bool) {
	var pid int
	var start uint64
	if _, err := fmt.Sscan(line, &pid, &start); err != nil || pid <= 0 {
		return false, false
	}
	now, running := Start(pid)
	return !running || now != start, true
}

// Reap stops what test binaries that are gone left in tmp: the processes
// they marked (MarkProcess; SIGKILL, to the process group when the process
// leads one), the namespaces they marked (MarkNetns; ip netns del), the
// daemons they marked (MarkDaemon; SIGINT, their files kept) and the
// directories they marked (MarkDir; each daemon its pid files name gets
// SIGQUIT, a PostgreSQL immediate shutdown, then SIGKILL, and the
// directory is removed). A process is killed only when its start
// time is the marked one; a pid file's process only when it runs from
// inside the directory. Markers of live owners, and anything unmarked,
// are left alone, and so is what another user could have written: a marker
// directory or file, a directory or its OwnerFile, not this user's (a
// root run's clusters belong to nobody, their OwnerFile to root). It
// returns what it stopped or removed.
func Reap(tmp string, log *slog.Logger) ([]string, error) {
	dir, err := ownMarksDir(tmp, false)
	if err != nil {
		dir = ""
	}
	if errors.Is(err, fs.ErrNotExist) {
		err = nil
	}
	a, errA := reapProcesses(dir, log)
	b, errB := reapDirs(tmp, true, log)
	return append(a, b...), errors.Join(err, errA, errB)
}

// reapProcesses handles the markers of dead owners in dir, a marker
// directory already checked to be this user's alone ("": none):
// processes, namespaces and daemons.
func reapProcesses(dir string, log *slog.Logger) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	names, err := readDirNames(dir)
	var done []string
	for _, name := range names {
		f := readMarker(dir, name)
		if f == nil {
			continue
		}
		if gone, ok := ownerGone(f[0] + " " + f[1]); !ok || !gone {
			continue
		}
		if f[2] == "daemon" && liveDaemons(dir)[f[3]] {
			// A live run marked the same pid file since (a kept cluster
			// it launched again from the same directory): the daemon
			// that runs from there is that run's, not the dead one's.
			os.Remove(filepath.Join(dir, name))
			continue
		}
		what, rerr := reapMarked(f[2], f[3])
		if rerr != nil {
			err = errors.Join(err, rerr)
			continue
		}
		if what != "" {
			logInfo(log, "stopped what a test binary that is gone left", "what", what, "owner_pid", f[0])
			done = append(done, what)
		}
		os.Remove(filepath.Join(dir, name))
	}
	return done, err
}

// readMarker is marker file name in dir split in its four fields (owner
// pid, owner start, kind, argument); nil when it is not one.
func readMarker(dir, name string) []string {
	b, _ := readOwned(filepath.Join(dir, name), os.Geteuid())
	f := strings.SplitN(strings.TrimSuffix(string(b), "\n"), " ", 4) // a pid file's path may hold spaces
	if len(f) != 4 {
		return nil
	}
	return f
}

// liveDaemons is the set of pid files that daemon markers in dir whose
// owner is alive name, read afresh: just before a dead owner's daemon is
// stopped, so that a run that marked it since is seen.
func liveDaemons(dir string) map[string]bool {
	names, _ := readDirNames(dir)
	live := map[string]bool{}
	for _, name := range names {
		if f := readMarker(dir, name); f != nil && f[2] == "daemon" {
			if gone, ok := ownerGone(f[0] + " " + f[1]); ok && !gone {
				live[f[3]] = true
			}
		}
	}
	return live
}

// reapMarked stops what one marker names (kind and arg: "netns NAME",
// "daemon PIDFILE" or "PID START") and says what it stopped ("" when it
// was already gone).
func reapMarked(kind, arg string) (string, error) {
	switch kind {
	case "netns":
		if !validNetns(arg) {
			return "", nil
		}
		if _, err := os.Lstat(filepath.Join("/run/netns", arg)); err != nil {
			return "", nil
		}
		if out, err := exec.Command("ip", "netns", "del", arg).CombinedOutput(); err != nil {
			return "", fmt.Errorf("orphans: ip netns del %s: %w: %s", arg, err, out)
		}
		return "netns " + arg, nil
	case "daemon":
		if filepath.IsAbs(arg) && stopDaemon(filepath.Dir(arg), arg, syscall.SIGINT) {
			return "daemon " + arg, nil
		}
		return "", nil
	}
	pid, err1 := strconv.Atoi(kind)
	start, err2 := strconv.ParseUint(arg, 10, 64)
	if err1 != nil || err2 != nil {
		return "", nil
	}
	if killed, err := Kill(pid, start); !killed || err != nil {
		return "", err
	}
	return "process " + kind, nil
}

// Kill sends SIGKILL to process pid, and to its process group when it
// leads one (Setpgid: its children go too), if it runs and started at
// start (not a later process that reused the pid); false when it did not.
func Kill(pid int, start uint64) (bool, error) {
	pgid, now, ok := stat(pid)
	if !ok || now != start {
		return false, nil
	}
	target := pid
	if pgid == pid {
		target = -pid
	}
	if err := syscall.Kill(target, syscall.SIGKILL); err != nil {
		return false, fmt.Errorf("orphans: kill %d: %w", target, err)
	}
	return true, nil
}

// reapDirs handles the marked directories of dead owners in tmp; with
// nested set, also what their test binaries' children left inside them
// (reapInside).
func reapDirs(tmp string, nested bool, log *slog.Logger) ([]string, error) {
	names, err := readDirNames(tmp)
	dirOwners := reapableOwners()
	// A daemon's working directory, as /proc shows it, has tmp resolved
	// (a symlinked $TMPDIR); only tmp is, never a directory's own name:
	// that is Lstat'ed as no symlink below, and a symlink there could
	// point anywhere.
	realTmp, rerr := filepath.EvalSymlinks(tmp)
	if rerr != nil {
		realTmp = tmp
	}
	var done []string
	for _, name := range names {
		if !strings.HasPrefix(name, DirPrefix) {
			continue
		}
		dir := filepath.Join(tmp, name)
		if fi, lerr := os.Lstat(dir); lerr != nil || !fi.IsDir() || !dirOwners(fi) {
			continue // not a directory, or another user's: not ours to touch
		}
		// The owner marker is written before a root run hands the
		// directory to nobody: one nobody could rewrite is not trusted.
		b, rerr := readOwned(filepath.Join(dir, OwnerFile), os.Geteuid())
		if rerr != nil {
			continue
		}
		lines := strings.Split(strings.TrimSpace(string(b)), "\n")
		if gone, ok := ownerGone(lines[0]); !ok || !gone {
			continue
		}
		logInfo(log, "removing a test directory whose owner is gone", "dir", dir)
		if nested {
			in, ierr := reapInside(dir, log)
			done, err = append(done, in...), errors.Join(err, ierr)
			if inUse(dir) {
				// A test binary its owner ran still runs (killed with it
				// as a group, a SIGKILL not yet taken): its markers
				// would go with the directory, what they name never
				// stopped. A later reap finds it gone.
				logInfo(log, "leaving a test directory a running test binary still uses", "dir", dir)
				continue
			}
		}
		for _, pf := range lines[1:] {
			stopDaemon(filepath.Join(realTmp, name), filepath.Join(dir, filepath.Clean("/"+pf)), syscall.SIGQUIT)
		}
		if rerr := os.RemoveAll(dir); rerr != nil {
			err = errors.Join(err, fmt.Errorf("orphans: %w", rerr))
			continue
		}
		done = append(done, "dir "+dir)
	}
	return done, err
}

// reapInside reaps inside dir, a marked directory whose owner is gone,
// before it is removed: the markers in MarksIn(dir) and the marked
// directories in dir (one level only), where the test binaries that
// dir's owner ran (internal/testwatch.Isolate) marked and made theirs.
// Killed with it as a group, they left them where no other reap looks.
func reapInside(dir string, log *slog.Logger) ([]string, error) {
	marks := MarksIn(dir)
	if fi, err := os.Lstat(marks); err != nil || private(marks, fi) != nil {
		marks = ""
	}
	a, errA := reapProcesses(marks, log)
	b, errB := reapDirs(dir, false, log)
	return append(a, b...), errors.Join(errA, errB)
}

// inUse is whether a process that has not ended owns a marker in
// MarksIn(dir) or a marked directory directly in dir: what reapInside
// leaves alone for now.
func inUse(dir string) bool {
	if names, err := readDirNames(MarksIn(dir)); err == nil {
		for _, name := range names {
			if f := readMarker(MarksIn(dir), name); f != nil {
				if gone, ok := ownerGone(f[0] + " " + f[1]); ok && !gone {
					return true
				}
			}
		}
	}
	names, _ := readDirNames(dir)
	for _, name := range names {
		if !strings.HasPrefix(name, DirPrefix) {
			continue
		}
		b, err := readOwned(filepath.Join(dir, name, OwnerFile), os.Geteuid())
		if err != nil {
			continue
		}
		if gone, ok := ownerGone(strings.SplitN(string(b), "\n", 2)[0]); ok && !gone {
			return true
		}
	}
	return false
}

// reapableOwners says whether a directory's owner is one whose marked
// directories this user reaps: itself, and for root also nobody (a root
// run hands its clusters to nobody, internal/pgtest).
func reapableOwners() func(fs.FileInfo) bool {
	nobody := -1
	if os.Geteuid() == 0 {
		if u, err := user.Lookup("nobody"); err == nil {
			nobody, _ = strconv.Atoi(u.Uid)
		}
	}
	return func(fi fs.FileInfo) bool {
		return ownedBy(fi, os.Geteuid()) || nobody >= 0 && ownedBy(fi, nobody)
	}
}

// stopDaemon stops the process pidFile names when it runs from inside dir
// (its working directory): sig (SIGQUIT, a PostgreSQL immediate shutdown;
// SIGINT, a fast one), then SIGKILL after 10 s. It says whether there was
// such a process.
func stopDaemon(dir, pidFile string, sig syscall.Signal) bool {
	// postgres writes it as the cluster's user (nobody in a root run), who
	// could make it a FIFO or a link to /dev/zero: a regular file only.
	b, _ := readOwned(pidFile, -1)
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return false
	}
	cwd, err := os.Readlink(filepath.Join("/proc", strconv.Itoa(pid), "cwd"))
	if err != nil || (cwd != dir && !strings.HasPrefix(cwd, dir+"/")) {
		return false
	}
	syscall.Kill(pid, sig)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if _, ok := Start(pid); !ok {
			return true
		}
	}
	syscall.Kill(pid, syscall.SIGKILL)
	return true
}

// readDirNames lists dir; a directory that does not exist is empty.
func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if err != nil {
		return names, fmt.Errorf("orphans: %w", err)
	}
	return names, nil
}

func logInfo(log *slog.Logger, msg string, args ...any) {
	if log != nil {
		log.Info(msg, args...)
	}
}
