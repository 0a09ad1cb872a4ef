package traffic

import (
	"bytes"
	"fmt"

	"tend/capture"
	"tend/inventory"
)

// pjlPort is the printers' raw port (HP JetDirect, "port 9100"): print
// jobs in PCL, PostScript or PDF, each wrapped in PJL (HP's Printer Job
// Language) that names the job and sets copies, duplex and the language.
const pjlPort = 9100

// pjlAbuse is what a PJL command does beyond a print job's wrapping and a
// print server's status queries (HP PJL Technical Reference: JOB, EOJ,
// SET, ENTER LANGUAGE, INFO, USTATUS, RDYMSG): the printer's file system
// read or written (FSDIRLIST, FSUPLOAD, FSDOWNLOAD, FSDELETE...), its
// NVRAM or panel locked (DEFAULT PASSWORD, DISKLOCK, CPLOCK, DMCMD,
// INITIALIZE, SERVICEMODE): what PRET and printer exploits send (review 42
// P8). Empty for a print job's command.
func pjlAbuse(line []byte) string {
	cmd := bytes.TrimLeft(line[4:], " \t")
	if i := bytes.IndexAny(cmd, " \t\r\n"); i >= 0 {
		cmd = cmd[:i]
	}
	switch {
	case hasPrefixFold(cmd, "FS") && len(cmd) >= 6:
		if bytes.Contains(line, []byte("..")) {
			return "a path traversal out of the printer's file system"
		}
		return "the printer's file system read or written"
	case hasPrefixFold(cmd, "DMCMD"), hasPrefixFold(cmd, "INITIALIZE"):
		return "a device-management command (NVRAM)"
	case hasPrefixFold(cmd, "DEFAULT") || hasPrefixFold(cmd, "SET"):
		if containsFold(line, "password") || containsFold(line, "disklock") || containsFold(line, "cplock") || containsFold(line, "servicemode") {
			return "the printer's password or locks changed"
		}
	}
	return ""
}

// pjlSegment reads the PJL commands at the start of a client's segment to
// a printer's raw port (a job's header, or an attack tool's commands, each
// opened by the Universal Exit Language ESC%-12345X), 4 kB of it at most,
// and raises the first beyond printing as web_attack: the client is the
// culprit, the printer the target.
func (e *Engine) pjlSegment(p *capture.Packet, b []byte) {
	if b[0] != 0x1b && b[0] != '@' {
		return // a job's data, past its header
	}
	b = b[:min(len(b), 4096)]
	for {
		i := indexFold(b, "@pjl")
		if i < 0 {
			return
		}
		b = b[i:]
		line := b
		if j := indexCRLF(b); j >= 0 {
			line = b[:j]
		}
		b = b[len(line):]
		if what := pjlAbuse(line); what != "" {
			e.reportPJL(p, line, what)
			return
		}
	}
}

// reportPJL raises a PJL command line doing what.
func (e *Engine) reportPJL(p *capture.Packet, line []byte, what string) {
	src, dst := capture.MAC6(p.Eth.SrcMAC), capture.MAC6(p.Eth.DstMAC)
	if e.quieted(newQuietKey(inventory.EventWebAttack, src, dst, p.DstIP()), p.Time) {
		return
	}
	cli, prn := describe(src, p.SrcIP()), describe(dst, p.DstIP())
	ev := inventory.Event{
		Time: p.Time, Type: inventory.EventWebAttack, Severity: inventory.SeverityHigh,
		MAC: macOf(src), IP: p.SrcIP(), TargetMAC: macOf(dst), TargetIP: p.DstIP(),
		Summary: fmt.Sprintf("%s attacked the printer %s through PJL on port 9100: %s (a printer attack tool: PRET)", cli, prn, what),
		Evidence: []inventory.Evidence{
			{Source: "traffic", Detail: fmt.Sprintf("PJL command %q from %s to %s port 9100 at %s", printable(line, 120), cli, prn, p.Time.UTC().Format("2006-01-02T15:04:05.000Z"))},
			{Source: "traffic", Detail: "a print job's PJL names the job and sets copies, duplex and the language (JOB, SET, ENTER LANGUAGE); a print server asks the status (INFO, USTATUS): neither reads the printer's files (FSDIRLIST, FSUPLOAD) or sets its password"},
		},
	}
	e.report(ev, src, dst)
}
