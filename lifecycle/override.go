package lifecycle

import (
	"fmt"
	"time"

	"tend/internal/follow"
)

// newer returns the override when it is dated after the embedded catalog
// and the embedded one otherwise, so an old file left in the data directory
// cannot roll the facts back after an upgrade.
func newer[T interface {
	comparable
	Date() time.Time
}](embedded, override T) T {
	var none T
	if override != none && (embedded == none || override.Date().After(embedded.Date())) {
		return override
	}
	return embedded
}

// loadFile reads a catalog file, within maxCatalog, and decodes it; what
// names the catalog in errors.
func loadFile[T any](path, what string, decode func([]byte) (T, error)) (T, error) {
	var none T
	b, err := follow.ReadFile(path, maxCatalog)
	if err != nil {
		return none, fmt.Errorf("lifecycle: load %s: %w", what, err)
	}
	c, err := decode(b)
	if err != nil {
		return none, fmt.Errorf("lifecycle: load %s %s: %w", what, path, err)
	}
	return c, nil
}
