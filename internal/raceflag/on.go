//go:build race

package raceflag

// On is true: built with -race.
const On = true
