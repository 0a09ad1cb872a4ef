package identity

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"tend/inventory"
)

// A clue is one signal for one device type with its weight: how sure the
// signal alone makes us (0..1).
type clue struct {
	t      inventory.DeviceType
	weight float64
	source string
	detail string
}

// keyword rules over free text (make, model, SNMP sysDescr, OS, vendor).
type textRule struct {
	re     *regexp.Regexp
	t      inventory.DeviceType
	weight float64
}

var textRules = []textRule{
	{regexp.MustCompile(`(?i)\b(WS-C\d|C9[2-5]00|catalyst|procurve|aruba ?cx|edgeswitch|jetstream|css\d{3}|crs\d{3}|ex\d{4}|dgs-|gs\d{3,4}|summit|smcgs|powerconnect|switch)`), inventory.TypeSwitch, 0.7},
	{regexp.MustCompile(`(?i)\b(UGW\d|USG|UDM|edgerouter|ER-\d|routeros|rb\d{3,4}|vigor|isr\d{3,4}|cisco \d{3,4}\b|1601|fritz!box|gateway)`), inventory.TypeRouter, 0.7},
	{regexp.MustCompile(`(?i)\b(fortigate|fortios|sonicwall|sonicos|pfsense|opnsense|watchguard|fireware|zywall|usg\d|pa-\d{3,4}|pan-os|sophos|asa\d{4})`), inventory.TypeFirewall, 0.8},
	{regexp.MustCompile(`(?i)\b(UAP|U6-|nanohd|access point|instant|unleashed|fortiap|fap\d|wap\d|eap\d{3})`), inventory.TypeAP, 0.7},
	{regexp.MustCompile(`(?i)\b(laserjet|officejet|deskjet|jetdirect|mfc-|dcp-|hl-\d|brother|ricoh|kyocera|ecosys|lexmark|xerox|canon (ir|lbp|mf)|imagerunner|epson|printer|bizhub)`), inventory.TypePrinter, 0.75},
	{regexp.MustCompile(`(?i)\b(synology|diskstation|dsm|qnap|qts|truenas|freenas|readynas|nas\b)`), inventory.TypeNAS, 0.75},
	{regexp.MustCompile(`(?i)\b(smart-ups|smt\d{3,4}|apc |powernet|eaton|mge|ups\b|9px|cyberpower)`), inventory.TypeUPS, 0.8},
	{regexp.MustCompile(`(?i)\b(esxi|vmware esx|proxmox|hyper-v|xenserver|xcp-ng)`), inventory.TypeHypervisor, 0.8},
	{regexp.MustCompile(`(?i)\b(windows server|server 20\d\d|idrac|ilo\b|integrated lights-out|poweredge|proliant|bmc)`), inventory.TypeServer, 0.6},
	{regexp.MustCompile(`(?i)\b(axis|p14\d\d|hikvision|dahua|nvr|dvr|ipc-|network camera|networkvideotransmitter)`), inventory.TypeCamera, 0.75},
	{regexp.MustCompile(`(?i)\b(polycom|vvx|yealink|grandstream|gxp|gxw|spa\d{3}|cisco ip phone|snom|iphone|pixel \d|galaxy)`), inventory.TypePhone, 0.7},
	{regexp.MustCompile(`(?i)\b(macbook|imac|mac mini|macmini|thinkpad|latitude|optiplex|elitebook|windows 1[01]|desktop-|laptop-)`), inventory.TypeWorkstation, 0.6},
	{regexp.MustCompile(`(?i)\b(espressif|tuya|shelly|sonos|chromecast|roku|apple ?tv|hue bridge|nest|tp-link smart|raspberry)`), inventory.TypeIoT, 0.5},
}

