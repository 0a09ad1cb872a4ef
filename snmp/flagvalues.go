package snmp

import (
	"errors"
	"fmt"

	"tend/inventory"
)

// CommunityList is a repeatable flag of v1/v2c communities (--community)
// that never prints its values.
type CommunityList []inventory.Secret

func (l *CommunityList) String() string { return fmt.Sprintf("%d communities", len(*l)) }

// Set adds one community.
func (l *CommunityList) Set(v string) error {
	if v == "" {
		return errors.New("an empty community")
	}
	*l = append(*l, inventory.Secret(v))
	return nil
}

// V3UserList is a repeatable flag of SNMPv3 users (--snmp-v3), each as
// ParseV3User reads it, that never prints its values.
type V3UserList []V3User

func (l *V3UserList) String() string { return fmt.Sprintf("%d v3 users", len(*l)) }

// Set adds one user.
func (l *V3UserList) Set(v string) error {
	u, err := ParseV3User(v)
	if err != nil {
		return err
	}
	*l = append(*l, u)
	return nil
}
