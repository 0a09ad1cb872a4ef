package snmp

import (
	"fmt"
	"strings"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// V3User is one SNMPv3 user-based security model credential (RFC 3414).
// Auth and Priv name the protocols; empty Auth means noAuthNoPriv, empty
// Priv with Auth set means authNoPriv. It is comparable.
type V3User struct {
	User     string
	Auth     string // "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512", "MD5"
	AuthPass inventory.Secret
	Priv     string // "AES", "AES-192", "AES-256", "DES"
	PrivPass inventory.Secret
}

var authProtocols = map[string]gosnmp.SnmpV3AuthProtocol{
	"MD5": gosnmp.MD5, "SHA": gosnmp.SHA, "SHA1": gosnmp.SHA, "SHA-1": gosnmp.SHA,
	"SHA224": gosnmp.SHA224, "SHA-224": gosnmp.SHA224,
	"SHA256": gosnmp.SHA256, "SHA-256": gosnmp.SHA256,
	"SHA384": gosnmp.SHA384, "SHA-384": gosnmp.SHA384,
	"SHA512": gosnmp.SHA512, "SHA-512": gosnmp.SHA512,
}

var privProtocols = map[string]gosnmp.SnmpV3PrivProtocol{
	"DES": gosnmp.DES, "AES": gosnmp.AES, "AES128": gosnmp.AES, "AES-128": gosnmp.AES,
	"AES192": gosnmp.AES192, "AES-192": gosnmp.AES192,
	"AES256": gosnmp.AES256, "AES-256": gosnmp.AES256,
}

// Check reports a clear error for a user tend cannot use: no name, an
// unknown protocol, a passphrase missing or shorter than the 8 characters
// RFC 3414 section 11.2 requires, or privacy without authentication.
func (u V3User) Check() error {
	if u.User == "" {
		return fmt.Errorf("snmp v3: empty user name")
	}
	if u.Auth == "" {
		if u.Priv != "" {
			return fmt.Errorf("snmp v3 user %s: privacy needs authentication (set an auth protocol)", u.User)
		}
		return nil
	}
	if _, ok := authProtocols[strings.ToUpper(u.Auth)]; !ok {
		return fmt.Errorf("snmp v3 user %s: unknown auth protocol %q (want SHA, SHA-256, SHA-512, MD5…)", u.User, u.Auth)
	}
	if len(u.AuthPass.Reveal()) < 8 {
		return fmt.Errorf("snmp v3 user %s: auth passphrase shorter than 8 characters", u.User)
	}
	if u.Priv == "" {
		return nil
	}
	if _, ok := privProtocols[strings.ToUpper(u.Priv)]; !ok {
		return fmt.Errorf("snmp v3 user %s: unknown privacy protocol %q (want AES, AES-256, DES)", u.User, u.Priv)
	}
	if len(u.PrivPass.Reveal()) < 8 {
		return fmt.Errorf("snmp v3 user %s: privacy passphrase shorter than 8 characters", u.User)
	}
	return nil
}

// ParseV3User reads "user:auth:authpass:priv:privpass" (the last two, or
// last four, may be left out) as given on a command line, and checks it.
func ParseV3User(s string) (V3User, error) {
	p := strings.SplitN(s, ":", 5)
	var u V3User
	u.User = p[0]
	if len(p) == 2 || len(p) == 4 {
		return V3User{}, fmt.Errorf("snmp v3: want user, user:auth:authpass or user:auth:authpass:priv:privpass")
	}
	if len(p) >= 3 {
		u.Auth, u.AuthPass = strings.ToUpper(p[1]), inventory.Secret(p[2])
	}
	if len(p) == 5 {
		u.Priv, u.PrivPass = strings.ToUpper(p[3]), inventory.Secret(p[4])
	}
	return u, u.Check()
}

// usm turns the user into gosnmp's security parameters and message flags.
func (u V3User) usm() (gosnmp.SnmpV3MsgFlags, *gosnmp.UsmSecurityParameters) {
	sp := &gosnmp.UsmSecurityParameters{UserName: u.User}
	flags := gosnmp.NoAuthNoPriv
	if a, ok := authProtocols[strings.ToUpper(u.Auth)]; ok {
		sp.AuthenticationProtocol = a
		sp.AuthenticationPassphrase = u.AuthPass.Reveal()
		flags = gosnmp.AuthNoPriv
		if p, ok := privProtocols[strings.ToUpper(u.Priv)]; ok {
			sp.PrivacyProtocol = p
			sp.PrivacyPassphrase = u.PrivPass.Reveal()
			flags = gosnmp.AuthPriv
		}
	}
	return flags | gosnmp.Reportable, sp
}
