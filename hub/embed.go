package hub

import "embed"

// The hub's own pages; the frame, sign-in and error pages, the
// stylesheet and the icon are the shell's (webkit).
//
// This file holds only the variable: `make build` replaces it with the same
// files packed and compressed (package tend/internal/packfs).
//
//go:embed web/templates/*.html
var hubFiles embed.FS
