// Command genenterprises builds snmp's embedded table of IANA private
// enterprise numbers (the N in a sysObjectID 1.3.6.1.4.1.N...) from the
// registry as Wireshark ships it, Debian's libwireshark-data package:
//
//	go run ./snmp/internal/genenterprises -in /usr/share/wireshark/enterprises.tsv -out snmp/enterprises.tsv.bz2
//
// The input holds comment lines starting with '#' and lines
// "number<whitespace>name", where a tab followed by '#' after the name
// starts a comment ("\t# formerly 'Old Name'"); a '#' elsewhere belongs to
// the name ("School District #57", "#B4mad Research Lab Organization").
// Entries IANA marks "Reserved" and entries without a name are dropped: they
// name no maker.
//
// The output is bzip2-compressed text (genfile.Bzip2): one comment line saying where the
// data came from and how old it is, then "gap\tname\n" lines sorted by
// number, where gap is how far the number lies above the previous line's
// (the first line's above 0), left empty when it is 1. Most numbers follow
// the one before, so the gaps make the table a quarter smaller than
// writing each number out. bzip2 rather than gzip: its 900 kB blocks see
// the repeats deflate's 32 KiB window misses (463 kB instead of 600 kB).
// The same input gives the same bytes on every run.
package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"tend/internal/genfile"
)

// DefaultInput is where Debian's libwireshark-data installs the registry.
const DefaultInput = "/usr/share/wireshark/enterprises.tsv"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genenterprises:", err)
		os.Exit(1)
	}
}

func run() error {
	in := flag.String("in", DefaultInput, "the IANA registry in Wireshark's enterprises.tsv format (Debian: apt-get install libwireshark-data)")
	out := flag.String("out", "enterprises.tsv.bz2", "path of the bzip2 table to write")
	flag.Parse()
	if flag.NArg() != 0 {
		flag.Usage()
		return errors.New("unexpected arguments")
	}
	f, err := os.Open(*in)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) && *in == DefaultInput {
			return fmt.Errorf("%w (install Debian's libwireshark-data, or pass -in)", err)
		}
		return err
	}
	defer f.Close()
	table, st, err := generate(f)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	if err := genfile.WriteAtomic(*out, table); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "genenterprises: %s (last updated %s): %d entries, %d reserved and %d unnamed dropped; wrote %s: %d bytes (%d before bzip2)\n",
		*in, st.Updated, st.Entries, st.Reserved, st.Unnamed, *out, len(table), st.RawBytes)
	return nil
}

// stats describes one run.
type stats struct {
	Updated           string // the registry's "last updated" date, "" if the header has none
	Entries           int    // numbers written
	Reserved, Unnamed int    // numbers dropped
	RawBytes          int    // size of the table before bzip2
}

type entry struct {
	num  uint32
	name string
}

var updatedRE = regexp.MustCompile(`last updated (\d{4}-\d{2}-\d{2})`)

// generate reads the registry from r and returns the bzip2 table.
func generate(r io.Reader) ([]byte, stats, error) {
	var st stats
	var entries []entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			if m := updatedRE.FindStringSubmatch(line); m != nil && st.Updated == "" {
				st.Updated = m[1]
			}
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !utf8.ValidString(line) {
			return nil, st, fmt.Errorf("line %d: not UTF-8", lineNo)
		}
		end := strings.IndexFunc(line, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(line)
		}
		if end == 0 || (end < len(line) && line[end] != ' ' && line[end] != '\t') {
			return nil, st, fmt.Errorf("line %d: want a number then a name: %q", lineNo, sc.Text())
		}
		n, err := strconv.ParseUint(line[:end], 10, 32)
		if err != nil {
			return nil, st, fmt.Errorf("line %d: %w", lineNo, err)
		}
		name := strings.TrimLeft(line[end:], " \t")
		if i := strings.Index(name, "\t#"); i >= 0 {
			name = name[:i] // a comment: "\t# formerly 'Old Name'"
		}
		name = clean(name)
		switch {
		case name == "":
			st.Unnamed++
			continue
		case strings.EqualFold(name, "Reserved"):
			st.Reserved++
			continue
		}
		entries = append(entries, entry{uint32(n), name})
	}
	if err := sc.Err(); err != nil {
		return nil, st, err
	}
	if len(entries) == 0 {
		return nil, st, errors.New("no entries")
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.num, b.num) })
	for i := 1; i < len(entries); i++ {
		if entries[i].num == entries[i-1].num {
			return nil, st, fmt.Errorf("number %d listed twice (%q, %q)", entries[i].num, entries[i-1].name, entries[i].name)
		}
	}
	st.Entries = len(entries)

	var raw bytes.Buffer
	raw.WriteString("# IANA Private Enterprise Numbers, https://www.iana.org/assignments/enterprise-numbers")
	if st.Updated != "" {
		raw.WriteString(" (last updated " + st.Updated + ")")
	}
	raw.WriteString(", via Wireshark's enterprises.tsv; written by snmp/internal/genenterprises.\n")
	prev := uint32(0)
	for _, e := range entries {
		if gap := e.num - prev; gap != 1 {
			raw.WriteString(strconv.FormatUint(uint64(gap), 10))
		}
		prev = e.num
		raw.WriteByte('\t')
		raw.WriteString(e.name)
		raw.WriteByte('\n')
	}
	st.RawBytes = raw.Len()

	bz, err := genfile.Bzip2(raw.Bytes())
	return bz, st, err
}

// clean trims a name and turns control characters (tabs included, which
// separate the output's fields) into spaces; it keeps IANA's spelling
// otherwise.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
