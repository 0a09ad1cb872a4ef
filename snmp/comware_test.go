package snmp

import (
	"encoding/hex"
	"testing"
)

// A Comware sysDescr's model line (its second), less the maker's name:
// setC's one Comware recording (HP A5500, whose ENTITY-MIB row answers
// first there) and an H3C agent that gives only the system group. A
// sysDescr with no model line before the copyright gives none.
func TestComwareModelLine(t *testing.T) {
	for descr, want := range map[string]string{
		"HP Comware Platform Software, Software Version 5.20.99 Release 2222P08\nHP A5500-24G EI Switch with 2 Interface Slots\r\nCopyright (c) 2010-2017 Hewlett Packard Enterprise Development LP": "A5500-24G EI Switch with 2 Interface Slots",
		"H3C Comware Platform Software, Software Version 5.20 Release 2208\nH3C S5500-52C-EI\nCopyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd. All rights reserved.":                             "S5500-52C-EI",
		"H3C Comware Platform Software, Software Version 7.1.045, Release 2311P06\r\nH3C S5130-28S-HPWR-EI\r\nCopyright (c) 2004-2016 Hangzhou H3C Tech. Co., Ltd. All rights reserved.":             "S5130-28S-HPWR-EI",
		"H3C Comware Platform Software, Software Version 5.20 Release 2208\nCopyright (c) 2004-2010 Hangzhou H3C Tech. Co., Ltd.":                                                                    "",
	} {
		o := identifyText(t, "1.3.6.1.2.1.1.1.0|4x|"+hex.EncodeToString([]byte(descr))+"\n1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.25506.1.2\n")
		if o.Model != want {
			t.Errorf("%.40q: model %q, want %q", descr, o.Model, want)
		}
	}
}
