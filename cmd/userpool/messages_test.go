package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/config"
	"github.com/userpool/userpool/internal/delivery"
)

// callAPI sends one JSON API request, unsigned (a --dev server accepts
// admin actions without a signature), and decodes the answer, which must
// be a success.
func callAPI(t *testing.T, addr, action string, body any) map[string]any {
	t.Helper()
	code, out := apiStatus(t, addr, action, body)
	if code != http.StatusOK {
		t.Fatalf("%s: %d %v", action, code, out)
	}
	return out
}

func runMessages(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append([]string{"userpool", "messages"}, args...), func(string) string { return "" }, nil, &out, &errOut)
	return out.String(), err
}

func TestMessagesCommand(t *testing.T) {
	addr, _, stop := startServe(t, t.TempDir(), "--dev")
	defer stop()
	pool := callAPI(t, addr, "CreateUserPool", map[string]any{"PoolName": "p", "AutoVerifiedAttributes": []string{"email"}})
	poolID := pool["UserPool"].(map[string]any)["Id"].(string)
	client := callAPI(t, addr, "CreateUserPoolClient", map[string]any{"UserPoolId": poolID, "ClientName": "c"})
	clientID := client["UserPoolClient"].(map[string]any)["ClientId"].(string)
	for _, u := range []string{"alice", "bob"} {
		callAPI(t, addr, "SignUp", map[string]any{"ClientId": clientID, "Username": u, "Password": "Passw0rd!-" + u,
			"UserAttributes": []map[string]string{{"Name": "email", "Value": u + "@example.com"}}})
	}

	out, err := runMessages(t, "--endpoint", "http://"+addr)
	if err != nil {
		t.Fatalf("messages: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "TIME") {
		t.Fatalf("output:\n%s", out)
	}
	row := regexp.MustCompile(`^\S+\s+` + regexp.QuoteMeta(poolID) + `\s+bob\s+EMAIL\s+bob@example\.com\s+SignUp\s+[0-9]{6}$`)
	if !row.MatchString(lines[2]) {
		t.Errorf("newest last: %q", lines[2])
	}

	out, err = runMessages(t, "--endpoint", "http://"+addr+"/", "--json", "--username", "alice")
	if err != nil {
		t.Fatal(err)
	}
	var msgs []delivery.Message
	if err := json.Unmarshal([]byte(out), &msgs); err != nil {
		t.Fatalf("--json printed %q: %v", out, err)
	}
	if len(msgs) != 1 || msgs[0].Username != "alice" || msgs[0].PoolID != poolID || len(msgs[0].Code) != 6 {
		t.Errorf("--username alice = %+v", msgs)
	}
	out, err = runMessages(t, "--endpoint", "http://"+addr, "--pool", "us-east-1_other")
	if err != nil || strings.TrimSpace(out) != "no messages" {
		t.Errorf("--pool of another pool = %q, %v", out, err)
	}
}

func TestMessagesWithoutDev(t *testing.T) {
	addr, _, stop := startServe(t, t.TempDir())
	defer stop()
	resp, err := http.Get("http://" + addr + "/_dev/messages")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /_dev/messages outside --dev = %d, want 404", resp.StatusCode)
	}
	_, err = runMessages(t, "--endpoint", "http://"+addr)
	if err == nil || !strings.Contains(err.Error(), "serve --dev") {
		t.Errorf("messages against a server without --dev = %v", err)
	}
}

// smsHook records the webhook posts it receives.
type smsHook struct {
	mu    sync.Mutex
	posts []delivery.Message
}

func (h *smsHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m delivery.Message
	json.NewDecoder(r.Body).Decode(&m)
	h.mu.Lock()
	h.posts = append(h.posts, m)
	h.mu.Unlock()
}

func (h *smsHook) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.posts)
}

func TestNewMessenger(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	hook := &smsHook{}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	email := delivery.Message{PoolID: "p", Username: "u", Destination: "u@example.com", Medium: delivery.MediumEmail, Code: "123456", Time: time.Now()}
	sms := email
	sms.Medium, sms.Destination = delivery.MediumSMS, "+15555550100"

	// Outside --dev: no outbox, and a medium without a sender is a warning.
	m, outbox, err := newMessenger(&config.Config{SMTPTLS: "starttls", SMSWebhookURL: srv.URL}, log)
	if err != nil {
		t.Fatal(err)
	}
	if outbox != nil {
		t.Error("an outbox outside --dev")
	}
	if err := m.Send(t.Context(), sms); err != nil || hook.count() != 1 {
		t.Errorf("SMS: %v, %d posts", err, hook.count())
	}
	if err := m.Send(t.Context(), email); err != nil {
		t.Errorf("e-mail without a sender: %v", err)
	}
	if !strings.Contains(logs.String(), "no sender is configured") {
		t.Errorf("the undelivered e-mail was not logged:\n%s", logs.String())
	}

	// Under --dev every message is kept, and still goes out where a
	// sender is configured.
	m, outbox, err = newMessenger(&config.Config{Dev: true, SMTPTLS: "starttls", SMSWebhookURL: srv.URL}, log)
	if err != nil || outbox == nil {
		t.Fatalf("dev: %v, outbox %v", err, outbox)
	}
	if err := m.Send(t.Context(), sms); err != nil || hook.count() != 2 {
		t.Errorf("dev SMS: %v, %d posts", err, hook.count())
	}
	before := strings.Count(logs.String(), "no sender is configured")
	if err := m.Send(t.Context(), email); err != nil {
		t.Errorf("dev e-mail: %v", err)
	}
	if strings.Count(logs.String(), "no sender is configured") != before {
		t.Errorf("dev mode warned about the e-mail the outbox took:\n%s", logs.String())
	}
	rec := httptest.NewRecorder()
	outbox.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_dev/messages", nil))
	var kept []delivery.Message
	if err := json.Unmarshal(rec.Body.Bytes(), &kept); err != nil || len(kept) != 2 {
		t.Errorf("outbox = %s, %v", rec.Body.String(), err)
	}

	// SMTP settings build an SMTP sender; bad ones are refused.
	if _, _, err := newMessenger(&config.Config{SMTPHost: "mail.example.com", SMTPTLS: "tls", SMTPFrom: "a@example.com"}, log); err != nil {
		t.Errorf("SMTP: %v", err)
	}
	if _, _, err := newMessenger(&config.Config{SMTPHost: "mail.example.com", SMTPTLS: "tls", SMTPFrom: "nobody"}, log); err == nil {
		t.Error("a bad from address was accepted")
	}
}
