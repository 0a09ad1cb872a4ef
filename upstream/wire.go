package upstream

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/tidwall/gjson"

	"tend/internal/lazyre"
	"tend/inventory"
)

// Limits on what the hub accepts. A 250-device site's summary is about
// 30 KB gzipped with every device in it; the bounds leave room for sites
// forty times that size and stop a sender from exhausting the hub.
const (
	MaxBodyBytes     = 2 << 20  // gzipped request body
	MaxInflatedBytes = 32 << 20 // decompressed JSON: gzip bomb protection (deflate peaks near 1032:1)
	MaxChanged       = 10000    // devices in Changed
	MaxEvents        = 2000     // events in Events
	MaxActions       = 2000     // open actions
	// MaxDepth bounds the nesting of objects and arrays. A summary needs
	// five levels; a body nested millions deep would overflow the stack of
	// a recursive validator, so the depth is checked first, iteratively.
	MaxDepth = 64
)

// Header names of the wire format; see the package documentation.
const (
	HeaderSite        = "Tend-Site"
	HeaderSignature   = "Tend-Signature"
	HeaderIdempotency = "Idempotency-Key"
	signaturePrefix   = "hmac-sha256="
	signatureContext  = "tend-summary-v1\n"
)

// Errors the decoder and verifier return, so the hub can answer with the
// right status and count refusals by reason.
var (
	ErrBadSignature = errors.New("upstream: signature does not verify")
	ErrTooLarge     = errors.New("upstream: summary too large")
	ErrInvalid      = errors.New("upstream: invalid summary")
)

// validName is the shape of site names and box ids: safe inside storage
// keys, URLs, CSV and Prometheus labels without escaping.
var validName = &lazyre.Regexp{Expr: `^[a-zA-Z0-9._-]{1,64}$`}

// ValidateSiteName reports why name cannot name a site, or nil.
func ValidateSiteName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("upstream: invalid site name %q: use 1-64 characters of a-z, A-Z, 0-9, '.', '_' or '-'", name)
	}
	return nil
}

// SiteKeyPrefix marks a tend site key, so a key pasted into the wrong flag is
// recognisable.
const SiteKeyPrefix = "tsk1_"

// siteKeyBytes is the HMAC key length: 256 bits, the hash's output size
// (RFC 2104 section 3 recommends at least that).
const siteKeyBytes = 32

// NewSiteKey returns a new random site key in its printable form.
func NewSiteKey() string {
	b := make([]byte, siteKeyBytes)
	_, _ = rand.Read(b) // never fails (Go 1.24+)
	return SiteKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// ParseSiteKey returns the raw key bytes of a printable site key.
func ParseSiteKey(s string) ([]byte, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), SiteKeyPrefix)
	if !ok {
		return nil, fmt.Errorf("upstream: site key does not start with %q", SiteKeyPrefix)
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(b) != siteKeyBytes {
		return nil, errors.New("upstream: site key is malformed")
	}
	return b, nil
}

// IdempotencyKey names one summary of one box: "<box>:<seq>".
func IdempotencyKey(box string, seq uint64) string {
	return box + ":" + strconv.FormatUint(seq, 10)
}

// ParseIdempotencyKey splits an idempotency key into box and sequence.
func ParseIdempotencyKey(k string) (box string, seq uint64, ok bool) {
	box, n, found := strings.Cut(k, ":")
	if !found || !validName.MatchString(box) {
		return "", 0, false
	}
	seq, err := strconv.ParseUint(n, 10, 64)
	if err != nil || seq == 0 {
		return "", 0, false
	}
	return box, seq, true
}

func mac(key []byte, site, idem string, body []byte) []byte {
	return macIn(signatureContext, key, site, idem, body)
}

// macIn is the HMAC of one message of the exchange; context keeps a
// signature of one kind (a summary, a reply) from verifying another.
func macIn(context string, key []byte, site, idem string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(context))
	m.Write([]byte(site))
	m.Write([]byte{'\n'})
	m.Write([]byte(idem))
	m.Write([]byte{'\n'})
	m.Write(body)
	return m.Sum(nil)
}

// Sign returns the Tend-Signature header value for a gzipped body.
func Sign(key []byte, site, idem string, body []byte) string {
	return signaturePrefix + hex.EncodeToString(mac(key, site, idem, body))
}

