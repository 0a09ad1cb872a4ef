package traffic

import (
	"encoding/json"
	"io"
)

// WriteJSON writes res as `tend replay --json` prints it: what
// json.Encoder with SetIndent("", "  ") writes, byte for byte
// (TestAppendIndentSameAsEncoder), indented by appendIndent, which reads
// json.Marshal's compact output in one pass instead of encoding/json's
// byte-at-a-time scanner (3 % of a replay of the corpus mix).
func (res *ReplayResult) WriteJSON(w io.Writer) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	out := appendIndent(make([]byte, 0, len(b)*2), b, "  ")
	_, err = w.Write(append(out, '\n'))
	return err
}

// appendIndent appends src, the compact JSON json.Marshal writes (no
// space outside strings, which MarshalJSON methods' output is compacted
// to as well), indented as json.Indent would with no prefix: a newline
// and the indent per depth before each element and closing bracket, ": "
// after a key, and empty objects and arrays left as {} and [].
func appendIndent(dst, src []byte, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '"':
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++ // the escaped byte, a quote perhaps
				}
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
