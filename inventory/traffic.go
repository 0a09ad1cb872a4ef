package inventory

import (
	"net/netip"
	"time"
)

// HostTraffic is one host's traffic during one rollup period: what the
// traffic watch measures and storage keeps for charts and the rules.
type HostTraffic struct {
	MAC        MAC               `json:"mac"`
	IP         netip.Addr        `json:"ip,omitzero"`
	Start      time.Time         `json:"start"`
	Period     time.Duration     `json:"period"`
	BytesIn    uint64            `json:"bytes_in"`
	BytesOut   uint64            `json:"bytes_out"`
	PacketsIn  uint64            `json:"packets_in"`
	PacketsOut uint64            `json:"packets_out"`
	Protocols  map[string]uint64 `json:"protocols,omitempty"` // packets sent, by protocol
	Peers      []PeerBytes       `json:"peers,omitempty"`     // top peers by bytes, most first
}

// PeerBytes is one of a host's top peers during a period.
type PeerBytes struct {
	IP    netip.Addr `json:"ip"`
	Bytes uint64     `json:"bytes"`
}
