package snmp

import (
	"cmp"
	"fmt"
	"iter"
	"net"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"tend/internal/lazyre"
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
	descr *lazyre.Regexp // sysDescr grammar
	probe string         // an object only this family's agents answer

	model, firmware, serial []source
	// entity falls back on the ENTITY-MIB chassis row for every field.
	entity bool
}

// typeHint gives a rule's devices a type when sysDescr matches re, or
// when sysObjectID lies in oid, a maker's product-family arc.
type typeHint struct {
	_   [0]func() // not comparable: no equality function linked
	re  *lazyre.Regexp
	oid string
	typ inventory.DeviceType
}

// source is one place a field's value can come from: scalar objects (their
// texts joined by a space), sysDescr, a column of the ENTITY-MIB chassis
// row, or the first non-empty row of a table column. re, when set, must
// match and its first non-empty group (else the whole match) is taken; fix
// then rewrites the value ("" rejects it).
type source struct {
	oids   []string
	column string
	re     *lazyre.Regexp
	fix    func(string) string
	// the small numbers and the flags together, without padding between
	// them: the hundred-odd sources of each pass of identify take 72
	// bytes each, not 96 (a third of an Identify's bytes on setA and
	// setC are its source lists)
	entity uint8 // an entPhysicalTable column (entCol…)
	guess  uint8 // a value of this shape among an unknown vendor's first objects
	recog  uint8 // a field Recog's sysDescr fingerprints yield (recogModel…)
	descr  bool
	mac    bool // the raw octets are a MAC address (Axis uses it as serial)
	// anyRow reads an entity column's first row that re matches and is
	// not a part (entPartClass), where the chassis row's does not: a
	// serial number a backplane's description labels ("SSR 8020
	// backplane SN:DH80092734 Rev:R3L …", Ericsson's IPOS)
	anyRow bool
	// lastResort goes after the standard fallbacks on an agent of a
	// hardware maker's own enterprise: a Linux kernel's architecture
	// and version say less than its maker's ENTITY-MIB row or vendor
	// MIB (an appliance's firmware is not its kernel's release).
	lastResort bool
	product    bool // the name the vendor's product MIB gives sysObjectID (products.go)
	// sansParts reads sysDescr without the versions of the parts it
	// names (partVersion): a generic grammar's number is the product's.
	sansParts bool
	// hearsay marks the standard fallbacks that read a model from words
	// rather than from an object that holds it: a generic sysDescr
	// grammar, Recog's fingerprints, the product table's name.
	hearsay bool
	// sole: a column answers only when the agent lists one row in it
	sole bool
	// unlessEntity: a firmware the chassis row's software revision
	// starts with, or one it is missing, gives way to the row's
	unlessEntity bool
	// octets decodes a scalar's raw octets (octetsDigits), which its
	// text loses: a vendor row's parser names it (vendorDecoders)
	octets uint8
	// walked: a scalar read from the maker's subtree the probe walked
	// behind a software agent when no GET asked for it (makerBehind)
	walked bool
	// vendor: a vendor row's (vendor_oids.tsv), whose serial object,
	// answering with nothing readable, leaves the guesses out (firstOf)
	vendor bool
}

// Source constructors, for sources built in functions. Package-level tables
// (ruleTable, the standard fallbacks) write source literals instead: the
// compiler lays a literal out as data, where a constructor's call and the
// copy of the 72-byte source it returns were init code (session 38: 47 kB
// less code, 25 kB less binary).
func scalar(oids ...string) source { return source{oids: oids} }
func sysDescr(re string) source    { return source{descr: true, re: lazyre.New(re)} }
func entity(col int) source        { return source{entity: uint8(col)} }
func column(oid string) source     { return source{column: oid} }

func (s source) match(re string) source { s.re = lazyre.New(re); return s }

// matching is match for a source built on every identification (in a
// function, not a table): re is a package-level pattern, compiled once,
// where match would compile its text again on each call.
func (s source) matching(re *lazyre.Regexp) source   { s.re = re; return s }
func (s source) then(fix func(string) string) source { s.fix = fix; return s }
func (s source) withoutParts() source                { s.sansParts = true; return s }

// name says where a source reads, for evidence.
func (s source) name() string {
	switch {
	case s.descr:
		return "sysDescr"
	case len(s.oids) > 0:
		return strings.Join(s.oids, "+")
	case s.entity != 0:
		return "ENTITY-MIB " + entityColumnName[int(s.entity)]
	case s.guess != 0:
		return "guessed from the vendor MIB's first objects"
	case s.recog != 0:
		return "sysDescr (Recog fingerprint)"
	case s.product:
		return "sysObjectID (vendor product MIB)"
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

// eachSource yields the lists' sources in order.
func eachSource(lists [][]source) iter.Seq[source] {
	return func(yield func(source) bool) {
		for _, l := range lists {
			for _, s := range l {
				if !yield(s) {
					return
				}
			}
		}
	}
}

// underOID reports whether oid is prefix or lies under it.
func underOID(oid, prefix string) bool {
	return oid == prefix || below(oid, prefix)
}

// below reports whether oid lies strictly under prefix ("prefix.…")
// without building prefix+".", which allocates for an OID longer than 31
// characters: identification asks it of every varbind it reads.
func below(oid, prefix string) bool {
	return len(oid) > len(prefix) && oid[len(prefix)] == '.' && strings.HasPrefix(oid, prefix)
}

// reads lists the scalars to GET and the table columns to walk for the
// candidate rules, without duplicates, scalars bounded by maxIdentifyOIDs
// plus the typeScalars.
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
	vscalars, vcolumns := vendorReads(sysObjectID, table)
	for _, c := range slices.Concat(standardColumns, vcolumns) {
		addCol(c)
	}
	for _, o := range slices.Concat(standardScalars, vscalars) {
		if !slices.Contains(scalars, o) {
			scalars = append(scalars, o)
		}
	}
	if len(scalars) > maxIdentifyOIDs {
		scalars = scalars[:maxIdentifyOIDs]
	}
	// The structural scalars are the type's evidence on every agent and
	// are never cut: behind the bound they went the way of the last vendor
	// rows on a net-snmp agent (66 objects asked on 124 of setC's
	// recordings), and a UPS card's upsBatteryStatus with them.
	for _, o := range typeScalars {
		if !slices.Contains(scalars, o) {
			scalars = append(scalars, o)
		}
	}
	return scalars, columns
}

// identity is what the rules concluded.
type identity struct {
	Family                            string
	Make, Model, OS, Firmware, Serial string
	Type                              inventory.DeviceType
	typeWeight                        float64 // bannerWeight for an OS banner's server, 0 for a vendor rule's type
	Evidence                          []inventory.Evidence
	maker                             string // the maker known while fields are read
	// hearsayModel: the model came from a hearsay source, and the
	// vendor MIB's identity group may name the device better
	hearsayModel bool
	// fallbackModel: the model is a rule's last resort (a Linux host's
	// architecture, "Generic x86 64-bit"), which names no product
	fallbackModel bool
	// makerModel: the model is a product the maker's objects name after
	// the maker (guessMakerModel)
	makerModel bool
	// groupModel: the model is the maker's identity group's
	// (guessScalarModel)
	groupModel bool
	// besideSerial: the serial is the one beside the model (besideModel)
	besideSerial bool
	// descrFirmware: the firmware came from a sysDescr grammar
	descrFirmware bool
}

// identify picks the first candidate whose probe answered and reads its
// fields from vs. Without a rule, Make still comes from the enterprise
// table (or the ENTITY-MIB manufacturer).
func identify(sysObjectID string, cands []*rule, vs *values) identity {
	var id identity
	vs.sysOID = sysObjectID
	ent, entName := enterprise(sysObjectID)
	if entName != "" {
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysObjectID",
			Detail: fmt.Sprintf("%s: enterprise %d (%s)", sysObjectID, ent, entName)})
	}
	chassis := vs.chassis()
	if r := chosen(cands, vs); r != nil {
		id.Family, id.Make, id.OS, id.Type = r.family, r.make, r.os, r.typ
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: "rule", Detail: r.family})
		for _, h := range r.types {
			if h.oid != "" && underOID(sysObjectID, h.oid) || h.re != nil && h.re.MatchString(vs.descr) {
				id.Type = h.typ
				break
			}
		}
		if h := leadingMaker(vs.descr); r.family == "hp-printer" && h != "" && h != r.make && h != "HPE" && h != "Hewlett-Packard" {
			// Other makers' print servers answer under JetDirect's
			// sysObjectID (HP's 11.2.3.9) and name themselves first
			// ("Brother NC-6400h, Firmware Ver.1.11").
			id.Make = h
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysDescr", Detail: "maker " + h + " (named first; JetDirect's sysObjectID)"})
		}
		id.maker = r.make
		if id.maker == "" && !agentOnly[ent] && !fastpathOEM[ent] {
			id.maker = entName
		}
		id.readFields(r, ent, vs, chassis)
		id.dropSerialModel(vs)
	}
	if chassis != "" {
		id.Evidence = append(id.Evidence, vs.chassisEvidence(chassis)...)
	}
	if id.Make == "" && !agentOnly[ent] && !fastpathOEM[ent] {
		id.Make = entName
		if h := copyrightMaker(vs.descr, ent, entName); h != "" {
			id.Make = h
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysDescr", Detail: "maker " + h + " (copyright holder; enterprise " + entName + ")"})
		} else if h := deviceIDMaker(vs.descr, ent); h != "" {
			id.Make = h
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysDescr", Detail: "maker " + h + " (IEEE 1284 device ID; enterprise " + entName + ")"})
		} else if h := leadingMaker(vs.descr); h != "" && h != entName {
			id.Make = h
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "sysDescr", Detail: "maker " + h + " (named first; enterprise " + entName + ")"})
		}
	}
	if id.Make == "" && chassis != "" {
		id.Make = tidy(vs.entityText(entColMfgName, chassis))
	}
	if id.Make == "" && sysObjectID == "" {
		id.makeWithoutOID(vs, chassis)
	}
	// An operating system's banner rule says "server" only because the
	// agent runs that system: appliances, UPS cards and radios run Linux
	// too, so the banner's server stands only for a general-purpose host,
	// and then only at bannerWeight, below what the agent's own words or
	// structure say of its kind (identity.Classify weighs them; a vendor
	// rule's fixed type is stated outright).
	if osBanner[id.Family] {
		id.Type = ""
		if generalHost(id.Family, ent, vs.descr) {
			id.Type, id.typeWeight = inventory.TypeServer, bannerWeight
		}
	}
	if id.Type == "" {
		id.Type = inventory.TypeUnknown
	}
	return id
}

