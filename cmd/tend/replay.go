package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/internal/jsonindent"
	"tend/inventory"
	"tend/storage"
	"tend/traffic"
)

// replay runs the passive pipeline over capture files (traffic.Replay),
// folding devices in an in-memory store through the same fold as serve's.
func replay(ctx context.Context, files []string, cfg traffic.Config, observe func([]inventory.Observation, *capture.Packet) []inventory.Observation) (*traffic.ReplayResult, error) {
	st, err := storage.OpenReplay()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	res, err := traffic.Replay(ctx, files, cfg, observe, func(obs ...inventory.Observation) error {
		_, err := st.Apply(obs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := cfg.Hygiene.Save(st, res.Hosts, time.Time{}); err != nil {
		return nil, err
	}
	devs, err := st.ReplayDevices()
	if err != nil {
		return nil, err
	}
	res.Devices = append(res.Devices, devs...)
	inventory.SortByAddress(res.Devices)
	return res, nil
}

func runReplay(ctx context.Context, e env) error {
	fs := newFlagSet("replay", "FILE...", e)
	jsonOut := fs.Bool("json", false, "print events, devices, host statistics and counters as JSON")
	var tf traffic.Flags
	tf.Register(fs, 10*time.Minute)
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("replay: no capture files given")
	}
	cfg, err := tf.Config("", nil)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	observe, release := discovery.NewPassive(discovery.PassiveConfig{Own: cfg.Self}).Hold()
	defer release()
	res, err := replay(ctx, fs.Args(), cfg, observe)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if *jsonOut {
		return writeIndented(e.stdout, res)
	}
	return res.WriteText(e.stdout, e.stderr)
}

// writeIndented writes v as a json.Encoder with SetIndent("", "  ") would,
// byte for byte, indenting with jsonindent instead of the Encoder's
// validating scanner (half of the JSON's cost on the corpus mix).
func writeIndented(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	// The indented answer of the corpus mix is 1.5 times the compact one.
	out := jsonindent.Append(make([]byte, 0, len(b)*8/5+1), b, "", "  ")
	_, err = w.Write(append(out, '\n'))
	return err
}