// Verify checks a Tend-Signature header value in constant time.
func Verify(key []byte, site, idem string, body []byte, signature string) error {
	h, ok := strings.CutPrefix(signature, signaturePrefix)
	if !ok {
		return fmt.Errorf("%w: unknown signature scheme", ErrBadSignature)
	}
	got, err := hex.DecodeString(h)
	if err != nil || !hmac.Equal(got, mac(key, site, idem, body)) {
		return ErrBadSignature
	}
	return nil
}

// EncodeBody returns the gzipped JSON of s, as it travels and as the outbox
// keeps it.
func EncodeBody(s *Summary) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression) // the level is valid
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return nil, fmt.Errorf("upstream: encode summary %d: %w", s.Seq, err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("upstream: compress summary %d: %w", s.Seq, err)
	}
	return buf.Bytes(), nil
}

// DecodeBody decompresses and decodes a gzipped summary and validates it.
// It reads untrusted input: the inflated size is bounded by
// MaxInflatedBytes, and a body that is not exactly one gzip member holding
// one JSON object is refused. Fields it does not know are ignored (a newer
// minor version may add them).
func DecodeBody(body []byte) (*Summary, error) {
	raw, err := inflate(body)
	if err != nil {
		return nil, err
	}
	if err := CheckDepth(raw, MaxDepth); err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("%w: json: %v", ErrInvalid, err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// CheckDepth refuses JSON whose objects and arrays nest deeper than max. It
// scans the bytes once without recursion (brackets inside strings do not
// count), so it is safe on any input and runs before any validator that
// recurses.
func CheckDepth(raw []byte, max int) error {
	depth := 0
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case '"':
			// To the closing quote: the next one after an even number of
			// backslashes (IndexByte is the fast part: summaries are
			// mostly strings).
			for {
				j := bytes.IndexByte(raw[i+1:], '"')
				if j < 0 {
					return nil // an unterminated string: no bracket after it counts
				}
				i += 1 + j
				k := i - 1
				for raw[k] == '\\' {
					k--
				}
				if (i-1-k)%2 == 0 {
					break
				}
			}
		case '{', '[':
			if depth++; depth > max {
				return fmt.Errorf("%w: json nested deeper than %d levels at byte %d", ErrInvalid, max, i)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}

// gzipReaders are inflate's readers, kept for the next summary (each
// holds a 32 KiB window).
var gzipReaders sync.Pool

// inflated are buffers of inflated summaries given back (HubSummary.Release)
// for the next: a summary inflates to 40-140 KB, and a new buffer of that
// size is memory the runtime has often returned to the system, whose pages
// fault again as the buffer is cleared and filled (in a profile of the
// hub's ingest, a tenth of its CPU). Buffers past maxKeptInflated are not
// kept.
var inflated sync.Pool

const maxKeptInflated = 1 << 20

// inflate returns the JSON inside a gzipped body: exactly one gzip member,
// at most MaxInflatedBytes.
func inflate(body []byte) ([]byte, error) {
	return inflateInto(body, nil)
}

// inflateInto is inflate into reuse's memory when it is large enough.
func inflateInto(body, reuse []byte) ([]byte, error) {
	if len(body) > MaxBodyBytes {
		return nil, fmt.Errorf("%w: %d bytes gzipped, limit %d", ErrTooLarge, len(body), MaxBodyBytes)
	}
	br := bytes.NewReader(body)
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(br)
	} else {
		err = zr.Reset(br)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrInvalid, err)
	}
	defer gzipReaders.Put(zr)
	zr.Multistream(false)
	// The buffer is sized from the gzip trailer's length (bounded: it is
	// the sender's word) so that reading does not grow it step by step.
	size := 0
	if n := len(body); n >= 18 {
		size = min(int(binary.LittleEndian.Uint32(body[n-4:])), MaxInflatedBytes, 64*n)
	}
	if cap(reuse) < size+bytes.MinRead+1 {
		reuse = make([]byte, 0, size+bytes.MinRead+1)
	}
	buf := bytes.NewBuffer(reuse[:0])
	_, err = buf.ReadFrom(io.LimitReader(zr, MaxInflatedBytes+1))
	raw := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("%w: gzip: %v", ErrInvalid, err)
	}
	if len(raw) > MaxInflatedBytes {
		return nil, fmt.Errorf("%w: more than %d bytes inflated", ErrTooLarge, MaxInflatedBytes)
	}
	if br.Len() > 0 {
		return nil, fmt.Errorf("%w: %d bytes after the gzip member", ErrInvalid, br.Len())
	}
	return raw, nil
}

