package identity

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"tend/internal/lazyre"
	"tend/inventory"
)

// A clue is one signal for one device type with its weight: how sure the
// signal alone makes us (0..1).
type clue struct {
	_      [0]func() // not comparable: no equality function linked
	t      inventory.DeviceType
	weight float64
	source string
	detail string
}

// A textRule is a keyword rule over free text.
type textRule struct {
	re     *lazyre.Regexp
	t      inventory.DeviceType
	weight float64
}

// textRules are the one keyword table of the words that name a kind of
// device, matched in make, model, OS and SNMP sysDescr (kindWords in the
// model and sysDescr only); every match counts.
var textRules = slices.Concat(productRules, kindWords)

// productRules name product lines, systems and makers; they count in any
// of the texts.
var productRules = []textRule{
	{&lazyre.Regexp{Expr: `(?i)\b(WS-C\d|C9[2-5]00|catalyst|procurve|aruba ?cx|edgeswitch|jetstream|css\d{3}|crs\d{3}|swos\b|westermo (?:lynx|redfox|viper)|ex\d{4}(?:\D|$)|dgs-|gs\d{3,4}(?:\D|$)|summit|smcgs|powerconnect(?:$|[^\sw]|\s+[^\sw])|switch(?:es|ing)?\b|usw-|cumulus|meraki ms|icx\d{4}|gwn78\d\d|rtl(?:83|93)\d\d|nexus|ie-?[1-9]\d{3}-|omnistack|net tool optimizer|iscom ?s\d{4})`}, inventory.TypeSwitch, 0.7},
	{&lazyre.Regexp{Expr: `(?i)\b(UGW\d|USG|UDM|UD[RW](?:\d|-|\b)|UXG|UCG|edgerouter|ER-\d|routeros|rb\d{3,4}|vigor|isr ?\d{3,4}|cisco \d{3,4}\b|fritz!box|openwrt|lede\b|rut[cmx]?\d{2,3}|trb\d{3}|smartedge|ipos-\d|velocloud|integrated access software|oneos|netvanta|optix\b|rt-(?:n|ac|ax|be)\d{2,5})`}, inventory.TypeRouter, 0.7},
	// "Gateway" also names VoIP, IoT and media gateways: weaker.
	{&lazyre.Regexp{Expr: `(?i)\bgateway\b`}, inventory.TypeRouter, 0.4},
	{&lazyre.Regexp{Expr: `(?i)\b(fortigate|fortios|sonicos|pfsense|opnsense|fireware|zywall|usg\d|pa-\d{3,4}|pan-os|asa ?\d{4}|firepower|threat defense|meraki mx|gaia\b|cp ?1[1-8][05]0\b|pix\b|defensepro|secureplatform|pulse (?:connect )?secure)`}, inventory.TypeFirewall, 0.8},
	{&lazyre.Regexp{Expr: `(?i)\b(UAP|U6-|nanohd|access point|aruba instant|instant on|unleashed|fortiap|fap\d|wap\d|eap\d{3}|lcos-lx|meraki mr|airfiber|ltu\b|mini-link|aos-w\b|arubaos \(model|powerconnect w-|gwn76\d\d|at-tq\d|iw\d{4})`}, inventory.TypeAP, 0.7},
	// A wireless LAN controller's name ("cisco5500Wlc"): a rule of its own
	// so that lazyre's prefilter keeps the line above off most texts.
	// It outweighs a bare "Cisco 5500", which names a router elsewhere
	// ("Cisco 5500 Wlc", the controller's CISCO-PRODUCTS-MIB name spelled out).
	{&lazyre.Regexp{Expr: `(?i)wlc\b`}, inventory.TypeAP, 0.8},
	{&lazyre.Regexp{Expr: `(?i)\b(laserjet|officejet|deskjet|jetdirect|mfc-[jlt]?\d|dcp-[jlt]?\d|hl-\d|ecosys|canon (ir|lbp|mf)|imagerunner|printer|bizhub)`}, inventory.TypePrinter, 0.75},
	{&lazyre.Regexp{Expr: `(?i)\b(diskstation|dsm(?:$|\s)|qts\b|truenas|freenas|readynas|fluidfs|exagrid|nas\b|powervault|oceanstor|storwize|eternus)`}, inventory.TypeNAS, 0.75},
	{&lazyre.Regexp{Expr: `(?i)\b(smart-ups|smt\d{3,4}|powernet|ups\b|9px|cs1[24]1\b|modulys)`}, inventory.TypeUPS, 0.8},
	{&lazyre.Regexp{Expr: `(?i)\b(esxi|vmware esx|proxmox|hyper-v|xenserver|xcp-ng)`}, inventory.TypeHypervisor, 0.8},
	{&lazyre.Regexp{Expr: `(?i)\b(windows server|server 20\d\d|os/400|idrac|drac\b|remote access controller|ilo\b|integrated lights-out|integrated management module|imm2?\b|irmc\b|onboard administrator|openbmc|xclarity|poweredge|proliant|system x\d{4}|bmc)`}, inventory.TypeServer, 0.6},
	{&lazyre.Regexp{Expr: `(?i)\b(nvr|dvr|ipc-|network camera|networkvideotransmitter|dinion|autodome|flexidome)`}, inventory.TypeCamera, 0.75},
	{&lazyre.Regexp{Expr: `(?i)\b(vvx|gxp|gxw|spa\d{3}|cisco ip phone|iphone|pixel \d|galaxy)`}, inventory.TypePhone, 0.7},
	{&lazyre.Regexp{Expr: `(?i)\b(macbook|imac|mac mini|macmini|thinkpad|latitude|optiplex|elitebook|windows 1[01]|desktop-|laptop-)`}, inventory.TypeWorkstation, 0.6},
	{&lazyre.Regexp{Expr: `(?i)\b(chromecast|apple ?tv|hue bridge|nest (cam|hub|protect|thermostat)|tp-link smart|esphome)`}, inventory.TypeIoT, 0.5},
	// Product lines whose names say no kind: Alcatel-Lucent's OmniSwitch
	// models (OS6350-P24, OS6900-X40, OS10K), Huawei's YunShan OS and
	// its S-series campus switches' models (S1720, S5720, S6720, S12700,
	// the older S5300: "S<n>7<nn>", "S<n>3<nn>", whose VRP sysDescr says "Routing Platform"), Gigamon's GigaVUE packet brokers (a
	// switching fabric), Moxa's NPort serial device servers (sysDescr
	// "NP6150") and AWK wireless APs, Cisco's Identity Services Engine (a
	// NAC server appliance), EfficientIP's SOLIDserver and Infoblox's
	// appliances (DNS/DHCP/IPAM); Raisecom's ISCOM S-series switches
	// ("ISCOM S2600-8S4T4X-AC", "ISCOM S5600-EI"), whose maker also
	// sells carrier routers and OLTs.
	{&lazyre.Regexp{Expr: `(?i)\b(omniswitch|os(?:2[2-3]|6[2-9]|9[7-9])\d{2}|os10k|yunshan|gigavue|s(?:1[27]?|[2-9])[37]\d{2})\b`}, inventory.TypeSwitch, 0.7},
	// Raritan's Dominion SX and KX console and KVM-over-IP servers
	// ("DSX2-32-3", the SX II's model), which tend types as
	// console servers are (kindWords): servers, not the maker's PDUs.
	{&lazyre.Regexp{Expr: `(?i)\b(nport|np[5-6]\d{3}|acs ?\d{4}|identity services engine|solidserver|infoblox|cisco ?uc ?virtual ?machine|dominion ?[sk]x\w*|dsx2-\d+)\b`}, inventory.TypeServer, 0.6},
	{&lazyre.Regexp{Expr: `(?i)\bawk-\d{4}`}, inventory.TypeAP, 0.7},
	// Application delivery controllers (load balancers): F5's BIG-IP,
	// Citrix's NetScaler, Brocade's (Foundry's) ServerIron, Kemp's
	// LoadMaster, Radware's Alteon. tend has no load-balancer type; an ADC
	// is network gear in the traffic's path, proxying and translating
	// addresses between the clients' networks and the servers': router
	// is the nearest kind (LibreNMS files A10's ACOS under network).
	{&lazyre.Regexp{Expr: `(?i)\b(big-ip|netscaler|serveriron|loadmaster|alteon)\b`}, inventory.TypeRouter, 0.6},
}

