// Command demolife makes a running lab behave like an office for the demo
// (make demo): workstations renew DHCP leases, look names up and fetch web
// pages from the gateway, Macs, printers and NAS announce themselves over
// mDNS and SSDP, Windows machines register NetBIOS names, a phone joins with
// a randomised MAC, and a minute in one workstation scans its neighbours
// with nmap: the staged incident; half a minute later an old Linux server starts a rogue
// DHCP server (dnsmasq, which the gateway runs too). Every packet is sent
// from inside the lab's own network namespaces, to lab addresses or
// link-local multicast, never elsewhere.
//
// It is demo tooling, built by scripts/demo.sh, and not part of tend.
//
//	demolife -name demo [-incident 1m] [-every 15s] [-ui https://127.0.0.1:8443 -token-file F [-report 1m,2m]]
package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/dns/dnsmessage"

	"tend/lab"
)

func main() {
	name := flag.String("name", "demo", "the lab's name (tend lab up --name)")
	incident := flag.Duration("incident", time.Minute, "when the staged incident (a port scan from a workstation) starts; 0 = never")
	every := flag.Duration("every", 15*time.Second, "how often each device chatters")
	ui := flag.String("ui", "", "the demo's tend UI (https://127.0.0.1:8443): print what it shows at the -report times")
	tokenFile := flag.String("token-file", "", "a file holding a read-only API token for -ui")
	reportAt := flag.String("report", "1m,2m", "when to print the demo's status (comma-separated durations from the start)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := lab.Load(lab.Config{Name: *name})
	if err != nil {
		log.Error("load lab", "err", err)
		os.Exit(1)
	}
	var status *statusClient
	var at []time.Duration
	if *ui != "" {
		if status, err = newStatusClient(*ui, *tokenFile); err != nil {
			log.Error("demo status", "err", err)
			os.Exit(1)
		}
		for _, f := range strings.Split(*reportAt, ",") {
			d, err := time.ParseDuration(strings.TrimSpace(f))
			if err != nil {
				log.Error("demo status: -report", "err", err)
				os.Exit(1)
			}
			at = append(at, d)
		}
	}
	start := time.Now()
	if status != nil {
		go (&office{log: log}).report(ctx, status, start, at)
	}
	if err := run(ctx, st, *incident, *every, log); err != nil && !errors.Is(err, context.Canceled) {
		log.Error("demolife", "err", err)
		os.Exit(1)
	}
}

// office is the lab seen as an office: who plays which part.
type office struct {
	st  *lab.State
	gw  *lab.DeviceState
	log *slog.Logger
}

func run(ctx context.Context, st *lab.State, incident, every time.Duration, log *slog.Logger) error {
	o := &office{st: st, log: log}
	for i := range st.Devices {
		if st.Devices[i].Role == "router" {
			o.gw = &st.Devices[i]
			break
		}
	}
	if o.gw == nil {
		return errors.New("the lab has no router to play the gateway")
	}
	if err := o.serveGateway(ctx); err != nil {
		return err
	}
	// The gateway is the office's DHCP server (dnsmasq, as on many small
	// routers): the leases the workstations and phones renew are answered.
	if err := o.dhcpServer(ctx, o.gw); err != nil {
		return err
	}
	var wg sync.WaitGroup
	for i := range st.Devices {
		d := &st.Devices[i]
		if d == o.gw {
			continue
		}
		wg.Go(func() { o.live(ctx, d, every) })
	}
	wg.Go(func() { o.phoneJoins(ctx, 30*time.Second) })
	if incident > 0 {
		wg.Go(func() { o.scan(ctx, incident) })
		wg.Go(func() { o.rogueDHCP(ctx, incident+30*time.Second) })
	}
	wg.Wait()
	return ctx.Err()
}

// live repeats a device's chatter until ctx ends, starting at a random
// offset so the office does not speak in chorus.
func (o *office) live(ctx context.Context, d *lab.DeviceState, every time.Duration) {
	if !sleep(ctx, jitter(every)) {
		return
	}
	for round := 0; ; round++ {
		for _, act := range o.acts(d, round) {
			if err := act(); err != nil {
				o.log.Debug("chatter failed", "device", d.Name, "err", err)
			}
		}
		if !sleep(ctx, every/2+jitter(every)) {
			return
		}
	}
}

// acts is what one device does in one round, by its role.
func (o *office) acts(d *lab.DeviceState, round int) []func() error {
	host := strings.ToUpper(d.Name)
	var acts []func() error
	renew := round%4 == 0 // a lease renewal every few rounds
	switch d.Role {
	case "workstation":
		vendor, hostname := "MSFT 5.0", "DESKTOP-"+strings.ToUpper(d.Name[len(d.Name)-2:])+"7Q"
		if strings.Contains(d.Name, "mac") {
			vendor, hostname = "", "Annas-MacBook-Pro"
			acts = append(acts, func() error {
				return o.mdns(d, hostname, "_device-info._tcp", []string{"model=MacBookPro18,3", "osxvers=23"})
			})
		} else {
			acts = append(acts, func() error { return o.netbios(d, hostname) })
		}
		if renew {
			acts = append(acts, func() error {
				return o.st.SendDHCP(d.Name, lab.DHCPClient{Hostname: hostname, Vendor: vendor, Params: []byte{1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252}})
			})
		}
		for _, site := range []string{"outlook.office365.com", "www.bbc.co.uk", "update.microsoft.com", "slack.com"} {
			acts = append(acts, func() error { return o.browse(d, site) })
		}
	case "phone":
		if renew {
			acts = append(acts, func() error {
				return o.st.SendDHCP(d.Name, lab.DHCPClient{Hostname: strings.ToLower(d.Name), Vendor: "android-dhcp-14"})
			})
		}
		acts = append(acts, func() error { return o.browse(d, "clients3.google.com") })
	case "printer":
		acts = append(acts, func() error {
			return o.mdns(d, host, "_ipp._tcp", []string{"ty=" + d.Name, "pdl=application/pdf,image/urf", "rp=ipp/print"})
		})
	case "nas":
		acts = append(acts,
			func() error { return o.mdns(d, host, "_smb._tcp", nil) },
			func() error {
				return o.ssdp(d, "Linux/5.10 UPnP/1.0 "+d.Name+"/7.2", "urn:schemas-upnp-org:device:Basic:1")
			})
	case "camera":
		acts = append(acts, func() error {
			return o.ssdp(d, "Linux/4.9 UPnP/1.0 "+d.Name+"/1.0", "urn:schemas-upnp-org:device:Basic:1")
		})
	case "server", "hypervisor":
		if strings.Contains(d.Name, "windows") {
			acts = append(acts, func() error { return o.netbios(d, "FILESRV01") })
		}
		acts = append(acts, func() error { return o.browse(d, "deb.debian.org") })
	}
	return acts
}

// serveGateway makes the router answer DNS (every name is the gateway) and
// HTTP (a page of a few tens of kilobytes) from inside its namespace, so the
// workstations' web chatter is real traffic in both directions.
func (o *office) serveGateway(ctx context.Context) error {
	var dns net.PacketConn
	var web net.Listener
	err := lab.InNetns(o.gw.Netns, func() error {
		var err error
		if dns, err = net.ListenPacket("udp4", o.gw.IP.String()+":53"); err != nil {
			return fmt.Errorf("gateway dns: %w", err)
		}
		if web, err = net.Listen("tcp4", o.gw.IP.String()+":80"); err != nil {
			dns.Close()
			return fmt.Errorf("gateway web: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	context.AfterFunc(ctx, func() { dns.Close(); web.Close() })
	gw := o.gw.IP.As4()
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := dns.ReadFrom(buf)
			if err != nil {
				return
			}
			var m dnsmessage.Message
			if m.Unpack(buf[:n]) != nil || len(m.Questions) == 0 {
				continue
			}
			m.Header.Response, m.Header.RecursionAvailable = true, true
			m.Answers = []dnsmessage.Resource{{
				Header: dnsmessage.ResourceHeader{Name: m.Questions[0].Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 60},
				Body:   &dnsmessage.AResource{A: gw},
			}}
			if b, err := m.Pack(); err == nil {
				_, _ = dns.WriteTo(b, from)
			}
		}
	}()
	page := strings.Repeat("<p>Quarterly figures, meeting notes and the canteen menu.</p>\n", 600)
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, page)
	})}
	go func() { _ = srv.Serve(web) }()
	return nil
}

