package traffic

import (
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"net/netip"
	"sync"
	"time"

	"github.com/google/gopacket/layers"

	"tend/capture"
	"tend/inventory"
)

// Config tunes the Engine. The zero value is the production default.
type Config struct {
	// Learning is how long after the first packet the engine only learns
	// which devices, DHCP servers and traffic levels are normal. Zero
	// means 10 minutes.
	Learning time.Duration
	// LearnPackets is how many frames the learning period needs besides
	// its duration: a sparse capture spanning an hour has not shown what
	// is normal. Zero means 2000; negative means none.
	LearnPackets int
	// Self lists the box's own MAC addresses; its own ARP sweeps and
	// polls are never reported as sweeps or scans.
	Self []net.HardwareAddr
	// Gateway is the default gateway's address, if known (the box's own
	// default route). Otherwise the router option of the known DHCP
	// server's offers is used.
	Gateway netip.Addr
	// DHCPServers are the legitimate DHCP servers. Empty: the first one
	// seen during learning is taken as legitimate.
	DHCPServers []netip.Addr
	// IPv6Routers are the MACs of the LAN's legitimate IPv6 routers
	// besides the IPv4 gateway (a second uplink, a router for IPv6 alone).
	// Any other MAC advertising a default route is a rogue router.
	IPv6Routers []net.HardwareAddr
	// KnownScanners are the sources the operator declared as scanners (a
	// monitoring server, a second sensor): their scans, sweeps and SNMP
	// community guesses are raised at info (knownscanner.go).
	KnownScanners []KnownScanner
	// Window is the sliding window for scans, sweeps and ARP floods.
	// Zero means 60 s.
	Window time.Duration
	// PortScanPorts is how many distinct ports of one host one source
	// may probe within Window before it is a port scan. Zero means 20: a
	// client opens one or two services of a host (a browser 80 and 443, a
	// mail client three), passive FTP's data ports go to one server port
	// range after a control connection; nmap's fastest default sends 1,000.
	PortScanPorts int
	// SweepHosts is how many distinct hosts one source may probe within
	// Window before it is a host sweep. Zero means 24: a workstation talks
	// to its gateway, a few servers and printers, not a tenth of a /24
	// within a minute with SYNs, pings or empty datagrams; a ping sweep
	// probes all 254.
	SweepHosts int
	// ARPFloodReplies is how many ARP replies nobody asked for one MAC
	// may send within Window before it is a poisoning flood. Zero means
	// 120: a host announces itself once or twice (RFC 5227) and answers
	// the requests it is sent, which do not count however many there are;
	// arpspoof re-poisons every two seconds per victim, ettercap floods.
	ARPFloodReplies int
	// ConflictWindow is how recently an address's first owner must have
	// been heard for a second claimant to be a conflict rather than a
	// move. Zero means 5 minutes.
	ConflictWindow time.Duration
	// GoneAfter is how long a known device may stay silent before
	// device_gone. Zero means 1 hour.
	GoneAfter time.Duration
	// SpikeFactor is how many times its baseline a host's traffic in one
	// minute must reach to be a spike, and SpikeMinBytes the least
	// traffic per minute that can be one. Zero means 8 and 5 MB.
	SpikeFactor   float64
	SpikeMinBytes uint64
	// MaxHosts bounds the per-host table; hosts beyond it are counted,
	// not tracked. Zero means 4096. MaxTrackers bounds scan and sweep
	// trackers likewise; zero means 8192.
	MaxHosts    int
	MaxTrackers int
	// Cooldown is how long the same event (type, culprit, target) stays
	// quiet after it was reported. Zero means 10 minutes.
	Cooldown time.Duration
	// Communities are the default SNMP communities reported on the wire.
	// Nil means public and private.
	Communities []string
	// Hygiene, when set, is fed every client's DNS questions and TLS
	// ClientHellos (decoded from the packet the engine already has); nil
	// means no name is decoded at all.
	Hygiene *HygieneTracker
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	defInt := func(i *int, v int) {
		if *i <= 0 {
			*i = v
		}
	}
	def(&c.Learning, 10*time.Minute)
	def(&c.Window, time.Minute)
	def(&c.ConflictWindow, 5*time.Minute)
	def(&c.GoneAfter, time.Hour)
	def(&c.Cooldown, 10*time.Minute)
	defInt(&c.PortScanPorts, 20)
	defInt(&c.SweepHosts, 24)
	defInt(&c.ARPFloodReplies, 120)
	defInt(&c.MaxHosts, 4096)
	defInt(&c.MaxTrackers, 8192)
	if c.LearnPackets == 0 {
		c.LearnPackets = 2000
	}
	if c.SpikeFactor <= 0 {
		c.SpikeFactor = 8
	}
	if c.SpikeMinBytes == 0 {
		c.SpikeMinBytes = 5 << 20
	}
	if c.Communities == nil {
		c.Communities = []string{"public", "private"}
	}
	return c
}

type mac = [6]byte

// A device is only missed once it was really there: it sent goneMinPackets
// over goneMinSpan, and its silence exceeds goneGapFactor times the longest
// pause it ever took (a printer that wakes every few hours is not gone).
const (
	goneMinPackets = 10
	goneMinSpan    = 10 * time.Minute
	goneGapFactor  = 3
)