// makeWithoutOID is the make of an agent that gave no sysObjectID: the
// maker sysDescr or the chassis entry names first, else the enterprise
// whose objects answered.
func (id *identity) makeWithoutOID(vs *values, chassis string) {
	id.Make = leadingMaker(vs.descr)
	if id.Make == "" && chassis != "" {
		id.Make = leadingMaker(vs.entityText(entColDescr, chassis)) // "Mellanox MSN2410, 48 port …" beside "Onyx,MSN2410,…"
	}
	// An agent that answers only its maker's rows (no system group):
	// the enterprise its objects lie under is the maker, as a
	// sysObjectID under it would say (Dell's 674 for an iDRAC's
	// DELL-RAC-MIB rows, CyberPower's 3808 for CPS-MIB's).
	if id.Make == "" && vs.behindAgent && vs.maker > 0 && !agentOnly[vs.maker] {
		if id.Make = enterpriseName(vs.maker); id.Make != "" {
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "walk", Detail: fmt.Sprintf("maker %s (enterprise %d, whose objects answered; no sysObjectID)", id.Make, vs.maker)})
		}
	}
}

// bannerWeight is the weight of an OS banner's server type: a guess from
// the system the agent runs, which a PDU's sysDescr words or a UPS-MIB
// answering outweigh.
const bannerWeight = 0.5

// osBanner are the rules that read an operating system's banner, whose
// type is the system's usual role, not the product's.
var osBanner = map[string]bool{"linux": true, "freebsd": true, "openbsd": true}

// embeddedCPU is a banner's machine (uname -m) of a processor built into
// appliances, not servers: MIPS, PowerPC, 68k, ARMv3-v5, SuperH. On setC
// every Linux banner naming one is a router, radio, UPS card, OLT or
// console.
var embeddedCPU = &lazyre.Regexp{Expr: `(?i)\b(?:mips(?:el)?|ppc|powerpc|m68k|armv[345]\w*|sh[34])\b`}

// newerARM is a banner's ARMv6/v7 or AArch64 machine: on setC a router,
// radio, AP, PDU, firewall or VoIP adapter runs such a kernel ten times
// for each general-purpose board (a Raspberry Pi or a BeagleBone), and
// those boards run a distribution's kernel (distroKernel). A maker's own
// kernel on them is an appliance's.
var newerARM = &lazyre.Regexp{Expr: `(?i)\b(?:armv[67]\w*|aarch64)\b`}

// distroKernel is a kernel release a distribution builds for general
// boards: Raspberry Pi OS's "5.4.83-v7+" and "4.19.97+", Debian's armmp,
// Ubuntu's raspi/generic, TI's BeagleBone "-ti-r48", a Debian codename
// in the build tag ("#1buster").
var distroKernel = &lazyre.Regexp{Expr: `(?i)^Linux \S+ \S*(?:\d\+|-v[678]l?\+|-ti-r\d+|-armmp\S*|-raspi\S*|-rpi\S*|-generic|-aws|-azure)\s+#\S*|#\d*(?:stretch|buster|bullseye|bookworm|trixie)\b`}

// generalHost reports whether an OS banner's agent is a general-purpose
// host, whose banner's server type stands: it names a release (a UPS
// card's "Linux SNMP-System" does not), its processor is no embedded one
// (nor a newer ARM one under a maker's own kernel), and a Linux agent
// answers under net-snmp's own sysObjectID (a maker's sysObjectID on a
// Linux banner is that maker's appliance).
func generalHost(family string, ent int, descr string) bool {
	if embeddedCPU.MatchString(descr) || (newerARM.MatchString(descr) && !distroKernel.MatchString(descr)) {
		return false
	}
	return strings.ContainsAny(descr, "0123456789") && (family != "linux" || agentOnly[ent])
}

// chosen is the first candidate whose probe (if any) answered.
func chosen(cands []*rule, vs *values) *rule {
	for _, c := range cands {
		if c.probe == "" || vs.scalar[c.probe].text != "" {
			return c
		}
	}
	return nil
}

// readFields fills model, firmware and serial from the rule's sources,
// then the enterprise's vendor rows and the standard fallbacks (for a
// generic rule the vendor rows first), the first plausible value winning.
func (id *identity) readFields(r *rule, ent int, vs *values, chassis string) {
	lists := vs.fieldSources(r, ent, chassis)
	for i, f := range []struct {
		name string
		dst  *string
	}{{"model", &id.Model}, {"firmware", &id.Firmware}, {"serial", &id.Serial}} {
		*f.dst = id.firstOf(f.name, lists[i], vs, chassis)
		vs.model = id.Model
	}
	id.fullerFirmware(r, vs)
	id.runningFirmware(r, vs)
	id.namedRelease(vs)
	if line, _, _ := strings.Cut(vs.descr, "\n"); id.Model != "" && strings.HasPrefix(strings.TrimSpace(line), id.Model+"-") && !strings.ContainsAny(strings.TrimSpace(line), " ,;\t\r") {
		id.Model = strings.TrimSpace(line) // a first line that is the full model the short one starts ("S6720-30C-EI-24S-AC" above VRP's "(S6720 V200R…)"; "S5700-52C-PWR-SI " with the space VRP may leave before the line's end)
	}
	id.settleFields(vs, chassis)
}

