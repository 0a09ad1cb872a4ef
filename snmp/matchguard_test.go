package snmp

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"tend/internal/lazyre"
)

// guardedExpressions are the expressions cannotMatch rules on.
var guardedExpressions = map[string]*lazyre.Regexp{"labelledSerial": labelledSerial, "namedVersion": namedVersion,
	"productBanner": productBanner, "describedPart": describedPart, "numberedItem": numberedItem, "productVersion": productVersion,
	"guessVersionRe": guessVersionRe, "versionSuffixed": versionSuffixed, "leadingVersion": leadingVersion,
	"numberedName": numberedName, "releaseShape": releaseShape, "vrpPhrase": vrpPhrase, "macLike": macLike, "macGroups": macGroups,
	"unitReading": unitReading, "sensorName": sensorName, "codeVersion": codeVersion, "companyName": companyName,
	"notModelWord": notModelWord, "hardwareLabelled": hardwareLabelled, "shortDescr": shortDescr, "codeSuffix": codeSuffix,
	"revisionSuffix": revisionSuffix}

// TestFoldSafeRunes: the runes outside ASCII whose case-folding orbit
// holds an ASCII letter are the two foldSafe looks for.
func TestFoldSafeRunes(t *testing.T) {
	var got []rune
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < 0x80 {
				got = append(got, r)
				break
			}
		}
	}
	if want := []rune{'\u017f', '\u212a'}; !slices.Equal(got, want) {
		t.Errorf("runes folding to ASCII %U, want %U", got, want)
	}
	for _, s := range []string{"ſ", "\u212a", "aſb", "x\u212ay"} {
		if foldSafe(s) {
			t.Errorf("foldSafe(%q)", s)
		}
	}
}

// TestCannotMatchSound holds cannotMatch to never ruling out a text its
// expression matches, over texts each expression matches and misses,
// texts built at random from the pieces the rulings read, and (when the
// corpus is there) every octet string of setA's and setC's recordings;
// and to rule out some of them, or it would cost without saving.
func TestCannotMatchSound(t *testing.T) {
	texts := []string{"", "a", "S/N 1234567", "SN:ABC12345", "sn 1234", "Serial Number: X1234", "ſerial 123456", "ſn 1234567",
		"PDU System v1.05 (SN 1113016920004)", "serial# 12345678", "Firmware Version 1.2.3", "fw ver 2.1", "Release 3.04",
		"Tempus LX CDMA 6010-0042-000 v 5.70 - Wed Oct 1 04:39:21 UTC 2014", "CS121 v 5.14.50", "CS121\tV5.14", "a v1.2",
		"X4 with fan", "RW-5550-0150 for rack", "options - RW-5550-0150", "RX2 2*SFP+4*RJ45", "Module 1", "Switch Sen 1",
		"Pool-1", "08-HD Max", "Klubbin RX1 Line_1", "ACME1-v2.3.4", "ACME_1.2.3", "ACME_AB_1.2.3", "Acme-V1.2", "eth0",
		"FCH2126720R", "VERSION 1.2", "Acme release 1.2", "Boot firmware 2.0.1", "S5735 V200R021C00SPC100", "V100R002C01B104SP04", "MA5603V800R018C10B085", "R80.10", "00:11:22:33:44:55", "00-a0-ba-0b-d1-ec",
		"00A0BA0BD1EC", "488e-ef71-6490", "3.3VCC", "12.0 V", "12 kVA", "ABCD-12", "Sierra Wireless, Incorporated", "Acme Ltd.", "Ericsson AB", "Acme Co.", "Nokia Oyj", "Acme B.V.", "Acme S.A.", "Acme GmbH", "Acme corp", "PSU 1", "PSU_2", "MES-5.2.1", "ROS 6.2.0", "v7.0.6,build0366,220606 (GA.F)", "4.9.00_b0016_Jan  8 2017", "K-1", "1", "12", "ſ", "\u212Aelvin 1",
		"Hardware: X1", "HARDWARE=abc", "h/w 1", "hardware [x]", "Température hardware: X1", "Température H/W: X1", "ſerial 123456 é",
		"\u212Aelvin hardware: 1", "hardwareſ: X", "TS 324 (047202CD)", "TS 324 (047202CD) é", "T2600G-28TS 3.0", "RAX711-C-DC/D-02 version A.02",
		"Température 1.0", "line\nbreak", "abc\n", strings.Repeat("é", 40), strings.Repeat("\U0001F600", 40), strings.Repeat("\U0001F600", 41), strings.Repeat("a", 41),
		"Gigabit Port 3", "temperature_2", "16-QAM", "V100R011", "Ethernet Interface", "Main Board", "ſtatus", "512 \u212AB", "Acme X400"}
	pieces := []string{"S", "s", "N", "n", "/", "ſ", "serial", "SERIAL", " ", "\t", "v", "V", "ver", "Ver", "release", "firmware",
		"sion", " with ", " for ", " - ", "-", "_", "*", "+", "1", "23", ".4", "5.", ".", "A", "b", "Z", ":", "#", "AB", "X9", "V100R002", ",", " build 12", "R", "C01", "VCC", "BAT", "kVA", "Hz", "ab", ":cd", "-ef", "0a1b", "ABC", "-12", "Inc", "ltd.", "AG", "Oy", "B.V.", ", ",
		"Port", "TEMP", "emp", "Eth", "kB", "gb", "rpm", "v100", "r200", "64-qam", "QPSK", "sensor", "Voltage", "inle", "outp", "ut", "\u212A", "Fan", "cp", "é", "(", ")", " (", "hardware", "H/W", "\n", "0A1B2C", "ſ"}
	r := rand.New(rand.NewPCG(5, 6))
	for range 30000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	texts = append(texts, corpusTexts(t)...)
	for _, s := range texts {
		if got, want := phraseVersion(s), phraseVersionEvery(s); got != want {
			t.Errorf("phraseVersion(%q) = %q, want %q", s, got, want)
		}
	}
	for name, re := range guardedExpressions {
		out := 0
		for _, s := range texts {
			ruled := cannotMatch(re, s)
			if ruled && re.MatchString(s) {
				t.Errorf("cannotMatch(%s, %q) but it matches", name, s)
			}
			if ruled {
				out++
			}
		}
		if out == 0 {
			t.Errorf("cannotMatch(%s, …) ruled out none of %d texts", name, len(texts))
		}
	}
}

// corpusTexts are the octet strings of setA's and setC's recordings as
// the guesses read them (tidied), none without the corpus.
func corpusTexts(t *testing.T) []string {
	dir := os.Getenv("TEND_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus", "snmp")
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "set[AC]", "*.snmprec")); len(matches) > 0 {
		seen := map[string]bool{}
		var out []string
		for _, path := range matches {
			for _, p := range loadRecording(t, path).sorted {
				if v, ok := decodeValue(p); ok && !seen[tidy(v.text)] {
					seen[tidy(v.text)] = true
					out = append(out, tidy(v.text))
				}
			}
		}
		return out
	}
	return nil
}

// phraseVersionEvery is phraseVersion trying every phrase.
func phraseVersionEvery(t string) string {
	for _, re := range versionPhrases {
		if m := re.FindStringSubmatch(t); m != nil && !readingLike(m[1]) {
			return m[1]
		}
	}
	return ""
}
