package traffic

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"tend/capture"
)

// TestHygieneCorpus replays every capture of the pcap corpus through the
// engine with the hygiene tracker: office traffic, attacks, browsing. None
// of them holds an agent's traffic, so no endpoint may be credited with a
// product on anything but a name that is the product's own (weak matches:
// shared infrastructure and vendor sites, are allowed but flagged), and the
// captures that do carry DNS and TLS must have been read (the decoders ran).
func TestHygieneCorpus(t *testing.T) {
	dir := corpusDir(t)
	cat, err := OpenHygieneCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var names, files uint64
	filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() || !(strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng") || strings.HasSuffix(p, ".cap")) {
			return err
		}
		tr := NewHygieneTracker(cat, 0)
		e := New(Config{Hygiene: tr}, nil)
		src, err := capture.OpenFile(p)
		if err != nil {
			return nil // the corpus holds a few captures in formats capture refuses; capture's own tests cover them
		}
		defer src.Close()
		if err := capture.Run(context.Background(), src, e.Packet); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		files++
		st := tr.Stats()
		names += st.Names
		for _, m := range tr.Hosts() {
			h := tr.Device(m)
			for _, c := range h.Categories() {
				for _, prod := range *c.Products {
					if !prod.Weak {
						t.Errorf("%s: %s credited with %s %q on the product's own names", filepath.Base(p), m, c.Name, prod.Product)
					}
				}
			}
		}
		return nil
	})
	t.Logf("%d captures, %d DNS questions and TLS server names read, none kept", files, names)
	if names == 0 {
		t.Error("no name was read from the whole corpus: the decoders are not wired")
	}
}
