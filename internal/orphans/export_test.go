package orphans

// MarksDir is marksDir, for the tests.
var MarksDir = marksDir

// UseRootMarks points root's marker directory at dir in this binary (a
// test's own, not the machine's /run/tend-test-owned) and returns the undo.
func UseRootMarks(dir string) (undo func()) {
	old := rootMarks
	rootMarks = dir
	return func() { rootMarks = old }
}
