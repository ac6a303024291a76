package cognito

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// modelPatterns returns every pattern the generated validation uses.
func modelPatterns(t testing.TB) []string {
	b, err := os.ReadFile("zz_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`v\.pattern\(p, [^,]+, pattern\d+, ("(?:[^"\\]|\\.)*")`).FindAllStringSubmatch(string(b), -1) {
		src, err := strconv.Unquote(m[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, src)
	}
	if len(out) < 100 {
		t.Fatalf("found only %d pattern checks in zz_generated.go", len(out))
	}
	return out
}

var patternInputs = []string{
	"", "a", "A", "0", "-", "_", "=", ".", "+", " ", "\t", "\n", "\f", "\r", "\v", "\x00", "\x7f",
	"eyJraWQiOiJ4In0.eyJzdWIiOiIxIn0.c2ln", "abc def", "us-east-1_AbC123", "1example23456789abcdefghij",
	"é", "日本", "\xff", "a\xffb", "\xc3", "😀", "\u00a0", "\u2028", "a/b", "a,b", "@", "{####}",
}

// The byte tables accept exactly what the regexps accept, for every
// pattern of the model that has one, and the common ones have one.
func TestByteClassesAgreeWithRegexp(t *testing.T) {
	tables := map[string]bool{}
	for _, src := range modelPatterns(t) {
		c := classOf(src)
		if c == nil {
			continue
		}
		tables[src] = true
		re := regexp.MustCompile("^(?:" + src + ")$")
		inputs := append([]string{}, patternInputs...)
		for b := range 256 {
			inputs = append(inputs, string([]byte{byte(b)}), "a"+string([]byte{byte(b)}))
		}
		for _, s := range inputs {
			if got, want := c.match(s), re.MatchString(s); got != want {
				t.Errorf("pattern %q on %q: table says %v, regexp %v", src, s, got, want)
			}
		}
	}
	for _, src := range []string{`[A-Za-z0-9-_=.]+`, `[\w+]+`, `[\S]+`} {
		if !tables[src] {
			t.Errorf("pattern %q is checked with the regexp", src)
		}
	}
	for _, src := range []string{`[\w-]+_[0-9a-zA-Z]+`, `[\p{L}\p{M}\p{S}\p{N}\p{P}]+`, `(`} {
		if classOf(src) != nil {
			t.Errorf("pattern %q got a byte table", src)
		}
	}
}

func FuzzByteClass(f *testing.F) {
	srcs := modelPatterns(f)
	for _, s := range patternInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, src := range srcs {
			if c := classOf(src); c != nil {
				if got, want := c.match(s), regexp.MustCompile("^(?:"+src+")$").MatchString(s); got != want {
					t.Fatalf("pattern %q on %q: table says %v, regexp %v", src, s, got, want)
				}
			}
		}
	})
}

func BenchmarkAccessTokenPattern(b *testing.B) {
	tok := "eyJraWQiOiJ4IiwiYWxnIjoiUlMyNTYifQ." + "eyJzdWIiOiIxMTExMTExMS0yMjIyLTMzMzMtNDQ0NC01NTU1NTU1NTU1NTUiLCJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2lnbmF0dXJl"
	for b.Loop() {
		var v violations
		v.pattern("accessToken", tok, func() *regexp.Regexp { return nil }, `[A-Za-z0-9-_=.]+`, true)
		if len(v.list) != 0 {
			b.Fatal(v.list)
		}
	}
}
