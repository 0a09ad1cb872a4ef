// Command ouiregistry/generate builds identity's embedded MAC address registry from IEEE
// registry exports:
//
//	go run ./identity/internal/ouiregistry/generate -out identity/oui.bin current.tsv [older.tsv ...]
//
// Each input holds lines "prefix_hex<TAB>prefix_bits<TAB>organisation". The
// first file wins when two give the same prefix a different organisation; the
// rest is a union, so an older export keeps blocks a newer one has dropped.
// The output is reproducible byte for byte; see package ouiregistry for the format.
package main

import (
	"flag"
	"fmt"
	"os"

	"tend/identity/internal/ouiregistry"

	"tend/internal/genfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ouiregistry/generate:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "", "path of the table to write (required)")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: ouiregistry/generate -out oui.bin registry.tsv [older-registry.tsv ...]")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		flag.Usage()
		return fmt.Errorf("need -out and at least one registry file")
	}

	table, st, err := ouiregistry.Generate(flag.Args()...)
	if err != nil {
		return err
	}
	if err := genfile.WriteAtomic(*out, table); err != nil {
		return err
	}

	for _, f := range st.Files {
		fmt.Fprintf(os.Stderr, "ouiregistry/generate: %s: %d rows, %d blank organisations skipped\n", f.Path, f.Rows, f.BlankOrgs)
	}
	fmt.Fprintf(os.Stderr, "ouiregistry/generate: merge: %d overridden by an earlier file, %d exact duplicates, %d multicast/local blocks dropped\n",
		st.Overridden, st.Duplicates, st.NotUnicast)
	fmt.Fprintf(os.Stderr, "ouiregistry/generate: wrote %s: %d prefixes (/24 %d, /28 %d, /36 %d), %d organisations, %d bytes\n",
		*out, st.Total(), st.Prefixes[0], st.Prefixes[1], st.Prefixes[2], st.Orgs, st.Bytes)
	return nil
}