// Counters says how much the engine saw and what it could not track.
type Counters struct {
	Packets          uint64 `json:"packets"`
	Bytes            uint64 `json:"bytes"`
	Malformed        uint64 `json:"malformed"`         // frames that did not decode fully
	Hosts            int    `json:"hosts"`             // tracked now
	HostsUntracked   uint64 `json:"hosts_untracked"`   // frames from hosts beyond MaxHosts
	HostsEvicted     uint64 `json:"hosts_evicted"`     // hosts of a frame or two dropped from a nearly full table (evict)
	TrackersDropped  uint64 `json:"trackers_dropped"`  // probes not tracked beyond MaxTrackers
	BindingsEvicted  uint64 `json:"bindings_evicted"`  // ARP and IPv6 neighbour bindings given up in a full table (bindings.go)
	Events           uint64 `json:"events"`            // events emitted
	EventsSuppressed uint64 `json:"events_suppressed"` // repeats inside Cooldown
	// NewDevicesSuppressed counts arrivals beyond 20 per Window (forged-MAC floods).
	NewDevicesSuppressed uint64 `json:"new_devices_suppressed"`
	// EventsDropped counts events not reported because the incident table
	// (one entry per recent type, culprit and target) was full.
	EventsDropped uint64 `json:"events_dropped"`
	// EventsEvicted counts incidents a full table forgot to make room for
	// another type's (quietroom.go): they may be raised again.
	EventsEvicted uint64 `json:"events_evicted,omitempty"`
}

