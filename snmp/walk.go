package snmp

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gosnmp/gosnmp"
)

// defaultMaxWalkRows bounds one walk: a 48-port switch's whole IF-MIB is a
// few thousand objects, a core switch's forwarding table some tens of
// thousands; past this an agent is feeding an endless table.
const defaultMaxWalkRows = 100000

// Walk errors. A walk that ends with one of them still hands over every
// object read before the fault.
var (
	// ErrNotIncreasing: the agent answered an object that does not follow
	// the one asked after (RFC 3416 section 4.2.2 requires it to), the
	// sign of a broken agent that would loop forever.
	ErrNotIncreasing = errors.New("agent returned an object out of order")
	// ErrTooManyRows: the walk hit Config.MaxWalkRows or
	// Config.MaxWalkBytes.
	ErrTooManyRows = errors.New("walk size limit reached")
)

// walker walks subtrees on one open session.
type walker struct {
	_       [0]func() // not comparable: no equality function linked
	sess    session
	version Version
	maxRep  int
	maxRows int
	// maxBytes bounds the octets of the values one walk hands over, so
	// an agent sending huge values cannot fill memory within maxRows.
	maxBytes int
	ctx      context.Context
	bytes    int
}

// newWalker is a walker on sess with the poller's limits. Its byte budget
// covers every walk made with it: one device's session.
func (p *Poller) newWalker(ctx context.Context, sess session, v Version) *walker {
	return &walker{sess: sess, version: v, maxRep: p.cfg.MaxRepetitions, maxRows: p.cfg.MaxWalkRows, maxBytes: p.cfg.MaxWalkBytes, ctx: ctx}
}

// walk hands every object under root to fn, in order, with GETBULK on v2c
// and v3 and GETNEXT on v1. It stops at the end of the subtree, at the end
// of the MIB view, when fn returns false, when ctx ends, or when the agent
// misbehaves: an object that does not strictly follow the previous one
// (loops), an empty answer, or more than maxRows objects (endless tables).
func (w *walker) walk(root string, fn func(gosnmp.SnmpPDU) bool) error {
	root = strings.TrimPrefix(root, ".")
	rootArcs, err := parseOID(root)
	if err != nil {
		return fmt.Errorf("walk %s: %w", root, err)
	}
	last := rootArcs
	cursor := root
	if len(rootArcs) == 1 {
		cursor += ".0" // BER cannot encode a one-arc OID; nothing is named x.0 at the top
	}
	rows := 0
	for {
		if err := ctxDone(w.ctx); err != nil {
			return fmt.Errorf("walk %s: %w", root, err)
		}
		var pkt *gosnmp.SnmpPacket
		if w.version == V1 {
			pkt, err = w.sess.GetNext([]string{cursor})
		} else {
			pkt, err = w.sess.GetBulk([]string{cursor}, 0, uint32(w.maxRep))
		}
		if err != nil {
			return fmt.Errorf("walk %s: %w", root, err)
		}
		if pkt == nil || len(pkt.Variables) == 0 {
			return nil // nothing more, or an agent that answers nothing
		}
		if pkt.Error == gosnmp.TooBig && w.version != V1 && w.maxRep > 1 {
			w.maxRep /= 2 // the answer would not fit the agent's buffer: ask for fewer
			continue
		}
		if pkt.Error != gosnmp.NoError {
			if w.version == V1 && pkt.Error == gosnmp.NoSuchName {
				return nil // v1 ends a walk this way (RFC 1157 section 4.1.3)
			}
			return fmt.Errorf("walk %s: %w", root, &agentError{status: pkt.Error, index: pkt.ErrorIndex})
		}
		for _, v := range pkt.Variables {
			if v.Type == gosnmp.EndOfMibView || v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance {
				return nil
			}
			name := strings.TrimPrefix(v.Name, ".")
			arcs, err := parseOID(name)
			if err != nil {
				return fmt.Errorf("walk %s: agent sent a bad name: %w", root, err)
			}
			if !hasPrefix(arcs, rootArcs) {
				return nil // past the subtree
			}
			if compareArcs(arcs, last) <= 0 {
				return fmt.Errorf("walk %s: %w: %s after %s", root, ErrNotIncreasing, name, formatArcs(last))
			}
			last = arcs
			rows++
			if rows > w.maxRows {
				return fmt.Errorf("walk %s: %w (%d objects)", root, ErrTooManyRows, w.maxRows)
			}
			if err := w.count(v); err != nil {
				return fmt.Errorf("walk %s: %w", root, err)
			}
			if !fn(v) {
				return nil
			}
			cursor = name
		}
	}
}

