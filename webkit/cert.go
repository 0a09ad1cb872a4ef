package webkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	certFile = "tls.crt"
	keyFile  = "tls.key"

	// certValidity stays under Apple's 825-day ceiling for TLS server
	// certificates (support.apple.com/en-us/103769), so engineers' Macs and
	// iPads accept the box once trusted.
	certValidity = 825 * 24 * time.Hour
	// certRenewBefore: a self-signed certificate this close to expiry is
	// replaced at start-up instead of failing on site.
	certRenewBefore = 30 * 24 * time.Hour
)

// EnsureCertificate returns the box's TLS certificate and its SHA-256
// fingerprint (upper-case hex pairs joined by colons, as browsers show it),
// which the engineer compares when first trusting the self-signed
// certificate.
//
// It loads dir/tls.crt and dir/tls.key when both exist, so a provider can
// install a certificate of its own. Otherwise, or when tend's own self-signed
// certificate is about to expire, it creates a self-signed ECDSA P-256
// certificate for CN "tend" valid for localhost, 127.0.0.1, ::1 and hosts
// (names or addresses), with the key file readable by the owner only.
func EnsureCertificate(dir string, hosts ...string) (tls.Certificate, string, error) {
	certPath, keyPath := filepath.Join(dir, certFile), filepath.Join(dir, keyFile)
	_, certErr := os.Stat(certPath)
	_, keyErr := os.Stat(keyPath)
	switch {
	case certErr == nil && keyErr == nil:
		cert, err := tls.LoadX509KeyPair(certPath, keyPath)
		if err != nil {
			return tls.Certificate{}, "", fmt.Errorf("webkit: load certificate from %s: %w", dir, err)
		}
		if cert.Leaf == nil { // GODEBUG=x509keypairleaf=0
			if cert.Leaf, err = x509.ParseCertificate(cert.Certificate[0]); err != nil {
				return tls.Certificate{}, "", fmt.Errorf("webkit: parse certificate from %s: %w", dir, err)
			}
		}
		if !ownAndExpiring(cert.Leaf, time.Now()) {
			return cert, fingerprint(cert.Leaf.Raw), nil
		}
	case errors.Is(certErr, fs.ErrNotExist) && errors.Is(keyErr, fs.ErrNotExist):
	case certErr != nil && !errors.Is(certErr, fs.ErrNotExist):
		return tls.Certificate{}, "", fmt.Errorf("webkit: stat certificate: %w", certErr)
	case keyErr != nil && !errors.Is(keyErr, fs.ErrNotExist):
		return tls.Certificate{}, "", fmt.Errorf("webkit: stat key: %w", keyErr)
	default:
		// One without the other: somebody is mid-way through installing
		// their own; overwriting it would destroy their work.
		return tls.Certificate{}, "", fmt.Errorf("webkit: %s needs both %s and %s, found only one", dir, certFile, keyFile)
	}
	return createCertificate(dir, certPath, keyPath, hosts)
}

// ownAndExpiring reports whether c is a self-signed certificate of tend's
// that expires soon; certificates a provider installed are never replaced.
func ownAndExpiring(c *x509.Certificate, now time.Time) bool {
	self := c.Subject.CommonName == "tend" && c.Issuer.String() == c.Subject.String()
	return self && now.Add(certRenewBefore).After(c.NotAfter)
}

func createCertificate(dir, certPath, keyPath string, hosts []string) (tls.Certificate, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("webkit: generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("webkit: generate serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "tend", Organization: []string{"tend appliance"}},
		NotBefore:             now.Add(-time.Hour), // tolerate a box clock slightly behind the browser's
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	for _, h := range hosts {
		h = strings.TrimSpace(h)
		switch ip := net.ParseIP(h); {
		case h == "":
		case ip != nil:
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		default:
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("webkit: create certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("webkit: encode key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return tls.Certificate{}, "", fmt.Errorf("webkit: create %s: %w", dir, err)
	}
	// Key first: a certificate without its key is the worse half-state.
	if err := WriteFileAtomic(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return tls.Certificate{}, "", err
	}
	if err := WriteFileAtomic(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return tls.Certificate{}, "", err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, "", fmt.Errorf("webkit: parse new certificate: %w", err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	return cert, fingerprint(der), nil
}

// WriteFileAtomic writes via a temporary file and rename, so a power cut
// never leaves half a key.
func WriteFileAtomic(path string, data []byte, mode os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("webkit: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	if err := f.Chmod(mode); err != nil {
		f.Close()
		return fmt.Errorf("webkit: write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("webkit: write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("webkit: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("webkit: write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("webkit: write %s: %w", path, err)
	}
	return nil
}

// fingerprint formats the SHA-256 of a DER certificate as "AB:CD:…".
func fingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}
