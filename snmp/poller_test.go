package snmp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// step is one scripted answer to a Get.
type step struct {
	vars  []gosnmp.SnmpPDU
	err   error
	agent gosnmp.SNMPError // error status, with index
	index uint8
	block bool // wait for the request's ctx to end, as a silent agent would
}

// fakeAgents is the hand-written seam fake: each (ip, version, community)
// has a script of answers, consumed in order with the last one repeating;
// anything unscripted times out as gosnmp reports it. Every Get is logged.
type fakeAgents struct {
	mu          sync.Mutex
	script      map[string][]step
	calls       []string
	inflight    int
	maxInflight int
	hold        chan struct{} // when set, every Get waits for it
}

var errTimeout = fmt.Errorf("request timeout (after 1 retries): %w", gosnmp.ErrMaxRetriesExceeded)

func newFakeAgents() *fakeAgents { return &fakeAgents{script: make(map[string][]step)} }

func key(ip string, v Version, community string) string {
	return ip + " " + string(v) + " " + community
}

func (f *fakeAgents) on(ip string, v Version, community string, steps ...step) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script[key(ip, v, community)] = steps
}

func (f *fakeAgents) dial(ctx context.Context, t target) (session, error) {
	return &fakeSession{f: f, ctx: ctx, key: key(t.ip.String(), t.cred.version, t.cred.community.Reveal())}, nil
}

func (f *fakeAgents) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

type fakeSession struct {
	f   *fakeAgents
	ctx context.Context
	key string
}

func (s *fakeSession) Get(oids []string) (*gosnmp.SnmpPacket, error) {
	f := s.f
	f.mu.Lock()
	f.calls = append(f.calls, s.key+" "+strings.Join(shortOIDs(oids), ","))
	f.inflight++
	f.maxInflight = max(f.maxInflight, f.inflight)
	st := step{err: errTimeout}
	if steps := f.script[s.key]; len(steps) > 0 {
		st = steps[0]
		if len(steps) > 1 {
			f.script[s.key] = steps[1:]
		}
	}
	hold := f.hold
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if hold != nil {
		<-hold
	}
	if st.block {
		<-s.ctx.Done()
		return nil, s.ctx.Err()
	}
	if st.err != nil {
		return nil, st.err
	}
	pkt := &gosnmp.SnmpPacket{Error: st.agent, ErrorIndex: st.index}
	if st.agent == gosnmp.NoError {
		// Answer only what was asked, like an agent.
		for _, v := range st.vars {
			for _, o := range oids {
				if strings.TrimPrefix(v.Name, ".") == o {
					pkt.Variables = append(pkt.Variables, v)
				}
			}
		}
	}
	return pkt, nil
}

func (s *fakeSession) Close() error { return nil }

// GetNext and GetBulk are not scripted: the system tests only GET.
func (s *fakeSession) GetNext([]string) (*gosnmp.SnmpPacket, error) { return nil, errTimeout }

func (s *fakeSession) GetBulk([]string, uint8, uint32) (*gosnmp.SnmpPacket, error) {
	return nil, errTimeout
}

// shortOIDs names the system group scalars by their last arcs for logs.
func shortOIDs(oids []string) []string {
	var out []string
	for _, o := range oids {
		out = append(out, strings.TrimPrefix(o, "1.3.6.1.2.1.1."))
	}
	return out
}

func text(oid, s string) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Name: "." + oid, Type: gosnmp.OctetString, Value: []byte(s)}
}

func exception(oid string, t gosnmp.Asn1BER) gosnmp.SnmpPDU {
	return gosnmp.SnmpPDU{Name: "." + oid, Type: t}
}

