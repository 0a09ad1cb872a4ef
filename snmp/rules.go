package snmp

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"tend/inventory"
)

// A rule identifies one vendor family: which agents it applies to
// (sysObjectID under one of oids, sysDescr matching descr, the probe object
// answering — every condition given must hold), and where each identity
// field is found, as ordered sources: the first that yields a value wins.
// Rules are tried in table order (ruletable.go), so specific families come
// before the generic ones that share their sysObjectID (net-snmp's, notably).
type rule struct {
	family string // names the rule in tests and evidence
	make   string // normalised vendor name; "" takes the enterprise table's
	os     string
	typ    inventory.DeviceType
	types  []typeHint // sysDescr patterns that refine typ

	oids  []string       // sysObjectID prefixes, whole arcs
	descr *regexp.Regexp // sysDescr grammar
	probe string         // an object only this family's agents answer

	model, firmware, serial []source
	// entity falls back on the ENTITY-MIB chassis row for every field.
	entity bool
}

// typeHint gives a rule's devices a type when sysDescr matches.
type typeHint struct {
	re  *regexp.Regexp
	typ inventory.DeviceType
}

func hint(re string, t inventory.DeviceType) typeHint {
	return typeHint{re: regexp.MustCompile(re), typ: t}
}

// source is one place a field's value can come from: scalar objects (their
// texts joined by a space), sysDescr, a column of the ENTITY-MIB chassis
// row, or the first non-empty row of a table column. re, when set, must
// match and its first non-empty group (else the whole match) is taken; fix
// then rewrites the value ("" rejects it).
type source struct {
	oids   []string
	descr  bool
	entity int
	column string
	re     *regexp.Regexp
	fix    func(string) string
	mac    bool // the raw octets are a MAC address (Axis uses it as serial)
	guess  int  // a value of this shape among an unknown vendor's first objects
	recog  int  // a field Recog's sysDescr fingerprints yield (recogModel…)
}

// Source constructors keep the rule table readable.
func scalar(oids ...string) source { return source{oids: oids} }
func sysDescr(re string) source    { return source{descr: true, re: regexp.MustCompile(re)} }
func entity(col int) source        { return source{entity: col} }
func column(oid string) source     { return source{column: oid} }
func macColumn(oid string) source  { return source{column: oid, mac: true} }

func (s source) match(re string) source              { s.re = regexp.MustCompile(re); return s }
func (s source) then(fix func(string) string) source { s.fix = fix; return s }

// name says where a source reads, for evidence.
func (s source) name() string {
	switch {
	case s.descr:
		return "sysDescr"
	case len(s.oids) > 0:
		return strings.Join(s.oids, "+")
	case s.entity != 0:
		return "ENTITY-MIB " + entityColumnName[s.entity]
	case s.guess != 0:
		return "guessed from the vendor MIB's first objects"
	case s.recog != 0:
		return "sysDescr (Recog fingerprint)"
	}
	return s.column
}

var entityColumnName = map[int]string{
	entColDescr: "entPhysicalDescr", entColName: "entPhysicalName", entColHardwareRev: "entPhysicalHardwareRev",
	entColFirmwareRev: "entPhysicalFirmwareRev", entColSoftwareRev: "entPhysicalSoftwareRev",
	entColSerial: "entPhysicalSerialNum", entColMfgName: "entPhysicalMfgName", entColModel: "entPhysicalModelName",
	entColMfgDate: "entPhysicalMfgDate",
}

// candidates lists the rules whose sysObjectID and sysDescr conditions
// hold, in table order; probes are decided once their objects are read.
func candidates(sysObjectID, descr string) []*rule {
	var out []*rule
	for i := range ruleTable {
		r := &ruleTable[i]
		if len(r.oids) > 0 && !slices.ContainsFunc(r.oids, func(p string) bool { return underOID(sysObjectID, p) }) {
			continue
		}
		if r.descr != nil && !r.descr.MatchString(descr) {
			continue
		}
		out = append(out, r)
		if r.probe == "" {
			break // nothing after an unconditional match can be chosen
		}
	}
	return out
}

