package snmp

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// hostileAgent is a scripted SNMP agent on a loopback UDP port: respond
// gets every decoded request and returns the datagrams to send back, so a
// test can play any broken or malicious agent.
type hostileAgent struct {
	conn     *net.UDPConn
	requests atomic.Int64
}

func startHostile(t *testing.T, respond func(req *gosnmp.SnmpPacket) [][]byte) *hostileAgent {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	a := &hostileAgent{conn: conn}
	done := make(chan struct{})
	t.Cleanup(func() { conn.Close(); <-done })
	go func() {
		defer close(done)
		buf := make([]byte, 65535)
		dec := &gosnmp.GoSNMP{}
		for {
			n, from, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			a.requests.Add(1)
			req, err := dec.SnmpDecodePacket(buf[:n])
			if err != nil {
				continue
			}
			for _, b := range respond(req) {
				_, _ = conn.WriteToUDP(b, from)
			}
		}
	}()
	return a
}

func (a *hostileAgent) port() uint16 { return uint16(a.conn.LocalAddr().(*net.UDPAddr).Port) }

// reply marshals an answer to req carrying vars.
func reply(t *testing.T, req *gosnmp.SnmpPacket, vars []gosnmp.SnmpPDU) []byte {
	resp := &gosnmp.SnmpPacket{Version: req.Version, Community: req.Community, PDUType: gosnmp.GetResponse,
		RequestID: req.RequestID, Variables: vars}
	b, err := resp.MarshalMsg()
	if err != nil {
		t.Errorf("marshal answer: %v", err)
		return nil
	}
	return b
}

// hostilePoller polls the agent with short timeouts.
func hostilePoller(a *hostileAgent, mod func(*Config)) *Poller {
	cfg := Config{Port: a.port(), Timeout: 150 * time.Millisecond, Retries: 1, DeviceTimeout: 2 * time.Second, Versions: []Version{V2c}, MaxWalkRows: 2000}
	if mod != nil {
		mod(&cfg)
	}
	return NewPoller(cfg, nil)
}

var lo = netip.MustParseAddr("127.0.0.1")

// noHang fails the test when fn runs past limit: the hostile suite's
// guarantee is that nothing an agent does keeps the poller longer than its
// configured bounds.
func noHang(t *testing.T, limit time.Duration, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("still running after %s: the poller hangs on this agent", limit)
	}
}

// systemAnswer answers a GET of the system group with a normal agent's values.
func systemAnswer(req *gosnmp.SnmpPacket) []gosnmp.SnmpPDU {
	var vars []gosnmp.SnmpPDU
	for _, v := range req.Variables {
		name := strings.TrimPrefix(v.Name, ".")
		switch name {
		case oidSysObjectID:
			vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.99999.1"})
		case oidSysUpTime:
			vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.TimeTicks, Value: uint32(100)})
		default:
			vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: []byte("hostile")})
		}
	}
	return vars
}

func TestHostileSilentAgent(t *testing.T) {
	a := startHostile(t, func(*gosnmp.SnmpPacket) [][]byte { return nil })
	p := hostilePoller(a, nil)
	noHang(t, 5*time.Second, func() {
		_, err := p.Identify(context.Background(), lo)
		if !errors.Is(err, ErrNoAgent) {
			t.Errorf("err = %v, want ErrNoAgent", err)
		}
	})
}

func TestHostileGarbageAndWrongRequestID(t *testing.T) {
	a := startHostile(t, func(req *gosnmp.SnmpPacket) [][]byte {
		wrong := *req
		wrong.RequestID++
		return [][]byte{[]byte("\x30\x82\xff\xff garbage"), {0x30, 0x03, 0x02, 0x01}, reply(t, &wrong, systemAnswer(req))}
	})
	p := hostilePoller(a, nil)
	noHang(t, 5*time.Second, func() {
		if _, err := p.Identify(context.Background(), lo); !errors.Is(err, ErrNoAgent) {
			t.Errorf("err = %v, want ErrNoAgent (no well-formed answer to our request)", err)
		}
	})
}

