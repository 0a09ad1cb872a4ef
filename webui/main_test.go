package webui

import (
	"os"
	"testing"

	"tend/internal/testwatch"
)

// TestMain kills the browser the tests started (testwatch.Adopt)
// shortly before go test's -timeout, whose panic skips every t.Cleanup.
func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }
