package lab

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"

	"tend/internal/lazyre"
)

// agentsPerProcess is how many devices one snmpsimd serves in a LAN with
// shared agents. snmpsimd is one Python thread over select(2): with 48
// endpoints each, a 96-device batch scanned on two loaded cores (load
// 26) had answers seconds late (19 of 96 answered in time); with 16, 77
// of 96 at tend's one-second wait and 96 of 96 at five seconds.
const agentsPerProcess = 16

// v2cMaxVarBinds works around a loop in snmpsim 0.4.5's --v2c-arch
// GETBULK (Debian's): it caps the repetitions at max-varbinds/R with
// Python 3's true division and counts them down to exactly zero, so with
// the default 64 and R repeaters not dividing it (3, 5, 6, 7…) and more
// repetitions asked than the cap, the process never answers again. 2,520
// is divisible by every R from 1 to 10, and any repetitions below
// 2,520/R stay whole numbers; answers are then no longer cut at 64
// varbinds (the v3 architecture the other labs use cuts them), which
// tend's own max-repetitions keep small anyway.
const v2cMaxVarBinds = "2520"

// sharedTableBase numbers the routing tables of a shared-agents
// namespace: device i answers from table sharedTableBase+i.
const sharedTableBase = 1000

// buildShared puts every device of lan on a macvlan link (its own MAC and
// address) of one namespace, tl-<name>-agents, joined to the switch by one
// veth, and starts snmpsimd processes that serve them all. In one
// namespace hosts of one subnet need three things the kernel does not do
// by default: answer ARP only for the link's own address (arp_ignore 1,
// arp_announce 2), and send each answer from the link that owns its source
// address (a policy rule and table per device), or every device's frames
// would leave with the first link's MAC.
func buildShared(ctx context.Context, cfg Config, lan *LAN, st *State, sw string, sources map[string]agentSource) error {
	ns := Prefix(cfg.Name) + "-agents"
	if err := run(ctx, "ip", "netns", "add", ns); err != nil {
		return err
	}
	if err := InNetns(ns, sharedSysctls); err != nil {
		return err
	}
	if err := run(ctx, "ip", "-n", sw, "link", "add", "pag", "type", "veth", "peer", "name", "eth0", "netns", ns); err != nil {
		return err
	}
	cmds := []string{"link set lo up", "link set eth0 up"}
	for i, d := range lan.Devices {
		if d.Agent == "snmpd" {
			return fmt.Errorf("lab: %s: an snmpd device needs its own namespace; drop \"agents shared\"", d.Name)
		}
		st.Devices[i] = DeviceState{Device: d, MACText: d.MAC.String(), Netns: ns}
		cmds = append(cmds, sharedLink(lan, i, d)...)
	}
	if err := ipBatch(ctx, ns, cmds...); err != nil {
		return err
	}
	if err := ipBatch(ctx, sw, "link set pag master br0 up"); err != nil {
		return err
	}
	for first := 0; first < len(st.Devices); first += agentsPerProcess {
		if err := startShared(cfg, ns, st.Devices[first:min(first+agentsPerProcess, len(st.Devices))], first/agentsPerProcess, sources); err != nil {
			return err
		}
	}
	return nil
}

// sharedLink is the ip batch that makes device i's macvlan link, its
// address and the routing table it answers from.
func sharedLink(lan *LAN, i int, d Device) []string {
	link, table := fmt.Sprintf("mv%d", i), sharedTableBase+i
	cmds := []string{
		fmt.Sprintf("link add %s link eth0 address %s type macvlan mode private", link, d.MAC),
		fmt.Sprintf("addr add %s/%d dev %s", d.IP, lan.CIDR.Bits(), link),
		"link set " + link + " up",
		fmt.Sprintf("rule add from %s lookup %d", d.IP, table),
		fmt.Sprintf("route add %s dev %s table %d", lan.CIDR, link, table),
	}
	for _, r := range lan.Devices {
		if r.Role == "router" && r.IP != d.IP {
			cmds = append(cmds, fmt.Sprintf("route add default via %s dev %s table %d", r.IP, link, table))
			break
		}
	}
	return cmds
}

// sharedSysctls sets the calling thread's namespace for many hosts on one
// subnet (buildShared), and turns IPv6 off as the switch does.
func sharedSysctls() error {
	for _, s := range []struct{ file, value string }{
		{"ipv4/conf/all/arp_ignore", "1"}, {"ipv4/conf/all/arp_announce", "2"},
		{"ipv4/conf/all/rp_filter", "0"}, {"ipv4/conf/default/rp_filter", "0"},
	} {
		if err := os.WriteFile("/proc/sys/net/"+s.file, []byte(s.value), 0o644); err != nil {
			return fmt.Errorf("lab: shared agents: set %s: %w", s.file, err)
		}
	}
	return quietIPv6()
}

