package snmp

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// ENTITY-MIB entPhysicalTable (RFC 6933 section 4), the columns identity
// needs. The table is read with one GETBULK of these columns, entityRows
// rows deep, which reaches the chassis row on every agent seen so far: it is
// the first row, or follows one stack row (Cisco stacks) at most.
const (
	entPhysicalEntry  = "1.3.6.1.2.1.47.1.1.1.1"
	entColDescr       = 2
	entColContainedIn = 4
	entColClass       = 5
	entColName        = 7
	entColHardwareRev = 8
	entColFirmwareRev = 9
	entColSoftwareRev = 10
	entColSerial      = 11
	entColMfgName     = 12
	entColModel       = 13
	entColMfgDate     = 17

	entClassChassis = "3"  // PhysicalClass chassis(3), RFC 6933
	entClassStack   = "11" // PhysicalClass stack(11)

	entityRows = 4
	// tableRows is how deep a rule's table column is read: identity
	// wants the first usable row, not the table.
	tableRows = 4
)

var entityColumns = []int{entColDescr, entColContainedIn, entColClass, entColName, entColHardwareRev,
	entColFirmwareRev, entColSoftwareRev, entColSerial, entColMfgName, entColModel, entColMfgDate}

// maxIdentifyOIDs bounds the scalars one identity GET asks for; gosnmp
// refuses more than gosnmp.MaxOids (60) in one request. A net-snmp
// agent's GET fills it: the Linux entry's sources, the rules with a probe
// and the vendor rows of makers whose gear runs net-snmp, the last of
// which the bound cuts (53 keeps those 48 kept with the Supermicro BMC
// entry's two objects, the "version" extend's two and the "device"
// extend's one added: Barracuda's WAF firmware row stays the one cut).
// The four typeScalars come on top and lldpLocSysDesc when sysDescr is
// thin: one GET asks for at most 58 objects.
const maxIdentifyOIDs = 53

// Identify is System plus identity: after the system group it matches the
// agent against the rule table (sysObjectID enterprise and sysDescr
// grammars), reads the vendor objects and the first ENTITY-MIB rows the
// matching rules name (one GET and one GETBULK), probes the maker's
// subtree when a field is still empty or hearsay (one GETBULK, and one
// continuation when the first left a field empty: five requests with the
// system group's; a sixth, the sibling probe, only when the model is still
// unknown or a last resort and the continuation was cut short inside the
// maker's MIB, see probeSiblings), and fills the
// observation's Make, Model, OS, Firmware, Serial, Type and Evidence. The
// identity reads are best effort: when they fail the observation is still
// returned, identified from sysObjectID and sysDescr alone. Errors are
// those of System.
func (p *Poller) Identify(ctx context.Context, ip netip.Addr) (inventory.Observation, error) {
	ip, release, err := p.acquire(ctx, ip)
	if err != nil {
		return inventory.Observation{}, err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, p.cfg.DeviceTimeout)
	defer cancel()
	o, cred, err := p.system(ctx, ip)
	if err != nil {
		return o, err
	}
	p.identify(ctx, ip, cred, &o)
	return o, nil
}

// identify reads what the rules need and sets o's identity fields.
func (p *Poller) identify(ctx context.Context, ip netip.Addr, cred credential, o *inventory.Observation) {
	p.identifyWith(ctx, ip, cred, o, knowledge{})
}

