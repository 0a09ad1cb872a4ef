package traffic

import (
	"bytes"
	"fmt"

	"tend/capture"
	"tend/inventory"
)

// minerMaxPayload bounds the segment minerLogin reads: a stratum login is
// one JSON line of a few hundred bytes.
const minerMaxPayload = 2048

// minerAgents are the agent prefixes (lower-cased) of the miners whose
// Monero-style login (xmrig's and xmr-stak's stratum dialect: a JSON-RPC
// "login" whose params name the wallet, the password and the miner's agent)
// tell a miner from any other JSON-RPC login.
var minerAgents = [][]byte{[]byte("xmrig"), []byte("xmr-stak"), []byte("srbminer"), []byte("teamredminer"), []byte("lolminer"), []byte("cpuminer"), []byte("nanominer"), []byte("gminer")}

// MinerMethod reads a TCP segment's payload as a mining pool client's
// first request: stratum (slushpool's JSON-RPC over a line-delimited TCP
// stream: mining.subscribe, mining.authorize), Ethereum's stratum
// (eth_submitLogin) or the Monero dialect's login, whose agent must name a
// miner (a JSON-RPC "login" alone is any application's). It returns the
// method and, for a login, the agent; ok is false for anything else.
func MinerMethod(b []byte) (method, agent []byte, ok bool) {
	if len(b) < 20 || len(b) > minerMaxPayload || b[0] != '{' {
		return nil, nil, false
	}
	method = jsonString(b, []byte(`"method"`))
	switch {
	case bytes.Equal(method, []byte("mining.subscribe")), bytes.Equal(method, []byte("mining.authorize")),
		bytes.Equal(method, []byte("eth_submitLogin")):
		return method, jsonString(b, []byte(`"agent"`)), true
	case bytes.Equal(method, []byte("login")):
		agent = jsonString(b, []byte(`"agent"`))
		for _, a := range minerAgents {
			if len(agent) >= len(a) && bytes.EqualFold(agent[:len(a)], a) {
				return method, agent, true
			}
		}
	}
	return nil, nil, false
}

// jsonString returns the string value of the first member named key (a
// quoted name) in a JSON text, without unescaping: nil when the member is
// missing or not a string.
func jsonString(b, key []byte) []byte {
	i := bytes.Index(b, key)
	if i < 0 {
		return nil
	}
	b = skipJSONSpace(b[i+len(key):])
	if len(b) == 0 || b[0] != ':' {
		return nil
	}
	b = skipJSONSpace(b[1:])
	if len(b) == 0 || b[0] != '"' {
		return nil
	}
	b = b[1:]
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return b[:i]
		}
	}
	return nil
}

func skipJSONSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\r' || b[0] == '\n') {
		b = b[1:]
	}
	return b
}

// minerLogin raises a cryptominer event when a host's TCP segment is a
// mining pool login (MinerMethod), on any port: pools listen on 3333,
// 4444, 5555, 14444, 443 and more. The culprit is the client, the target
// the pool's address; one event per client and pool within the cooldown.
// Stratum over TLS is encrypted and not read.
func (e *Engine) minerLogin(p *capture.Packet, src, dst mac) {
	method, agent, ok := MinerMethod(p.TCP.Payload)
	if !ok || !unicast(src) {
		return
	}
	pool, port := p.DstIP(), uint16(p.TCP.DstPort)
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventCryptominer, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: p.SrcIP(), TargetIP: pool,
		Evidence: []inventory.Evidence{{Source: "tcp", Detail: fmt.Sprintf("%s -> %s:%d: JSON-RPC %q, a mining pool's stratum login", p.SrcIP(), pool, port, clip(method, 40))}},
	}
	who := describe(src, ev.IP)
	if len(agent) > 0 {
		ev.Summary = fmt.Sprintf("%s logged in to a cryptocurrency mining pool at %s:%d as %q", who, pool, port, clip(agent, 60))
		ev.Evidence = append(ev.Evidence, inventory.Evidence{Source: "tcp", Detail: fmt.Sprintf("miner agent %q", clip(agent, 120))})
	} else {
		ev.Summary = fmt.Sprintf("%s logged in to a cryptocurrency mining pool at %s:%d (stratum %s)", who, pool, port, clip(method, 40))
	}
	if local(pool) {
		ev.TargetMAC = macOf(dst)
	}
	e.report(ev, src, mac{})
}

func clip(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}
