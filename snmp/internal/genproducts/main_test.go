package main

import (
	"bytes"
	"compress/bzip2"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func bunzip(t *testing.T, b []byte) string {
	t.Helper()
	raw, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// The fixture has the MIB's shapes: a header, a commented-out
// assignment, tabs, trailing comments, another parent, numbers out of
// order.
func TestGenerateFixture(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "PRODUCTS-MIB.my"))
	if err != nil {
		t.Fatal(err)
	}
	got, st, err := generate(bytes.NewReader(in), "ciscoProducts", "1.3.6.1.4.1.9.1")
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := generate(bytes.NewReader(in), "ciscoProducts", "1.3.6.1.4.1.9.1")
	if err != nil || !bytes.Equal(got, again) {
		t.Fatalf("two runs differ (err %v)", err)
	}
	want := "# CISCO-PRODUCTS-MIB (LAST-UPDATED 202402060000Z), ciscoProducts 1-1069 (6 products); written by snmp/internal/genproducts.\n" +
		"@1.3.6.1.4.1.9.1\n" +
		"\tciscoGatewayServer\n" + // 1
		"\tciscoTerminalServer\n" + // 2
		"227\tciscoMGX8830\n" + // 229
		"130\tcatalyst2950t24\n" + // 359
		"23\tcisco828\n" + // 382
		"687\tcisco5500Wlc\n" // 1069
	if text := bunzip(t, got); text != want {
		t.Errorf("table:\n%s\nwant:\n%s", text, want)
	}
	if st.Entries != 6 || st.Module != "CISCO-PRODUCTS-MIB" || st.Updated != "202402060000Z" {
		t.Errorf("stats %+v", st)
	}
}

func TestGenerateRejects(t *testing.T) {
	for _, in := range []string{
		"",                    // nothing
		"-- only a comment\n", // nothing
		"a OBJECT IDENTIFIER ::= { ciscoProducts 1 }\nb OBJECT IDENTIFIER ::= { ciscoProducts 1 }\n", // twice
		"a OBJECT IDENTIFIER ::= { ciscoProducts 0 }\n",                                              // zero
		"a OBJECT IDENTIFIER ::= { ciscoProducts 4294967296 }\n",                                     // beyond 32 bits
		"A\tb OBJECT IDENTIFIER ::= { ciscoProducts 1 }\n",                                           // not a symbol
	} {
		if _, _, err := generate(strings.NewReader(in), "ciscoProducts", "1.3.6.1.4.1.9.1"); err == nil {
			t.Errorf("generate(%q) succeeded", in)
		}
	}
	if _, _, err := generate(strings.NewReader("a OBJECT IDENTIFIER ::= { p 1 }\n"), "p", "1.3.x"); err == nil {
		t.Error("a bad -oid was accepted")
	}
}

// The committed table is what the go:generate line makes from the MIBs
// (TEND_MIBS: a folder holding every file branches names: CISCO-PRODUCTS-MIB.my
// of cisco/cisco-mibs' v2 folder, F10-PRODUCTS-MIB and AT-PRODUCT-MIB,
// JUNIPER-CHASSIS-DEFINES-MIB, FORTINET-FORTISWITCH-MIB of 2022-04-01 as
// public MIB collections carry it), byte for byte.
func TestCommittedTableReproducible(t *testing.T) {
	dir := os.Getenv("TEND_MIBS")
	if dir == "" {
		t.Skip("skipping: TEND_MIBS unset (a folder holding the product MIBs) to check the committed snmp/products.tsv.bz2")
	}
	got, _, err := generateAll(dir, branches)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("skipping: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(filepath.Join("..", "..", "products.tsv.bz2"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Errorf("regenerating from %s gives a table that differs from the committed snmp/products.tsv.bz2:\n%s\ncommitted:\n%.300s", dir, firstLine(bunzip(t, got)), bunzip(t, committed))
	}
}

