package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestAdviseHugeHeap: after the advice, every mapping over the buffer the
// runtime mapped for it (the heap the replay then reuses) carries
// VM_HUGEPAGE ("hg" in smaps), wherever the randomised heap base put the
// buffer (it may cross an arena boundary). Run in many processes before
// this fix (the advice covered one arena) it failed about one run in
// forty. Where the rest of a test binary's heap lies is the runtime's
// business, so only the buffer is checked.
func TestAdviseHugeHeap(t *testing.T) {
	start, end := adviseHugeHeap()
	if start == 0 {
		t.Skip("the kernel has no 2 MB transparent huge pages (or not 64-bit amd64/arm64): nothing is asked")
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lo, hi uint64
	covered := uint64(0)
	for sc.Scan() {
		line := sc.Text()
		if l, h, ok := smapsRange(line); ok {
			lo, hi = l, h
			continue
		}
		if !strings.HasPrefix(line, "VmFlags:") {
			continue
		}
		if lo < uint64(end) && uint64(start) < hi {
			if !strings.Contains(line+" ", " hg ") {
				t.Errorf("mapping %#x-%#x over the buffer %#x-%#x has %q, want hg", lo, hi, start, end, line)
			}
			covered += min(hi, uint64(end)) - max(lo, uint64(start))
		}
	}
	if covered != uint64(end-start) {
		t.Errorf("smaps maps %d of the buffer's %d bytes", covered, end-start)
	}
}

// smapsRange parses an smaps mapping line's "lo-hi" address range.
func smapsRange(line string) (lo, hi uint64, ok bool) {
	if strings.HasSuffix(line, ":") {
		return 0, 0, false
	}
	l, h, ok := strings.Cut(strings.Fields(line + " ")[0], "-")
	if !ok {
		return 0, 0, false
	}
	lo, err1 := strconv.ParseUint(l, 16, 64)
	hi, err2 := strconv.ParseUint(h, 16, 64)
	return lo, hi, err1 == nil && err2 == nil
}
