// Package metrics holds Userpool's Prometheus collectors and the handler
// that serves them at /metrics. The packages where the work happens (the
// server's middleware, tokens, auth, the store wrapper here) record into
// them; the collectors live in one registry of their own, so nothing that
// a library registers globally is served by accident.
package metrics
