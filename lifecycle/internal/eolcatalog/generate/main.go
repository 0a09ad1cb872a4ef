// Command eolcatalog/generate builds lifecycle's embedded end-of-life catalog from
// the corpus's lifecycle directory:
//
//	go run ./lifecycle/internal/eolcatalog/generate -out lifecycle/catalog.json.gz ../shared/corpus/lifecycle
//
// The output is reproducible byte for byte; see package eolcatalog.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"tend/lifecycle/internal/eolcatalog"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "eolcatalog/generate:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "", "path of the gzip catalog to write (required)")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		return fmt.Errorf("usage: eolcatalog/generate -out catalog.json.gz CORPUS/lifecycle")
	}
	gz, st, err := eolcatalog.Generate(flag.Arg(0))
	if err != nil {
		return err
	}
	if err := writeAtomic(*out, gz); err != nil {
		return fmt.Errorf("write %s: %w", *out, err)
	}
	fmt.Fprintf(os.Stderr, "eolcatalog/generate: wrote %s dated %s: %d products (%d unreviewed), %d cycles, %d versions, %d Cisco bulletins, %d Cisco parts, %d Synology models, %d bytes (%d before gzip)\n",
		*out, st.Date, st.Products, st.Unreviewed, st.Cycles, st.Versions, st.CiscoBulletins, st.CiscoParts, st.SynologyModels, st.Bytes, st.RawBytes)
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
