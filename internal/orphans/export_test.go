package orphans

// MarksDir is marksDir, for the tests.
var MarksDir = marksDir
