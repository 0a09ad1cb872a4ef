package traffic

import (
	"bytes"

	"tend/capture"
)

// usmStats is the OID prefix of the USM statistics (RFC 3414 5:
// 1.3.6.1.6.3.15.1.1) an SNMPv3 agent's Report PDU names: .1
// unsupportedSecLevels, .2 notInTimeWindows, .3 unknownUserNames, .4
// unknownEngineIDs, .5 wrongDigests, .6 decryptionErrors.
var usmStats = []byte{0x06, 0x0a, 0x2b, 0x06, 0x01, 0x06, 0x03, 0x0f, 0x01, 0x01}

// snmpV3Failure reports whether an agent's datagram b is an SNMPv3
// Report (RFC 3412 7.1.3: msgVersion 3, the scoped PDU in clear, a Report
// [8] PDU) of a failed login: usmStatsUnknownUserNames (a user name the
// agent does not know: onesixtyone's and nmap's user enumeration) or
// usmStatsWrongDigests (a known user's wrong password). A manager's first
// request draws usmStatsUnknownEngineIDs by design (engine discovery, RFC
// 3414 4), and a clock out of step notInTimeWindows: neither is counted.
func snmpV3Failure(b []byte) bool {
	t, msg, _, ok := derElem(b)
	if !ok || t != 0x30 || len(msg) < 3 || string(msg[:3]) != "\x02\x01\x03" {
		return false
	}
	i := bytes.Index(msg, usmStats)
	if i < 0 || i+len(usmStats)+2 > len(msg) || msg[i+len(usmStats)+1] != 0 {
		return false
	}
	n := msg[i+len(usmStats)]
	return (n == 3 || n == 5) && bytes.IndexByte(msg[:i], 0xa8) >= 0
}

// snmpV3Answer counts an agent's Report of a failed SNMPv3 login toward
// password guessing (brute.go), as loginFailure's answers are: src is the
// agent, dst the manager or guesser.
//
//go:noinline
func (e *Engine) snmpV3Answer(p *capture.Packet, src, dst mac) {
	if !snmpV3Failure(p.UDP.Payload) || !unicast(dst) {
		return
	}
	e.bruteCount(p, src, dst, 161, 161, "SNMPv3")
}

// snmpV3User is the msgUserName of the SNMPv3 message b (the
// UsmSecurityParameters inside msgSecurityParameters, RFC 3414 2.4), nil
// if none is read.
func snmpV3User(b []byte) []byte {
	_, msg, _, ok := derElem(b)
	for range 2 { // msgVersion, msgGlobalData
		if ok {
			_, _, msg, ok = derElem(msg)
		}
	}
	t, sp, _, ok2 := derElem(msg)
	if !ok || !ok2 || t != 0x04 {
		return nil
	}
	t, usm, _, ok := derElem(sp)
	for i := 0; ok && t == 0x30 && i < 3; i++ { // engine ID, boots, time
		_, _, usm, ok = derElem(usm)
	}
	if t2, u, _, ok2 := derElem(usm); ok && t == 0x30 && ok2 && t2 == 0x04 {
		return u
	}
	return nil
}
