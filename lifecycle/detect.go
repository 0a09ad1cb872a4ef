package lifecycle

import (
	"strings"
	"time"

	"tend/internal/lazyre"
)

// Facts is what the inventory knows about a device, as SNMP, discovery
// or a person reported it. Judge and EstimateAge read only this, so the
// caller decides where each field comes from.
type Facts struct {
	Vendor      string // MAC registry organisation
	Make        string
	Model       string // model or part number ("C9300-48P", "DS214se")
	OS          string
	Firmware    string // firmware or OS version as reported
	Serial      string
	SysDescr    string
	SysObjectID string // numeric, with or without a leading dot
	// MfgDate is the manufacturing date the device reports (ENTITY-MIB
	// entPhysicalMfgDate, vendor MIBs), zero when unknown.
	MfgDate time.Time
	// FirstSeen is when tend first saw the device, zero when unknown.
	FirstSeen time.Time
	// RunningSince is when the device last booted (last seen minus
	// sysUpTime), zero when unknown: it has existed at least since then.
	RunningSince time.Time
	// PurchaseDate is entered by a person and overrides every estimate.
	PurchaseDate time.Time
}

// field is one identity string a version was read from, named as evidence.
type field struct{ name, value string }

func (id Facts) fields() []field {
	return []field{{"firmware", id.Firmware}, {"os", id.OS}, {"sysDescr", id.SysDescr}}
}

func (id Facts) oid() string { return strings.TrimPrefix(strings.TrimSpace(id.SysObjectID), ".") }

// haystack is every identifying string, lower-cased, for family detection.
func (id Facts) haystack() string {
	return strings.ToLower(strings.Join([]string{id.Vendor, id.Make, id.Model, id.OS, id.Firmware, id.SysDescr}, " \x00 "))
}

// Enterprise numbers (IANA private enterprise registry) that identify a
// grammar from sysObjectID alone.
const (
	oidFortiGate = "1.3.6.1.4.1.12356.101."
	oidPaloAlto  = "1.3.6.1.4.1.25461."
	oidJuniper   = "1.3.6.1.4.1.2636."
	oidMikroTik  = "1.3.6.1.4.1.14988.1" // .2 is SwOS, a different OS
	oidVMware    = "1.3.6.1.4.1.6876."
	oidWindows   = "1.3.6.1.4.1.311.1.1.3.1."
	oidWinServer = "1.3.6.1.4.1.311.1.1.3.1.2"
	oidWinDC     = "1.3.6.1.4.1.311.1.1.3.1.3"
	oidArubaCX   = "1.3.6.1.4.1.47196.4."
	oidCisco     = "1.3.6.1.4.1.9."
)

var (
	reFortiFirmware = &lazyre.Regexp{Expr: `^v\d+\.\d+\.\d+,build`}
	reSynologyModel = &lazyre.Regexp{Expr: `(?i)^(?:DS|RS|DVA|FS|SA|NVR|RC|CS|HD|UC|VS|DX|RX)\d{2,5}`}
	reSynologyBuild = &lazyre.Regexp{Expr: `#(\d{4,5})\s`}
	reCiscoIOS      = &lazyre.Regexp{Expr: `(?i)cisco ios|\bios \(tm\)|^ios$|^iosxe$|^ios-xe$|\bios-?xe\b|iosxe`}
)

// rule recognises one family from an identity.
type rule struct {
	family Family
	match  func(id Facts, hay, oid string) bool
}

