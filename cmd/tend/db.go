package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"tend/storage"
)

// runDB checks the database file for damage (check: read only, safe while
// serve runs; exit status 1 when damaged) or repairs it (repair: the same
// as serve does on start; serve must be stopped).
func runDB(_ context.Context, e env) error {
	verb, err := e.verb("Usage: tend db check|repair --data DIR", "db: say check or repair")
	if verb == "" {
		return err
	}
	fs := newFlagSet("db "+verb, "", e)
	data := fs.String("data", "", "the data directory of tend serve (required)")
	if err := fs.Parse(e.args[1:]); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("db: --data is required")
	}
	switch verb {
	case "check":
		return storage.CheckDir(*data, e.stdout)
	case "repair":
		return storage.RepairDir(*data, e.stdout)
	}
	return fmt.Errorf("db: unknown verb %q: say check or repair", verb)
}

// openStore opens the database in a data directory (storage.OpenDir) and
// says loudly, on standard error (the journal), what a repair on open lost.
// The web UI shows the same in a banner for a week.
func openStore(dir string) (*storage.Store, error) {
	st, err := storage.OpenDir(dir)
	if err == nil && st.Recovered() != nil {
		fmt.Fprintln(os.Stderr, "tend: DATABASE DAMAGED AND REPAIRED, DATA LOST: "+st.Recovered().Summary())
	}
	return st, err
}
