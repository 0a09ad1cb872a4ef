package hub

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"tend/upstream"
)

// A site has two names: its slug, the short ASCII name the wire format,
// URLs, storage keys, CSV and metrics labels use ("acme-dental"), and its
// display name, what people read ("Acme Dental", "Zahnarztpraxis Müller").

// maxDisplayName bounds a display name, in characters.
const maxDisplayName = 100

// ValidateDisplayName reports why name cannot be a site's display name:
// any Unicode letters, digits, punctuation and spaces, 1-100 characters,
// no control characters.
func ValidateDisplayName(name string) error {
	if !utf8.ValidString(name) {
		return errors.New("hub: the display name is not valid UTF-8")
	}
	n := utf8.RuneCountInString(name)
	if n == 0 || n > maxDisplayName || strings.TrimSpace(name) != name {
		return fmt.Errorf("hub: a display name has 1-%d characters and no leading or trailing spaces", maxDisplayName)
	}
	for _, r := range name {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return errors.New("hub: the display name holds a control character")
		}
	}
	return nil
}

// Slug derives a site's slug from its display name: ASCII letters and
// digits kept (lower-cased), common Latin letters with marks folded to
// their base letter, everything else a single '-'. A name with nothing
// left ("東京") gets "site-" and a digest of the name.
func Slug(display string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(display) {
		if f, ok := latinFold[r]; ok {
			b.WriteString(f)
			dash = false
			continue
		}
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 48 {
		s = strings.Trim(s[:48], "-")
	}
	if s == "" {
		sum := sha256.Sum256([]byte(display))
		s = "site-" + hex.EncodeToString(sum[:4])
	}
	if upstream.ValidateSiteName(s) != nil { // cannot happen; keep the invariant visible
		sum := sha256.Sum256([]byte(display))
		s = "site-" + hex.EncodeToString(sum[:4])
	}
	return s
}

// latinFold folds the accented letters of western European names.
var latinFold = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "ae", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "oe", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "ue", 'ý': "y", 'ÿ': "y", 'ß': "ss",
}
