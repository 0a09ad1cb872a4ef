package snmp

import (
	"slices"
	"strings"
	"testing"
)

// TestRecogTable decodes the embedded fingerprints and checks the
// literal prefilter never skips a text its pattern matches.
func TestRecogTable(t *testing.T) {
	prints := recogPrints()
	if len(prints) < 300 {
		t.Fatalf("%d fingerprints, want the ≥ 300 genrecog keeps", len(prints))
	}
	texts := []string{"3Com IntelliJack NJ220", "HP ETHERNET MULTI-ENVIRONMENT,ROM A.03.15,JETDIRECT,JD24,EEPROM A.04.09",
		"Xerox Phaser 6140N; NIC 14.31,ESS 200905190951,IOT 02.01.00,Boot 200809191035", "VBrick Systems Inc., Model 4300 Serial 01010101010"}
	check := func(t *testing.T, texts []string) {
		for _, d := range texts {
			lower := strings.ToLower(d)
			for _, p := range prints {
				if p.re.MatchString(d) && p.lit != "" && !strings.Contains(lower, p.lit) {
					t.Errorf("prefilter %q skips %q, which %s matches", p.lit, d, p.re)
				}
			}
		}
	}
	check(t, texts)
	t.Run("setC", func(t *testing.T) {
		texts = nil
		for _, m := range readManifest(t, setDir(t, "setC")) {
			texts = append(texts, m.SysDescr)
		}
		check(t, texts)
	})
}

func TestRequiredLiteral(t *testing.T) {
	for pattern, want := range map[string]string{
		`^3Com IntelliJack (\S+)$`:        "3com intellijack ",
		`(?i)^ADTRAN (MX\d+)$`:            "adtran ",
		`^(SP\d+)\s`:                      "",
		`^Lexmark (\S+) version (\S+) k`:  " version ",
		`^(?:Connectrix )?(DS[-_]\d\d)$`:  "",
		`Foo|Bar`:                         "",
		`^Ricoh Aficio (\S+) / RICOH Net`: "ricoh aficio ",
		`(`:                               "",
	} {
		if got := requiredLiteral(pattern); got != want {
			t.Errorf("requiredLiteral(%q) = %q, want %q", pattern, got, want)
		}
	}
}

// TestRecogIdentifies: a sysDescr only a Recog fingerprint reads gives
// the model and firmware, with the fingerprint as evidence.
func TestRecogIdentifies(t *testing.T) {
	descr := "3Com OfficeConnect Remote ADSL 812 V1.0.5, Built on Mar 16 2000 at 17:27:24."
	vs := newValues(descr)
	id := identify("1.3.6.1.4.1.43.1.8.1", candidates("1.3.6.1.4.1.43.1.8.1", descr), vs)
	if id.Model != "Remote ADSL 812" || id.Firmware != "1.0.5" {
		t.Errorf("model %q firmware %q, want Remote ADSL 812 and 1.0.5", id.Model, id.Firmware)
	}
	found := false
	for _, e := range id.Evidence {
		found = found || e.Source == "sysDescr (Recog fingerprint)"
	}
	if !found {
		t.Errorf("no Recog evidence in %+v", id.Evidence)
	}
}

// BenchmarkRecog is the fingerprints' share of identifying a device no
// rule knows: every fingerprint tried against one sysDescr.
func BenchmarkRecog(b *testing.B) {
	recogPrints()
	for _, d := range []string{"zaporojskoe-olt", "Linux nas 3.2.40 #25426 SMP Wed Jan 7 13:47:21 CST 2015 armv7l",
		"Hardware: Intel64 Family 6 Model 85 Stepping 4 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)"} {
		b.Run(strings.Fields(d)[0], func(b *testing.B) {
			for b.Loop() {
				vs := newValues(d)
				vs.recog(recogModel)
				vs.recog(recogFirmware)
				vs.recog(recogSerial)
			}
		})
	}
}

// recogCandsScan is recogCands as first written: each fingerprint's
// literal searched for in the lower-case sysDescr.
func recogCandsScan(d string) []int {
	lower := strings.ToLower(d)
	var cands []int
	for c, p := range recogPrints() {
		if p.lit == "" || strings.Contains(lower, p.lit) {
			cands = append(cands, c)
		}
	}
	return cands
}

// TestRecogCandsIndexed holds recogCands, which looks the literals up by
// their first three bytes, to the scan of every literal: over texts made
// of the literals themselves (alone, joined, cut, in capitals, after
// non-ASCII text) and every longer octet string of setA's and setC's
// recordings (their sysDescr among them).
func TestRecogCandsIndexed(t *testing.T) {
	prints := recogPrints()
	texts := []string{"", "a", "ab", "abc", "İstanbul Linux", "\u212Aernel"}
	for i, p := range prints {
		q := prints[(i*7+3)%len(prints)].lit
		texts = append(texts, p.lit, strings.ToUpper(p.lit), "x "+p.lit+" y", p.lit+q, "ſ"+p.lit, p.lit[:len(p.lit)/2]+q)
	}
	texts = append(texts, corpusDescrs(t)...)
	for _, d := range texts {
		vs := newValues(d)
		if got, want := vs.recogCands(d), recogCandsScan(d); !slices.Equal(got, want) {
			t.Fatalf("recogCands(%q) = %v, want %v", d, got, want)
		}
	}
}

// corpusDescrs are the octet strings of setA's and setC's recordings
// longer than twenty bytes, as descriptions go; none without the corpus.
func corpusDescrs(t *testing.T) []string {
	var out []string
	for _, text := range corpusTexts(t) {
		if len(text) > 20 {
			out = append(out, text)
		}
	}
	return out
}
