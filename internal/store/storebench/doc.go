// Package storebench holds the store benchmarks every backend runs, and
// the fixture they run on, so that the backends' figures measure the same
// work.
package storebench
