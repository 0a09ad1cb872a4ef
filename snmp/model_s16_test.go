package snmp

import "testing"

// TestLabelledRevision: a product number followed by its hardware
// revision, bare or labelled and lettered ("RAX711-C-DC/D-02 version
// A.02", Raisecom's hardware model object), names the model without the
// revision among an unknown maker's first objects; a name without a
// product number's digit, or a version's label with no revision after
// it, does not.
func TestLabelledRevision(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.6.1.1.1."
	for _, c := range []struct{ text, want string }{
		{"RAX711-C-DC/D-02 version A.02", "RAX711-C-DC/D-02"},
		{"T2600G-28TS 3.0", "T2600G-28TS"},
		{"XG-8100 rev. B2", "XG-8100"},
		{"Controller version A.02", ""},
		{"RAX711 version", ""},
	} {
		vs := subtreeOf(map[string]string{g + "1.0": "8.2.29_20180611", g + "2.0": c.text, g + "14.0": "123002030702S18B08S0001G"})
		if got := vs.modelFromSubtree(vs.subtree); got != c.want {
			t.Errorf("%q: model %q, want %q", c.text, got, c.want)
		}
	}
}

// TestColonVariant: a leading product code may carry its variant after a
// colon, digits then capitals ("NetSpire CONAC01/4004:70FM r1.0"); a
// label and its value ("SW:1271", "HW:32") stays no model.
func TestColonVariant(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1" // no rule's, no vendor row's
	for _, c := range []struct{ descr, want string }{
		{"NetSpire CONAC01/4004:70FM r1.0", "CONAC01/4004:70FM"},
		{"Acme SW:1271 BN:AH", ""},
		{"Acme HW:32 FW:6.0.0.18", ""},
	} {
		vs := newValues(c.descr)
		if id := identify(oid, candidates(oid, c.descr), vs); id.Model != c.want {
			t.Errorf("%q: model %q, want %q %v", c.descr, id.Model, c.want, id.Evidence)
		}
	}
}

// TestHardwareSentence: without the iXsystems entry (a NAS never seen), the sentence a NAS
// appliance's description names its hardware in, between its release's
// and its software's, is the model; Windows' "Hardware: … - Software:"
// is not read that way.
func TestHardwareSentence(t *testing.T) {
	const oid = "1.3.6.1.4.1.99999.1" // no rule's, no vendor row's
	for _, c := range []struct{ descr, want string }{
		{"FreeNAS-11.3-U2.1 (6a6a2dfda7). Hardware: amd64 Intel(R) Core(TM) i5-7267U CPU @ 3.10GHz running at 3095. Software: FreeBSD 11.3-RELEASE-p7 (revision 199506)",
			"amd64 Intel(R) Core(TM) i5-7267U CPU @ 3.10GHz running at 3095"},
		{"TrueNAS-SCALE-24.04.2.2. Hardware: x86_64 Intel(R) Core(TM) i7-4790 CPU @ 3.60GHz. Software: Linux 6.6.32-production+truenas (revision #1 SMP PREEMPT_DYNAMIC)",
			"x86_64 Intel(R) Core(TM) i7-4790 CPU @ 3.60GHz"},
	} {
		vs := newValues(c.descr)
		cands := blindRules(map[string]map[string]bool{"truenas": {"truenas": true}}, "truenas")(oid, c.descr)
		if id := identify(oid, cands, vs); id.Model != c.want {
			t.Errorf("%.40q: model %q, want %q", c.descr, id.Model, c.want)
		}
	}
	if hardwareSentence.re.MatchString("Hardware: Intel64 Family 6 Model 23 Stepping 6 AT/AT COMPATIBLE - Software: Windows Version 6.1 (Build 7600 Multiprocessor Free)") {
		t.Error("Windows' hardware statement read as a NAS appliance's")
	}
}

