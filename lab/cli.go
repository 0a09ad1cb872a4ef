package lab

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"tend/internal/orphans"
)

// UpRequest is what `tend lab up` builds: a LAN by name or file (LoadLAN),
// recordings from Corpus (FindCorpus), only its first Devices devices when
// that is above 0.
type UpRequest struct {
	LAN, Corpus string
	Devices     int
}

// Command is `tend lab up|down|status|reap`: it builds, removes or reports
// the lab cfg names and says so on w, as JSON (the State) when jsonOut is
// set; reap removes every lab whose owner is gone (Reap), what `make
// test` runs after go test, however it ended.
func Command(ctx context.Context, verb string, cfg Config, up UpRequest, jsonOut bool, w io.Writer) error {
	switch verb {
	case "up":
		cfg.CorpusDir = FindCorpus(up.Corpus)
		lan, which, err := LoadLAN(up.LAN, cfg.CorpusDir)
		if err != nil {
			return err
		}
		start := time.Now()
		st, err := Up(ctx, cfg, lan.Only(up.Devices))
		if err != nil {
			return err
		}
		if jsonOut {
			return json.NewEncoder(w).Encode(st)
		}
		fmt.Fprintf(w, "lab %s up: %d devices of the %s LAN on %s in %.1fs\n", st.Name, len(st.Devices), which, st.CIDR, time.Since(start).Seconds())
		st.WriteBox(w)
		return nil
	case "down":
		start := time.Now()
		if err := Down(ctx, cfg); err != nil {
			return err
		}
		fmt.Fprintf(w, "lab %s down in %.1fs\n", cfg.Name, time.Since(start).Seconds())
		return nil
	case "status":
		st, err := Load(cfg)
		if err != nil {
			return err
		}
		if jsonOut {
			return json.NewEncoder(w).Encode(st)
		}
		err = st.WriteStatus(w)
		st.WriteBox(w)
		return err
	case "reap":
		return reapCommand(ctx, cfg, w)
	}
	return fmt.Errorf("lab: unknown verb %q: say up, down, status or reap", verb)
}

// reapCommand is `tend lab reap`: Reap on cfg's owners directory, then
// orphans.Reap on cfg's temporary directory (the host daemons, marked in
// /run/tend-test-owned under root, and PostgreSQL clusters of test
// binaries killed outright), saying what it removed.
func reapCommand(ctx context.Context, cfg Config, w io.Writer) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	reaped, err := Reap(ctx, cfg.OwnersDir, cfg.Log)
	fmt.Fprintf(w, "lab reap: removed %d labs whose owner is gone %v\n", len(reaped), reaped)
	stopped, err2 := orphans.Reap(cfg.TempDir, cfg.Log)
	fmt.Fprintf(w, "lab reap: stopped %d test processes and directories whose owner is gone %v\n", len(stopped), stopped)
	return errors.Join(err, err2)
}

// FindCorpus returns the recordings folder: flagValue, $TEND_CORPUS, the
// reference corpus beside a checkout, or the office LAN's recordings a
// clone carries (lab/testdata/snmp); "" when none exists.
func FindCorpus(flagValue string) string {
	for _, c := range []string{flagValue, os.Getenv("TEND_CORPUS"), "../shared/corpus/snmp", "lab/testdata/snmp"} {
		if c == "" {
			continue
		}
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			abs, _ := filepath.Abs(c)
			return abs
		}
	}
	return ""
}

// LoadLAN is a built-in LAN by name (office, small, big, …) or a .lan
// file by path; "" is office when a corpus is at hand, else small. It
// returns the LAN with the name to show for it.
func LoadLAN(name, corpus string) (*LAN, string, error) {
	if name == "" {
		name = "small"
		if corpus != "" {
			name = "office"
		}
	}
	if strings.ContainsAny(name, "/.") {
		f, err := os.Open(name)
		if err != nil {
			return nil, "", fmt.Errorf("lab: open lan file: %w", err)
		}
		defer f.Close()
		lan, err := ParseLAN(f)
		return lan, filepath.Base(name), err
	}
	lan, err := BuiltinLAN(name)
	return lan, name, err
}

// WriteBox says where the box's port is and how to scan from it.
func (s *State) WriteBox(w io.Writer) {
	if s.BoxNetns != "" {
		fmt.Fprintf(w, "box: %s %s on %s in namespace %s (run: ip netns exec %s tend scan --interface %s)\n",
			s.BoxIP, s.BoxMAC, s.BoxIface, s.BoxNetns, s.BoxNetns, s.BoxIface)
		return
	}
	fmt.Fprintf(w, "box: %s %s on host link %s (run: tend scan --interface %s)\n", s.BoxIP, s.BoxMAC, s.BoxIface, s.BoxIface)
}

// WriteStatus prints each lab device and whether its agent is alive.
func (s *State) WriteStatus(w io.Writer) error {
	alive := s.Alive()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tIP\tMAC\tAGENT\tSTATE")
	for _, d := range s.Devices {
		state := "up"
		if !alive[d.Name] {
			state = "AGENT DEAD"
		}
		agent := d.Served
		if agent == "" {
			agent = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, d.Role, d.IP, d.MACText, agent, state)
	}
	return tw.Flush()
}
