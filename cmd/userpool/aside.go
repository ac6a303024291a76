package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveAside serves h on a listener of its own, beside the API's, and
// returns the function that stops it and the address it listens on. The
// profiler and, when --metrics-addr asks, the metrics go there, so that
// the API's listener need not expose them.
func serveAside(addr, what string, h http.Handler, log *slog.Logger) (stop func(), listening string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go srv.Serve(ln)
	log.Info(what+" listening", "addr", ln.Addr().String())
	return func() { srv.Close() }, ln.Addr().String(), nil
}

// servePprof serves Go's profiler on a listener of its own, so that the
// profiles in docs/performance.md come from a running server under load,
// and the API's listener never exposes it.
func servePprof(addr string, log *slog.Logger) (stop func(), listening string, err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return serveAside(addr, "profiler", mux, log)
}

// serveMetrics serves the Prometheus metrics at GET /metrics on a
// listener of its own (--metrics-addr): a scraper on a private network
// then needs no route to the API, and the API's clients never see them.
func serveMetrics(addr string, metrics http.Handler, log *slog.Logger) (stop func(), listening string, err error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	return serveAside(addr, "metrics", mux, log)
}
