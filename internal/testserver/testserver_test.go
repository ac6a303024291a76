package testserver_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/testserver"
)

func get(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestClockStartsAtStartAndAdvances(t *testing.T) {
	s := testserver.New(t)
	if got := s.Clock.Now(); !got.Equal(testserver.Start) {
		t.Fatalf("Now() = %v, want %v", got, testserver.Start)
	}
	s.Clock.Advance(time.Hour)
	if got, want := s.Clock.Now(), testserver.Start.Add(time.Hour); !got.Equal(want) {
		t.Fatalf("after Advance, Now() = %v, want %v", got, want)
	}
}

func TestOptionsShapeTheServer(t *testing.T) {
	full := testserver.New(t)
	if full.API == nil || full.OAuth2 == nil || full.Outbox != nil {
		t.Fatalf("default stack: API %v, OAuth2 %v, Outbox %v", full.API != nil, full.OAuth2 != nil, full.Outbox != nil)
	}
	if got := get(t, full.URL+"/static/hosted.css"); got != http.StatusOK {
		t.Errorf("default stack: hosted.css answered %d, want 200", got)
	}
	if got := get(t, full.URL+"/_dev/messages"); got != http.StatusNotFound {
		t.Errorf("default stack: /_dev/messages answered %d, want 404", got)
	}

	lean := testserver.New(t, testserver.WithoutOAuth2(), testserver.WithOutbox(nil), testserver.WithDevOutbox())
	if lean.OAuth2 != nil || lean.Outbox == nil {
		t.Fatalf("lean stack: OAuth2 %v, Outbox %v", lean.OAuth2 != nil, lean.Outbox != nil)
	}
	if got := get(t, lean.URL+"/static/hosted.css"); got != http.StatusNotFound {
		t.Errorf("without OAuth2: hosted.css answered %d, want 404", got)
	}
	if got := get(t, lean.URL+"/_dev/messages"); got != http.StatusOK {
		t.Errorf("with the dev outbox: /_dev/messages answered %d, want 200", got)
	}

	noAPI := testserver.New(t, testserver.WithoutAPI())
	resp, err := http.Post(noAPI.URL+"/", "application/x-amz-json-1.1", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if noAPI.API != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("without the API: API set %v, POST / answered %d, want 404", noAPI.API != nil, resp.StatusCode)
	}
}
