package delivery

import (
	"context"
	"log/slog"
)

// Router sends each message through the sender of its medium.
type Router struct {
	// Email and SMS are the senders of each medium; nil when none is
	// configured.
	Email Sender
	SMS   Sender
	// Log receives one line per message: a warning when it could not be
	// delivered, debug when it was. The lines name the pool, user,
	// medium and purpose, never the code or the destination.
	Log *slog.Logger
}

// Send delivers m through its medium's sender. A medium without one is
// logged as not delivered and is not an error: the code was issued and
// an administrator can still confirm the user. A sender's failure is
// logged and returned.
func (r *Router) Send(ctx context.Context, m Message) error {
	log := r.Log
	if log == nil {
		log = slog.Default()
	}
	attrs := []any{"pool", m.PoolID, "username", m.Username, "medium", m.Medium, "purpose", m.Purpose}
	var s Sender
	switch m.Medium {
	case MediumEmail:
		s = r.Email
	case MediumSMS:
		s = r.SMS
	}
	if s == nil {
		log.WarnContext(ctx, "message not delivered: no sender is configured for its medium", attrs...)
		return nil
	}
	if err := s.Send(ctx, m); err != nil {
		log.WarnContext(ctx, "message delivery failed", append(attrs, "err", err)...)
		return err
	}
	log.DebugContext(ctx, "message delivered", attrs...)
	return nil
}