// underOID reports whether oid is prefix or lies under it.
func underOID(oid, prefix string) bool {
	return oid == prefix || strings.HasPrefix(oid, prefix+".")
}

// reads lists the scalars to GET and the table columns to walk for the
// candidate rules, without duplicates, scalars bounded by maxIdentifyOIDs.
func reads(sysObjectID string, cands []*rule, table vendorTable) (scalars, columns []string) {
	addCol := func(c string) {
		if !slices.Contains(columns, c) {
			columns = append(columns, c)
		}
	}
	addEntity := func() {
		for _, c := range entityColumns {
			addCol(entPhysicalEntry + "." + strconv.Itoa(c))
		}
	}
	for _, r := range cands {
		if r.probe != "" && !slices.Contains(scalars, r.probe) {
			scalars = append(scalars, r.probe)
		}
		for _, s := range slices.Concat(r.model, r.firmware, r.serial) {
			for _, o := range s.oids {
				if !slices.Contains(scalars, o) {
					scalars = append(scalars, o)
				}
			}
			if s.column != "" {
				addCol(s.column)
			}
			if s.entity != 0 {
				addEntity()
			}
		}
		if r.entity {
			addEntity()
		}
	}
	// Every agent: the ENTITY-MIB chassis row, the standard scalars and
	// the vendor rows of its enterprise, after the rules' own objects.
	addEntity()
	for _, o := range slices.Concat(standardScalars, vendorScalars(sysObjectID, table)) {
		if !slices.Contains(scalars, o) {
			scalars = append(scalars, o)
		}
	}
	if len(scalars) > maxIdentifyOIDs {
		scalars = scalars[:maxIdentifyOIDs]
	}
	return scalars, columns
}

// identity is what the rules concluded.
type identity struct {
	Family                            string
	Make, Model, OS, Firmware, Serial string
	Type                              inventory.DeviceType
	Evidence                          []inventory.Evidence
}

// identify picks the first candidate whose probe answered and reads its
// fields from vs. Without a rule, Make still comes from the enterprise
// table (or the ENTITY-MIB manufacturer).
func identify(sysObjectID string, cands []*rule, vs *values) identity {
	var id identity
	var r *rule
	for _, c := range cands {
		if c.probe == "" || vs.scalar[c.probe].text != "" {
			r = c
			break
		}
	}
	ent, entName := enterprise(sysObjectID)
	if entName != "" {
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysObjectID",
			Detail: fmt.Sprintf("%s: enterprise %d (%s)", sysObjectID, ent, entName)})
	}
	chassis := vs.chassis()
	vendor, standard := fallbacks(ent, vs)
	if r != nil {
		id.Family, id.Make, id.OS, id.Type = r.family, r.make, r.os, r.typ
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "rule", Detail: r.family})
		for _, h := range r.types {
			if h.re.MatchString(vs.descr) {
				id.Type = h.typ
				break
			}
		}
		fields := []struct {
			name string
			dst  *string
			srcs []source
			ent  []int
		}{
			{"model", &id.Model, r.model, []int{entColModel}},
			{"firmware", &id.Firmware, r.firmware, []int{entColSoftwareRev, entColFirmwareRev}},
			{"serial", &id.Serial, r.serial, []int{entColSerial}},
		}
		for i, f := range fields {
			srcs := slices.Clone(f.srcs)
			if r.entity {
				for _, c := range f.ent {
					srcs = append(srcs, entity(c))
				}
			}
			if genericFamilies[r.family] {
				srcs = slices.Concat(vendor[i], srcs, standard[i])
			} else {
				srcs = slices.Concat(srcs, vendor[i], standard[i])
			}
			for _, s := range srcs {
				v := vs.read(s, chassis)
				if v == "" {
					continue
				}
				why := implausible(f.name, v)
				if why == "" && f.name == "serial" && strings.EqualFold(v, id.Model) {
					why = "the model's name, not a serial number"
				}
				if why != "" {
					id.Evidence = append(id.Evidence, inventory.Evidence{Source: s.name(),
						Detail: fmt.Sprintf("ignored %s %.40q: %s", f.name, v, why)})
					continue
				}
				if f.name == "firmware" {
					v = versionWord.ReplaceAllString(v, "${1}")
				}
				*f.dst = v
				id.Evidence = append(id.Evidence, inventory.Evidence{Source: s.name(), Detail: f.name + " " + v})
				break
			}
		}
	}
	if chassis != "" {
		if hw := vs.entityText(entColHardwareRev, chassis); hw != "" {
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "ENTITY-MIB entPhysicalHardwareRev", Detail: "hardware revision " + hw})
		}
		for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColMfgDate)] {
			if d, ok := decodeDateAndTime(r.raw); ok && r.index == chassis {
				id.Evidence = append(id.Evidence, inventory.Evidence{Source: "ENTITY-MIB entPhysicalMfgDate", Detail: "manufactured " + d.Format("2006-01-02")})
			}
		}
	}
	if id.Make == "" && !agentOnly[ent] {
		id.Make = entName
	}
	if id.Make == "" && chassis != "" {
		id.Make = tidy(vs.entityText(entColMfgName, chassis))
	}
	if id.Type == "" {
		id.Type = inventory.TypeUnknown
	}
	return id
}

