package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tend/storage"
)

const dbUsage = "Usage: tend db check|repair --data DIR"

// runDB checks the database file for damage (check: read only, safe while
// serve runs; exit status 1 when damaged) or repairs it (repair: the same
// as serve does on start: the damaged file is moved aside with a timestamp
// and its valid prefix kept; serve must be stopped).
func runDB(_ context.Context, e env) error {
	if len(e.args) == 0 || strings.HasPrefix(e.args[0], "-") {
		if len(e.args) > 0 && (e.args[0] == "-h" || e.args[0] == "--help" || e.args[0] == "-help") {
			fmt.Fprintln(e.stdout, dbUsage)
			return nil
		}
		fmt.Fprintln(e.stderr, dbUsage)
		return errors.New("db: say check or repair")
	}
	verb := e.args[0]
	fs := newFlagSet("db "+verb, "", e)
	data := fs.String("data", "", "the data directory of tend serve (required)")
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("db: --data is required")
	}
	path := filepath.Join(*data, "tend.db")
	switch verb {
	case "check":
		sc, err := storage.ScanFile(path)
		if err != nil {
			return err
		}
		if !sc.Damaged() {
			fmt.Fprintf(e.stdout, "%s: sound, %d records, %d bytes\n", path, sc.Records, sc.Size)
			return nil
		}
		fmt.Fprintf(e.stdout, "%s: DAMAGED: %s at byte %d of %d; %d records before it would be kept\n", path, sc.Reason, sc.Valid, sc.Size, sc.Records)
		return fmt.Errorf("db check: %s is damaged: run tend db repair --data %s (with tend stopped), or start tend serve, which repairs it", path, *data)
	case "repair":
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("db repair: %w", err)
		}
		st, err := openStore(*data)
		if err != nil {
			return err
		}
		defer st.Close()
		if r := st.Recovered(); r != nil {
			fmt.Fprintln(e.stdout, "repaired: "+r.Summary())
		} else {
			fmt.Fprintf(e.stdout, "%s: sound, nothing to repair\n", path)
		}
		return nil
	}
	return fmt.Errorf("db: unknown verb %q: say check or repair", verb)
}

// warnRecovered says loudly, on standard error (the journal), what a repair
// on open lost. The web UI shows the same in a banner for a week.
func warnRecovered(st *storage.Store) {
	if r := st.Recovered(); r != nil {
		fmt.Fprintln(os.Stderr, "tend: DATABASE DAMAGED AND REPAIRED, DATA LOST: "+r.Summary())
	}
}
