package main

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tend/settings"
	"tend/traffic"
)

// TestKnownScannerSetting: a bad known-scanner line of the settings file
// is named with its line; good ones reach the engine's Config.
func TestKnownScannerSetting(t *testing.T) {
	dir := t.TempDir()
	parse := func(text string) (traffic.Config, error) {
		path := filepath.Join(dir, "tend.conf")
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		fs := flag.NewFlagSet("replay", flag.ContinueOnError)
		var f traffic.Flags
		f.Register(fs, time.Minute)
		if err := settings.Parse(fs, []string{"--config", path}); err != nil {
			return traffic.Config{}, err
		}
		f.Hygiene = false
		return f.Config("", nil)
	}
	cfg, err := parse("known-scanner = 00:1B:21:32:00:14\nknown-scanner = 10.32.0.7\nknown-scanner = 10.32.1.9/24\nknown-scanner = fd00::5\n")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range cfg.KnownScanners {
		got = append(got, k.Text+"|"+k.Prefix.String())
	}
	if want := []string{"00:1B:21:32:00:14|invalid Prefix", "10.32.0.7|10.32.0.7/32", "10.32.1.9/24|10.32.1.0/24", "fd00::5|fd00::5/128"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, bad := range []string{"10.32.0.300", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "nms.example", "00:00:00:00:00:00", "10.32.0.0/33"} {
		_, err := parse("# the NMS\n\nknown-scanner = " + bad + "\n")
		if err == nil || !strings.Contains(err.Error(), "tend.conf:3: known-scanner: ") || !strings.Contains(err.Error(), bad) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
