package userpool

import (
	"strings"
	"testing"
)

func TestCheckUICSS(t *testing.T) {
	for css, ok := range map[string]bool{
		"":                               true,
		"/* only a comment */":           true,
		".label-customizable{color:red}": true,
		".submitButton-customizable:hover, .idpButton-customizable:hover { color: #fff; background: url(logo.png); }": true,
		".label-customizable { color: red; } .legalText-customizable { font-size: 11px; }":                            true,
		"body { color: red; }":                        false,
		".label-customizable div { color: red; }":     false,
		".label-customizable:focus { color: red; }":   false,
		".unknown-customizable { color: red; }":       false,
		"@media print { .label-customizable { } }":    false,
		".label-customizable { color: red; ":          false,
		".label-customizable { a { } }":               false,
		".label-customizable { color: red; } garbage": false,
		`.label-customizable { content: "\3c"; }`:     false,
		".label-customizable, { color: red; }":        false,
	} {
		if err := checkUICSS(css); (err == nil) != ok {
			t.Errorf("checkUICSS(%q) = %v, want accepted %v", css, err, ok)
		}
	}
}

// FuzzCheckUICSS checks that no input panics, and that what is accepted
// can neither end a stylesheet nor load another.
func FuzzCheckUICSS(f *testing.F) {
	f.Add(".label-customizable { color: red; }")
	f.Add("/* c */ .submitButton-customizable:hover, .inputField-customizable:focus { x: y }")
	f.Add("@import url(x); .a { }")
	f.Fuzz(func(t *testing.T, css string) {
		if checkUICSS(css) != nil {
			return
		}
		rest := cssCommentRE.ReplaceAllString(css, "")
		if strings.ContainsAny(rest, `<@\`) {
			t.Errorf("accepted %q", css)
		}
	})
}
