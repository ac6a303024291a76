package sqlstore

import "testing"

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct {
		p, end string
		ok     bool
	}{
		{"", "", false},
		{"a", "b", true},
		{"al_", "al`", true},
		{"¿", "À", true},
		{"a\U0010FFFF", "b", true},
		{"\U0010FFFF\U0010FFFF", "", false},
		{"x\uD7FF", "x\uE000", true},
	} {
		end, ok := prefixEnd(tc.p)
		if end != tc.end || ok != tc.ok {
			t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v", tc.p, end, ok, tc.end, tc.ok)
		}
	}
}
