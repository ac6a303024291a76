//go:build race

package e2e

// raceEnabled reports whether this test binary was built with -race; the
// server binary the suite starts is then built with it too.
const raceEnabled = true
