package snmp

import (
	"fmt"
	"slices"
	"strings"

	classify "tend/identity"
	"tend/inventory"
)

// librenmsTypes maps LibreNMS's coarse device type (the manifest's type)
// onto the tend types that agree with it. A LibreNMS type with no entry
// has no meaningful tend counterpart (appliance, timing, loadbalancer,
// encoder): its devices count for typed % only. tend has no PDU type: a
// PDU, like a UPS, is power gear, and ups is its nearest kind.
var librenmsTypes = map[string][]inventory.DeviceType{
	"network":     {inventory.TypeSwitch, inventory.TypeRouter, inventory.TypeFirewall},
	"firewall":    {inventory.TypeFirewall},
	"wireless":    {inventory.TypeAP},
	"power":       {inventory.TypeUPS},
	"printer":     {inventory.TypePrinter},
	"storage":     {inventory.TypeNAS, inventory.TypeServer},
	"server":      {inventory.TypeServer, inventory.TypeHypervisor, inventory.TypeWorkstation},
	"management":  {inventory.TypeServer},
	"camera":      {inventory.TypeCamera},
	"environment": {inventory.TypeIoT},
	"sensor":      {inventory.TypeIoT},
}

// typeTally counts typed devices and agreement with LibreNMS's type.
type typeTally struct {
	devices, typed, mapped, agree, mappedTyped int
}

func (t *typeTally) add(truth string, got inventory.DeviceType) {
	t.devices++
	typed := got != "" && got != inventory.TypeUnknown
	if typed {
		t.typed++
	}
	if want, ok := librenmsTypes[truth]; ok {
		t.mapped++
		if typed {
			t.mappedTyped++
		}
		if slices.Contains(want, got) {
			t.agree++
		}
	}
}

func pctOf(n, d int) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d (%.0f %%)", n, d, 100*float64(n)/float64(d))
}

// typeResult is the type figure of one graded run, overall and per
// LibreNMS type.
type typeResult struct {
	all    typeTally
	byType map[string]*typeTally
}

func (r *typeResult) add(truth string, got inventory.DeviceType) {
	if r.byType == nil {
		r.byType = map[string]*typeTally{}
	}
	if truth == "" {
		truth = "(none)"
	}
	r.all.add(truth, got)
	if r.byType[truth] == nil {
		r.byType[truth] = &typeTally{}
	}
	r.byType[truth].add(truth, got)
}

// section is the markdown of the type figure.
func (r *typeResult) section() string {
	var b strings.Builder
	b.WriteString("\n## Device type\n\n")
	b.WriteString("Typed: not unknown. Agree: the type is one LibreNMS's type (the manifest's `type`) maps to: network = switch,\n")
	b.WriteString("router or firewall; wireless = ap; power = ups (tend has no PDU type); storage = nas or server; server = server,\n")
	b.WriteString("hypervisor or workstation; management = server; environment, sensor = iot; printer, firewall, camera as named.\n")
	b.WriteString("LibreNMS types with no tend counterpart (appliance, timing, loadbalancer, collaboration, encoder) count for typed\n")
	b.WriteString("only. Wrong: typed, mapped and not agreeing, of the typed mapped devices.\n\n")
	b.WriteString("| LibreNMS type | devices | typed | agree (of mapped) | wrong (of typed mapped) |\n|---|---|---|---|---|\n")
	row := func(name string, t *typeTally) {
		agree, wrong := "—", "—"
		if t.mapped > 0 {
			agree = pctOf(t.agree, t.mapped)
			wrong = pctOf(t.mappedTyped-t.agree, t.mappedTyped)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s |\n", name, t.devices, pctOf(t.typed, t.devices), agree, wrong)
	}
	row("all", &r.all)
	names := make([]string, 0, len(r.byType))
	for n := range r.byType {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, c string) int {
		if d := r.byType[c].devices - r.byType[a].devices; d != 0 {
			return d
		}
		return strings.Compare(a, c) // a stable table: ties by name
	})
	for _, n := range names {
		row(n, r.byType[n])
	}
	return b.String()
}

// scanType is o with the type `tend scan` shows for a device SNMP
// identified as o: the observation folded into a new device (identity.Fold), where
// Classify weighs the sensor's structural clues, its make, model and
// sysDescr with every other signal. The in-process tables grade this
// type, not the sensor's own statement. The lab's devices also have a
// MAC (whose registry organisation counts there); o has none here.
func scanType(o inventory.Observation) inventory.Observation {
	var d inventory.Device
	classify.Fold(&d, o)
	o.Type = d.Type
	return o
}
