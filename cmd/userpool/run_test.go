package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer lets the test read output the server goroutine writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs `userpool serve` in the background until the returned
// stop function is called, which returns run's error.
func startServe(t *testing.T, data string, extra ...string) (addr string, stdout *syncBuffer, stop func() error) {
	t.Helper()
	addr, stdout, _, stop = startServeEnv(t, nil, data, extra...)
	return addr, stdout, stop
}

// startServeEnv is startServe with environment variables, and the log.
func startServeEnv(t *testing.T, env map[string]string, data string, extra ...string) (addr string, stdout, stderr *syncBuffer, stop func() error) {
	t.Helper()
	addr = freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	args := append([]string{"userpool", "serve", "--addr", addr, "--data", data}, extra...)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, nil, stdout, stderr) }()
	// A readiness wait, not a timing: a race-built server applying a seed
	// on a loaded machine can take many seconds to listen.
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/health")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve exited early: %v\n%s", err, stderr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server not healthy in time\n%s", stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return addr, stdout, stderr, func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop")
			return nil
		}
	}
}

func TestServeGeneratesAdminKeysOnceAndShutsDownCleanly(t *testing.T) {
	data := t.TempDir()
	_, out, stop := startServe(t, data)
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(out.String(), "AWS_ACCESS_KEY_ID=AKUP") || !strings.Contains(out.String(), "AWS_SECRET_ACCESS_KEY=") {
		t.Fatalf("first start did not print the generated key pair: %q", out)
	}
	_, out, stop = startServe(t, data)
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
	if strings.Contains(out.String(), "AWS_SECRET_ACCESS_KEY") {
		t.Fatalf("second start printed the secret again: %q", out)
	}
}

func TestServeRejectsBadConfig(t *testing.T) {
	var stderr bytes.Buffer
	err := run(t.Context(), []string{"userpool", "serve", "--addr", "nope"}, func(string) string { return "" }, nil, &stderr, &stderr)
	if err == nil || !strings.Contains(err.Error(), "addr") {
		t.Fatalf("err = %v", err)
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"userpool", "version"}, func(string) string { return "" }, nil, &out, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "userpool ") || !strings.Contains(out.String(), "\nsigner ") {
		t.Fatalf("version printed %q", out.String())
	}
}

// keys rotate and keys list refuse a pool that does not exist alike, and
// rotate creates no keys for it.
func TestKeysUnknownPool(t *testing.T) {
	data := t.TempDir()
	env := map[string]string{"USERPOOL_DATA_KEY": newDataKey()}
	for _, cmd := range []string{"rotate", "list"} {
		err, _ := runRefused(t, env, "keys", cmd, "--pool", "us-east-1_NoSuchPool", "--data", data)
		if err.Error() != "user pool us-east-1_NoSuchPool does not exist" {
			t.Errorf("keys %s: err = %v", cmd, err)
		}
	}
}

// serve bounds what one client can make it hold: headers over 64 KiB are
// refused (net/http's default would take 1 MiB), and with
// --max-connections 1 a second connection waits until the first is gone.
func TestServeLimits(t *testing.T) {
	addr, _, stop := startServe(t, t.TempDir(), "--max-connections", "1")
	defer stop()
	req, _ := http.NewRequest(http.MethodGet, "http://"+addr+"/health", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("100 KiB of headers: status %d", resp.StatusCode)
	}

	held, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // let the server accept it
	answered := make(chan int, 1)
	go func() {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get("http://" + addr + "/health")
		if err != nil {
			answered <- -1
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	select {
	case s := <-answered:
		t.Fatalf("a second connection was served (%d) while the first was open", s)
	case <-time.After(300 * time.Millisecond):
	}
	held.Close()
	select {
	case s := <-answered:
		if s != http.StatusOK {
			t.Errorf("after the first closed: %d", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting connection was never served")
	}
}
