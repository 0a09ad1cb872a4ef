package snmp

import (
	"fmt"
	"math"
	"strconv"

	"tend/internal/lazyre"
	"tend/inventory"
)

// General evidence of a device's kind, for agents no rule gives a type:
// the standard MIBs' structure (RFC 3418's sysServices layers, ipForwarding,
// BRIDGE-MIB's port count, UPS-MIB and Printer-MIB answering, the first
// HOST-RESOURCES device), keywords of sysDescr and the model, and the main
// product kind of the maker the sysObjectID's enterprise names. Each clue
// has a weight; the weights of one type combine as independent evidence
// (1 - Π(1-w)), as identity.Classify weighs its clues, and the best type
// wins when it reaches minTypeScore. Every clue is read in the identity GET
// the rules already send (typeScalars), never from a walk.
const (
	oidSysServices      = "1.3.6.1.2.1.1.7.0"
	oidIPForwarding     = "1.3.6.1.2.1.4.1.0"
	oidDot1dBaseNumPort = "1.3.6.1.2.1.17.1.2.0"
)

// typeScalars are read with the standard scalars.
var typeScalars = []string{oidSysServices, oidIPForwarding, oidDot1dBaseNumPort}

// minTypeScore is the combined weight a type needs before the SNMP
// sensor states it: below it the device stays unknown.
const minTypeScore = 0.3

// minSaidScore is the weight of what the agent says of its own kind (every
// clue but the maker's) that overrules a vendor rule's fixed type.
const minSaidScore = 0.5

// typeKeywords are words of sysDescr or the model that name the kind of
// product; every match counts.
var typeKeywords = []struct {
	re *lazyre.Regexp
	t  inventory.DeviceType
	w  float64
}{
	{lazyre.New(`(?i)\b(ups|uninterruptible|pdu|power distribution|rack power|rectifier|inverter|power ?(supply|system|module|manager)|battery|ats\b|transfer switch|powerscale|outlets?\b)|pdu\b`), inventory.TypeUPS, 0.6},
	{lazyre.New(`(?i)\b(sensor|temperature|humidity|environment(al)? monitor|thermometer|climate|cooling|chiller|air ?condition|crac\b|probe|enviro)`), inventory.TypeIoT, 0.5},
	{lazyre.New(`(?i)(switch\b|switching|\bl2\b|\bl3\b|ethernet switch|\bstack|\bnetworking\b|\d*poe\b)`), inventory.TypeSwitch, 0.5},
	{lazyre.New(`(?i)sfp\b`), inventory.TypeSwitch, 0.35}, // a storage node's model may name its SFP ports too
	{lazyre.New(`(?i)\b(router|routing|gateway|\bcpe\b|\bolt\b|\bont\b|\bonu\b|dslam|\bmsan|bras|modem|multiplexer|mux|sdh|sonet|dwdm|optical|transport|media converter|access node|broadband|edfa|erbium|\w*pon\b)`), inventory.TypeRouter, 0.45},
	{lazyre.New(`(?i)\b(firewall|utm\b|security gateway|web (?:gateway|protect)|vpn)`), inventory.TypeFirewall, 0.5},
	{lazyre.New(`\bAP\b|(?i)\b(access point|wireless|wi-?fi|wlan|radio|microwave|airmax|\bptp\b|\bptmp\b|backhaul|802\.11|lte|cellular)`), inventory.TypeAP, 0.45},
	{lazyre.New(`(?i)\b(printer|print server|laser|mfp)\b`), inventory.TypePrinter, 0.6},
	{lazyre.New(`(?i)\b(nas\b|storage|san\b|disk array|raid|tape|library)`), inventory.TypeNAS, 0.45},
	{lazyre.New(`(?i)\b(camera|video server|encoder|nvr\b|dvr\b)`), inventory.TypeCamera, 0.5},
	{lazyre.New(`(?i)\b(voip|\bsip\b|ip phone|telephon|pbx|media gateway|conferenc)`), inventory.TypePhone, 0.45},
	{lazyre.New(`(?i)\b(console server|terminal server|kvm|lights-out|bmc\b|management (card|controller|module)|time server|ntp|gps|clock|server\b)`), inventory.TypeServer, 0.4},
}