// startShared starts one snmpsimd for devs, process number k. Its
// --v2c-arch responder picks a request's recording by community and the
// endpoint's transport ID (snmpsimd's probeContext tries
// "<community>/<transport ID>" after "…/<source address>"): the n-th
// --agent-udpv4-endpoint is 1.3.6.1.6.1.1.<n>, so device n's recording is
// data/public/1.3.6.1.6.1.1.<n>.snmprec, and a VLAN context's
// data/public@<vlan>/….
func startShared(cfg Config, ns string, devs []DeviceState, k int, sources map[string]agentSource) error {
	dir := filepath.Join(cfg.StateDir, cfg.Name, fmt.Sprintf("agents-%d", k))
	cache := filepath.Join(dir, "cache")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return fmt.Errorf("lab: shared agent dir: %w", err)
	}
	if err := chownNobody(cache); err != nil {
		return fmt.Errorf("lab: shared agent cache dir: %w", err)
	}
	args := []string{"netns", "exec", ns, "snmpsimd", "--v2c-arch", "--max-varbinds=" + v2cMaxVarBinds, "--data-dir=" + filepath.Join(dir, "data"), "--cache-dir=" + cache,
		"--process-user=nobody", "--process-group=nogroup", "--logging-method=null"}
	served := 0
	for n, d := range devs {
		if d.Agent == "-" {
			continue
		}
		if err := writeShared(filepath.Join(dir, "data"), served, sources[d.Name]); err != nil {
			return fmt.Errorf("lab: recording for %s: %w", d.Name, err)
		}
		args = append(args, "--agent-udpv4-endpoint="+netip.AddrPortFrom(d.IP, 161).String())
		devs[n].Served = d.Recording()
		served++
	}
	if served == 0 {
		return nil
	}
	pid, err := startLogged(filepath.Join(dir, "agent.out"), args)
	for n := range devs {
		if devs[n].Served != "" {
			devs[n].PID = pid
		}
	}
	return err
}

// writeShared writes one device's recordings as the n-th endpoint's.
func writeShared(data string, n int, src agentSource) error {
	for community, read := range src {
		b, err := read()
		if err != nil {
			return err
		}
		b = twoArcOIDs(unreadableNumbers.Compiled().ReplaceAll(b, nil))
		p := filepath.Join(data, community, fmt.Sprintf("1.3.6.1.6.1.1.%d.snmprec", n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// startLogged starts `ip args…` (an agent in a namespace) in its own
// process group, its output in logPath.
func startLogged(logPath string, args []string) (int, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return 0, err
	}
	defer logf.Close()
	cmd := exec.Command("ip", args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("lab: start agent %s: %w", strings.Join(args[3:5], " "), err)
	}
	go cmd.Wait()
	return cmd.Process.Pid, nil
}

// oneArcOID is a recording line whose OBJECT IDENTIFIER value (snmprec tag
// 6) has one arc: "…|6|0".
var oneArcOID = &lazyre.Regexp{Expr: `(?m)^([0-9.]+\|6\|[0-9]+)(\r?)$`}

// twoArcOIDs rewrites a recording's one-arc OBJECT IDENTIFIER values
// with a second arc of 0. BER cannot encode one arc (X.690 8.19.4 packs
// the first two into one subidentifier), and walks print zeroDotZero
// (0.0, SNMPv2-SMI: ifSpecific, entPhysicalVendorType "unknown") as "0",
// so LibreNMS's recordings hold "|6|0"; snmpsimd's --v2c-arch responder
// fails to encode such an answer and the whole process, every device it
// serves, exits (pysnmp "Short OID 0").
func twoArcOIDs(b []byte) []byte {
	return oneArcOID.Compiled().ReplaceAll(b, []byte("${1}.0${2}"))
}

// unreadableNumbers are recording lines of a numeric type (snmprec tags 2
// INTEGER, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70 Counter64) whose
// value is no number: empty, or redacted ("<private>"). snmpsimd cannot
// serve them, and a GETNEXT that would land on one answers endOfMibView
// instead of skipping it, hiding every object after it; tend's in-process
// recordings (snmp's recording_test.go) skip such lines, and so do these
// agents.
var unreadableNumbers = &lazyre.Regexp{Expr: `(?m)^[0-9.]+\|(?:2|65|66|67|70)\|(?:[^0-9\r\n-][^\r\n]*)?\r?\n`}
