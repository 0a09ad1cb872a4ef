package main

import (
	"crypto/ecdh"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// p256Probe is a program built with make build's overlay, whose P-256
// base-point table is computed on first use instead of stored: it prints
// the public key (a base-point multiplication) of 1,000 private keys, each
// the SHA-256 of its number, and checks an ECDSA signature round trip.
const p256Probe = `package main

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
)

func main() {
	for i := 0; i < 1000; i++ {
		k := sha256.Sum256([]byte(fmt.Sprint(i)))
		priv, err := ecdh.P256().NewPrivateKey(k[:])
		if err != nil {
			fmt.Println("-")
			continue
		}
		fmt.Println(hex.EncodeToString(priv.PublicKey().Bytes()))
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h := sha256.Sum256([]byte("tend"))
	sig, err := ecdsa.SignASN1(rand.Reader, key, h[:])
	if err != nil || !ecdsa.VerifyASN1(&key.PublicKey, h[:], sig) {
		fmt.Fprintln(os.Stderr, "ecdsa round trip failed", err)
		os.Exit(1)
	}
}
`

// TestP256Overlay checks the overlay's computed P-256 base-point table
// (scripts/overlay/p256base.txt) against the stored one this test binary
// links (tests build without the overlay): the same public keys.
func TestP256Overlay(t *testing.T) {
	bin := buildOverlayProbe(t, p256Probe, "p256probe")
	out, err := exec.Command(bin).Output()
	if err != nil {
		t.Fatalf("run the probe: %v", err)
	}
	var want strings.Builder
	for i := 0; i < 1000; i++ {
		k := sha256.Sum256([]byte(fmt.Sprint(i)))
		priv, err := ecdh.P256().NewPrivateKey(k[:])
		if err != nil {
			want.WriteString("-\n")
			continue
		}
		want.WriteString(hex.EncodeToString(priv.PublicKey().Bytes()) + "\n")
	}
	if string(out) != want.String() {
		got, exp := strings.Split(string(out), "\n"), strings.Split(want.String(), "\n")
		for i := range min(len(got), len(exp)) {
			if got[i] != exp[i] {
				t.Fatalf("key %d: overlay %s, stored table %s", i, got[i], exp[i])
			}
		}
		t.Fatalf("overlay printed %d lines, want %d", len(got), len(exp))
	}
}
