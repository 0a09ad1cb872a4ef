//go:build linux && (amd64 || arm64)

package main

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unsafe"
)

// hugeHeapMin is the captures' total size from which replay asks for huge
// pages: a smaller replay's heap fits the chunk the runtime maps at start
// (4 MB), and there the first touch of a huge page (2 MB to zero) costs
// more than the small page faults it saves (an empty capture's replay took
// 4 ms more task-clock with the advice, 23.6 -> 27.7 ms median).
const hugeHeapMin = 8 << 20

// heapArena is the runtime's heap arena on 64-bit Linux (heapArenaBytes):
// arenas are reserved whole and aligned to it.
const heapArena = 64 << 20

// hugePage is the transparent huge page size the advice is meant for. With
// larger ones (32 MB on arm64 kernels with 16 kB pages) a first touch
// would make tens of MB resident, so there replay asks for nothing.
const hugePage = 2 << 20

// heapAnchor keeps the object adviseHugeHeap allocates before its buffer on
// the heap (an object that escapes), marking where the heap was.
var heapAnchor *[64]byte

// adviseHugeHeap asks the kernel for transparent huge pages (MADV_HUGEPAGE)
// over the heap, for a replay only. In a paravirtualised VM a page fault
// costs ~20 µs of CPU, and a replay of the corpus mix took ~2,600 of them,
// most the first touch of heap pages; with 2 MB pages it takes ~1,500 and
// ~10 % less task-clock (perf stat, 21-25 runs alternated), peak RSS +2 to
// +6 MB. The advice holds for the mappings that exist when it is given,
// and the runtime maps its arena 4 MB at a time as the heap grows:
// allocating 32 MB first (never touched, so never resident; garbage at the
// next collection) has the runtime map that much, which the advice then
// covers and the replay's heap reuses. The heap starts at a random 4 MB
// step of its first arena (Go 1.26's randomised heap base), so the buffer
// may run into the next arena: the advice spans every arena from the one
// holding an object allocated just before the buffer to the one holding
// the buffer's end (madvise applies to the mapped parts of the span and
// answers ENOMEM for the holes, which is ignored). Where the kernel has no
// transparent huge pages, or larger ones than 2 MB, nothing is asked.
// serve keeps 4 kB pages: a long-running heap that the scavenger returns
// to the system page by page gains nothing from them. It returns the
// buffer's bounds (for the test), or zeros when it asked nothing.
func adviseHugeHeap() (start, end uintptr) {
	if !hugePages2MB() {
		return 0, 0
	}
	heapAnchor = new([64]byte)
	b := make([]byte, 32<<20)
	start = uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	end = start + uintptr(len(b))
	lo := min(start, uintptr(unsafe.Pointer(heapAnchor))) &^ (heapArena - 1)
	hi := (end + heapArena - 1) &^ (heapArena - 1)
	// A raw call: the span is not one Go object, and a []byte over it
	// (syscall.Madvise) would be a pointer the collector cannot follow.
	syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, syscall.MADV_HUGEPAGE) // advice: its error changes nothing
	runtime.KeepAlive(b)
	return start, end
}

// hugePages2MB reports whether the kernel has transparent huge pages of
// 2 MB.
func hugePages2MB() bool {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size")
	return err == nil && strings.TrimSpace(string(b)) == strconv.Itoa(hugePage)
}
