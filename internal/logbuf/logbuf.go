package logbuf

import (
	"io"
	"sync"
	"time"
)

// MaxHeld is how many bytes of held lines make a write at once rather than
// at the end of the interval: a burst of requests is written in pieces of
// about this size.
const MaxHeld = 64 << 10

// Writer writes log lines to out. Lines written through Deferred are held
// for at most the interval; lines written through Write go out at once,
// after the held ones.
//
// What a crash can lose: the deferred lines of the last interval, when the
// process ends without Close (SIGKILL, an unrecovered panic, os.Exit).
// Lines written through Write, warnings and errors among them, are never
// held.
type Writer struct {
	out      io.Writer
	interval time.Duration

	mu     sync.Mutex
	held   []byte
	timer  *time.Timer // armed while lines are held
	closed bool
}

// New returns a Writer in front of out that holds deferred lines for at
// most interval.
func New(out io.Writer, interval time.Duration) *Writer {
	w := &Writer{out: out, interval: interval}
	w.timer = time.AfterFunc(time.Hour, func() { w.Flush() })
	w.timer.Stop()
	return w
}

// Write writes p at once, after the lines held before it.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.held) == 0 {
		return w.out.Write(p)
	}
	w.held = append(w.held, p...)
	if err := w.flushLocked(); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Deferred returns the writer of lines that may wait: each is held until
// the interval after the first held line ends, more than MaxHeld bytes are
// held, a line goes through Write, or the Writer is flushed or closed. A
// line is the bytes of one Write call, which a log handler makes once per
// record.
func (w *Writer) Deferred() io.Writer { return deferred{w} }

type deferred struct{ w *Writer }

func (d deferred) Write(p []byte) (int, error) {
	w := d.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.out.Write(p)
	}
	// The caller may reuse p once Write returns (log/slog does), so it is
	// copied.
	w.held = append(w.held, p...)
	switch {
	case len(w.held) >= MaxHeld:
		if err := w.flushLocked(); err != nil {
			return 0, err
		}
	case len(w.held) == len(p):
		w.timer.Reset(w.interval)
	}
	return len(p), nil
}

// Flush writes the held lines.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.flushLocked()
}

// Close writes the held lines; later deferred lines are written at once.
// The Writer stays usable: lines logged while a server shuts down still
// reach out.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	return w.flushLocked()
}

func (w *Writer) flushLocked() error {
	w.timer.Stop()
	if len(w.held) == 0 {
		return nil
	}
	_, err := w.out.Write(w.held)
	// A failed write drops the lines, as an unbuffered write would have;
	// holding them would only grow the buffer while out stays broken.
	w.held = w.held[:0]
	if cap(w.held) > 4*MaxHeld {
		w.held = nil
	}
	return err
}
