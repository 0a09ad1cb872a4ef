package main

import (
	"flag"
	"log/slog"
	"sync"
	"tend/settings"
	"time"

	"tend/discovery"
	"tend/identity"
	"tend/snmp"
	"tend/survey"
)

// discoveryFlags are the flags scan and serve share.
type discoveryFlags struct {
	iface       string
	cidrs       discovery.PrefixList
	communities snmp.CommunityList
	v3users     snmp.V3UserList
	allowPublic bool
	rate        int
	snmpTimeout time.Duration
	vlans       discovery.VLANList
}

func (f *discoveryFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.iface, "interface", "", "the interface facing the client LAN (required)")
	fs.Var(&f.cidrs, "cidr", "a subnet to sweep (repeatable); default: the interface's own IPv4 subnets")
	fs.Var(&f.communities, "community", "an SNMP v1/v2c community to try (repeatable, tried in order); default: public")
	fs.Var(&f.v3users, "snmp-v3", "an SNMPv3 user to try first, user:auth:authpass[:priv:privpass], e.g. mon:SHA-256:secret12:AES:secret34 (repeatable)")
	fs.Var(settings.CredentialFile{Into: &f.communities}, "community-file", "a file of SNMP communities, one per line (mode 0600; keeps them out of ps)")
	fs.Var(settings.CredentialFile{Into: &f.v3users}, "snmp-v3-file", "a file of SNMPv3 users, one per line as for --snmp-v3 (mode 0600)")
	fs.BoolVar(&f.allowPublic, "allow-public", false, "allow sweeping addresses outside RFC 1918 / RFC 6598 (only on a network you are responsible for)")
	fs.IntVar(&f.rate, "rate", discovery.DefaultRate, "ARP requests per second at most (500 is arp-scan's polite default)")
	fs.DurationVar(&f.snmpTimeout, "snmp-timeout", time.Second, "how long to wait for each SNMP answer")
	fs.Var(&f.vlans, "vlan", "an 802.1Q VLAN to sweep too, as ID:BOX-ADDRESS/BITS, e.g. 20:10.20.0.250/24 (repeatable); the box makes the sub-interface and removes it afterwards")
}

// survey is the discovery pass these flags describe.
func (f *discoveryFlags) survey(log *slog.Logger, identityOnly bool) (*survey.Survey, error) {
	return survey.New(survey.Config{Interface: f.iface, Prefixes: f.cidrs, VLANs: f.vlans, AllowPublic: f.allowPublic, Rate: f.rate,
		SNMP: snmp.Config{Communities: f.communities, V3Users: f.v3users, Timeout: f.snmpTimeout, MACVendor: macVendor()}, IdentityOnly: identityOnly}, log)
}

// macVendor is the MAC registry's lookup for the SNMP poller (an
// appliance's "<model>_<MAC>" host name), the registry decoded on the
// first lookup: most polls never ask.
func macVendor() func([]byte) (string, bool) {
	reg := sync.OnceValue(func() *identity.Registry {
		r, _ := identity.OpenRegistry() // a registry that cannot be decoded (a broken build) names no maker
		return r
	})
	return func(mac []byte) (string, bool) { return reg().Lookup(mac) }
}