// identifyWith is identify with narrower knowledge, for the accuracy
// test's blind run.
func (p *Poller) identifyWith(ctx context.Context, ip netip.Addr, cred credential, o *inventory.Observation, k knowledge) {
	cands := k.candidates(o.SNMP.SysObjectID, o.SNMP.SysDescr)
	vals := newValues(o.SNMP.SysDescr)
	vals.sysName = o.SNMP.SysName
	vals.sysLabels = []string{o.SNMP.SysLocation, o.SNMP.SysContact}
	vals.scalar[oidSysName] = value{text: o.SNMP.SysName} // for labelledName, the one source that reads it
	vals.vendor = k.vendor
	vals.unnamed = o.SNMP.SysObjectID == ""
	scalars, columns := reads(o.SNMP.SysObjectID, cands, vals.vendorTable())
	thin := thinDescr(o.SNMP.SysDescr)
	if thin {
		scalars = append(scalars, lldpLocSysDesc)
	}
	sess, err := p.open(ctx, ip, cred, "")
	if err != nil {
		p.log.Debug("snmp identity session failed", "ip", ip, "err", err)
	} else {
		defer sess.Close()
		if len(scalars) > 0 {
			vars, err := getAll(sess, scalars)
			if err != nil {
				p.log.Debug("snmp identity get failed", "ip", ip, "err", err)
			}
			vals.addScalars(vars)
			if thin {
				cands = vals.lldpDescribed(sess, k, o.SNMP.SysObjectID, cands, scalars)
			}
		}
		if len(columns) > 0 && ctxDone(ctx) == nil {
			vars, err := firstRows(sess, cred.version, columns, max(entityRows, tableRows))
			if err != nil {
				p.log.Debug("snmp identity table read failed", "ip", ip, "err", err)
			}
			vals.addRows(columns, vars)
		}
	}
	id := identify(o.SNMP.SysObjectID, cands, vals)
	// Behind a software agent the firmware found so far is the kernel's
	// release, a model read from sysDescr's words or a fingerprint may be
	// a management card's or a product line's, and behind a management
	// card the serial number its description gives is the card's: the
	// maker's MIB is looked for even when every field is set.
	ent, _ := enterprise(o.SNMP.SysObjectID)
	if roots := vendorRoots(o.SNMP.SysObjectID); len(roots) > 0 && sess != nil && cred.version != V1 &&
		(id.Serial == "" || id.Firmware == "" || id.Model == "" || id.hearsayModel || agentOnly[ent] || managementCard.MatchString(o.SNMP.SysDescr)) && ctxDone(ctx) == nil {
		// The product's branch and an enterprise tend has no rows for:
		// a MIB's first objects often name the product's version and
		// serial (one GETBULK).
		vars, err := firstRows(sess, cred.version, roots, vendorProbeRows)
		if err != nil {
			p.log.Debug("snmp vendor subtree read failed", "ip", ip, "err", err)
		}
		vals.addSubtree(roots, vars)
		elsewhere := p.makerElsewhere(ctx, sess, cred.version, roots, vars, vals)
		id = identify(o.SNMP.SysObjectID, cands, vals)
		if !elsewhere && (id.Serial == "" || id.Firmware == "" || id.Model == "" || id.fallbackModel) {
			if m := linuxHost.FindStringSubmatch(o.SNMP.SysDescr); m != nil && strings.EqualFold(id.Model, m[1]) {
				// a grammar read the kernel banner's host name
				// ("Podjavorinske1608-1609"): no better than a last resort
				// (the maker's identity group says "TNA-303X")
				id.fallbackModel = true
			}
			if kept, cut, ok := p.probeDeeper(ctx, sess, cred.version, roots, vars, vals); ok {
				deeper := identify(o.SNMP.SysObjectID, cands, vals)
				if vals.rowContinues(id.Firmware, deeper.Firmware) {
					id.Firmware = "" // the first walk ended inside the unit's row, after its hardware revision
				}
				id = id.fillFrom(deeper)
				if (id.Model == "" || id.fallbackModel) && p.probeSiblings(ctx, sess, cred.version, roots, kept, cut, vals) {
					id = id.fillFrom(vals.siblingIdentity(id, identify(o.SNMP.SysObjectID, cands, vals)))
				}
			}
		}
	}
	p.macNamedHost(o.SNMP.SysName, o.SNMP.SysDescr, ent, &id)
	o.Make, o.Model, o.OS, o.Firmware, o.Serial, o.Type = id.Make, id.Model, id.OS, id.Firmware, id.Serial, id.Type
	o.TypeWeight = id.typeWeight
	o.Capabilities = structure(vals)
	o.Evidence = vals.lldpCapsEvidence(append(o.Evidence, id.Evidence...))
}