// namedRelease adds to a platform version the product release sysDescr
// names beside it, Huawei VRP's "Version 5.170 (S6720 V200R010C00SPC600)":
// "5.170 (V200R010C00SPC600)", as LibreNMS spells it. The release
// (V<version>R<release>C<customer>[SPC<patch>]) is what Huawei's
// advisories and patches name; the platform's 5.170 alone cannot tell
// SPC500 from SPC600.
//
// VRP 3.x names its release (or feature build) after a comma instead
// ("Software Version 3.40, Release 0311P07 Quidway Series Router
// AR28-31", "Version 3.40, Feature 0121L01.Quidway Router AR18-34E"):
// "3.40 (Release 0311P07)", the same shape.
func (id *identity) namedRelease(vs *values) {
	if m := platformRelease.FindStringSubmatch(vs.descr); m != nil && m[1] == id.Firmware {
		id.Firmware += " (" + m[2] + ")"
	} else if m := vrp3Release.FindStringSubmatch(vs.descr); m != nil && m[1] == id.Firmware {
		id.Firmware += " (" + m[2] + ")"
	}
}

var (
	platformRelease = &lazyre.Regexp{Expr: `\bVersion (\d+\.\d+) \((?:[\w\-]+ )?(V\d{3}R\d{3}C\w+)\)`}
	vrp3Release     = &lazyre.Regexp{Expr: `\bVRP [Ss]oftware,? Version (\d+\.\d+), ((?:Release|Feature) \d{4}\w*)`}
)

// fieldSources is readFields' sources for model, firmware and serial, in
// the order tried, made once for what chooses them (fieldKey): each pass
// of identify after the first probe of the maker's MIB tries the same
// hundred-odd. Their functions read the values when they run. The slices
// are shared: not to be written.
func (vs *values) fieldSources(r *rule, ent int, chassis string) [3][][]source {
	vendor, standard := fallbacks(ent, vs)
	k := fieldKey{rule: r, ent: ent, maker: vs.vendorSrcs.maker, chassis: chassis, standard: vs.standardSrcs.key}
	if vs.fieldSrcs.ok && vs.fieldSrcs.key == k {
		return vs.fieldSrcs.lists
	}
	var out [3][][]source
	for i, f := range []struct {
		name string
		srcs []source
		ent  []int
	}{
		{"model", r.model, []int{entColModel}},
		{"firmware", r.firmware, []int{entColSoftwareRev, entColFirmwareRev}},
		{"serial", r.serial, []int{entColSerial}},
	} {
		srcs, last := ruleSources(r, f.name, f.srcs, f.ent, ent, vs, chassis)
		lists := append(make([][]source, 0, len(standard[i])+3), srcs, vendor[i])
		lists = append(lists, standard[i]...)
		if genericFamilies[r.family] {
			lists[0], lists[1] = vendor[i], srcs
		}
		out[i] = append(lists, last)
	}
	vs.fieldSrcs = fieldSrcs{ok: true, key: k, lists: out}
	return out
}

// fieldKey is what chooses fieldSources: the rule, the agent's
// enterprise, the chassis row and what chooses the standard sources.
type fieldKey struct {
	rule       *rule
	ent, maker int
	chassis    string
	standard   standardKey
}

// fieldSrcs is fieldSources' answer for one key.
type fieldSrcs struct {
	ok    bool
	key   fieldKey
	lists [3][][]source
}

// ruleSources is the rule's sources for one field (srcs), with the
// chassis row's columns (cols) when the rule reads ENTITY-MIB, less its
// last resorts, which an agent of a maker's own enterprise tries after
// every other source (last).
func ruleSources(r *rule, field string, rule []source, cols []int, ent int, vs *values, chassis string) (srcs, last []source) {
	srcs = append(make([]source, 0, len(rule)+8), rule...) // one allocation: the entity sources add at most eight
	if r.entity {
		if field == "firmware" {
			// RMON's probeSoftwareRev (RFC 4502) names the running
			// software where the chassis row's revisions may not:
			// D-Link's switches keep the boot loader's in
			// entPhysicalSoftwareRev (1.00.002 beside the running
			// 1.10.010); on setC all 11 agents that fill it are right.
			// A description that is the product's name and its
			// version comes before the chassis row too
			// (productCommaVersion).
			srcs = append(srcs, scalar(probeSoftwareRev), productCommaVersion)
			if r.family == "entity-mib" {
				srcs = append(srcs, softwareLabelled, osVersioned)
			}
		}
		for _, c := range cols {
			if c == entColModel {
				srcs = append(srcs, chassisModel(vs, chassis)...) // the bare number goes last, in standard
				continue
			}
			srcs = append(srcs, entity(c))
		}
	}
	// A maker's sysObjectID moves a rule's last resorts behind every
	// other source, and drops the firmware's (a Linux banner's kernel
	// release): on setC, of the appliances whose maker's sysObjectID
	// comes with a Linux banner and whose version is known (27), LibreNMS
	// names the kernel for one (Nutanix's CVM); the others run
	// FireEye's 9.1.3 or Gaia's R80.40 on it, and a kernel taken for
	// their firmware would be compared with their advisories.
	if ent > 0 && !agentOnly[ent] || vs.behindAgent {
		srcs = slices.DeleteFunc(srcs, func(s source) bool {
			if s.lastResort && (field != "firmware" || vs.behindAgent) {
				last = append(last, s)
			}
			return s.lastResort
		})
	}
	return srcs, last
}

// settleFields finishes what readFields read: the firmware the identity
// group gives beside the model and serial when no source gave one, and
// the model without the system and release it carries (systemOnPlatform,
// modelSansRelease) and its
// fuller name (spelled out, a series' member, a part number).
func (id *identity) settleFields(vs *values, chassis string) {
	if id.Firmware == "" && id.Model != "" {
		if v := vs.groupVersion(id.Model, id.Serial); v != "" {
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
				Detail: "firmware " + v + ": the identity group's object beside the model and serial"})
			id.Firmware = v
		}
	}
	id.renameModel(tidyModel(id.Model), "model found", "%[2]s without the agent's words or punctuation")
	id.renameModel(describedCode(id.Model, id.maker), "model found", "the product number %[2]s ends with, after the maker's name and what the product is")
	id.renameModel(lineUnit(id.Model, vs.descr), "sysDescr", "the number sysDescr gives after the line's name %[2]s")
	id.renameModel(systemOnPlatform(id.Model), "model found", "the platform %[2]s names after its system's release")
	id.renameModel(modelSansRelease(id.Model, id.Firmware), "model and firmware found", "%[2]s without the release %[3]s")
	id.renameModel(vs.vendorFuller(id.Model, chassis), "vendor MIB", "the maker's MIB names %[2]s in full")
	switch {
	case id.renameModel(spelledOut(id.Model, vs.entityValue(entColSoftwareRev, chassis), vs.descr),
		"ENTITY-MIB entPhysicalSoftwareRev or sysDescr", "the product's name for the code %[2]s"):
	case id.hearsayModel && id.renameModel(seriesMember(id.Model, vs.descr),
		"sysDescr", "the member of the series %[2]s its software image names"):
	case id.renameModel(vs.lineSibling(id.Model, id.hearsayModel),
		"guessed from the vendor MIB's first objects", "the unit's number in the line of %[2]s, which sysDescr names"):
	default:
		id.renameModel(vs.fullCode(id.Model), "guessed from the vendor MIB's first objects", "the part number for the code %[2]s")
	}
}

// vendorFuller is the model a vendor row of the agent's enterprise reads
// when it is model's name completed, the same letters and digits and at
// most six more ("FortiSwitch-148F-FPOE", fsSysVersion's, for
// "FortiSwitch 148F-F" from the chassis row's truncated "FSW_148F-F"):
// the maker's own object over a standard one cut short. "" when none
// reads so.
func (vs *values) vendorFuller(model, chassis string) string {
	m := squashed(model)
	if len(m) < 3 || !vs.vendorSrcs.ok {
		return ""
	}
	for _, s := range vs.vendorSrcs.srcs[0] {
		v := vs.read(s, chassis)
		if f := squashed(v); len(f) > len(m) && len(f) <= len(m)+6 && strings.HasPrefix(f, m) && implausible("model", v) == "" {
			return v
		}
	}
	return ""
}

