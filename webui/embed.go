package webui

import "embed"

// Templates are compiled into the binary: the box serves everything itself.
//
// This file holds only the variable: `make build` replaces it with the same
// files packed and compressed (package tend/internal/packfs).
//
//go:embed templates/*.html
var embedded embed.FS
