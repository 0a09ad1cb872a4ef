package main

import (
	"context"
	"log/slog"

	"tend/lab"
)

// runLab builds, removes or reports a virtual client LAN (lab.Command).
func runLab(ctx context.Context, e env) error {
	verb, err := e.verb("Usage: tend lab up|down|status|reap [flags]  (tend lab up --help for flags)", "lab: say up, down, status or reap")
	if verb == "" {
		return err
	}
	fs := newFlagSet("lab "+verb, "", e)
	var cfg lab.Config
	var up lab.UpRequest
	fs.StringVar(&cfg.Name, "name", "tend", "lab name: prefixes every namespace (tl-NAME-…) and the host link")
	fs.StringVar(&cfg.StateDir, "state", "/run/tend-lab", "where the lab keeps its state and agent data")
	fs.StringVar(&cfg.OwnersDir, "owners", lab.DefaultOwnersDir, "where labs built with --owner are recorded (reap removes those whose owner is gone)")
	jsonOut := fs.Bool("json", false, "print the lab's state as JSON")
	if verb == "up" {
		fs.StringVar(&up.LAN, "lan", "", "built-in LAN (office, small, big) or a .lan file; default office when the corpus is found, else small")
		fs.StringVar(&up.Corpus, "corpus", "", "the recordings folder (…/corpus/snmp); default $TEND_CORPUS, ../shared/corpus/snmp or lab/testdata/snmp")
		fs.StringVar(&cfg.Box, "box", lab.BoxNetns, "where the appliance port goes: netns (namespace tl-NAME-box) or host (link tl-NAME here)")
		fs.BoolVar(&cfg.Mirror, "mirror", false, "hub mode: the bridge floods every frame to every port, as a mirror port")
		fs.IntVar(&up.Devices, "devices", 0, "use only the first N devices of the LAN (0 = all)")
		fs.IntVar(&cfg.Owner, "owner", 0, "the PID the lab belongs to (tests): a later lab up removes this lab once that process is gone")
	}
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	cfg.Log = e.logger(slog.LevelInfo, false)
	return lab.Command(ctx, verb, cfg, up, *jsonOut, e.stdout)
}