// browse looks site up at the gateway and fetches a page from it, from
// inside d's namespace.
func (o *office) browse(d *lab.DeviceState, site string) error {
	return lab.InNetns(d.Netns, func() error {
		// A query by hand on this thread (Go's resolver may ask from other
		// goroutines, which are not in the lab's namespace).
		addr, err := lookupA(o.gw.IP, site)
		if err != nil {
			return fmt.Errorf("look up %s: %w", site, err)
		}
		c, err := net.DialTimeout("tcp4", netip.AddrPortFrom(addr, 80).String(), 2*time.Second)
		if err != nil {
			return err
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(3 * time.Second))
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)\r\nConnection: close\r\n\r\n", site)
		_, err = io.Copy(io.Discard, c)
		return err
	})
}

// lookupA asks server for name's IPv4 address over UDP.
func lookupA(server netip.Addr, name string) (netip.Addr, error) {
	q := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: uint16(time.Now().UnixNano()), RecursionDesired: true},
		Questions: []dnsmessage.Question{{Name: dnsmessage.MustNewName(name + "."), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}},
	}
	b, err := q.Pack()
	if err != nil {
		return netip.Addr{}, err
	}
	c, err := net.Dial("udp4", netip.AddrPortFrom(server, 53).String())
	if err != nil {
		return netip.Addr{}, err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write(b); err != nil {
		return netip.Addr{}, err
	}
	buf := make([]byte, 1500)
	n, err := c.Read(buf)
	if err != nil {
		return netip.Addr{}, err
	}
	var m dnsmessage.Message
	if err := m.Unpack(buf[:n]); err != nil {
		return netip.Addr{}, err
	}
	for _, a := range m.Answers {
		if r, ok := a.Body.(*dnsmessage.AResource); ok {
			return netip.AddrFrom4(r.A), nil
		}
	}
	return netip.Addr{}, errors.New("no address in the answer")
}

