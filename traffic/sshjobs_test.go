package traffic

import (
	"testing"
	"time"

	"tend/inventory"
)

// sshJob feeds one SSH connection from the attacker's address to the NAS
// that logs in and runs a command, as review 36b's ssh_jobs did (`ssh host
// 'head -c 3000 /etc/services'`): the key exchange, then the client's
// encrypted requests (userauth, channel open, exec) and the server's
// answers with the command's output in segments of 3,096 bytes, or, when
// failed, the server's small authentication answers only.
func (r *rig) sshJob(at time.Time, cport uint16, failed bool) {
	c, s := r.sshSides(at, cport)
	ack := tcpFlags{ack: true, psh: true}
	c(0, tcpFlags{syn: true}, nil)
	s(time.Millisecond, tcpFlags{syn: true, ack: true}, nil)
	c(2*time.Millisecond, ack, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
	s(3*time.Millisecond, ack, []byte("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"))
	s(4*time.Millisecond, ack, sshPacket(20, 1070))
	s(6*time.Millisecond, ack, append(sshPacket(31, 180), sshPacket(21, 0)...))
	server := []int{44, 52, 636, 3096, 3096, 108}
	if failed {
		server = []int{44, 52, 52, 52, 52, 76}
	}
	for i, n := range server {
		if !failed {
			c(time.Duration(7+2*i)*time.Millisecond, ack, make([]byte, 260))
		}
		s(time.Duration(8+2*i)*time.Millisecond, ack, make([]byte, n))
	}
	s(400*time.Millisecond, tcpFlags{fin: true, ack: true}, nil)
	c(401*time.Millisecond, tcpFlags{fin: true, ack: true}, nil)
}

// TestSSHJobsInParallel: forty key-based SSH jobs run ten at a time
// (xargs -P 10, repo sync -j10, parallel rsync) all log in and move data
// both ways: no guessing (review 36b FP 2), while forty failed sessions at
// the same pace are.
func TestSSHJobsInParallel(t *testing.T) {
	for _, failed := range []bool{false, true} {
		r := newRig(t, Config{})
		at := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
		for i := 0; i < 40; i++ {
			r.sshJob(at.Add(time.Duration(i/10)*10*time.Second+time.Duration(i%10)*50*time.Millisecond), uint16(40000+i), failed)
		}
		r.e.Flush()
		var above []inventory.Event
		for _, ev := range r.of(inventory.EventBruteForce) {
			if ev.Severity != inventory.SeverityInfo {
				above = append(above, ev)
			}
		}
		if failed != (len(above) > 0) {
			t.Fatalf("failed=%v: brute_force above info %+v", failed, above)
		}
	}
}