func TestHostileWrongTypesAndOversizedValues(t *testing.T) {
	huge := []byte(strings.Repeat("A", 60000))
	a := startHostile(t, func(req *gosnmp.SnmpPacket) [][]byte {
		var vars []gosnmp.SnmpPDU
		for _, v := range req.Variables {
			name := strings.TrimPrefix(v.Name, ".")
			switch name {
			case oidSysDescr:
				vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: huge})
			case oidSysObjectID:
				vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.Counter32, Value: uint32(7)})
			case oidSysUpTime:
				vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: []byte("yesterday")})
			case oidSysName:
				vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.Integer, Value: -5})
			default:
				vars = append(vars, gosnmp.SnmpPDU{Name: name, Type: gosnmp.IPAddress, Value: "10.0.0.1"})
			}
		}
		return [][]byte{reply(t, req, vars)}
	})
	p := hostilePoller(a, nil)
	noHang(t, 5*time.Second, func() {
		o, err := p.Identify(context.Background(), lo)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(o.SNMP.SysDescr); n == 0 || n > maxText {
			t.Errorf("sysDescr kept %d bytes, want 1..%d", n, maxText)
		}
		if o.SNMP.SysObjectID != "" || o.SNMP.SysName != "" || o.SNMP.Uptime != 0 {
			t.Errorf("mistyped values taken: %+v", o.SNMP)
		}
	})
}

// walkAgent answers GET with the system group and GETBULK/GETNEXT with
// next(asked after) varbinds.
func walkAgent(t *testing.T, next func(after string, n int) []gosnmp.SnmpPDU) *hostileAgent {
	return startHostile(t, func(req *gosnmp.SnmpPacket) [][]byte {
		switch req.PDUType {
		case gosnmp.GetRequest:
			return [][]byte{reply(t, req, systemAnswer(req))}
		case gosnmp.GetBulkRequest, gosnmp.GetNextRequest:
			n := int(req.MaxRepetitions)
			if req.PDUType == gosnmp.GetNextRequest || n == 0 {
				n = 1
			}
			return [][]byte{reply(t, req, next(strings.TrimPrefix(req.Variables[0].Name, "."), n))}
		}
		return nil
	})
}

func textPDU(name, s string) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Name: name, Type: gosnmp.OctetString, Value: []byte(s)}
}

func hostileWalk(t *testing.T, p *Poller, root string) (int, error) {
	t.Helper()
	rows := 0
	var err error
	noHang(t, 8*time.Second, func() {
		err = p.walkOn(context.Background(), lo, credential{version: V2c, community: "public"}, "", root, func(gosnmp.SnmpPDU) bool {
			rows++
			return true
		})
	})
	return rows, err
}

const hostileRoot = "1.3.6.1.2.1.2.2.1.2"

func TestHostileWalkLoop(t *testing.T) {
	// The agent answers the same object forever.
	a := walkAgent(t, func(string, int) []gosnmp.SnmpPDU { return []gosnmp.SnmpPDU{textPDU(hostileRoot+".1", "eth0")} })
	rows, err := hostileWalk(t, hostilePoller(a, nil), hostileRoot)
	if !errors.Is(err, ErrNotIncreasing) || rows != 1 {
		t.Errorf("rows %d, err %v; want 1 row then ErrNotIncreasing", rows, err)
	}
}

func TestHostileWalkGoesBackwards(t *testing.T) {
	a := walkAgent(t, func(after string, n int) []gosnmp.SnmpPDU {
		return []gosnmp.SnmpPDU{textPDU(hostileRoot+".5", "x"), textPDU(hostileRoot+".3", "y")}
	})
	rows, err := hostileWalk(t, hostilePoller(a, nil), hostileRoot)
	if !errors.Is(err, ErrNotIncreasing) || rows != 1 {
		t.Errorf("rows %d, err %v; want 1 row then ErrNotIncreasing", rows, err)
	}
}

