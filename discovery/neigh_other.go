//go:build !linux

package discovery

import (
	"errors"
	"net"
	"net/netip"
)

type neighborTable struct{}

func openNeighborTable(int) (*neighborTable, error) {
	return nil, errors.New("discovery: the neighbour table is written only on Linux")
}

func (*neighborTable) set(netip.Addr, net.HardwareAddr) error { return nil }
func (*neighborTable) close() error                           { return nil }
