package snmp

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gosnmp/gosnmp"

	"tend/inventory"
)

// Tables health reads, as the columns walked.
var (
	// IF-MIB ifTable (RFC 2863): descr, speed, physAddress, admin and
	// oper status, 32-bit octets, discards, errors.
	ifColumns = prefixed("1.3.6.1.2.1.2.2.1.", 2, 5, 6, 7, 8, 10, 13, 14, 16, 19, 20)
	// IF-MIB ifXTable: name, 64-bit octets, high speed, alias.
	ifXColumns = prefixed("1.3.6.1.2.1.31.1.1.1.", 1, 6, 10, 15, 18)
	// HOST-RESOURCES-MIB hrStorageTable (RFC 2790): type, descr,
	// allocation units, size, used.
	hrStorageColumns = prefixed("1.3.6.1.2.1.25.2.3.1.", 2, 3, 4, 5, 6)
	// Printer-MIB prtMarkerSuppliesTable (RFC 3805): type, descr, unit,
	// max capacity, level.
	supplyColumns = prefixed("1.3.6.1.2.1.43.11.1.1.", 5, 6, 7, 8, 9)
	// SYNOLOGY-DISK-MIB diskTable: id, model, status, temperature.
	synoDiskColumns = prefixed("1.3.6.1.4.1.6574.2.1.1.", 2, 3, 5, 6)
	// SYNOLOGY-RAID-MIB raidTable: name, status.
	synoRaidColumns = prefixed("1.3.6.1.4.1.6574.3.1.1.", 2, 3)
	// UPS-MIB (RFC 1628): battery status, minutes and charge remaining,
	// output source.
	upsScalars = []string{"1.3.6.1.2.1.33.1.2.1.0", "1.3.6.1.2.1.33.1.2.3.0", "1.3.6.1.2.1.33.1.2.4.0", "1.3.6.1.2.1.33.1.4.1.0"}
	// PowerNet-MIB (APC): basic battery status, last replaced, capacity,
	// runtime (TimeTicks), replace indicator, output status.
	// high-precision capacity (tenths of a percent).
	apcScalars = []string{"1.3.6.1.4.1.318.1.1.1.2.1.1.0", "1.3.6.1.4.1.318.1.1.1.2.1.3.0", "1.3.6.1.4.1.318.1.1.1.2.2.1.0",
		"1.3.6.1.4.1.318.1.1.1.2.2.3.0", "1.3.6.1.4.1.318.1.1.1.2.2.4.0", "1.3.6.1.4.1.318.1.1.1.4.1.1.0",
		"1.3.6.1.4.1.318.1.1.1.2.3.1.0"}
)

func prefixed(p string, cols ...int) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = p + strconv.Itoa(c)
	}
	return out
}

// maxHealthRows bounds each list in a Health, whatever the agent reports.
const maxHealthRows = 4096

// health reads the tables that apply to a device of type typ from family
// fam, best effort: a table the agent lacks, refuses or garbles leaves its
// part empty, and the first error is returned with what was read.
func (p *Poller) health(ctx context.Context, ip netip.Addr, cred credential, typ inventory.DeviceType, sysObjectID string) (*inventory.Health, error) {
	sess, err := p.open(ctx, ip, cred, "")
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	w := p.newWalker(ctx, sess, cred.version)
	h := &inventory.Health{}
	var firstErr error
	keep := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	ifRows, ifOrder, err := w.table(ifColumns)
	keep(err)
	var ifxRows map[string][]gosnmp.SnmpPDU
	if len(ifRows) > 0 {
		ifxRows, _, err = w.table(ifXColumns)
		keep(err)
	}
	h.Interfaces = interfaces(ifRows, ifOrder, ifxRows)

	rows, order, err := w.table(hrStorageColumns)
	keep(err)
	h.Storage = storage(rows, order)

	if typ == inventory.TypePrinter {
		rows, order, err := w.table(supplyColumns)
		keep(err)
		h.Supplies = supplies(rows, order)
	}
	if typ == inventory.TypeNAS {
		rows, order, err := w.table(synoDiskColumns)
		keep(err)
		h.Disks = synologyDisks(rows, order)
		rows, order, err = w.table(synoRaidColumns)
		keep(err)
		h.Volumes = synologyVolumes(rows, order)
	}
	if typ == inventory.TypeUPS {
		oids := upsScalars
		if underOID(sysObjectID, "1.3.6.1.4.1.318") {
			oids = slices.Concat(apcScalars, upsScalars)
		}
		vars, err := getAll(sess, oids)
		keep(err)
		h.Battery = battery(vars, p.cfg.Now())
	}
	return h, firstErr
}

