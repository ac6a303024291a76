package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every collector Userpool serves, the Go runtime's and the
// process's included.
var Registry = prometheus.NewRegistry()

// latencyBuckets go from 50 µs (a cached GetUser) to 2.5 s (a sign-in with
// a costly password hash on a loaded machine).
var latencyBuckets = []float64{.00005, .0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

var (
	// Requests counts requests by action (the X-Amz-Target action, or the
	// route for other endpoints) and outcome ("ok" or the error type).
	Requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "userpool_requests_total",
		Help: "Requests by action and outcome (ok, or the Cognito error type).",
	}, []string{"action", "outcome"})
	// RequestDuration is the server time of a request, by action.
	RequestDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "userpool_request_duration_seconds",
		Help:    "Server time of a request, by action.",
		Buckets: latencyBuckets,
	}, []string{"action"})
	// TokensIssued counts tokens minted, by kind (id, access, refresh).
	TokensIssued = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "userpool_tokens_issued_total",
		Help: "Tokens issued, by kind (id, access, refresh).",
	}, []string{"kind"})
	// Refreshes counts refresh-token redemptions by outcome.
	Refreshes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "userpool_refresh_total",
		Help: "Refresh-token redemptions by outcome (ok, expired, revoked, reused, invalid).",
	}, []string{"outcome"})
	// Lockouts counts failed sign-ins that locked their user out.
	Lockouts = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "userpool_lockouts_total",
		Help: "Failed sign-ins that locked their user out (the fifth failure in a row and each after it).",
	})
	// StoreDuration is the time of the store's calls on the hot path, by
	// operation ("tx" is a whole transaction).
	StoreDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "userpool_store_duration_seconds",
		Help:    "Time of store calls, by operation (tx is a whole transaction).",
		Buckets: latencyBuckets,
	}, []string{"op"})
	// Signer is 1 for the signer this process signs tokens with.
	Signer = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "userpool_signer_info",
		Help: "The RS256 signer in use (go or openssl): 1 for the one that runs.",
	}, []string{"kind"})
)

// Refresh outcomes.
const (
	RefreshOK      = "ok"
	RefreshExpired = "expired"
	RefreshRevoked = "revoked"
	RefreshReused  = "reused"
	RefreshInvalid = "invalid"
)

func init() {
	Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		Requests, RequestDuration, TokensIssued, Refreshes, Lockouts, StoreDuration, Signer,
	)
}

// Handler serves the registry in Prometheus's text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{})
}

// SetSigner records which signer runs.
func SetSigner(kind string) {
	Signer.Reset()
	Signer.WithLabelValues(kind).Set(1)
}

// observeStore records the time from start under op.
func observeStore(op string, start time.Time) {
	StoreDuration.WithLabelValues(op).Observe(time.Since(start).Seconds())
}

// ObserveRequest counts a finished request. action is the API action, ""
// for other endpoints, which are labelled by their route pattern (the
// request's after routing; "other" when none matched); the outcome is
// the Cognito error type the API answered, else "ok" or the HTTP status
// of a failure.
func ObserveRequest(action, errorType, pattern string, status int, d time.Duration) {
	outcome := "ok"
	if errorType != "" {
		outcome = errorType
	} else if status >= 400 {
		outcome = strconv.Itoa(status)
	}
	if action == "" {
		action = pattern
		if action == "" {
			action = "other"
		}
	}
	Requests.WithLabelValues(action, outcome).Inc()
	RequestDuration.WithLabelValues(action).Observe(d.Seconds())
}
