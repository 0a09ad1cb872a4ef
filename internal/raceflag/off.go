//go:build !race

package raceflag

// On is false: built without -race.
const On = false
