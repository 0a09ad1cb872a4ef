package capture

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"
)

// Frame is one captured frame. Data is only valid until the next ReadFrame
// call on the same source.
type Frame struct {
	Time   time.Time
	Data   []byte
	Length int // length on the wire; may exceed len(Data) when truncated
	// UnixNano is Time.UnixNano(), when the reader made Time, in UTC, from
	// the file's seconds and nanoseconds (a classic pcap's records): the
	// traffic engine's clock is in Unix nanoseconds, and converting Time
	// back cost ~20 instructions a frame. 0: not given (a live frame's,
	// pcapng's); Time says.
	UnixNano int64
}

// Stats counts what a source saw. Dropped counts frames the kernel could not
// hand over in time (PACKET_STATISTICS); a file never drops.
type Stats struct {
	Received uint64 `json:"received"`
	Dropped  uint64 `json:"dropped"`
}

// Source yields frames until it returns io.EOF (a file's end) or an error.
type Source interface {
	ReadFrame() (Frame, error)
	Stats() Stats
	Close() error
}

// ErrTimeout is returned by a live source's ReadFrame when its read deadline
// passes with no frame; callers simply read again.
var ErrTimeout = errors.New("capture: read timeout")

// File reads a pcap or pcapng file of Ethernet frames.
type File struct {
	f        *os.File
	read     func() ([]byte, gopacket.CaptureInfo, error) // pcapgo's, without rec
	rec      *records                                     // a classic pcap's records
	received uint64
}

// pcapng's section header block type, read as the file's first four bytes.
// maxSnapLen is libpcap's MAXIMUM_SNAPLEN: the longest record a file may hold.
const maxSnapLen = 262144

var pcapngMagic = []byte{0x0a, 0x0d, 0x0d, 0x0a}

// OpenFile opens a pcap or pcapng capture of Ethernet frames.
func OpenFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("capture: %w", err)
	}
	src, err := newFile(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}

// readBuffer is how much of a file is read at once: a pcap record is handed
// out as a slice of it, not copied, so it holds the longest record
// (maxSnapLen and its 16-byte header). No larger: every page of it costs a
// page fault when first filled (a 40 MB capture then takes 160 reads).
const readBuffer = maxSnapLen + 4096

// headBuffer is the buffer a file's header is read through: bufio's
// smallest that pcapgo.NewReader adopts rather than wraps in its own.
const headBuffer = 4096

func newFile(f *os.File, path string) (*File, error) {
	size := readBuffer
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() < int64(size) {
		// A small file fits whole in one buffer.
		size = max(int(st.Size()), headBuffer)
	}
	// The header is read through a small buffer: a classic pcap's records
	// are then read straight into records' own buffer, not through a second
	// one of readBuffer bytes filled and copied first (1 % of tend replay's
	// time on the corpus mix, most of it page faults).
	br := bufio.NewReaderSize(f, headBuffer)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("capture: %s: not a pcap or pcapng file: %w", path, err)
	}
	src := &File{f: f}
	var link layers.LinkType
	if string(magic) == string(pcapngMagic) {
		if size > headBuffer { // pcapgo reads every block through br: give it size
			head, _ := br.Peek(br.Buffered())
			br = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(bytes.Clone(head)), f), size)
		}
		r, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{SkipUnknownVersion: true})
		if err != nil {
			return nil, fmt.Errorf("capture: %s: pcapng: %w", path, err)
		}
		link, src.read = r.LinkType(), r.ZeroCopyReadPacketData
	} else {
		var hdr [24]byte
		if b, err := br.Peek(len(hdr)); err == nil {
			copy(hdr[:], b)
		}
		r, err := pcapgo.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("capture: %s: not a pcap or pcapng file: %w", path, err)
		}
		// Writers put frames longer than the header's snap length in files
		// (zeek's smb2_krb.pcap: 10014 > 9999); tcpdump reads them up to
		// its own maximum, 256 KiB, and so does this.
		if r.Snaplen() < maxSnapLen {
			r.SetSnaplen(maxSnapLen)
		}
		link, src.read = r.LinkType(), r.ZeroCopyReadPacketData
		if rr, ok := newRecords(br, f, size, hdr, r.Snaplen()); ok {
			src.rec = rr
		}
	}
	if link != layers.LinkTypeEthernet {
		return nil, fmt.Errorf("capture: %s: link type %s is not Ethernet", path, link)
	}
	return src, nil
}

