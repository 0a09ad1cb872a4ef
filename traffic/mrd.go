package traffic

import (
	"fmt"
	"time"

	"tend/capture"
	"tend/inventory"
)

// mrdAdvertType is ICMPv6's multicast router advertisement (RFC 4286 3).
const mrdAdvertType = 151

// mrdAdvert judges a multicast router discovery advertisement (RFC 4286:
// ICMPv6 type 151 to ff02::6a, hop limit 1), by which a multicast router
// tells snooping switches where it is (its code is the advertisement
// interval in seconds, not checked): they add its port to every
// group's, so the LAN's multicast (video, phones' paging, discovery) is
// forwarded to it (atk6-fake_mldrouter6). One from the gateway or an IPv6
// router, or from a MAC first heard advertising during the learning
// period once it is over, is the LAN's own; any other is rogue_ra Medium
// against its sender: it draws the multicast traffic, not the unicast.
// With no gateway address known nothing is raised (the sender may be the
// router); during the learning period only Info (learnedSpeaker).
func (e *Engine) mrdAdvert(p *capture.Packet, src mac) {
	if e.gatewayRouter(src) || e.router6(src) {
		return
	}
	if e.infra == nil {
		e.infra = &infraSeen{}
	}
	if e.learnedSpeaker(&e.infra.mrd, src, p.Time) {
		return
	}
	from, who := p.SrcIP(), p.SrcIP()
	if h := e.hosts[macKey(src)]; h != nil && h.ip.IsValid() {
		who = h.ip // its IPv4 address names it better than a link-local one
	}
	e.report(inventory.Event{
		Time: p.Time, Type: inventory.EventRogueRA, Severity: e.learnInfo(inventory.SeverityMedium), MAC: macOf(src), IP: from,
		Summary: fmt.Sprintf("rogue multicast router (MLD): %s advertises itself as a multicast router", describe(src, who)),
		Evidence: []inventory.Evidence{
			{Source: "icmp6", Detail: fmt.Sprintf("multicast router advertisement (RFC 4286, ICMPv6 151) from %s to %s at %s", from, p.DstIP(), p.Time.UTC().Format(time.RFC3339Nano))},
			{Source: "icmp6", Detail: "it is not the gateway, an IPv6 router nor a multicast router heard since the learning period: snooping switches forward the LAN's multicast groups to its port"},
		},
	}, src, mac{})
}
