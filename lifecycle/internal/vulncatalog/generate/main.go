// Command vulncatalog/generate builds lifecycle's embedded vulnerability catalog from
// the corpus's vuln directory:
//
//	go run ./lifecycle/internal/vulncatalog/generate -out lifecycle/vulns.chunked ../shared/corpus/vuln
//
// The output is reproducible byte for byte; see package vulncatalog.
package main

import (
	"flag"
	"fmt"
	"os"

	"tend/lifecycle/internal/vulncatalog"

	"tend/internal/genfile"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "vulncatalog/generate:", err)
		os.Exit(1)
	}
}

func run() error {
	out := flag.String("out", "", "path of the chunked catalog to write (required)")
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		return fmt.Errorf("usage: vulncatalog/generate -out vulns.chunked CORPUS/vuln")
	}
	gz, st, err := vulncatalog.Generate(flag.Arg(0))
	if err != nil {
		return err
	}
	if err := genfile.WriteAtomic(*out, gz); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "vulncatalog/generate: wrote %s dated %s: %d CVEs (%d KEV, %d KEV without version data), %d matches, %d families, %d bytes (%d of records before deflate)\n",
		*out, st.Date, st.CVEs, st.KEV, st.KEVOnly, st.Matches, st.Families, st.Bytes, st.RawBytes)
	return nil
}