// mdns announces one service instance (RFC 6762/6763: PTR, SRV, TXT and A
// records in an unsolicited response to 224.0.0.251:5353).
func (o *office) mdns(d *lab.DeviceState, instance, service string, txt []string) error {
	svc := dnsmessage.MustNewName(service + ".local.")
	inst := dnsmessage.MustNewName(instance + "." + service + ".local.")
	host := dnsmessage.MustNewName(strings.ReplaceAll(strings.ToLower(instance), " ", "-") + ".local.")
	if txt == nil {
		txt = []string{""}
	}
	hdr := func(n dnsmessage.Name, t dnsmessage.Type) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: n, Type: t, Class: dnsmessage.ClassINET, TTL: 4500}
	}
	m := dnsmessage.Message{
		Header: dnsmessage.Header{Response: true, Authoritative: true},
		Answers: []dnsmessage.Resource{
			{Header: hdr(svc, dnsmessage.TypePTR), Body: &dnsmessage.PTRResource{PTR: inst}},
			{Header: hdr(inst, dnsmessage.TypeSRV), Body: &dnsmessage.SRVResource{Target: host, Port: 631}},
			{Header: hdr(inst, dnsmessage.TypeTXT), Body: &dnsmessage.TXTResource{TXT: txt}},
			{Header: hdr(host, dnsmessage.TypeA), Body: &dnsmessage.AResource{A: d.IP.As4()}},
		},
	}
	b, err := m.Pack()
	if err != nil {
		return err
	}
	return o.multicast(d, 5353, "224.0.0.251:5353", b)
}