// makerElsewhere is the subtree probe's other continuation: when the
// enterprise sysObjectID names holds no object at all (the walk went
// straight past it), the maker's MIB lies under another number, and one
// more GETBULK reads the private tree from its start as behind a
// software agent (agentRoots): a Symmetricom SyncServer names Microsemi's
// enterprise 39165 and keeps its identity group under Symmetricom's 9070.
// It reports whether it read; probeDeeper does not follow it (five
// requests).
func (p *Poller) makerElsewhere(ctx context.Context, sess session, v Version, roots []string, first []gosnmp.SnmpPDU, vals *values) bool {
	if slices.Equal(roots, agentRoots) || len(first) == 0 || ctxDone(ctx) != nil {
		return false
	}
	root := roots[len(roots)-1] + "."
	if slices.ContainsFunc(first, func(pdu gosnmp.SnmpPDU) bool {
		return !isException(pdu.Type) && strings.HasPrefix(strings.TrimPrefix(pdu.Name, "."), root)
	}) {
		return false
	}
	more, err := firstRows(sess, v, agentRoots, vendorProbeRows)
	if err != nil {
		p.log.Debug("snmp maker subtree read failed", "err", err)
	}
	vals.addSubtree(agentRoots, more)
	return true
}

// probeDeeper is the subtree probe's one continuation: when the first
// probe left a field empty and a column of it had not yet
// walked out of the maker's MIB, one more GETBULK reads that column's
// next vendorProbeRows objects (a fifth request), and in the same request
// the first objects past the group the column is in (pastGroup). Appliances
// and BMCs keep their identity group behind a first table of sensors or
// services (Check Point Gaia, Supermicro's and Lenovo's BMCs); a long
// table is walked past rather than into. Gear whose first objects named
// it, or whose MIB ended, pays nothing. It reports whether it read, the
// objects the subtree now holds and where the continuation was cut short
// inside the maker's MIB (cutShort).
func (p *Poller) probeDeeper(ctx context.Context, sess session, v Version, roots []string, first []gosnmp.SnmpPDU, vals *values) (kept []gosnmp.SnmpPDU, cut string, ok bool) {
	next := deeperColumns(roots, first)
	if len(next) == 0 || ctxDone(ctx) != nil {
		return nil, "", false
	}
	cols := slices.Clone(next)
	for _, n := range next {
		if j := pastGroup(n); j != "" && !slices.Contains(cols, j) {
			cols = append(cols, j)
		}
	}
	more, err := firstRows(sess, v, cols, vendorProbeRows)
	if err != nil {
		p.log.Debug("snmp vendor subtree continuation failed", "err", err)
	}
	// The answer interleaves its columns: the continuation's own objects
	// come first, then those past the group, each kept as identityShaped
	// keeps them.
	var cont, past []gosnmp.SnmpPDU
	for i, pdu := range more {
		if i%len(cols) < len(next) {
			cont = append(cont, pdu)
		} else {
			past = append(past, pdu)
		}
	}
	kept = slices.Concat(first, identityShaped(cont), identityShaped(past))
	vals.addSubtreeN(roots, kept, 3*vendorProbeRows)
	return kept, cutShort(roots, more, len(cols), len(next)), true
}

