package traffic

// portSetFew is how many ports a portSet holds inline: a client opens one
// or two services of a host, so nearly every tracker stays within them and
// never makes its map.
const portSetFew = 8

// portSet is a port tracker's probed ports, each with whether the host
// accepted a connection on it. The first portSetFew are an array searched
// in one pass of eight compares; a map (hashing the port on every probe
// and every SYN+ACK, 2 % of the corpus bench's time, and one
// allocation per tracker) takes only the ports of a host probed beyond them.
type portSet struct {
	few  [portSetFew]uint16
	n    uint8           // few[:n] are filled
	open uint8           // bit i: few[i] was accepted
	more map[uint16]bool // the ports beyond few (nil until needed); true: accepted
}

// add adds port, not accepted, and reports whether it was new.
func (s *portSet) add(port uint16) bool {
	for _, p := range s.few[:s.n] {
		if p == port {
			return false
		}
	}
	if s.n < portSetFew {
		s.few[s.n] = port
		s.n++
		return true
	}
	if _, seen := s.more[port]; seen {
		return false
	}
	if s.more == nil {
		s.more = make(map[uint16]bool, 4)
	}
	s.more[port] = false
	return true
}

// accept marks port accepted and reports whether it was probed and not
// accepted before.
func (s *portSet) accept(port uint16) bool {
	for i, p := range s.few[:s.n] {
		if p == port {
			if s.open&(1<<i) != 0 {
				return false
			}
			s.open |= 1 << i
			return true
		}
	}
	if open, probed := s.more[port]; probed && !open {
		s.more[port] = true
		return true
	}
	return false
}

func (s *portSet) len() int { return int(s.n) + len(s.more) }

// reset empties s, keeping its map for the next window.
func (s *portSet) reset() {
	s.n, s.open = 0, 0
	clear(s.more)
}

// appendTo appends the ports to dst, in no particular order.
func (s *portSet) appendTo(dst []int) []int {
	for _, p := range s.few[:s.n] {
		dst = append(dst, int(p))
	}
	for p := range s.more {
		dst = append(dst, int(p))
	}
	return dst
}