// squashed is s's letters and digits, lower case.
func squashed(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, s)
}

// describedCode is the product number that ends model when every word
// before it is the maker's name (make's first word) or one devices
// describe themselves with (genericWord), one of those at least: "SONY
// Network Camera SNC-CS3" is SNC-CS3, the way the maker names the product in its line ("SONY
// Network Camera SNC-EP580"). "" otherwise: a series or a product's name
// before the number is the model's ("Catalyst 2960-24TT", "Network
// Camera" alone), and so is a number without a hyphen ("Camera 300").
func describedCode(model, make string) string {
	w := strings.Fields(model)
	if len(w) < 2 || len(w) > 6 {
		return ""
	}
	code := w[len(w)-1]
	if !hyphenatedPart(code) || !strings.ContainsFunc(code, unicode.IsDigit) || !strings.ContainsFunc(code, unicode.IsUpper) {
		return ""
	}
	maker, _, _ := strings.Cut(make, " ")
	described := false
	for _, x := range w[:len(w)-1] {
		switch {
		case isGenericWord(x):
			described = true
		case len(maker) < 2 || !strings.EqualFold(x, maker):
			return ""
		}
	}
	if !described {
		return "" // the maker's name alone is part of how it names its products ("AXIS P1435-LE", "AXIS Q1656")
	}
	return code
}

// renameModel makes name the model, with evidence from source saying why
// (why's %[2]s is the model before, %[3]s the firmware), and reports
// whether it did: not when name is "".
func (id *identity) renameModel(name, source, why string) bool {
	if name == "" {
		return false
	}
	id.Evidence = append(id.Evidence, inventory.Evidence{Source: source,
		Detail: fmt.Sprintf("model %[1]s: "+why, name, id.Model, id.Firmware)})
	id.Model = name
	return true
}

// fullerFirmware replaces a bare two-number version a generic rule (r)
// read from sysDescr ("TSW212 V1.0", "Sx800 OSEDelta 4.6", "Raid Subsystem
// V1.00": a hardware revision, an operating system's or a product line's
// number as often as the firmware's) with the one the maker's identity
// group gives when that says more: three numbers or more ("1.46.2",
// "TSW2_R_00.01.02.2") or a build or date after it ("V1.50 2012-06-13").
// The guess already refuses such a bare two-number version of its own
// for the same reason.
func (id *identity) fullerFirmware(r *rule, vs *values) {
	if !genericFamilies[r.family] || !id.descrFirmware || !twoNumbers.MatchString(id.Firmware) || len(vs.subtree) == 0 {
		return
	}
	v := vs.guess(guessVersion)
	if v == "" || dateLike.MatchString(v) || !threeNumbers.MatchString(v) && !strings.Contains(v, " ") {
		return // "12.02.2008": a date, not a version
	}
	id.Evidence = append(id.Evidence, inventory.Evidence{Source: "guessed from the vendor MIB's first objects",
		Detail: fmt.Sprintf("firmware %s: the maker's MIB says more than sysDescr's %s", v, id.Firmware)})
	id.Firmware, id.descrFirmware = v, false
}

// twoNumbers is a bare version of two numbers ("1.0", "4.6", "V1.00");
// threeNumbers holds a version of three numbers or more anywhere.
var (
	twoNumbers   = &lazyre.Regexp{Expr: `^[vV]?\d+\.\d+$`}
	threeNumbers = &lazyre.Regexp{Expr: `\d+\.\d+\.\d+`}
)

// fullCode is the vendor MIB's fuller part number for a maker's model
// code when the subtree probe holds one that starts with the code's
// model part ("UFI_S9600-32X" and the platform table's "S9600-32X-R").
func (vs *values) fullCode(model string) string {
	m := modelCode.FindStringSubmatch(model)
	if m == nil {
		return ""
	}
	// the model part, and the same without a platform's letters
	// ("EC_AS7712-32X" and Edgecore's part number 7712-32X-O-AC-F)
	parts := []string{strings.ToUpper(m[1])}
	if bare := strings.TrimLeftFunc(parts[0], unicode.IsLetter); len(bare) >= 4 && bare != parts[0] {
		parts = append(parts, bare)
	}
	for _, v := range vs.subtree {
		t := tidy(v.text)
		if slices.ContainsFunc(parts, func(p string) bool { return len(t) > len(p) && strings.HasPrefix(strings.ToUpper(t), p+"-") }) && modelLike(t) {
			return t
		}
	}
	return ""
}

// modelCode is a maker's internal model code: a short upper-case prefix,
// an underscore and the model ("FGT_501E", "FWF_60D", "FGR_60F_3G4G").
var modelCode = &lazyre.Regexp{Expr: `^[A-Z]{2,4}_([A-Z0-9][\w\-]*\d[\w\-]*)$`}

// productBannerName is the product a software revision or sysDescr
// names before its version ("FortiGate-501E v5.6.4,build1575,…").
var productBannerName = &lazyre.Regexp{Expr: `(?:^|\s)([A-Z][A-Za-z]+(?:-[\w]+)+) v?\d+\.\d`}

// spelledOut is the product's name when the model read is its maker's
// code and the agent's own banner spells the same model out: the code's
// model part ends the banner's product name, underscores as hyphens
// ("FGT_501E" and "FortiGate-501E v5.6.4,build1575" → FortiGate-501E).
// Otherwise "".
func spelledOut(model string, texts ...string) string {
	m := modelCode.FindStringSubmatch(model)
	if m == nil {
		return ""
	}
	tail := "-" + strings.ReplaceAll(m[1], "_", "-")
	for _, t := range texts {
		if b := productBannerName.FindStringSubmatch(t); b != nil && strings.HasSuffix(strings.ToUpper(b[1]), strings.ToUpper(tail)) &&
			len(b[1]) > len(tail)+2 {
			return b[1]
		}
	}
	return ""
}

// first is the first plausible value of the sources, with evidence for
// the value taken and for each value refused.
func (id *identity) first(field string, srcs []source, vs *values, chassis string) string {
	return id.firstOf(field, [][]source{srcs}, vs, chassis)
}

// firstOf is first over the lists' sources in turn, as if concatenated
// (without copying the hundred-odd sources of the three fields).
func (id *identity) firstOf(field string, lists [][]source, vs *values, chassis string) string {
	unwritten := false // the maker's serial object holds its placeholder
	for s := range eachSource(lists) {
		if unwritten && s.guess != 0 {
			break // a guess would take another object (Nokia's part number beside its "SERIAL")
		}
		v := vs.read(s, chassis)
		if v == "" {
			// the maker's serial object answered with nothing its row
			// reads (garbage, another shape): a guess would take another
			// object, a hardware revision beside it (Bosch's "F000B543")
			unwritten = unwritten || field == "serial" && s.vendor && vs.answered(s)
			continue
		}
		why := implausible(field, v)
		unwritten = unwritten || field == "serial" && s.guess == 0 && (zeroSerial(v) || serialName(v))
		if why == "" && field == "serial" && strings.EqualFold(v, id.Model) {
			why = "the model's name, not a serial number"
		}
		if why == "" && field == "model" {
			why = id.modelRefused(s, v, vs)
		}
		if why == "" && s.unlessEntity {
			e := tidyFirmware(versionWord.ReplaceAllString(tidy(vs.entityValue(entColSoftwareRev, chassis)), "${1}"))
			if chassis == "" || e == "" || strings.HasPrefix(strings.ToLower(e), strings.ToLower(v)) || majorNumber(e) != majorNumber(v) {
				continue // the chassis row's revision, read next, says as much or more
			}
		}
		if why == "" && field == "firmware" && isDigits(v) && (strings.HasSuffix(id.Model, " "+v) || generation(vs.descr, v)) {
			why = "the model's generation (\"Integrated Lights-Out 4\"), not a firmware version"
		}
		if why != "" {
			id.Evidence = append(id.Evidence, inventory.Evidence{Source: s.name(),
				Detail: fmt.Sprintf("ignored %s %.40q: %s", field, v, why)})
			continue
		}
		if field == "firmware" {
			v = tidyFirmware(versionWord.ReplaceAllString(v, "${1}"))
		}
		if field == "model" {
			id.hearsayModel, id.fallbackModel, id.makerModel = s.hearsay, s.lastResort, s.guess == guessMakerModel
			id.groupModel = s.guess == guessScalarModel
		}
		id.besideSerial = id.besideSerial || field == "serial" && s.guess == guessBesideModel
		if field == "firmware" {
			id.descrFirmware = s.descr
		}
		detail := field + " " + v
		if s.product {
			if raw := mibProduct(vs.sysOID); raw != v {
				detail += " (MIB name " + raw + ")" // the descriptor spelled out (ciscoProductName)
			}
		}
		id.Evidence = append(id.Evidence, inventory.Evidence{Source: s.name(), Detail: detail})
		return v
	}
	return ""
}

