package snmp

import "testing"

// TestVRP3BannerS43d: Huawei VRP 3.x's banner names the product after
// the Quidway brand with or without its series and class words, and the
// release or feature build after the platform version, which is kept
// beside it as VRP 5's "(V200R…)" is.
func TestVRP3BannerS43d(t *testing.T) {
	for _, c := range []struct {
		descr, model, firmware string
	}{
		{"Huawei Versatile Routing Platform Software VRP Software Version 3.40, Release 0311P07 Quidway Series Router AR28-31 Copyright (c) 1998-2011 Huawei Technologies Co., Ltd. All rights reserved. ",
			"AR28-31", "3.40 (Release 0311P07)"},
		{"Huawei Versatile Routing Platform Software,VRP software, Version 3.40, Feature 0121L01.Quidway Router AR18-34E.Copyright (c) 1998-2009 Huawei Technologies Co., Ltd. All rights reserved.",
			"AR18-34E", "3.40 (Feature 0121L01)"},
		{"Huawei Versatile Routing Platform Software, Software Version 3.10, Release 0042P01 Quidway S3928P-EI Copyright(c) 1998-2008 Huawei Technologies Co., Ltd. All rights reserved.",
			"S3928P-EI", "3.10"},
	} {
		o := identifyRec(t, "1.3.6.1.2.1.1.1.0|4|"+c.descr)
		if o.Model != c.model || o.Firmware != c.firmware || o.Make != "Huawei" {
			t.Errorf("%.60q: make %q model %q firmware %q, want Huawei %q %q", c.descr, o.Make, o.Model, o.Firmware, c.model, c.firmware)
		}
	}
}
