package snmp

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"
)

// The sibling probe is identity's sixth request, sent only when five
// left the model unknown or a last resort (a Linux banner's processor
// family) and the subtree continuation was cut short inside a group of
// the maker's MIB: a management controller's or an appliance's MIB lists
// its sensors' tables before its vital product data (Lenovo XClarity's
// temperatures, voltages and fans in 19046.11.1.1.1 to .3, the machine's
// type, serial and firmware in .5), and pastGroup, which skips the whole
// group, skips those too. One GETBULK starts at each of the next
// siblingGroups subtrees after the one the walk was cut in, a few objects
// each: the first objects of every following table, and of a group of
// scalars all of it.
const (
	siblingGroups = 4
	siblingRows   = 4
)

// cutShort is the last object of the continuation's own columns (the
// first nNext of its nCols interleaved columns) when the answer was full
// and that object is still under a root: where the walk stopped inside
// the maker's MIB. "" when the continuation ran out of it.
func cutShort(roots []string, more []gosnmp.SnmpPDU, nCols, nNext int) string {
	if nCols == 0 || len(more) != nCols*vendorProbeRows {
		return ""
	}
	for j := range nNext {
		last := more[len(more)-nCols+j]
		name := strings.TrimPrefix(last.Name, ".")
		if last.Type == gosnmp.EndOfMibView || isException(last.Type) {
			continue
		}
		if slices.ContainsFunc(roots, func(r string) bool { return below(name, r) }) {
			return name
		}
	}
	return ""
}

// siblingStarts are the subtrees after the one name lies in, one level
// below the group pastGroup skips (1.3.6.1.4.1.E.a.b.c.d: d+1 to
// d+siblingGroups). nil when name is no deeper than that.
func siblingStarts(name string) []string {
	const arcs = 7 + 3 // as pastGroup
	parts := strings.Split(name, ".")
	if len(parts) <= arcs+1 || !strings.HasPrefix(name, "1.3.6.1.4.1.") {
		return nil
	}
	d, err := strconv.ParseUint(parts[arcs], 10, 32)
	if err != nil || d+siblingGroups > 1<<32-1 {
		return nil
	}
	group := strings.Join(parts[:arcs], ".")
	starts := make([]string, 0, siblingGroups)
	for i := range uint64(siblingGroups) {
		starts = append(starts, group+"."+strconv.FormatUint(d+1+i, 10))
	}
	return starts
}

// probeSiblings sends the sibling probe from cut and files what it finds
// beside kept, the objects the first probe and its continuation left in
// the subtree, the way the continuation's are kept (identityShaped). It
// reports whether it read.
func (p *Poller) probeSiblings(ctx context.Context, sess session, v Version, roots []string, kept []gosnmp.SnmpPDU, cut string, vals *values) bool {
	starts := siblingStarts(cut)
	if len(starts) == 0 || ctxDone(ctx) != nil {
		return false
	}
	more, err := firstRows(sess, v, starts, siblingRows)
	if err != nil {
		p.log.Debug("snmp vendor sibling probe failed", "err", err)
	}
	if len(more) == 0 {
		return false
	}
	// Neighbouring starts walk into the same objects: each once, in
	// name order, or identityShaped would take a scalar read twice for
	// a column of two rows.
	seen := map[string]bool{}
	more = slices.DeleteFunc(slices.Clone(more), func(v gosnmp.SnmpPDU) bool {
		n := strings.TrimPrefix(v.Name, ".")
		if seen[n] || isException(v.Type) {
			return true
		}
		seen[n] = true
		return false
	})
	slices.SortStableFunc(more, func(a, b gosnmp.SnmpPDU) int { return compareOIDs(a.Name, b.Name) })
	vals.addSubtreeN(roots, slices.Concat(kept, identityShaped(more)), 3*vendorProbeRows+len(starts)*siblingRows)
	return true
}

// compareOIDs orders two dotted object names arc by arc.
func compareOIDs(a, b string) int {
	x, y := strings.Split(strings.TrimPrefix(a, "."), "."), strings.Split(strings.TrimPrefix(b, "."), ".")
	for i := range min(len(x), len(y)) {
		m, _ := strconv.ParseUint(x[i], 10, 64)
		n, _ := strconv.ParseUint(y[i], 10, 64)
		if m != n {
			if m < n {
				return -1
			}
			return 1
		}
	}
	return len(x) - len(y)
}

// siblingIdentity is deeper, the identity read after the sibling probe,
// prepared for id.fillFrom: the probe is sent for the model, so a model it
// finds where id's is a last resort replaces it (a BMC's "ThinkSystem
// SR250" over its Linux banner's "Generic ARMv7").
func (vs *values) siblingIdentity(id, deeper identity) identity {
	if id.fallbackModel && deeper.Model != "" && !deeper.fallbackModel {
		deeper.makerModel = true
	}
	return deeper
}
