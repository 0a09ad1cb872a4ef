// Command vulncatalog/generate builds lifecycle's embedded vulnerability catalog from
// the corpus's vuln directory:
//
//	go run ./lifecycle/internal/vulncatalog/generate -out lifecycle/vulns.json.gz ../shared/corpus/vuln
//
// The output is reproducible byte for byte; see package vulncatalog.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"tend/lifecycle/internal/vulncatalog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "vulncatalog/generate:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "", "path of the gzip catalog to write (required)")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		return fmt.Errorf("usage: vulncatalog/generate -out vulns.json.gz CORPUS/vuln")
	}
	gz, st, err := vulncatalog.Generate(flag.Arg(0))
	if err != nil {
		return err
	}
	if err := writeAtomic(*out, gz); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(os.Stderr, "vulncatalog/generate: wrote %s dated %s: %d CVEs (%d KEV, %d KEV without version data), %d matches, %d families, %d bytes (%d before gzip)\n",
		*out, st.Date, st.CVEs, st.KEV, st.KEVOnly, st.Matches, st.Families, st.Bytes, st.RawBytes)
	return nil
}

// writeAtomic replaces path with data through a temporary file in the same
// directory, so an interrupted run never leaves a truncated catalog behind.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
