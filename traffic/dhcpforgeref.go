package traffic

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"
)

// DHCP answers forged under a server's identifier, judged by what the
// server itself hands out (review 33c). A rogue answering from the real
// server's address and identifier under its own MAC (serverForged) may
// point the clients at a third host (a router or DNS server of its own
// elsewhere) rather than at itself. The server's own answers, from the MAC
// ARP binds its identifier to, say what the scope hands out: an answer under
// the same identifier from another MAC that hands out another router, DNS
// server or classless static route is a forgery. A server moved to new
// hardware, a bond sending from its other slave's MAC or a keepalived VIP
// moving between dhcpd nodes hand out what the server does (review 27b's
// benign captures). The forger often answers first (it races the server):
// its answers are held and judged when the server's own answer comes.

// idAnswerMax bounds the (identifier, MAC) pairs held.
const idAnswerMax = 32

// idAnswer is what one MAC's answers sent under one server identifier
// handed out: its latest answer and the union of the options judged.
type idAnswer struct {
	id    netip.Addr
	src   mac
	last  time.Time
	msg   DHCPMessage // the latest answer
	given dhcpHandedOut
	done  bool // raised
}

// idJudged says whether an option is one whose value makes the client's
// traffic go somewhere: routers (3), DNS servers (6) and the classless
// static routes (121, Microsoft's 249).
func idJudged(code byte) bool { return code == 3 || code == 6 || code == 121 || code == 249 }

// noteIDAnswer holds the answer m sent by src from its identifier.
func (e *Engine) noteIDAnswer(t time.Time, src mac, m DHCPMessage) *idAnswer {
	a := e.idOwner(m.Server, src)
	switch {
	case a != nil:
	case len(e.idAnswers) < idAnswerMax:
		a = &idAnswer{id: m.Server, src: src}
		e.idAnswers = append(e.idAnswers, a)
	default: // the oldest gives way
		a = e.idAnswers[0]
		for _, x := range e.idAnswers {
			if x.last.Before(a.last) {
				a = x
			}
		}
		*a = idAnswer{id: m.Server, src: src}
	}
	a.last, a.msg = t, m
	var c dhcpConfig
	for _, o := range m.Config.opts[:m.Config.n] {
		if idJudged(o.code) {
			c.opts[c.n] = o
			c.n++
		}
	}
	a.given.learn(&c)
	return a
}

// idOwner is what the MAC owner handed out under the identifier id.
func (e *Engine) idOwner(id netip.Addr, owner mac) *idAnswer {
	for _, a := range e.idAnswers {
		if a.id == id && a.src == owner {
			return a
		}
	}
	return nil
}

// handsOtherThan reports whether m hands out a router, DNS server or
// classless static route that the server's answers (owner) never did: a
// router or DNS server list other than the ones it hands out, or routes
// it never hands out at all.
func handsOtherThan(m *DHCPMessage, owner *idAnswer) bool {
	for _, o := range m.Config.opts[:m.Config.n] {
		if !idJudged(o.code) || slices.Contains(owner.given.opts, o) {
			continue
		}
		if o.code > 6 || slices.ContainsFunc(owner.given.opts, func(v dhcpOptVal) bool { return v.code == o.code }) {
			return true
		}
	}
	return false
}

// judgeHeld raises, once the owner b.mac answered under id, the held
// answers other MACs sent under id within ConflictWindow that hand out
// what it does not.
func (e *Engine) judgeHeld(t time.Time, id netip.Addr, b *binding) {
	owner := e.idOwner(id, b.mac)
	if owner == nil {
		return
	}
	for _, a := range e.idAnswers {
		if a.id != id || a.src == b.mac || a.done || t.Sub(a.last) > e.cfg.ConflictWindow || !handsOtherThan(&a.msg, owner) {
			continue
		}
		if _, _, v := fhrpVirtual(a.src); v {
			continue
		}
		a.done = true
		e.reportForgedServer(t, a.src, b, a.msg, ownerGave(owner)+fmt.Sprintf("; judged when it answered, %s after this answer", roundDur(t.Sub(a.last))))
	}
}

// ownerGave words what the server's own answers (owner) hand out.
func ownerGave(owner *idAnswer) string {
	var what []string
	if m := owner.msg; m.Router.IsValid() {
		what = append(what, "router "+m.Router.String())
	}
	if m := owner.msg; m.DNS.IsValid() {
		what = append(what, "DNS server "+m.DNS.String())
	}
	if owner.msg.Routes != "" {
		what = append(what, "routes "+owner.msg.Routes)
	}
	if len(what) == 0 {
		what = append(what, "none of them")
	}
	return fmt.Sprintf("the server's own answers (from %s, the MAC ARP binds %s to) hand out %s, not what this answer does: a server moved to new hardware, a bond or a failover hands out what it does",
		macString(owner.src), owner.id, strings.Join(what, ", "))
}
