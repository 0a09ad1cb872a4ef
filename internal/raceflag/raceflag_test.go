package raceflag

import (
	"runtime/debug"
	"testing"
)

// TestOn: the constant follows the build, as the toolchain recorded it.
func TestOn(t *testing.T) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		t.Skip("no build information in this binary")
	}
	race := false
	for _, s := range info.Settings {
		if s.Key == "-race" {
			race = s.Value == "true"
		}
	}
	if race != On {
		t.Errorf("built with -race %v, On %v", race, On)
	}
}