// records reads a classic pcap file's records (after the header pcapgo
// has checked) out of one buffer of its own, filled straight from the file
// by large reads: a record is handed out as a slice of it, not copied (pcapgo
// copies every record through two io.ReadFull calls, and bufio's Peek and
// Discard cost more per record than the arithmetic here). It returns what
// pcapgo's ZeroCopyReadPacketData would, errors included, so a file replays
// the same either way.
type records struct {
	r          io.Reader // the file after what buf first held
	buf        []byte    // buf[at:end] is read and not handed out yet
	at, end    int
	err        error  // the reader's error, once it returned one
	big        bool   // big-endian file
	nanoFactor uint32 // 1000 for microsecond timestamps, 1 for nanosecond ones
	snaplen    uint32
	long       []byte // a record longer than buf (a snap length beyond it)
}

// newRecords reads the byte order and timestamp unit from the file header
// hdr that pcapgo accepted through br, and takes over what br buffered
// after it; the rest it reads from file, size bytes at a time. A
// gzip-compressed file (pcapgo decompresses it) is left to pcapgo.
func newRecords(br *bufio.Reader, file io.Reader, size int, hdr [24]byte, snaplen uint32) (*records, bool) {
	r := &records{r: file, snaplen: snaplen}
	switch binary.LittleEndian.Uint32(hdr[0:4]) {
	case 0xa1b2c3d4:
		r.nanoFactor = 1000
	case 0xd4c3b2a1:
		r.big, r.nanoFactor = true, 1000
	case 0xa1b23c4d:
		r.nanoFactor = 1
	case 0x4d3cb2a1:
		r.big, r.nanoFactor = true, 1
	default:
		return nil, false
	}
	r.buf = make([]byte, max(size, br.Buffered()))
	b, _ := br.Peek(br.Buffered())
	r.end = copy(r.buf, b)
	return r, true
}

func (r *records) u32(b []byte) uint32 {
	if r.big {
		return binary.BigEndian.Uint32(b)
	}
	return binary.LittleEndian.Uint32(b)
}

// fill moves the unread bytes to the front of buf and reads until n are
// there; false if the file ended (or failed) first.
func (r *records) fill(n int) bool {
	if r.at > 0 {
		r.end, r.at = copy(r.buf, r.buf[r.at:r.end]), 0
	}
	for r.end < n && r.err == nil {
		var k int
		k, r.err = r.r.Read(r.buf[r.end:])
		r.end += k
	}
	return r.end >= n
}

// short is the error for a file that ends with fewer than the bytes a
// record needs: pcapgo's io.ErrUnexpectedEOF once more than had bytes of
// the part it was reading (the header, then the data) are there.
func (r *records) short(had int) error {
	if errors.Is(r.err, io.EOF) && r.end-r.at > had {
		return io.ErrUnexpectedEOF
	}
	return r.err
}

// next reads the next record into f (Length the wire length, even below
// the capture length when err says so) and returns its capture length.
// f is filled in place, not returned: a Frame is seven words, and copying
// it out through next, ReadFrame and Run cost 5 % of a replay of the
// corpus mix.
func (r *records) next(f *Frame) (capLen int, err error) {
	if r.end-r.at >= 16 && !r.big {
		// A little-endian file's whole record in buf: its header read
		// with no byte-order tests and the frame filled once, not zeroed
		// first (37 of readFrame's 155 instructions a packet, cachegrind).
		h := r.buf[r.at : r.at+16 : r.at+16]
		capLen = int(binary.LittleEndian.Uint32(h[8:12]))
		length := int(binary.LittleEndian.Uint32(h[12:16]))
		if n := 16 + capLen; capLen <= int(r.snaplen) && capLen <= length && n <= r.end-r.at {
			sec, frac := binary.LittleEndian.Uint32(h[0:4]), binary.LittleEndian.Uint32(h[4:8])
			f.Time = time.Unix(int64(sec), int64(frac*r.nanoFactor)).UTC()
			f.UnixNano = int64(sec)*1e9 + int64(frac*r.nanoFactor) // Time's: time.Unix normalises, the sum stays
			f.Length, f.Data = length, r.buf[r.at+16:r.at+n:r.at+n]
			r.at += n
			return capLen, nil
		}
	}
	return r.nextSlow(f)
}

