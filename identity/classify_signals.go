package identity

import (
	"math/bits"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"tend/internal/lazyre"
	"tend/inventory"
)

// The rule tables of Classify's signals beyond what a device says it is:
// the organisation its MAC block is registered to, a DHCP parameter
// request list (option 55), Apple's model identifiers, and the gatherers
// that read them. Weights are low where a maker sells several kinds of
// device, and every rule names a maker or a protocol shape, never one
// capture's device.

// makerRules map a maker's name to the kind of device it mostly sells:
// the organisation the MAC registry (IEEE's spelling) names for a MAC
// block, and the maker a sensor names for the product (an SNMP agent's
// enterprise, IANA's spelling, or its rule's make), matched case blind;
// the first match counts. Makers of several kinds stay at 0.3 or less, or
// are left out, so any clue of what the device says or does outweighs
// them.
var makerRules = []textRule{
	{&lazyre.Regexp{Expr: `(?i)\b(fortinet|palo alto|sonicwall|watchguard|sophos|check ?point|barracuda|stormshield|forcepoint|blue coat|hillstone|elitecore|cyberoam)`}, inventory.TypeFirewall, 0.6},
	{&lazyre.Regexp{Expr: `(?i)\b(arbor networks|arbor\b|corero)`}, inventory.TypeFirewall, 0.4}, // DDoS mitigation appliances
	{&lazyre.Regexp{Expr: `(?i)\b(routerboard|mikrotik|draytek|avm (gmbh|audiovisuelles)|teltonika|peplink|pepwave|cradlepoint|sagemcom|technicolor|vantiva|castlenet|compal broadband|hitron|silver peak|riverbed|advantech czech|icotera)`}, inventory.TypeRouter, 0.5},
	// Cable and DSL gear makers that also build set-top boxes, phones or
	// OEM boards; carrier access, optical transport and router gear (RAD,
	// IIJ's SEIL routers, OLTs, DWDM, HUBER+SUHNER's Cube Optics CWDM);
	// LANCOM's routers, APs and switches.
	{&lazyre.Regexp{Expr: `(?i)\b(arris|commscope|askey|zte\b|zhongxing|rad data communications|internet initiative japan|lancom|adva\b|calix|oneaccess|teldat|firebrick|ciena|fibrolan|packetlight|occam|nortel|northern telecom|ip infusion|wuhan research|cainonet|general instrument|infinera|ekinops|transmode|cube optics|smartoptics|pan dacom|teleste|bktel|loop telecom|bintec|hatteras networks|zhone|dasan|adtran|keymile|nokia|ecitele|eci telecom|coriant|tellabs|casa systems|harmonic|cdata|bdcom|raisecom|iskratel|vyos)`}, inventory.TypeRouter, 0.3},
	// The same carrier gear under its maker's name today, where a
	// sysDescr's copyright notice names it over the enterprise number's
	// registered owner (Wuhan Research, ECI Telecom, Raybit).
	{&lazyre.Regexp{Expr: `(?i)\b(fiberhome|ribbon communications|ribbon\b|bti\b)`}, inventory.TypeRouter, 0.3},
	{&lazyre.Regexp{Expr: `(?i)\b(juniper networks)`}, inventory.TypeRouter, 0.3}, // routers, EX switches, SRX firewalls
	{&lazyre.Regexp{Expr: `(?i)\b(ruckus|aerohive|engenius|mist systems|colubris)`}, inventory.TypeAP, 0.45},
	// Also switches, gateways, cameras; radio and microwave link makers.
	{&lazyre.Regexp{Expr: `(?i)\b(ubiquiti|meraki|aruba|cambium|saf tehnika|dragonwave|radwin|siae|ignitenet|mimosa|tachyon networks|siklu|aviat\b|4rf\b|ceragon|airspan|alvarion|proxim|redline|exalt|intracom|ligowave|deliberant|altai|infinet|wave ?2 ?wave)`}, inventory.TypeAP, 0.3},
	// Switch makers, industrial Ethernet among them.
	{&lazyre.Regexp{Expr: `(?i)\b(fs\.com|hirschmann|qtech|force10|metamako|edge-core|mellanox|cumulus|pica8|enterasys|westermo|korenix|lantech|netonix|dcn\b|snr\b|digital china|centec|teracom telematica|waystream|maipu)`}, inventory.TypeSwitch, 0.3},
	{&lazyre.Regexp{Expr: `(?i)\b(arista|extreme networks|brocade|foundry|edgecore|accton|allied telesis|netgear|d-link|zyxel|3com|moxa|tp-link|planet technology|ruijie|h3c|procurve|phoenix contact|belden|transition networks|perle|eltex|trendnet)`}, inventory.TypeSwitch, 0.25},
	// Cisco sells routers, switches, access points and phones alike;
	// heard on a LAN without any other signal, it is most often the
	// gateway or the switch carrying the capture.
	{&lazyre.Regexp{Expr: `(?i)^cisco systems`}, inventory.TypeRouter, 0.2},
	{&lazyre.Regexp{Expr: `(?i)\b(edimax)`}, inventory.TypeRouter, 0.2}, // routers, APs, USB Wi-Fi adapters
	{&lazyre.Regexp{Expr: `(?i)\b(polycom|allworx|yealink|snom|grandstream|mitel|aastra|avaya|gigaset|fanvil|obihai|spectralink|htek|alcatel-lucent enterprise)`}, inventory.TypePhone, 0.6},
	{&lazyre.Regexp{Expr: `(?i)\b(axis\b|hikvision|dahua|hanwha|vivotek|mobotix|uniview|reolink|amcrest|avigilon|bosch security|milesight|geovision)`}, inventory.TypeCamera, 0.7},
	{&lazyre.Regexp{Expr: `(?i)\b(brother|epson|lexmark|xerox|kyocera|ricoh|konica|zebra technologies|sharp corporation|oki electric|oki data|canon|fujifilm business innovation|toshiba tec|printronix)`}, inventory.TypePrinter, 0.55},
	{&lazyre.Regexp{Expr: `(?i)\b(synology|qnap|icp electronics|netapp|buffalo|drobo|asustor|terramaster|western digital)`}, inventory.TypeNAS, 0.5},
	{&lazyre.Regexp{Expr: `(?i)\b(emc\b|isilon|infortrend|dot hill|nimble|pure storage|quantum corp|overland|hitachi data|data domain|tegile|equallogic|seagate)`}, inventory.TypeNAS, 0.4}, // storage arrays, tape libraries, NAS
	// Environment monitors (temperature, humidity, door sensors), before
	// the power makers whose names their makes carry ("Schneider Electric /
	// APC NetBotz").
	{&lazyre.Regexp{Expr: `(?i)\b(wiesemann|hw group|rittal|carel|teracom ltd|akcp|sensatronics|netbotz|didactum|kentix|comet system|sensorprobe|inovonics|jacarta|avtech|poseidon|room alert|dantel|vutlan|stulz)`}, inventory.TypeIoT, 0.45},
	{&lazyre.Regexp{Expr: `(?i)\b(american power conversion|schneider electric|eaton|mge\b|cyber ?power|riello|socomec|vertiv|liebert|powerwalker|tripp lite|chatsworth|ablerex|victron|tycon)`}, inventory.TypeUPS, 0.5},
	// More UPS and PDU makers.
	{&lazyre.Regexp{Expr: `(?i)\bups\b|\bpower (co\b|corp|system|solution)|\b(apc\b|powerware|emerson network power|eltek|delta (electronics|energy)|server technology|raritan|gude|argus tech|innovative circuit|benning|legrand|generex|netagent|megatec|sentry|enconnex|geist|minuteman|online usv|salicru|zpe|huawei.*power|schleifenbauer|bachmann|baytech|wti\b|western telematic|alpha technologies|cherokee international|janitza|net-track|samlex|sinetica)`}, inventory.TypeUPS, 0.45},
	// Console, device and time servers; server board and BMC makers;
	// vulnerability scanner appliances (Greenbone's).
	{&lazyre.Regexp{Expr: `(?i)\b(greenbone|opengear|lantronix|digi international|avocent|cyclades|symmetricom|microsemi|meinberg|endrun|oscilloquartz|brandywine|spectracom|orolia|tekron|ami\b|american megatrends)`}, inventory.TypeServer, 0.35},
	{&lazyre.Regexp{Expr: `(?i)\b(vmware|xensource|microsoft corporation.*hyper|proxmox|nutanix)`}, inventory.TypeServer, 0.35},
	// Server board and server NIC makers.
	{&lazyre.Regexp{Expr: `(?i)\b(super micro|supermicro|inventec|silicom)`}, inventory.TypeServer, 0.4},
	{&lazyre.Regexp{Expr: `(?i)\b(quanta computer)`}, inventory.TypeServer, 0.25}, // servers and notebooks
	{&lazyre.Regexp{Expr: `(?i)\b(siemens building)`}, inventory.TypeIoT, 0.5},    // building automation controllers
	{&lazyre.Regexp{Expr: `(?i)\b(siemens)`}, inventory.TypeSwitch, 0.25},         // industrial switches (Scalance, RUGGEDCOM), PLCs
	{&lazyre.Regexp{Expr: `(?i)\b(espressif|tuya|shelly|allterco|sonos|raspberry pi|nest labs|signify|philips lighting|roku|ecobee|amazon technologies|lifx|wiz connected)`}, inventory.TypeIoT, 0.45},
	{&lazyre.Regexp{Expr: `(?i)\b(google|belkin)`}, inventory.TypeIoT, 0.25}, // also phones, laptops, USB adapters
	{&lazyre.Regexp{Expr: `(?i)\bhewlett packard enterprise`}, inventory.TypeSwitch, 0.2},
	// PC makers, motherboard, notebook and USB network-chip makers: most
	// of what they put on a LAN is a computer.
	{&lazyre.Regexp{Expr: `(?i)\b(apple|intel corporat|liteon|lite-on|azurewave|hon hai|realtek|lenovo|dell inc|hewlett packard|asustek|giga-byte|asrock|abit computer|micro-star|universal global scientific|good way|elitegroup|foxconn|wistron|pegatron)`}, inventory.TypeWorkstation, 0.2},
	{&lazyre.Regexp{Expr: `(?i)\b(samsung electronics|xiaomi|oneplus|huawei device|motorola mobility|oppo|vivo mobile)`}, inventory.TypePhone, 0.25},
}

