package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/userpool/userpool/internal/reqctx"
)

// syncBuffer is a log destination the server's goroutines share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A panicking action answers Cognito's InternalErrorException with the
// request id, logs the panic with its stack under that id, sends nothing of
// it to the client, and leaves the server serving.
func TestRecoverPanic(t *testing.T) {
	logs := new(syncBuffer)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Boom") != "" {
			panic("secret-detail-in-panic")
		}
		io.WriteString(w, "{}")
	})
	srv := httptest.NewServer(New(Config{API: api, Logger: slog.New(reqctx.LogHandler{Handler: slog.NewJSONHandler(logs, nil)})}))
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Boom", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || resp.Header.Get("X-Amzn-ErrorType") != "InternalErrorException:" ||
		resp.Header.Get("Content-Type") != "application/x-amz-json-1.1" {
		t.Fatalf("answer: %d %v", resp.StatusCode, resp.Header)
	}
	var got map[string]string
	if err := json.Unmarshal(body, &got); err != nil || got["__type"] != "InternalErrorException" || got["message"] != "Internal server error." || len(got) != 2 {
		t.Errorf("body = %s", body)
	}
	if strings.Contains(string(body), "secret-detail") || strings.Contains(string(body), "goroutine") {
		t.Errorf("the panic reached the client: %s", body)
	}
	id := resp.Header.Get("x-amzn-RequestId")
	if id == "" {
		t.Fatal("no request id")
	}
	var logged bool
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "panic" {
			continue
		}
		logged = rec["panic"] == "secret-detail-in-panic" && strings.Contains(rec["stack"].(string), "server_test.go") && strings.Contains(line, id)
	}
	if !logged {
		t.Errorf("the panic was not logged with its stack and request id %s:\n%s", id, logs)
	}

	// The server goes on.
	resp, err = http.Post(srv.URL+"/", "application/x-amz-json-1.1", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the panic: %v %v", resp, err)
	}
	resp.Body.Close()
}

// http.ErrAbortHandler is net/http's way to abort a response on purpose:
// the guard lets it through, so the connection is dropped, not answered.
func TestRecoverLetsAbortThrough(t *testing.T) {
	api := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	h := New(Config{API: api, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	defer func() {
		if v := recover(); !errors.Is(v.(error), http.ErrAbortHandler) {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
	t.Error("ErrAbortHandler was swallowed")
}

// /health answers 200 when ready and 503 otherwise (before start, while
// draining), and is never cached.
func TestHealth(t *testing.T) {
	ready := new(atomic.Bool)
	h := New(Config{API: http.NotFoundHandler(), Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Ready: ready})
	for _, tc := range []struct {
		ready  bool
		status int
		body   string
	}{{false, http.StatusServiceUnavailable, `{"status":"unavailable"}`}, {true, http.StatusOK, `{"status":"ok"}`}} {
		ready.Store(tc.ready)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/health", nil))
		if rec.Code != tc.status || rec.Body.String() != tc.body || rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("ready %v: %d %q %v", tc.ready, rec.Code, rec.Body, rec.Header())
		}
	}
}

// The access log has one line per request with the status, and never the
// body, which carries passwords and tokens.
func TestAccessLogLeavesBodyOut(t *testing.T) {
	logs := new(syncBuffer)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"NotAuthorizedException","message":"Incorrect username or password."}`)
	})
	h := New(Config{API: api, Logger: slog.New(slog.NewTextHandler(logs, nil))})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"PASSWORD":"hunter2-Secret"}`)))
	out := logs.String()
	if !strings.Contains(out, "status=400") || strings.Count(out, "msg=request") != 1 {
		t.Errorf("access log: %s", out)
	}
	if strings.Contains(out, "hunter2") || strings.Contains(out, "Incorrect") {
		t.Errorf("the access log holds a body: %s", out)
	}
}

// Config.AccessLog takes the request lines, and only those: a panic's
// error goes to Logger.
func TestAccessLogOwnLogger(t *testing.T) {
	logs, access := new(syncBuffer), new(syncBuffer)
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	h := New(Config{API: api, Logger: slog.New(slog.NewTextHandler(logs, nil)), AccessLog: slog.New(slog.NewTextHandler(access, nil))})
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`)))
	if out := access.String(); strings.Count(out, "msg=request") != 1 || !strings.Contains(out, "status=500") || strings.Contains(out, "panic") {
		t.Errorf("access log: %s", out)
	}
	if out := logs.String(); strings.Contains(out, "msg=request") || !strings.Contains(out, "msg=panic") {
		t.Errorf("log: %s", out)
	}
}
