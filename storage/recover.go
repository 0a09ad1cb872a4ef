package storage

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/buntdb"
)

// Damage recovery. buntdb's file is an append-only log of RESP commands
// ("*3\r\n$3\r\nset\r\n$<n>\r\n<key>\r\n$<n>\r\n<value>\r\n", "del",
// "flushdb"). Left to itself buntdb cuts a truncated tail silently, refuses
// to open a file with one bad framing byte ("invalid database", so systemd
// restarts the service forever) and allocates whatever a length field says
// (a huge one kills the process). So Open reads the file first with
// ScanFile, which trusts no length beyond the bytes that follow it; a
// damaged file is moved aside with a timestamp and its valid prefix copied
// into a fresh file, and the report is kept under keyRecovery so the UI can
// say what was lost.

// keyCreated marks a database tend created: an existing file without it
// (an empty file) lost everything, which is not a first run.
const (
	keyCreated  = "meta:created"
	keyRecovery = "meta:recovery"
	// recoveryShown is how long the UI shows the banner after a recovery.
	recoveryShown = 7 * 24 * time.Hour
)

// Recovery says what a damaged database lost.
type Recovery struct {
	Time      time.Time      `json:"time"`
	Path      string         `json:"path"`
	MovedTo   string         `json:"moved_to,omitempty"` // the damaged file, kept for a post-mortem
	Size      int64          `json:"size"`               // bytes in the damaged file
	Kept      int64          `json:"kept"`               // bytes of the valid prefix
	Records   int            `json:"records"`            // valid records kept
	Reason    string         `json:"reason"`             // what was wrong where the valid prefix ends
	LostKinds map[string]int `json:"lost_kinds,omitempty"`
}

// Summary is the one line the log and the UI banner show.
func (r Recovery) Summary() string {
	lost := "no readable records"
	if len(r.LostKinds) > 0 {
		var parts []string
		for k, n := range r.LostKinds {
			parts = append(parts, fmt.Sprintf("%d %s", n, k))
		}
		sort.Strings(parts)
		lost = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("the database %s was damaged (%s at byte %d of %d): kept %d records, lost %d bytes (%s); the damaged file is %s",
		r.Path, r.Reason, r.Kept, r.Size, r.Records, r.Size-r.Kept, lost, r.MovedTo)
}

// Scan is what ScanFile found.
type Scan struct {
	Size    int64  // the file's size
	Valid   int64  // bytes of whole, well-formed records from the start
	Records int    // records in the valid prefix
	Reason  string // why the valid prefix ends before Size; "" if it does not
	Marked  bool   // the prefix holds tend's creation mark
	// LostKinds counts the records still readable after the damage by
	// key kind ("device", "user", …), resynchronising on the next record.
	LostKinds map[string]int
}

// Damaged reports whether the file needs repair.
func (s Scan) Damaged() bool { return s.Valid < s.Size || (s.Size == 0) }

// errFraming is a record that does not parse.
type errFraming struct{ msg string }

func (e errFraming) Error() string { return e.msg }

// maxParts is the most parts a buntdb command has (set key value ex n).
const maxParts = 5

// readRecord reads one command from r, which has left bytes remaining,
// and returns its parts and length. A length larger than what is left is
// damage, never an allocation.
func readRecord(r *bufio.Reader, left int64) (parts []string, n int64, err error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return nil, 0, io.ErrUnexpectedEOF
	}
	n = int64(len(line))
	count, err := header(line, '*')
	if err != nil {
		return nil, 0, err
	}
	if count < 1 || count > maxParts {
		return nil, 0, errFraming{fmt.Sprintf("a record of %d parts", count)}
	}
	for range count {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return nil, 0, io.ErrUnexpectedEOF
		}
		n += int64(len(line))
		size, err := header(line, '$')
		if err != nil {
			return nil, 0, err
		}
		if int64(size)+2 > left-n {
			return nil, 0, errFraming{fmt.Sprintf("a record cut short or a length field larger than the file (%d bytes with %d left)", size, left-n)}
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, 0, io.ErrUnexpectedEOF
		}
		if buf[size] != '\r' || buf[size+1] != '\n' {
			return nil, 0, errFraming{"a value not ended by CRLF"}
		}
		n += int64(size) + 2
		parts = append(parts, string(buf[:size]))
	}
	if err := checkCommand(parts); err != nil {
		return nil, 0, err
	}
	return parts, n, nil
}