// Engine runs every detector over a stream of packets. It is safe for
// concurrent use, but packets must arrive in time order.
type Engine struct {
	mu   sync.Mutex
	cfg  Config
	emit func(inventory.Event)
	self []mac
	// dnsRace is the recent DNS responses (dnsforged.go).
	dnsRace   dnsRace
	dnsHeld   []*heldDNS          // off-link answers from MACs no router's, held (dnsforged.go)
	infra     *infraSeen          // the MACs heard sending RIP responses and MLD router adverts (rip.go), made at the first one
	nbNames   map[nbName]*nbClaim // unique NetBIOS names' owners and rivals (nbclaim.go)
	nbSweptNS int64               // when nbNames, full, was last swept of stale names
	pxeRivals *pxeRivals          // recent boot services named to PXE clients (pxerival.go), made at the first boot answer
	// v6Routers are Config.IPv6Routers.
	v6Routers []mac

	start, now, learnEnd time.Time
	clock                int64     // now in nanoseconds (nanos)
	pktTime              time.Time // the frame being read, and its time in nanos (pktNS): the detectors' nanosOf
	pktNS                int64
	srcLAN               bool      // local(the frame's source address), account's for floodPacket: one look-up a frame
	sender               *host     // the frame's sender's host, account's (nil: none): hostOf's
	base                 time.Time // the first packet's time: nanos's origin
	baseNS               int64     // base in Unix nanoseconds
	mono                 bool      // base has a monotonic reading (a live capture's): nanos measures on that clock
	nextTick             int64     // when the next tick is due, in nanos
	counters             Counters

	hosts      map[uint64]*host          // by macKey
	hostCache  [1 << hostCacheBits]*host // recent hosts, before the map (host)
	order      []*host                   // e.hosts in the order they were first seen: ticks walk it, not the map, so a replay's events come out the same every run
	arp        map[netip.Addr]*binding
	dhcp       dhcpState
	gateway    netip.Addr
	ports      map[portKey]*portTracker
	traced     traceLadders              // destinations traced from the bottom of the TTL ladder (scan.go)
	portHits   [1 << portHitBits]portHit // entries of ports looked up lately, by key (lookupPort)
	sweeps     map[uint64]*sweepTracker  // by macKey: a uint64 key hashes without the generic memory hash a [6]byte needs
	sweepHit   sweepHit                  // the entry of sweeps looked up last
	resolving  []*sweepTracker           // held ARP sweeps whose source is watched talking to their hosts (sweeppoll.go)
	frags      *fragTable                // TCP headers split across IPv4 fragments, made at the first: 5 KB most links never need
	spoof      *spoofTables              // LAND and off-link SYN sources (spoofed.go), made at the first
	malformedT *malformedTable           // fragments and malformed_ip incidents (malformedip.go), made at the first
	idAnswers  []*idAnswer               // DHCP answers sent from their server identifier, by MAC (dhcpforgeref.go)
	benign     benignState               // benign setups review 33d found (benign33.go)
	floods     map[uint64]*floodTracker  // by macKey
	insecure   map[insecureKey]bool
	rfb        map[rfbFlow]rfbSession // VNC sessions whose security type is not agreed yet (insecure2.go)
	rfbUntil   int64                  // when the last of rfb's sessions stops being waited for (Engine.nanosOf)
	// insecureHits holds keys in insecure, each the last reportInsecure met
	// in its slot (insecureSlot): a cleartext session's every segment
	// reports the same pair, which then hashes no 34-byte key (2.5 % of the
	// corpus bench with one slot; a sweep of SNMP agents or sessions
	// interleaved on the corpus mix still spent 1.4 % of the replay in the
	// map). The zero key is none: a reported server's key always has a kind.
	insecureHits [1 << insecureHitBits]insecureKey
	quiet        map[quietKey]time.Time
	rtspSetup    map[rtspKey]int64 // RTSP SETUPs' client ports, when asked (rtpfanin.go); nil until the first

	// ackRefusers are the hosts lately sending RSTs without ACK,
	// ackRefusing the latest time ACK segments toward one of them are
	// noted until, and ackSegs those segments (ackflood.go).
	ackRefusers [ackRefusers]ackRefuser
	ackRefusing int64
	ackSegs     [1 << ackSegBits]ackSeg
	stray       *strayTables // stray.go: out of line, so the fields after it keep their cache lines
	arpFront    *arpFront    // the ARP table's IPv4 answers for the probe path (arpfront.go)
	forged      forgedClaims // announcements over live owners by other MACs (forgedarp.go)

	floodsTo      map[floodKey]*floodState
	floodHit      floodHit // the entry of floodsTo the last tracked packet went to
	floodGate     [1 << floodGateBits]floodGateCounter
	udpFrom       [1 << floodGateBits]udpFromCounter // UDP each address sent this window (countUDPFrom)
	udpPair       [1 << floodGateBits]udpPairCounter // UDP each address sent each other this window (countUDPFrom)
	udpPairTag    [1 << floodGateBits]uint16         // the tag of each udpPair slot's key (udpPairIndex), 0 while the slot was never written
	slow          map[portKey]*slowTracker
	slowHit       slowHit                      // the entry of slow looked up last (refusal)
	silent        *silentTable                 // unanswered SYNs to LAN hosts (silentSYN, slowscan.go), made at the first
	scans         map[uint64]*scanIncident     // port scans gathering targets, by source macKey
	recur         map[recurKey]*recurInc       // raised sweeps and scans, for their later rounds (recurscan.go); made at the first
	scanDue       int64                        // when the earliest of them is due, in nanos (0: none)
	scanSeen      int                          // targets their seen sets hold in all
	floodsHeld    []*heldFlood                 // flood events held for floodGather (floodhold.go)
	dhcpPair      *dhcpPairHeld                // second DHCP services heard, held for dhcpPairGather (dhcppair.go)
	lateral       []*lateralHold               // remote executions held for lateralGather, one per client (lateralhold.go)
	sweepsHeld    []*heldSweep                 // host sweep events held for sweepSvcGather (sweepsvc.go)
	svcProbes     [sweepSvcProbes]svcProbe     // sources' probes of named service ports (sweepsvc.go)
	telnetPrompts [telnetBotSlots]telnetPrompt // telnet servers' prompts to sweepers (telnetbot.go)
	arpHeld       []*arpIncident               // arp_spoof events gathering claims (arphold.go)
	ndHeld        []*ndIncident                // nd_spoof events gathering claims (ndhold.go)
	redirHeld     []*redirIncident             // redirect nd_spoof events gathering redirects (redirhold.go)
	quietN        map[inventory.EventType]int  // quiet keys per type since the tick's pass over a full table (quietroom.go)
	quietPasses   int                          // passes counting them (quietroom.go's test)
	ndTrig        *ndTriggers                  // a router's solicitation flood's credits (ndexhaust.go); made at the first
	ndTrigUntil   int64                        // until when packets to its router are noted (ndexhaust.go)
	raHeld        []raHeldEvent                // new routers' rogue_ra waiting for a flood (rahold.go)
	udpSeen       int                          // flows the floodsTo states' seen sets hold in all (noteFlow)
	wakes         *wakeLog                     // magic packets' senders and targets (wakecheck.go), made at the first
	shakes        map[shakeKey]shake           // iperf3's UDP handshakes heard (loadtest.go), made at the first
	iperfCtl      map[iperfCtlKey]iperfCtl     // iperf3 control connections open (iperfctl.go)
	nRedirs       int                          // redirects held in redirs (redirectgw.go)
	shakeGen      uint32                       // handshakes completed (loadtest.go: noteShook looks up again after one)
	tftpReqs      map[uint64]struct{}          // TFTP read and write requests heard: tftpKey of client, port, server (floodpaced.go)
	tftpBlocks    map[uint64]uint16            // the last full DATA block each TFTP flow's server sent: tftpFlowKey (floodpaced.go)
	echoRing      [udpEchoRings]*echoRing      // echo rings, made when first taken (takeEcho)
	echoOwner     [udpEchoRings]*floodState    // the state holding each ring, nil: free
	probes        [1 << probeCacheBits]probeSlot
	// connected: ports clients connected to (noteConnected, slowscan.go)
	connected     [1 << probeCacheBits]probeSlot
	arpAsks       map[arpAsk]time.Time // ARP requests and neighbour solicitations seen (noteAsk)
	nd            map[netip.Addr]*binding
	routers       map[mac]*router
	raStart       time.Time
	raCount       int
	raNew         int   // routers first heard since raStart
	raMACs        []mac // the first few of them (evidence)
	raFlooding    bool
	gwByIP        mac          // the host found sending from the gateway's address (gatewayMAC)
	allNodes      allNodesPing // the last echo to all nodes (echo6)
	dad           dadState
	gwMissNS      int64      // until when (nanos, e.clock's) gatewayMAC does not search the hosts again
	gwFront       gwFront    // gatewayMAC's last ARP answer (ipv6.go)
	ihMemo        ipHashMemo // the last source address hashed, and its hash (srcHash)
	pairMemo      pairMemo   // the last source MAC and target pairHash.set hashed (slowscan.go)
	starve        starveState
	groupSenders  [groupFloodSlots]groupSender // MLD and IGMP reports per sending MAC (groupflood.go)
	storm         stormState                   // group-addressed frames' copies and UDP floods (storm.go)
	relay         relayRing                    // requests to amplifying services, for relayed copies (reflectreq.go)
	otherSrcN     uint64                       // the last frame (counters.Packets) whose LAN IPv4 source was not its sender's first address (noteForged, injecteddata.go)
	forgedReq     forgedReqs                   // forged requests to amplifying services, for their answers (reflectforged.go)
	miraiOut      [miraiOutSlots]miraiOut      // sources' Mirai SYNs to public addresses (miraiout.go)
	slowStarve    map[mac]*slowStarve          // forged client addresses per source MAC over 10 minutes (dhcpslowstarve.go)
	brute         map[bruteKey]*bruteTracker   // password guessing, by client and service (brute.go)
	ssh           map[sshConnKey]*sshConn      // SSH connections in their authentication phase (sshshape.go)
	fanOut        map[netip.Addr]*fanOut       // sources' finished SSH sessions with data both ways (fanout.go)
	snmpGuess     map[bruteKey]*bruteTracker   // SNMP community guessing, by client and agent (snmpguess.go)
	krb           map[bruteKey]*krbTracker     // Kerberos requests, by client and KDC (kerberos.go)
	spread        *spreadState                 // failed logins per server and account across clients (brutespread.go), made at the first
	snmpSets      [8]snmpSetPending            // SNMP SetRequests awaiting their answer, a ring at nSnmpSets (snmpset.go)
	nSnmpSets     int
	anon          *anonState                // anonymous LDAP and FTP sessions (anonread.go), made at the first
	svc           *svcLearned               // services found by their greeting off their standard port (svcbanner.go), made at the first
	webLogins     map[webLoginKey]*webLogin // clients POSTing password fields, by client and server (weblogin.go)
	rpcWait       int                       // XML-RPC login trackers with a body still to read (xmlrpclogin.go)
	webAttacks    map[webScanKey]*webScan   // clients sending injection shapes (webattack.go)
	sread         map[slowReadKey]*slowRead // receivers holding zero windows (slowread.go)
	webScans      map[webScanKey]*webScan   // HTTP clients answered 4xx, by client and server (webscan.go), made at the first
	httpCreds     map[httpConnKey]time.Time // HTTP connections whose client sent Basic credentials (httpauth.go)
	httpCredsFull time.Time                 // when httpCreds last overflowed (httpauth.go)
	macFlood      macFloodState             // new sender MACs (macflood.go)
	l2Raised      [l2Kinds]int64            // when a flood of each kind of frame was last raised (macflood.go: l2Kind)
	macHeld       inventory.Event           // a mac_flood of DHCP clients held for the starvation's verdict (macflood.go)
	macHeldDue    int64                     // when macHeld is reported; 0: none held
	dhcp6Starve   dhcp6Starve               // DHCPv6 Solicits' client DUIDs (dhcp6starve.go)
	dhcp6Slow     dhcp6Slow                 // DHCPv6 Solicits' client DUIDs per MAC per minute (dhcp6slow.go)
	tftpHeld      []*tftpIncident           // TFTP servers' insecure_protocol events gathering requests (tftpheld.go)
	tftpDone      tftpReads                 // TFTP servers' read incidents, for the reads after them (tftpsecond.go)
	pxe           map[netip.Addr]pxeOffer   // boot servers DHCP offers named (tftpheld.go)
	trapHeld      []*trapIncident           // SNMP managers' insecure_protocol events gathering agents' traps (snmptraps.go)
	steal         stealState                // ARP with every address zero: port stealing (portsteal.go)
	shells        *[shellSlots]shellConn    // accepted TCP connections' first sequence numbers (remoteshell.go), made at the first
	shttp         *slowHTTPState            // unfinished HTTP requests (slowhttp.go), made at the first
	dnsTuns       map[dnsTunKey]*dnsTun     // encoded DNS queries by client and domain (dnstunnel.go), made at the first
	dnsRaws       map[dnsRawKey]*dnsRaw     // datagrams to port 53 that are no DNS messages (dnsraw.go), made at the first
	water         *dnsWater                 // DNS queries by resolver and stem (dnswater.go), made at the first
	dnsFwd        *dnsForwards              // LAN DNS servers and encoded names clients asked them (dnsforward.go)
	icmpTun       *icmpTunState             // echo requests and the pairs whose echoes carry data (icmptunnel.go)
	smb           *smbEnumState             // anonymous SMB connections and their RPC calls (smbenum.go), made at the first
	zones         map[zoneKey]*zoneXfer     // DNS zone transfer queries by client and server, and secondaries (zonexfer.go)
	ransom        *smbRansomState           // SMB connections' opened names and new extensions (ransomware.go), made at the first
	ad            adState                   // domain controllers seen (adattack.go)

	newDevStart time.Time
	newDevCount int
	hours       localHours // the baselines' hour of the day
	ticks       []tickRun  // ticks since the oldest idle host went idle (tickClose)
	tickTo      int64      // the minute of the last tick, the last run's end (MinInt64: none yet): closeBuckets' test

	// shakePorts has a bit set for each client port of a session accepted
	// and not yet counted (bruteTracker.shakes), rebuilt every tick: most
	// segments from an SMB or SSH server skip the tracker's lookup.
	shakePorts [1 << 10]uint64

	carp carpState // CARP adverts and a takeover waiting for its master's (carp.go)
	l2   l2State   // spanning tree, CDP, DTP, HSRP and VRRP (l2.go, fhrp.go): last, as the rarest
	// redirs are ICMP redirects from the gateway's MAC awaiting its
	// forwarding (redirectgw.go).
	redirs [4]gwRedirect
}