// versionWord is the label some agents put before a version number
// ("Version 5.170 V200R010C00SPC600"): the firmware is what follows.
var versionWord = regexp.MustCompile(`(?i)^(?:version|ver\.?|firmware|software|release)\s*:?\s+(\S)`)

// Longest plausible identity values: ENTITY-MIB gives serial numbers 32
// characters (RFC 6933 entPhysicalSerialNum); models and versions are
// short names, not paragraphs.
const (
	maxModelLen  = 96
	maxSerialLen = 48
)

// implausible says why a value cannot be the field it was read for ("" if
// it can): too long, no letter or digit, or a serial with a sentence in it.
// The caller records the reason as evidence and tries the next source.
func implausible(field, v string) string {
	if !strings.ContainsFunc(v, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return "no letter or digit"
	}
	switch field {
	case "serial":
		if len(v) > maxSerialLen {
			return "too long for a serial number"
		}
		if strings.Count(v, " ") > 2 {
			return "a sentence, not a serial number"
		}
	case "model":
		if len(v) > maxModelLen {
			return "too long for a model"
		}
		switch {
		case bareVersion.MatchString(v):
			return "a version number, not a model"
		case dateLike.MatchString(v):
			return "a date, not a model"
		case versionLabel.MatchString(v):
			return "a label, not a model"
		}
	default:
		if len(v) > maxModelLen {
			return "too long for a " + field
		}
	}
	return ""
}

// Values no model looks like: a bare version number ("4.4.2", "v1.0"),
// a date ("09/19/2013", "2024-03-12") and a label that lost its value
// ("ESPHome version").
var (
	bareVersion  = regexp.MustCompile(`^[vV]?\d+(?:\.\d+)+[a-z]?$`)
	dateLike     = regexp.MustCompile(`^(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2})$`)
	versionLabel = regexp.MustCompile(`(?i)\b(?:version|ver|release|revision|firmware)\s*:?$`)
)

// genericFamilies are the rules that match by operating system or
// standard MIB alone: an enterprise's vendor rows know its products better.
var genericFamilies = map[string]bool{"linux": true, "freebsd": true, "entity-mib": true, "cisco": true}

// agentOnly are enterprises of agent software, not makers of hardware:
// net-snmp (and its UC Davis ancestor) answers for countless products.
var agentOnly = map[int]bool{8072: true, 2021: true}

