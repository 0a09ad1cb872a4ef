// Command eolcatalog/generate builds lifecycle's embedded end-of-life catalog from
// the corpus's lifecycle directory:
//
//	go run ./lifecycle/internal/eolcatalog/generate -out lifecycle/catalog.json.bz2 ../shared/corpus/lifecycle
//
// The output is reproducible byte for byte; see package eolcatalog.
package main

import (
	"flag"
	"fmt"
	"os"

	"tend/lifecycle/internal/eolcatalog"

	"tend/internal/genfile"
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
		return fmt.Errorf("usage: eolcatalog/generate -out catalog.json.bz2 CORPUS/lifecycle")
	}
	gz, st, err := eolcatalog.Generate(flag.Arg(0))
	if err != nil {
		return err
	}
	if err := genfile.WriteAtomic(*out, gz); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "eolcatalog/generate: wrote %s dated %s: %d products (%d unreviewed), %d cycles, %d versions, %d Cisco bulletins, %d Cisco parts, %d Synology models, %d bytes (%d before compression)\n",
		*out, st.Date, st.Products, st.Unreviewed, st.Cycles, st.Versions, st.CiscoBulletins, st.CiscoParts, st.SynologyModels, st.Bytes, st.RawBytes)
	return nil
}
