package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"tend/settings"
	"time"

	"tend/discovery"
	"tend/inventory"
	"tend/snmp"
	"tend/survey"
)

// discoveryFlags are the flags scan and serve share.
type discoveryFlags struct {
	iface       string
	cidrs       prefixList
	communities secretList
	v3users     v3List
	allowPublic bool
	rate        int
	snmpTimeout time.Duration
	vlans       vlanList
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

// vlanList is a repeatable --vlan flag.
type vlanList []discovery.VLAN

func (l *vlanList) String() string { return fmt.Sprint([]discovery.VLAN(*l)) }

func (l *vlanList) Set(v string) error {
	x, err := discovery.ParseVLAN(v)
	if err != nil {
		return err
	}
	*l = append(*l, x)
	return nil
}

// survey is the discovery pass these flags describe.
func (f *discoveryFlags) survey(log *slog.Logger, identityOnly bool) (*survey.Survey, error) {
	return survey.New(survey.Config{Interface: f.iface, Prefixes: f.cidrs, VLANs: f.vlans, AllowPublic: f.allowPublic, Rate: f.rate,
		SNMP: snmp.Config{Communities: f.communities, V3Users: f.v3users, Timeout: f.snmpTimeout}, IdentityOnly: identityOnly}, log)
}

// prefixList is a repeatable --cidr flag.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	p, err := netip.ParsePrefix(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("not a CIDR prefix like 192.168.1.0/24: %w", err)
	}
	*l = append(*l, p.Masked())
	return nil
}

// secretList is a repeatable --community flag that never prints its values.
type secretList []inventory.Secret

func (l *secretList) String() string { return fmt.Sprintf("%d communities", len(*l)) }

func (l *secretList) Set(v string) error {
	if v == "" {
		return errors.New("an empty community")
	}
	*l = append(*l, inventory.Secret(v))
	return nil
}

// v3List is a repeatable --snmp-v3 flag that never prints its values.
type v3List []snmp.V3User

func (l *v3List) String() string { return fmt.Sprintf("%d v3 users", len(*l)) }

func (l *v3List) Set(v string) error {
	u, err := snmp.ParseV3User(v)
	if err != nil {
		return err
	}
	*l = append(*l, u)
	return nil
}