// count adds v's size to the walk's byte budget.
func (w *walker) count(v gosnmp.SnmpPDU) error {
	n := len(v.Name) + 16
	switch x := v.Value.(type) {
	case []byte:
		n += len(x)
	case string:
		n += len(x)
	}
	w.bytes += n
	if w.maxBytes > 0 && w.bytes > w.maxBytes {
		return fmt.Errorf("%w (%d bytes)", ErrTooManyRows, w.maxBytes)
	}
	return nil
}

// parseOID reads a dotted numeric OID into arcs; it refuses empty arcs,
// non-digits, arcs past 32 bits and more than 128 arcs (RFC 2578 section
// 3.5 caps OIDs at 128 sub-identifiers).
func parseOID(s string) ([]uint32, error) {
	s = strings.TrimPrefix(s, ".")
	if s == "" {
		return nil, errors.New("empty object identifier")
	}
	arcs := make([]uint32, 0, 16)
	for a := range strings.SplitSeq(s, ".") {
		n, err := strconv.ParseUint(a, 10, 32)
		if err != nil || a == "" || a[0] == '+' {
			return nil, fmt.Errorf("%.40q is not an object identifier", s)
		}
		arcs = append(arcs, uint32(n))
		if len(arcs) > 128 {
			return nil, fmt.Errorf("object identifier longer than 128 arcs")
		}
	}
	return arcs, nil
}

func hasPrefix(arcs, prefix []uint32) bool {
	if len(arcs) < len(prefix) {
		return false
	}
	for i := range prefix {
		if arcs[i] != prefix[i] {
			return false
		}
	}
	return true
}

// compareArcs orders OIDs lexicographically by arc, as agents do.
func compareArcs(a, b []uint32) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		switch {
		case a[i] < b[i]:
			return -1
		case a[i] > b[i]:
			return 1
		}
	}
	return len(a) - len(b)
}

func formatArcs(a []uint32) string {
	var b strings.Builder
	for i, n := range a {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.FormatUint(uint64(n), 10))
	}
	return b.String()
}

// walkOn opens a session to ip with cred (in SNMP context sctx, if any) and
// walks root on it.
func (p *Poller) walkOn(ctx context.Context, ip netip.Addr, cred credential, sctx, root string, fn func(gosnmp.SnmpPDU) bool) error {
	sess, err := p.open(ctx, ip, cred, sctx)
	if err != nil {
		return err
	}
	defer sess.Close()
	return p.newWalker(ctx, sess, cred.version).walk(root, fn)
}

// cell is one value of a table walked by columns.
type cell struct {
	column int    // position in the columns asked for
	index  string // the row index: the arcs after the column
	pdu    gosnmp.SnmpPDU
}

// walkColumns walks several columns of one table side by side, each
// GETBULK asking for the next rows of every unfinished column (GETNEXT on
// v1), so a table costs about rows×columns/maxRep requests and the columns
// nobody reads are never fetched. Every column is held to the walk rules:
// strictly increasing, inside its column, maxRows objects in all.
func (w *walker) walkColumns(columns []string, fn func(cell) bool) error {
	cols := make([]*walkColumn, len(columns))
	for i, c := range columns {
		c = strings.TrimPrefix(c, ".")
		arcs, err := parseOID(c)
		if err != nil {
			return fmt.Errorf("walk %s: %w", c, err)
		}
		cols[i] = &walkColumn{root: arcs, prefix: c + ".", cursor: c, last: arcs}
	}
	rows := 0
	for {
		if err := ctxDone(w.ctx); err != nil {
			return fmt.Errorf("walk table: %w", err)
		}
		var open []int
		var oids []string
		for i, c := range cols {
			if !c.done {
				open = append(open, i)
				oids = append(oids, c.cursor)
			}
		}
		if len(open) == 0 {
			return nil
		}
		if len(oids) > maxIdentifyOIDs {
			open, oids = open[:maxIdentifyOIDs], oids[:maxIdentifyOIDs]
		}
		vars, retry, err := w.nextRows(oids)
		if err != nil || retry || len(vars) == 0 {
			if retry {
				continue
			}
			return err
		}
		progress := false
		// GETBULK answers are laid out row by row: varbind i belongs to
		// the (i mod len(oids))th column asked for (RFC 3416 4.2.3).
		for i, v := range vars {
			ci := open[i%len(open)]
			ok, err := cols[ci].take(v)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			progress = true
			if rows++; rows > w.maxRows {
				return fmt.Errorf("walk table: %w (%d objects)", ErrTooManyRows, w.maxRows)
			}
			if err := w.count(v); err != nil {
				return fmt.Errorf("walk table: %w", err)
			}
			if !fn(cell{column: ci, index: strings.TrimPrefix(v.Name, ".")[len(cols[ci].prefix):], pdu: v}) {
				return nil
			}
		}
		if !progress {
			return nil
		}
	}
}

