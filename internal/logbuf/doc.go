// Package logbuf holds the server's access-log lines for a moment before
// they are written, so that a request costs no write(2) of its own: on the
// project's machines a system call is several microseconds, a tenth of a
// GetUser's CPU. Every other line goes out at once, after the held ones,
// so the log keeps its order and a warning is never late.
package logbuf
