package lab

import "embed"

// labFiles holds the built-in LANs (lans/*.lan) and the repository's own
// SNMP recordings (recordings/*.snmprec) that `tend lab` brings up.
//
// This file holds only the variable: `make build` replaces it with the same
// files packed and compressed (package tend/internal/packfs).
//
//go:embed lans/*.lan recordings/*.snmprec
var labFiles embed.FS