// header parses "*<digits>\r\n" or "$<digits>\r\n".
func header(line []byte, kind byte) (int, error) {
	if len(line) < 4 || line[0] != kind || line[len(line)-2] != '\r' {
		return 0, errFraming{fmt.Sprintf("a bad header %q", truncate(line))}
	}
	digits := string(line[1 : len(line)-2])
	if len(digits) > 10 {
		return 0, errFraming{fmt.Sprintf("a length of %d digits", len(digits))}
	}
	v, err := strconv.Atoi(digits)
	if err != nil || v < 0 {
		return 0, errFraming{fmt.Sprintf("a bad header %q", truncate(line))}
	}
	return v, nil
}

func truncate(b []byte) string {
	if len(b) > 16 {
		b = b[:16]
	}
	return string(b)
}

// checkCommand accepts what buntdb's loader accepts.
func checkCommand(parts []string) error {
	switch strings.ToLower(parts[0]) {
	case "set":
		switch len(parts) {
		case 3:
			return nil
		case 5:
			if a := strings.ToLower(parts[3]); a != "ex" && a != "ae" {
				return errFraming{"a set with an unknown option"}
			}
			if _, err := strconv.ParseInt(parts[4], 10, 64); err != nil {
				return errFraming{"a set with a bad expiry"}
			}
			return nil
		}
	case "del":
		if len(parts) == 2 {
			return nil
		}
	case "flushdb":
		if len(parts) == 1 {
			return nil
		}
	}
	return errFraming{fmt.Sprintf("an unknown command %q", truncate([]byte(parts[0])))}
}