// kindWords are the general words of a kind of product, weaker than a
// product line's name: an SNMP agent's sysDescr or model often names its
// kind only ("Metered PDU", "GPON OLT", "Environmental Monitor"). They
// count in the model and sysDescr only: in a maker's name they say nothing
// of the product ("Server Technology" makes PDUs, "Microwave Data Systems"
// radios and routers).
var kindWords = []textRule{
	{&lazyre.Regexp{Expr: `(?i)\b(ups|uninterruptible|pdu|power distribution|rack power|rectifier|inverter|power ?(supply|system|module|manager)|battery|ats\b|transfer switch|powerscale|outlets?\b|cdu\b|rps\b)|pdu\b`}, inventory.TypeUPS, 0.6}, // RPS: a redundant power system
	// 1-Wire: Maxim's sensor bus (Embedded Data Systems' gateways present it).
	{&lazyre.Regexp{Expr: `(?i)\b(sensor|temperature|humidity|environment(al)? monitor|thermometer|climate|\w*cooling|chiller|air ?condition|crac\b|probe|enviro|1-wire)`}, inventory.TypeIoT, 0.5},
	// A midspan is IEEE 802.3af's PoE injector, powering ports beside the switch.
	{&lazyre.Regexp{Expr: `(?i)(\wswitch\b|\bl2\b|\bl3\b|\bstack|\bnetworking\b|\d*poe\b|midspan)`}, inventory.TypeSwitch, 0.5},
	{&lazyre.Regexp{Expr: `(?i)sfp\b`}, inventory.TypeSwitch, 0.35}, // a storage node's model may name its SFP ports too
	{&lazyre.Regexp{Expr: `(?i)\b(router|routing|\bcpe\b|\bolt\b|\bont\b|\bonu\b|dslam|\bmsan|bras|modem|multiplexer|sdh|sonet|[cd]?wdm\b|optical|transport|media converter|access node|broadband|edfa|erbium|\w*pon\b)|(?:^|\s)mux\b`}, inventory.TypeRouter, 0.45}, // a word: "3.6.17-mux" is a build
	// A load balancer's general words (see the ADC product lines above),
	// and an SD-WAN edge, a branch router.
	{&lazyre.Regexp{Expr: `(?i)\b(load ?balanc\w*|traffic manager|application delivery|sd-?wan|virtual wan)\b`}, inventory.TypeRouter, 0.5},
	{&lazyre.Regexp{Expr: `(?i)\b(firewall|utm\b|security gateway|web (?:gateway|protect)|vpn)`}, inventory.TypeFirewall, 0.5},
	// "AP" is a word, not a model's suffix ("DS-2CD4C36FWD-AP", a camera).
	// "AP6", a model that is the word and a number, of one or two digits:
	// APC's parts are AP and four ("MN:AP9631", a UPS card; AP7900, a
	// PDU). A VSAT terminal is a radio link as a microwave one is.
	{&lazyre.Regexp{Expr: `(?:^|[^\w\-])AP\d{0,2}\b|(?i)\b(wireless|wi-?fi|wlan|radio|microwave|airmax|\bptp\b|\bptmp\b|backhaul|802\.11|lte|cellular|vsat)`}, inventory.TypeAP, 0.45},
	{&lazyre.Regexp{Expr: `(?i)\b(print server|laser|mfp)\b`}, inventory.TypePrinter, 0.6},
	{&lazyre.Regexp{Expr: `(?i)\b(storage|san\b|disk array|raid|tape|library)`}, inventory.TypeNAS, 0.45},
	{&lazyre.Regexp{Expr: `(?i)\b(camera|video server|encoder)`}, inventory.TypeCamera, 0.5},
	{&lazyre.Regexp{Expr: `(?i)\b(voip|\bsip\b|ip phone|telephon|pbx|media gateway|(?:video)?conferenc)`}, inventory.TypePhone, 0.45},
	{&lazyre.Regexp{Expr: `(?i)\b(console server|terminal server|kvm|lights-out|management (card|controller|module)|time server|ntp|gps|clock|synchroni[sz]ation supply|server\b)`}, inventory.TypeServer, 0.4}, // an SSU: ITU-T G.812's timing unit
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
		// What discovery infers from what a device sends rather than what
		// it declares: switch-only link protocols, and IPv4 frames from
		// several source addresses under one MAC.
		"stp":          {t: inventory.TypeSwitch, weight: 0.6},
		"pvst":         {t: inventory.TypeSwitch, weight: 0.6},
		"dtp":          {t: inventory.TypeSwitch, weight: 0.7},
		"vtp":          {t: inventory.TypeSwitch, weight: 0.7},
		"ip-forwarder": {t: inventory.TypeRouter, weight: 0.5},
		// The rarer LLDP and CDP capability bits: VLAN bridge components
		// (802.1Q C-VLAN and S-VLAN), source-route bridging, two-port MAC
		// relays and repeaters sit in switching gear. CDP's IGMP bit says
		// nothing: routers set it as often as switches.
		"cvlan":               {t: inventory.TypeSwitch, weight: 0.5},
		"svlan":               {t: inventory.TypeSwitch, weight: 0.5},
		"source-route-bridge": {t: inventory.TypeSwitch, weight: 0.5},
		"tpmr":                {t: inventory.TypeSwitch, weight: 0.3},
		"mac-relay":           {t: inventory.TypeSwitch, weight: 0.3},
		"repeater":            {t: inventory.TypeSwitch, weight: 0.3},
	}
	// serviceRules name one kind of device by a DNS-SD, SSDP or WS-Discovery
	// type it announces, or a NetBIOS role (the first match counts).
	serviceRules = []struct {
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
		// A DHCP server that hands out itself as the gateway is the LAN's
		// router; one that names another gateway is a server beside it
		// (a domain controller, a Linux or NAS box, a VM).
		{"dhcp-gateway", clue{t: inventory.TypeRouter, weight: 0.6}},
		{"dhcp-server", clue{t: inventory.TypeServer, weight: 0.4}},
		{"_axis-video._tcp", clue{t: inventory.TypeCamera, weight: 0.9}},
		{"_uscan._tcp", clue{t: inventory.TypePrinter, weight: 0.6}},
		{"_ipp-tls._tcp", clue{t: inventory.TypePrinter, weight: 0.6}},
		{"_esphomelib._tcp", clue{t: inventory.TypeIoT, weight: 0.9}},
		{"_hue._tcp", clue{t: inventory.TypeIoT, weight: 0.9}},
		{"_sonos._tcp", clue{t: inventory.TypeIoT, weight: 0.9}},
		{"_spotify-connect._tcp", clue{t: inventory.TypeIoT, weight: 0.5}},
		{"_raop._tcp", clue{t: inventory.TypeIoT, weight: 0.4}},
		{"_amzn-wplay._tcp", clue{t: inventory.TypeIoT, weight: 0.6}},
		{"_matter._tcp", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"_smb._tcp", clue{t: inventory.TypeWorkstation, weight: 0.2}},
		{"_rdp._tcp", clue{t: inventory.TypeWorkstation, weight: 0.4}},
		{"_sip._udp", clue{t: inventory.TypePhone, weight: 0.5}},
		{"urn:schemas-upnp-org:device:WANDevice", clue{t: inventory.TypeRouter, weight: 0.8}},
		{"urn:schemas-upnp-org:device:WLANAccessPointDevice", clue{t: inventory.TypeAP, weight: 0.8}},
		{"urn:schemas-upnp-org:device:MediaRenderer", clue{t: inventory.TypeIoT, weight: 0.5}},
		{"urn:schemas-upnp-org:device:ZonePlayer", clue{t: inventory.TypeIoT, weight: 0.9}},
		{"urn:dial-multiscreen-org:device:dial", clue{t: inventory.TypeIoT, weight: 0.6}},
		{"urn:schemas-upnp-org:device:Basic", clue{t: inventory.TypeIoT, weight: 0.2}},
		{"wsd:Device", clue{t: inventory.TypeIoT, weight: 0.1}},
		{"print-server", clue{t: inventory.TypePrinter, weight: 0.5}},
		{"master-browser", clue{t: inventory.TypeWorkstation, weight: 0.2}},
		{"_airport._tcp", clue{t: inventory.TypeAP, weight: 0.8}},
		{"_homekit._tcp", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"_meshcop._udp", clue{t: inventory.TypeIoT, weight: 0.6}}, // Thread border routers (HomePod, Nest hubs)
		{"_androidtvremote2._tcp", clue{t: inventory.TypeIoT, weight: 0.8}},
		{"_apple-mobdev2._tcp", clue{t: inventory.TypePhone, weight: 0.6}}, // iPhone/iPad Wi-Fi sync
		{"_psia._tcp", clue{t: inventory.TypeCamera, weight: 0.8}},
		{"_privet._tcp", clue{t: inventory.TypePrinter, weight: 0.6}},
		{"_ica-networking._tcp", clue{t: inventory.TypePrinter, weight: 0.5}},
		{"urn:schemas-upnp-org:device:DigitalSecurityCamera", clue{t: inventory.TypeCamera, weight: 0.8}},
		{"urn:schemas-upnp-org:device:Scanner", clue{t: inventory.TypePrinter, weight: 0.5}},
		{"urn:schemas-upnp-org:device:LANDevice", clue{t: inventory.TypeRouter, weight: 0.6}},
		{"urn:schemas-wifialliance-org:device:WFADevice", clue{t: inventory.TypeAP, weight: 0.5}}, // WPS registrar: a router or AP
		{"urn:schemas-upnp-org:device:BinaryLight", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"urn:schemas-upnp-org:device:DimmableLight", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"urn:schemas-upnp-org:device:HVAC_System", clue{t: inventory.TypeIoT, weight: 0.7}},
		{"urn:schemas-upnp-org:device:RemoteUIServerDevice", clue{t: inventory.TypeIoT, weight: 0.5}}, // smart TVs
	}
	// hostRules match the names devices give themselves, the more
	// specific (default names of one product) first; the first match counts.
	hostRules = []textRule{
		{&lazyre.Regexp{Expr: `(?i)^DESKTOP-[A-Z0-9]{7}$|^LAPTOP-[A-Z0-9]{8}$`}, inventory.TypeWorkstation, 0.7}, // Windows' generated names
		{&lazyre.Regexp{Expr: `(?i)^(FGT|FWF|FortiGate|pfsense|opnsense|sonicwall|watchguard|sophos)`}, inventory.TypeFirewall, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(MikroTik|RB\d{3,4}|fritz\.?box|edgerouter|ER-X|UDM|USG|vigor)`}, inventory.TypeRouter, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(BRN|BRW|NPI|EPSON|HP[0-9A-F]{6}|KMF|XRX|RNP|LEX|KM[0-9A-F]{6})`}, inventory.TypePrinter, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(raspberrypi|ESP[-_]|esphome|shelly|tasmota|sonos|chromecast|roku|echo-|fire-?tv|apple-?tv|google-?home|nest-)`}, inventory.TypeIoT, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(axis-|ipcam|ipc-|hikvision|dahua|reolink)`}, inventory.TypeCamera, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(UAP|U6-|U7-|UAL)`}, inventory.TypeAP, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(DS\d{3,4}|RS\d{3,4}|TS-\d{3,4}|synology|qnap|truenas|freenas)`}, inventory.TypeNAS, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(idrac|ilo|bmc|ipmi|imm)[-_0-9]`}, inventory.TypeServer, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(proxmox|esx|hyperv|xcp)`}, inventory.TypeHypervisor, 0.5},
		{&lazyre.Regexp{Expr: `(?i)(virtual-?machine|qemu|vmware|kvm|\bvm\d*\b)`}, inventory.TypeServer, 0.4},
		{&lazyre.Regexp{Expr: `(?i)^(apc|eaton|ups)[-_0-9]`}, inventory.TypeUPS, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(yealink|polycom|snom|grandstream|SIP-T\d)`}, inventory.TypePhone, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^SEP[0-9A-F]{12}$`}, inventory.TypePhone, 0.8}, // Cisco IP phones name themselves SEP<MAC>
		{&lazyre.Regexp{Expr: `(?i)(iphone|ipad|android|galaxy|pixel)`}, inventory.TypePhone, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(desktop|laptop|ws|pc|nb)-`}, inventory.TypeWorkstation, 0.5},
		{&lazyre.Regexp{Expr: `(?i)(macbook|imac)`}, inventory.TypeWorkstation, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^(srv|server|dc\d|ad\d)`}, inventory.TypeServer, 0.4},
		{&lazyre.Regexp{Expr: `(?i)^(prn|printer|brn|npi)`}, inventory.TypePrinter, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(nas|diskstation)`}, inventory.TypeNAS, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(sw|switch)[-_0-9]`}, inventory.TypeSwitch, 0.4},
		{&lazyre.Regexp{Expr: `(?i)^(gw|rtr|router|fw)[-_0-9]`}, inventory.TypeRouter, 0.4},
		{&lazyre.Regexp{Expr: `(?i)^(ap|wap)[-_0-9]`}, inventory.TypeAP, 0.4},
		{&lazyre.Regexp{Expr: `(?i)^(esxi|pve|hv)[-_0-9]`}, inventory.TypeHypervisor, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(cam|ipcam|nvr)[-_0-9]`}, inventory.TypeCamera, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(ups)[-_0-9]`}, inventory.TypeUPS, 0.5},
	}
	// dhcpVendorRules match a DHCP vendor class (option 60); the first
	// match counts (Recog's patterns follow, in dhcpClues).
	dhcpVendorRules = []textRule{
		{&lazyre.Regexp{Expr: `(?i)^android-dhcp`}, inventory.TypePhone, 0.6},
		{&lazyre.Regexp{Expr: `(?i)^MSFT`}, inventory.TypeWorkstation, 0.4},
		{&lazyre.Regexp{Expr: `(?i)^(Cisco Systems, Inc. IP Phone|Polycom|Yealink|Grandstream|AastraIPPhone|snom|Mitel|Avaya|SIP-T|Fanvil)`}, inventory.TypePhone, 0.8},
		{&lazyre.Regexp{Expr: `(?i)^(Hikvision|Dahua|AXIS)`}, inventory.TypeCamera, 0.8},
		{&lazyre.Regexp{Expr: `(?i)^(HP|Hewlett-Packard) ?(JetDirect|Printer)`}, inventory.TypePrinter, 0.8},
		{&lazyre.Regexp{Expr: `(?i)^(Brother|Canon|EPSON|Lexmark|Xerox|KONICA|Kyocera|RICOH)`}, inventory.TypePrinter, 0.8},
		{&lazyre.Regexp{Expr: `(?i)^(Synology|QNAP)`}, inventory.TypeNAS, 0.8},
		{&lazyre.Regexp{Expr: `(?i)^(ArubaAP|ArubaInstantAP|Ruckus|Cisco AP)`}, inventory.TypeAP, 0.8},
		{&lazyre.Regexp{Expr: `(?i)^(FortiAP|Cambium|Aerohive|AP-)`}, inventory.TypeAP, 0.7},
		{&lazyre.Regexp{Expr: `(?i)^(Fortinet|FortiGate)`}, inventory.TypeFirewall, 0.7},
		{&lazyre.Regexp{Expr: `(?i)^(MikroTik|ZyXEL|DrayTek)`}, inventory.TypeRouter, 0.5},
		{&lazyre.Regexp{Expr: `(?i)^(udhcp|ESP|Espressif)`}, inventory.TypeIoT, 0.3},
		{&lazyre.Regexp{Expr: `(?i)^dhcpcd-.*:Linux`}, inventory.TypeIoT, 0.2},
	}
)

