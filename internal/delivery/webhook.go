package delivery

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// WebhookConfig configures a webhook sender.
type WebhookConfig struct {
	// URL receives a POST of each message as JSON (Message's fields).
	URL string
	// Token, when set, is sent as "Authorization: Bearer <Token>", so the
	// receiver can tell the server's posts from anyone else's.
	Token string
	// Client makes the requests; nil means one with a 10-second timeout
	// per attempt.
	Client *http.Client
	// Attempts bounds the tries of one message; zero means 3.
	Attempts int
	// Backoff is the wait before the second try, doubled before each
	// further one; zero means 250ms. With the defaults a message that
	// keeps failing is given up after 3 tries and 750ms of waiting, which
	// keeps the request that sends it well inside its time limit.
	Backoff time.Duration
}

// Webhook delivers messages by POSTing them to a URL. A 2xx answer is
// delivery. A 5xx or 429 answer, or no answer, is tried again after a
// backoff; any other answer is final, since trying again would get the same.
// Every try carries the same Idempotency-Key header, so a receiver that
// got a message whose answer was lost can recognise the retry.
type Webhook struct {
	cfg WebhookConfig
}

// NewWebhook checks cfg and returns the sender.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("webhook: %q is not an http or https URL", cfg.URL)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 3
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 250 * time.Millisecond
	}
	return &Webhook{cfg: cfg}, nil
}

// WebhookError is a message the webhook did not take.
type WebhookError struct {
	// Attempts is how many tries were made.
	Attempts int
	// Status is the last HTTP status received; 0 when the last try got
	// no answer.
	Status int
	// Err is the last try's error.
	Err error
}

// Error says how many tries were made and why the last one failed.
func (e *WebhookError) Error() string {
	return fmt.Sprintf("webhook: not delivered after %d attempt(s): %v", e.Attempts, e.Err)
}

// Unwrap returns the last try's error.
func (e *WebhookError) Unwrap() error { return e.Err }

// Send posts m, trying again as WebhookConfig says.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("webhook: encode: %w", err)
	}
	key := make([]byte, 16)
	rand.Read(key)
	idem := hex.EncodeToString(key)
	wait := w.cfg.Backoff
	last := &WebhookError{}
	for attempt := 1; attempt <= w.cfg.Attempts; attempt++ {
		if attempt > 1 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				last.Err = errors.Join(ctx.Err(), last.Err)
				return last
			case <-t.C:
			}
			wait *= 2
		}
		last.Attempts = attempt
		status, retry, err := w.post(ctx, body, idem)
		if err == nil {
			return nil
		}
		last.Status, last.Err = status, err
		if !retry {
			return last
		}
	}
	return last
}

// post makes one try. retry says whether another try could succeed.
func (w *Webhook) post(ctx context.Context, body []byte, idem string) (status int, retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return 0, false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", idem)
	req.Header.Set("User-Agent", "userpool-webhook")
	if w.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+w.cfg.Token)
	}
	resp, err := w.cfg.Client.Do(req)
	if err != nil {
		return 0, ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	// A little of the answer says why it was refused; the rest is drained
	// so the connection can be reused.
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, false, nil
	}
	err = fmt.Errorf("%s answered %s: %s", w.cfg.URL, resp.Status, bytes.TrimSpace(snippet))
	retry = resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
	return resp.StatusCode, retry, err
}
