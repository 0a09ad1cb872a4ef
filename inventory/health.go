package inventory

import (
	"slices"
	"time"
)

// Health is what a device's agent reports about its own condition: the
// inputs of the proactive checks (failing cables, toner, UPS batteries,
// degraded disks, full volumes). Each slice is empty when not reported.
type Health struct {
	Interfaces []Interface  `json:"interfaces,omitempty"`
	Supplies   []Supply     `json:"supplies,omitempty"` // printer toner, drums, ink
	Battery    *Battery     `json:"battery,omitempty"`  // UPS
	Storage    []StorageUse `json:"storage,omitempty"`  // HOST-RESOURCES hrStorage and the like
	Disks      []Disk       `json:"disks,omitempty"`    // NAS physical disks
	Volumes    []Volume     `json:"volumes,omitempty"`  // NAS RAID groups and volumes
}

// Interface is one network interface (IF-MIB), with counters as last read.
type Interface struct {
	Index       int    `json:"index"`
	Name        string `json:"name"`
	Alias       string `json:"alias,omitempty"`
	MAC         MAC    `json:"mac,omitzero"`
	SpeedBps    uint64 `json:"speed_bps,omitempty"`
	AdminUp     bool   `json:"admin_up"`
	OperUp      bool   `json:"oper_up"`
	InOctets    uint64 `json:"in_octets,omitempty"`
	OutOctets   uint64 `json:"out_octets,omitempty"`
	InErrors    uint64 `json:"in_errors,omitempty"`
	OutErrors   uint64 `json:"out_errors,omitempty"`
	InDiscards  uint64 `json:"in_discards,omitempty"`
	OutDiscards uint64 `json:"out_discards,omitempty"`
}

// Supply is one printer supply (Printer-MIB prtMarkerSuppliesTable).
// Percent is -1 when the printer reports only "some remaining".
type Supply struct {
	Name    string  `json:"name"`
	Kind    string  `json:"kind"` // "toner", "drum", "ink", "waste", …
	Percent float64 `json:"percent"`
}

// Battery is a UPS battery (UPS-MIB, APC PowerNet and the like).
type Battery struct {
	Status         string     `json:"status"` // "normal", "low", "depleted", "unknown"
	ReplaceNeeded  bool       `json:"replace_needed"`
	OnBattery      bool       `json:"on_battery"`
	ChargePercent  int        `json:"charge_percent,omitempty"`
	RuntimeMinutes int        `json:"runtime_minutes,omitempty"`
	LastReplaced   *time.Time `json:"last_replaced,omitempty"`
}

// StorageUse is how full one filesystem or storage area is.
type StorageUse struct {
	Name      string `json:"name"`
	SizeBytes uint64 `json:"size_bytes"`
	UsedBytes uint64 `json:"used_bytes"`
}

// Disk is one physical disk of a NAS or server. Status is "normal",
// "warning" or "failed" in tend's words, whatever the vendor MIB says.
type Disk struct {
	Name   string `json:"name"`
	Model  string `json:"model,omitempty"`
	Serial string `json:"serial,omitempty"`
	Status string `json:"status"`
	TempC  int    `json:"temp_c,omitempty"`
}

// Volume is a RAID group or volume. Status is "normal", "degraded" or
// "failed" in tend's words.
type Volume struct {
	Name   string `json:"name"`
	Status string `json:"status"`
}

// SwitchPort says where a device hangs off the network: switch S, port P,
// learned from the switch's forwarding table (BRIDGE-MIB / Q-BRIDGE-MIB).
type SwitchPort struct {
	Switch     MAC    `json:"switch"`
	SwitchName string `json:"switch_name,omitempty"`
	Port       string `json:"port"`
	IfIndex    int    `json:"if_index,omitempty"`
	VLAN       int    `json:"vlan,omitempty"`
}

// Neighbor is a link to another device learned from LLDP or CDP.
type Neighbor struct {
	Protocol   string `json:"protocol"` // "lldp" or "cdp"
	LocalPort  string `json:"local_port"`
	RemoteName string `json:"remote_name,omitempty"`
	RemotePort string `json:"remote_port,omitempty"`
	RemoteMAC  MAC    `json:"remote_mac,omitzero"`
	RemoteIP   string `json:"remote_ip,omitempty"`
}

// clone is a deep copy, so a device never shares memory with an observation.
func (h *Health) clone() *Health {
	c := *h
	c.Interfaces = slices.Clone(h.Interfaces)
	for i := range c.Interfaces {
		c.Interfaces[i].MAC = slices.Clone(c.Interfaces[i].MAC)
	}
	c.Supplies = slices.Clone(h.Supplies)
	c.Storage = slices.Clone(h.Storage)
	c.Disks = slices.Clone(h.Disks)
	c.Volumes = slices.Clone(h.Volumes)
	if h.Battery != nil {
		b := *h.Battery
		c.Battery = &b
	}
	return &c
}