// pastGroup is where a walk resumes past the group of a maker's MIB that
// name lies in, the subtree three arcs below the enterprise
// (1.3.6.1.4.1.E.a.b.c): a GETNEXT of its last possible child returns
// the first object after it. "" when name is no deeper than that. Three
// arcs is where MIBs put their groups' tables (SUPERMICRO-HEALTH's sensor
// table, 1.3.6.1.4.1.21317.1.3, before its identity group 1.16). On
// setC scored blind, past three arcs found 9 more serial numbers; past
// two, one held-out serial fewer than three; past four, one firmware
// version and one held-out serial fewer; both together, 4 serials fewer
// than three alone.
func pastGroup(name string) string {
	const arcs = 7 + 3 // 1.3.6.1.4.1.E, then the group's three
	parts := strings.Split(name, ".")
	if len(parts) <= arcs+1 || !strings.HasPrefix(name, "1.3.6.1.4.1.") {
		return ""
	}
	return strings.Join(parts[:arcs], ".") + ".4294967295" // the largest arc (RFC 2578 section 3.5)
}

// identityShaped keeps the continuation's objects that may name the
// device: scalars (index .0) whose column holds no other row, and the
// first row (index .1) of a table. Deeper in a maker's MIB the tables
// list the device's parts and neighbours: a PDU's inputs ("Q3 Bypass",
// row 4), a chassis's card types ("7705 SAR-B", row 12), a line card's
// serial (row 81788928), a radio named by its index ("WLAN-1"), a sensor
// bus's rows from .0 on ("EDS0001", then "DS18B20" per row), where the
// first probe had left the field empty rather than wrong. A first row
// whose value the next rows repeat is a part's type, not the device's;
// a decimal number in a table of them a sensor's reading (readingCells).
// An exception is no row: past the end of the MIB an agent repeats the
// last object's name with endOfMibView (RFC 3416 section 4.2.3), and a
// maker's MIB often ends with its identity group (Hirschmann's firmware,
// Terra's serial number).
func identityShaped(more []gosnmp.SnmpPDU) []gosnmp.SnmpPDU {
	column := func(name string) string { return name[:max(strings.LastIndexByte(name, '.'), 0)] }
	type cell struct{ column, octets string }
	// counted only for what is asked: a scalar's column, a first row's
	// octets (the answer's other objects are most of it)
	rows, firsts, seen := map[string]int{}, map[string]bool{}, map[cell]int{}
	for _, v := range more {
		if strings.HasSuffix(v.Name, ".0") {
			rows[column(v.Name)] = 0
		} else if strings.HasSuffix(v.Name, ".1") {
			firsts[column(v.Name)] = true
		}
	}
	for _, v := range more {
		if isException(v.Type) {
			continue
		}
		c := column(v.Name)
		if n, ok := rows[c]; ok {
			rows[c] = n + 1
		}
		if b, ok := v.Value.([]byte); ok && firsts[c] {
			seen[cell{c, string(b)}]++
		}
	}
	readings := readingCells(more)
	return slices.DeleteFunc(slices.Clone(more), func(v gosnmp.SnmpPDU) bool {
		b, _ := v.Value.([]byte)
		c := column(v.Name)
		switch {
		case strings.HasSuffix(v.Name, ".0"):
			return rows[c] > 1
		case strings.HasSuffix(v.Name, ".1"):
			// a part's type on every row ("DS18B20"); a decimal number
			// in a table of readings, a sensor's ("3.0940", "3.2292",
			// "5.014" volts, then its threshold "3.0160")
			return seen[cell{c, string(b)}] > 1 || readings[v.Name]
		}
		return true
	})
}

