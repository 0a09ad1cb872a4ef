package ouiregistry

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cisco Systems, Inc", "Cisco Systems, Inc"},
		{"  HP Inc.  ", "HP Inc."},
		{"Yichip\u00a0Microelectronics (Hangzhou) Co.,Ltd", "Yichip Microelectronics (Hangzhou) Co.,Ltd"},
		{"Toray\u3000Medical\u3000Co.,Ltd", "Toray Medical Co.,Ltd"},
		{"Alibaba (Beijing)\u2002Software  Service\tInc.", "Alibaba (Beijing) Software Service Inc."},
		{"\u200bASUNG TECHNO CO.,Ltd", "ASUNG TECHNO CO.,Ltd"},
		{"Gilbarco Veeder-Root \u200e", "Gilbarco Veeder-Root"},
		{"\ufeffBOM Corp", "BOM Corp"},
		// Inner format characters are part of the name as published.
		{"Ingenier\u00eda Almud\u00c3\u00ad S.L.", "Ingenier\u00eda Almud\u00c3\u00ad S.L."},
		{" \u00a0 ", ""},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseTSV(t *testing.T) {
	in := "# comment\n" +
		"001B54\t24\tCisco Systems, Inc\r\n" +
		"\n" +
		"0055da0\t28\tShinko  Technos co.,ltd.\n" +
		"70B3D5001\t36\tSOREDI touch systems GmbH\n" +
		"ABCDEF\t24\t \u00a0\n" +
		"000000\t24\tXEROX\tCORPORATION\n"
	got, err := ParseTSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Parsed{
		Entries: []Entry{
			{Prefix: 0x001B54, Bits: 24, Org: "Cisco Systems, Inc"},
			{Prefix: 0x0055DA0, Bits: 28, Org: "Shinko Technos co.,ltd."},
			{Prefix: 0x70B3D5001, Bits: 36, Org: "SOREDI touch systems GmbH"},
			{Prefix: 0x000000, Bits: 24, Org: "XEROX CORPORATION"},
		},
		BlankOrgs: 1,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseTSV mismatch (-want +got):\n%s", diff)
	}
}

func TestParseTSVErrors(t *testing.T) {
	for _, line := range []string{
		"001B54\tCisco",               // two fields
		"001B54\t32\tCisco",           // unassigned length
		"001B5\t24\tCisco",            // too few digits
		"001B540\t24\tCisco",          // too many digits
		"001G54\t24\tCisco",           // not hex
		"001B54\tx\tCisco",            // bad length
		"001B54\t24\tCisco \xff Corp", // bad UTF-8
	} {
		if _, err := ParseTSV(strings.NewReader("000000\t24\tXEROX\n" + line + "\n")); err == nil {
			t.Errorf("ParseTSV(%q) succeeded, want error", line)
		} else if !strings.Contains(err.Error(), "line 2") {
			t.Errorf("ParseTSV(%q) error %q does not name line 2", line, err)
		}
	}
}

func TestMerge(t *testing.T) {
	current := []Entry{
		{Prefix: 0x0000C5, Bits: 24, Org: "Commscope"},
		{Prefix: 0x70B3D5001, Bits: 36, Org: "SOREDI touch systems GmbH"},
		{Prefix: 0x020701, Bits: 24, Org: "RACAL-DATACOM"}, // local bit
	}
	old := []Entry{
		{Prefix: 0x0000C5, Bits: 24, Org: "ARRIS Group, Inc."},
		{Prefix: 0x70B3D5001, Bits: 36, Org: "SOREDI touch systems GmbH"},
		{Prefix: 0x0050C2000, Bits: 36, Org: "T.L.S. Corp."},
		{Prefix: 0x0000C5, Bits: 28, Org: "Not a conflict: other length"},
		{Prefix: 0x01005E, Bits: 24, Org: "Multicast"},
	}
	got, st := Merge(current, old)
	want := []Entry{
		{Prefix: 0x0000C5, Bits: 24, Org: "Commscope"},
		{Prefix: 0x0000C5, Bits: 28, Org: "Not a conflict: other length"},
		{Prefix: 0x0050C2000, Bits: 36, Org: "T.L.S. Corp."},
		{Prefix: 0x70B3D5001, Bits: 36, Org: "SOREDI touch systems GmbH"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Merge entries (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(MergeStats{Overridden: 1, Duplicates: 1, NotUnicast: 2}, st); diff != "" {
		t.Errorf("Merge stats (-want +got):\n%s", diff)
	}
}

func TestMarshalRejects(t *testing.T) {
	for name, entries := range map[string][]Entry{
		"empty org":  {{Prefix: 1, Bits: 24, Org: ""}},
		"bad length": {{Prefix: 1, Bits: 32, Org: "X"}},
		"too wide":   {{Prefix: 1 << 24, Bits: 24, Org: "X"}},
		"duplicate":  {{Prefix: 1, Bits: 24, Org: "X"}, {Prefix: 1, Bits: 24, Org: "Y"}},
	} {
		if _, err := Marshal(entries); err == nil {
			t.Errorf("Marshal(%s) succeeded, want error", name)
		}
	}
}

func TestMarshalDeterministic(t *testing.T) {
	entries := []Entry{{Prefix: 0x001B54, Bits: 24, Org: "Cisco Systems, Inc"}, {Prefix: 0x001132, Bits: 24, Org: "Synology Incorporated"}}
	a, err := Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(entries)
	slices.Reverse(reversed)
	b, err := Marshal(reversed) // any order in
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("Marshal is not deterministic")
	}
	// The head, uncompressed, opens with the organisation count and the
	// names per block; its first section holds both /24 keys, one bucket
	// (top byte 00), their low two bytes, then their organisations.
	h, n := binary.Uvarint(a[len(Magic):])
	head := a[len(Magic)+n:]
	if n <= 0 || uint64(len(head)) < h {
		t.Fatalf("head size %d (%d bytes) for a table of %d bytes", h, n, len(a))
	}
	if got, want := head[:3], []byte{2, 0x80, 0x02}; string(got) != string(want) {
		t.Errorf("head opens % x, want % x", got, want)
	}
	keys := []byte{0, 2, 0x11, 0x32, 0x1b, 0x54, 0, 1, 0, 0}
	if !bytes.Contains(head, keys) {
		t.Errorf("head % x lacks the /24 section % x", head, keys)
	}
}
