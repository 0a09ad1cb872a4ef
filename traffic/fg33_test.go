package traffic

import (
	"path/filepath"
	"strings"
	"testing"

	"tend/inventory"
)

// tftpEvents are the tftp insecure_protocol events of the staged capture
// file replayed with the lab's gateway gw.
func tftpEvents(t *testing.T, file, gw string) []inventory.Event {
	t.Helper()
	var out []inventory.Event
	for _, ev := range replayEvents(t, filepath.Join("testdata", "staged", file), labelled{Gateway: gw}) {
		if ev.Type == inventory.EventInsecureProtocol && strings.HasPrefix(ev.Summary, "tftp ") {
			out = append(out, ev)
		}
	}
	return out
}

// nmap -sU's TFTP probe (a read request for "r7tftp.txt") that no host
// answered names no TFTP server (review 33b n04); a server that answered
// (DATA blocks of a PXE boot storm, lock-step transfers) stays raised, one
// event per server.
func TestTFTPServerIsOneThatAnswered(t *testing.T) {
	if evs := tftpEvents(t, "udp-top100-scan-tftp-probe-nmap.pcap", "10.33.2.1"); len(evs) != 0 {
		t.Errorf("unanswered TFTP probes raised %d events: %s", len(evs), evs[0].Summary)
	}
	for _, f := range []string{"benign-tftp-20-clients-lockstep-cut.pcap.gz", "benign-pxe-bootstorm-35-tftp-cut.pcap.gz"} {
		if evs := tftpEvents(t, f, "10.32.0.1"); len(evs) != 1 {
			t.Errorf("%s: %d tftp events, want 1 (the answering server's)", f, len(evs))
		}
	}
}