// fillFrom is id with the model, firmware and serial it left empty taken
// from deeper, the identity read after the continuation: a field already
// found stays (deeper objects name a location, a radio or a module as
// readily as the product: on setC's development families, letting them
// replace a found model lost as many models as it won).
//
// A last resort gives way to a product the maker names after itself, a
// part number, or the model of the maker's identity group (its first
// scalars: "ProLiant DL380 Gen9" over a Gaia banner's "Generic x86
// 64-bit"; on setC that changed one held-out model, right, and none
// else).
func (id identity) fillFrom(deeper identity) identity {
	if id.fallbackModel && (deeper.makerModel || deeper.groupModel || partShaped(deeper.Model)) {
		id.Model = ""
	}
	if id.hearsayModel && namesNumbered(deeper.Model, id.Model) {
		id.Model = "" // a product line sysDescr named, the maker's objects its numbered model
	}
	addOn := id.Model == "" && strings.Contains(deeper.Model, " for ")
	if deeper.besideSerial && !id.besideSerial {
		// the serial beside the model the deeper objects name ("2000AB4000"
		// beside "Check Point 3200") over the first objects' guess (a disk's
		// size in bytes before them); no stronger source answered either
		id.Serial = ""
	}
	for _, f := range []struct {
		name        string
		first, deep *string
	}{{"model", &id.Model, &deeper.Model}, {"firmware", &id.Firmware, &deeper.Firmware}, {"serial", &id.Serial, &deeper.Serial}} {
		// Left empty: a serial the deeper rows hold only in a product
		// number's shape ("J9829A", a stack member's), and a model that
		// names an add-on by what it is for ("eNexus WebPack for .118",
		// the management card's group behind the system's) with the
		// serial read beside it, the add-on's.
		notIdentity := *f.first == "" && (f.name == "serial" && productNumber(*f.deep) || f.name == "model" && addOn)
		if *f.first == "" && !notIdentity || *f.first == *f.deep {
			continue
		}
		was := f.name + " " + *f.deep
		deeper.Evidence = slices.DeleteFunc(deeper.Evidence, func(e inventory.Evidence) bool { return e.Detail == was })
		for _, e := range id.Evidence {
			if e.Detail == f.name+" "+*f.first && !slices.Contains(deeper.Evidence, e) {
				deeper.Evidence = append(deeper.Evidence, e)
			}
		}
		*f.deep = *f.first
	}
	if id.Model != "" {
		deeper.hearsayModel = id.hearsayModel
	}
	return deeper
}

// namesNumbered reports whether model, read among the maker's deeper
// objects, is the numbered product of the line a hearsay source named
// without a number ("SOLIDserver-550" of sysDescr's "EfficientIP
// SOLIDserver"): a word of line, of four letters or more, opens model.
func namesNumbered(model, line string) bool {
	if strings.ContainsAny(line, "0123456789") || !modelLike(model) {
		return false
	}
	return slices.ContainsFunc(strings.Fields(line), func(w string) bool {
		return len(w) >= 4 && len(model) > len(w) && strings.EqualFold(model[:len(w)], w) && !unicode.IsLetter(rune(model[len(w)]))
	})
}

// partShaped is a product number's shape among the maker's deeper
// objects: a letter first, hyphenated groups ("VMR-8HD20"), not a
// sensor's or a rail's name ("VBAT3", "VCC 12V").
func partShaped(m string) bool {
	return m != "" && unicode.IsUpper(rune(m[0])) && hyphenatedPart(m) && modelLike(m) && !strings.Contains(m, " ")
}

// deeperColumns returns, for each column of a full first probe (the
// GETBULK answer interleaves them), its last object when that is still in
// the maker's MIB: under its root, or behind a software agent in an
// enterprise other than the agent software's. nil when the answer was cut
// short (the agent truncated it, or v1 ended the walk).
func deeperColumns(roots []string, first []gosnmp.SnmpPDU) []string {
	if len(roots) == 0 || len(first) != len(roots)*vendorProbeRows {
		return nil
	}
	behind := slices.Equal(roots, agentRoots)
	var next []string
	for j, root := range roots {
		last := first[len(first)-len(roots)+j]
		name := strings.TrimPrefix(last.Name, ".")
		if behind {
			root = "1.3.6.1.4.1"
		}
		if last.Type == gosnmp.EndOfMibView || !below(name, root) {
			continue
		}
		if ent, _, _ := strings.Cut(strings.TrimPrefix(name, "1.3.6.1.4.1."), "."); behind && agentOnly[atoi(ent)] {
			continue
		}
		if !slices.Contains(next, name) {
			next = append(next, name)
		}
	}
	return next
}

