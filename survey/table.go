package survey

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"text/tabwriter"

	"tend/inventory"
)

// WriteTable prints devices as `tend scan`'s table for people.
func WriteTable(w io.Writer, list []inventory.Device) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "IP\tMAC\tVENDOR\tNAME\tTYPE\tLIFECYCLE\tSNMP")
	for _, d := range list {
		vendor := d.Vendor
		if d.RandomMAC {
			vendor = "(randomised MAC)"
		}
		descr := ""
		if d.SNMP != nil {
			descr = oneLine(d.SNMP.SysDescr, 60)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.IP, d.MAC, oneLine(vendor, 32), oneLine(d.Hostname, 24), d.Type, verdictCell(d.Lifecycle), descr)
	}
	return tw.Flush()
}

// verdictCell is a verdict in a table cell: "eol fortios 7.2".
func verdictCell(v *inventory.Lifecycle) string {
	if v == nil || v.Status == inventory.StatusUnknown {
		return "-"
	}
	return oneLine(string(v.Status)+" "+v.Product+" "+v.Cycle, 32)
}

// oneLine flattens and shortens free text (sysDescr spans lines) for a table cell.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

// JoinPrefixes lists prefixes as "10.0.0.0/24,10.1.0.0/24".
func JoinPrefixes(ps []netip.Prefix) string {
	return strings.Join(PrefixStrings(ps), ",")
}

// PrefixStrings writes each prefix as text (nil for none).
func PrefixStrings(ps []netip.Prefix) []string {
	var s []string
	for _, p := range ps {
		s = append(s, p.String())
	}
	return s
}
