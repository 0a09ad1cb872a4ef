package notify

import (
	"os"
	"testing"

	"tend/internal/testwatch"
)

// TestMain kills the daemons the tests started on the host (testwatch.Adopt)
// shortly before go test's -timeout, whose panic skips every t.Cleanup.
func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }
