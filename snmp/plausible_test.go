package snmp

import (
	"strconv"
	"strings"
	"testing"
)

// TestImplausibleModel: a version, a date or a bare label is never taken
// for a model; the refusal is evidence and the next source answers.
func TestImplausibleModel(t *testing.T) {
	for v, want := range map[string]string{
		"4.4.2": "a version number", "v1.0": "a version number", "09/19/2013": "a date", "2024-03-12": "a date",
		"ESPHome version": "a label", "DELL6606": "", "S5750E-16X-SI": "", "FB2900": "", "6500 7-Slot Shelf": "",
		"Inc": "a company suffix", "GmbH": "a company suffix", "Ltd.": "a company suffix", "EdgeOS": "an operating system",
		"NX-OS": "an operating system", "AOS-W": "", "OS2200": "", "Kos": "", "CIOS 3": "",
		"0x0029": "a bare hexadecimal id", "0x0800004c": "", "1793VA": "", "UPS2000": "",
	} {
		got := implausible("model", v)
		if want == "" && got != "" || want != "" && !strings.HasPrefix(got, want) {
			t.Errorf("implausible(model, %q) = %q, want %q…", v, got, want)
		}
	}
	descr := "DELL Web/SNMP Management Card (MB:V1.0f PF:v5.1.4 MN:DELL6606 HR:HW01 SN: IN1A2345 MD:09/19/2013)"
	id := identify("1.3.6.1.4.1.674.10903.200.3.1", candidates("1.3.6.1.4.1.674.10903.200.3.1", descr), newValues(descr))
	if id.Model != "DELL6606" {
		t.Errorf("model %q, want DELL6606 (MN:, not the MD: date)", id.Model)
	}
	vs := newValues("Acme")
	vs.column[entPhysicalEntry+".5"] = []row{{index: "1", value: value{text: "3"}}}
	vs.column[entPhysicalEntry+".13"] = []row{{index: "1", value: value{text: "4.4.2"}}}
	id = identify("1.3.6.1.4.1.99999.1", candidates("1.3.6.1.4.1.99999.1", "Acme"), vs)
	if id.Model != "" {
		t.Errorf("model %q from a version in entPhysicalModelName", id.Model)
	}
	found := false
	for _, e := range id.Evidence {
		found = found || strings.Contains(e.Detail, "ignored model") && strings.Contains(e.Detail, "version number")
	}
	if !found {
		t.Errorf("no evidence of the refused model in %+v", id.Evidence)
	}
}

// TestChassisNeverAPart: without a chassis or stack row, identity reads
// the first row that is not a part; a power supply's serial is never the
// device's.
func TestChassisNeverAPart(t *testing.T) {
	vs := newValues("Acme")
	col := func(c int, rows ...[2]string) {
		for _, r := range rows {
			vs.column[entPhysicalEntry+"."+strconv.Itoa(c)] = append(vs.column[entPhysicalEntry+"."+strconv.Itoa(c)], row{index: r[0], value: value{text: r[1]}})
		}
	}
	col(entColClass, [2]string{"1", "6"}, [2]string{"2", "9"}, [2]string{"3", "1"})
	col(entColContainedIn, [2]string{"1", "0"}, [2]string{"2", "0"}, [2]string{"3", "0"})
	col(entColSerial, [2]string{"1", "PSU123456"}, [2]string{"2", "MOD123456"}, [2]string{"3", "DEV123456"})
	if got := vs.chassis(); got != "3" {
		t.Errorf("chassis row %q, want 3 (rows 1 and 2 are a power supply and a module)", got)
	}
	vs.column[entPhysicalEntry+"."+strconv.Itoa(entColClass)][2].text = "10"
	if got := vs.chassis(); got != "" {
		t.Errorf("chassis row %q, want none: every row is a part", got)
	}
	// No class column: a top-level "Switch System" wrapper without a
	// model or serial gives way to the row that names the model.
	vs = newValues("Cisco")
	col(entColContainedIn, [2]string{"1", "0"}, [2]string{"1000", "2"})
	col(entColName, [2]string{"1", "Switch System"})
	col(entColModel, [2]string{"1", ""}, [2]string{"1000", "WS-C4948E"})
	if got := vs.chassis(); got != "1000" {
		t.Errorf("chassis row %q, want 1000 (row 1 names nothing)", got)
	}
	// VMware ESXi: the host is one backplane(4) row with model and serial.
	vs = newValues("VMware ESXi 7.0.0")
	col(entColClass, [2]string{"1", "4"})
	col(entColContainedIn, [2]string{"1", "0"})
	col(entColSerial, [2]string{"1", "CZ162913BZ"})
	if got := vs.chassis(); got != "1" {
		t.Errorf("chassis row %q, want the backplane row 1", got)
	}
}