// New returns an engine that reports every event to emit (called with the
// engine's lock held: it must not call back into the engine).
func New(cfg Config, emit func(inventory.Event)) *Engine {
	cfg = cfg.withDefaults()
	e := &Engine{
		cfg: cfg, emit: emit,
		hosts: map[uint64]*host{}, arp: map[netip.Addr]*binding{},
		ports: map[portKey]*portTracker{}, sweeps: map[uint64]*sweepTracker{},
		floods: map[uint64]*floodTracker{}, insecure: map[insecureKey]bool{},
		quiet: map[quietKey]time.Time{}, gateway: cfg.Gateway,
		floodsTo: map[floodKey]*floodState{}, arpAsks: map[arpAsk]time.Time{},
		nd: map[netip.Addr]*binding{}, routers: map[mac]*router{}, slow: map[portKey]*slowTracker{},
		scans: map[uint64]*scanIncident{}, brute: map[bruteKey]*bruteTracker{}, ssh: map[sshConnKey]*sshConn{},
		snmpGuess: map[bruteKey]*bruteTracker{},
		krb:       map[bruteKey]*krbTracker{},
		tickTo:    math.MinInt64, gwMissNS: math.MinInt64, stray: &strayTables{}, arpFront: &arpFront{},
	}
	e.pktNS = e.nanos(e.pktTime) // the zero time's, until the first frame
	for _, m := range cfg.Self {
		e.self = append(e.self, capture.MAC6(m))
	}
	for _, m := range cfg.IPv6Routers {
		e.v6Routers = append(e.v6Routers, capture.MAC6(m))
	}
	e.dhcp.known = map[netip.Addr]bool{}
	for _, s := range cfg.DHCPServers {
		e.dhcp.known[s] = true
	}
	return e
}

