package snmp

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"tend/internal/schedstat"
	"tend/internal/testwatch"
	"tend/inventory"
)

// startSnmpd runs net-snmp's snmpd on a free loopback port with a config
// made of extra lines, its persistent state in a private temp dir, and
// returns the port once it answers v3 user probe (or v2c when none).
func startSnmpd(t testing.TB, extra string, probe Config) uint16 {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipping: snmpd needs root to start here; run the tests as root")
	}
	bin, err := exec.LookPath("snmpd")
	if err != nil {
		t.Skip("skipping: snmpd not installed (Debian package snmpd)")
	}
	dir := testwatch.TempDir(t, "snmpd") // not t.TempDir: a killed binary leaves those
	port := freeUDPPort(t)
	conf := filepath.Join(dir, "snmpd.conf")
	text := "agentAddress udp:127.0.0.1:" + strconv.Itoa(int(port)) + "\nsysName tend-test-snmpd\nsysLocation lab\n" + extra
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	cmd := exec.Command(bin, "-f", "-C", "-c", conf, "-Lo", "-p", filepath.Join(dir, "snmpd.pid"))
	cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+filepath.Join(dir, "persist"), "MIBS=", "MIBDIRS="+dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start snmpd: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	release := testwatch.Adopt(cmd.Process) // its group goes even if this binary is killed
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // its own process group, made above
		<-exited
		release()
		if t.Failed() {
			t.Logf("snmpd output:\n%s", out.String())
		}
	})
	probe.Port, probe.Timeout, probe.Retries = port, 200*time.Millisecond, -1
	p := NewPoller(probe, nil)
	// Past the limit it gets more time while it still runs or waits to run
	// (a busy CI box), up to five times the limit; stuck, it fails then.
	const limit = 20 * time.Second
	start, cpu := time.Now(), schedstat.Follow(cmd.Process.Pid)
	deadline := start.Add(limit)
	for {
		_, err := p.System(t.Context(), loopback)
		if err == nil {
			return port
		}
		select {
		case err := <-exited:
			t.Fatalf("snmpd exited: %v\n%s", err, out.String())
		default:
		}
		if now := time.Now(); now.After(deadline) {
			if !cpu.Working() || now.Sub(start) > 5*limit {
				t.Fatalf("snmpd did not answer within %s: %v\n%s", now.Sub(start).Round(time.Second), err, out.String())
			}
			deadline = now.Add(2 * time.Second) // still working: look again in two seconds
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestSnmpdV3AuthPriv polls a real net-snmp agent over SNMPv3 authPriv with
// SHA-256/AES and SHA/AES users, after a wrong user and a wrong passphrase,
// and checks the working credential is remembered.
func TestSnmpdV3AuthPriv(t *testing.T) {
	good := V3User{User: "tendsha256", Auth: "SHA-256", AuthPass: "auth-pass-256", Priv: "AES", PrivPass: "priv-pass-256"}
	sha1 := V3User{User: "tendsha1", Auth: "SHA", AuthPass: "auth-pass-sha1", Priv: "AES", PrivPass: "priv-pass-sha1"}
	port := startSnmpd(t, `createUser tendsha256 SHA-256 "auth-pass-256" AES "priv-pass-256"
createUser tendsha1 SHA "auth-pass-sha1" AES "priv-pass-sha1"
rouser tendsha256 priv
rouser tendsha1 priv
`, Config{V3Users: []V3User{good}, Communities: []inventory.Secret{"none-here"}, Versions: []Version{V2c}})

	for _, u := range []V3User{good, sha1} {
		t.Run(u.User, func(t *testing.T) {
			wrongPass := u
			wrongPass.AuthPass = "not-the-passphrase"
			unknown := V3User{User: "nobody-here", Auth: "SHA", AuthPass: "whatever1", Priv: "AES", PrivPass: "whatever2"}
			p := NewPoller(Config{Port: port, Timeout: 300 * time.Millisecond, Retries: -1, Versions: []Version{V2c},
				Communities: []inventory.Secret{"none-here"}, V3Users: []V3User{unknown, wrongPass, u}}, nil)
			o, err := p.Identify(t.Context(), loopback)
			if err != nil {
				t.Fatal(err)
			}
			if o.SNMP.Version != "3" || o.SNMP.SysName != "tend-test-snmpd" {
				t.Errorf("SNMP = %+v", o.SNMP)
			}
			if o.OS != "Linux" || o.Firmware == "" {
				t.Errorf("identity from snmpd: os %q firmware %q", o.OS, o.Firmware)
			}
			if got := p.order(loopback)[0]; got.v3.User != u.User || got.v3.AuthPass != u.AuthPass {
				t.Errorf("remembered %v, want %s", got, u.User)
			}
			// The remembered credential is tried first: one GET answers.
			var gets []int
			p.dial = func(ctx2 context.Context, tg target) (session, error) {
				s, err := dialGoSNMP(ctx2, tg)
				return countingSession{s, &gets}, err
			}
			if _, err := p.System(t.Context(), loopback); err != nil || len(gets) != 1 {
				t.Errorf("second poll: %d GETs, err %v; want 1 GET", len(gets), err)
			}
		})
	}

	t.Run("wrong passphrases only", func(t *testing.T) {
		bad := good
		bad.PrivPass = "wrong-priv-pass"
		bad.AuthPass = "wrong-auth-pass"
		p := NewPoller(Config{Port: port, Timeout: 300 * time.Millisecond, Retries: -1, Versions: []Version{V2c},
			Communities: []inventory.Secret{"none-here"}, V3Users: []V3User{bad}}, nil)
		if _, err := p.System(t.Context(), loopback); !errors.Is(err, ErrNoAgent) {
			t.Errorf("err = %v, want ErrNoAgent", err)
		}
	})
}
