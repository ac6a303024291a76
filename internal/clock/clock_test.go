package clock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var wall = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func fixed() time.Time { return wall }

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"720h":   720 * time.Hour,
		"90m":    90 * time.Minute,
		"30d":    30 * 24 * time.Hour,
		"3650d":  3650 * 24 * time.Hour,
		"1d12h":  36 * time.Hour,
		"1d1.5h": 24*time.Hour + 90*time.Minute,
		"0d":     0,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "-1d", "-5h", "1.5d", "3x", "1d-1h", "30 d", "2d3d", "9999999999d", "200000d200000h"} {
		if got, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, got)
		}
	}
}

func TestAdvanceAndReset(t *testing.T) {
	c := New(fixed)
	if !c.Now().Equal(wall) || c.Offset() != 0 {
		t.Fatalf("a new clock reads %v (offset %v)", c.Now(), c.Offset())
	}
	if err := c.Advance(30 * 24 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if want := wall.Add(721 * time.Hour); !c.Now().Equal(want) {
		t.Fatalf("Now = %v, want %v", c.Now(), want)
	}
	for _, d := range []time.Duration{0, -time.Second, maxOffset} {
		if err := c.Advance(d); err != ErrAdvance {
			t.Errorf("Advance(%v) = %v, want ErrAdvance", d, err)
		}
	}
	c.Reset()
	if !c.Now().Equal(wall) {
		t.Fatalf("after Reset Now = %v", c.Now())
	}
}

func TestHandler(t *testing.T) {
	c := New(fixed)
	h := Handler(c)
	call := func(method, body string) (int, map[string]string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(method, "/_dev/clock", strings.NewReader(body)))
		var out map[string]string
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: %q is not JSON", method, body, rec.Body)
		}
		return rec.Code, out
	}
	if code, out := call(http.MethodGet, ""); code != 200 || out["now"] != "2026-01-02T03:04:05Z" || out["offset"] != "0s" {
		t.Fatalf("GET = %d %v", code, out)
	}
	if code, out := call(http.MethodPost, `{"advance": "30d"}`); code != 200 || out["now"] != "2026-02-01T03:04:05Z" || out["offset"] != "720h0m0s" {
		t.Fatalf("advance = %d %v", code, out)
	}
	for _, body := range []string{``, `{}`, `{"advance": "soon"}`, `{"advance": "-1h"}`, `{"advance": "0s"}`,
		`{"advance": "1h", "reset": true}`, `{"reset": false}`, `{"rewind": "1h"}`, `[1]`, `{"advance": 5}`} {
		if code, out := call(http.MethodPost, body); code != 400 || out["message"] == "" {
			t.Errorf("POST %s = %d %v, want 400 with a message", body, code, out)
		}
	}
	if c.Offset() != 720*time.Hour {
		t.Fatalf("refused requests moved the clock: offset %v", c.Offset())
	}
	if code, out := call(http.MethodPost, `{"reset": true}`); code != 200 || out["offset"] != "0s" {
		t.Fatalf("reset = %d %v", code, out)
	}
}

// FuzzParseDuration checks that no input makes ParseDuration panic or
// return a negative duration, and that days mean 24 hours.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"720h", "30d", "1d12h", "3650d", "-1d", "9999999999999d", "1d-5h", "d", "1.5h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		if err == nil && !strings.Contains(s, "d") {
			if want, err := time.ParseDuration(s); err != nil || want != d {
				t.Fatalf("ParseDuration(%q) = %v, time.ParseDuration says %v, %v", s, d, want, err)
			}
		}
	})
}