// TestManagementController: an agent whose sysDescr names a server's
// management controller ("Integrated Lights-Out 6 1.54 …") speaks for the
// server: the controller's name is no model, nor a processor its MIB
// lists before the server's model; elsewhere a processor's name among the
// maker's objects stays a candidate (F5's appliances name theirs so).
func TestManagementController(t *testing.T) {
	const oid, g = "1.3.6.1.4.1.99999.9.4.12", "1.3.6.1.4.1.99999.2.2."
	const ilo = "Integrated Lights-Out 6 1.54 Nov 15 2023"
	for _, c := range []struct{ descr, cpu, want string }{
		{ilo, "Intel(R) Xeon(R) Gold 6426Y", "ProLiant DL380 Gen11"},
		{ilo, "Intel Xeon", "ProLiant DL380 Gen11"},
		{"Appliance services version 1.3.2-1305", "Intel(R) Xeon(R) Gold 6426Y", "Intel(R) Xeon(R) Gold 6426Y"},
	} {
		vs := subtreeOf(map[string]string{g + "1.0": c.cpu, g + "2.0": "ProLiant DL380 Gen11"})
		vs.descr = c.descr
		if got := vs.modelFromSubtree(vs.subtree); got != c.want {
			t.Errorf("%q, %q first: model %q, want %q", c.descr, c.cpu, got, c.want)
		}
	}
	for _, objects := range []map[string]string{nil, {g + "1.0": "Intel Xeon"}} {
		vs := subtreeOf(objects)
		vs.descr = ilo
		if id := identify(oid, candidates(oid, ilo), vs); id.Model != "" {
			t.Errorf("%v: model %q, want none (the controller's, a processor's)", objects, id.Model)
		}
	}
}

// TestCodeModel: among an unknown maker's first objects, a model's code of
// short hyphenated groups, digits first ("330-2-C1", Forcepoint's
// nodeApplianceModel), is the model; a MAC address, a date, a group
// without a capital or a long group is not.
func TestCodeModel(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.6.1.1."
	for _, c := range []struct{ text, want string }{
		{"330-2-C1", "330-2-C1"},
		{"00-1B-BC-AA-AA-AA", ""},
		{"2019-04-18", ""},
		{"330-2-11", ""},
		{"3300-21-C1", ""},
	} {
		vs := subtreeOf(map[string]string{g + "9.0": c.text, g + "11.0": "aaaaaaaaaa-bbbbbbbbbb"})
		if got := vs.modelFromSubtree(vs.subtree); got != c.want {
			t.Errorf("%q: model %q, want %q", c.text, got, c.want)
		}
	}
}

// TestCountedComponents: a part number followed by its components counted
// ("NSMPX-8000-10G 4*CPU+6*E1K+…", NetScaler's hardware description) is
// the part number among an unknown maker's first objects; the same words
// without the counts are no model.
func TestCountedComponents(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.4.1.1."
	for _, c := range []struct{ text, want string }{
		{"NSMPX-8000-10G 4*CPU+6*E1K+2*IX+1*E1K+4*CVM 1620", "NSMPX-8000-10G"},
		{"NSMPX-8000-10G 4 CPU", ""},
	} {
		vs := subtreeOf(map[string]string{g + "1.0": "NetScaler NS12.0: Build 57.19.nc, Date: Feb 26 2018, 07:24:38",
			g + "11.0": c.text, g + "14.0": "7FK7FCV4FH"})
		if got := vs.modelFromSubtree(vs.subtree); got != c.want {
			t.Errorf("%q: model %q, want %q", c.text, got, c.want)
		}
	}
}

// TestCodeSuffix: a product's name with its build's hexadecimal code in
// parentheses ("TS 324 (047202CD)") names the product among an unknown
// maker's first objects, before a later short name ("CXR1"); a longer
// number in parentheses is no such code.
func TestCodeSuffix(t *testing.T) {
	const g = "1.3.6.1.4.1.99999.1040.1."
	for _, c := range []struct{ text, want string }{
		{"TS 324 (047202CD)", "TS 324"},
		{"TS 324 (0302000017017)", "CXR1"}, // a serial number's thirteen digits
	} {
		vs := subtreeOf(map[string]string{g + "1.0": c.text, g + "2.0": "Rev 2.44d", g + "22.0": "CXR1"})
		if got := vs.modelFromSubtree(vs.subtree); got != c.want {
			t.Errorf("%q: model %q, want %q", c.text, got, c.want)
		}
	}
}