// capability and service signals.
var (
	capClues = map[string]clue{
		"router":  {t: inventory.TypeRouter, weight: 0.5},
		"bridge":  {t: inventory.TypeSwitch, weight: 0.5},
		"switch":  {t: inventory.TypeSwitch, weight: 0.6},
		"wlan-ap": {t: inventory.TypeAP, weight: 0.8},
		"phone":   {t: inventory.TypePhone, weight: 0.9},
		"docsis":  {t: inventory.TypeRouter, weight: 0.7},
		"station": {t: inventory.TypeWorkstation, weight: 0.3},
		"host":    {t: inventory.TypeWorkstation, weight: 0.2},
		// Windows browser roles (decodeBrowser).
		"workstation":       {t: inventory.TypeWorkstation, weight: 0.5},
		"server":            {t: inventory.TypeServer, weight: 0.5},
		"domain-controller": {t: inventory.TypeServer, weight: 0.8},
	}
	serviceClues = []struct {
		prefix string
		clue
	}{
		{"_ipp._tcp", clue{t: inventory.TypePrinter, weight: 0.7}},
		{"_ipps._tcp", clue{t: inventory.TypePrinter, weight: 0.7}},
		{"_pdl-datastream._tcp", clue{t: inventory.TypePrinter, weight: 0.8}},
		{"_printer._tcp", clue{t: inventory.TypePrinter, weight: 0.7}},
		{"_scanner._tcp", clue{t: inventory.TypePrinter, weight: 0.5}},
		{"urn:schemas-upnp-org:device:Printer", clue{t: inventory.TypePrinter, weight: 0.8}},
		{"wsd:PrintDeviceType", clue{t: inventory.TypePrinter, weight: 0.8}},
		{"wsd:NetworkVideoTransmitter", clue{t: inventory.TypeCamera, weight: 0.85}},
		{"onvif:video_encoder", clue{t: inventory.TypeCamera, weight: 0.7}},
		{"_rtsp._tcp", clue{t: inventory.TypeCamera, weight: 0.4}},
		{"wsd:Computer", clue{t: inventory.TypeWorkstation, weight: 0.5}},
		{"_workstation._tcp", clue{t: inventory.TypeWorkstation, weight: 0.3}},
		{"_companion-link._tcp", clue{t: inventory.TypePhone, weight: 0.3}},
		{"_airplay._tcp", clue{t: inventory.TypeIoT, weight: 0.4}},
		{"_googlecast._tcp", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"_hap._tcp", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"_adisk._tcp", clue{t: inventory.TypeNAS, weight: 0.4}},
		{"urn:schemas-upnp-org:device:InternetGatewayDevice", clue{t: inventory.TypeRouter, weight: 0.8}},
		{"urn:schemas-upnp-org:device:MediaServer", clue{t: inventory.TypeNAS, weight: 0.3}},
		{"dhcp-server", clue{t: inventory.TypeRouter, weight: 0.5}},
	}
	hostRules = []textRule{
		{regexp.MustCompile(`(?i)^SEP[0-9A-F]{12}$`), inventory.TypePhone, 0.8}, // Cisco IP phones name themselves SEP<MAC>
		{regexp.MustCompile(`(?i)(iphone|ipad|android|galaxy|pixel)`), inventory.TypePhone, 0.6},
		{regexp.MustCompile(`(?i)^(desktop|laptop|ws|pc|nb)-`), inventory.TypeWorkstation, 0.5},
		{regexp.MustCompile(`(?i)(macbook|imac)`), inventory.TypeWorkstation, 0.6},
		{regexp.MustCompile(`(?i)^(srv|server|dc\d|ad\d)`), inventory.TypeServer, 0.4},
		{regexp.MustCompile(`(?i)^(prn|printer|brn|npi)`), inventory.TypePrinter, 0.5},
		{regexp.MustCompile(`(?i)^(nas|diskstation)`), inventory.TypeNAS, 0.5},
		{regexp.MustCompile(`(?i)^(sw|switch)[-_0-9]`), inventory.TypeSwitch, 0.4},
		{regexp.MustCompile(`(?i)^(gw|rtr|router|fw)[-_0-9]`), inventory.TypeRouter, 0.4},
		{regexp.MustCompile(`(?i)^(ap|wap)[-_0-9]`), inventory.TypeAP, 0.4},
		{regexp.MustCompile(`(?i)^(esxi|pve|hv)[-_0-9]`), inventory.TypeHypervisor, 0.5},
		{regexp.MustCompile(`(?i)^(cam|ipcam|nvr)[-_0-9]`), inventory.TypeCamera, 0.5},
		{regexp.MustCompile(`(?i)^(ups)[-_0-9]`), inventory.TypeUPS, 0.5},
	}
	dhcpVendorRules = []textRule{
		{regexp.MustCompile(`(?i)^android-dhcp`), inventory.TypePhone, 0.6},
		{regexp.MustCompile(`(?i)^MSFT`), inventory.TypeWorkstation, 0.4},
		{regexp.MustCompile(`(?i)^(Cisco Systems, Inc. IP Phone|Polycom|Yealink|Grandstream)`), inventory.TypePhone, 0.8},
		{regexp.MustCompile(`(?i)^(ArubaAP|Aruba|Ruckus|Cisco AP)`), inventory.TypeAP, 0.8},
		{regexp.MustCompile(`(?i)^(udhcp|ESP|Espressif)`), inventory.TypeIoT, 0.3},
		{regexp.MustCompile(`(?i)^(HP|Hewlett-Packard) ?(JetDirect|Printer)`), inventory.TypePrinter, 0.8},
	}
)

