package snmp

import (
	"strconv"
	"testing"
)

// TestGenericDescribedModel: with no rule of the maker's, the generic
// grammars read the product a PowerNet card's description names before
// the card's revisions (not the card itself, nor the part number MN:
// gives when a product is named) and the description HPE's and Aruba's
// switches give after their product number, up to "Swch".
func TestGenericDescribedModel(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1" // no rule's, no vendor row's
	for _, c := range []struct{ descr, want string }{
		{"APC InRow DX 300mm (MB:v4.1.0 PF:v6.8.8 PN:apc_hw06_aos_688.bin AF1:v6.6.9.b AN1:apc_hw06_idrc_669b.bin MN:0N-9580AC HR:06 SN: 5A1234567890 MD:01/02/2012)", "InRow DX 300mm"},
		{"Schneider Uniflair SP (MB:v4.1.0 PF:v6.8.8 PN:apc_hw06_aos_688.bin MN:SPRD100 HR:06)", "Uniflair SP"},
		{"DELL Web/SNMP Management Card (MB:V1.0f PF:v5.1.4 PN:dell_hw05_aos_514.bin MN:2500-1 HR:05)", "2500-1"},
		{"Aruba JL679A 6100 12G CL4 2SFP+ 139W Swch PL.10.08.1050", "6100 12G CL4 2SFP+ 139W"},
		{"HPE ANW JL658A 6300M 24SFP+ 4SFP56 Swch FL.10.15.0005", "6300M 24SFP+ 4SFP56"},
	} {
		vs := newValues(c.descr)
		if id := identify(oid, candidates(oid, c.descr), vs); id.Model != c.want {
			t.Errorf("%.50q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
}

// TestVendorShelfAndMemberModel: ZTE's ZXR10 descriptions name the
// member where the software image is named, and Ciena's 6500 the shelf
// type before the software load, over the chassis row's frame
// description; a description without those is not theirs to read.
func TestVendorShelfAndMemberModel(t *testing.T) {
	for _, c := range []struct{ oid, descr, family, want string }{
		{"1.3.6.1.4.1.3902.3.100.20", "ZXR10 ROS Version V4.08.23 ZXR10_5928 Software, Version ZXR10 5900 V2.8.23.A.19.P02 Copyright (c) 2000-2011 by ZTE Corporation Compiled", "zte-zxr10", "ZXR10 5928"},
		{"1.3.6.1.4.1.3902.3.100.20", "ZXR10 ROS Version V4.08.23", "entity-mib", ""},
		{"1.3.6.1.4.1.562.68.11", "6500 7-SLOT OPTICAL SW:1271 BN:AH (c) Ciena (R) Corporation", "ciena-6500", "6500 7-SLOT OPTICAL"},
		{"1.3.6.1.4.1.562.68.11", "Optical Metro Edge 6500", "entity-mib", ""},
	} {
		vs := newValues(c.descr)
		for col, v := range map[int]string{entColDescr: "Chassis 5900", entColClass: entClassChassis} {
			vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] = []row{{index: "1", value: value{text: v}}}
		}
		id := identify(c.oid, candidates(c.oid, c.descr), vs)
		if id.Family != c.family || c.want != "" && id.Model != c.want {
			t.Errorf("%.50q: family %s, model %q; want %s, %q", c.descr, id.Family, id.Model, c.family, c.want)
		}
	}
}
