package snmp

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gosnmp/gosnmp"
)

// BenchmarkFullWalk walks one whole agent (every object under .1) with
// tend's poller and with net-snmp's snmpbulkwalk -Cr50, side by side in one
// run, against two real agents on loopback: net-snmp snmpd, and snmpsimd
// serving the largest setA recording (ciscosb_cbs350-4x, 11,423 objects).
// make bench-snmp runs it with -count and compares medians.
func BenchmarkFullWalk(b *testing.B) {
	tool, err := exec.LookPath("snmpbulkwalk")
	if err != nil {
		b.Skip("skipping: snmpbulkwalk not installed (Debian package snmp)")
	}
	agents := map[string]uint16{}
	agents["snmpd"] = startSnmpd(b, "rocommunity public 127.0.0.1\n", Config{Versions: []Version{V2c}})
	if dir := corpusDirOK(); dir != "" {
		rec, err := os.ReadFile(filepath.Join(dir, "ciscosb_cbs350-4x.snmprec"))
		if err != nil {
			b.Fatal(err)
		}
		agents["snmpsim-cbs350"] = startSnmpsimFiles(b, map[string][]byte{"public": rec})
	}
	for name, port := range agents {
		p := NewPoller(Config{Port: port, Timeout: 5 * time.Second, Versions: []Version{V2c}, MaxWalkRows: 1 << 20}, nil)
		cred := credential{version: V2c, community: "public"}
		var objects int
		b.Run(name+"/tend", func(b *testing.B) {
			for b.Loop() {
				objects = 0
				err := p.walkOn(b.Context(), loopback, cred, "", "1", func(gosnmp.SnmpPDU) bool { objects++; return true })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(objects), "objects")
		})
		b.Run(name+"/snmpbulkwalk", func(b *testing.B) {
			var lines int
			for b.Loop() {
				cmd := exec.Command(tool, "-v2c", "-c", "public", "-Cr50", "-On", "-Oq", "-t", "5", "127.0.0.1:"+strconv.Itoa(int(port)), ".1")
				cmd.Env = append(os.Environ(), "MIBS=", "MIBDIRS=/nonexistent")
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("snmpbulkwalk: %v", err)
				}
				lines = strings.Count(string(out), "\n")
			}
			b.ReportMetric(float64(lines), "objects")
			if lines != objects && objects != 0 {
				b.Logf("%s: snmpbulkwalk printed %d lines, tend walked %d objects", name, lines, objects)
			}
		})
	}
}

// corpusDirOK is corpusDir without a testing.TB: "" when absent.
func corpusDirOK() string {
	dir := os.Getenv("TEND_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus", "snmp")
	}
	dir = filepath.Join(dir, "setA")
	if _, err := os.Stat(filepath.Join(dir, "manifest.jsonl")); err != nil {
		return ""
	}
	return dir
}
