package webkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var fingerprintForm = regexp.MustCompile(`^([0-9A-F]{2}:){31}[0-9A-F]{2}$`)

func TestEnsureCertificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	cert, fp, err := EnsureCertificate(dir, "tend-acme.lan", "192.168.10.5", " ")
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.Leaf
	if leaf.Subject.CommonName != "tend" {
		t.Errorf("CN = %q", leaf.Subject.CommonName)
	}
	if diff := cmp.Diff([]string{"localhost", "tend-acme.lan"}, leaf.DNSNames); diff != "" {
		t.Errorf("DNS SANs (-want +got):\n%s", diff)
	}
	var ips []string
	for _, ip := range leaf.IPAddresses {
		ips = append(ips, ip.String())
	}
	if diff := cmp.Diff([]string{"127.0.0.1", "::1", "192.168.10.5"}, ips); diff != "" {
		t.Errorf("IP SANs (-want +got):\n%s", diff)
	}
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || pub.Curve != elliptic.P256() {
		t.Errorf("key is %T, want ECDSA P-256", leaf.PublicKey)
	}
	if err := leaf.VerifyHostname("192.168.10.5"); err != nil {
		t.Error(err)
	}
	sum := sha256.Sum256(leaf.Raw)
	if !fingerprintForm.MatchString(fp) || !strings.EqualFold(strings.ReplaceAll(fp, ":", ""), fmt.Sprintf("%x", sum)) {
		t.Errorf("fingerprint %q is not the colon-separated SHA-256 of the certificate", fp)
	}
	fi, err := os.Stat(filepath.Join(dir, "tls.key"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
	}

	// The second start loads the same certificate: the fingerprint engineers
	// trusted stays valid.
	_, fp2, err := EnsureCertificate(dir)
	if err != nil || fp2 != fp {
		t.Errorf("reload fingerprint = %q, %v; want %q", fp2, err, fp)
	}
}

func TestEnsureCertificateHalfInstalled(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tls.crt"), []byte("provider's cert"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := EnsureCertificate(dir); err == nil || !strings.Contains(err.Error(), "only one") {
		t.Errorf("EnsureCertificate with a lone tls.crt = %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "tls.crt")); string(b) != "provider's cert" {
		t.Error("the lone certificate was overwritten")
	}
}

func TestEnsureCertificateRenewsOwnExpiring(t *testing.T) {
	for _, tt := range []struct {
		cn        string
		wantRenew bool
	}{
		{"tend", true},                  // ours: replace before it breaks
		{"provider.example.net", false}, // theirs: never touch
	} {
		t.Run(tt.cn, func(t *testing.T) {
			dir := t.TempDir()
			old := writeSelfSigned(t, dir, tt.cn, time.Now().Add(24*time.Hour))
			cert, _, err := EnsureCertificate(dir)
			if err != nil {
				t.Fatal(err)
			}
			renewed := cert.Leaf.SerialNumber.Cmp(old) != 0
			if renewed != tt.wantRenew {
				t.Errorf("renewed = %v, want %v", renewed, tt.wantRenew)
			}
			if renewed && time.Until(cert.Leaf.NotAfter) < 800*24*time.Hour {
				t.Errorf("renewed certificate expires %s", cert.Leaf.NotAfter)
			}
		})
	}
}

// writeSelfSigned puts a self-signed certificate for cn, expiring at
// notAfter, into dir and returns its serial.
func writeSelfSigned(t *testing.T, dir, cn string, notAfter time.Time) *big.Int {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: cn},
		NotBefore: notAfter.Add(-365 * 24 * time.Hour), NotAfter: notAfter, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tls.crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tls.key"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tmpl.SerialNumber
}