func TestHostileWalkEndlessTable(t *testing.T) {
	// Every answer is a full, well-formed, increasing page: a table with
	// no end. The row limit ends it, and no more rows than it are held.
	a := walkAgent(t, func(after string, n int) []gosnmp.SnmpPDU {
		arcs, _ := parseOID(after)
		last := uint32(0)
		if len(arcs) > 10 {
			last = arcs[len(arcs)-1]
		}
		out := make([]gosnmp.SnmpPDU, n)
		for i := range out {
			out[i] = textPDU(fmt.Sprintf("%s.%d", hostileRoot, last+uint32(i)+1), "port")
		}
		return out
	})
	rows, err := hostileWalk(t, hostilePoller(a, func(c *Config) { c.MaxWalkRows = 1000 }), hostileRoot)
	if !errors.Is(err, ErrTooManyRows) || rows != 1000 {
		t.Errorf("rows %d, err %v; want 1000 rows then ErrTooManyRows", rows, err)
	}
}

func TestHostileWalkEndlessSlowTableHitsDeviceTimeout(t *testing.T) {
	// One row per answer, forever, within the request timeout each time:
	// only the per-device deadline can end it.
	a := walkAgent(t, func(after string, _ int) []gosnmp.SnmpPDU {
		time.Sleep(5 * time.Millisecond)
		arcs, _ := parseOID(after)
		last := uint32(0)
		if len(arcs) > 10 {
			last = arcs[len(arcs)-1]
		}
		return []gosnmp.SnmpPDU{textPDU(fmt.Sprintf("%s.%d", hostileRoot, last+1), "p")}
	})
	p := hostilePoller(a, func(c *Config) { c.MaxWalkRows = 1 << 30 })
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	var err error
	noHang(t, 5*time.Second, func() {
		err = p.walkOn(ctx, lo, credential{version: V2c, community: "public"}, "", hostileRoot, func(gosnmp.SnmpPDU) bool { return true })
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
}

func TestHostileWalkEmptyAndForeignAnswers(t *testing.T) {
	for name, next := range map[string]func(string, int) []gosnmp.SnmpPDU{
		"no varbinds":  func(string, int) []gosnmp.SnmpPDU { return nil },
		"outside root": func(string, int) []gosnmp.SnmpPDU { return []gosnmp.SnmpPDU{textPDU("1.3.6.1.2.1.99.1", "x")} },
		"end of view": func(after string, _ int) []gosnmp.SnmpPDU {
			return []gosnmp.SnmpPDU{{Name: after, Type: gosnmp.EndOfMibView}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			rows, err := hostileWalk(t, hostilePoller(walkAgent(t, next), nil), hostileRoot)
			if err != nil || rows != 0 {
				t.Errorf("rows %d, err %v; want an empty walk", rows, err)
			}
		})
	}
}

func TestHostileCancellation(t *testing.T) {
	a := startHostile(t, func(*gosnmp.SnmpPacket) [][]byte { return nil })
	p := hostilePoller(a, func(c *Config) { c.Timeout = 10 * time.Second; c.DeviceTimeout = time.Minute })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	noHang(t, 3*time.Second, func() {
		if _, err := p.Identify(ctx, lo); !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}

func TestHostileWalkTooBigHalvesRepetitions(t *testing.T) {
	// The agent refuses any GETBULK asking for more than 10 rows, as one
	// with a small buffer answers tooBig (RFC 3416 section 4.2.3).
	var asked []uint32
	var mu sync.Mutex
	a := startHostile(t, func(req *gosnmp.SnmpPacket) [][]byte {
		if req.PDUType != gosnmp.GetBulkRequest {
			return [][]byte{reply(t, req, systemAnswer(req))}
		}
		mu.Lock()
		asked = append(asked, req.MaxRepetitions)
		mu.Unlock()
		if req.MaxRepetitions > 10 {
			resp := &gosnmp.SnmpPacket{Version: req.Version, Community: req.Community, PDUType: gosnmp.GetResponse,
				RequestID: req.RequestID, Error: gosnmp.TooBig, Variables: req.Variables}
			b, _ := resp.MarshalMsg()
			return [][]byte{b}
		}
		after := strings.TrimPrefix(req.Variables[0].Name, ".")
		arcs, _ := parseOID(after)
		last := uint32(0)
		if len(arcs) > 10 {
			last = arcs[len(arcs)-1]
		}
		var vars []gosnmp.SnmpPDU
		for i := range req.MaxRepetitions {
			if n := last + i + 1; n <= 30 {
				vars = append(vars, textPDU(fmt.Sprintf("%s.%d", hostileRoot, n), "port"))
			} else {
				vars = append(vars, textPDU("1.3.6.1.2.1.2.2.1.3.1", "next column"))
				break
			}
		}
		return [][]byte{reply(t, req, vars)}
	})
	rows, err := hostileWalk(t, hostilePoller(a, nil), hostileRoot)
	if err != nil || rows != 30 {
		t.Errorf("rows %d, err %v; want 30 rows", rows, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) < 3 || asked[0] != DefaultMaxRepetitions || asked[1] != DefaultMaxRepetitions/2 || asked[2] != DefaultMaxRepetitions/4 {
		t.Errorf("max-repetitions asked %v, want halving from the default", asked)
	}
}

func TestHostileWalkHugeValuesBoundedMemory(t *testing.T) {
	// Endless rows, each one value of 30 KB: within the row limit, only
	// the byte budget stops it, and the heap holds about that budget.
	big := []byte(strings.Repeat("x", 30000))
	a := walkAgent(t, func(after string, _ int) []gosnmp.SnmpPDU {
		arcs, _ := parseOID(after)
		last := uint32(0)
		if len(arcs) > 10 {
			last = arcs[len(arcs)-1]
		}
		return []gosnmp.SnmpPDU{{Name: fmt.Sprintf("%s.%d", hostileRoot, last+1), Type: gosnmp.OctetString, Value: big}}
	})
	const budget = 4 << 20
	// Tries of 2 s: 30 KB replies from the agent under -race on a loaded
	// CI box outran 150 ms twice; the test is about the byte budget.
	p := hostilePoller(a, func(c *Config) {
		c.MaxWalkRows = 1 << 30
		c.MaxWalkBytes = budget
		c.DeviceTimeout = time.Minute
		c.Timeout = 2 * time.Second
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var kept [][]byte // what a caller holding every row would keep
	var err error
	noHang(t, 20*time.Second, func() {
		err = p.walkOn(context.Background(), lo, credential{version: V2c, community: "public"}, "", hostileRoot, func(v gosnmp.SnmpPDU) bool {
			kept = append(kept, v.Value.([]byte))
			return true
		})
	})
	runtime.GC()
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooManyRows) {
		t.Errorf("err = %v, want the size limit", err)
	}
	if n := len(kept) * len(big); n > budget {
		t.Errorf("handed over %d bytes of values, budget %d", n, budget)
	}
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 3*budget {
		t.Errorf("heap grew %d bytes holding the walk, want under %d", grew, 3*budget)
	}
	t.Logf("%d rows, %d bytes kept; heap grew %d KB", len(kept), len(kept)*len(big), (int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024)
	runtime.KeepAlive(kept)
}

// TestHostileIdentityValues identifies a recording whose identity objects
// hold garbage, contradictory and oversized values: the device comes back
// with what could be read, an evidence note says what was ignored, and no
// field is taken from the wrong place.
func TestHostileIdentityValues(t *testing.T) {
	long := strings.Repeat("A", 5000)
	rec := strings.Join([]string{
		"1.3.6.1.2.1.1.1.0|4|",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.12356.101.1.1",
		"1.3.6.1.2.1.1.5.0|4|<private>",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|" + long,
		"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
		"1.3.6.1.2.1.47.1.1.1.1.5.2|2|3", // a second chassis: the first wins
		"1.3.6.1.2.1.47.1.1.1.1.7.1|4|FGT_60F",
		"1.3.6.1.2.1.47.1.1.1.1.11.1|4|" + long,
		"1.3.6.1.2.1.47.1.1.1.1.11.2|4|FGT60FTK00000000",
		"1.3.6.1.2.1.47.1.1.1.1.13.1|4x|" + hex.EncodeToString([]byte{0xff, 0xfe, 0x00, '-', '-'}),
		"1.3.6.1.4.1.12356.101.4.1.1.0|4|v7.2.6,build1575,230926 (GA.F)",
		"1.3.6.1.4.1.12356.101.13.2.1.1.2.1|4|this is not a serial number at all",
	}, "\n") + "\n"
	r := recordingOf(t, rec)
	p := newPoller(Config{}, nil, r.session)
	o, err := p.Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Make != "Fortinet" || o.Model != "FortiGate 60F" || o.Firmware != "v7.2.6,build1575,230926 (GA.F)" {
		t.Errorf("make %q model %q firmware %q, want what the readable objects say", o.Make, o.Model, o.Firmware)
	}
	if o.Serial != "" {
		t.Errorf("serial %q, want none: the chassis serial is oversized and the fallback is a sentence", o.Serial)
	}
	if o.Hostname != "" || o.SNMP.SysName != "" {
		t.Errorf("hostname %q, sysName %q from a placeholder sysName", o.Hostname, o.SNMP.SysName)
	}
	if !slices.ContainsFunc(o.Evidence, func(e inventory.Evidence) bool { return e.Source == "sysName" }) {
		t.Errorf("evidence %v, want a note on the placeholder sysName", o.Evidence)
	}
	var notes int
	for _, e := range o.Evidence {
		if strings.HasPrefix(e.Detail, "ignored serial") {
			notes++
		}
	}
	if notes < 2 {
		t.Errorf("evidence %v, want a note for each ignored serial", o.Evidence)
	}
}

// TestHostileOversizedIdentityFields: an agent of a maker tend has no
// rule for whose chassis row holds a model and a software revision far
// longer than any product's name or version, and a serial of control
// bytes and punctuation only: each is refused with an evidence note
// saying why, the readable firmware revision beside them is taken, and
// no refused value turns up in another field.
func TestHostileOversizedIdentityFields(t *testing.T) {
	longModel := "XR" + strings.Repeat("9", 150)
	longVersion := strings.Repeat("1.2.", 60) + "3"
	rec := strings.Join([]string{
		"1.3.6.1.2.1.1.1.0|4|Switch",
		"1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.1.1",
		"1.3.6.1.2.1.1.5.0|4|sw1",
		"1.3.6.1.2.1.47.1.1.1.1.2.1|4|Switch",
		"1.3.6.1.2.1.47.1.1.1.1.5.1|2|3",
		"1.3.6.1.2.1.47.1.1.1.1.7.1|4|" + longModel,
		"1.3.6.1.2.1.47.1.1.1.1.9.1|4|2.0.1",
		"1.3.6.1.2.1.47.1.1.1.1.10.1|4|" + longVersion,
		"1.3.6.1.2.1.47.1.1.1.1.11.1|4x|" + hex.EncodeToString([]byte{0x01, 0x02, '-', '-', '/', 0x7f}),
		"1.3.6.1.2.1.47.1.1.1.1.13.1|4|" + longModel,
	}, "\n") + "\n"
	r := recordingOf(t, rec)
	p := newPoller(Config{}, nil, r.session)
	o, err := p.Identify(context.Background(), netip.MustParseAddr("192.0.2.1"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Firmware != "2.0.1" {
		t.Errorf("firmware %q, want the readable firmware revision 2.0.1", o.Firmware)
	}
	for field, v := range map[string]string{"model": o.Model, "firmware": o.Firmware, "serial": o.Serial, "make": o.Make} {
		if len(v) > maxModelLen || strings.Contains(v, "99999999") || strings.Contains(v, "1.2.1.2") {
			t.Errorf("%s %q holds a refused value", field, v)
		}
	}
	for _, want := range []string{"ignored model", "ignored firmware", "ignored serial"} {
		if !slices.ContainsFunc(o.Evidence, func(e inventory.Evidence) bool { return strings.HasPrefix(e.Detail, want) }) {
			t.Errorf("evidence %v, want a note %q", o.Evidence, want)
		}
	}
}