// modelRefused is why the model source s's value v is no model, or ""
// when nothing refuses it (firstOf's model checks, in their order).
func (id *identity) modelRefused(s source, v string, vs *values) string {
	switch {
	case makerWord(v, id.maker):
		return "the maker's name, not a model"
	case s.lastResort && applianceCPU(v, vs.sysOID):
		return "an embedded CPU's architecture under the maker's own sysObjectID, not a product"
	case makerGeneric(v, id.maker):
		return "the maker's name and what the device is, not a model"
	case strings.Contains(v, " ") && hasWord(v, vs.sysName):
		// "pfSense fw1": a grammar took the host's name after the
		// maker's; a device whose default name is its model
		// ("GXW4200") keeps it
		return "holds the host's name (sysName), not a model"
	case vs.holdsLabel(v):
		return "holds the administrator's sysLocation or sysContact, not a model"
	case s.hearsay && controllerName.MatchString(v):
		return "the management controller's name, not the server's model"
	case s.hearsay && vs.agentSoftware(v):
		return "the agent software's name, whose version the maker's MIB gives, not the device's model"
	case s.guess != 0 && controllerName.MatchString(vs.descr) && (processorName.MatchString(v) || processorBrand.MatchString(v)):
		return "a processor's name, not the server's model"
	}
	return ""
}

// controllerName is a server's management controller as its agent's
// sysDescr names it ("Integrated Lights-Out 4 2.72 Oct 20 2019"): words
// about the agent, not the server, whose model the controller's MIB holds
// (HPE's cpqSiProductName "ProLiant DL380 Gen9").
var controllerName = &lazyre.Regexp{Expr: `(?i)\b(?:Integrated Lights-Out|Integrated Management (?:Module|Controller)|Remote Access Controller)\b`}

// processorBrand is a processor's maker and line without the trademark
// signs processorName looks for ("Intel Xeon", "AMD EPYC 7302"): the
// server's MIB lists its processors beside its model.
var processorBrand = &lazyre.Regexp{Expr: `^(?:Intel|AMD)\s+(?:Xeon|Core|Atom|Celeron|Pentium|EPYC|Opteron|Ryzen)\b`}

// generation reports whether the bare number n stands in descr between
// a product's name and a dotted version ("Integrated Lights-Out 4 2.50
// Sep 23 2016"): the product's generation, whatever the model read.
func generation(descr, n string) bool {
	f := strings.Fields(descr)
	for i := 1; i+1 < len(f); i++ {
		if f[i] == n && strings.ContainsFunc(f[i-1], unicode.IsLetter) && versionShape(f[i+1]) {
			return true
		}
	}
	return false
}

// makerWord reports whether v is the maker's name or one word of it
// ("Force10" of "Dell (Force10)", "Inc" of "Ruckus Wireless, Inc."),
// compared without case or punctuation: a grammar that took it read the
// vendor, not the product.
func makerWord(v, maker string) bool {
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, s)
	}
	k := key(v)
	if k == "" || maker == "" {
		return false
	}
	if k == key(maker) {
		return true
	}
	for _, w := range strings.FieldsFunc(maker, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) >= 3 && key(w) == k {
			return true
		}
	}
	return false
}

// hasWord reports whether w (at least three characters) is one of v's
// space-separated words, ignoring case.
func hasWord(v, w string) bool {
	if w = tidy(w); len(w) < 3 {
		return false
	}
	for f := range strings.FieldsSeq(v) { // no slice: the guesses ask this of each object
		if strings.EqualFold(f, w) {
			return true
		}
	}
	return false
}

// chassisEvidence notes the chassis row's hardware revision and date of
// manufacture, which no field holds.
func (vs *values) chassisEvidence(chassis string) []inventory.Evidence {
	var ev []inventory.Evidence
	if hw := vs.entityText(entColHardwareRev, chassis); hw != "" {
		ev = append(ev, inventory.Evidence{Source: "ENTITY-MIB entPhysicalHardwareRev", Detail: "hardware revision " + hw})
	}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColMfgDate)] {
		if d, ok := decodeDateAndTime(r.raw); ok && r.index == chassis {
			ev = append(ev, inventory.Evidence{Source: "ENTITY-MIB entPhysicalMfgDate", Detail: "manufactured " + d.Format("2006-01-02")})
		}
	}
	return ev
}

// versionWord is the label some agents put before a version number
// ("Version 5.170 V200R010C00SPC600"): the firmware is what follows.
var versionWord = &lazyre.Regexp{Expr: `(?i)^(?:version|ver\.?|firmware|software|release)\s*:?\s+(\S)`}

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
		if zeroSerial(v) {
			return "only zeros: the agent's placeholder, not a serial number"
		}
		if serialName(v) {
			return "the field's own name: the agent's placeholder, not a serial number"
		}
		if wrappedWord(v) {
			return "words in punctuation: a placeholder, not a serial number"
		}
	case "model":
		if len(v) > maxModelLen {
			return "too long for a model"
		}
		switch {
		case len(v) <= 2 && isDigits(v):
			return "a number, not a model"
		case bareVersion.MatchString(v):
			return "a version number, not a model"
		case dateLike.MatchString(v):
			return "a date, not a model"
		case versionLabel.MatchString(v):
			return "a label, not a model"
		case companySuffix.MatchString(v):
			return "a company suffix, not a model"
		case osName.MatchString(v):
			return "an operating system's name, not a model"
		case shortHexID.MatchString(v):
			return "a bare hexadecimal id, not a model"
		case readingNotModel(v):
			return "a reading with its unit, not a model"
		case hostCounter.MatchString(v):
			return "a host's numbered name, not a model"
		case instanceName.MatchString(v):
			return "a unit's numbered name, not a model"
		case macTailName(v):
			return "a unit's default name after its MAC address, not a model"
		case agentName.MatchString(v) && !strings.ContainsAny(snmpVersion.ReplaceAllString(v, ""), "0123456789"):
			return "the SNMP agent's name, not a model" // "TCW241 SNMP Agent" still names the product
		}
	default:
		if len(v) > maxModelLen {
			return "too long for a " + field
		}
		if field == "firmware" && matches(unitReading, v) {
			return "a reading with its unit, not a version"
		}
	}
	return ""
}