// Packet runs the detectors over one decoded frame.
func (e *Engine) Packet(p *capture.Packet) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.packet(p)
}

// packet is Packet with e.mu held: Replay, the engine's only user, holds it
// for a whole replay instead of once per frame (6 % of the engine's time).
func (e *Engine) packet(p *capture.Packet) {
	if p.Has&capture.HasEthernet == 0 {
		e.counters.Malformed++
		return
	}
	t := p.Time
	if e.start.IsZero() {
		e.base, e.baseNS = t, e.nanos(t) // before mono is set: Unix nanoseconds, held within nanosLimit
		e.mono = t != t.Round(0)
		e.start, e.learnEnd, e.nextTick, e.now, e.clock = t, t.Add(e.cfg.Learning), e.baseNS+int64(time.Minute), t, e.baseNS
	}
	at := p.UnixNano // a file's frame: nanos(t) without converting t (its seconds fit 32 bits, never past nanosLimit)
	if at == 0 || e.mono {
		at = e.nanos(t)
	}
	e.pktTime, e.pktNS = t, at
	if at > e.clock {
		e.now, e.clock = t, at
	}
	if e.clock >= e.nextTick {
		e.tick(e.now)
	}
	if e.scanDue != 0 && e.clock >= e.scanDue {
		e.flushScans(e.now, false)
	}
	e.counters.Packets++
	e.counters.Bytes += uint64(p.Length)
	if p.Err != nil {
		e.counters.Malformed++
	}
	src, dst := capture.MAC6(p.Eth.SrcMAC), capture.MAC6(p.Eth.DstMAC)
	sender := e.account(p, src, dst, at)
	e.vlanFrame(p, src)       // vlanhop.go
	e.groupFrame(p, src, dst) // storm.go: loops, broadcast floods
	if p.Has&capture.HasARP != 0 {
		e.arpPacket(p, src)
	}
	if p.Has&(capture.HasIPv4|capture.HasIPv6) != 0 {
		e.probe(p, src, dst)
		e.floodPacket(p, src)
		e.refusal(p, src, dst)
		e.ipReplies(p) // iperfctl.go: SNMP unreachables, iperf3 control
		if oddIP(p) {
			e.malformedIP(p, src) // malformedip.go: fragments, IP options
		}
	}
	if p.Has&capture.HasICMPv6 != 0 {
		e.icmp6Packet(p, src)
	}
	if p.Has&(capture.HasIPv6|capture.HasUDP) == capture.HasIPv6|capture.HasUDP && p.UDP.DstPort == 546 {
		e.dhcp6Server(p, src) // to a DHCPv6 client
	}
	if p.Has&(capture.HasTCP|capture.HasUDP) == 0 {
		e.otherFrame(p, src, dst)
	}
	if p.Has&capture.HasUDP != 0 {
		e.udpFrame(p, src)
	}
	if len(p.Payload()) > 0 || p.Has&capture.HasUDP != 0 {
		e.cleartext(p, src, dst)
	}
	if p.Has&capture.HasTCP != 0 && (p.TCP.SYN && p.TCP.ACK || len(p.TCP.Payload) >= 4 || p.TCP.FIN || p.TCP.RST || barePrompt(p.TCP.Payload)) {
		e.tcpSegment(p, src, dst)    // bruteSegment: a session accepted or ended, or a server's answer
		e.injectedReset(p, src, dst) // a RST under another host's address (injected.go)
		if e.shttp != nil && (p.TCP.FIN || p.TCP.RST) {
			e.slowHTTPEnd(p) // slowhttp.go
		}
	}
	// hygiene reads a datagram's or a segment's payload: a TCP segment
	// without one (a SYN flood's, a scan's) is passed over here.
	if e.cfg.Hygiene != nil && hygienic(p) && unicast(src) && !e.isSelf(src) {
		e.hygiene(p)
	}
	if sender != nil && !sender.pending.IsZero() {
		e.maybeAnnounce(sender, p.Time)
	}
	if p.Has&capture.HasTCP != 0 && p.TCP.Window == 0 && !p.TCP.RST {
		e.zeroWindow(p, src) // slowread.go: a receiver holding a sender's data back
	}
	if e.ndTrigUntil >= at {
		e.noteNDTrigger(p, src) // ndexhaust.go: a router soliciting at a flood's rate (last: the profile's lines above stay)
	}
}

