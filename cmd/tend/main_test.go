package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestHelp: every command and verb answers --help with its usage and exit
// status 0, so scripts and people can always ask.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"serve", "--help"}, {"scan", "--help"}, {"lab", "--help"},
		{"lab", "up", "--help"}, {"lab", "down", "--help"}, {"lab", "status", "--help"}, {"user", "--help"},
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