func interfaces(rows map[string][]gosnmp.SnmpPDU, order []string, xrows map[string][]gosnmp.SnmpPDU) []inventory.Interface {
	var out []inventory.Interface
	for _, idx := range order {
		if len(out) >= maxHealthRows {
			break
		}
		n, err := strconv.Atoi(idx)
		if err != nil || n <= 0 {
			continue
		}
		r := rows[idx]
		in := inventory.Interface{Index: n, Name: pduText(r[0]), MAC: pduMAC(r[2])}
		if s, ok := pduUint(r[1]); ok {
			in.SpeedBps = s
		}
		admin, _ := pduInt(r[3])
		oper, _ := pduInt(r[4])
		in.AdminUp, in.OperUp = admin == 1, oper == 1
		in.InOctets, _ = pduUint(r[5])
		in.InDiscards, _ = pduUint(r[6])
		in.InErrors, _ = pduUint(r[7])
		in.OutOctets, _ = pduUint(r[8])
		in.OutDiscards, _ = pduUint(r[9])
		in.OutErrors, _ = pduUint(r[10])
		if x := xrows[idx]; x != nil {
			if name := pduText(x[0]); name != "" {
				in.Name = name
			}
			if v, ok := pduUint(x[1]); ok {
				in.InOctets = v
			}
			if v, ok := pduUint(x[2]); ok {
				in.OutOctets = v
			}
			if v, ok := pduUint(x[3]); ok && v > 0 && (in.SpeedBps == 0 || in.SpeedBps == 1<<32-1) {
				in.SpeedBps = v * 1_000_000 // ifHighSpeed is in Mb/s
			}
			in.Alias = pduText(x[4])
		}
		out = append(out, in)
	}
	return out
}

// hrStorageTypes that are places data lives (RFC 2790 hrStorageTypes):
// ram(2), fixedDisk(4), removableDisk(5), flashMemory(9), networkDisk(10).
var hrStorageKinds = map[string]bool{
	"1.3.6.1.2.1.25.2.1.2": true, "1.3.6.1.2.1.25.2.1.4": true, "1.3.6.1.2.1.25.2.1.5": true,
	"1.3.6.1.2.1.25.2.1.9": true, "1.3.6.1.2.1.25.2.1.10": true,
}

func storage(rows map[string][]gosnmp.SnmpPDU, order []string) []inventory.StorageUse {
	var out []inventory.StorageUse
	for _, idx := range order {
		if len(out) >= maxHealthRows {
			break
		}
		r := rows[idx]
		kind, _ := decodeOID(r[0])
		unit, ok1 := pduUint(r[2])
		size, ok2 := pduUint(r[3])
		used, ok3 := pduUint(r[4])
		if !hrStorageKinds[kind] || !ok1 || !ok2 || !ok3 || size == 0 || unit == 0 || unit > 1<<20 || size > 1<<43 {
			continue // hrStorageSize is an Integer32; more is an agent lying
		}
		out = append(out, inventory.StorageUse{Name: pduText(r[1]), SizeBytes: size * unit, UsedBytes: min(used, size) * unit})
	}
	return out
}

// supplyKinds names prtMarkerSuppliesType values (RFC 3805 / IANA
// Printer-MIB PrtMarkerSuppliesTypeTC).
var supplyKinds = map[int]string{
	3: "toner", 4: "waste", 5: "ink", 6: "ink", 7: "ribbon", 8: "waste", 9: "drum", 10: "developer",
	11: "fuser", 12: "fuser", 15: "fuser", 18: "staples", 20: "transfer", 21: "toner", 22: "fuser",
}

func supplies(rows map[string][]gosnmp.SnmpPDU, order []string) []inventory.Supply {
	var out []inventory.Supply
	for _, idx := range order {
		if len(out) >= maxHealthRows {
			break
		}
		r := rows[idx]
		typ, _ := pduInt(r[0])
		kind := supplyKinds[typ]
		if kind == "" {
			kind = supplyKindFromName(pduText(r[1]))
		}
		maxCap, ok1 := pduInt(r[3])
		level, ok2 := pduInt(r[4])
		if !ok2 {
			continue
		}
		pct := -1.0 // -3 "some remaining", -2 unknown, or no capacity
		if ok1 && maxCap > 0 && level >= 0 {
			pct = min(100, 100*float64(level)/float64(maxCap))
		}
		if ok1 && maxCap == -2 && level >= 0 && level <= 100 {
			pct = float64(level) // some printers give the level as a percentage without a capacity
		}
		name := pduText(r[1])
		if name == "" {
			name = kind + " " + idx
		}
		out = append(out, inventory.Supply{Name: name, Kind: kind, Percent: pct})
	}
	return out
}

