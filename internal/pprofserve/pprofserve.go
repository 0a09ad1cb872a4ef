// Package pprofserve serves Go's profiles for a debugging build of tend:
// cmd/tend imports it only under the tendpprof build tag (make build leaves
// the tag out, so shipped binaries carry no profiler). It serves at
// TEND_PPROF, which must be a loopback address and port such as
// 127.0.0.1:6060, for measuring where serve's memory goes
// (docs/performance.md, memory).
package pprofserve

import (
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // the profiles
	"net/netip"
	"os"
)

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