// virtualNICs are MAC blocks hypervisors hand their virtual machines (the
// IEEE registry names the hypervisor's maker, or nobody for KVM's
// locally administered 52:54:00): the device is a virtual machine, most
// often a server. VirtualBox is a desktop product: its guests are mostly
// someone's test machine.
var virtualNICs = []virtualNICBlock{
	{[3]byte{0x52, 0x54, 0x00}, inventory.TypeServer, 0.35, "QEMU/KVM virtual NIC"},
	{[3]byte{0x00, 0x16, 0x3e}, inventory.TypeServer, 0.35, "Xen virtual NIC"},
	{[3]byte{0x00, 0x15, 0x5d}, inventory.TypeServer, 0.35, "Hyper-V virtual NIC"},
	{[3]byte{0x00, 0x50, 0x56}, inventory.TypeServer, 0.35, "VMware virtual NIC"},
	{[3]byte{0x00, 0x0c, 0x29}, inventory.TypeServer, 0.35, "VMware virtual NIC"},
	{[3]byte{0x08, 0x00, 0x27}, inventory.TypeWorkstation, 0.3, "VirtualBox virtual NIC"},
	{[3]byte{0x0a, 0x00, 0x27}, inventory.TypeWorkstation, 0.3, "VirtualBox host-only adapter"},
}

