package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
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
		cfg.CorpusDir = lab.FindCorpus(corpus)
		lan, which, err := lab.LoadLAN(lanName, cfg.CorpusDir)
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
		st.WriteBox(e.stdout)
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
		err = st.WriteStatus(e.stdout)
		st.WriteBox(e.stdout)
		return err
	}
	return fmt.Errorf("lab: unknown verb %q: say up, down or status", verb)
}