// An OBJECT-IDENTITY macro is assigned where its "::=" closes it, lines
// on; one under another parent, or a plain assignment between, is not
// taken for it.
func TestGenerateObjectIdentity(t *testing.T) {
	in := `F10-PRODUCTS-MIB DEFINITIONS ::= BEGIN
	IMPORTS
		MODULE-IDENTITY,
		OBJECT-IDENTITY
		FROM SNMPv2-SMI;
	f10FamilyMIB MODULE-IDENTITY
	LAST-UPDATED "201310221200Z"
	 ::= { f10Modules 1 }
	f10SSeriesProducts  OBJECT-IDENTITY
		STATUS         current
		::= { f10Products 3 }
	s50   	OBJECT-IDENTITY
		STATUS  current
		DESCRIPTION
		"Dell Networking OS S50 access switch."
		::= { f10SSeriesProducts 1 }
	s25pac 	OBJECT-IDENTITY
		DESCRIPTION "S25P-AC"
		::= {f10SSeriesProducts 4 }
	e600   OBJECT-IDENTITY
		::= { f10ESeriesProducts 2 }
		::= { f10SSeriesProducts 9 }
	s60 OBJECT IDENTIFIER ::= { f10SSeriesProducts 12 }
END
`
	got, st, err := generate(strings.NewReader(in), "f10SSeriesProducts", "1.3.6.1.4.1.6027.1.3")
	if err != nil {
		t.Fatal(err)
	}
	want := "# F10-PRODUCTS-MIB (LAST-UPDATED 201310221200Z), f10SSeriesProducts 1-12 (3 products); written by snmp/internal/genproducts.\n" +
		"@1.3.6.1.4.1.6027.1.3\n\ts50\n3\ts25pac\n8\ts60\n"
	if text := bunzip(t, got); text != want {
		t.Errorf("table:\n%s\nwant:\n%s", text, want)
	}
	if st.Entries != 3 {
		t.Errorf("stats %+v", st)
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

// A commented branch names each product by the comment that ends its
// assignment (FORTINET-FORTISWITCH-MIB's "s548dn OBJECT IDENTIFIER ::= {
// fsModel 5482} -- FortiSwitch-548D"); an assignment without one is an
// error, not a six-letter code taken for the name.
func TestGenerateCommented(t *testing.T) {
	in := "FORTINET-FORTISWITCH-MIB DEFINITIONS ::= BEGIN\n" +
		"    LAST-UPDATED \"202204010000Z\"\n" +
		"fsModel OBJECT IDENTIFIER ::= { fnFortiSwitchMib 5 }\n" +
		"s548dn\t\tOBJECT IDENTIFIER ::= { fsModel 5482}\t\t -- FortiSwitch-548D\n" +
		"s124ef\t\tOBJECT IDENTIFIER ::= { fsModel 1246}\t\t -- FortiSwitch-124E-FPOE\n" +
		"-- s999zz OBJECT IDENTIFIER ::= { fsModel 9999} -- FortiSwitch-999Z\n"
	text, st, err := branchText(strings.NewReader(in), "fsModel", "1.3.6.1.4.1.12356.106.1", true)
	if err != nil {
		t.Fatal(err)
	}
	want := "# FORTINET-FORTISWITCH-MIB (LAST-UPDATED 202204010000Z), fsModel 1246-5482 (2 products); written by snmp/internal/genproducts.\n" +
		"@1.3.6.1.4.1.12356.106.1\n1246\tFortiSwitch-124E-FPOE\n4236\tFortiSwitch-548D\n"
	if string(text) != want || st.Entries != 2 {
		t.Errorf("table:\n%s\nwant:\n%s", text, want)
	}
	if _, _, err := branchText(strings.NewReader("s548dn OBJECT IDENTIFIER ::= { fsModel 5482}\n"), "fsModel", "1.3.6.1.4.1.12356.106.1", true); err == nil {
		t.Error("an assignment with no name in a comment was accepted")
	}
}