// Classify sets d's Type, TypeConfidence and TypeEvidence from all the
// evidence the device has gathered (capabilities it announces, services,
// make, model and SNMP description, DHCP vendor class, host name, MAC
// vendor, a sensor's own statement) and reports whether they changed. Each
// signal has a weight; the weights of one type combine as independent
// evidence (1 - Π(1-w)), and the best type wins. With no signal the type is
// unknown with confidence 0.
func Classify(d *inventory.Device) bool { return ClassifyWith(d, ClassifyHints{}) }

// ClassifyWith is Classify with what the wiring knows of the LAN (its
// default gateway).
func ClassifyWith(d *inventory.Device, h ClassifyHints) bool {
	var clues []clue
	add := func(t inventory.DeviceType, w float64, source, detail string) {
		clues = append(clues, clue{t: t, weight: w, source: source, detail: detail})
	}
	if d.SensorType != "" && d.SensorType != inventory.TypeUnknown {
		add(d.SensorType, 0.8, "sensor", string(d.SensorType))
	}
	for _, c := range d.Capabilities {
		if cl, ok := capClues[c]; ok {
			add(cl.t, cl.weight, "capability", c)
		}
	}
	for _, s := range d.Services {
		for _, sc := range serviceClues {
			if strings.HasPrefix(s, sc.prefix) {
				add(sc.t, sc.weight, "service", s)
				break
			}
		}
	}
	text := []struct{ source, s string }{{"make", d.Make}, {"model", d.Model}, {"os", d.OS}, {"vendor", d.Vendor}}
	if d.SNMP != nil {
		text = append(text, struct{ source, s string }{"sysDescr", d.SNMP.SysDescr})
	}
	for _, tx := range text {
		if tx.s == "" {
			continue
		}
		for _, r := range textRules {
			if r.re.MatchString(tx.s) {
				w := r.weight
				if tx.source == "vendor" {
					w *= 0.7 // a MAC block says who made the NIC, not what it sits in
				}
				add(r.t, w, tx.source, tx.s)
			}
		}
	}
	for _, n := range append([]string{d.Hostname}, d.Names...) {
		if n == "" {
			continue
		}
		for _, r := range hostRules {
			if r.re.MatchString(n) {
				add(r.t, r.weight, "name", n)
				break
			}
		}
	}
	moreClues(d, h, add)
	if d.DHCPVendor != "" {
		for _, r := range dhcpVendorRules {
			if r.re.MatchString(d.DHCPVendor) {
				add(r.t, r.weight, "dhcp vendor class", d.DHCPVendor)
			}
		}
	}

	best, conf := inventory.TypeUnknown, 0.0
	scores := map[inventory.DeviceType]float64{}
	for _, c := range clues {
		scores[c.t] = 1 - (1-scores[c.t])*(1-c.weight)
	}
	for _, t := range allTypes {
		if s := scores[t]; s > conf+1e-9 {
			best, conf = t, s
		}
	}
	conf = math.Round(conf*100) / 100
	var ev []inventory.Evidence
	for _, c := range clues {
		if c.t == best {
			e := inventory.Evidence{Source: c.source, Detail: c.detail}
			if !slices.Contains(ev, e) {
				ev = append(ev, e)
			}
		}
	}
	if best == inventory.TypeUnknown && d.Type != "" && d.Type != inventory.TypeUnknown {
		return false // nothing to go on: leave what a sensor set
	}
	changed := d.Type != best || d.TypeConfidence != conf || !slices.Equal(d.TypeEvidence, ev)
	d.Type, d.TypeConfidence, d.TypeEvidence = best, conf, ev
	return changed
}

// allTypes fixes the order ties are broken in: the more specific kind first.
var allTypes = []inventory.DeviceType{
	inventory.TypeFirewall, inventory.TypeRouter, inventory.TypeSwitch, inventory.TypeAP, inventory.TypePrinter,
	inventory.TypeNAS, inventory.TypeUPS, inventory.TypeHypervisor, inventory.TypeServer, inventory.TypeCamera,
	inventory.TypePhone, inventory.TypeWorkstation, inventory.TypeIoT,
}
