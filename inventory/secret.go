package inventory

import "log/slog"

// Secret holds a credential (SNMP community, v3 key, API token). It never
// prints, logs or marshals in clear: only Reveal gives the value, so a secret
// can only leak where code asks for it by name.
type Secret string

const redacted = "[redacted]"

// Reveal returns the clear value, for the one place that must send it.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer.
func (s Secret) String() string { return redacted }

// GoString keeps %#v from printing the value.
func (s Secret) GoString() string { return redacted }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText implements encoding.TextMarshaler (and so JSON).
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
