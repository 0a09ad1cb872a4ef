package pageout

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func TestFileMappings(t *testing.T) {
	maps := `00400000-00a00000 r-xp 00000000 08:01 123 /usr/bin/tend
00a00000-01000000 r--p 00600000 08:01 123 /usr/bin/tend
01000000-01100000 rw-p 00c00000 08:01 123 /usr/bin/tend
01100000-01200000 rw-p 00000000 00:00 0
7f0000000000-7f0000001000 r--p 00000000 08:01 456 /usr/bin/tend.old
7f0000002000-7f0000003000 r--p 00000000 08:01 789 /opt/my tend
7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]
`
	got := fileMappings(maps)
	want := []span{{0x400000, 0xa00000}, {0xa00000, 0x1000000}, {0x7f0000000000, 0x7f0000001000}, {0x7f0000002000, 0x7f0000003000}}
	if len(got) != len(want) {
		t.Fatalf("mappings %x, want %x (read-only file mappings only)", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mapping %d: %x, want %x", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"zz-01 r--p 0 08:01 1 /usr/bin/tend\n", "0200-0100 r--p 0 08:01 1 /usr/bin/tend\n", "0100 r--p 0 08:01 1 /usr/bin/tend\n"} {
		if got := fileMappings(bad); len(got) != 0 {
			t.Errorf("%q: %x, want none", bad, got)
		}
	}
}

// rssFile is the process's file-backed resident memory in kB.
func rssFile(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "RssFile:"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no RssFile in /proc/self/status")
	return 0
}

// TestExecutable pages out the test binary's own code: its file-backed
// resident memory falls.
func TestExecutable(t *testing.T) {
	before := rssFile(t)
	n, err := Executable()
	if errors.Is(err, syscall.EINVAL) {
		t.Skipf("kernel without MADV_PAGEOUT: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	after := rssFile(t)
	t.Logf("advised %d bytes; RssFile %d kB -> %d kB", n, before, after)
	if n == 0 || after > before*3/4 {
		t.Errorf("RssFile %d kB -> %d kB after paging out %d bytes: want at least a quarter less", before, after, n)
	}
}