// walkColumn is one column's progress in walkColumns.
type walkColumn struct {
	root   []uint32
	prefix string
	cursor string
	last   []uint32
	done   bool
}

// take accepts v as the column's next object (true), or ends the column
// when v lies past it (false); an object that does not follow the last
// one is an error.
func (c *walkColumn) take(v gosnmp.SnmpPDU) (bool, error) {
	if c.done {
		return false, nil
	}
	if v.Type == gosnmp.EndOfMibView || v.Type == gosnmp.NoSuchObject || v.Type == gosnmp.NoSuchInstance {
		c.done = true
		return false, nil
	}
	name := strings.TrimPrefix(v.Name, ".")
	arcs, err := parseOID(name)
	if err != nil {
		return false, fmt.Errorf("walk table: agent sent a bad name: %w", err)
	}
	if !hasPrefix(arcs, c.root) || len(arcs) == len(c.root) {
		c.done = true
		return false, nil
	}
	if compareArcs(arcs, c.last) <= 0 {
		return false, fmt.Errorf("walk %s: %w: %s after %s", formatArcs(c.root), ErrNotIncreasing, name, formatArcs(c.last))
	}
	c.last, c.cursor = arcs, name
	return true, nil
}

// nextRows asks for the objects after oids: one GETBULK (GETNEXT on v1).
// retry reports a tooBig answer after which maxRep was halved; no
// variables and no error is the end of the walk (v1's noSuchName too).
func (w *walker) nextRows(oids []string) (vars []gosnmp.SnmpPDU, retry bool, err error) {
	var pkt *gosnmp.SnmpPacket
	if w.version == V1 {
		pkt, err = w.sess.GetNext(oids)
	} else {
		pkt, err = w.sess.GetBulk(oids, 0, uint32(max(1, w.maxRep/len(oids))))
	}
	if err != nil {
		return nil, false, fmt.Errorf("walk table: %w", err)
	}
	if pkt == nil || len(pkt.Variables) == 0 {
		return nil, false, nil
	}
	if pkt.Error == gosnmp.TooBig && w.version != V1 && w.maxRep > len(oids) {
		w.maxRep /= 2
		return nil, true, nil
	}
	if pkt.Error != gosnmp.NoError {
		if w.version == V1 && pkt.Error == gosnmp.NoSuchName {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("walk table: %w", &agentError{status: pkt.Error, index: pkt.ErrorIndex})
	}
	return pkt.Variables, false, nil
}

// tableOn walks columns of one table on ip and returns its rows: index →
// one value per column (zero PDUs where a row lacks a column).
func (p *Poller) tableOn(ctx context.Context, ip netip.Addr, cred credential, sctx string, columns []string) (map[string][]gosnmp.SnmpPDU, []string, error) {
	sess, err := p.open(ctx, ip, cred, sctx)
	if err != nil {
		return nil, nil, err
	}
	defer sess.Close()
	return p.newWalker(ctx, sess, cred.version).table(columns)
}

// table is walkColumns gathered into rows, in index order of first sight.
func (w *walker) table(columns []string) (map[string][]gosnmp.SnmpPDU, []string, error) {
	rows := map[string][]gosnmp.SnmpPDU{}
	var order []string
	err := w.walkColumns(columns, func(c cell) bool {
		r, ok := rows[c.index]
		if !ok {
			r = make([]gosnmp.SnmpPDU, len(columns))
			rows[c.index] = r
			order = append(order, c.index)
		}
		r[c.column] = c.pdu
		return true
	})
	return rows, order, err
}
