package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

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
