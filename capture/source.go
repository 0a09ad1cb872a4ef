package capture

import (
	"bufio"
	"context"
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
	read     func() ([]byte, gopacket.CaptureInfo, error)
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

func newFile(f *os.File, path string) (*File, error) {
	br := bufio.NewReaderSize(f, 1<<16)
	magic, err := br.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("capture: %s: not a pcap or pcapng file: %w", path, err)
	}
	src := &File{f: f}
	var link layers.LinkType
	if string(magic) == string(pcapngMagic) {
		r, err := pcapgo.NewNgReader(br, pcapgo.NgReaderOptions{SkipUnknownVersion: true})
		if err != nil {
			return nil, fmt.Errorf("capture: %s: pcapng: %w", path, err)
		}
		link, src.read = r.LinkType(), r.ZeroCopyReadPacketData
	} else {
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
	}
	if link != layers.LinkTypeEthernet {
		return nil, fmt.Errorf("capture: %s: link type %s is not Ethernet", path, link)
	}
	return src, nil
}

// ReadFrame returns the next frame with the capture's timestamp, or io.EOF.
func (s *File) ReadFrame() (Frame, error) {
	data, ci, err := s.read()
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return Frame{}, io.EOF
		}
		return Frame{}, fmt.Errorf("capture: read %s: %w", s.f.Name(), err)
	}
	s.received++
	return Frame{Time: ci.Timestamp, Data: data, Length: max(ci.Length, len(data))}, nil
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
	for {
		if ctx.Err() != nil {
			return nil
		}
		fr, err := src.ReadFrame()
		if errors.Is(err, ErrTimeout) {
			continue
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		p := d.Decode(fr)
		fn(p)
	}
}
