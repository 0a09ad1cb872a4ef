// Package pageout lets a long-running tend command give back the resident
// pages of its own executable that it touched only while starting: the
// code and read-only data of catalog decoding, template parsing, flag
// handling and the first sweep. It asks the kernel (madvise MADV_PAGEOUT,
// Linux 5.4 and later) to reclaim the pages of the process's own file-backed
// mappings of its executable; whatever is still used is read back from the
// page cache or the file at the next touch, so nothing changes but resident
// memory. Pages other processes map too (another tend on the same binary)
// are left alone by the kernel. Standard library only.
package pageout

import (
	"context"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// madvPageout is MADV_PAGEOUT from linux/mman.h (not in package syscall).
const madvPageout = 21

// span is one mapping: [start, end) in the address space.
type span struct{ start, end uintptr }

// Executable advises the kernel to page out the process's read-only
// file-backed mappings, which in tend's static binary are its executable's
// code and read-only data, and returns how many bytes of mappings it
// advised. A kernel without MADV_PAGEOUT gives syscall.EINVAL.
func Executable() (int64, error) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0, err
	}
	var n int64
	for _, s := range fileMappings(string(maps)) {
		if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, s.start, s.end-s.start, madvPageout); e != 0 {
			return n, e
		}
		n += int64(s.end - s.start)
	}
	return n, nil
}

// fileMappings reads /proc/PID/maps lines ("start-end perms offset dev
// inode path") and returns the mappings of files (a path, not [stack] or an
// anonymous mapping) that are not writable. Writable data (copied on write,
// so anonymous once touched) is left alone, and so is a line it cannot read.
func fileMappings(maps string) []span {
	var spans []span
	for line := range strings.Lines(maps) {
		f := strings.Fields(line)
		if len(f) < 6 || f[5][0] != '/' || len(f[1]) < 2 || f[1][1] == 'w' {
			continue
		}
		lo, hi, _ := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 == nil && err2 == nil && end > start {
			spans = append(spans, span{uintptr(start), uintptr(end)})
		}
	}
	return spans
}

// After waits d, or until ctx ends, then pages the executable out once and
// logs how much it advised; a kernel that cannot is logged, not an error, so
// it runs beside a command's components. It returns nil.
func After(ctx context.Context, d time.Duration, log *slog.Logger) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return nil
	case <-t.C:
	}
	n, err := Executable()
	if err != nil {
		log.Warn("page out start-up code", "err", err)
		return nil
	}
	log.Info("paged out start-up code", "mapped_bytes", n)
	return nil
}