// udpFrame hands a datagram to the detectors that read one protocol's
// datagrams by their ports: DHCP, the name services, WS-Discovery and SSDP,
// HSRP and DNS answers.
func (e *Engine) udpFrame(p *capture.Packet, src mac) {
	if ampPort(uint16(p.UDP.DstPort)) {
		e.reflectRequest(p, src) // reflectreq.go: under another host's address
	}
	switch {
	case p.UDP.SrcPort == 67 && p.UDP.DstPort == 68:
		e.dhcpPacket(p, src)
	case p.UDP.SrcPort == 68 && p.UDP.DstPort == 67:
		e.dhcpClient(p, src)
	case (p.UDP.SrcPort == 546 || p.UDP.SrcPort == 547) && p.UDP.DstPort == 547 && p.Has&capture.HasIPv6 != 0:
		e.dhcp6Client(p, src) // dhcp6starve.go: a client's message, or a relay's (547 to 547)
	case p.UDP.SrcPort == 5355 || p.UDP.SrcPort == 137 || p.UDP.SrcPort == 5353:
		if p.UDP.SrcPort == 137 {
			e.nbnsClaim(p, src) // nbclaim.go: a unique name's owner and its rivals
		}
		e.nameAnswer(p, src)
	case (p.UDP.DstPort == 3702 || p.UDP.DstPort == 1900) && p.Eth.DstMAC[0]&1 != 0:
		e.discoveryQuery(p, src)
	case p.UDP.SrcPort == 3702 || p.UDP.SrcPort == 1900:
		e.discoveryAnswer(p, src)
	case p.UDP.DstPort == hsrpPort || p.UDP.DstPort == hsrp6Port:
		e.hsrp(p, src)
	case p.UDP.SrcPort == dnsPort:
		e.noteDNSServer(p, src) // dnsforward.go
		e.dnsAnswer(p, src)     // dnsforged.go
		e.waterAnswer(p)        // dnswater.go
	case p.UDP.DstPort == dnsPort:
		e.noteDNSRoute(p)                                // benign33.go
		e.dnsQuery(p, src)                               // dnstunnel.go
		e.dnsZoneUDP(p, src, capture.MAC6(p.Eth.DstMAC)) // zonexfer.go
		e.waterQuery(p, src)                             // dnswater.go
	case p.UDP.DstPort == wolPort:
		e.magicPacket(p, src, p.UDP.Payload) // sleepproxy.go
	case p.UDP.SrcPort == 88 || p.UDP.SrcPort == 389:
		e.noteDC(p.SrcIP()) // adattack.go: a domain controller answering Kerberos or CLDAP
	case p.UDP.DstPort == wolEchoPort:
		e.magicPacket(p, src, p.UDP.Payload) // sleepproxy.go: wakeonlan -p 7
	case p.UDP.SrcPort == ripPort && p.UDP.DstPort == ripPort:
		e.rip(p, src) // rip.go
	case p.UDP.SrcPort == ntpPort:
		e.ntpBcast(p, src) // ntpbcast.go: broadcasts, and server answers to judge them by
	}
}

// otherFrame reads the frames without TCP or UDP the detectors want:
// NetBIOS over IEEE 802.2 LLC (SAP 0xF0), the switches' control frames and
// VRRP. Ordinary traffic pays one test for all of them.
func (e *Engine) otherFrame(p *capture.Packet, src, dst mac) {
	switch {
	case p.Has&(capture.HasIPv4|capture.HasIPv6|capture.HasARP) != 0:
		switch {
		case p.Has&(capture.HasIPv4|capture.HasICMPv4) == capture.HasIPv4 && p.IPv4.Protocol == vrrpProtocol:
			e.vrrp(p, src, p.IPv4.Payload)
		case p.Has&(capture.HasIPv4|capture.HasIPv6) == capture.HasIPv6 && p.IPv6.NextHeader == vrrpProtocol:
			e.vrrp(p, src, p.IPv6.Payload)
		case p.Has&capture.HasICMPv4 != 0 && p.ICMPv4.TypeCode.Type() == layers.ICMPv4TypeRedirect:
			e.redirect4(p, src) // redirect4.go
		case p.Has&capture.HasICMPv4 != 0 && p.ICMPv4.TypeCode.Type()&^8 == 0 && p.ICMPv4.TypeCode.Code() == 0:
			e.icmpEcho(p, src) // icmptunnel.go: an echo request (8) or reply (0)
		case p.Has&capture.HasICMPv4 != 0 && p.ICMPv4.TypeCode.Type() == layers.ICMPv4TypeRouterAdvertisement:
			e.irdp(p, src) // irdp.go
		case p.Has&(capture.HasIPv4|capture.HasICMPv4) == capture.HasIPv4 && p.IPv4.Protocol == layers.IPProtocolIGMP && igmpReport(p.IPv4.Payload):
			e.groupReport(p, src, "IGMP") // groupflood.go
		}
	case len(p.Eth.Payload) >= 3 && p.Eth.Payload[0] == 0xf0 && p.Eth.Payload[1] == 0xf0:
		e.netbeui(p, src, dst)
	case len(p.Eth.DstMAC) == 6 && p.Eth.DstMAC[0] == 0x01 && p.Eth.DstMAC[1]&0x7f == 0:
		e.l2Frame(p, src) // 01:80:C2 (STP) and 01:00:0C (Cisco's CDP, DTP, PVST+)
	case p.Eth.EthernetType == wolEtherType:
		e.magicPacket(p, src, p.Eth.Payload) // sleepproxy.go
	}
}

// hygienic reports whether hygiene may hand p on: a DNS datagram or
// segment to port 53, a datagram to 443 or 853 (QUIC's long header is
// hygiene's test), a TLS handshake record or a segment to a local update
// cache (8530, 8531, 3142); tested inline, where
// hygiene's call for every datagram and segment with data was 0.6 % of
// the office mix's instructions.
func hygienic(p *capture.Packet) bool {
	if p.Has&capture.HasUDP != 0 {
		port := p.UDP.DstPort
		return len(p.UDP.Payload) > 0 && (port == 53 || port == 443 || port == dotPort)
	}
	b, port := p.TCP.Payload, p.TCP.DstPort
	return p.Has&capture.HasTCP != 0 && len(b) > 0 && (b[0] == 22 || port == 53 || port|1 == 8531 || port == 3142)
}