// rules are tried in order; the first whose family matches and whose
// grammar parses one of the identity's fields wins. Specific appliances
// come before the operating systems they are built on.
var rules = []rule{
	{FamilyFortiOS, func(id Facts, hay, oid string) bool {
		return strings.HasPrefix(oid, oidFortiGate) || strings.Contains(hay, "fortios") ||
			strings.Contains(hay, "fortigate") || reFortiFirmware.MatchString(strings.TrimSpace(id.Firmware))
	}},
	{FamilyPANOS, func(_ Facts, hay, oid string) bool {
		return strings.HasPrefix(oid, oidPaloAlto) || strings.Contains(hay, "pan-os") || strings.Contains(hay, "palo alto")
	}},
	{FamilyJunos, func(_ Facts, hay, oid string) bool {
		return strings.HasPrefix(oid, oidJuniper) || strings.Contains(hay, "junos")
	}},
	{FamilyNXOS, func(_ Facts, hay, _ string) bool {
		return strings.Contains(hay, "nx-os") || strings.Contains(hay, "nxos")
	}},
	{FamilyIOSXE, func(_ Facts, hay, _ string) bool { return reCiscoIOS.MatchString(hay) }},
	{FamilyIOS, func(_ Facts, hay, _ string) bool { return reCiscoIOS.MatchString(hay) }},
	{FamilyRouterOS, func(_ Facts, hay, oid string) bool {
		return oid == oidMikroTik || strings.HasPrefix(oid, oidMikroTik+".") || strings.Contains(hay, "routeros")
	}},
	{FamilyDSM, func(id Facts, hay, _ string) bool {
		return strings.Contains(hay, "synology") || strings.EqualFold(strings.TrimSpace(id.OS), "dsm") ||
			strings.Contains(hay, "diskstation") || (reSynologyModel.MatchString(strings.TrimSpace(id.Model)) && strings.Contains(hay, "linux"))
	}},
	{FamilyESXi, func(_ Facts, hay, oid string) bool {
		return strings.HasPrefix(oid, oidVMware) || strings.Contains(hay, "esxi")
	}},
	{FamilyWindowsSrv, func(_ Facts, hay, oid string) bool {
		return oid == oidWinServer || oid == oidWinDC || (strings.Contains(hay, "windows") && strings.Contains(hay, "server"))
	}},
	{FamilyWindows, func(_ Facts, hay, oid string) bool {
		return strings.HasPrefix(oid, oidWindows) || strings.Contains(hay, "windows")
	}},
	{FamilyPfSense, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "pfsense") }},
	{FamilyOPNsense, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "opnsense") }},
	{FamilyTrueNAS, func(_ Facts, hay, _ string) bool {
		return strings.Contains(hay, "truenas") || strings.Contains(hay, "freenas")
	}},
	{FamilySophos, func(_ Facts, hay, _ string) bool {
		return strings.Contains(hay, "sfos") || strings.Contains(hay, "sophos")
	}},
	{FamilySonicOS, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "sonicos") }},
	{FamilyArubaOSCX, func(_ Facts, hay, oid string) bool {
		return strings.HasPrefix(oid, oidArubaCX) || strings.Contains(hay, "arubaos-cx")
	}},
	{FamilyOpenWrt, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "openwrt") }},
	{FamilyProxmoxVE, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "pve-manager") }},
	{FamilyFreeBSD, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "freebsd") }},
	{FamilyLinux, func(_ Facts, hay, _ string) bool { return strings.Contains(hay, "linux") }},
}

// detection is a release read from an identity and where it came from.
type detection struct {
	rel   Release
	field field
}

// Detect finds the grammar an identity's firmware is written in and reads
// the version, trying the firmware, OS and sysDescr fields in turn. It
// reports false when no grammar recognises the device.
func Detect(id Facts) (Release, bool) {
	d, ok := detect(id)
	return d.rel, ok
}

func detect(id Facts) (detection, bool) {
	hay, oid := id.haystack(), id.oid()
	for _, r := range rules {
		if !r.match(id, hay, oid) {
			continue
		}
		for _, f := range id.fields() {
			if f.value == "" {
				continue
			}
			if f.name == "sysDescr" && r.family == FamilyRouterOS {
				continue // "RouterOS RB5009UPr+S+": the model, not a version
			}
			if f.name != "sysDescr" && r.family == FamilyLinux {
				continue // an appliance's firmware version is not its kernel's
			}
			if rel, ok := Parse(r.family, f.value); ok {
				return detection{rel: rel, field: f}, true
			}
		}
		if r.family == FamilyDSM {
			// DSM's sysDescr is the kernel's: "Linux Nas 3.2.40 #25426 ...";
			// the kernel build number is the DSM build.
			if m := reSynologyBuild.FindStringSubmatch(id.SysDescr); m != nil {
				return detection{rel: Release{Family: FamilyDSM, Version: "build " + m[1], Build: m[1]},
					field: field{"sysDescr", id.SysDescr}}, true
			}
			return detection{rel: Release{Family: FamilyDSM}}, true // the model alone still judges the hardware
		}
	}
	return detection{}, false
}
