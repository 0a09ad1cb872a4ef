package discovery

import (
	"os"
	"testing"

	"tend/internal/testwatch"
)

// TestMain removes the namespaces of the sweep tests (newTestLAN) shortly
// before go test's -timeout, whose panic skips every t.Cleanup (they are
// marked too, testwatch.AdoptNetns: tend lab reap deletes those of a
// binary killed outright).
func TestMain(m *testing.M) { os.Exit(testwatch.Main(m)) }
