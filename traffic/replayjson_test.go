package traffic

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestAppendIndentSameAsEncoder: WriteJSON's bytes are json.Encoder's with
// SetIndent("", "  "), for hand-picked values (empty and nested
// containers, escapes, brackets, colons and commas inside strings) and for
// random ones.
func TestAppendIndentSameAsEncoder(t *testing.T) {
	values := []any{
		nil, 1, "x", []int{}, map[string]any{}, []any{[]int{}, map[string]int{}},
		map[string]any{"a": []any{1, "b", nil, true, 2.5, map[string]any{"c": []int{}}}, "d": map[string]any{}},
		[]string{`"`, `\`, `\"`, `{[,:]}`, "\u2028<>&", "tab\there", `ends with \`, "é\x00"},
		map[string]string{`k"ey`: `v\al`, "{": "}", "[": ":,"},
		&ReplayResult{Events: nil, Files: []ReplayFile{{Path: `a "b" c\d`, Packets: 3}}},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300 {
		values = append(values, randomValue(rng, 4))
	}
	for i, v := range values {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		compact, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got := append(appendIndent(nil, compact, "  "), '\n')
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("value %d: appendIndent gives\n%s\nwant\n%s", i, got, want.Bytes())
		}
	}
}

// randomValue builds a JSON value of nested maps, slices, strings full of
// JSON's punctuation, numbers and literals.
func randomValue(rng *rand.Rand, depth int) any {
	const alphabet = `ab"\{}[],: é` + "\n\t\x01<>&\u2028"
	str := func() string {
		var b strings.Builder
		for range rng.IntN(6) {
			r := []rune(alphabet)
			b.WriteRune(r[rng.IntN(len(r))])
		}
		return b.String()
	}
	switch k := rng.IntN(8); {
	case depth > 0 && k < 2:
		m := map[string]any{}
		for range rng.IntN(4) {
			m[str()] = randomValue(rng, depth-1)
		}
		return m
	case depth > 0 && k < 4:
		s := []any{}
		for range rng.IntN(4) {
			s = append(s, randomValue(rng, depth-1))
		}
		return s
	case k == 4:
		return rng.Float64() * 1e6
	case k == 5:
		return rng.IntN(3) == 0
	case k == 6:
		return nil
	}
	return str()
}

// BenchmarkIndent compares appendIndent with encoding/json's Indent on a
// replay result's compact JSON (TEND_BENCH_JSON, a `tend replay --json`
// output; skipped without it).
func BenchmarkIndent(b *testing.B) {
	path := os.Getenv("TEND_BENCH_JSON")
	if path == "" {
		b.Skip("TEND_BENCH_JSON not set")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		b.Fatal(err)
	}
	var dst []byte
	b.Run("appendIndent", func(b *testing.B) {
		b.SetBytes(int64(compact.Len()))
		for b.Loop() {
			dst = appendIndent(dst[:0], compact.Bytes(), "  ")
		}
	})
	b.Run("json.Indent", func(b *testing.B) {
		b.SetBytes(int64(compact.Len()))
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
				b.Fatal(err)
			}
		}
	})
}
