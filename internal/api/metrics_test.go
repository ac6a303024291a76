package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrape reads the server's /metrics as a Prometheus server would.
func scrape(t *testing.T, e *env) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(e.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: %s", resp.Status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	return fams
}

// value is the counter (or histogram count) of the family's series with
// exactly the labels given; 0 when there is none.
func value(fams map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	f := fams[name]
	if f == nil {
		return 0
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return 0
}

// A sign-in, a refresh, a GetUser and a refused GetUser show in /metrics:
// requests by action and outcome with their latencies, tokens by kind,
// refresh outcomes and the store's latency. The collectors are the
// process's, shared with the package's other tests, so the test compares
// two scrapes.
func TestMetricsScrape(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	before := scrape(t, e)

	r := signInUser(t, e, pool, client, "alice", tokensPassword)
	if _, err := tokensRefresh(e, client, "alice", aws.ToString(r.RefreshToken)); err != nil {
		t.Fatal(err)
	}
	tokensWantValid(t, e, aws.ToString(r.AccessToken))
	_, err := tokensGetUser(e, tokensTamper(aws.ToString(r.AccessToken), 2))
	wantAPIError(t, err, "NotAuthorizedException", "Invalid Access Token")
	if _, err := tokensRefresh(e, client, "alice", "not-a-refresh-token"); err == nil {
		t.Fatal("a made-up refresh token was accepted")
	}

	after := scrape(t, e)
	for _, c := range []struct {
		name   string
		labels []string
		min    float64
	}{
		{"userpool_requests_total", []string{"action", "InitiateAuth", "outcome", "ok"}, 2},
		{"userpool_requests_total", []string{"action", "GetUser", "outcome", "ok"}, 1},
		{"userpool_requests_total", []string{"action", "GetUser", "outcome", "NotAuthorizedException"}, 1},
		{"userpool_request_duration_seconds", []string{"action", "GetUser"}, 2},
		{"userpool_requests_total", []string{"action", "GET /metrics", "outcome", "ok"}, 1},
		{"userpool_tokens_issued_total", []string{"kind", "id"}, 2},
		{"userpool_tokens_issued_total", []string{"kind", "access"}, 2},
		{"userpool_tokens_issued_total", []string{"kind", "refresh"}, 1},
		{"userpool_refresh_total", []string{"outcome", "ok"}, 1},
		{"userpool_refresh_total", []string{"outcome", "invalid"}, 1},
		{"userpool_store_duration_seconds", []string{"op", "get_refresh_token"}, 1},
		{"userpool_store_duration_seconds", []string{"op", "get_user_by_sub"}, 1},
	} {
		if got := value(after, c.name, c.labels...) - value(before, c.name, c.labels...); got < c.min {
			t.Errorf("%s%v went up by %v, want at least %v", c.name, c.labels, got, c.min)
		}
	}
	for _, name := range []string{"userpool_lockouts_total", "go_goroutines", "process_cpu_seconds_total"} {
		if after[name] == nil {
			t.Errorf("/metrics has no %s", name)
		}
	}
	// Nothing secret is in the labels.
	resp, err := http.Get(e.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, resp.Body); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), aws.ToString(r.AccessToken)[:40]) || strings.Contains(b.String(), "alice") {
		t.Error("/metrics carries a token or a username")
	}
}