// nextSlow is next for a record that is not in buf whole, is malformed or
// big-endian.
func (r *records) nextSlow(f *Frame) (capLen int, err error) {
	*f = Frame{}
	if r.end-r.at < 16 && !r.fill(16) {
		return 0, r.short(0)
	}
	h := r.buf[r.at : r.at+16]
	// The same arithmetic as pcapgo's: the fraction is multiplied in 32 bits.
	sec, nsec := int64(r.u32(h[0:4])), int64(r.u32(h[4:8])*r.nanoFactor)
	f.Time, f.UnixNano = time.Unix(sec, nsec).UTC(), sec*1e9+nsec
	capLen, f.Length = int(r.u32(h[8:12])), int(r.u32(h[12:16]))
	if capLen > int(r.snaplen) {
		r.at += 16
		return capLen, fmt.Errorf("capture length exceeds snap length: %d > %d", capLen, r.snaplen)
	}
	if capLen > f.Length {
		r.at += 16
		return capLen, fmt.Errorf("capture length exceeds original packet length: %d > %d", capLen, f.Length)
	}
	n := 16 + capLen
	if n > len(r.buf) {
		f.Data, err = r.readLong(capLen)
		return capLen, err
	}
	if r.end-r.at < n && !r.fill(n) {
		// pcapgo hands out what it read of a cut record with the error.
		f.Data = r.buf[r.at+16 : r.end]
		return capLen, r.short(16)
	}
	f.Data = r.buf[r.at+16 : r.at+n : r.at+n]
	r.at += n
	return capLen, nil
}

// readLong reads a record of n bytes, longer than buf, into a buffer of its
// own: what buf holds of it, then the rest from the file.
func (r *records) readLong(n int) ([]byte, error) {
	if cap(r.long) < n {
		r.long = make([]byte, n)
	}
	data := r.long[:n]
	k := copy(data, r.buf[r.at+16:r.end])
	r.at, r.end = 0, 0
	if k == n {
		return data, nil
	}
	err := r.err
	if err == nil {
		_, err = io.ReadFull(r.r, data[k:])
	}
	if k > 0 && errors.Is(err, io.EOF) { // io.ReadFull's error had it read all n
		err = io.ErrUnexpectedEOF
	}
	return data, err
}

// ReadFrame returns the next frame with the capture's timestamp, or io.EOF.
func (s *File) ReadFrame() (Frame, error) {
	var f Frame
	err := s.readFrame(&f)
	return f, err
}

// readFrame is ReadFrame filling f in place (Run's loop over a file).
func (s *File) readFrame(f *Frame) error {
	var err error
	if s.rec != nil {
		_, err = s.rec.next(f)
	} else {
		var ci gopacket.CaptureInfo
		f.Data, ci, err = s.read()
		f.Time, f.Length = ci.Timestamp, ci.Length
	}
	if err != nil {
		*f = Frame{}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return io.EOF
		}
		return fmt.Errorf("capture: read %s: %w", s.f.Name(), err)
	}
	s.received++
	f.Length = max(f.Length, len(f.Data))
	return nil
}

// Stats reports the frames read so far.
func (s *File) Stats() Stats { return Stats{Received: s.received} }

// Close closes the file.
func (s *File) Close() error { return s.f.Close() }

// Run reads src until it ends or ctx is cancelled, decodes every frame into
// one reused Packet and hands it to fn; fn must not keep the Packet or its
// slices. It returns nil at a file's end and on cancellation. Frames that do
// not decode fully are still passed on with the layers that did decode.
func Run(ctx context.Context, src Source, fn func(*Packet)) error {
	if l, ok := src.(*Live); ok {
		stop := context.AfterFunc(ctx, l.interrupt)
		defer stop()
	}
	d := NewDecoder()
	if f, ok := src.(*File); ok {
		return f.run(ctx, d, fn)
	}
	for ctx.Err() == nil {
		fr, err := src.ReadFrame()
		switch {
		case err == nil:
			fn(d.Decode(fr))
		case errors.Is(err, ErrTimeout):
		case errors.Is(err, io.EOF) || ctx.Err() != nil:
			return nil
		default:
			return err
		}
	}
	return nil
}

// ctxEvery is how many frames File.run decodes between looks at its
// context: a few microseconds of a file's frames.
const ctxEvery = 64

// run is Run's loop over a file: each frame read into the decoder's Packet
// (its Frame) and decoded there, with no copies of it on the way. It asks ctx whether to
// stop every ctxEvery frames, not at every one: a signal context's Err, calls
// through two interfaces to an atomic load, was 0.6 % of tend replay's time
// on the corpus mix.
func (s *File) run(ctx context.Context, d *Decoder, fn func(*Packet)) error {
	fr := &d.p.Frame // read in place: decode reads it there
	for n := 0; n%ctxEvery != 0 || ctx.Err() == nil; n++ {
		if err := s.readFrame(fr); err != nil {
			if errors.Is(err, io.EOF) || ctx.Err() != nil {
				return nil
			}
			return err
		}
		fn(d.decode(fr))
	}
	return nil
}
