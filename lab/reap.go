package lab

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"tend/internal/orphans"
)

// DefaultOwnersDir is where labs with an owner (Config.Owner) are recorded.
const DefaultOwnersDir = "/run/tend-lab-owners"

func recordPath(dir, name string) string { return filepath.Join(dir, name) }

// recordOwner notes that cfg's lab belongs to process cfg.Owner, before
// anything of the lab exists (a process killed while building leaves a lab
// the next reap removes too): one line, "PID START STATEDIR", where START
// is the process's start time (/proc/PID/stat field 22), so a reused PID
// is not taken for the owner.
func recordOwner(cfg Config) error {
	start, ok := orphans.Start(cfg.Owner)
	if !ok {
		return fmt.Errorf("lab: owner process %d is not running", cfg.Owner)
	}
	if err := os.MkdirAll(cfg.OwnersDir, 0o755); err != nil {
		return fmt.Errorf("lab: owners dir: %w", err)
	}
	line := fmt.Sprintf("%d %d %s\n", cfg.Owner, start, cfg.StateDir)
	if err := os.WriteFile(recordPath(cfg.OwnersDir, cfg.Name), []byte(line), 0o644); err != nil {
		return fmt.Errorf("lab: record owner: %w", err)
	}
	return nil
}

// Reap removes every lab recorded in ownersDir whose owning process is
// gone (a test binary that hit go test's -timeout panics past t.Cleanup,
// or was killed), with its namespaces, host link, processes and state, and
// returns the names it removed. Labs of live owners are left alone. Up
// reaps before it builds, so the next lab on the machine cleans up after
// the last one that could not; `tend lab reap` does it after a test run.
func Reap(ctx context.Context, ownersDir string, log *slog.Logger) ([]string, error) {
	return reap(ctx, ownersDir, log, func(pid int, start uint64) bool {
		now, ok := orphans.Start(pid)
		return !ok || now != start
	})
}

// RemoveOwnedBy removes every lab recorded in ownersDir as owned by the
// running process pid, the way Reap removes a dead owner's: what a test
// binary about to hit its -timeout runs (internal/testwatch), since the
// timeout's panic skips every t.Cleanup.
func RemoveOwnedBy(ctx context.Context, ownersDir string, pid int, log *slog.Logger) ([]string, error) {
	want, ok := orphans.Start(pid)
	return reap(ctx, ownersDir, log, func(p int, start uint64) bool { return ok && p == pid && start == want })
}

// reap removes the labs recorded in ownersDir whose owner (pid and start
// time) doomed accepts.
func reap(ctx context.Context, ownersDir string, log *slog.Logger, doomed func(pid int, start uint64) bool) ([]string, error) {
	lock, err := os.Open(ownersDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("lab: reap: %w", err)
	}
	defer lock.Close()
	// One reaper at a time: two labs starting together must not both tear
	// down the same leftover.
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, fmt.Errorf("lab: reap: lock %s: %w", ownersDir, err)
	}
	names, _ := lock.Readdirnames(-1)
	var reaped []string
	var errs []error
	for _, name := range names {
		pid, start, state, ok := readOwner(ownersDir, name)
		if !ok || !doomed(pid, start) {
			continue
		}
		if log != nil {
			log.Info("removing a lab whose owner is gone or going", "leftover", name, "owner_pid", pid)
		}
		if err := Down(ctx, Config{Name: name, StateDir: state, OwnersDir: ownersDir}); err != nil {
			errs = append(errs, err)
			continue
		}
		reaped = append(reaped, name)
	}
	return reaped, errors.Join(errs...)
}

// readOwner parses the record recordOwner wrote for lab name; false when
// it is not one of Up's.
func readOwner(ownersDir, name string) (pid int, start uint64, state string, ok bool) {
	b, _ := os.ReadFile(recordPath(ownersDir, name))
	f := strings.SplitN(strings.TrimSuffix(string(b), "\n"), " ", 3) // the state dir may hold spaces
	if len(f) != 3 || !labNameRE.MatchString(name) {
		return 0, 0, "", false
	}
	if _, err := fmt.Sscan(f[0]+" "+f[1], &pid, &start); err != nil {
		return 0, 0, "", false
	}
	return pid, start, f[2], true
}

// stillOwned is false when an owned lab's owner is gone or its record was
// removed (Reap, RemoveOwnedBy) while Up built it: a `tend lab up --owner`
// a test binary started outlives the test's -timeout, and what it builds
// after the cleanup would be no one's.
func stillOwned(cfg Config) bool {
	if cfg.Owner == 0 {
		return true
	}
	pid, start, _, ok := readOwner(cfg.OwnersDir, cfg.Name)
	now, running := orphans.Start(pid)
	return ok && pid == cfg.Owner && running && now == start
}
