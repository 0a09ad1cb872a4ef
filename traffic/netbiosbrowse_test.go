package traffic

import (
	"testing"

	"tend/inventory"
)

// TestNetBIOSBrowseNotSMB1Service: Samba's nmbd announces its host to
// \MAILSLOT\BROWSE over UDP 138 (an SMB_COM_TRANSACTION envelope, MS-BRWS)
// whatever SMB dialects its server allows: low, as NetBIOS browsing, not
// the high "smbv1" of an SMB1 file service (review 32b: many captures
// raised it for the lab's Samba hosts).
func TestNetBIOSBrowseNotSMB1Service(t *testing.T) {
	smb := append([]byte("\xffSMB\x25"), make([]byte, 27+32)...)
	smb = append(smb, "\\MAILSLOT\\BROWSE\x00\x0f\x03 \xbf\x02\x00H3SRV"...)
	dgm := append(append([]byte{0x11, 0x0a, 0, 1, 10, 0, 0, 10, 0, 138, 0, 100, 0, 0}, make([]byte, 68)...), smb...)
	r := newRig(t, Config{})
	r.feed(t0, udpFrame(t, pcMAC, "10.0.0.10", 138, bcast, "10.0.0.255", 138, dgm))
	evs := r.of(inventory.EventInsecureProtocol)
	if len(evs) != 1 || evs[0].Severity != inventory.SeverityLow || evs[0].MAC.String() != pcMAC.String() {
		t.Fatalf("want one low insecure_protocol naming the announcer, got %+v", evs)
	}
	if in, ok := DetectInsecure(false, 138, 138, dgm, nil); !ok || in.Proto != "netbios-browse" {
		t.Errorf("DetectInsecure: %+v %v, want netbios-browse", in, ok)
	}
}
