package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"tend/capture"
	"tend/discovery"
	"tend/internal/jsonindent"
	"tend/inventory"
	"tend/storage"
	"tend/traffic"
)

// replay runs the passive pipeline over capture files (traffic.Replay),
// folding devices in an in-memory store through the same fold as serve's.
func replay(ctx context.Context, files []string, cfg traffic.Config, observe func([]inventory.Observation, *capture.Packet) []inventory.Observation) (*traffic.ReplayResult, error) {
	st, err := storage.OpenReplay()
	if err != nil {
		return nil, err
	}
	defer st.Close()
	res, err := traffic.Replay(ctx, files, cfg, observe, func(obs ...inventory.Observation) error {
		_, err := st.Apply(obs...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := cfg.Hygiene.Save(st, res.Hosts, time.Time{}); err != nil {
		return nil, err
	}
	devs, err := st.ReplayDevices()
	if err != nil {
		return nil, err
	}
	res.Devices = append(res.Devices, devs...)
	inventory.SortByAddress(res.Devices)
	return res, nil
}

func runReplay(ctx context.Context, e env) error {
	fs := newFlagSet("replay", "FILE...", e)
	jsonOut := fs.Bool("json", false, "print events, devices, host statistics and counters as JSON")
	var tf traffic.Flags
	tf.Register(fs, 10*time.Minute)
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("replay: no capture files given")
	}
	cfg, err := tf.Config("", nil)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if size := capturesSize(fs.Args()); size >= gcHeadroomMin {
		headroom := prepareHeap(size >= hugeHeapMin)
		defer runtime.KeepAlive(headroom)
	}
	observe, release := discovery.NewPassive(discovery.PassiveConfig{Own: cfg.Self}).Hold()
	defer release()
	res, err := replay(ctx, fs.Args(), cfg, observe)
	if err != nil {
		return fmt.Errorf("replay: %w", err)
	}
	if *jsonOut {
		return writeReplayJSON(e.stdout, res)
	}
	return res.WriteText(e.stdout, e.stderr)
}

// gcHeadroomBytes is how much more heap a large replay may allocate
// between collections than the collector's default pace allows. That pace
// is twice the live heap, and at least 4 MB: a replay's live heap is a few
// MB (the engine's fixed tables, the devices folded so far), so the corpus
// mix was collected four times and the office mix five, and the
// collections, their sweeps and the zeroing of the memory they freed cost
// 5 to 15 % of the replay's task-clock (pstat.sh, session 20). With the
// headroom counted as live the goal is twice the live heap plus
// 2*gcHeadroomBytes, and neither mix is collected after the start. What
// the replay allocates until then (gcHeadroomBytes and the live heap) fits
// the 32 MB adviseHugeHeap has the runtime map and freed at the first
// collection, so it reuses those huge pages; 32 MB would spill past them.
// Peak RSS rises by what the replay allocates between collections, at most
// about gcHeadroomBytes more (0 to 3 MB on either mix, with the odd run 30
// MB on the office mix); the buffer itself is never touched, so never
// resident.
const gcHeadroomBytes = 24 << 20

// gcHeadroomMin is the captures' total size from which replay keeps the
// headroom: a smaller replay allocates too little to be collected more
// than once or twice.
const gcHeadroomMin = 8 << 20

// gcHeadroom allocates gcHeadroomBytes, which the caller keeps alive and
// never touches, so that the collector paces the next collections by it: a
// floor under the heap goal that follows the live heap above it. No runtime
// setting gives that: a GOGC of 800 gave the floor (4 MB times 8) but let
// every heap grow ninefold, and a memory limit collects without pause once
// the live heap nears it. A []byte has no pointers, so marking it is free.
func gcHeadroom() []byte { return make([]byte, gcHeadroomBytes) }

// prepareHeap allocates the headroom (gcHeadroom) and, when huge,
// adviseHugeHeap's buffer with the collector off, and returns the headroom
// for the caller to keep. The heap goal at start is 4 MB, so each buffer
// started a collection of its own: the second's 32 MB were allocated while
// the first was marking and paid for in mark assists, and each cycle's
// sweep moved every span into span sets of the other generation, whose
// first blocks cost a page fault each (a copy-on-write one, flushing the
// TLB). Allocated with the collector off, both are counted by the one
// collection the next allocation starts, which keeps the headroom and
// frees the advised buffer for the replay's heap as before: the set-up took
// 9-30 ms of the corpus mix's replay, now 1-5 ms (wall, phase timestamps).
func prepareHeap(huge bool) []byte {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // GOGC's value, restored
	headroom := gcHeadroom()
	if huge {
		adviseHugeHeap()
	}
	return headroom
}

// capturesSize is the total size of the files that exist among files.
func capturesSize(files []string) int64 {
	var n int64
	for _, f := range files {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

// writeReplayJSON writes res as json.Marshal indented by json.Indent with
// two spaces would, and a newline, byte for byte, but a field or a slice's
// element at a time: each is marshalled into one reused buffer, indented
// with jsonindent into another and written through a 64 kB buffered writer.
// Marshalling the corpus mix's 400 kB answer whole grew, copied and faulted
// in ~1.5 MB of fresh buffers (the encoder's doubling one, Marshal's copy,
// the indented copy): two fifths of the JSON's cost. TestReplayJSONStream
// holds it to the whole Marshal, ReplayResult's fields included.
func writeReplayJSON(w io.Writer, res *traffic.ReplayResult) error {
	j := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.w.WriteByte('{')
	writeJSONArray(j, "files", res.Files)
	writeJSONArray(j, "events", res.Events)
	writeJSONArray(j, "devices", res.Devices)
	writeJSONArray(j, "hosts", res.Hosts)
	j.key("counters")
	j.value(&res.Counters, "  ")
	j.w.WriteString("\n}\n")
	if j.err != nil {
		// What the buffer held past 64 kB is already out: say so rather
		// than leave a reader to take a cut document for a whole one.
		return fmt.Errorf("the JSON output is cut short: %w", j.err)
	}
	return j.w.Flush()
}

// jsonStream is writeReplayJSON's state: the output, the encoder and its
// buffer, the indented copy of one value, and the first encoding error.
type jsonStream struct {
	w      *bufio.Writer
	enc    *json.Encoder // writes into buf, escaping HTML as json.Marshal does
	buf    bytes.Buffer
	out    []byte
	fields int // the top-level object's fields written so far
	err    error
}

// key opens the top-level field name (plain ASCII: no escaping).
func (j *jsonStream) key(name string) {
	if j.fields > 0 {
		j.w.WriteByte(',')
	}
	j.fields++
	j.w.WriteString("\n  \"" + name + "\": ")
}

// value writes v (a pointer, so that its methods with pointer receivers
// count as they do for an element of a slice) at the nesting where every
// line after its first starts with prefix.
func (j *jsonStream) value(v any, prefix string) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	if j.err = j.enc.Encode(v); j.err != nil {
		return
	}
	b := j.buf.Bytes()
	j.out = jsonindent.Append(j.out[:0], b[:len(b)-1], prefix, "  ") // without Encode's newline
	j.w.Write(j.out)
}

// writeJSONArray writes the top-level field name holding s as json.Indent
// lays a slice out: null when nil, [] when empty, else one element a line.
func writeJSONArray[T any](j *jsonStream, name string, s []T) {
	j.key(name)
	switch {
	case s == nil:
		j.w.WriteString("null")
		return
	case len(s) == 0:
		j.w.WriteString("[]")
		return
	}
	j.w.WriteByte('[')
	for i := range s {
		if i > 0 {
			j.w.WriteByte(',')
		}
		j.w.WriteString("\n    ")
		j.value(&s[i], "    ")
	}
	j.w.WriteString("\n  ]")
}
