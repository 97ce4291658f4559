package main

import (
	"sort"
	"strings"
)

// stabilityRuns is how often an emission is repeated to detect a
// non-deterministic key order. go-yaml v2 sorts map keys with a comparison
// that is not transitive for some key sets (e.g. "a10" < "a1b" < "a2b" <
// "a10"); the keys reach the sort in Go's random map order, so the emitted
// order of such sets changes from run to run. Go randomizes the start of
// every map iteration, so a set with more than one possible order shows a
// second one within a few runs.
const stabilityRuns = 64

// stableEmit runs emit repeatedly; stable reports whether every run gave
// the same text and error.
func stableEmit(emit func() ([]byte, error)) (out string, err error, stable bool) {
	b, err := emit()
	out = string(b)
	for i := 1; i < stabilityRuns; i++ {
		b2, err2 := emit()
		if string(b2) != out || (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			return out, err, false
		}
	}
	return out, err, true
}

// sortedLines returns the lines of s in byte order: the same for every
// key order go-yaml can pick.
func sortedLines(s string) []string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	sort.Strings(lines)
	return lines
}
