package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"tend/internal/testclock"
	"tend/internal/testwatch"
	"tend/inventory"
)

// freePort returns a loopback port nobody listens on (tcp and udp).
func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l.Close()
		if u, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(p)); err == nil {
			u.Close()
			return p
		}
	}
	t.Fatal("no free port")
	return 0
}

// waitPort waits until something accepts TCP connections on port.
func waitPort(t *testing.T, port int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(port), time.Second); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on port %d", port)
}

// selfSigned writes a self-signed certificate for 127.0.0.1 (its own CA)
// and its key into dir.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	// Peers check validity against the real clock, whatever the test's
	// clock says: a wide fixed window suits both.
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	return certFile, keyFile
}

// startDaemon runs a real peer until the test ends (or until `tend lab
// reap` finds this binary gone: testwatch.Adopt).
func startDaemon(t *testing.T, name string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(name, args...)
	log, _ := os.Create(filepath.Join(t.TempDir(), filepath.Base(name)+".log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	release := testwatch.Adopt(cmd.Process) // killed even if this binary is
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		release()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("%s output:\n%s", name, b)
		}
	})
	return cmd
}

// sample is a triggered message about a two-device problem.
func sample() Message {
	now := testclock.Now()
	p := Problem{Key: "snmp_default_community-0123456789ab", Rule: "snmp_default_community", Severity: inventory.SeverityHigh,
		Title: "SNMP answers a default community on 2 devices", Action: "Change the community.",
		Evidence: []inventory.Evidence{{Source: "snmp", Detail: "agent answered public"}},
		Devices:  []Device{{Key: "02:00:5e:00:01:01", Name: "sw1", IP: "10.0.1.1"}, {Key: "02:00:5e:00:01:02", Name: "sw2", IP: "10.0.1.2"}}}
	return Diff(nil, map[string]Problem{p.Key: p}, "Acme HQ", "https://box.example/actions", now)[0]
}
