package logdelivery

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	fileARN = "arn:aws:logs:us-east-1:123456789012:log-group:to-file"
	hookARN = "arn:aws:firehose:us-east-1:123456789012:deliverystream/to-url"
)

// A file destination gets each record as a line, appended, even from
// many goroutines at once; a second router on the same file appends.
func TestFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "activity.jsonl")
	r, err := New(Config{Destinations: fileARN + "=" + path})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !r.Write(t.Context(), fileARN, []byte(`{"n":`+strings.Repeat("1", i+1)+`}`)) {
				t.Error("Write to a mapped file reported not delivered")
			}
		}()
	}
	wg.Wait()
	r.Close()
	r2, err := New(Config{Destinations: fileARN + "=" + path})
	if err != nil {
		t.Fatal(err)
	}
	r2.Write(t.Context(), fileARN, []byte(`{"n":0}`))
	r2.Close()

	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 51 || lines[50] != `{"n":0}` {
		t.Fatalf("%d lines, last %q; want 51, the second router's last", len(lines), lines[len(lines)-1])
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, `{"n":`) || !strings.HasSuffix(l, "}") {
			t.Errorf("line %q is not one whole record", l)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("log file mode %v, want 0600", fi.Mode().Perm())
	}
}

// A URL destination gets each record as a JSON POST with the bearer
// token, in order; Close waits for the queue.
func TestWebhook(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s, Authorization %q, Content-Type %q", r.Method, r.Header.Get("Authorization"), r.Header.Get("Content-Type"))
		}
		mu.Lock()
		got = append(got, string(b))
		mu.Unlock()
	}))
	defer srv.Close()
	r, err := New(Config{Destinations: " " + hookARN + "=" + srv.URL + "/logs ", WebhookToken: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range []string{`{"a":1}`, `{"a":2}`, `{"a":3}`} {
		if !r.Write(t.Context(), hookARN, []byte(rec)) {
			t.Fatal("Write to a mapped URL reported not delivered")
		}
	}
	r.Close()
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(got, " ") != `{"a":1} {"a":2} {"a":3}` {
		t.Errorf("posted %q", got)
	}
	if r.Write(t.Context(), hookARN, []byte(`{}`)) {
		t.Error("Write after Close reported delivered")
	}
}

// A receiver that fails is logged, and a full queue drops records rather
// than wait: delivery is best effort.
func TestWebhookFailure(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	var log bytes.Buffer
	var logMu sync.Mutex
	r, err := New(Config{Destinations: hookARN + "=" + srv.URL, Client: &http.Client{Timeout: time.Minute},
		Log: slog.New(slog.NewTextHandler(&lockedBuffer{b: &log, mu: &logMu}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	dropped := false
	for range QueueSize + 2 {
		if !r.Write(t.Context(), hookARN, []byte(`{}`)) {
			dropped = true
		}
	}
	if !dropped {
		t.Error("no record was dropped with the receiver stuck and the queue full")
	}
	close(release)
	r.Close()
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(log.String(), "500 Internal Server Error") || !strings.Contains(log.String(), "record dropped") {
		t.Errorf("log = %s", log.String())
	}
}

type lockedBuffer struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// An ARN without a mapping is not delivered, and said so once; a nil
// router maps nothing.
func TestUnmapped(t *testing.T) {
	var log bytes.Buffer
	r, err := New(Config{Log: slog.New(slog.NewTextHandler(&log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r.Write(t.Context(), fileARN, []byte(`{}`)) {
			t.Error("an unmapped ARN was delivered")
		}
	}
	if n := strings.Count(log.String(), "no local destination"); n != 1 {
		t.Errorf("the unmapped ARN was reported %d times, want once:\n%s", n, log.String())
	}
	var none *Router
	if none.Write(t.Context(), fileARN, []byte(`{}`)) || none.Mapped(fileARN) {
		t.Error("a nil router delivered")
	}
	none.Close()
}

// Mappings that cannot work are refused when the server starts.
func TestNewErrors(t *testing.T) {
	dir := t.TempDir()
	for _, spec := range []string{
		"no-equals-sign",
		"not-an-arn=" + filepath.Join(dir, "a"),
		fileARN + "=relative/path",
		fileARN + "=",
		fileARN + "=" + filepath.Join(dir, "a") + "," + fileARN + "=" + filepath.Join(dir, "b"),
		fileARN + "=http://",
	} {
		if _, err := New(Config{Destinations: spec}); err == nil {
			t.Errorf("New(%q) accepted it", spec)
		}
	}
}
