// Package raceflag says whether the binary was built with the race
// detector (go test -race), for the tests that walk a whole corpus or loop
// over crashes in one goroutine: the detector has nothing to find there and
// makes them several times slower, so under -race they skip and make
// test-future runs them without it.
package raceflag