// Classify sets d's Type, TypeConfidence and TypeEvidence from all the
// evidence the device has gathered (capabilities it announces, services,
// make, model and SNMP description, DHCP options, host names, the MAC
// registry, a sensor's own statement, its place on the LAN) and reports
// whether they changed. Each signal has a weight; the weights of one type
// combine as independent evidence (1 - Π(1-w)), and the best type wins.
// When the runner-up type's evidence is strong too (the clues contradict
// each other, say a printer's service on a switch maker's MAC block), the
// evidence ends with an "overruled" note naming its strongest clue. With
// no signal the type is unknown with confidence 0.
func Classify(d *inventory.Device) bool { return ClassifyWith(d, ClassifyHints{}) }

// addClue records one clue of a kind of evidence.
type addClue func(t inventory.DeviceType, weight float64, source, detail string)

// gatherClues runs the gatherers, each adding the clues one kind of
// evidence gives. Every field they read must be one whose change
// inventory.Merge or inventory.Track reports (FoldClassified relies on it;
// TestClassifyReadsOnlyReportedFields checks it). They are called directly,
// not through a slice of func values, so that add (and the clues it
// appends to) stays on ClassifyWith's stack: an indirect call leaks its
// arguments, and the 900-byte clue buffer then cost an allocation per call
// (1.8 % of tend replay's time on the corpus mix).
func gatherClues(d *inventory.Device, h ClassifyHints, add addClue) {
	sensorClues(d, h, add)
	capabilityClues(d, h, add)
	serviceClues(d, h, add)
	textClues(d, h, add)
	appleModelClues(d, h, add)
	nameClues(d, h, add)
	dhcpClues(d, h, add)
	macClues(d, h, add)
	makerClues(d, h, add)
	snmpStructureClues(d, h, add)
	placeClues(d, h, add)
}

