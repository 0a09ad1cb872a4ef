package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestAdviseHugeHeap: after the advice, the mapping that holds a heap
// object allocated afterwards carries VM_HUGEPAGE ("hg" in smaps).
func TestAdviseHugeHeap(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); err != nil {
		t.Skip("the kernel has no transparent huge pages")
	}
	adviseHugeHeap()
	p := new([1 << 10]byte)
	at := uint64(uintptr(unsafe.Pointer(p)))
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in := false
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := strings.Cut(strings.Fields(line + " ")[0], "-"); ok && !strings.HasSuffix(line, ":") {
			l, err1 := strconv.ParseUint(lo, 16, 64)
			h, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = l <= at && at < h
				continue
			}
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			if !strings.Contains(line+" ", " hg ") {
				t.Errorf("the heap mapping holding %#x has %q, want hg (MADV_HUGEPAGE)", at, line)
			}
			return
		}
	}
	t.Fatalf("no mapping in /proc/self/smaps holds the heap object at %#x", at)
}
