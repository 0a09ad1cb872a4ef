package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CheckDir is `tend db check`: it reads the database in a data directory
// without changing it (safe while serve runs), says on w whether it is
// sound, and returns an error naming the repair when it is damaged.
func CheckDir(dir string, w io.Writer) error {
	path := filepath.Join(dir, "tend.db")
	sc, err := ScanFile(path)
	if err != nil {
		return err
	}
	if !sc.Damaged() {
		fmt.Fprintf(w, "%s: sound, %d records, %d bytes\n", path, sc.Records, sc.Size)
		return nil
	}
	fmt.Fprintf(w, "%s: DAMAGED: %s at byte %d of %d; %d records before it would be kept\n", path, sc.Reason, sc.Valid, sc.Size, sc.Records)
	return fmt.Errorf("db check: %s is damaged: run tend db repair --data %s (with tend stopped), or start tend serve, which repairs it", path, dir)
}

// RepairDir is `tend db repair`: it opens the database in a data directory
// as serve does on start (a damaged file is moved aside with a timestamp
// and its valid prefix kept) and says on w what was lost. Serve must be
// stopped; a missing database is an error, not a new one.
func RepairDir(dir string, w io.Writer) error {
	path := filepath.Join(dir, "tend.db")
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("db repair: %w", err)
	}
	st, err := OpenDir(dir)
	if err != nil {
		return err
	}
	defer st.Close()
	if r := st.Recovered(); r != nil {
		fmt.Fprintln(w, "repaired: "+r.Summary())
	} else {
		fmt.Fprintf(w, "%s: sound, nothing to repair\n", path)
	}
	return nil
}