// ClassifyWith is Classify with what the wiring knows of the LAN (its
// default gateway).
func ClassifyWith(d *inventory.Device, h ClassifyHints) bool {
	var buf [16]clue
	clues := buf[:0]
	add := func(t inventory.DeviceType, w float64, source, detail string) {
		clues = append(clues, clue{t: t, weight: w, source: source, detail: detail})
	}
	gatherClues(d, h, add)
	best, conf, ev := weigh(clues)
	if best == inventory.TypeUnknown && d.Type != "" && d.Type != inventory.TypeUnknown {
		return false // nothing to go on: leave what a sensor set
	}
	changed := d.Type != best || d.TypeConfidence != conf || !slices.Equal(d.TypeEvidence, ev)
	d.Type, d.TypeConfidence, d.TypeEvidence = best, conf, ev
	return changed
}

// overruledAt is the score a losing type must reach for the evidence to
// name it: below it the clue was a weak guess (a PC maker's MAC block), not
// a contradiction.
const overruledAt = 0.25

// weigh scores the clues per type and returns the best type, its
// confidence (two decimals) and its evidence: the winning type's clues in
// the order they came, and an "overruled" note for a runner-up type
// scoring overruledAt or more.
func weigh(clues []clue) (inventory.DeviceType, float64, []inventory.Evidence) {
	var scores [len(allTypes)]float64
	for _, c := range clues {
		if i := slices.Index(allTypes[:], c.t); i >= 0 {
			scores[i] = 1 - (1-scores[i])*(1-c.weight)
		}
	}
	best, second := -1, -1
	for i, s := range scores {
		switch {
		case s <= 1e-9:
		case best < 0 || s > scores[best]+1e-9:
			best, second = i, best
		case second < 0 || s > scores[second]+1e-9:
			second = i
		}
	}
	if best < 0 {
		return inventory.TypeUnknown, 0, nil
	}
	t := allTypes[best]
	var ev []inventory.Evidence
	for _, c := range clues {
		if e := (inventory.Evidence{Source: c.source, Detail: c.detail}); c.t == t && !slices.Contains(ev, e) {
			ev = append(ev, e)
		}
	}
	if second >= 0 && scores[second] >= overruledAt {
		lost := allTypes[second]
		var top clue
		for _, c := range clues {
			if c.t == lost && c.weight > top.weight {
				top = c
			}
		}
		ev = append(ev, inventory.Evidence{Source: "overruled", Detail: fmt.Sprintf("%s %.2f (%s: %s)", lost, math.Round(scores[second]*100)/100, top.source, top.detail)})
	}
	return t, math.Round(scores[best]*100) / 100, ev
}

