package snmp

import (
	"testing"

	"tend/inventory"
)

func TestDefaultCommunity(t *testing.T) {
	for _, tc := range []struct {
		cred credential
		want bool
	}{
		{credential{version: V2c, community: inventory.Secret("public")}, true},
		{credential{version: V1, community: inventory.Secret("private")}, true},
		{credential{version: V2c, community: inventory.Secret("s3cret-Acme")}, false},
		{credential{version: V3, v3: V3User{User: "public"}}, false},
	} {
		if got := tc.cred.defaultCommunity(); got != tc.want {
			t.Errorf("%v: default community %v, want %v", tc.cred, got, tc.want)
		}
	}
}
