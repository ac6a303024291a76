package logbuf

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer that counts its writes and is safe to read
// while the timer writes.
type syncBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

func TestDeferredLinesAreHeldThenWritten(t *testing.T) {
	var out syncBuffer
	w := New(&out, 50*time.Millisecond)
	d := w.Deferred()
	line := []byte("a\n")
	d.Write(line)
	line[0] = 'x' // the caller reuses its buffer
	d.Write([]byte("b\n"))
	if got := out.String(); got != "" {
		t.Fatalf("deferred lines were written at once: %q", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.String() == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := out.String(); got != "a\nb\n" {
		t.Fatalf("after the interval: %q, want %q", got, "a\nb\n")
	}
	if n := out.Writes(); n != 1 {
		t.Errorf("%d writes for two held lines, want 1", n)
	}
	// The timer starts again with the next held line.
	d.Write([]byte("c\n"))
	for !strings.HasSuffix(out.String(), "c\n") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := out.String(); got != "a\nb\nc\n" {
		t.Fatalf("the second interval: %q", got)
	}
}

func TestWriteGoesOutAfterHeldLines(t *testing.T) {
	var out syncBuffer
	w := New(&out, time.Hour)
	w.Deferred().Write([]byte("request 1\n"))
	w.Deferred().Write([]byte("request 2\n"))
	w.Write([]byte("warning\n"))
	if got, want := out.String(), "request 1\nrequest 2\nwarning\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	w.Write([]byte("error\n"))
	if got := out.String(); !strings.HasSuffix(got, "warning\nerror\n") {
		t.Fatalf("a line with nothing held: %q", got)
	}
}

func TestCloseWritesHeldLines(t *testing.T) {
	var out syncBuffer
	w := New(&out, time.Hour)
	w.Deferred().Write([]byte("last request\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "last request\n" {
		t.Fatalf("after Close: %q", got)
	}
	// Lines logged after Close, while a server stops, are not held.
	w.Deferred().Write([]byte("late\n"))
	if got := out.String(); got != "last request\nlate\n" {
		t.Fatalf("a deferred line after Close: %q", got)
	}
}

func TestHeldBytesAreBounded(t *testing.T) {
	var out syncBuffer
	w := New(&out, time.Hour)
	line := []byte(strings.Repeat("x", 1023) + "\n")
	for range MaxHeld / len(line) {
		w.Deferred().Write(line)
	}
	if n := out.Writes(); n != 1 {
		t.Fatalf("%d writes after MaxHeld bytes, want 1", n)
	}
	if got := len(out.String()); got != MaxHeld {
		t.Fatalf("wrote %d bytes, want %d", got, MaxHeld)
	}
}

// Lines written from many goroutines arrive whole and all of them.
func TestConcurrentLines(t *testing.T) {
	var out syncBuffer
	w := New(&out, time.Millisecond)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				line := []byte(fmt.Sprintf("g%d line %d\n", g, i))
				if i%50 == 0 {
					w.Write(line)
				} else {
					w.Deferred().Write(line)
				}
			}
		})
	}
	wg.Wait()
	w.Close()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 8*200 {
		t.Fatalf("%d lines, want %d", len(lines), 8*200)
	}
	seen := map[string]bool{}
	for _, l := range lines {
		seen[l] = true
	}
	for g := range 8 {
		for i := range 200 {
			if l := fmt.Sprintf("g%d line %d", g, i); !seen[l] {
				t.Fatalf("missing or torn line %q", l)
			}
		}
	}
}
