package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"tend/lab"
)

func runLab(ctx context.Context, e env) error {
	if len(e.args) == 0 || strings.HasPrefix(e.args[0], "-") {
		if len(e.args) > 0 && (e.args[0] == "-h" || e.args[0] == "--help" || e.args[0] == "-help") {
			fmt.Fprintln(e.stdout, "Usage: tend lab up|down|status [flags]  (tend lab up --help for flags)")
			return nil
		}
		fmt.Fprintln(e.stderr, "Usage: tend lab up|down|status [flags]  (tend lab up --help for flags)")
		return errors.New("lab: say up, down or status")
	}
	verb := e.args[0]
	fs := newFlagSet("lab "+verb, "", e)
	var cfg lab.Config
	fs.StringVar(&cfg.Name, "name", "tend", "lab name: prefixes every namespace (tl-NAME-…) and the host link")
	fs.StringVar(&cfg.StateDir, "state", "/run/tend-lab", "where the lab keeps its state and agent data")
	jsonOut := fs.Bool("json", false, "print the lab's state as JSON")
	var lanName, corpus string
	var devices int
	if verb == "up" {
		fs.StringVar(&lanName, "lan", "", "built-in LAN (office, small, big) or a .lan file; default office when the corpus is found, else small")
		fs.StringVar(&corpus, "corpus", "", "the recordings folder (…/corpus/snmp); default $TEND_CORPUS, ../shared/corpus/snmp or lab/testdata/snmp")
		fs.StringVar(&cfg.Box, "box", lab.BoxNetns, "where the appliance port goes: netns (namespace tl-NAME-box) or host (link tl-NAME here)")
		fs.BoolVar(&cfg.Mirror, "mirror", false, "hub mode: the bridge floods every frame to every port, as a mirror port")
		fs.IntVar(&devices, "devices", 0, "use only the first N devices of the LAN (0 = all)")
	}
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	cfg.Log = e.logger(slog.LevelInfo, false)
	switch verb {
	case "up":
		cfg.CorpusDir = findCorpus(corpus)
		lan, which, err := loadLAN(lanName, cfg.CorpusDir)
		if err != nil {
			return err
		}
		lan = lan.Only(devices)
		start := time.Now()
		st, err := lab.Up(ctx, cfg, lan)
		if err != nil {
			return err
		}
		if *jsonOut {
			return json.NewEncoder(e.stdout).Encode(st)
		}
		fmt.Fprintf(e.stdout, "lab %s up: %d devices of the %s LAN on %s in %.1fs\n", st.Name, len(st.Devices), which, st.CIDR, time.Since(start).Seconds())
		printBox(e, st)
		return nil
	case "down":
		start := time.Now()
		if err := lab.Down(ctx, cfg); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "lab %s down in %.1fs\n", cfg.Name, time.Since(start).Seconds())
		return nil
	case "status":
		st, err := lab.Load(cfg)
		if err != nil {
			return err
		}
		if *jsonOut {
			return json.NewEncoder(e.stdout).Encode(st)
		}
		printLabStatus(e, st)
		printBox(e, st)
		return nil
	}
	return fmt.Errorf("lab: unknown verb %q: say up, down or status", verb)
}

func printBox(e env, st *lab.State) {
	if st.BoxNetns != "" {
		fmt.Fprintf(e.stdout, "box: %s %s on %s in namespace %s (run: ip netns exec %s tend scan --interface %s)\n",
			st.BoxIP, st.BoxMAC, st.BoxIface, st.BoxNetns, st.BoxNetns, st.BoxIface)
		return
	}
	fmt.Fprintf(e.stdout, "box: %s %s on host link %s (run: tend scan --interface %s)\n", st.BoxIP, st.BoxMAC, st.BoxIface, st.BoxIface)
}

// findCorpus returns the recordings folder: the flag, $TEND_CORPUS, the
// reference corpus beside a checkout, or the office LAN's recordings a clone
// carries (lab/testdata/snmp); "" when none exists.
func findCorpus(flagValue string) string {
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

func loadLAN(name, corpus string) (*lab.LAN, string, error) {
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
		lan, err := lab.ParseLAN(f)
		return lan, filepath.Base(name), err
	}
	lan, err := lab.BuiltinLAN(name)
	return lan, name, err
}

// printLabStatus prints each lab device and whether its agent is alive.
func printLabStatus(e env, st *lab.State) {
	alive := st.Alive()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tIP\tMAC\tAGENT\tSTATE")
	for _, d := range st.Devices {
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
	tw.Flush()
}
