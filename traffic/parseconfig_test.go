package traffic

import (
	"strings"
	"testing"
	"time"
)

// TestParseConfigRejectsLongMACs checks that --self-mac and --ipv6-router
// take only 6-byte MACs: net.ParseMAC accepts EUI-64 and InfiniBand
// addresses, which the engine would key as zeros.
func TestParseConfigRejectsLongMACs(t *testing.T) {
	for _, s := range []string{"02:00:00:00:00:01:02:03", "00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01"} {
		if _, err := ParseConfig(time.Minute, "", nil, []string{s}, nil); err == nil || !strings.Contains(err.Error(), "--self-mac") {
			t.Errorf("--self-mac %s: err %v, want a --self-mac error", s, err)
		}
		if _, err := ParseConfig(time.Minute, "", nil, nil, []string{s}); err == nil || !strings.Contains(err.Error(), "--ipv6-router") {
			t.Errorf("--ipv6-router %s: err %v, want an --ipv6-router error", s, err)
		}
	}
	cfg, err := ParseConfig(time.Minute, "", nil, []string{"02:00:00:00:00:01"}, []string{"02:00:00:00:00:02"})
	if err != nil || len(cfg.Self) != 1 || len(cfg.IPv6Routers) != 1 {
		t.Fatalf("6-byte MACs: %+v, %v", cfg, err)
	}
}