// read evaluates one source; "" means it yielded nothing.
func (vs *values) read(s source, chassis string) string {
	var v string
	switch {
	case s.guess != 0:
		v = vs.guess(s.guess)
	case s.recog != 0:
		v = vs.recog(s.recog)
	case s.descr:
		v = vs.descr
	case len(s.oids) > 0:
		var parts []string
		for _, o := range s.oids {
			if t := tidy(vs.scalar[o].text); t != "" {
				parts = append(parts, t)
			}
		}
		v = strings.Join(parts, " ")
	case s.entity != 0:
		if chassis == "" {
			return ""
		}
		v = vs.entityText(s.entity, chassis)
	case s.column != "":
		for _, r := range vs.column[s.column] {
			if s.mac {
				if m := macText(r.raw); m != "" {
					v = m
					break
				}
				continue
			}
			if t := tidy(r.text); t != "" {
				v = t
				break
			}
		}
	}
	v = tidy(v)
	if v == "" {
		return ""
	}
	if s.re != nil {
		m := s.re.FindStringSubmatch(v)
		if m == nil {
			return ""
		}
		v = m[0]
		for _, g := range m[1:] {
			if g != "" {
				v = g
				break
			}
		}
	}
	v = tidy(v)
	if s.fix != nil && v != "" {
		v = tidy(s.fix(v))
	}
	return v
}

// entityText is one column of one entPhysicalTable row.
func (vs *values) entityText(col int, index string) string {
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] {
		if r.index == index {
			return tidy(r.text)
		}
	}
	return ""
}

// chassis picks the entPhysicalTable row that stands for the whole device:
// the first chassis-class row, else the first stack row, else the first
// top-level row (contained in nothing) that names a serial number or model
// (a bare "Switch System" wrapper does not), else the first row with a
// serial number or model name. The fallbacks never pick a part (a module,
// power supply, fan, sensor, port, container or CPU): its serial and model
// are the part's, not the device's.
func (vs *values) chassis() string {
	class := vs.column[entPhysicalEntry+"."+strconv.Itoa(entColClass)]
	for _, want := range []string{entClassChassis, entClassStack} {
		for _, r := range class {
			if r.text == want {
				return r.index
			}
		}
	}
	part := map[string]bool{}
	for _, r := range class {
		part[r.index] = entPartClass[r.text]
	}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColContainedIn)] {
		if r.text == "0" && !part[r.index] && (vs.entityText(entColSerial, r.index) != "" || vs.entityText(entColModel, r.index) != "") {
			return r.index
		}
	}
	for _, col := range []int{entColSerial, entColModel} {
		for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] {
			if tidy(r.text) != "" && !part[r.index] {
				return r.index
			}
		}
	}
	return ""
}

// entPartClass are the PhysicalClass values (RFC 6933) of a device's
// parts: container(5), powerSupply(6), fan(7), sensor(8), module(9),
// port(10), cpu(12). other(1), unknown(2), chassis(3) and stack(11) may
// stand for the device, and so may backplane(4): VMware ESXi reports the
// host's board, with its model and serial, as its one backplane row.
var entPartClass = map[string]bool{"5": true, "6": true, "7": true, "8": true, "9": true, "10": true, "12": true}

// placeholders are values agents report instead of nothing.
var placeholders = []string{"", "n/a", "na", "none", "null", "unknown", "not available", "not specified",
	"default string", "to be filled by o.e.m.", "0", "-", ".", "system serial number", "0123456789", "<private>"}

// tidy trims what agents wrap values in (spaces, quotes, backslashes),
// collapses runs of white space and rejects placeholders.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " \"'\\")
	if slices.Contains(placeholders, strings.ToLower(s)) {
		return ""
	}
	return s
}

// macText formats six octets as a MAC address, upper case without
// separators as vendors print MAC-based serials; all-zero and other
// lengths yield "".
func macText(b []byte) string {
	if len(b) != 6 || slices.Equal(b, make([]byte, 6)) {
		return ""
	}
	return strings.ToUpper(strings.ReplaceAll(net.HardwareAddr(b).String(), ":", ""))
}