// makerKinds are makers (the IANA registry's or tend's name for the
// enterprise number) by the kind of product they mostly sell. Makers of
// several kinds are left out or carry a low weight: any clue of what the
// device says outweighs them.
var makerKinds = []struct {
	re *lazyre.Regexp
	t  inventory.DeviceType
	w  float64
}{
	{lazyre.New(`(?i)\bups\b|\bpower (co\b|corp|system|solution)|\b(american power|apc\b|eaton|powerware|liebert|vertiv|emerson network power|tripp lite|cyber ?power|riello|socomec|eltek|delta (electronics|energy)|server technology|raritan|gude|argus tech|innovative circuit|powerwalker|benning|legrand|generex|netagent|megatec|sentry|enconnex|geist|minuteman|online usv|salicru|zpe|huawei.*power|schleifenbauer|bachmann|baytech|wti\b|western telematic)`), inventory.TypeUPS, 0.45},
	{lazyre.New(`(?i)\b(wiesemann|hw group|rittal|carel|teracom ltd|akcp|sensatronics|netbotz|didactum|kentix|comet system|sensorprobe|inovonics|jacarta|avtech|poseidon|room alert)`), inventory.TypeIoT, 0.45},
	{lazyre.New(`(?i)\b(adva|calix|zhongxing|zte\b|oneaccess|teldat|firebrick|ciena|fibrolan|packetlight|occam|nortel|northern telecom|ip infusion|wuhan research|cainonet|general instrument|arris|infinera|ekinops|transmode|zhone|dasan|adtran|keymile|nokia|ecitele|eci telecom|coriant|tellabs|casa systems|harmonic|cdata|bdcom|raisecom|iskratel|zyxel|draytek|teltonika|peplink|cradlepoint|mikrotik|vyos|juniper)`), inventory.TypeRouter, 0.3},
	{lazyre.New(`(?i)\b(fs\.com|hirschmann|qtech|3com|arista|extreme networks|force10|metamako|edgecore|accton|allied telesis|dcn\b|snr\b|edge-core|mellanox|cumulus|pica8|enterasys|westermo|korenix|lantech|netonix)`), inventory.TypeSwitch, 0.3},
	{lazyre.New(`(?i)\b(moxa|netgear|d-link|tp-link|planet technology|cisco|brocade|foundry|ruijie|h3c|hewlett|procurve|aruba|alcatel-lucent enterprise|phoenix contact|siemens|belden|transition networks|perle|ubiquiti|eltex|zyxel)`), inventory.TypeSwitch, 0.25},
	{lazyre.New(`(?i)\b(saf tehnika|dragonwave|aerohive|radwin|siae|cambium|ruckus|ignitenet|mimosa|ceragon|ubiquiti|airspan|alvarion|proxim|redline|exalt|intracom|ligowave|deliberant|mikrotik|aruba|engenius|ruijie|altai|infinet|wave ?2 ?wave)`), inventory.TypeAP, 0.3},
	{lazyre.New(`(?i)\b(avocent|opengear|cyclades|digi international|symmetricom|microsemi|meinberg|endrun|oscilloquartz|brandywine|spectracom|orolia|tekron|supermicro|super micro|ami\b|american megatrends)`), inventory.TypeServer, 0.35},
	{lazyre.New(`(?i)\b(polycom|yealink|mitel|snom|aastra)`), inventory.TypePhone, 0.35},
	{lazyre.New(`(?i)\b(fortinet|palo alto|sonicwall|watchguard|sophos|check ?point|barracuda|stormshield|forcepoint|arbor)`), inventory.TypeFirewall, 0.4},
	{lazyre.New(`(?i)\b(netapp|synology|qnap|emc|isilon|infortrend|dot hill|nimble|pure storage|quantum|overland|hitachi data|buffalo|drobo|asustor|terramaster)`), inventory.TypeNAS, 0.4},
	{lazyre.New(`(?i)\b(axis|hikvision|dahua|hanwha|vivotek|mobotix|avigilon|bosch security|geovision)`), inventory.TypeCamera, 0.45},
	{lazyre.New(`(?i)\b(lexmark|xerox|kyocera|ricoh|konica|brother|canon|epson|oki|sharp|toshiba tec|zebra|printronix)`), inventory.TypePrinter, 0.45},
}