// sensorWeight is the weight of a type a sensor stated outright.
const sensorWeight = 0.8

// sensorClues: the type a sensor gave (an SNMP agent's own category,
// LLDP's), at the weight of the sensor's evidence when it only inferred it
// (an SNMP agent's general clues, 0.3 and up), so that a guess does not
// show as sure.
func sensorClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	if d.SensorType != "" && d.SensorType != inventory.TypeUnknown {
		w := sensorWeight
		if d.SensorWeight > 0 {
			w = min(d.SensorWeight, sensorWeight)
		}
		add(d.SensorType, w, "sensor", string(d.SensorType))
	}
}

// capabilityClues: what LLDP/CDP and NetBIOS say the device is, and what
// its frames show (switch-only protocols, IPv4 forwarded for others).
func capabilityClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	for _, c := range d.Capabilities {
		if cl, ok := capClues[c]; ok {
			add(cl.t, cl.weight, "capability", c)
		}
	}
}

// serviceClues: the DNS-SD, SSDP and WS-Discovery types it announces and
// the NetBIOS roles it holds, the first matching rule each.
func serviceClues(d *inventory.Device, _ ClassifyHints, add addClue) {
	for _, list := range [2][]string{d.Services, d.Capabilities} {
		for _, s := range list {
			for _, sc := range serviceRules {
				if strings.HasPrefix(s, sc.prefix) {
					add(sc.t, sc.weight, "service", s)
					break
				}
			}
		}
	}
}