// A virtualNICBlock is a hypervisor's MAC block for its guests' NICs.
type virtualNICBlock struct {
	prefix [3]byte
	t      inventory.DeviceType
	weight float64
	what   string
}

// appleModels are the model identifiers Apple devices announce in mDNS
// (_device-info._tcp "model=", AirPlay "model="), by family, as Rapid7
// Recog's mdns_device-info_txt.xml lists them (BSD-2-Clause).
var appleModels = []textRule{
	{&lazyre.Regexp{Expr: `^(MacBook|iMac|Macmini|MacPro|Mac\d+,\d)`}, inventory.TypeWorkstation, 0.7},
	{&lazyre.Regexp{Expr: `^(iPhone|iPad|iPod)\d`}, inventory.TypePhone, 0.7},
	{&lazyre.Regexp{Expr: `^(AppleTV\d|AudioAccessory\d|J\d+[a-zA-Z]*AP$|B\d+a?AP$)`}, inventory.TypeIoT, 0.7},
	{&lazyre.Regexp{Expr: `^(AirPort\d|TimeCapsule)`}, inventory.TypeAP, 0.7},
	{&lazyre.Regexp{Expr: `^(RackMac|Xserve)`}, inventory.TypeServer, 0.7},
}

// dhcpParamRules match the start of a DHCP parameter request list (option
// 55, codes in order): operating systems ask in fixed orders (fingerbank
// and Recog document the common ones).
var dhcpParamRules = []struct {
	prefix string
	t      inventory.DeviceType
	weight float64
	what   string
}{
	{"1,3,6,15,31,33,43,44,46,47,119,121,249,252", inventory.TypeWorkstation, 0.5, "Windows"},
	{"1,3,6,15,31,33,43,44,46,47,121,249,252", inventory.TypeWorkstation, 0.5, "Windows"},
	{"1,121,3,6,15,114,119,252,95,44,46", inventory.TypeWorkstation, 0.45, "macOS"},
	{"1,121,3,6,15,119,252,95,44,46", inventory.TypeWorkstation, 0.45, "macOS"},
	{"1,121,3,6,15,108,114,119,252", inventory.TypePhone, 0.5, "iOS"},
	{"1,121,3,6,15,119,252", inventory.TypePhone, 0.45, "iOS"},
	{"1,3,6,15,26,28,51,58,59,43", inventory.TypePhone, 0.5, "Android"},
	{"1,3,6,15,26,28,51,58,59", inventory.TypePhone, 0.45, "Android"},
	{"1,28,2,3,15,6,119,12,44,47,26,121,42", inventory.TypeWorkstation, 0.4, "Linux (ISC dhclient)"},
	{"1,3,6,28,33,121", inventory.TypeIoT, 0.3, "embedded"},
	{"1,3,28,6", inventory.TypeIoT, 0.3, "embedded (lwIP)"},
	{"1,3,6,12,15,28,42", inventory.TypeIoT, 0.25, "embedded (udhcpc)"},
}

