package traffic

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// feedWaiting feeds n clients from ownMAC(first) on, 50 ms apart, each
// sending a DISCOVER, getting an OFFER and sending its REQUEST tries
// times, 3 s apart under the same transaction id (busybox udhcpc's
// retransmission), never acknowledged: a client a slow server has not
// served yet.
func feedWaiting(t *testing.T, r *rig, first, n, tries int) {
	for i := range n {
		m, at := ownMAC(first+i), t0.Add(time.Duration(i)*50*time.Millisecond)
		ip := fmt.Sprintf("10.0.2.%d", 10+i)
		xid := uint32(5000 + first + i)
		r.feed(at, dhcpDiscover(t, m, m, xid))
		r.feed(at.Add(500*time.Millisecond), dhcpReply(t, gwMAC, "10.0.0.1", m, ip, "10.0.0.1", 2))
		for k := range tries {
			r.feed(at.Add(time.Second+time.Duration(k)*3*time.Second), dhcpRequestFor(t, m, ip, xid))
		}
	}
}

// TestStarvationSlowServerPowerCut (review 35b dhcp_power_cut_talk): 100
// real clients at once, the server offering to all but acknowledging 56
// within the minute; the other 44 retransmit their REQUESTs. They are
// waiting on the server, not forged: no starvation. The same 44 sending
// one REQUEST each and never again are what a tool's clients look like
// (raised), and 70 retransmitting clients never acknowledged behind 20
// real ones are too many for the few to speak for (raised). The summary
// counts the MACs one by one and calls none forged.
func TestStarvationSlowServerPowerCut(t *testing.T) {
	for _, c := range []struct {
		name                 string
		real, waiting, tries int
		want                 int
	}{
		{"56 served, 44 retransmitting", 56, 44, 3, 0},
		{"56 served, 44 asking once", 56, 44, 1, 1},
		{"20 served, 70 retransmitting", 20, 70, 3, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, Config{})
			feedClients(t, r, 0, c.real, true, true)
			feedWaiting(t, r, 100, c.waiting, c.tries)
			r.baseline(t0.Add(15*time.Second), 3*time.Minute)
			evs := r.of(inventory.EventDHCPStarvation)
			if len(evs) != c.want {
				t.Fatalf("%d dhcp_starvation events, want %d", len(evs), c.want)
			}
			if c.want == 0 {
				return
			}
			n := c.real + c.waiting
			if s := evs[0].Summary; !strings.HasPrefix(s, fmt.Sprintf("%d client hardware addresses ", n)) || strings.Contains(s, "forged") {
				t.Errorf("summary %q: want the %d MACs counted one by one, none called forged", s, n)
			}
		})
	}
}
