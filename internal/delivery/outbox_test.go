package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder is a Sender that keeps what it is given and fails with err.
type recorder struct {
	mu   sync.Mutex
	got  []Message
	fail error
}

func (r *recorder) Send(_ context.Context, m Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return r.fail
}

func (r *recorder) messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.got...)
}

func TestOutboxKeepsTheLastMessages(t *testing.T) {
	var logs bytes.Buffer
	next := &recorder{}
	o := NewOutbox(3, slog.New(slog.NewTextHandler(&logs, nil)), next)
	var sent []Message
	for i := range 5 {
		m := testMessage()
		m.Code = strconv.Itoa(100000 + i)
		sent = append(sent, m)
		if err := o.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	if d := cmp.Diff(sent[2:], o.Messages()); d != "" {
		t.Errorf("Messages (-want +got):\n%s", d)
	}
	if d := cmp.Diff(sent, next.messages()); d != "" {
		t.Errorf("passed on (-want +got):\n%s", d)
	}
	if !strings.Contains(logs.String(), "code=100004") || !strings.Contains(logs.String(), "destination=alice@example.com") {
		t.Errorf("log lacks the message:\n%s", logs.String())
	}

	rec := httptest.NewRecorder()
	o.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_dev/messages", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("answer = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var listed []map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 3 || listed[2]["code"] != "100004" || listed[0]["code"] != "100002" {
		t.Fatalf("listed = %v, want codes 100002..100004, newest last", listed)
	}
	for _, k := range []string{"poolId", "username", "destination", "deliveryMedium", "purpose", "code", "time"} {
		if _, ok := listed[0][k]; !ok {
			t.Errorf("listed message has no %q", k)
		}
	}
}

func TestOutboxKeepsMessagesTheSenderRefused(t *testing.T) {
	boom := errors.New("boom")
	o := NewOutbox(0, nil, &recorder{fail: boom})
	if err := o.Send(t.Context(), testMessage()); !errors.Is(err, boom) {
		t.Errorf("Send = %v, want the next sender's error", err)
	}
	if n := len(o.Messages()); n != 1 {
		t.Errorf("%d kept, want 1", n)
	}
	if o.max != DefaultOutboxSize {
		t.Errorf("default size = %d", o.max)
	}

	empty := httptest.NewRecorder()
	NewOutbox(0, nil, nil).ServeHTTP(empty, httptest.NewRequest(http.MethodGet, "/_dev/messages", nil))
	if got := strings.TrimSpace(empty.Body.String()); got != "[]" {
		t.Errorf("empty outbox = %q, want []", got)
	}
}

func TestRouter(t *testing.T) {
	var logs bytes.Buffer
	email, sms := &recorder{}, &recorder{fail: errors.New("gateway down")}
	r := &Router{Email: email, SMS: sms, Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}

	if err := r.Send(t.Context(), testMessage()); err != nil {
		t.Fatalf("Send(email): %v", err)
	}
	if len(email.messages()) != 1 || len(sms.messages()) != 0 {
		t.Errorf("e-mail went to %d/%d", len(email.messages()), len(sms.messages()))
	}
	if err := r.Send(t.Context(), smsMessage()); err == nil || !strings.Contains(err.Error(), "gateway down") {
		t.Errorf("Send(sms) = %v, want the sender's error", err)
	}
	if !strings.Contains(logs.String(), "message delivery failed") {
		t.Errorf("the failure was not logged:\n%s", logs.String())
	}

	logs.Reset()
	none := &Router{Log: slog.New(slog.NewTextHandler(&logs, nil))}
	if err := none.Send(t.Context(), testMessage()); err != nil {
		t.Errorf("Send without a sender = %v, want nil", err)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "no sender is configured") {
		t.Errorf("the undelivered message was not logged as a warning:\n%s", out)
	}
	// The log names the user, never the code or the destination.
	if strings.Contains(out, "123456") || strings.Contains(out, "alice@example.com") {
		t.Errorf("the log shows the code or the destination:\n%s", out)
	}
}