// Values no model looks like: a bare version number ("4.4.2", "v1.0"),
// a date ("09/19/2013", "2024-03-12", a firmware's "04NOV2011"), a label that lost its value
// ("ESPHome version"), a company suffix, an operating system's name and a
// short hexadecimal id ("0x0029").
var (
	bareVersion  = &lazyre.Regexp{Expr: `^[vV]?\d+(?:\.\d+)+[a-z]?$`}
	dateLike     = &lazyre.Regexp{Expr: `^(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}|\d{1,2}-?(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-?\d{2,4})$`}
	versionLabel = &lazyre.Regexp{Expr: `(?i)\b(?:version|ver|release|revision|firmware)\s*:?$`}
	// companySuffix is what follows a maker's name ("Ruckus Wireless Inc"):
	// a grammar that stopped there read the company, not the product.
	companySuffix = &lazyre.Regexp{Expr: `(?i)^(?:inc|incorporated|ltd|limited|llc|corp|corporation|co|gmbh|ag|plc|bv|oy|ab|s\.?a)\.?$`}
	// osName is one word naming an operating system ("EdgeOS", "RouterOS",
	// "NX-OS") or a kernel, with the comma a banner puts after it
	// ("Linux," of "Linux, Cisco Systems, Inc WAP561 (…)"): what runs on
	// the product, not the product.
	osName = &lazyre.Regexp{Expr: `^(?:[A-Za-z]{2,}-?OS|[A-Z][A-Za-z]+[ \-]Linux|(?i:linux|freebsd|netbsd|openbsd|vxworks)[,;:]?)$`}
	// shortHexID is a bus id some agents put in entPhysicalModelName
	// ("0x0029"); a machine type (IBM's "0x0800004c") is longer.
	shortHexID = &lazyre.Regexp{Expr: `^0[xX][0-9A-Fa-f]{1,4}$`}
	// unitReading is a measurement a dotted-number grammar can take for a
	// version or a model ("Rating: 100-240V, 16A, 3.7kVA", Raritan's
	// pduRatedVA "6.4-7.7kVA", Hikvision's hikCPUFrequency "1000MHZ"): a
	// number or a range of two, then its unit. Not "A" or "C" after one
	// number: "2.0A" can be a release.
	unitReading = &lazyre.Regexp{Expr: `^\d+(?:\.\d+)?(?:\s?-\s?\d+(?:\.\d+)?)?\s?(?:[kM]?VA|[kM]?W|mA|V|(?i:[kMG]?Hz)|dBm?|%|RPM|rpm)$|^\d+(?:\.\d+)?(?:\s?-\s?\d+(?:\.\d+)?\s?A|\s?-\s?\d+(?:\.\d+)?\s?°?C|\s?°C)$`}
)

// genericFamilies are the rules that match by operating system or
// standard MIB alone: an enterprise's vendor rows know its products better.
var genericFamilies = map[string]bool{"linux": true, "freebsd": true, "windows": true, "windows-server": true, "entity-mib": true, "cisco": true}

// applianceCPU reports whether model is a last resort's CPU architecture
// other than x86 ("Generic ARMv7", "Generic MIPS") on an agent whose
// sysObjectID names a maker rather than agent software: an appliance's
// processor, never its product (HUBER+SUHNER's Cubo, Vertiv's EES,
// LANCOM's LW-600, Opengear's ACM550x). A plain Linux host's
// architecture (net-snmp's sysObjectID) and an x86 appliance's
// (Nutanix's AOS) are what inventories call such a box and stay.
func applianceCPU(model, sysOID string) bool {
	ent, _ := enterprise(sysOID)
	rest, ok := strings.CutPrefix(model, "Generic ")
	return ok && ent > 0 && !agentOnly[ent] && !strings.HasPrefix(rest, "x86")
}

// agentOnly are enterprises of agent software, not makers of hardware:
// net-snmp (and its UC Davis ancestor) answers for countless products.
var agentOnly = map[int]bool{8072: true, 2021: true}

// fastpathOEM are enterprises a switch stack's OEMs keep in their
// sysObjectID (Broadcom's FASTPATH, 4413): the number names no maker;
// the chassis row's manufacturer does.
var fastpathOEM = map[int]bool{4413: true}

// read evaluates one source; "" means it yielded nothing.
func (vs *values) read(s source, chassis string) string {
	var v string
	switch {
	case s.guess != 0:
		v = vs.guess(int(s.guess))
	case s.recog != 0:
		v = vs.recog(int(s.recog))
	case s.descr && s.sansParts:
		v = vs.descrSansParts()
	case s.product:
		v = mibProduct(vs.sysOID)
	case s.descr:
		v = vs.descr
	case len(s.oids) == 1 && (s.octets != 0 || s.walked):
		v = vs.scalarText(s)
	case len(s.oids) > 0:
		var parts []string
		for _, o := range s.oids {
			if t := tidy(vs.scalar[o].text); t != "" {
				parts = append(parts, t)
			}
		}
		v = strings.Join(parts, " ")
	case s.entity != 0 && s.anyRow:
		v = vs.entityMatch(int(s.entity), chassis, s.re)
	case s.entity != 0:
		if chassis == "" || s.entity == entColSoftwareRev && vs.stackSDKRevision(chassis) ||
			(s.entity == entColSoftwareRev || s.entity == entColFirmwareRev) && vs.stackTemplateRow(chassis) {
			return ""
		}
		v = vs.entityValue(int(s.entity), chassis)
	case s.column != "":
		if s.sole && len(vs.column[s.column]) != 1 {
			return ""
		}
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
	if v == vs.descr {
		v = vs.tidyDescr() // a hundred-odd sources read sysDescr, in each pass of identify
	} else {
		v = tidy(v)
	}
	if v == "" {
		return ""
	}
	if s.re != nil {
		m := vs.submatch(s.re, v)
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

// tidyDescr is tidy(vs.descr), tidied once.
func (vs *values) tidyDescr() string {
	if !vs.descrTidied || vs.descrTidiedOf != vs.descr {
		vs.descrTidy, vs.descrTidiedOf, vs.descrTidied = tidy(vs.descr), vs.descr, true
	}
	return vs.descrTidy
}

// submatch is re.FindStringSubmatch(text), read once per values: each
// pass of identify (up to four a device, one per probe) runs the same
// grammars over the same sysDescr and objects. The slice is shared: not
// to be written.
func (vs *values) submatch(re *lazyre.Regexp, text string) []string {
	if cannotMatch(re, text) || lacksLiterals(re, text) {
		return nil
	}
	k := submatchKey{re, text}
	if m, ok := vs.submatches[k]; ok {
		return m
	}
	m := re.FindStringSubmatch(text)
	if vs.submatches == nil {
		vs.submatches = make(map[submatchKey][]string, 64) // setA and setC devices read 19 (median) to 65
	}
	vs.submatches[k] = m
	return m
}

// match is re.MatchString(text), read once per values, as submatch: the
// guesses run a dozen expressions over each of the maker's objects for
// each model found, in each pass.
func (vs *values) match(re *lazyre.Regexp, text string) bool {
	if cannotMatch(re, text) || lacksLiterals(re, text) {
		return false
	}
	k := submatchKey{re, text}
	if m, ok := vs.matches[k]; ok {
		return m
	}
	m := re.MatchString(text)
	if vs.matches == nil {
		vs.matches = make(map[submatchKey]bool, 64) // setA and setC devices that read any read 57 (p90) to 436; 256 took twice the memory of growing
	}
	vs.matches[k] = m
	return m
}

// submatchKey is one grammar over one text.
type submatchKey struct {
	re   *lazyre.Regexp
	text string
}

// descrSansParts is sysDescr without the versions of the parts it
// names (partVersion), cut once per description.
func (vs *values) descrSansParts() string {
	if !vs.sansPartsCut || vs.sansPartsOf != vs.descr {
		vs.sansParts, vs.sansPartsOf, vs.sansPartsCut = partVersion.ReplaceAllString(vs.descr, ""), vs.descr, true
	}
	return vs.sansParts
}

// stackSDKRevision reports whether the chassis row's
// entPhysicalSoftwareRev is the switching SDK's release, not the
// product's: Aricent's ISS (Intelligent Switch Solution), which Eltex's
// MES, Siemens's SCALANCE XC and SIAE's ALFOplus switches are built on,
// names its chassis row "Network Element" and fills
// entPhysicalSoftwareRev with its own release (6.2.0 on all five setC
// agents, four makers, each with ISS's manufacturing date 2009-08-06) and
// entPhysicalFirmwareRev with the product's firmware (Eltex's 10.3.5,
// SCALANCE's V04.02.00). The software revision is then skipped, and the
// firmware revision read after it answers.
func (vs *values) stackSDKRevision(chassis string) bool {
	return vs.entityText(entColDescr, chassis) == "Network Element" && vs.entityText(entColFirmwareRev, chassis) != ""
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

// entityMatch is column col of the chassis row when re matches it, else
// of the first row re matches that is not a part (entPartClass); "" when
// none does.
func (vs *values) entityMatch(col int, chassis string, re *lazyre.Regexp) string {
	if v := vs.entityText(col, chassis); chassis != "" && re.MatchString(v) {
		return v
	}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] {
		if t := tidy(r.text); re.MatchString(t) && !entPartClass[vs.entityText(entColClass, r.index)] {
			return t
		}
	}
	return ""
}

// entityValue is one column of the chassis row; where the chassis row
// leaves it empty, the first row under the chassis (among the rows read)
// that has it and may speak for the device: a stack's unit row (Edge-Core
// and FS stacks put model and serial on "Unit 1", a container) for the
// model and serial; any row but a port, fan, power supply or sensor (the
// management module) for the software and firmware revisions.
func (vs *values) entityValue(col int, chassis string) string {
	if v := vs.entityText(col, chassis); v != "" {
		return v
	}
	var allowed func(class string) bool
	switch col {
	case entColModel, entColSerial:
		allowed = func(c string) bool { return !entPartClass[c] || c == entClassContainer }
	case entColSoftwareRev, entColFirmwareRev:
		allowed = func(c string) bool {
			return !entPartClass[c] || c == entClassContainer || c == entClassModule || c == entClassCPU
		}
	default:
		return ""
	}
	class := map[string]string{}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColClass)] {
		class[r.index] = r.text
	}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(col)] {
		if v := tidy(r.text); v != "" && r.index != chassis && allowed(class[r.index]) && vs.under(r.index, chassis) {
			return v
		}
	}
	return ""
}