// HubSummary is how the hub decodes a summary: the changed devices and the
// site's state (health, types, forecast, actions) stay raw JSON (the
// shallower fields win over Summary's), because the hub stores them as they
// came and needs only a few figures from them; decoding and re-encoding
// them would cost most of its time. The raw parts are slices of the
// inflated summary, not copies (decodeHubText): never write to one, and
// copy one to keep it.
type HubSummary struct {
	Summary
	Changed  []json.RawMessage `json:"changed"`
	Health   json.RawMessage   `json:"health"`
	ByType   json.RawMessage   `json:"devices_by_type"`
	Forecast json.RawMessage   `json:"forecast"`
	Actions  json.RawMessage   `json:"actions"`
	Vulns    json.RawMessage   `json:"vulnerabilities"` // nil from boxes that send none
	Hygiene  json.RawMessage   `json:"hygiene"`
	Problems json.RawMessage   `json:"problems"` // nil from boxes older than schema 1.1

	MACs                  []string // of Changed
	Score                 int      // health score
	ActionCount, Critical int      // open actions, critical ones

	text []byte // the inflated summary the raw parts are slices of (Release)
}

// DecodeForHub is DecodeBody for the hub's ingest path. It walks the JSON
// once with gjson (after gjson's validity check) instead of encoding/json's
// two passes over a body that is mostly device records it only stores. A
// property of the wrong JSON type is refused, as DecodeBody would; unknown
// properties are ignored.
//
// Release gives the inflated text back once the summary has been stored.
func DecodeForHub(body []byte) (*HubSummary, error) {
	var reuse []byte
	if p, ok := inflated.Get().(*[]byte); ok {
		reuse = *p
	}
	raw, err := inflateInto(body, reuse)
	if err != nil {
		return nil, err
	}
	if err := CheckDepth(raw, MaxDepth); err != nil {
		return nil, err
	}
	// raw is inflate's own buffer, not written again before Release: the
	// text is its bytes, not a copy (a summary inflates to ~40-140 KB).
	s, err := decodeHubText(unsafe.String(unsafe.SliceData(raw), len(raw)))
	if err != nil {
		return nil, err
	}
	s.text = raw
	return s, nil
}

// Release gives s's inflated text back for the next summary's; its raw
// parts are slices of that text, and are nil after. Call it once nothing
// holds a raw part (the hub: once the summary is stored, its records
// being copies).
func (s *HubSummary) Release() {
	if s.text != nil && cap(s.text) <= maxKeptInflated {
		buf := s.text[:0]
		inflated.Put(&buf)
	}
	s.text = nil
	s.Health, s.ByType, s.Forecast, s.Actions, s.Vulns, s.Hygiene, s.Problems, s.Changed = nil, nil, nil, nil, nil, nil, nil, nil
}

// decodeHubText is DecodeForHub after inflate and the depth check. The
// strings it returns share no memory with text: gjson's strings are slices
// of the text it walks, and one kept (a 4-byte site name stored in the
// embedded store) would keep the whole inflated summary (~140 KB) alive
// with it. The raw parts (state, changed devices) are slices of text: most
// of its bytes, which the hub reads or copies into its records, and a
// copy of them was a quarter of what an ingest allocated (~60 KB of a
// usual summary's ~230 KB).
func decodeHubText(text string) (*HubSummary, error) {
	if !gjson.Valid(text) {
		return nil, fmt.Errorf("%w: json: not valid JSON", ErrInvalid)
	}
	root := gjson.Parse(text)
	if !root.IsObject() {
		return nil, fmt.Errorf("%w: json: not an object", ErrInvalid)
	}
	var d hubDecoder
	seen := make(map[string]bool, 20)
	root.ForEach(func(k, v gjson.Result) bool {
		if seen[k.Str] {
			d.bad = fmt.Errorf("property %q twice", k.Str)
			return false
		}
		seen[k.Str] = true
		if !d.scalar(k.Str, v) {
			d.list(k.Str, v)
		}
		return d.bad == nil
	})
	if d.bad != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, d.bad)
	}
	if len(d.s.Changed) > MaxChanged {
		return nil, fmt.Errorf("%w: more than %d changes", ErrTooLarge, MaxChanged)
	}
	if err := d.s.Summary.Validate(); err != nil {
		return nil, err
	}
	if err := d.s.derive(); err != nil {
		return nil, err
	}
	return &d.s, nil
}

