// Package lifecycle holds tend's embedded catalogs and judges equipment
// against them.
//
// The catalog ships inside the binary because a LAN inventory appliance must
// assess devices without reaching the internet: the end-of-life catalog
// (Catalog: endoflife.date release cycles and version dates, Cisco
// end-of-life bulletins by part number, Synology's last DSM per model) judges
// firmware and hardware. (The MAC address registry lives in package identity.)
//
// Version grammars (Parse, Detect) read a device's version in its vendor's
// notation, from the firmware field or a whole sysDescr, and CompareVersions
// orders versions. Catalog.Judge gives the verdict (current, behind,
// security_only, eol, unknown) with confidence and evidence;
// Catalog.EstimateAge gives an age band from every dated fact; Assess does
// both for an inventory.Device, and ForecastDevices lists the devices whose
// support ends within 12 months.
//
// Catalogs are opened explicitly and owned by the caller: the package keeps
// no mutable state, and an opened catalog is immutable and safe for
// concurrent use. LoadCatalog reads a newer catalog file (the hub pushes
// them into the appliance's data directory) and Newer picks between it and
// the embedded one by date.
//
// The catalog is generated from the corpus, reproducibly, by
// internal/eolcatalog/generate; `make catalog` (go generate in this directory)
// rebuilds it byte for byte.
package lifecycle

//go:generate go run ./internal/eolcatalog/generate -out catalog.json.bz2 ../../shared/corpus/lifecycle
//go:generate go run ./internal/vulncatalog/generate -out vulns.chunked ../../shared/corpus/vuln
