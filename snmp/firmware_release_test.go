package snmp

import "testing"

// TestExtendRelease: the "version" extend of a system built on Linux or
// FreeBSD names its release before the banner's kernel, from its output
// or the text an echo prints; a command's arguments that are no release
// ("-c cat /etc/version") leave the kernel's.
func TestExtendRelease(t *testing.T) {
	const netSNMP = "1.3.6.1.4.1.8072.3.2.10"
	for _, c := range []struct {
		descr, oid, text, want string
	}{
		{"FreeBSD fw1 11.2-RELEASE-p16-HBSD FreeBSD 11.2-RELEASE-p16-HBSD amd64", extendVersionFull, "OPNsense 20.1.2 (amd64/OpenSSL)", "20.1.2"},
		{"Linux TomatoWifi 2.6.22.19 #13 Wed Sep 23 16:39:18 CEST 2020 mips", extendVersionArgs, "FreshTomato 2020.6 MIPSR2 K26AC USB AIO-64K", "2020.6"},
		{"Linux gw 4.14.0 #1 SMP x86_64", extendVersion1Line, "Acme v3.1.4-rc2", "3.1.4-rc2"},
		{"Linux gw 4.14.0 #1 SMP x86_64", extendVersionArgs, "-c cat /etc/version", "4.14.0"},
		{"Linux gw 4.14.0 #1 SMP x86_64", extendVersion1Line, "unknown", "4.14.0"},
	} {
		vs := newValues(c.descr)
		vs.scalar[c.oid] = value{text: c.text}
		if id := identify(netSNMP, candidates(netSNMP, c.descr), vs); id.Firmware != c.want {
			t.Errorf("%q in %s: firmware %q, want %q", c.text, c.oid, id.Firmware, c.want)
		}
	}
}
