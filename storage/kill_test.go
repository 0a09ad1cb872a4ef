package storage

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tend/internal/raceflag"
)

// killHelperEnv names the database the helper process writes to.
const killHelperEnv = "TEND_TEST_KILL_DB"

// TestKillHelper is not a test: run by TestKillLoop as a subprocess, it
// writes users and tokens as fast as it can and prints "ack N" after each
// write returns, until it is killed.
func TestKillHelper(t *testing.T) {
	path := os.Getenv(killHelperEnv)
	if path == "" {
		t.Skip("helper process for TestKillLoop")
	}
	start, _ := strconv.Atoi(os.Getenv(killHelperEnv + "_START"))
	s, err := Open(path, Config{})
	if err != nil {
		fmt.Println("open failed:", err)
		os.Exit(3)
	}
	w := bufio.NewWriter(os.Stdout)
	for i := start; ; i++ {
		name := fmt.Sprintf("u%06d", i)
		if err := s.PutUser(User{Name: name, PasswordHash: testHash, Created: t0, Role: RoleTechnician}); err != nil {
			fmt.Println("put failed:", err)
			os.Exit(4)
		}
		if err := s.PutToken(APIToken{Hash: fmt.Sprintf("%064x", i+1), Name: name}); err != nil {
			fmt.Println("put token failed:", err)
			os.Exit(4)
		}
		// Inventory-class writes in between, not synced, to interleave.
		_ = s.Audit(AuditEntry{Action: "noise", Detail: strings.Repeat("x", i%200)})
		fmt.Fprintf(w, "ack %d\n", i)
		w.Flush()
	}
}

// The attack: a power cut or kill -9 in the middle of writes. 100 times a
// helper process writes users and tokens and is killed with SIGKILL at a
// random moment; before some kills a copy of the file is taken mid-write
// (what a power cut leaves). Every write acknowledged before the kill (or
// before the copy) is there afterwards, and the database always opens.
func TestKillLoop(t *testing.T) {
	if raceflag.On {
		t.Skip("100 helper processes killed one after another: runs without -race (make test-future)")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "tend.db")
	rng := rand.New(rand.NewPCG(1, 2))
	next := 0 // the next user number to write
	const kills = 100
	copies, repairs := 0, 0
	for round := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), killHelperEnv+"="+path, killHelperEnv+"_START="+strconv.Itoa(next))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(stdout)
		acked := -1
		want := 1 + rng.IntN(8) // acks to wait for before the kill
		copyAt := -1
		if round%4 == 0 {
			copyAt = rng.IntN(want)
		}
		var snapshot string
		snapAcked := -1
		for sc.Scan() {
			line := sc.Text()
			var n int
			if _, err := fmt.Sscanf(line, "ack %d", &n); err != nil {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("helper said %q", line)
			}
			acked = n
			if got := acked - next + 1; got == copyAt+1 && snapshot == "" && copyAt >= 0 {
				// A power cut: the file as the disk has it mid-write.
				snapshot = filepath.Join(dir, fmt.Sprintf("cut-%d.db", round))
				snapAcked = acked
				if err := copyFile(path, snapshot); err != nil {
					t.Fatal(err)
				}
			}
			if acked-next+1 >= want {
				break
			}
		}
		// Kill at a random moment after the last ack we count: it may be
		// in the middle of the next write.
		time.Sleep(time.Duration(rng.IntN(2000)) * time.Microsecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		if acked < next {
			t.Fatalf("round %d: helper acknowledged nothing", round)
		}

		check := func(p string, upTo int) {
			t.Helper()
			s, err := Open(p, Config{})
			if err != nil {
				t.Fatalf("round %d: open %s after kill: %v", round, filepath.Base(p), err)
			}
			defer s.Close()
			if s.Recovered() != nil {
				repairs++
			}
			for i := 0; i <= upTo; i++ {
				name := fmt.Sprintf("u%06d", i)
				if _, err := s.User(name); err != nil {
					t.Fatalf("round %d: acknowledged user %s lost in %s: %v", round, name, filepath.Base(p), err)
				}
				if _, err := s.Token(fmt.Sprintf("%064x", i+1)); err != nil {
					t.Fatalf("round %d: acknowledged token %s lost in %s: %v", round, name, filepath.Base(p), err)
				}
			}
		}
		check(path, acked)
		if snapshot != "" {
			copies++
			check(snapshot, snapAcked)
		}
		// The helper may have written one more after its last ack we
		// read; the next round starts after whatever is there.
		next = acked + 1
		for {
			s, err := Open(path, Config{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.User(fmt.Sprintf("u%06d", next))
			if err == nil {
				_, err = s.Token(fmt.Sprintf("%064x", next+1))
			}
			s.Close()
			if err != nil {
				break
			}
			next++
		}
	}
	t.Logf("%d kills (%d power-cut copies), %d users acknowledged, none lost; %d opens repaired a torn tail", kills, copies, next, repairs)
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o600)
}