// ssdp sends a UPnP NOTIFY ssdp:alive (UPnP Device Architecture 1.1, 1.2.2).
func (o *office) ssdp(d *lab.DeviceState, server, nt string) error {
	msg := fmt.Sprintf("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nCACHE-CONTROL: max-age=1800\r\n"+
		"LOCATION: http://%s:5000/description.xml\r\nNT: %s\r\nNTS: ssdp:alive\r\nSERVER: %s\r\nUSN: uuid:%s::%s\r\n\r\n",
		d.IP, nt, server, uuidFor(d), nt)
	return o.multicast(d, 1900, "239.255.255.250:1900", []byte(msg))
}

// netbios broadcasts a NetBIOS name registration (RFC 1002 4.2.2) for name,
// as Windows does when it joins a network.
func (o *office) netbios(d *lab.DeviceState, name string) error {
	b := make([]byte, 12, 80)
	binary.BigEndian.PutUint16(b[0:], uint16(d.IP.As4()[3])<<8|0x21)
	binary.BigEndian.PutUint16(b[2:], 0x2910) // registration, recursion desired, broadcast
	binary.BigEndian.PutUint16(b[4:], 1)      // one question
	binary.BigEndian.PutUint16(b[10:], 1)     // one additional record
	b = append(b, encodeNetBIOS(name, 0x00)...)
	b = append(b, 0, 0x20, 0, 1)             // NB, IN
	b = append(b, 0xc0, 0x0c, 0, 0x20, 0, 1) // pointer to the question's name, NB, IN
	b = binary.BigEndian.AppendUint32(b, 300000)
	b = append(b, 0, 6, 0, 0)
	ip := d.IP.As4()
	b = append(b, ip[:]...)
	bcast := broadcast(o.st.CIDR)
	return lab.InNetns(d.Netns, func() error {
		c, err := broadcastConn(137)
		if err != nil {
			return err
		}
		defer c.Close()
		_, err = c.WriteTo(b, &net.UDPAddr{IP: bcast.AsSlice(), Port: 137})
		return err
	})
}

// phoneJoins is a phone arriving with a randomised, locally administered MAC
// (as iOS and Android do per network) and asking for a lease.
func (o *office) phoneJoins(ctx context.Context, after time.Duration) {
	if !sleep(ctx, after) {
		return
	}
	var phone *lab.DeviceState
	for i := range o.st.Devices {
		if d := &o.st.Devices[i]; d.Role == "phone" && d.Agent == "-" {
			phone = d // the last agentless phone: the tablet in the office LAN
		}
	}
	if phone == nil {
		return
	}
	mac := make(net.HardwareAddr, 6)
	_, _ = rand.Read(mac)
	mac[0] = mac[0]&0xfc | 0x02
	if err := o.st.SetMAC(ctx, phone.Name, mac); err != nil {
		o.log.Warn("phone join: set mac", "err", err)
		return
	}
	// A new MAC gets a new lease: move the phone to a free address.
	if ip, ok := o.freeAddr(); ok {
		bits := strconv.Itoa(o.st.CIDR.Bits())
		if err := exec.CommandContext(ctx, "ip", "-n", phone.Netns, "addr", "flush", "dev", "eth0").Run(); err == nil {
			if err := exec.CommandContext(ctx, "ip", "-n", phone.Netns, "addr", "add", ip.String()+"/"+bits, "dev", "eth0").Run(); err == nil {
				phone.IP = ip
			}
		}
	}
	o.log.Info("a phone joined with a randomised MAC", "device", phone.Name, "mac", mac.String(), "ip", phone.IP)
	_ = o.st.SendDHCP(phone.Name, lab.DHCPClient{Hostname: "Galaxy-Tab-S8", Vendor: "android-dhcp-14", Params: []byte{1, 3, 6, 15, 26, 28, 51, 58, 59, 43}})
}

// freeAddr is an address of the LAN no device or the box has, from .120 up.
func (o *office) freeAddr() (netip.Addr, bool) {
	used := map[netip.Addr]bool{o.st.BoxIP: true}
	for _, d := range o.st.Devices {
		used[d.IP] = true
	}
	a := o.st.CIDR.Masked().Addr()
	for range 120 {
		a = a.Next()
	}
	for ; o.st.CIDR.Contains(a); a = a.Next() {
		if !used[a] && a.Next().IsValid() && o.st.CIDR.Contains(a.Next()) {
			return a, true
		}
	}
	return netip.Addr{}, false
}

