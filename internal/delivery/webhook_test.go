package delivery

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// hook is a webhook receiver that answers each request with the next
// status of its script (the last one repeats) and records the requests.
type hook struct {
	mu       sync.Mutex
	statuses []int
	reqs     []hookRequest
}

type hookRequest struct {
	header http.Header
	body   []byte
}

func newHook(t *testing.T, statuses ...int) (*hook, *httptest.Server) {
	t.Helper()
	h := &hook{statuses: statuses}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

func (h *hook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.reqs = append(h.reqs, hookRequest{header: r.Header.Clone(), body: b})
	i := min(len(h.reqs), len(h.statuses)) - 1
	status := h.statuses[i]
	h.mu.Unlock()
	w.WriteHeader(status)
	io.WriteString(w, http.StatusText(status))
}

func (h *hook) requests() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.reqs...)
}

func newTestWebhook(t *testing.T, url string, attempts int) *Webhook {
	t.Helper()
	w, err := NewWebhook(WebhookConfig{URL: url, Token: "hook-token", Attempts: attempts, Backoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func smsMessage() Message {
	m := testMessage()
	m.Medium, m.Destination, m.Subject = MediumSMS, "+15555550100", ""
	return m
}

func TestWebhookDelivers(t *testing.T) {
	h, srv := newHook(t, http.StatusNoContent)
	if err := newTestWebhook(t, srv.URL, 3).Send(t.Context(), smsMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := h.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	r := reqs[0]
	for name, want := range map[string]string{
		"Content-Type":  "application/json",
		"Authorization": "Bearer hook-token",
	} {
		if got := r.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if len(r.header.Get("Idempotency-Key")) != 32 {
		t.Errorf("Idempotency-Key = %q", r.header.Get("Idempotency-Key"))
	}
	var got map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"poolId": "us-east-1_Test12345", "username": "alice", "destination": "+15555550100",
		"deliveryMedium": "SMS", "purpose": "SignUp", "code": "123456",
		"body": "Your verification code is 123456. ", "time": "2026-11-22T12:00:00Z",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("posted JSON (-want +got):\n%s", d)
	}
}

func TestWebhookRetriesThenDelivers(t *testing.T) {
	h, srv := newHook(t, http.StatusInternalServerError, http.StatusTooManyRequests, http.StatusOK)
	if err := newTestWebhook(t, srv.URL, 3).Send(t.Context(), smsMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := h.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	key := reqs[0].header.Get("Idempotency-Key")
	for i, r := range reqs {
		if r.header.Get("Idempotency-Key") != key {
			t.Errorf("request %d has another Idempotency-Key", i)
		}
		if string(r.body) != string(reqs[0].body) {
			t.Errorf("request %d has another body", i)
		}
	}
}

func TestWebhookGivesUp(t *testing.T) {
	h, srv := newHook(t, http.StatusBadGateway)
	err := newTestWebhook(t, srv.URL, 4).Send(t.Context(), smsMessage())
	var we *WebhookError
	if !errors.As(err, &we) {
		t.Fatalf("Send = %v, want a *WebhookError", err)
	}
	if we.Attempts != 4 || we.Status != http.StatusBadGateway {
		t.Errorf("WebhookError = %+v, want 4 attempts ending in 502", we)
	}
	if n := len(h.requests()); n != 4 {
		t.Errorf("%d requests, want 4", n)
	}
}

func TestWebhookDoesNotRetryRefusals(t *testing.T) {
	h, srv := newHook(t, http.StatusBadRequest, http.StatusOK)
	err := newTestWebhook(t, srv.URL, 3).Send(t.Context(), smsMessage())
	var we *WebhookError
	if !errors.As(err, &we) || we.Attempts != 1 || we.Status != http.StatusBadRequest {
		t.Fatalf("Send = %v, want one attempt refused with 400", err)
	}
	if n := len(h.requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestWebhookUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	err := newTestWebhook(t, url, 2).Send(t.Context(), smsMessage())
	var we *WebhookError
	if !errors.As(err, &we) || we.Attempts != 2 || we.Status != 0 {
		t.Fatalf("Send = %v, want two attempts without an answer", err)
	}
}

func TestWebhookStopsWithContext(t *testing.T) {
	_, srv := newHook(t, http.StatusServiceUnavailable)
	w, err := NewWebhook(WebhookConfig{URL: srv.URL, Attempts: 5, Backoff: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = w.Send(ctx, smsMessage())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Send = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %s after its context ended", d)
	}
}

func TestNewWebhookChecks(t *testing.T) {
	for _, u := range []string{"", "ftp://example.com/x", "http://", "not a url"} {
		if _, err := NewWebhook(WebhookConfig{URL: u}); err == nil {
			t.Errorf("NewWebhook(%q) accepted", u)
		}
	}
	w, err := NewWebhook(WebhookConfig{URL: "https://example.com/sms"})
	if err != nil || w.cfg.Attempts != 3 || w.cfg.Backoff != 250*time.Millisecond || w.cfg.Client == nil {
		t.Errorf("defaults = %+v, %v", w, err)
	}
}
