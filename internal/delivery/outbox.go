package delivery

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
)

// DefaultOutboxSize is how many messages the development outbox keeps.
const DefaultOutboxSize = 1000

// Outbox is the development mode's record of every message: it keeps the
// last ones in memory, logs each one with its code, and passes it on to
// the real sender, if there is one. It is served at GET /_dev/messages so
// that local tests can read the codes they were sent. It must never be
// used outside development mode: it holds live codes.
type Outbox struct {
	next Sender
	log  *slog.Logger
	max  int

	mu   sync.Mutex
	msgs []Message // oldest first, at most max
}

// NewOutbox returns an outbox keeping the last size messages (size <= 0
// means DefaultOutboxSize). next, when not nil, receives every message
// too; log, when not nil, gets a line per message.
func NewOutbox(size int, log *slog.Logger, next Sender) *Outbox {
	if size <= 0 {
		size = DefaultOutboxSize
	}
	return &Outbox{next: next, log: log, max: size}
}

// Send records m, then passes it to the next sender. The message is kept
// even when that sender fails: in development the outbox is where the
// code is read.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	o.mu.Lock()
	if len(o.msgs) == o.max {
		// Shift rather than ring: the list is read far more rarely than
		// written, but reads must be cheap to get right, and max is small.
		copy(o.msgs, o.msgs[1:])
		o.msgs = o.msgs[:o.max-1]
	}
	o.msgs = append(o.msgs, m)
	o.mu.Unlock()
	if o.log != nil {
		o.log.InfoContext(ctx, "dev outbox: message", "pool", m.PoolID, "username", m.Username,
			"destination", m.Destination, "medium", m.Medium, "purpose", m.Purpose, "code", m.Code)
	}
	if o.next != nil {
		return o.next.Send(ctx, m)
	}
	return nil
}

// Messages returns a copy of the kept messages, oldest first.
func (o *Outbox) Messages() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Message{}, o.msgs...)
}

// ServeHTTP answers with the kept messages as a JSON list, newest last.
func (o *Outbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := json.Marshal(o.Messages())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