// hubDecoder collects a summary's properties for DecodeForHub; bad is the
// first property of the wrong JSON type, which stops the walk.
type hubDecoder struct {
	s   HubSummary
	bad error
}

func (d *hubDecoder) str(r gjson.Result, dst *string) {
	if r.Type == gjson.String {
		*dst = strings.Clone(r.Str) // not a slice of the text (decodeHubText)
	} else if r.Type != gjson.Null {
		d.bad = fmt.Errorf("%.40s is not a string", r.Raw)
	}
}

func (d *hubDecoder) uint64Of(r gjson.Result, dst *uint64) {
	if r.Type == gjson.Null {
		return
	}
	n, err := strconv.ParseUint(r.Raw, 10, 64)
	if r.Type != gjson.Number || err != nil {
		d.bad = fmt.Errorf("%.40s is not an unsigned integer", r.Raw)
	}
	*dst = n
}

func (d *hubDecoder) intOf(r gjson.Result, dst *int) {
	if r.Type == gjson.Null {
		return
	}
	n, err := strconv.Atoi(r.Raw)
	if r.Type != gjson.Number || err != nil {
		d.bad = fmt.Errorf("%.40s is not an integer", r.Raw)
	}
	*dst = n
}

// rawOf keeps an object ('{') or array ('[') as it came.
func (d *hubDecoder) rawOf(r gjson.Result, dst *json.RawMessage, open byte) {
	if r.Type == gjson.Null {
		return
	}
	if r.Raw == "" || r.Raw[0] != open {
		d.bad = fmt.Errorf("%.40s is not a JSON %c…", r.Raw, open)
	}
	*dst = rawText(r.Raw)
}

// rawText is raw JSON in the text decodeHubText walks, not a copy.
func rawText(raw string) json.RawMessage {
	return json.RawMessage(unsafe.Slice(unsafe.StringData(raw), len(raw)))
}

// scalar decodes one of the summary's single-valued properties (the site's
// state stays raw JSON); false for any other name.
func (d *hubDecoder) scalar(name string, v gjson.Result) bool {
	s := &d.s
	switch name {
	case "schema":
		d.str(v, &s.Schema)
	case "site":
		d.str(v, &s.Site)
	case "box":
		d.str(v, &s.Box)
	case "box_version":
		d.str(v, &s.BoxVersion)
	case "generated_at":
		var t string
		if d.str(v, &t); t != "" {
			var err error
			if s.GeneratedAt, err = time.Parse(time.RFC3339Nano, t); err != nil {
				d.bad = fmt.Errorf("generated_at: %v", err)
			}
		}
	case "seq":
		d.uint64Of(v, &s.Seq)
	case "first_seq":
		d.uint64Of(v, &s.FirstSeq)
	case "coalesced":
		d.intOf(v, &s.Coalesced)
	case "interval_seconds":
		d.intOf(v, &s.Interval)
	case "devices":
		d.intOf(v, &s.Devices)
	case "events_omitted":
		d.intOf(v, &s.EventsOmitted)
	case "changed_omitted":
		d.intOf(v, &s.ChangedOmitted)
	case "health":
		d.rawOf(v, &s.Health, '{')
	case "devices_by_type":
		d.rawOf(v, &s.ByType, '{')
	case "vulnerabilities":
		d.rawOf(v, &s.Vulns, '{')
	case "forecast":
		d.rawOf(v, &s.Forecast, '{')
	case "actions":
		d.rawOf(v, &s.Actions, '[')
	case "hygiene":
		d.rawOf(v, &s.Hygiene, '{')
	case "problems":
		d.rawOf(v, &s.Problems, '[')
	default:
		return false
	}
	return true
}

// list decodes the summary's lists: events (only counted), removed MACs and
// changed devices (kept raw, with their MACs); unknown names are ignored.
// Each stops one past its bound, which the caller refuses.
func (d *hubDecoder) list(name string, v gjson.Result) {
	s := &d.s
	switch name {
	case "events", "removed", "changed":
		if v.Type != gjson.Null && !v.IsArray() {
			d.bad = fmt.Errorf("%s is not an array", name)
			return
		}
	default:
		return
	}
	switch name {
	case "events":
		n := 0
		v.ForEach(func(_, _ gjson.Result) bool { n++; return n <= MaxEvents })
		s.Events = make([]Event, n) // only the count is used
	case "removed":
		v.ForEach(func(_, m gjson.Result) bool {
			var mac string
			d.str(m, &mac)
			s.Removed = append(s.Removed, mac)
			return len(s.Removed) <= MaxChanged
		})
	case "changed":
		v.ForEach(func(_, dev gjson.Result) bool {
			mac := dev.Get("mac")
			if !dev.IsObject() || mac.Type != gjson.String || mac.Str == "" || len(mac.Str) > 64 {
				d.bad = errors.New("changed device without a mac")
				return false
			}
			s.Changed = append(s.Changed, rawText(dev.Raw))
			s.MACs = append(s.MACs, strings.Clone(mac.Str))
			return len(s.Changed) <= MaxChanged
		})
	}
}