// firstRows reads the first n rows of each table column: one GETBULK on
// v2c and v3, n GETNEXT rounds on v1 (which has no GETBULK).
func firstRows(sess session, v Version, columns []string, n int) ([]gosnmp.SnmpPDU, error) {
	if len(columns) > maxIdentifyOIDs {
		columns = columns[:maxIdentifyOIDs]
	}
	if v != V1 {
		pkt, err := sess.GetBulk(columns, 0, uint32(n))
		if err != nil {
			return nil, fmt.Errorf("getbulk: %w", err)
		}
		if pkt == nil || pkt.Error != gosnmp.NoError {
			return nil, fmt.Errorf("getbulk refused")
		}
		return pkt.Variables, nil
	}
	var out []gosnmp.SnmpPDU
	next := slices.Clone(columns)
	for range n {
		pkt, err := sess.GetNext(next)
		if err != nil {
			return out, fmt.Errorf("getnext: %w", err)
		}
		if pkt == nil || pkt.Error != gosnmp.NoError || len(pkt.Variables) != len(next) {
			return out, nil // v1 ends a walk with noSuchName (RFC 1157 section 4.1.3)
		}
		out = append(out, pkt.Variables...)
		for i, v := range pkt.Variables {
			next[i] = strings.TrimPrefix(v.Name, ".")
		}
	}
	return out, nil
}

// value is one object an agent returned: its cleaned text.
type value struct {
	text string
	name string // the object's name, for the subtree's objects
	// number: an unsigned number's decimal digits (besideModel)
	number bool
	// elsewhere: an object of the enterprise the walk ran into next
	elsewhere bool
	// repeated: a subtree table cell whose value other rows of its
	// column repeat, a part's type or version, never one device's serial
	repeated bool
	// address: an IpAddress object (walkedObject), a network settings
	// group's
	address bool
	// zeroRow: a row of a table whose index ends in .0 (zeroIndexedRows),
	// one entry of a list, never the device's model
	zeroRow bool
	// pointer: the object identifier an OBJECT IDENTIFIER object holds
	// (walkedObject), for pointingRow
	pointer string
}

// row is one table cell: the row index (the arcs after the column), value
// and its raw octets for the few sources that decode bytes (a MAC
// address, a date): only table cells are read so, and the subtree's and
// walk's many objects do without the copy.
type row struct {
	index string
	value
	raw []byte
}

