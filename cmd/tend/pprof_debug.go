//go:build tendpprof

package main

import (
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // the profiles, for this debugging build only
	"net/netip"
	"os"
)

// A build with -tags tendpprof (never the shipped one: make build leaves the
// tag out, so the binary carries no profiler) serves Go's profiles at
// TEND_PPROF (a loopback address such as 127.0.0.1:6060), for measuring
// where serve's memory goes (docs/performance.md, memory).
func init() {
	addr := os.Getenv("TEND_PPROF")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if ip, perr := netip.ParseAddr(host); err != nil || perr != nil || !ip.IsLoopback() {
		log.Printf("pprof: TEND_PPROF=%q is not a loopback address and port: not serving profiles", addr)
		return
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			log.Printf("pprof: %v", err)
		}
	}()
}
