// Package identity answers "which device is this?": it fuses the MACs,
// addresses and names observations carry into one device per physical thing
// (a Fuser, with corroboration before two MACs become one), classifies each
// device's type with the evidence for it, and looks MAC vendors up in the
// IEEE registry. It imports only inventory; storage folds every observation
// through it in one place.
package identity

// The registry table oui.bin is generated from the corpus, reproducibly,
// by internal/ouiregistry/generate; `make catalog` (go generate here) rebuilds it byte for byte.
//
//go:generate go run ./internal/ouiregistry/generate -out oui.bin ../../shared/corpus/macvendor/oui-data-npm-2.1.9.tsv ../../shared/corpus/macvendor/ieee-data-20220827.tsv

// The DHCP vendor class table dhcp_recog.go is generated from Rapid7 Recog's
// fingerprints (BSD-2-Clause; notice in internal/recogdhcp/RECOG_COPYING).
//
//go:generate go run ./internal/recogdhcp -out dhcp_recog.go ../../shared/corpus/recog/dhcp_vendor_class.xml