// recogDHCP holds Recog's vendor class patterns (dhcp_recog.go), each
// compiled the first time a vendor class could match it: one that does not
// start with the pattern's literal prefix is not tried. Compiling all 61 at
// once was 1 % of tend replay's time on the corpus mix (2.5 ms), paid for
// vendor classes such as "MSFT 5.0" that no pattern's prefix fits.
var recogDHCP = sync.OnceValue(func() []recogPattern {
	res := make([]recogPattern, len(recogDHCPVendor))
	for i, r := range recogDHCPVendor {
		res[i] = recogPattern{anchoredPrefix(r.pattern), lazyre.New(r.pattern)} // the generator compiled each already
	}
	return res
})

// recogPattern is a Recog pattern with the text every match starts with.
type recogPattern struct {
	prefix string
	re     *lazyre.Regexp
}

// match reports whether s matches, compiling the pattern only if s starts
// with its prefix.
func (r recogPattern) match(s string) bool {
	return strings.HasPrefix(s, r.prefix) && r.re.MatchString(s)
}

// anchoredPrefix returns the literal text every match of the regular
// expression p starts with: the plain ASCII characters (or escaped
// punctuation) after a leading ^, less the last one if a quantifier follows
// it; "" when p does not start with ^ or has an alternative outside
// parentheses and brackets. It reads a prefix, it does not check p
// (TestAnchoredPrefix holds it to regexp/syntax's reading of every pattern).
func anchoredPrefix(p string) string {
	if !strings.HasPrefix(p, "^") || topLevelAlternation(p) {
		return ""
	}
	var lit []byte
	i := 1
	for ; i < len(p); i++ {
		c := p[i]
		if c == '\\' && i+1 < len(p) && isASCIIPunct(p[i+1]) {
			i++
			lit = append(lit, p[i])
			continue
		}
		if c >= 0x80 || strings.IndexByte(`\.+*?()|[]{}^$`, c) >= 0 {
			break
		}
		lit = append(lit, c)
	}
	if i < len(p) && strings.IndexByte("?*+{", p[i]) >= 0 && len(lit) > 0 {
		lit = lit[:len(lit)-1] // the last character may be absent
	}
	return string(lit)
}

