package snmp

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"

	"tend/internal/schedstat"
	"tend/internal/testwatch"
	"tend/inventory"
)

var loopback = netip.MustParseAddr("127.0.0.1")

// freeUDPPort returns a loopback UDP port nobody listens on right now.
func freeUDPPort(t testing.TB) uint16 {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return uint16(c.LocalAddr().(*net.UDPAddr).Port)
}

// syncBuffer collects a child's output for the failure log.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// readRecording reads one of the hand-written lab recordings.
func readRecording(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "lab", "recordings", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// startSnmpsim serves the recording rec as community "public" on a free
// loopback port and returns the port once the agent answers.
func startSnmpsim(t *testing.T, rec []byte) uint16 {
	t.Helper()
	return startSnmpsimFiles(t, map[string][]byte{"public": rec})
}

// startSnmpsimFiles serves each recording under its community (the map
// key: "public", "public@10" for a Cisco per-VLAN context) on a free
// loopback port and returns the port once "public" answers.
func startSnmpsimFiles(t testing.TB, files map[string][]byte) uint16 {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: snmpsimd is run as root dropping to nobody; run the tests as root")
	}
	bin, err := exec.LookPath("snmpsimd")
	if err != nil {
		t.Skip("skipping: snmpsimd not installed (Debian package snmpsim)")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("skipping: no user nobody for snmpsimd to run as: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)

	// t.TempDir's parents are private to root; snmpsimd reads as nobody.
	dir := testwatch.TempDir(t, "snmpsim")
	data, cache := filepath.Join(dir, "data"), filepath.Join(dir, "cache")
	for _, d := range []string{data, cache} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(cache, uid, -1); err != nil {
		t.Fatal(err)
	}
	for community, rec := range files {
		if err := os.WriteFile(filepath.Join(data, community+".snmprec"), rec, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	port := freeUDPPort(t)
	var out syncBuffer
	cmd := exec.Command(bin,
		"--data-dir="+data,
		"--cache-dir="+cache,
		"--agent-udpv4-endpoint=127.0.0.1:"+strconv.Itoa(int(port)),
		"--process-user=nobody", "--process-group=nogroup",
		"--logging-method=stderr")
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start snmpsimd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	release := testwatch.Adopt(cmd.Process) // its group goes even if this binary is killed
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // its own process group, made above
		<-exited
		release()
		if t.Failed() {
			t.Logf("snmpsimd output:\n%s", out.String())
		}
	})

	probe := NewPoller(Config{Port: port, Timeout: 200 * time.Millisecond, Retries: -1, Versions: []Version{V2c}}, nil)
	// Past the limit it gets more time while it still runs or waits to run
	// (a busy CI box), up to five times the limit; stuck, it fails then.
	const limit = 30 * time.Second
	start, cpu := time.Now(), schedstat.Follow(cmd.Process.Pid)
	deadline := start.Add(limit)
	for {
		_, err := probe.System(t.Context(), loopback)
		if err == nil {
			return port
		}
		select {
		case err := <-exited:
			t.Fatalf("snmpsimd exited: %v\n%s", err, out.String())
		default:
		}
		if now := time.Now(); now.After(deadline) {
			if !cpu.Working() || now.Sub(start) > 5*limit {
				t.Fatalf("snmpsimd did not answer within %s: %v\n%s", now.Sub(start).Round(time.Second), err, out.String())
			}
			deadline = now.Add(2 * time.Second) // still working: look again in two seconds
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestSnmpsimPrinter(t *testing.T) {
	port := startSnmpsim(t, readRecording(t, "printer.snmprec"))
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	now := func() time.Time { return t0 }

	for _, v := range []Version{V2c, V1} {
		t.Run("v"+string(v), func(t *testing.T) {
			p := NewPoller(Config{Port: port, Versions: []Version{v}, Now: now}, nil)
			got, err := p.System(t.Context(), loopback)
			if err != nil {
				t.Fatal(err)
			}
			want := inventory.SNMPSystem{
				Version:     string(v),
				SysDescr:    "Brother NC-340h, Firmware Ver.1.21  (21.07.06),MID 8CE-K0F,FID 2",
				SysObjectID: "1.3.6.1.4.1.2435.2.3.9.1",
				SysName:     "BRN3C2AF4100029",
				SysContact:  "Front desk, ext. 210",
				SysLocation: "2nd floor, copy room",
				Uptime:      915482 * time.Second,
				// The recording answers the default community "public".
				DefaultCommunity: true,
			}
			if got.SNMP == nil || *got.SNMP != want {
				t.Errorf("SNMP = %+v\nwant   %+v", got.SNMP, want)
			}
			if got.Hostname != "BRN3C2AF4100029" || got.Source != inventory.SourceSNMP || got.IP != loopback || !got.Time.Equal(t0) {
				t.Errorf("observation %+v", got)
			}
		})
	}

	t.Run("wrong community", func(t *testing.T) {
		// A try's timeout long enough that the scheduling slack of a loaded
		// CI box (0.4 s seen with 0.3 s tries) stays under the budget's
		// margin, while a third try would still overrun it.
		const timeout = time.Second
		p := NewPoller(Config{Port: port, Communities: []inventory.Secret{"not-the-community"}, Timeout: timeout, Retries: -1}, nil)
		start := time.Now()
		_, err := p.System(t.Context(), loopback)
		took := time.Since(start)
		if !errors.Is(err, ErrNoAgent) {
			t.Fatalf("err = %v, want ErrNoAgent", err)
		}
		// Two versions, one try each.
		if budget := 2*timeout + 800*time.Millisecond; took > budget {
			t.Errorf("gave up after %v, want within %v", took, budget)
		}
		t.Logf("wrong community: ErrNoAgent after %v (2 credentials x %v)", took.Round(time.Millisecond), timeout)
	})

	t.Run("cancelled while waiting", func(t *testing.T) {
		p := NewPoller(Config{Port: port, Communities: []inventory.Secret{"not-the-community"}, Timeout: time.Hour}, nil)
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := p.System(ctx, loopback)
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrNoAgent) {
			t.Fatalf("err = %v, want context.DeadlineExceeded", err)
		}
		if took := time.Since(start); took > 500*time.Millisecond {
			t.Errorf("returned %v after a 100ms deadline", took)
		}
	})
}

// TestSnmpsimIdentityAtMIBEnd: a maker's MIB whose identity group is its
// last objects, behind more sensor readings than the first probe reads,
// served by a real agent. Past the end of the MIB snmpsimd repeats the
// last object's name with endOfMibView (RFC 3416 section 4.2.3); the
// continuation still reads the version and the
// serial number (through snmpsimd, setC's Hirschmann firmware and Terra
// serial were lost this way).
func TestSnmpsimIdentityAtMIBEnd(t *testing.T) {
	port := startSnmpsim(t, []byte(widgetRec(vendorProbeRows+10)))
	o, err := NewPoller(Config{Port: port, Versions: []Version{V2c}}, nil).Identify(t.Context(), loopback)
	if err != nil {
		t.Fatal(err)
	}
	if o.Serial != "AW2X3K9Q4711" || o.Firmware != "3.4.17" {
		t.Errorf("serial %q firmware %q, want AW2X3K9Q4711 and 3.4.17", o.Serial, o.Firmware)
	}
}

// TestSnmpsimV1MissingObject checks the noSuchName path against a real v1
// agent: the printer without sysContact.
func TestSnmpsimV1MissingObject(t *testing.T) {
	var rec []byte
	for line := range bytes.Lines(readRecording(t, "printer.snmprec")) {
		if !bytes.HasPrefix(line, []byte(oidSysContact+"|")) {
			rec = append(rec, line...)
		}
	}
	port := startSnmpsim(t, rec)
	var gets []int
	counting := func(ctx context.Context, tg target) (session, error) {
		s, err := dialGoSNMP(ctx, tg)
		return countingSession{s, &gets}, err
	}
	got, err := newPoller(Config{Port: port, Versions: []Version{V1}}, nil, counting).System(t.Context(), loopback)
	if err != nil {
		t.Fatal(err)
	}
	if len(gets) != 2 || gets[1] != len(systemOIDs)-1 {
		t.Errorf("GETs of %v objects, want the full group then one fewer", gets)
	}
	if got.SNMP.SysContact != "" || got.SNMP.SysName != "BRN3C2AF4100029" || got.SNMP.Version != "1" {
		t.Errorf("SNMP = %+v", got.SNMP)
	}
}

// TestRefusedPortFailsFast needs no agent: the kernel answers a closed port
// with ICMP port-unreachable, which must end the poll at once rather than
// after every credential's timeouts and retries (default 1s x 2 tries x 2
// versions here).
func TestRefusedPortFailsFast(t *testing.T) {
	port := freeUDPPort(t)
	p := NewPoller(Config{Port: port, Communities: []inventory.Secret{"public", "private"}}, nil)
	start := time.Now()
	_, err := p.System(t.Context(), loopback)
	took := time.Since(start)
	if !errors.Is(err, ErrNoAgent) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("err = %v, want ErrNoAgent with ECONNREFUSED", err)
	}
	if took > 300*time.Millisecond {
		t.Errorf("refused port took %v to fail, want under 300ms", took)
	}
	t.Logf("refused port: %v after %v", err, took)
}

// countingSession records how many objects each GET asks for.
type countingSession struct {
	session
	gets *[]int
}

func (s countingSession) Get(oids []string) (*gosnmp.SnmpPacket, error) {
	*s.gets = append(*s.gets, len(oids))
	return s.session.Get(oids)
}