// scan is the staged incident: a workstation port-scans every other lab
// host with nmap (its 100 most common ports, as an intruder or a curious
// user would), from inside its namespace. The targets are the lab's own
// addresses, listed one by one, never a range. Without nmap, demolife's
// own connect scan of ports 1-100 stands in, and says so.
func (o *office) scan(ctx context.Context, after time.Duration) {
	if !sleep(ctx, after) {
		return
	}
	var from *lab.DeviceState
	for i := range o.st.Devices {
		if d := &o.st.Devices[i]; d.Role == "workstation" {
			from = d
		}
	}
	if from == nil {
		return
	}
	var targets []string
	for _, d := range o.st.Devices {
		if d.Name != from.Name {
			targets = append(targets, d.IP.String())
		}
	}
	nmap, err := exec.LookPath("nmap")
	if err != nil {
		o.log.Warn("staged incident: nmap is not installed (make deps installs it): demolife's own connect scan stands in", "from", from.Name, "ip", from.IP)
		o.connectScan(ctx, from)
		return
	}
	o.log.Info("staged incident: nmap port scan", "from", from.Name, "ip", from.IP, "hosts", len(targets))
	// -n: no DNS; -e eth0: the lab link only; --top-ports 100 with
	// -T4, nmap's "aggressive" timing: a scan that finishes in seconds.
	args := append([]string{"netns", "exec", from.Netns, nmap, "-n", "-e", "eth0", "-T4", "--top-ports", "100", "--max-retries", "1"}, targets...)
	out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput()
	if err != nil {
		o.log.Warn("staged incident: nmap", "err", err, "output", lastLine(out))
		return
	}
	o.log.Info("staged incident: nmap finished", "summary", lastLine(out))
}

// connectScan is the scan without nmap: TCP connects to ports 1-100 of
// every other lab host, one after the other.
func (o *office) connectScan(ctx context.Context, from *lab.DeviceState) {
	// Every socket must be made on the thread InNetns put in the lab's
	// namespace: no goroutines here. The lab's hosts answer a closed port
	// with a reset at once, so a sequential scan is quick.
	_ = lab.InNetns(from.Netns, func() error {
		for _, d := range o.st.Devices {
			if d.Name == from.Name {
				continue
			}
			for port := 1; port <= 100 && ctx.Err() == nil; port++ {
				if c, err := net.DialTimeout("tcp4", netip.AddrPortFrom(d.IP, uint16(port)).String(), 200*time.Millisecond); err == nil {
					c.Close()
				}
			}
		}
		return nil
	})
}

// lastLine is a command's last non-empty output line (nmap's "Nmap done:
// 48 IP addresses (48 hosts up) scanned in 3.10 seconds").
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// dhcpServer runs dnsmasq as a DHCP server (no DNS) in d's namespace
// until ctx ends: authoritative for the LAN's workstation and phone
// addresses, handing out d as the router.
func (o *office) dhcpServer(ctx context.Context, d *lab.DeviceState) error {
	dir, err := os.MkdirTemp("", "demolife-dhcp-")
	if err != nil {
		return err
	}
	lo, hi := o.st.CIDR.Masked().Addr().As4(), o.st.CIDR.Masked().Addr().As4()
	lo[3], hi[3] = 100, 199
	cmd := exec.Command("ip", "netns", "exec", d.Netns, "dnsmasq", "--keep-in-foreground", "--port=0",
		"--conf-file=/dev/null", "--no-hosts", "--user=root", "--interface=eth0", "--bind-interfaces",
		"--dhcp-authoritative", "--log-facility=-",
		"--dhcp-range="+netip.AddrFrom4(lo).String()+","+netip.AddrFrom4(hi).String()+",10m",
		"--dhcp-option=option:router,"+d.IP.String(), "--dhcp-option=option:dns-server,"+o.gw.IP.String(),
		"--dhcp-leasefile="+dir+"/leases", "--pid-file="+dir+"/pid")
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("dnsmasq on %s (make deps installs dnsmasq-base): %w", d.Name, err)
	}
	go func() {
		<-ctx.Done()
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}()
	go func() {
		_ = cmd.Wait()
		os.RemoveAll(dir)
	}()
	return nil
}