// TestGuessShapes: the vendor-subtree guess skips readings for a version
// and product names for a serial.
func TestGuessShapes(t *testing.T) {
	vs := newValues("Acme PX3-5493U-K2 power unit")
	for _, s := range []string{"33.953", "RAy3-24", "PX3-5493U-K2", "2.11", "AB1234567"} {
		vs.subtree = append(vs.subtree, value{text: s})
	}
	if got := vs.guess(guessVersion); got != "2.11" {
		t.Errorf("version guess %q, want 2.11 (33.953 is a reading)", got)
	}
	if got := vs.guess(guessSerial); got != "AB1234567" {
		t.Errorf("serial guess %q, want AB1234567 (RAy3-24 is mixed case, PX3-5493U-K2 is in sysDescr)", got)
	}
	for v, want := range map[string]bool{"33.953": true, "26.44": true, "4.6": false, "01.08": false, "1.2.3": false, "2020.6": false, "v20.1": false} {
		if readingLike(v) != want {
			t.Errorf("readingLike(%q) = %v", v, !want)
		}
	}
}

// TestSerialIsNotTheModel: contradictory values, the same text offered as
// model and serial, give the model and an evidence note, no serial.
func TestSerialIsNotTheModel(t *testing.T) {
	vs := newValues("Acme")
	vs.column[entPhysicalEntry+".5"] = []row{{index: "1", value: value{text: "3"}}}
	vs.column[entPhysicalEntry+".13"] = []row{{index: "1", value: value{text: "EMA114-10"}}}
	vs.column[entPhysicalEntry+".11"] = []row{{index: "1", value: value{text: "ema114-10"}}}
	id := identify("1.3.6.1.4.1.99999.1", candidates("1.3.6.1.4.1.99999.1", "Acme"), vs)
	if id.Model != "EMA114-10" || id.Serial != "" {
		t.Errorf("model %q serial %q, want EMA114-10 and none", id.Model, id.Serial)
	}
	found := false
	for _, e := range id.Evidence {
		found = found || strings.Contains(e.Detail, "ignored serial") && strings.Contains(e.Detail, "model's name")
	}
	if !found {
		t.Errorf("no evidence of the refused serial in %+v", id.Evidence)
	}
}

// TestReadingNotFirmware: a measurement with its unit, which a dotted-number
// grammar finds in a PDU's rating, is refused as a version; versions that
// end in letters still pass.
func TestReadingNotFirmware(t *testing.T) {
	for v, refused := range map[string]bool{"3.7kVA": true, "22.0 kVA": true, "230V": true, "50Hz": true, "2.0A": false,
		"3.3.2": false, "2.1.0C": false, "6.07p1": false, "15.2(7)E4": false,
		"6.4-7.7kVA": true, "100-240V": true, "1000MHZ": true, "2.4 GHz": true, "16-32A": true, "10-35°C": true, "3.5.0.5-45371": false} {
		if got := implausible("firmware", v) != ""; got != refused {
			t.Errorf("implausible(firmware, %q) refused = %v, want %v", v, got, refused)
		}
	}
}

// TestReadingNotModel: a reading with its unit (Hikvision's hikCPUFrequency
// "1000MHZ", the first product-shaped scalar of its MIB) is refused as a
// model; models that end in a unit's letters, or a rating, still pass.
func TestReadingNotModel(t *testing.T) {
	for v, refused := range map[string]bool{"1000MHZ": true, "6.4-7.7kVA": true, "45 °C": true, "1500VA": false, "600W": false,
		"SMT1500VA": false, "PXE-1847": false, "DS-2CD4C36FWD-AP": false, "9135 5000": false} {
		if got := implausible("model", v) != ""; got != refused {
			t.Errorf("implausible(model, %q) refused = %v, want %v", v, got, refused)
		}
	}
}