// topLevelAlternation reports whether p has a | outside every group and
// bracket expression.
func topLevelAlternation(p string) bool {
	depth, class := 0, false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
			if strings.HasPrefix(p[i+1:], "^") {
				i++
			}
			if strings.HasPrefix(p[i+1:], "]") {
				i++ // a ] first is a member
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			return true
		}
	}
	return false
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// ClassifyHints carries what only the wiring knows about a device's place
// on the LAN.
type ClassifyHints struct {
	// Gateways are the LAN's default gateway addresses (from the box's
	// own routes or DHCP option 3).
	Gateways []netip.Addr
	// Rules, when set, remembers which rules each text matched, for a
	// caller that classifies the same devices again and again (storage, at
	// every batch): the answer depends on the text alone, and trying the
	// case-folding regexps on the same registry names, makes, models and
	// host names at every batch was 3 % of tend replay's time on the corpus
	// mix. Nil: matched every time.
	Rules *RuleCache
}

// RuleCache remembers, per rule list and text, which rules match it. It
// is safe for concurrent use.
type RuleCache struct {
	mu sync.Mutex
	m  map[ruleText]uint64
}

// ruleText is one text matched against one rule list.
type ruleText struct {
	list ruleList
	s    string
}

// ruleList names the rule lists a RuleCache remembers.
type ruleList uint8

const (
	listOrg  ruleList = iota // makerRules, first match
	listText                 // textRules, every match
	listHost                 // hostRules, first match
)

// NewRuleCache returns an empty cache.
func NewRuleCache() *RuleCache { return &RuleCache{m: map[ruleText]uint64{}} }

// maxRuleTexts bounds a RuleCache; past it the cache starts again (a LAN
// has tens of makers and models; a forged-MAC flood may name thousands).
const maxRuleTexts = 4096

// matches returns the set of rules in rules that match s, bit i for
// rules[i]; with first, only the first that matches. Through c when it is
// not nil. rules holds at most 64 (TestRuleListsFit).
func (c *RuleCache) matches(list ruleList, rules []textRule, s string, first bool) uint64 {
	if c == nil {
		return matchRules(rules, s, first)
	}
	k := ruleText{list, s}
	c.mu.Lock()
	defer c.mu.Unlock()
	if m, ok := c.m[k]; ok {
		return m
	}
	m := matchRules(rules, s, first)
	if len(c.m) >= maxRuleTexts {
		clear(c.m)
	}
	c.m[k] = m
	return m
}

func matchRules(rules []textRule, s string, first bool) uint64 {
	var m uint64
	for i, r := range rules {
		if r.re.MatchString(s) {
			m |= 1 << i
			if first {
				break
			}
		}
	}
	return m
}

// appleModelClues: the model identifier an Apple device announces
// (mDNS _device-info._tcp or AirPlay "model=").
func appleModelClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	if d.Model == "" {
		return
	}
	for _, r := range appleModels {
		if r.re.MatchString(d.Model) {
			add(r.t, r.weight, "model", d.Model)
			return
		}
	}
}

// macClues gathers the clue of d's MAC address: a hypervisor's virtual
// NIC prefix.
func macClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	if len(d.MAC) == 6 {
		for _, v := range virtualNICs {
			if [3]byte(d.MAC[:3]) == v.prefix {
				add(v.t, v.weight, "mac registry", v.what+" ("+d.MAC.String()[:8]+")")
				return
			}
		}
	}
}