// textClues: keywords in what the device says it is (make, model, OS,
// SNMP sysDescr). Who made it (the MAC registry's organisation, the maker
// a sensor names) counts once more, through the maker table, in
// makerClues.
func textClues(d *inventory.Device, h ClassifyHints, add addClue) {
	text := [4]struct{ source, s string }{{"make", d.Make}, {"model", d.Model}, {"os", d.OS}}
	if d.SNMP != nil {
		text[3] = struct{ source, s string }{"sysDescr", d.SNMP.SysDescr}
	}
	for _, tx := range text {
		if tx.s == "" {
			continue
		}
		m := h.Rules.matches(listText, textRules, tx.s, false)
		if tx.source == "make" || tx.source == "os" {
			m &= 1<<len(productRules) - 1
		}
		for ; m != 0; m &= m - 1 {
			r := textRules[bits.TrailingZeros64(m)]
			add(r.t, r.weight, tx.source, tx.s)
		}
	}
}

// allTypes fixes the order ties are broken in: the more specific kind first.
var allTypes = [...]inventory.DeviceType{
	inventory.TypeFirewall, inventory.TypeRouter, inventory.TypeSwitch, inventory.TypeAP, inventory.TypePrinter,
	inventory.TypeNAS, inventory.TypeUPS, inventory.TypeHypervisor, inventory.TypeServer, inventory.TypeCamera,
	inventory.TypePhone, inventory.TypeWorkstation, inventory.TypeIoT,
}
