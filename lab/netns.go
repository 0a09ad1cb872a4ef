package lab

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sys/unix"

	"tend/internal/schedstat"
)

// InNetns runs fn on an OS thread that has joined network namespace ns.
// Sockets fn opens stay in that namespace after it returns. Afterwards the
// thread goes back to its own namespace; only if that fails is it left
// locked, so the runtime discards it and no other goroutine ever runs inside
// the lab by accident. (Leaving it there is not enough: when the thread is
// the process's main one, /proc/PID/ns/net would name the lab's namespace.)
func InNetns(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("lab: open own netns: %w", err)
			return
		}
		defer orig.Close()
		f, err := os.Open(filepath.Join("/run/netns", ns))
		if err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("lab: open netns %s: %w", ns, err)
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("lab: enter netns %s: %w", ns, err)
			return
		}
		err = fn()
		if unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}

// snmpProbe is an SNMPv2c GetRequest for sysDescr.0 with community "public"
// (BER, RFC 3416): any answer at all means the agent is serving.
var snmpProbe = []byte{
	0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
	0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
	0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
}

// waitAgents returns when every agent answers SNMP from inside its own
// namespace, or says which did not. An agent that has not answered within
// limit gets more time while it is still working (schedstat: snmpsimd
// indexing its recording on a box whose cores other work holds), up to
// agentGrace times limit; one that sits idle without answering fails at
// limit.
func waitAgents(ctx context.Context, st *State, agentDir string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, agentGrace*limit)
	defer cancel()
	var g errgroup.Group
	for _, d := range st.Devices {
		if d.Agent == "-" {
			continue
		}
		g.Go(func() error { return waitAgent(ctx, d, agentDir, limit) })
	}
	return g.Wait()
}

// agentGrace bounds how long a still-working agent may take, in multiples
// of waitAgents' limit.
const agentGrace = 5

func waitAgent(ctx context.Context, d DeviceState, agentDir string, limit time.Duration) error {
	var conn *net.UDPConn
	err := InNetns(d.Netns, func() (err error) {
		conn, err = net.DialUDP("udp4", nil, net.UDPAddrFromAddrPort(netip.AddrPortFrom(d.IP, 161)))
		return err
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	buf := make([]byte, 2048)
	start := time.Now()
	soft := start.Add(limit)
	cpu := schedstat.Follow(d.PID)
	for {
		if now := time.Now(); ctx.Err() != nil || now.After(soft) && !cpu.Working() {
			return fmt.Errorf("lab: agent of %s (%s) did not answer within %s: %s", d.Name, d.Served,
				now.Sub(start).Round(time.Second), lastLine(filepath.Join(agentDir, d.Name, "agent.out")))
		} else if now.After(soft) {
			soft = now.Add(2 * time.Second) // still working: look again in two seconds
		}
		conn.Write(snmpProbe)
		conn.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
		if n, err := conn.Read(buf); err == nil && n > 0 {
			return nil
		}
		if d.PID != 0 && !alive(d.PID) {
			return fmt.Errorf("lab: agent of %s (%s) exited: %s", d.Name, d.Served, lastLine(filepath.Join(agentDir, d.Name, "agent.out")))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// killInNetns ends every process whose network namespace is one of names:
// TERM, then KILL for whatever is left after a second.
func killInNetns(names []string) {
	if len(names) == 0 {
		return
	}
	inodes := map[uint64]bool{}
	for _, n := range names {
		var st syscall.Stat_t
		if syscall.Stat(filepath.Join("/run/netns", n), &st) == nil {
			inodes[st.Ino] = true
		}
	}
	find := func() []int {
		var pids []int
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			pid, err := strconv.Atoi(e.Name())
			if err != nil || pid == os.Getpid() {
				continue
			}
			var st syscall.Stat_t
			if syscall.Stat(filepath.Join("/proc", e.Name(), "ns/net"), &st) == nil && inodes[st.Ino] {
				pids = append(pids, pid)
			}
		}
		return pids
	}
	pids := find()
	for _, p := range pids {
		syscall.Kill(p, syscall.SIGTERM)
	}
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if pids = find(); len(pids) == 0 {
			return
		}
	}
	for _, p := range pids {
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// lastLine is the last non-empty line of an agent's output, for errors.
func lastLine(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "no output"
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return fmt.Sprintf("%q (in %s)", lines[len(lines)-1], path)
}
