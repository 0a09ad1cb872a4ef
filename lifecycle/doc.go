// Package lifecycle holds tend's embedded catalogs and judges equipment
// against them.
//
// The catalogs ship inside the binary because a LAN inventory appliance must
// name and assess devices without reaching the internet. Today that is the
// MAC address registry (Registry, built from the IEEE OUI, MA-M and MA-S
// assignments), which turns a hardware address into the organisation that
// was assigned it; the end-of-life catalog and the version grammars that
// decide whether a device's firmware is still supported come later.
//
// Catalogs are opened explicitly and owned by the caller: the package keeps
// no mutable state, and an opened catalog is immutable and safe for
// concurrent use.
//
// The registry table, oui.bin.gz, is generated from the corpus exports by
// internal/genoui; run go generate in this directory after updating them.
package lifecycle

//go:generate go run ./internal/genoui -out oui.bin.gz ../../shared/corpus/macvendor/oui-data-npm-2.1.9.tsv ../../shared/corpus/macvendor/ieee-data-20220827.tsv
//go:generate go run ./internal/gencatalog -out catalog.json.gz ../../shared/corpus/lifecycle