// printer is a plausible answer: a quoted sysDescr, as real recordings have.
var printer = []gosnmp.SnmpPDU{
	text(oidSysDescr, `"Brother NC-8300h, Firmware Ver.1.15  (16.04.21),MID 8CE-K9B,FID 2"`),
	{Name: "." + oidSysObjectID, Type: gosnmp.ObjectIdentifier, Value: ".1.3.6.1.4.1.2435.2.3.9.1"},
	{Name: "." + oidSysUpTime, Type: gosnmp.TimeTicks, Value: uint32(8640000)},
	text(oidSysContact, "it@example.org"),
	text(oidSysName, "BRN3C2AF41C7D2E\x00\x00"),
	text(oidSysLocation, "2nd floor"),
}

var (
	t0      = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	agentIP = netip.MustParseAddr("10.7.0.20")
	allSys  = "1.0,2.0,3.0,4.0,5.0,6.0"
)

func testPoller(f *fakeAgents, cfg Config) *Poller {
	cfg.Now = func() time.Time { return t0 }
	return newPoller(cfg, nil, f.dial)
}

func TestSystemDecodes(t *testing.T) {
	for _, tt := range []struct {
		name string
		vars []gosnmp.SnmpPDU
		want inventory.SNMPSystem
	}{
		{
			name: "printer",
			vars: printer,
			want: inventory.SNMPSystem{
				SysDescr:    "Brother NC-8300h, Firmware Ver.1.15  (16.04.21),MID 8CE-K9B,FID 2",
				SysObjectID: "1.3.6.1.4.1.2435.2.3.9.1", SysContact: "it@example.org",
				SysName: "BRN3C2AF41C7D2E", SysLocation: "2nd floor", Uptime: 24 * time.Hour,
			},
		},
		{
			name: "exceptions leave fields empty",
			vars: []gosnmp.SnmpPDU{
				text(oidSysDescr, "Linux nas 5.10.55+ #42962 SMP x86_64"),
				exception(oidSysObjectID, gosnmp.NoSuchObject),
				exception(oidSysUpTime, gosnmp.NoSuchInstance),
				exception(oidSysContact, gosnmp.NoSuchObject),
				exception(oidSysName, gosnmp.EndOfMibView),
				exception(oidSysLocation, gosnmp.NoSuchInstance),
			},
			want: inventory.SNMPSystem{SysDescr: "Linux nas 5.10.55+ #42962 SMP x86_64"},
		},
		{
			name: "wrong types",
			vars: []gosnmp.SnmpPDU{
				{Name: "." + oidSysDescr, Type: gosnmp.Integer, Value: 42},
				text(oidSysObjectID, "1.3.6.1.4.1.318.1.3.27"), // an OID as text: accepted
				text(oidSysUpTime, "12 days"),
				{Name: "." + oidSysContact, Type: gosnmp.OctetString, Value: 7},
				{Name: "." + oidSysName, Type: gosnmp.ObjectIdentifier, Value: ".1.3"},
				{Name: "." + oidSysLocation, Type: gosnmp.Gauge32, Value: uint(3)},
			},
			want: inventory.SNMPSystem{SysObjectID: "1.3.6.1.4.1.318.1.3.27"},
		},
		{
			name: "mistyped uptime and bogus oid",
			vars: []gosnmp.SnmpPDU{
				{Name: "." + oidSysUpTime, Type: gosnmp.Gauge32, Value: uint(100)},
				text(oidSysObjectID, "enterprises.9.1.1"),
			},
			want: inventory.SNMPSystem{Uptime: time.Second},
		},
		{
			name: "hostile text",
			vars: []gosnmp.SnmpPDU{
				text(oidSysDescr, "  \"UPS \x1b[2Jmodel\r\nline two\xff\"  "),
				text(oidSysName, `""`),
				text(oidSysLocation, "\x00garbage after a leading NUL"),
			},
			want: inventory.SNMPSystem{SysDescr: "UPS  [2Jmodel\nline two\uFFFD"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAgents()
			f.on(agentIP.String(), V2c, "public", step{vars: tt.vars})
			got, err := testPoller(f, Config{}).System(t.Context(), agentIP)
			if err != nil {
				t.Fatal(err)
			}
			sys := tt.want
			sys.Version = "2c"
			sys.DefaultCommunity = true // the agent answered "public"
			want := inventory.Observation{Time: t0, Source: inventory.SourceSNMP, IP: agentIP, Hostname: sys.SysName, SNMP: &sys}
			if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b })); diff != "" {
				t.Errorf("System (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSystemCredentialFallbackAndMemory(t *testing.T) {
	f := newFakeAgents()
	ip := agentIP.String()
	// A v1-only agent that knows only the second community.
	f.on(ip, V1, "s3cret", step{vars: printer}, step{err: errTimeout}, step{err: errTimeout})
	p := testPoller(f, Config{Communities: []inventory.Secret{"public", "s3cret"}})

	o, err := p.System(t.Context(), agentIP)
	if err != nil {
		t.Fatal(err)
	}
	if o.SNMP.Version != "1" {
		t.Errorf("version %q, want 1", o.SNMP.Version)
	}
	if _, err := p.System(t.Context(), agentIP); err == nil {
		t.Fatal("second poll answered; script says the agent went quiet")
	}
	// Now the agent speaks v2c with the first community only.
	f.on(ip, V2c, "public", step{vars: printer})
	if _, err := p.System(t.Context(), agentIP); err != nil {
		t.Fatal(err)
	}
	if _, err := p.System(t.Context(), agentIP); err != nil {
		t.Fatal(err)
	}
	want := []string{
		// First poll: v2c with both communities, then v1.
		key(ip, V2c, "public") + " " + allSys,
		key(ip, V2c, "s3cret") + " " + allSys,
		key(ip, V1, "public") + " " + allSys,
		key(ip, V1, "s3cret") + " " + allSys,
		// Second: the remembered credential first, then the rest.
		key(ip, V1, "s3cret") + " " + allSys,
		key(ip, V2c, "public") + " " + allSys,
		key(ip, V2c, "s3cret") + " " + allSys,
		key(ip, V1, "public") + " " + allSys,
		// Third: nothing remembered after a total failure: configured order.
		key(ip, V2c, "public") + " " + allSys,
		// Fourth: the newly remembered one, which answers at once.
		key(ip, V2c, "public") + " " + allSys,
	}
	if diff := cmp.Diff(want, f.log()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestSystemNoAgent(t *testing.T) {
	f := newFakeAgents()
	_, err := testPoller(f, Config{}).System(t.Context(), agentIP)
	if !errors.Is(err, ErrNoAgent) || !errors.Is(err, gosnmp.ErrMaxRetriesExceeded) {
		t.Fatalf("err = %v, want ErrNoAgent wrapping the timeout", err)
	}
	if !strings.HasPrefix(err.Error(), "snmp: get system on 10.7.0.20: ") {
		t.Errorf("error %q does not say what was being done", err)
	}
	if n := len(f.log()); n != 2 {
		t.Errorf("%d requests, want 2 (v2c and v1 with public)", n)
	}
}

func TestSystemRefusedIsFinal(t *testing.T) {
	f := newFakeAgents()
	refused := fmt.Errorf("error reading from socket: read udp 10.7.0.1:40000->10.7.0.20:161: %w", syscall.ECONNREFUSED)
	f.on(agentIP.String(), V2c, "public", step{err: refused})
	p := testPoller(f, Config{Communities: []inventory.Secret{"public", "private"}})
	_, err := p.System(t.Context(), agentIP)
	if !errors.Is(err, ErrNoAgent) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want ErrNoAgent and ECONNREFUSED", err)
	}
	if n := len(f.log()); n != 1 {
		t.Errorf("%d requests after a refusal, want 1: %v", n, f.log())
	}
}

func TestSystemV1NoSuchName(t *testing.T) {
	f := newFakeAgents()
	ip := agentIP.String()
	// A v1 agent without sysContact fails the GET at its index (4), then
	// answers the rest.
	f.on(ip, V1, "public", step{agent: gosnmp.NoSuchName, index: 4}, step{vars: printer})
	o, err := testPoller(f, Config{Versions: []Version{V1}}).System(t.Context(), agentIP)
	if err != nil {
		t.Fatal(err)
	}
	if o.SNMP.SysContact != "" || o.SNMP.SysName != "BRN3C2AF41C7D2E" {
		t.Errorf("got %+v", o.SNMP)
	}
	want := []string{key(ip, V1, "public") + " " + allSys, key(ip, V1, "public") + " 1.0,2.0,3.0,5.0,6.0"}
	if diff := cmp.Diff(want, f.log()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestSystemAgentError(t *testing.T) {
	f := newFakeAgents()
	f.on(agentIP.String(), V2c, "public", step{agent: gosnmp.GenErr, index: 1})
	_, err := testPoller(f, Config{Communities: []inventory.Secret{"public", "private"}}).System(t.Context(), agentIP)
	if err == nil || errors.Is(err, ErrNoAgent) || !strings.Contains(err.Error(), "GenErr") {
		t.Fatalf("err = %v, want the agent's GenErr, not ErrNoAgent", err)
	}
	if n := len(f.log()); n != 1 {
		t.Errorf("%d requests, want 1: an answer proves the community", n)
	}
}

func TestSystemHonoursContext(t *testing.T) {
	f := newFakeAgents()
	f.on(agentIP.String(), V2c, "public", step{block: true})
	ctx, cancel := context.WithCancel(t.Context())
	// Cancel once the first request is in and blocked (not after a fixed
	// time, which a loaded machine may spend before the poller sends it).
	canceled := make(chan time.Time, 1)
	go func() {
		for len(f.log()) == 0 && ctx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		canceled <- time.Now()
		cancel()
	}()
	_, err := testPoller(f, Config{Timeout: time.Hour}).System(ctx, agentIP)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrNoAgent) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if took := time.Since(<-canceled); took > time.Second {
		t.Errorf("cancellation took %v", took)
	}
	if n := len(f.log()); n != 1 {
		t.Errorf("%d requests, want none after cancellation", n)
	}
}

func TestSystemConcurrencyCap(t *testing.T) {
	f := newFakeAgents()
	f.hold = make(chan struct{})
	p := testPoller(f, Config{Concurrency: 3})
	var wg sync.WaitGroup
	for i := range 10 {
		ip := netip.AddrFrom4([4]byte{10, 7, 1, byte(i + 1)})
		f.on(ip.String(), V2c, "public", step{vars: printer})
		wg.Go(func() {
			if _, err := p.System(t.Context(), ip); err != nil {
				t.Error(err)
			}
		})
	}
	for {
		f.mu.Lock()
		n := f.inflight
		f.mu.Unlock()
		if n == 3 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // give a fourth poll the chance to slip in
	close(f.hold)
	wg.Wait()
	if f.maxInflight != 3 {
		t.Errorf("%d polls ran at once, want at most 3", f.maxInflight)
	}
}

func TestNewPollerDefaults(t *testing.T) {
	p := NewPoller(Config{Versions: []Version{"3", V2c, V2c}, Retries: -1}, nil)
	if p.cfg.Port != 161 || p.cfg.Timeout != time.Second || p.cfg.Retries != 0 || p.cfg.Concurrency != 32 {
		t.Errorf("cfg %+v", p.cfg)
	}
	if diff := cmp.Diff([]credential{{version: V2c, community: "public"}}, p.creds, cmp.AllowUnexported(credential{})); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
	if p := NewPoller(Config{}, nil); p.cfg.Retries != 1 || len(p.creds) != 2 || p.creds[0].version != V2c {
		t.Errorf("zero config: %+v %v", p.cfg, p.creds)
	}
	if got := fmt.Sprintf("%v %+v", p.creds, p.creds); strings.Contains(got, "public") {
		t.Errorf("credentials print their community: %s", got)
	}
}
