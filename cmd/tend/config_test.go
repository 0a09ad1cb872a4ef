package main

import (
	"encoding/json"
	"flag"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"tend/settings"
	"testing"
	"time"
)

func writeFile(t *testing.T, name, body string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return p
}

// serveLikeFlags is a flag set with serve's discovery flags and two others.
func serveLikeFlags() (*flag.FlagSet, *discoveryFlags, *string, *time.Duration) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var f discoveryFlags
	f.register(fs)
	listen := fs.String("listen", ":443", "")
	interval := fs.Duration("scan-interval", 5*time.Minute, "")
	return fs, &f, listen, interval
}

// TestConfigFile: the file sets flags, repeatable ones on several lines;
// the command line overrides it; an unknown name and a secret in a file
// others may read are refused.
func TestConfigFile(t *testing.T) {
	conf := "# the box at Acme\ninterface = eth1\nlisten = \":8443\"\nscan-interval = 2m\ncommunity = public\ncommunity = ' the client one'\n"
	p := writeFile(t, "tend.conf", conf, 0o600)
	fs, f, listen, interval := serveLikeFlags()
	if err := settings.Parse(fs, []string{"--config", p, "--scan-interval", "30s"}); err != nil {
		t.Fatal(err)
	}
	if f.iface != "eth1" || *listen != ":8443" || *interval != 30*time.Second || len(f.communities) != 2 || f.communities[1] != " the client one" {
		t.Errorf("interface %q listen %q interval %v communities %d", f.iface, *listen, *interval, len(f.communities))
	}

	fs, f, _, _ = serveLikeFlags()
	if err := settings.Parse(fs, []string{"--config", p, "--community", "cli"}); err != nil || len(f.communities) != 1 || f.communities[0] != "cli" {
		t.Errorf("a repeatable flag on the command line replaces the file's: %v %d", err, len(f.communities))
	}

	open := writeFile(t, "open.conf", conf, 0o644)
	fs, _, _, _ = serveLikeFlags()
	if err := settings.Parse(fs, []string{"--config", open}); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("a world-readable file with communities: %v, want a refusal", err)
	}
	plain := writeFile(t, "plain.conf", "interface = eth2\n", 0o644)
	fs, f, _, _ = serveLikeFlags()
	if err := settings.Parse(fs, []string{"--config", plain}); err != nil || f.iface != "eth2" {
		t.Errorf("a file without secrets may be readable: %v", err)
	}
	bad := writeFile(t, "bad.conf", "interfaces = eth0\n", 0o600)
	fs, _, _, _ = serveLikeFlags()
	if err := settings.Parse(fs, []string{"--config", bad}); err == nil || !strings.Contains(err.Error(), "bad.conf:1") {
		t.Errorf("an unknown setting: %v, want an error naming the line", err)
	}
}

// TestCredentialFiles: --community-file and --snmp-v3-file read one
// credential a line from a file only its owner may read.
func TestCredentialFiles(t *testing.T) {
	comm := writeFile(t, "communities", "# ours\npublic\n\nthe-client-one\n", 0o600)
	v3 := writeFile(t, "v3", "mon:SHA-256:secret12:AES:secret34\n", 0o600)
	fs, f, _, _ := serveLikeFlags()
	if err := fs.Parse([]string{"--community-file", comm, "--snmp-v3-file", v3, "--community", "third"}); err != nil {
		t.Fatal(err)
	}
	if len(f.communities) != 3 || f.communities[1] != "the-client-one" || len(f.v3users) != 1 {
		t.Errorf("communities %d v3 users %d", len(f.communities), len(f.v3users))
	}
	for _, mode := range []os.FileMode{0o644, 0o640} {
		open := writeFile(t, "open", "public\n", mode)
		fs, _, _, _ = serveLikeFlags()
		if err := fs.Parse([]string{"--community-file", open}); err == nil || !strings.Contains(err.Error(), "owner only") {
			t.Errorf("mode %04o: %v, want a refusal", mode, err)
		}
	}
	badV3 := writeFile(t, "badv3", "mon:MD4:x\n", 0o600)
	fs, _, _, _ = serveLikeFlags()
	if err := fs.Parse([]string{"--snmp-v3-file", badV3}); err == nil || strings.Contains(err.Error(), "mon:MD4:x") {
		t.Errorf("a bad v3 line: %v, want an error that does not echo the secret", err)
	}
}

// TestBoxSettings: the settings page gets serve's SNMPv3 users as a count and
// the hub by name; no community, passphrase, site key or URL secret.
func TestBoxSettings(t *testing.T) {
	v3 := writeFile(t, "v3", "mon:SHA-256:secret12:AES:secret34\nops:SHA:secret56\n", 0o600)
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o serveOptions
	o.register(fs)
	if err := fs.Parse([]string{"--interface", "lab0", "--community", "the-client-one", "--snmp-v3-file", v3,
		"--upstream", "https://site:hunter2@hub.example:8443/tend?token=abc#x", "--site-key", "sitekey"}); err != nil {
		t.Fatal(err)
	}
	box := o.box([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/24")}, "ab:cd")
	if box.SNMPv3Users != 2 || box.SNMPCommunities != 1 || box.Upstream != "https://hub.example:8443/tend" || box.Subnets[0] != "10.0.0.0/24" {
		t.Errorf("box settings: %+v", box)
	}
	b, err := json.Marshal(box)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"the-client-one", "secret12", "secret34", "secret56", "hunter2", "abc", "sitekey", "mon"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("settings carry %q: %s", secret, b)
		}
	}
	var none serveOptions
	if box := none.box(nil, ""); box.Upstream != "" || box.SNMPv3Users != 0 || box.SNMPCommunities != 1 {
		t.Errorf("no flags: %+v", box)
	}
}

// TestBoxKnownScanners: serve hands the settings page its --known-scanner
// values as given, and refuses a bad one naming it.
func TestBoxKnownScanners(t *testing.T) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o serveOptions
	o.register(fs)
	if err := fs.Parse([]string{"--interface", "lab0", "--known-scanner", "00:1b:21:32:00:14", "--known-scanner", "10.32.0.16"}); err != nil {
		t.Fatal(err)
	}
	if got := o.box(nil, "").KnownScanners; len(got) != 2 || got[0] != "00:1b:21:32:00:14" || got[1] != "10.32.0.16" {
		t.Errorf("known scanners %q", got)
	}
	if err := fs.Parse([]string{"--known-scanner", "nms.example"}); err == nil || !strings.Contains(err.Error(), "nms.example") {
		t.Errorf("a bad known-scanner: %v", err)
	}
}