// hygiene hands a client's DNS question or TLS ClientHello to the hygiene
// tracker; everything else is passed over before any name is decoded.
func (e *Engine) hygiene(p *capture.Packet) {
	udp := p.Has&capture.HasUDP != 0
	var port uint16
	var payload []byte
	if udp {
		port, payload = uint16(p.UDP.DstPort), p.UDP.Payload
	} else {
		port, payload = uint16(p.TCP.DstPort), p.TCP.Payload
	}
	switch {
	case len(payload) == 0:
		return
	case port == 53:
	case udp: // QUIC: a long header to 443 (HTTP/3) or 853 (DNS over QUIC)
		if port != 443 && port != dotPort || payload[0]&0xc0 != 0xc0 {
			return
		}
	case payload[0] == 22, port == 8530, port == 8531, port == 3142: // a ClientHello; a local update cache
	default:
		return
	}
	e.cfg.Hygiene.ObservePayload(inventory.MAC(p.Eth.SrcMAC), udp, p.DstIP(), port, payload, p.Time)
}

// Tick lets time pass without packets (a quiet live network), so that
// device_gone can fire; now must not be before the last packet.
func (e *Engine) Tick(now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.start.IsZero() || now.Before(e.now) {
		return
	}
	e.now, e.clock = now, e.nanos(now)
	e.tick(now) // before the flush, as packet does: the sweeps it decides past their hold go out now
	if e.scanDue != 0 && e.clock >= e.scanDue {
		e.flushScans(now, false)
	}
}

func (e *Engine) tick(now time.Time) {
	nowNS := e.nanos(now) // read once: nanos is pure, and every host and tracker compared it
	e.nextTick = nowNS + int64(time.Minute)
	learning := !e.learned()
	cur := minute(now)
	e.logTick(cur)
	for _, h := range e.order {
		// The silence first: nanos(h.first) is a call, and most hosts
		// every minute are not silent.
		if !learning && h.known && !h.gone && h.pktsOut >= goneMinPackets && time.Duration(nowNS-h.last) > max(e.cfg.GoneAfter, goneGapFactor*h.maxGap) &&
			time.Duration(h.last-e.nanos(h.first)) >= goneMinSpan {
			h.gone = true
			e.report(inventory.Event{
				Time: now, Type: inventory.EventDeviceGone, Severity: inventory.SeverityLow,
				MAC: macOf(h.mac), IP: h.ip,
				Summary: fmt.Sprintf("%s has been silent for %s", describe(h.mac, h.ip), roundDur(time.Duration(nowNS-h.last))),
				Evidence: []inventory.Evidence{
					{Source: "traffic", Detail: "last frame at " + e.timeAt(h.last).UTC().Format(time.RFC3339)},
					{Source: "traffic", Detail: fmt.Sprintf("first seen %s; %d packets sent", h.first.UTC().Format(time.RFC3339), h.pktsOut)},
				},
			}, h.mac, [6]byte{})
		}
		e.tickClose(h, cur)
		e.maybeAnnounce(h, now)
	}
	e.evict(now)
	// Forget expired trackers so memory follows the live set.
	for k, tr := range e.ports {
		if nowNS-tr.start > int64(e.cfg.Window) {
			delete(e.ports, k)
		}
	}
	clear(e.portHits[:])
	e.expireSweeps(now) // scan.go, sweeppoll.go
	e.flushBrute(now, false)
	e.forgetVLANHops(now, false)
	e.settleStarvation(nowNS, false) // dhcpstorm.go
	for k, tr := range e.floods {
		if since(now, tr.start) > e.cfg.Window {
			delete(e.floods, k)
		}
	}
	e.expireSlow(nowNS)        // slowscan.go
	e.expireIperf(nowNS)       // iperfctl.go
	e.flushDNSHeld(false)      // dnsrace.go
	e.expireSlowHTTP(nowNS)    // slowhttp.go
	e.expireDNSTunnels(nowNS)  // dnstunnel.go
	e.expireICMPTunnels(nowNS) // icmptunnel.go
	for k, f := range e.floodsTo {
		if f.idle(nowNS) > floodWindow {
			e.dropFlows(f) // floodudp.go
			delete(e.floodsTo, k)
		}
	}
	e.floodHit = floodHit{}
	for k, at := range e.arpAsks {
		if since(now, at) > arpAnswerWithin {
			delete(e.arpAsks, k)
		}
	}
	for k, until := range e.quiet {
		if now.After(until) {
			delete(e.quiet, k)
		}
	}
	e.quietN = nil // quietroom.go: counted again when the table is full
}

// Counters returns what the engine has counted so far.
func (e *Engine) Counters() Counters {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := e.counters
	c.Hosts = len(e.hosts)
	return c
}

// Learning reports whether the engine is still in its learning period.
func (e *Engine) Learning() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return !e.learned()
}

// learned reports whether the learning period is over: its duration has
// passed and it has seen LearnPackets frames.
func (e *Engine) learned() bool {
	return !e.start.IsZero() && !e.now.Before(e.learnEnd) && (e.cfg.LearnPackets < 0 || e.counters.Packets >= uint64(e.cfg.LearnPackets))
}

type quietKey struct {
	typ            inventory.EventType
	culprit, other mac
	detail         string
}

// report emits ev unless the same (type, culprit, other) was reported
// within Cooldown.
func (e *Engine) report(ev inventory.Event, culprit, other mac) {
	e.reportKey(newQuietKey(ev.Type, culprit, other, ev.TargetIP), ev)
}

// reportKey emits ev unless k was reported within Cooldown: a detector whose
// incident is the culprit alone (a rogue DHCP server, whichever clients it
// answers) keys it without the target.
func (e *Engine) reportKey(k quietKey, ev inventory.Event) {
	e.declare(&ev)     // knownscanner.go
	e.nameSIPTool(&ev) // siptool.go
	if e.reserve(k, ev.Time) && e.emit != nil {
		e.emit(ev)
	}
}

