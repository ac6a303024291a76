package logdelivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Router holds the destinations a server maps ARNs to. The zero of
// *Router (nil) maps none.
type Router struct {
	log     *slog.Logger
	targets map[string]target

	unmapped sync.Map // ARNs already reported as not delivered
}

// target is where the records of one ARN go.
type target interface {
	write(ctx context.Context, record []byte) error
	close()
}

// Config configures a Router.
type Config struct {
	// Destinations is the mapping, ARN=target pairs separated by commas:
	// a target is an absolute file path, or an http or https URL. ARNs
	// contain neither "=" nor ",".
	Destinations string
	// WebhookToken, when set, is sent as "Authorization: Bearer <token>"
	// with every POST.
	WebhookToken string
	// Client makes the POSTs; nil means one with a 10-second timeout.
	Client *http.Client
	Log    *slog.Logger
}

// QueueSize bounds the records waiting for one URL: delivery is best
// effort, as Cognito's is, and a receiver that is down must not hold
// sign-ins up or fill the memory.
const QueueSize = 1024

// New parses cfg.Destinations and opens the destinations: files are
// created (mode 0600, with their directory) and appended to.
func New(cfg Config) (*Router, error) {
	r := &Router{log: cfg.Log, targets: map[string]target{}}
	if r.log == nil {
		r.log = slog.Default()
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	for _, pair := range strings.Split(cfg.Destinations, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		arn, dest, ok := strings.Cut(pair, "=")
		if !ok || !strings.HasPrefix(arn, "arn:") || dest == "" {
			r.Close()
			return nil, fmt.Errorf("log destinations: %q is not ARN=path or ARN=URL", pair)
		}
		if _, dup := r.targets[arn]; dup {
			r.Close()
			return nil, fmt.Errorf("log destinations: %s is mapped twice", arn)
		}
		t, err := open(dest, cfg, r.log)
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("log destinations: %s: %w", arn, err)
		}
		r.targets[arn] = t
	}
	return r, nil
}

func open(dest string, cfg Config, log *slog.Logger) (target, error) {
	if strings.HasPrefix(dest, "http://") || strings.HasPrefix(dest, "https://") {
		u, err := url.Parse(dest)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("%q is not a URL", dest)
		}
		return newPoster(u.String(), cfg.WebhookToken, cfg.Client, log), nil
	}
	if !filepath.IsAbs(dest) {
		return nil, fmt.Errorf("%q is neither an absolute file path nor an http(s) URL", dest)
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(dest, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &file{f: f}, nil
}

// Mapped reports whether arn has a destination here.
func (r *Router) Mapped(arn string) bool {
	if r == nil {
		return false
	}
	_, ok := r.targets[arn]
	return ok
}

// Write delivers one record (a JSON object, without its newline) to the
// destination of arn. A record for an unmapped ARN is dropped, reported
// once per ARN; a failed write is logged. Neither is the caller's error:
// the logs are a side effect of what the caller does, which must not fail
// for them.
func (r *Router) Write(ctx context.Context, arn string, record []byte) bool {
	t := r.target(arn)
	if t == nil {
		if r != nil {
			if _, seen := r.unmapped.LoadOrStore(arn, true); !seen {
				r.log.WarnContext(ctx, "pool log not delivered: no local destination is mapped to its ARN (see --log-destinations)", "arn", arn)
			}
		}
		return false
	}
	if err := t.write(ctx, record); err != nil {
		r.log.WarnContext(ctx, "pool log not delivered", "arn", arn, "err", err)
		return false
	}
	return true
}

func (r *Router) target(arn string) target {
	if r == nil {
		return nil
	}
	return r.targets[arn]
}

// Close flushes and closes every destination: the queued POSTs are sent
// (each within its client's timeout) and the files closed.
func (r *Router) Close() {
	if r == nil {
		return
	}
	for _, t := range r.targets {
		t.close()
	}
}

// file appends records as lines. One write call per line, under a lock,
// so lines never interleave.
type file struct {
	mu sync.Mutex
	f  *os.File
}

func (f *file) write(_ context.Context, record []byte) error {
	line := make([]byte, 0, len(record)+1)
	line = append(append(line, record...), '\n')
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f == nil {
		return errors.New("log file closed")
	}
	_, err := f.f.Write(line)
	return err
}

func (f *file) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.f != nil {
		f.f.Close()
		f.f = nil
	}
}

// poster POSTs records from a queue, in order, on a goroutine of its own,
// so the request that produced a record never waits for the receiver.
type poster struct {
	url, token string
	client     *http.Client
	log        *slog.Logger

	mu     sync.Mutex
	queue  chan []byte
	closed bool
	done   chan struct{}
}

func newPoster(u, token string, client *http.Client, log *slog.Logger) *poster {
	p := &poster{url: u, token: token, client: client, log: log, queue: make(chan []byte, QueueSize), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *poster) write(_ context.Context, record []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return errors.New("log destination closed")
	}
	select {
	case p.queue <- bytes.Clone(record):
		return nil
	default:
		return fmt.Errorf("%d records already wait for %s: record dropped", QueueSize, p.url)
	}
}

func (p *poster) run() {
	defer close(p.done)
	for record := range p.queue {
		if err := p.post(record); err != nil {
			p.log.Warn("pool log not delivered", "url", p.url, "err", err)
		}
	}
}

func (p *poster) post(record []byte) error {
	req, err := http.NewRequest(http.MethodPost, p.url, bytes.NewReader(record))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}

func (p *poster) close() {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		close(p.queue)
	}
	p.mu.Unlock()
	<-p.done
}
