package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"tend/internal/testwatch"
	"tend/lab"
)

// TestMain removes the labs this binary owns (lab.Config.Owner and tend
// lab up --owner: os.Getpid()), with the processes in their namespaces,
// shortly before go test's -timeout, whose panic skips every t.Cleanup;
// pgtest's clusters go the same way.
func TestMain(m *testing.M) {
	testwatch.OnTimeout(func(ctx context.Context) {
		gone, err := lab.RemoveOwnedBy(ctx, lab.DefaultOwnersDir, os.Getpid(), nil)
		fmt.Fprintf(os.Stderr, "testwatch: removed labs %v (errors: %v)\n", gone, err)
	})
	os.Exit(testwatch.Main(m))
}

// TestHelp: every command and verb answers --help with its usage and exit
// status 0, so scripts and people can always ask.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"scan", "--help"}, {"lab", "--help"},
		{"lab", "up", "--help"}, {"lab", "down", "--help"}, {"lab", "status", "--help"}, {"lab", "reap", "--help"}, {"user", "--help"},
		{"user", "add", "--help"}, {"token", "--help"}, {"version", "--help"}, {"replay", "--help"}, {"hub", "--help"}} {
		var out, errOut strings.Builder
		err := run(t.Context(), args, strings.NewReader(""), &out, &errOut)
		if err != nil && !errors.Is(err, flag.ErrHelp) {
			t.Errorf("tend %v: %v", args, err)
		}
		if !strings.Contains(out.String()+errOut.String(), "Usage") {
			t.Errorf("tend %v printed no usage: %q %q", args, out.String(), errOut.String())
		}
	}
}

// signalHelperEnv makes TestReplayKeepsSignalDefaults' child process run
// TestSignalHelper with the command named in it.
const signalHelperEnv = "TEND_TEST_SIGNAL_HELPER"

// TestReplayKeepsSignalDefaults: replay does not catch SIGTERM (commandContext),
// so the signal ends it as it ends any program, and os/signal starts no
// threads for it; serve (and the other commands) catch it and stop through
// their context.
func TestReplayKeepsSignalDefaults(t *testing.T) {
	for _, c := range []struct {
		command string
		caught  bool
	}{{"replay", false}, {"serve", true}, {"scan", true}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSignalHelper$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), signalHelperEnv+"="+c.command)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		killed := errors.As(err, &ee) && ee.ProcessState.Sys().(syscall.WaitStatus).Signal() == syscall.SIGTERM
		switch {
		case c.caught && (err != nil || !strings.Contains(string(out), "context canceled")):
			t.Errorf("%s: SIGTERM not caught through its context: %v\n%s", c.command, err, out)
		case !c.caught && !killed:
			t.Errorf("%s: SIGTERM did not end the process as by default: %v\n%s", c.command, err, out)
		}
	}
}

// TestSignalHelper is TestReplayKeepsSignalDefaults' child: it takes the
// command's context, sends itself SIGTERM and reports the context's end.
func TestSignalHelper(t *testing.T) {
	command := os.Getenv(signalHelperEnv)
	if command == "" {
		t.Skip("run by TestReplayKeepsSignalDefaults")
	}
	ctx, stop := commandContext([]string{command})
	defer stop()
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
		t.Log(ctx.Err())
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM neither ended the process nor the context")
	}
}