func newQuietKey(typ inventory.EventType, culprit, other mac, target netip.Addr) quietKey {
	k := quietKey{typ, culprit, other, ""}
	if target.IsValid() && other == (mac{}) {
		k.detail = target.String()
	}
	return k
}

// quieted reports (and counts) an event of k at t that report would
// suppress: a detector asks before it formats one.
func (e *Engine) quieted(k quietKey, t time.Time) bool {
	if until, ok := e.quiet[k]; ok && !t.After(until) {
		e.counters.EventsSuppressed++
		return true
	}
	return false
}

func macOf(m mac) inventory.MAC {
	if m == (mac{}) {
		return nil
	}
	b := m
	return inventory.MAC(b[:])
}

func macString(m mac) string { return net.HardwareAddr(m[:]).String() }

func describe(m mac, ip netip.Addr) string {
	if ip.IsValid() {
		return fmt.Sprintf("%s (%s)", ip, macString(m))
	}
	return macString(m)
}

func roundDur(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// isSelf reports whether m is one of the box's own addresses.
func (e *Engine) isSelf(m mac) bool {
	for _, s := range e.self {
		if s == m {
			return true
		}
	}
	return false
}

// since is t.Sub(u) for the per-frame paths: Sub checks its result for
// overflow by adding it back (Time.Add and Time.Equal, 6 % of a replay's
// engine time on the corpus mix), where two times less than maxSinceSec
// apart need only their seconds and nanoseconds subtracted, the same
// arithmetic as Sub's. Times further apart, and two times that both carry a
// monotonic clock reading (a live capture's), go to Sub itself. A time in
// UTC carries none (UTC and In strip it; only Now sets it, in Local): a
// file's frames and the times made from them answer that inline, where
// Round(0), which tells any time, is a call (3 % of the engine's time).
func since(t, u time.Time) time.Duration {
	if s := t.Unix() - u.Unix(); s > -maxSinceSec && s < maxSinceSec &&
		(t.Location() == time.UTC || u.Location() == time.UTC || t == t.Round(0) || u == u.Round(0)) {
		return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-u.Nanosecond())
	}
	return t.Sub(u)
}

// nanos is t in nanoseconds on the engine's clock, the form of the times
// the detectors compare on every frame (host.last, the trackers' windows):
// an int64 subtracts and compares in one instruction where a time.Time
// (24 bytes with a *Location) takes a dozen and a monotonic-clock test.
// A recording's times (no monotonic reading) are Unix nanoseconds; a live
// capture's (time.Now) are measured on the monotonic clock from the first
// packet's, as since and time.Time.Sub measure them, so that a wall-clock
// step (NTP setting the box's clock at boot) moves no window or gap. Both
// are held within ±nanosLimit: a time past it (a broken pcapng if_tsresol;
// UnixNano is undefined past 2262) reads as the limit, so the clock never
// wraps, and two nanos subtract, or a window adds to one, without overflow.
func (e *Engine) nanos(t time.Time) int64 {
	if e.mono && t != t.Round(0) {
		return e.baseNS + min(max(int64(t.Sub(e.base)), -nanosLimit-e.baseNS), nanosLimit-e.baseNS)
	}
	if s := t.Unix(); s <= -nanosLimit/1_000_000_000 || s >= nanosLimit/1_000_000_000 {
		return min(max(s, -1), 1) * nanosLimit
	}
	return t.UnixNano()
}

// nanosOf is nanos(t) for the detectors a frame reaches with its time:
// the frame's own is read once, in packet, and only another time is
// converted again.
func (e *Engine) nanosOf(t time.Time) int64 {
	if t == e.pktTime {
		return e.pktNS
	}
	return e.nanos(t)
}

// nanosLimit bounds nanos: 146 years either side of 1970 (1824 to 2116).
const nanosLimit = 1<<62 - 1

// timeAt is the time of ns (nanos) in the location of the engine's clock,
// so that a time stored as nanoseconds reads in a report as the packet's
// own time did (UTC from a recording). A live capture's is the engine's
// time (the last packet's, from time.Now) moved by the monotonic time
// between: it keeps that reading and the wall clock's current setting, so
// Sub, Before and since compare it with the packets' times on the
// monotonic clock across a wall-clock step, and a report prints it on the
// same wall clock as the packets' own times.
func (e *Engine) timeAt(ns int64) time.Time {
	if e.mono {
		return e.now.Add(time.Duration(ns - e.clock))
	}
	return time.Unix(0, ns).In(e.now.Location())
}

// laterThan reports whether ns (nanos) is after t; every time is after
// the zero time.
func (e *Engine) laterThan(ns int64, t time.Time) bool { return t.IsZero() || ns > e.nanos(t) }

// maxSinceSec is how many seconds apart (285 years) two times may be for
// since to subtract them itself: a time.Duration holds ±292 years.
const maxSinceSec = 9_000_000_000

// macKey packs a MAC into a map key that hashes fast: the 48-bit number it
// reads as, big-endian, from two loads (six byte loads, shifted and or-ed
// one by one, were 2 % of the engine's instructions). The loads are bytes
// 0-3 and 4-5, as the compiler copies a mac (4 and 2 bytes): a load across
// the two stores of a copy just made cannot be forwarded from them and
// waits for the cache (bytes 2-5 read so stalled a third of sweepProbe).
func macKey(m mac) uint64 {
	return uint64(binary.BigEndian.Uint32(m[:4]))<<16 | uint64(binary.BigEndian.Uint16(m[4:]))
}

// unicast reports whether m is an individual (not group) address: its I/G
// bit clear, and not all zero (two loads tested together, where == on the
// array compared it against a zero array in memory in two steps).
func unicast(m mac) bool {
	return m[0]&1 == 0 && binary.LittleEndian.Uint32(m[:4])|uint32(binary.LittleEndian.Uint16(m[4:])) != 0
}
