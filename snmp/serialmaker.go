package snmp

import "strings"

// guessText is an object's text as guess reads it: tidied, and for a
// serial number without the maker's name before a comma (makerPrefixed).
func (vs *values) guessText(kind int, text string) string {
	t := tidy(text)
	if kind == guessSerial && strings.Contains(t, ",") {
		t = makerPrefixed(t, vs.makerWord())
	}
	if modelKind(kind) && strings.Contains(t, ",") {
		t = makerTyped(t, vs.makerWord())
	}
	return t
}

// modelKind reports whether a guess kind guesses a model.
func modelKind(kind int) bool {
	switch kind {
	case guessModel, guessScalarModel, guessNamedModel, guessBesideSerial, guessMakerModel, guessBeforeVersion:
		return true
	}
	return false
}

// makerTyped is makerPrefixed for a model: the type and model after
// "<maker>," may be hyphenated ("IBM,8233-E8B" → 8233-E8B).
func makerTyped(t, maker string) string {
	before, after, ok := strings.Cut(t, ",")
	if !ok || maker == "" || !strings.EqualFold(before, maker) || after == "" || strings.ContainsAny(after, ", ") {
		return t
	}
	return after
}

// makerPrefixed is t without a leading "<maker>," when the word before
// the comma is maker, the first word of the sysObjectID's enterprise:
// the Open Firmware convention IBM's Power systems keep in their identity
// objects (IBM-AIX-MIB's aixSeMachineType "IBM,8233-E8B" and
// aixSeSerialNumber "IBM,02061F57P"), the maker's name, then the value.
// Otherwise, and for a hyphenated value (the machine's type and model,
// "8233-E8B", not its serial number), t unchanged.
func makerPrefixed(t, maker string) string {
	before, after, ok := strings.Cut(t, ",")
	if !ok || maker == "" || !strings.EqualFold(before, maker) || strings.ContainsAny(after, ", -") {
		return t
	}
	return after
}

// loneScalar reports a short serial number (five characters, a letter
// and digits: Juniper's jnxBoxSerialNo "G0290") that is the only scalar
// the probe found in the maker's MIB, so beside nothing a version, a
// product code or a reading could be read from; but itself not a reading
// in a serial's shape (a rating "1500W", "220VA", a level "1E-05").
func (vs *values) loneScalar(i int, t string) bool {
	return vs.subtreeScalars == 1 && i == 0 && len(t) == 5 && strings.ContainsAny(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
		strings.ToUpper(t) == t && !readingLike(t)
}
