package webkit

import "embed"

// The shell's own templates (the page frame, sign-in, error page) and its
// static files (the one stylesheet of both UIs, the icon, the map's drag
// to pan: the only script, loaded from here as the CSP allows), compiled into
// the binary: neither UI ever asks a CDN.
//
// This file holds only the variable: `make build` replaces it with the same
// files packed and compressed (package tend/internal/packfs).
//
//go:embed templates/*.html static/*
var files embed.FS