// makerClues gathers the clues of who made d, through the one maker table
// (makerRules): the registry organisation of its MAC block (unless it is a
// virtual NIC's) and the maker a sensor named (Make), or, when no maker
// was named or the name matches no rule, a maker the SNMP sysDescr or the
// model names ("APC Web/SNMP Management Card", "Brother NC-8300w"). A
// maker two of them name counts once.
func makerClues(d *inventory.Device, h ClassifyHints, add addClue) {
	orgRule := -1
	if d.Vendor != "" && !virtualNIC(d.MAC) {
		if m := h.Rules.matches(listOrg, makerRules, d.Vendor, true); m != 0 {
			orgRule = bits.TrailingZeros64(m)
			r := makerRules[orgRule]
			add(r.t, r.weight, "mac registry", d.Vendor+" mostly sells "+kinds[r.t])
		}
	}
	texts := [3]struct{ source, s string }{{"maker", d.Make}, {"sysDescr", ""}, {"model", d.Model}}
	if d.SNMP != nil {
		texts[1].s = d.SNMP.SysDescr
	}
	for i, tx := range texts {
		if tx.s == "" {
			continue
		}
		m := h.Rules.matches(listOrg, makerRules, tx.s, true)
		if m == 0 {
			continue
		}
		if j := bits.TrailingZeros64(m); j != orgRule {
			r := makerRules[j]
			detail := tx.s + " mostly sells " + kinds[r.t]
			if i > 0 {
				detail = "names a maker that mostly sells " + kinds[r.t] + ": " + tx.s
			}
			add(r.t, r.weight, tx.source, detail)
		}
		return
	}
}

// virtualNIC reports whether mac is in a hypervisor's virtual NIC block.
func virtualNIC(mac inventory.MAC) bool {
	return len(mac) == 6 && slices.ContainsFunc(virtualNICs, func(v virtualNICBlock) bool { return [3]byte(mac[:3]) == v.prefix })
}

// dhcpClues gathers the clues of d's DHCP requests: the parameter request
// list and the vendor class (this file's rules, then Recog's).
func dhcpClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	if d.DHCPParams != "" {
		for _, r := range dhcpParamRules {
			if d.DHCPParams == r.prefix || strings.HasPrefix(d.DHCPParams, r.prefix+",") {
				add(r.t, r.weight, "dhcp parameter list", r.what+" ("+d.DHCPParams+")")
				break
			}
		}
	}
	if d.DHCPVendor != "" {
		for _, r := range dhcpVendorRules {
			if r.re.MatchString(d.DHCPVendor) {
				add(r.t, r.weight, "dhcp vendor class", d.DHCPVendor)
				break
			}
		}
		for i, re := range recogDHCP() {
			if re.match(d.DHCPVendor) {
				r := recogDHCPVendor[i]
				add(r.t, 0.8, "dhcp vendor class", d.DHCPVendor+" (Recog: "+r.what+")")
				break
			}
		}
	}
}

// nameClues gathers the clues of what d calls itself: its host names,
// each once whatever its case, the first matching rule each. A name that
// is the maker's own (SwOS's and RouterOS's default identity "MikroTik")
// says who made it, which makerClues counts, not what it is.
func nameClues(d *inventory.Device, h ClassifyHints, add addClue) {
	for i, n := range append([]string{d.Hostname}, d.Names...) {
		if n == "" || strings.EqualFold(n, d.Make) || (i > 0 && strings.EqualFold(n, d.Hostname)) ||
			(i > 1 && slices.ContainsFunc(d.Names[:i-1], func(m string) bool { return strings.EqualFold(m, n) })) {
			continue
		}
		if m := h.Rules.matches(listHost, hostRules, n, true); m != 0 {
			r := hostRules[bits.TrailingZeros64(m)]
			add(r.t, r.weight, "name", n)
		}
	}
}

// placeClues gathers the clues of d's place on the LAN: an end host that
// said nothing else, or the default gateway.
func placeClues(d *inventory.Device, h ClassifyHints, add addClue) {
	// An end host that spoke NetBIOS, asked DHCP for an address or
	// answered mDNS and said nothing else: in an office, most such hosts
	// are computers. The weakest clue, overruled by any other.
	for _, src := range []struct {
		s      inventory.Source
		detail string
	}{{inventory.SourceNBNS, "NetBIOS name holder"}, {inventory.SourceDHCP, "DHCP client"}, {inventory.SourceMDNS, "mDNS host"}} {
		if slices.Contains(d.Sources, src.s) && !slices.Contains(d.Services, "dhcp-server") {
			add(inventory.TypeWorkstation, 0.15, "end host", src.detail)
			break
		}
	}
	for _, gw := range h.Gateways {
		if gw.IsValid() && d.IP == gw {
			add(inventory.TypeRouter, 0.6, "default gateway", gw.String())
			break
		}
	}
}