// under reports whether row index lies below the chassis row by the
// entPhysicalContainedIn links read (a few levels at most).
func (vs *values) under(index, chassis string) bool {
	parent := map[string]string{}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColContainedIn)] {
		parent[r.index] = r.text
	}
	for range 8 {
		p, ok := parent[index]
		if !ok || p == "0" {
			return false
		}
		if p == chassis {
			return true
		}
		index = p
	}
	return false
}

// chassis picks the entPhysicalTable row that stands for the whole device:
// the first chassis-class row, else the first stack row (or the unit
// below it that names the serial number, stackUnit), else the first
// top-level row (contained in nothing) that names a serial number or model
// (a bare "Switch System" wrapper does not), else the first row with a
// serial number or model name, else (an agent that fills neither class
// nor serial nor model) the first top-level row, whose description may
// name the product, or with only descriptions the first row. The
// fallbacks never pick a part (a module, power
// supply, fan, sensor, port, container or CPU): its serial and model are
// the part's, not the device's.
func (vs *values) chassis() string {
	class := vs.column[entPhysicalEntry+"."+strconv.Itoa(entColClass)]
	for _, want := range []string{entClassChassis, entClassStack} {
		for _, r := range class {
			if r.text == want && !vs.cardRow(r.index) {
				if want == entClassStack {
					return vs.stackUnit(r.index)
				}
				return r.index
			}
		}
	}
	part := map[string]bool{}
	for _, r := range class {
		part[r.index] = entPartClass[r.text] || vs.cardRow(r.index)
	}
	contained := vs.column[entPhysicalEntry+"."+strconv.Itoa(entColContainedIn)]
	for _, r := range contained {
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
	for _, r := range contained {
		if r.text == "0" && !part[r.index] {
			return r.index
		}
	}
	if descr := vs.column[entPhysicalEntry+"."+strconv.Itoa(entColDescr)]; len(class) == 0 && len(contained) == 0 && len(descr) > 0 {
		return descr[0].index // only descriptions: the first row ("Carrier 5U", "SSR 8020 chassis")
	}
	// Every row a part: the one whose model name is the product sysDescr
	// names stands for the device (Cisco's WAP561, a lone module(9) row
	// "WAP561-E-K9" beside sysDescr's "Cisco Systems, Inc WAP561
	// (WAP561-E-K9), Version 1.2.1.6").
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColModel)] {
		if descrNames(vs.descr, r.text) {
			return r.index
		}
	}
	return ""
}

// descrNames reports whether model, a product code (four characters or
// more, a letter and a digit), is one of descr's words, bare or in
// brackets or before a comma, ignoring case.
func descrNames(descr, model string) bool {
	model = tidy(model)
	if len(model) < 4 || !strings.ContainsAny(model, "0123456789") || !strings.ContainsFunc(model, unicode.IsLetter) {
		return false
	}
	for f := range strings.FieldsSeq(descr) {
		if strings.EqualFold(strings.Trim(f, "()[],;:\"'"), model) {
			return true
		}
	}
	return false
}

// stackUnit is the row that stands for a stack without a chassis row:
// the stack row when it names a serial number or model, else the first
// row below it that names a serial number and is not a part but for a
// container (Allied Telesis puts the first member's model and serial on
// its "Base" container, under a bare "x930 Stack" and "Stack Member").
func (vs *values) stackUnit(stack string) string {
	if vs.entityText(entColSerial, stack) != "" || vs.entityText(entColModel, stack) != "" {
		return stack
	}
	for _, r := range vs.column[entPhysicalEntry+"."+strconv.Itoa(entColSerial)] {
		if c := vs.entityText(entColClass, r.index); tidy(r.text) != "" && (!entPartClass[c] || c == entClassContainer) && vs.under(r.index, stack) {
			return r.index
		}
	}
	return stack
}

// entPartClass are the PhysicalClass values (RFC 6933) of a device's
// parts: container(5), powerSupply(6), fan(7), sensor(8), module(9),
// port(10), cpu(12), energyObject(13), battery(14), storageDrive(15).
// other(1), unknown(2), chassis(3) and stack(11) may stand for the
// device, and so may backplane(4): VMware ESXi reports the host's board,
// with its model and serial, as its one backplane row.
var entPartClass = map[string]bool{"5": true, "6": true, "7": true, "8": true, "9": true, "10": true, "12": true,
	"13": true, "14": true, "15": true}

// PhysicalClass values entityValue reads below the chassis.
const (
	entClassContainer = "5"
	entClassModule    = "9"
	entClassCPU       = "12"
)

// notOrderNumber refuses an entPhysicalModelName that is only digits and
// separators ("1078904455-01", "186-2003-901") or a product number in the
// ITU/Ericsson "ABC 123 456/1" form ("BFL 510 110/1", "BFD 599 031/2"):
// an order number, which the row's description or name (tried next)
// names better. It is still taken when nothing else answers.
func notOrderNumber(s string) string {
	if !strings.ContainsFunc(s, unicode.IsLetter) || articleNumber.MatchString(s) {
		return ""
	}
	return s
}

// chassisModel is the chassis row's model name, unless an order number;
// an order code ("JL635A", "JD377A": HPE's and Aruba's product numbers)
// gives way to the row's description of the product ("Aruba
// 8325-48Y8C 48p 25G 8p 100G Swch"), the name the maker's software
// shows and the vendor rules for those switches read. Comware appends
// its software version to that description ("HP A5500-24G EI Switch
// with 2 Interface Slots Software Version 5.20.99"): cut off, the model
// must not change on every upgrade.
func chassisModel(vs *values, chassis string) []source {
	var stated []source
	if vs.staleChassis(chassis) {
		stated = statedModel // the agent's own word over another unit's row
	}
	model := entity(entColModel).then(func(s string) string { return descrVariant(orderedProduct(notOrderNumber(s), vs.descr), vs.descr) })
	if vs.descrLeadAgrees(chassis) {
		return slices.Concat(stated, []source{entity(entColDescr).then(leadModel), model})
	}
	if m := vs.entityValue(entColModel, chassis); !orderCode.MatchString(m) && !serialShaped(m) {
		return slices.Concat(stated, []source{model})
	}
	return slices.Concat(stated, []source{entity(entColDescr).then(func(s string) string {
		if strings.EqualFold(tidy(s), vs.tidyDescr()) {
			return ""
		}
		return rowModel(softwareVersion.ReplaceAllString(s, ""))
	}), model})
}

