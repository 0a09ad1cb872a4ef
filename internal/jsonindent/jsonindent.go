package jsonindent

// Append appends src, compact JSON as json.Marshal writes it (valid, no
// whitespace outside strings), to dst indented with indent per level and
// prefix at the start of every new line, as json.Indent(dst, src, prefix,
// indent) would: a newline after every '{', '[' and ',', ": " after a key,
// empty objects and arrays left as {} and []. Whitespace after the value (an
// Encoder's newline) is copied as it is. For input that is not compact
// valid JSON the result is unspecified; use json.Indent there.
func Append(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	open := false // after '{' or '[': the newline waits for the next byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		if open && c != '}' && c != ']' {
			open = false
			depth++
			dst = newline(dst, prefix, indent, depth)
		}
		switch c {
		case '"':
			j := stringEnd(src, i)
			dst = append(dst, src[i:j]...)
			i = j - 1
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = newline(append(dst, c), prefix, indent, depth)
		case ':':
			dst = append(dst, ':', ' ')
		case '}', ']':
			if open {
				open = false
			} else {
				depth--
				dst = newline(dst, prefix, indent, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// stringEnd returns the index just past the string literal opening at
// src[i], or len(src) if it does not close.
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++ // the escaped byte, whatever it is
		case '"':
			return j + 1
		}
	}
	return len(src)
}

func newline(dst []byte, prefix, indent string, depth int) []byte {
	dst = append(dst, '\n')
	dst = append(dst, prefix...)
	for range depth {
		dst = append(dst, indent...)
	}
	return dst
}