// supplyKindFromName guesses a supply's kind from its description when
// the printer leaves prtMarkerSuppliesType out or says other(1).
func supplyKindFromName(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "waste"):
		return "waste"
	case strings.Contains(n, "drum"), strings.Contains(n, "opc"), strings.Contains(n, "imaging"):
		return "drum"
	case strings.Contains(n, "toner"), strings.Contains(n, "cartridge") && !strings.Contains(n, "ink"):
		return "toner"
	case strings.Contains(n, "ink"):
		return "ink"
	case strings.Contains(n, "fuser"):
		return "fuser"
	}
	return "other"
}

func synologyDisks(rows map[string][]gosnmp.SnmpPDU, order []string) []inventory.Disk {
	var out []inventory.Disk
	for _, idx := range order {
		if len(out) >= maxHealthRows {
			break
		}
		r := rows[idx]
		st, ok := pduInt(r[2])
		if !ok {
			continue
		}
		status := "warning" // 2 initialized, 3 not initialized
		switch st {
		case 1:
			status = "normal"
		case 4, 5:
			status = "failed" // system partition failed, crashed
		}
		temp, _ := pduInt(r[3])
		out = append(out, inventory.Disk{Name: pduText(r[0]), Model: tidy(pduText(r[1])), Status: status, TempC: temp})
	}
	return out
}

func synologyVolumes(rows map[string][]gosnmp.SnmpPDU, order []string) []inventory.Volume {
	var out []inventory.Volume
	for _, idx := range order {
		if len(out) >= maxHealthRows {
			break
		}
		r := rows[idx]
		st, ok := pduInt(r[1])
		if !ok {
			continue
		}
		status := "normal" // 1 normal and the maintenance states (repairing, scrubbing, expanding…)
		switch st {
		case 11:
			status = "degraded"
		case 12:
			status = "failed"
		}
		out = append(out, inventory.Volume{Name: pduText(r[0]), Status: status})
	}
	return out
}

// battery reads UPS-MIB and, when present, APC PowerNet (which wins: it
// knows the replace flag and the last replacement date).
func battery(vars []gosnmp.SnmpPDU, now time.Time) *inventory.Battery {
	by := map[string]gosnmp.SnmpPDU{}
	for _, v := range vars {
		if !isException(v.Type) {
			by[strings.TrimPrefix(v.Name, ".")] = v
		}
	}
	if len(by) == 0 {
		return nil
	}
	b := &inventory.Battery{Status: "unknown"}
	if st, ok := pduInt(by[upsScalars[0]]); ok {
		b.Status = map[int]string{2: "normal", 3: "low", 4: "depleted"}[st]
	}
	if m, ok := pduInt(by[upsScalars[1]]); ok {
		b.RuntimeMinutes = m
	}
	if c, ok := pduInt(by[upsScalars[2]]); ok && c <= 100 {
		b.ChargePercent = c
	}
	if src, ok := pduInt(by[upsScalars[3]]); ok {
		b.OnBattery = src == 5 // battery(5)
	}
	if st, ok := pduInt(by[apcScalars[0]]); ok {
		b.Status = map[int]string{2: "normal", 3: "low", 4: "depleted"}[st]
	}
	if d := parseAPCDate(pduText(by[apcScalars[1]]), now); d != nil {
		b.LastReplaced = d
	}
	if c, ok := pduInt(by[apcScalars[2]]); ok && c <= 100 {
		b.ChargePercent = c
	}
	if c, ok := pduInt(by[apcScalars[6]]); ok && c <= 1000 {
		b.ChargePercent = c / 10
	}
	if t, ok := pduUint(by[apcScalars[3]]); ok {
		b.RuntimeMinutes = int(t / 100 / 60)
	}
	if r, ok := pduInt(by[apcScalars[4]]); ok {
		b.ReplaceNeeded = r == 2 // batteryNeedsReplacing(2)
	}
	if o, ok := pduInt(by[apcScalars[5]]); ok {
		b.OnBattery = o == 3 // onBattery(3)
	}
	if b.Status == "" {
		b.Status = "unknown"
	}
	return b
}

// parseAPCDate reads PowerNet's mm/dd/yy or mm/dd/yyyy; a date in the
// future or before 1990 is a clock the card never had set, and is dropped.
func parseAPCDate(s string, now time.Time) *time.Time {
	for _, layout := range []string{"01/02/2006", "01/02/06", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1990 || t.After(now) {
				return nil
			}
			return &t
		}
	}
	return nil
}