// values is everything read from one agent for identity.
type values struct {
	vendor  vendorTable // nil: the embedded table
	subtree []value     // the first objects under an unknown enterprise, in walk order
	// subtreeScalars is how many of subtree, at its start, are scalars
	subtreeScalars int
	guessed        subtreeGuesses // the serial and version guesses the model guesses leave alone
	// behindAgent: subtree is the maker's MIB found behind a software
	// agent's sysObjectID (agentRoots)
	behindAgent bool
	descr       string
	sysName     string                   // never a model: a vendor MIB may repeat the host's name
	sysLabels   []string                 // sysLocation and sysContact: an administrator's words, never a model
	sysOID      string                   // the agent's sysObjectID, set by identify
	model       string                   // the model readFields found, for the serial beside it
	walked      map[string]value         // the subtree probe's objects by name, see walkedObject
	probeIdx    *probeIndex              // what addSubtreeN read of the probe's answer, see probeIndex
	walkIndex   *walkIndex               // walked by row, group and column; nil until walkIdx builds it
	guesses     map[guessKey]string      // the guesses' answers since the objects last changed, see guess
	guessStamp  probeStamp               // the objects guesses were read from
	submatches  map[submatchKey][]string // the sources' grammars' answers, see submatch
	matches     map[submatchKey]bool     // the guesses' expressions' answers, see match
	phrases     map[string]string        // phraseVersion's answers by text, see phrased
	modelTexts  map[string]modelText     // modelFromSubtree's readings by text, see modelTextOf
	// modelTextsOf is the sysObjectID and sysDescr modelTexts were read with
	modelTextsOf [2]string
	scalar       map[string]value
	column       map[string][]row // column OID → rows in walk order
	// octets and walkedOctets are the raw octets of the scalars read and
	// of the subtree probe's objects whose text is not all of them (a
	// NUL, a control character): the few vendor rows that decode octets
	// read them (scalarText)
	octets, walkedOctets map[string][]byte
	// maker is the enterprise of the maker's MIB the probe found behind
	// a software agent, whose vendor rows identification then reads
	// (makerRows); 0 when none
	maker int
	// unnamed: the agent answered no sysObjectID at all (a walk of the
	// private tree alone); the maker the probe found stands for it
	unnamed bool

	recogRes recogMatch // the fingerprints' answers, see recog

	// sansParts is descr without its parts' versions (partVersion), cut
	// once from sansPartsOf: two dozen firmware sources read it
	sansParts, sansPartsOf string
	sansPartsCut           bool

	// descrTidy is tidy(descrTidiedOf), the sysDescr, see tidyDescr
	descrTidy, descrTidiedOf string
	descrTidied              bool
	// descrWords are sysDescr's words as modelSerial splits them, split
	// once from descrWordsOf
	descrWords   []string
	descrWordsOf string
	// vendorSrcs is the vendor rows' sources, see vendorSources
	vendorSrcs vendorSrcs
	// standardSrcs is the standard sources, see standardSources
	standardSrcs standardSrcs
	// fieldSrcs is the fields' sources, see fieldSources
	fieldSrcs fieldSrcs
}

// subtreeGuesses keeps the subtree's serial and version guesses for
// the model guesses, which read them once per source; addSubtree clears
// it.
type subtreeGuesses struct {
	_               [0]func() // not comparable: no equality function linked
	ok              bool
	serial, version string
}

func newValues(descr string) *values {
	return &values{descr: descr, scalar: map[string]value{}, column: map[string][]row{}}
}

func (vs *values) addScalars(vars []gosnmp.SnmpPDU) {
	for _, v := range vars {
		if val, ok := decodeValue(v); ok {
			vs.scalar[strings.TrimPrefix(v.Name, ".")] = val
			vs.octets = keepOctets(vs.octets, v)
		}
	}
}

// keepOctets files v's raw octets in m (made when first needed) when its
// text does not say all of them, or v is LLDP-MIB's capabilities (BITS,
// whose " " or "(" the text trims), at most 64 objects: the rest of an
// answer is text.
func keepOctets(m map[string][]byte, v gosnmp.SnmpPDU) map[string][]byte {
	raw, ok := octetString(v)
	if !ok || printableASCII(raw) && !lldpCapsObject(v.Name) || len(m) >= 64 {
		return m
	}
	if m == nil {
		m = map[string][]byte{}
	}
	m[strings.TrimPrefix(v.Name, ".")] = slices.Clone(raw)
	return m
}

// addRows files a GETBULK or GETNEXT answer under the columns asked for,
// dropping what lies past a column's end (a walk runs into the next one).
func (vs *values) addRows(columns []string, vars []gosnmp.SnmpPDU) {
	for _, v := range vars {
		name := strings.TrimPrefix(v.Name, ".")
		val, ok := decodeValue(v)
		if !ok {
			continue
		}
		for _, c := range columns {
			if below(name, c) {
				idx := name[len(c)+1:]
				if len(vs.column[c]) < 64 && !slices.ContainsFunc(vs.column[c], func(r row) bool { return r.index == idx }) {
					vs.column[c] = append(vs.column[c], row{index: idx, value: val, raw: rawOctets(v)})
				}
				break
			}
		}
	}
}