// derive fills the site's state a box left out with its empty form and
// reads the few figures the hub needs from it: the health score and the
// open and critical actions.
func (s *HubSummary) derive() error {
	for _, x := range []struct {
		v   *json.RawMessage
		def string
	}{{&s.Health, `{"score":0,"components":[]}`}, {&s.ByType, `{}`}, {&s.Forecast, `{"due":[]}`}, {&s.Actions, `[]`}} {
		if len(*x.v) == 0 {
			*x.v = json.RawMessage(x.def)
		}
	}
	// Read in place: the parts are the decoder's own copies, and nothing
	// gjson returns here is kept.
	score := gjson.Get(unsafe.String(unsafe.SliceData(s.Health), len(s.Health)), "score")
	if score.Exists() && (score.Type != gjson.Number || score.Num != float64(int(score.Num)) || score.Num < 0 || score.Num > 100) {
		return fmt.Errorf("%w: health %s", ErrInvalid, score.Raw)
	}
	s.Score = int(score.Num)
	gjson.Parse(unsafe.String(unsafe.SliceData(s.Actions), len(s.Actions))).ForEach(func(_, a gjson.Result) bool {
		s.ActionCount++
		if a.Get("severity").Str == string(inventory.SeverityCritical) {
			s.Critical++
		}
		return s.ActionCount <= MaxActions
	})
	if s.ActionCount > MaxActions {
		return fmt.Errorf("%w: more than %d actions", ErrTooLarge, MaxActions)
	}
	return nil
}

// Validate checks what the hub relies on: a known major version, names that
// are safe as keys, sane sequence numbers and bounded lists.
func (s *Summary) Validate() error {
	major, _, _ := strings.Cut(s.Schema, ".")
	switch {
	case major != schemaMajor:
		return fmt.Errorf("%w: schema %q, this hub reads %s.x", ErrInvalid, s.Schema, schemaMajor)
	case !validName.MatchString(s.Site):
		return fmt.Errorf("%w: site %q", ErrInvalid, s.Site)
	case !validName.MatchString(s.Box):
		return fmt.Errorf("%w: box %q", ErrInvalid, s.Box)
	case s.Seq == 0 || s.FirstSeq == 0 || s.FirstSeq > s.Seq:
		return fmt.Errorf("%w: seq %d first_seq %d", ErrInvalid, s.Seq, s.FirstSeq)
	case s.Coalesced < 1 || uint64(s.Coalesced) > s.Seq-s.FirstSeq+1:
		return fmt.Errorf("%w: coalesced %d over seq %d..%d", ErrInvalid, s.Coalesced, s.FirstSeq, s.Seq)
	case s.Health.Score < 0 || s.Health.Score > 100:
		return fmt.Errorf("%w: health %d", ErrInvalid, s.Health.Score)
	case s.Devices < 0 || s.Interval < 0 || s.EventsOmitted < 0 || s.ChangedOmitted < 0:
		return fmt.Errorf("%w: negative count", ErrInvalid)
	case len(s.Changed) > MaxChanged || len(s.Removed) > MaxChanged || len(s.Events) > MaxEvents || len(s.Actions) > MaxActions || len(s.Problems) > MaxActions:
		return fmt.Errorf("%w: %d changes, %d removals, %d events, %d actions, %d problems", ErrTooLarge, len(s.Changed), len(s.Removed), len(s.Events), len(s.Actions), len(s.Problems))
	}
	for _, mac := range s.Removed {
		if mac == "" || len(mac) > 64 {
			return fmt.Errorf("%w: removed device without a mac", ErrInvalid)
		}
	}
	for _, d := range s.Changed {
		if d.MAC == "" || len(d.MAC) > 64 {
			return fmt.Errorf("%w: changed device without a mac", ErrInvalid)
		}
	}
	return nil
}
