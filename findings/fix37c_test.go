package findings

import (
	"strings"
	"testing"
	"time"

	"tend/inventory"
)

// TestSNMPWrite: an accepted SNMP write (traffic/snmpset.go) is its own
// High finding on the agent, not a default community's.
func TestSNMPWrite(t *testing.T) {
	set := func(t *testing.T) inventory.Event {
		e := event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "SNMPv2c write accepted by 10.0.0.30 (agent, port 161) from 10.0.0.66: its configuration changed over a community sent in clear")
		e.Severity = inventory.SeverityHigh
		e.Evidence = append([]inventory.Evidence{{Source: "protocol", Detail: "snmp-write"}}, e.Evidence...)
		return e
	}
	runRule(t, RuleSNMPWrite, []ruleCase{
		{"write", func(t *testing.T) Input { return withEvents(set(t)) }, 1, inventory.SeverityHigh},
		{"default community read", func(t *testing.T) Input {
			return withEvents(event(t, inventory.EventInsecureProtocol, time.Hour, macA, macB, "snmp between a (agent, port 161) and b"))
		}, 0, ""},
	})
	in := withEvents(set(t))
	if f := fired(in, RuleSNMPDefaultCommunity); len(f) != 0 {
		t.Errorf("an accepted write raised a default community finding: %+v", f)
	}
	if f := fired(in, RuleSNMPWrite); len(f) != 1 || f[0].Device != macA || !strings.Contains(f[0].Action, "SNMPv3") {
		t.Errorf("finding %+v, want one on the agent %s advising SNMPv3", f, macA)
	}
}

// TestKerberosGuessing: brute_force events against Kerberos
// (traffic/kerberos.go) carry the Active Directory advice.
func TestKerberosGuessing(t *testing.T) {
	e := event(t, inventory.EventBruteForce, time.Hour, macA, macB, "10.0.0.66 guessed passwords against Kerberos on 10.0.0.40 port 88: 30 user names tried (26 unknown to the KDC, 4 refused their password) in 1m")
	e.Severity = inventory.SeverityHigh
	f := fired(withEvents(e), RuleBruteForce)
	if len(f) != 1 || f[0].Severity != inventory.SeverityHigh || !strings.HasPrefix(f[0].Title, "Kerberos attack") || !strings.Contains(f[0].Action, "pre-authentication") {
		t.Errorf("kerberos guessing: %+v, want one High Kerberos finding", f)
	}
}