// rogueDHCP is the second staged incident: a server in the office starts
// its own DHCP server (dnsmasq), handing itself out as the router, and
// answers the next renewals alongside the gateway.
func (o *office) rogueDHCP(ctx context.Context, after time.Duration) {
	if !sleep(ctx, after) {
		return
	}
	var from *lab.DeviceState
	for i := range o.st.Devices {
		if d := &o.st.Devices[i]; d.Role == "server" && (from == nil || strings.Contains(d.Name, "linux")) {
			from = d // an old Linux box someone set up, else the first server
		}
	}
	if from == nil {
		return
	}
	o.log.Info("staged incident: a rogue DHCP server", "on", from.Name, "ip", from.IP)
	if err := o.dhcpServer(ctx, from); err != nil {
		o.log.Warn("rogue dhcp", "err", err)
		return
	}
	// Two workstations rebind at once (as after a reboot), so the rogue
	// answers within seconds rather than at the next renewals.
	if !sleep(ctx, 3*time.Second) {
		return
	}
	asked := 0
	for i := range o.st.Devices {
		if d := &o.st.Devices[i]; d.Role == "workstation" && !strings.Contains(d.Name, "mac") && asked < 2 { // Windows PCs, as in acts
			asked++
			_ = o.st.SendDHCP(d.Name, lab.DHCPClient{Hostname: "DESKTOP-" + strings.ToUpper(d.Name[len(d.Name)-2:]) + "7Q", Vendor: "MSFT 5.0"})
		}
	}
}

func (o *office) multicast(d *lab.DeviceState, port int, to string, b []byte) error {
	return lab.InNetns(d.Netns, func() error {
		c, err := broadcastConn(port)
		if err != nil {
			return err
		}
		defer c.Close()
		ua, err := net.ResolveUDPAddr("udp4", to)
		if err != nil {
			return err
		}
		_, err = c.WriteTo(b, ua)
		return err
	})
}

// broadcastConn is a UDP socket on eth0 from port (shared with other users
// of the port), allowed to broadcast.
func broadcastConn(port int) (net.PacketConn, error) {
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			for _, o := range []int{syscall.SO_BROADCAST, syscall.SO_REUSEADDR} {
				if serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, o, 1); serr != nil {
					return
				}
			}
			serr = syscall.BindToDevice(int(fd), "eth0")
		})
		if err != nil {
			return err
		}
		return serr
	}}
	return lc.ListenPacket(context.Background(), "udp4", fmt.Sprintf("0.0.0.0:%d", port))
}

// encodeNetBIOS is RFC 1001 14.1's first-level encoding of a 16-byte name.
func encodeNetBIOS(name string, suffix byte) []byte {
	raw := []byte(fmt.Sprintf("%-15.15s", strings.ToUpper(name)))
	raw = append(raw, suffix)
	out := []byte{32}
	for _, c := range raw {
		out = append(out, 'A'+c>>4, 'A'+c&0x0f)
	}
	return append(out, 0)
}

func broadcast(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	v := binary.BigEndian.Uint32(a[:]) | (1<<(32-p.Bits()) - 1)
	binary.BigEndian.PutUint32(a[:], v)
	return netip.AddrFrom4(a)
}

func uuidFor(d *lab.DeviceState) string {
	m := d.MAC
	return fmt.Sprintf("4d696e69-4450-4e41-5300-%02x%02x%02x%02x%02x%02x", m[0], m[1], m[2], m[3], m[4], m[5])
}

func jitter(d time.Duration) time.Duration {
	n, err := rand.Int(rand.Reader, big.NewInt(int64(d)))
	if err != nil {
		return d / 2
	}
	return time.Duration(n.Int64())
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