// ScanFile reads the database file at path and reports its valid prefix.
// It never allocates more than the file holds.
func ScanFile(path string) (Scan, error) {
	f, err := os.Open(path)
	if err != nil {
		return Scan{}, fmt.Errorf("storage: scan %s: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Scan{}, fmt.Errorf("storage: scan %s: %w", path, err)
	}
	return scan(f, fi.Size())
}

func scan(rd io.Reader, size int64) (Scan, error) {
	s := Scan{Size: size}
	if size == 0 {
		s.Reason = "an empty file"
		return s, nil
	}
	r := bufio.NewReaderSize(rd, 64<<10)
	var off int64
	for off < size {
		c, err := r.ReadByte()
		if err != nil {
			break
		}
		if c == 0 { // buntdb skips NULs (a zero-filled tail after a crash)
			off++
			s.Valid = off
			continue
		}
		_ = r.UnreadByte()
		parts, n, err := readRecord(r, size-off)
		if err != nil {
			s.Reason = "a record cut short"
			var fe errFraming
			if errors.As(err, &fe) {
				s.Reason = fe.msg
			}
			break
		}
		off += n
		s.Valid = off
		s.Records++
		if len(parts) >= 2 && parts[1] == keyCreated {
			s.Marked = true
		}
	}
	if s.Valid < size && s.Reason == "" {
		s.Reason = "unreadable bytes"
	}
	return s, nil
}

// lostKinds counts the records readable after the damage at off, by key
// kind, resynchronising on each "*" that starts a line.
func lostKinds(path string, off int64) map[string]int {
	b, err := os.ReadFile(path)
	if err != nil || off >= int64(len(b)) {
		return nil
	}
	out := map[string]int{}
	tail := b[off:]
	for i := 1; i < len(tail); i++ {
		if tail[i] != '*' || tail[i-1] != '\n' {
			continue
		}
		r := bufio.NewReader(strings.NewReader(string(tail[i:])))
		parts, n, err := readRecord(r, int64(len(tail)-i))
		if err != nil {
			continue
		}
		kind := "other"
		if len(parts) >= 2 {
			if k, _, ok := strings.Cut(parts[1], ":"); ok {
				kind = k
			}
		}
		out[kind]++
		i += int(n) - 1
	}
	return out
}

// RepairFile moves a damaged database aside (path.damaged-<UTC time>) and
// writes its valid prefix to path. It returns nil when the file is sound
// or absent.
func RepairFile(path string, now time.Time) (*Recovery, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	sc, err := ScanFile(path)
	if err != nil {
		return nil, err
	}
	if !sc.Damaged() {
		return nil, nil
	}
	rec := &Recovery{Time: now.UTC(), Path: path, Size: sc.Size, Kept: sc.Valid, Records: sc.Records, Reason: sc.Reason, LostKinds: lostKinds(path, sc.Valid)}
	rec.MovedTo = fmt.Sprintf("%s.damaged-%s", path, now.UTC().Format("20060102T150405Z"))
	tmp := path + ".recovering"
	if err := copyPrefix(path, tmp, sc.Valid); err != nil {
		return nil, err
	}
	if err := os.Rename(path, rec.MovedTo); err != nil {
		return nil, fmt.Errorf("storage: repair %s: move the damaged file aside: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("storage: repair %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // make the renames durable
		d.Close()
	}
	return rec, nil
}

// copyPrefix writes the first n bytes of src to a new file dst (0600),
// fsynced, with src's modification time: buntdb reads "ex" expiries
// relative to it.
func copyPrefix(src, dst string, n int64) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("storage: repair %s: %w", src, err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fmt.Errorf("storage: repair %s: %w", src, err)
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("storage: repair %s: %w", src, err)
	}
	if _, err := io.CopyN(out, in, n); err != nil {
		out.Close()
		return fmt.Errorf("storage: repair %s: copy the valid prefix: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return fmt.Errorf("storage: repair %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("storage: repair %s: %w", src, err)
	}
	_ = os.Chtimes(dst, fi.ModTime(), fi.ModTime())
	return nil
}

// prepare runs before buntdb opens path: it repairs a damaged file and
// reports whether the file is new (so afterOpen marks it).
func prepare(path string, now time.Time) (rec *Recovery, created bool, err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, true, nil
	} else if err != nil {
		return nil, false, fmt.Errorf("storage: open %s: %w", path, err)
	}
	rec, err = RepairFile(path, now)
	return rec, false, err
}

// afterOpen marks a new database and keeps a recovery report for the UI.
func (s *Store) afterOpen(rec *Recovery, created bool) error {
	if !created && rec == nil {
		return nil
	}
	return s.updateSynced(func(tx *buntdb.Tx) (int, error) {
		n := 0
		if created || rec != nil {
			if _, err := tx.Get(keyCreated); errors.Is(err, buntdb.ErrNotFound) {
				if _, _, err := tx.Set(keyCreated, s.cfg.Now().UTC().Format(time.RFC3339), nil); err != nil {
					return 0, err
				}
				n++
			}
		}
		if rec != nil {
			b, err := json.Marshal(rec)
			if err != nil {
				return 0, err
			}
			if _, _, err := tx.Set(keyRecovery, string(b), &buntdb.SetOptions{Expires: true, TTL: recoveryShown}); err != nil {
				return 0, err
			}
			n++
		}
		return n, nil
	})
}

// LastRecovery returns the report of a repair in the last week, or nil, so
// the UI can say what was lost.
func (s *Store) LastRecovery() *Recovery {
	var rec Recovery
	err := s.db.View(func(tx *buntdb.Tx) error {
		v, err := tx.Get(keyRecovery)
		if err != nil {
			return err
		}
		return json.Unmarshal([]byte(v), &rec)
	})
	if err != nil {
		return nil
	}
	return &rec
}

// Recovered returns what this Open repaired, or nil: the caller logs it.
func (s *Store) Recovered() *Recovery { return s.recovered }