// softwareVersion is the software version a description carries after
// the product's name (Comware's "… Software Version 5.20.99").
var softwareVersion = &lazyre.Regexp{Expr: `(?i)[\s,]*\bSoftware,?\s+Version\b.*`}

// descrVariant is the chassis row's model name m as sysDescr's first word
// names it, when that word is m's variant or m less the maker's name:
// m and a letter or two ("MES2124" of "MES2124M AC 28-port 1G Managed
// Switch"), or m's last word after others ("Linksys LGS318P" of "LGS318P
// 18-Port Gigabit PoE+ Smart Switch"). Otherwise m.
func descrVariant(m, descr string) string {
	first, _, _ := strings.Cut(descr, " ")
	if m == "" || len(first) < 4 || !modelLike(first) {
		return m
	}
	if rest, ok := strings.CutPrefix(first, m); ok && len(rest) > 0 && len(rest) <= 2 && !strings.ContainsFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return first
	}
	if w := strings.Fields(m); len(w) >= 2 && w[len(w)-1] == first {
		return first
	}
	return m
}

// orderCode is HPE's product number shape: one or two letters, three or
// four digits and a letter.
var orderCode = &lazyre.Regexp{Expr: `^[A-Z]{1,2}\d{3,4}[A-Z]$`}

// articleNumber is the "ABC 123 456/1" product number form.
var articleNumber = &lazyre.Regexp{Expr: `^[A-Z]{3} \d{3} \d{2,4}(?:/\d+)?$`}

// agentName is an SNMP agent's own name ("IMCO SNMP Agent", "Viptela
// SNMP agent") or its service's banner (Dell FluidFS's "FluidFS
// SnmpService SnmpV2c", BKE's "ETH_mod SNMP Supervisor"), which a
// description may give instead of the product's; one with a number
// besides the protocol's version (snmpVersion) names the product it runs
// on ("TCW241 SNMP Agent").
var agentName = &lazyre.Regexp{Expr: `(?i)\bSNMP[\s\-]*(?:agent|service|supervisor|v[123]c?)\b`}

// snmpVersion is the protocol's version in an agent's banner ("SnmpV2c").
var snmpVersion = &lazyre.Regexp{Expr: `(?i)\bSNMP[\s\-]*v[123]c?\b`}

// placeholders are values agents report instead of nothing.
var placeholders = []string{"", "n/a", "na", "none", "null", "unknown", "not available", "not specified",
	"default string", "to be filled by o.e.m.", "0", "-", ".", "system serial number", "0123456789", "<private>"}

// placeholderLen marks the placeholders' lengths: ASCII text of another
// length folds to none of them (tidy asks it of each object for each
// guess).
var placeholderLen = func() (n [32]bool) {
	for _, p := range placeholders {
		n[len(p)] = true
	}
	return n
}()

// tidy trims what agents wrap values in (spaces, quotes, backslashes),
// collapses runs of white space and rejects placeholders.
func tidy(s string) string {
	if tidyASCII(s) {
		// nothing to trim or collapse
		return unlessPlaceholderASCII(s)
	}
	if !singleSpaced(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	s = strings.Trim(s, " \"'\\")
	if isASCII(s) {
		return unlessPlaceholderASCII(s)
	}
	if slices.Contains(placeholders, strings.ToLower(s)) {
		return ""
	}
	return s
}

// unlessPlaceholderASCII is the ASCII text s, "" if it is a placeholder:
// the placeholders are ASCII in lower case, so EqualFold is ToLower's
// comparison, without the copies (tidy runs on each object for each
// guess).
func unlessPlaceholderASCII(s string) string {
	if len(s) < len(placeholderLen) && placeholderLen[len(s)] && slices.ContainsFunc(placeholders, func(p string) bool { return strings.EqualFold(p, s) }) {
		return ""
	}
	return s
}

// singleSpaced reports text strings.Fields and a join by single spaces
// leave as it is: no white space (unicode.IsSpace) at either end, and
// none between words but one ' '.
func singleSpaced(s string) bool {
	prevSpace := true // at the start, as after a space: none may open the text
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (prevSpace || r != ' ') {
			return false
		}
		prevSpace = space
	}
	return !prevSpace || s == ""
}

// tidyASCII reports text tidy leaves as it is, but for the placeholder
// test: printable ASCII, no space at either end nor two in a row, and no
// quote or backslash at either end.
func tidyASCII(s string) bool {
	if s == "" || strings.ContainsRune(" \"'\\", rune(s[0])) || strings.ContainsRune(" \"'\\", rune(s[len(s)-1])) {
		return false
	}
	for i := range len(s) {
		if c := s[i]; c < ' ' || c > '~' || c == ' ' && s[i-1] == ' ' {
			return false
		}
	}
	return true
}

// zeroSerial reports a serial number made of zeros and separators
// ("000000000000", "000-000", "0000 0000"): what agents and boards
// report when no number was programmed. Reported, it would make every
// such device share one serial number.
func zeroSerial(v string) bool {
	return strings.ContainsRune(v, '0') && strings.Trim(v, "0 -_.:/") == ""
}

// serialName reports a serial number that is the field's own name with
// no digit ("SERIALNO", "<serial>", "SerialNumber", "upsserialnum"): the
// agent's template text where the factory never wrote the number.
func serialName(v string) bool {
	return !strings.ContainsAny(v, "0123456789") && strings.Contains(strings.ToLower(v), "serial")
}

// readingNotModel reports a reading no product is named after: a range
// ("6.4-7.7kVA") or a frequency, share, level, speed or temperature
// (Hikvision's hikCPUFrequency "1000MHZ"). A rating alone names UPSes
// and power supplies ("1793VA", "600W").
func readingNotModel(v string) bool {
	if !matches(unitReading, v) {
		return false
	}
	l := strings.ToLower(v)
	return strings.Contains(v, "-") || strings.HasSuffix(l, "hz") || strings.HasSuffix(l, "%") ||
		strings.HasSuffix(l, "db") || strings.HasSuffix(l, "dbm") || strings.HasSuffix(l, "rpm") || strings.HasSuffix(l, "c")
}

// wrappedWord reports text with no digit between punctuation at both
// ends ("...cut...", "<removed>", "[hidden]", "(none)"): a placeholder, a
// recording's scrub mark or a template's, never a serial number.
func wrappedWord(v string) bool {
	mark := func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }
	inner := strings.TrimLeftFunc(v, mark)
	return inner != v && inner != "" && strings.TrimRightFunc(inner, mark) != inner && !strings.ContainsAny(v, "0123456789")
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

// majorNumber is the first run of digits in a version, without leading
// zeros ("9" of "9.13(0.2)", "4" of "V04.02.00", "200" of
// "V200R009C00SPC500"): the release line.
func majorNumber(v string) string {
	i := strings.IndexFunc(v, unicode.IsDigit)
	if i < 0 {
		return ""
	}
	n := v[i:]
	if j := strings.IndexFunc(n, func(r rune) bool { return !unicode.IsDigit(r) }); j >= 0 {
		n = n[:j]
	}
	return cmp.Or(strings.TrimLeft(n, "0"), "0")
}

// softwareLabelled is the version sysDescr labels as the software's
// ("Application Software Version: 9.9(0.0P9)"), which the generic entry
// reads before the chassis row's revisions when the chassis row's
// software revision says another release of the same line (its first
// number): an agent may fill entPhysicalSoftwareRev with another part's
// (Dell's MXL 9.13(0.2) beside the switch's 9.9(0.0P9)). One the row's
// revision starts with gives way to it, which names the build too
// ("5.170 V200R010C00SPC600" over "Version 5.170"), and so does one of
// another numbering (VRP's platform "5.170" beside the row's product
// release V200R009C00SPC500). On setC's development families scored blind,
// firmware 594 → 595 of 657, nothing else changed.
var softwareLabelled = func() source { s := genericFirmware[1]; s.unlessEntity = true; return s }()