// typeClues weighs what the agent answered and returns the best type, its
// score, the score of its clues but the weak ones (what the agent says of
// itself, not its maker's usual kind nor a print queue a host lists) and the evidence of its clues ("" when no type reaches
// minTypeScore).
func typeClues(vs *values, model, maker string) (inventory.DeviceType, float64, float64, []inventory.Evidence) {
	var clues []typeClue
	add := func(t inventory.DeviceType, w float64, detail string) {
		clues = append(clues, typeClue{t, w, detail, false})
	}
	if n, err := strconv.Atoi(vs.scalar[oidSysServices].text); err == nil && n > 0 && n < 128 {
		switch {
		case n&4 != 0:
			add(inventory.TypeRouter, 0.3, fmt.Sprintf("sysServices %d: internet layer (router)", n))
		case n&2 != 0:
			add(inventory.TypeSwitch, 0.35, fmt.Sprintf("sysServices %d: datalink layer (bridge)", n))
		case n&64 != 0 && n&7 == 0:
			add(inventory.TypeServer, 0.15, fmt.Sprintf("sysServices %d: application layer only (host)", n))
		}
	}
	if vs.scalar[oidIPForwarding].text == "1" {
		add(inventory.TypeRouter, 0.25, "ipForwarding 1: forwards IP")
	}
	if n, err := strconv.Atoi(vs.scalar[oidDot1dBaseNumPort].text); err == nil && n >= 4 {
		add(inventory.TypeSwitch, 0.5, fmt.Sprintf("BRIDGE-MIB dot1dBaseNumPorts %d", n))
	}
	if vs.scalar[upsIdentModel].text != "" {
		add(inventory.TypeUPS, 0.7, "UPS-MIB upsIdentModel answered")
	}
	if vs.scalar[prtSerial1].text != "" {
		add(inventory.TypePrinter, 0.7, "Printer-MIB prtGeneralSerialNumber answered")
	}
	if vs.scalar[hrDeviceType1].text == hrDevicePrinter { // a Windows server's first device may be a print queue
		clues = append(clues, typeClue{inventory.TypePrinter, 0.7, "HOST-RESOURCES first device is hrDevicePrinter", true})
	}
	for _, tx := range [2]struct{ what, s string }{{"sysDescr", vs.descr}, {"model", model}} {
		if tx.s == "" {
			continue
		}
		for _, k := range typeKeywords {
			if m := k.re.FindString(tx.s); m != "" {
				add(k.t, k.w, fmt.Sprintf("%s says %q", tx.what, m))
			}
		}
	}
	if maker != "" {
		for _, k := range makerKinds {
			if k.re.MatchString(maker) {
				clues = append(clues, typeClue{k.t, k.w, fmt.Sprintf("maker %s mostly sells %s", maker, k.t), true})
				break
			}
		}
	}
	return weighTypeClues(clues)
}

// A typeClue is one general SNMP signal for a device type and its weight.
type typeClue struct {
	t      inventory.DeviceType
	w      float64
	detail string
	weak   bool // the maker's kind, a host's print queue: never overrules a rule
}

// weighTypeClues combines clues per type (1 - the product of 1 - weight) and
// returns the best type, its score, the score of its clues that are not
// weak (what the agent says of its kind) and their evidence; no type below
// minTypeScore.
func weighTypeClues(clues []typeClue) (inventory.DeviceType, float64, float64, []inventory.Evidence) {
	var best inventory.DeviceType
	var bestScore float64
	score := map[inventory.DeviceType]float64{}
	for _, c := range clues {
		score[c.t] = 1 - (1-score[c.t])*(1-c.w)
	}
	for _, c := range clues { // clue order breaks ties: the structural first
		if s := score[c.t]; s > bestScore+1e-9 {
			best, bestScore = c.t, s
		}
	}
	if bestScore < minTypeScore {
		return "", 0, 0, nil
	}
	bestScore = math.Round(bestScore*100) / 100
	var said float64
	var ev []inventory.Evidence
	for _, c := range clues {
		if c.t == best {
			if !c.weak {
				said = 1 - (1-said)*(1-c.w)
			}
			ev = append(ev, inventory.Evidence{Source: "snmp type", Detail: fmt.Sprintf("%s %.2f: %s", best, c.w, c.detail)})
		}
	}
	return best, bestScore, said, ev
}
