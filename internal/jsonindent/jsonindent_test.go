package jsonindent

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// sample is a value with what tend's JSON holds: nested objects and arrays,
// empty ones, strings with quotes, escapes, HTML and non-ASCII, numbers,
// booleans, nulls and text marshalers.
func sample() any {
	return map[string]any{
		"events":  []any{map[string]any{"summary": `say "hi" \ <b>&</b> é ☃ \u2028`, "n": 1.5e-9, "ok": true}},
		"devices": []any{},
		"empty":   map[string]any{},
		"nil":     nil,
		"nested":  [][]int{{}, {1, 2}, {3}},
		"time":    time.Date(2026, 12, 4, 16, 0, 0, 0, time.UTC),
		"keys":    map[string]string{"a:b": "c,d", "{": "}", "[": "]"},
	}
}

func TestAppendMatchesIndent(t *testing.T) {
	src, err := json.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	src = append(src, '\n') // as an Encoder writes it
	for _, pi := range [][2]string{{"", "  "}, {"> ", "\t"}, {"", ""}} {
		var want bytes.Buffer
		if err := json.Indent(&want, src, pi[0], pi[1]); err != nil {
			t.Fatal(err)
		}
		if got := Append(nil, src, pi[0], pi[1]); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("prefix %q indent %q:\n got %s\nwant %s", pi[0], pi[1], got, want.Bytes())
		}
	}
}

// FuzzAppend checks Append against json.Indent on every input that is
// compact valid JSON, the only input it takes.
func FuzzAppend(f *testing.F) {
	src, _ := json.Marshal(sample())
	f.Add(src)
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"a":[{},[],"\"\\"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, b) != nil {
			return
		}
		var want bytes.Buffer
		if err := json.Indent(&want, compact.Bytes(), ">", "  "); err != nil {
			t.Fatalf("Indent of compacted %q: %v", compact.Bytes(), err)
		}
		if got := Append(nil, compact.Bytes(), ">", "  "); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("Append(%q) = %q, want %q", compact.Bytes(), got, want.Bytes())
		}
	})
}

func BenchmarkAppend(b *testing.B) {
	src, _ := json.Marshal([]any{sample(), sample(), sample(), sample()})
	dst := make([]byte, 0, 2*len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst = Append(dst[:0], src, "", "  ")
	}
}

func BenchmarkIndent(b *testing.B) {
	src, _ := json.Marshal([]any{sample(), sample(), sample(), sample()})
	var dst bytes.Buffer
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		dst.Reset()
		_ = json.Indent(&dst, src, "", "  ")
	}
}
