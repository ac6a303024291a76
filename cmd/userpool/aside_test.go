package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// The profiler answers on its own listener, and stops with the server.
func TestServePprof(t *testing.T) {
	stop, addr, err := servePprof("127.0.0.1:0", slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "goroutine") {
		t.Fatalf("GET /debug/pprof/: %s %.100s", resp.Status, body)
	}
	stop()
	if _, err := http.Get("http://" + addr + "/debug/pprof/"); err == nil {
		t.Fatal("the profiler still answers after stop")
	}
}

// get returns the status and body of GET url.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// By default the API's listener serves /metrics; --metrics-addr, or
// USERPOOL_METRICS_ADDR, moves it to a listener of its own, and the API's
// listener answers 404 for it.
func TestServeMetricsAddr(t *testing.T) {
	addr, _, stop := startServe(t, t.TempDir(), "--dev")
	if code, body := get(t, "http://"+addr+"/metrics"); code != http.StatusOK || !strings.Contains(body, "userpool_signer") {
		t.Errorf("default GET /metrics: %d %.200s", code, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	for _, how := range []string{"flag", "env"} {
		t.Run(how, func(t *testing.T) {
			maddr := freeAddr(t)
			var env map[string]string
			var extra []string
			if how == "flag" {
				extra = []string{"--dev", "--metrics-addr", maddr}
			} else {
				env = map[string]string{"USERPOOL_METRICS_ADDR": maddr}
				extra = []string{"--dev"}
			}
			addr, _, _, stop := startServeEnv(t, env, t.TempDir(), extra...)
			if code, body := get(t, "http://"+maddr+"/metrics"); code != http.StatusOK || !strings.Contains(body, "userpool_signer") || !strings.Contains(body, "userpool_requests_total") {
				t.Errorf("GET /metrics on %s: %d %.200s", maddr, code, body)
			}
			if code, _ := get(t, "http://"+addr+"/metrics"); code != http.StatusNotFound {
				t.Errorf("GET /metrics on the API's listener: %d, want 404", code)
			}
			if code, _ := get(t, "http://"+maddr+"/health"); code != http.StatusNotFound {
				t.Errorf("GET /health on the metrics listener: %d, want 404", code)
			}
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			if _, err := http.Get("http://" + maddr + "/metrics"); err == nil {
				t.Error("the metrics listener still answers after the server stopped")
			}
		})
	}
}

// A listener address that is not host:port is refused at start.
func TestServeRejectsBadMetricsAddr(t *testing.T) {
	var stderr strings.Builder
	err := run(t.Context(), []string{"userpool", "serve", "--metrics-addr", "nope"}, func(string) string { return "" }, nil, &stderr, &stderr)
	if err == nil || !strings.Contains(err.Error(), "metrics-addr") {
		t.Fatalf("err = %v", err)
	}
}