// octetString is an octet string varbind's bytes, at most maxText of them
// (false for another type or a value gosnmp gave in another Go type).
func octetString(v gosnmp.SnmpPDU) ([]byte, bool) {
	if v.Type != gosnmp.OctetString {
		return nil, false
	}
	var raw []byte
	switch b := v.Value.(type) {
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		return nil, false
	}
	return raw[:min(len(raw), maxText)], true
}

// rawOctets is a copy of an octet string's bytes as decodeValue reads them
// (at most maxText), nil for other types.
func rawOctets(v gosnmp.SnmpPDU) []byte {
	raw, _ := octetString(v)
	return slices.Clone(raw)
}

// decodeValue turns a varbind into a value; exceptions and types that
// carry no text report false. Numbers become their decimal text.
func decodeValue(v gosnmp.SnmpPDU) (value, bool) {
	if isException(v.Type) {
		return value{}, false
	}
	switch v.Type {
	case gosnmp.OctetString:
		raw, ok := octetString(v)
		if !ok {
			return value{}, false
		}
		return value{text: hexWordText(cleanText(raw))}, true
	case gosnmp.ObjectIdentifier:
		s, _ := v.Value.(string)
		s = strings.TrimPrefix(s, ".")
		if !isDottedOID(s) {
			return value{}, false
		}
		return value{text: s}, true
	case gosnmp.Integer, gosnmp.Gauge32, gosnmp.Counter32, gosnmp.Uinteger32, gosnmp.TimeTicks, gosnmp.Counter64:
		switch n := v.Value.(type) { // gosnmp.ToBigInt's types, in decimal without a big.Int
		case int:
			return value{text: strconv.FormatInt(int64(n), 10)}, true
		case int32:
			return value{text: strconv.FormatInt(int64(n), 10)}, true
		case int64:
			return value{text: strconv.FormatInt(n, 10)}, true
		case uint:
			return value{text: strconv.FormatInt(int64(n), 10)}, true // as ToBigInt: above MaxInt64 negative
		case uint32:
			return value{text: strconv.FormatUint(uint64(n), 10)}, true
		case uint64:
			return value{text: strconv.FormatUint(n, 10)}, true
		}
	}
	return value{}, false
}

// readingCells are the table cells of a subtree answer that hold a
// decimal number in a table that holds three or more: a sensor table's
// readings and thresholds ("3.0940", "5.014" volts; "15.00", "9.90",
// "-5.20" dBm, Alpine's amplifier), never the device's version. A cell's
// table is its name without three arcs: the table of a one-arc index,
// the entry of a two-arc one. On setC's development families scored
// blind, firmware 574 → 575 of 657; two wrong versions become none.
func readingCells(vars []gosnmp.SnmpPDU) map[string]bool {
	table := readingCellTable
	n := map[string]int{}
	var cells []string
	for _, v := range vars {
		if b, ok := v.Value.([]byte); ok && !strings.HasSuffix(v.Name, ".0") && decimalText(string(b)) {
			n[table(v.Name)]++
			cells = append(cells, v.Name)
		}
	}
	out := map[string]bool{}
	for _, c := range cells {
		if n[table(c)] >= 3 {
			out[c] = true
		}
	}
	return out
}

// readingCellTable is a cell's table for readingCells: its name less its
// last three arcs, a substring ("" when it has no more).
func readingCellTable(name string) string {
	name = strings.TrimPrefix(name, ".")
	end := len(name)
	for range 3 {
		if end = strings.LastIndexByte(name[:end], '.'); end < 0 {
			return ""
		}
	}
	return name[:end]
}

// decimalText reports a bare decimal number, the way a sensor table
// gives its readings as text ("3.0940", "-51.0", "11.770").
func decimalText(s string) bool {
	whole, frac, ok := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	return ok && whole != "" && frac != "" && isDigits(whole) && isDigits(frac)
}
