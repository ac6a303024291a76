package passkey

import "testing"

// A response's origin must be the relying party or a subdomain of it,
// over https, or over http on localhost only.
func TestOriginAllowed(t *testing.T) {
	for _, tc := range []struct {
		rp, origin string
		want       bool
	}{
		{"example.com", "https://example.com", true},
		{"example.com", "https://auth.example.com:8443", true},
		{"example.com", "http://example.com", false},
		{"example.com", "https://badexample.com", false},
		{"example.com", "https://example.com.evil.org", false},
		{"example.com", "not a url", false},
		{"localhost", "http://localhost:3000", true},
		{"localhost", "https://localhost", true},
		{"localhost", "http://127.0.0.1:3000", false},
	} {
		if got := (RP{ID: tc.rp}).originAllowed(tc.origin); got != tc.want {
			t.Errorf("RP %q, origin %q: allowed = %v, want %v", tc.rp, tc.origin, got, tc.want)
		}
	}
}

// User verification is required only when the pool says so.
func TestUserVerification(t *testing.T) {
	if got := (RP{UserVerification: "required"}).uv(); got != "required" {
		t.Errorf("required: %q", got)
	}
	if got := (RP{UserVerification: "preferred"}).uv(); got != "preferred" {
		t.Errorf("preferred: %q", got)
	}
}
