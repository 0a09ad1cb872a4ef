package lab

import (
	"context"
	"os"
	"testing"

	"tend/internal/testwatch"
)

// TestMain removes this binary's labs (Owner: os.Getpid(), the default
// owners directory) shortly before go test's -timeout, whose panic skips
// every t.Cleanup.
func TestMain(m *testing.M) {
	testwatch.OnTimeout(func(ctx context.Context) { RemoveOwnedBy(ctx, DefaultOwnersDir, os.Getpid(), nil) })
	os.Exit(testwatch.Main(m))
}
