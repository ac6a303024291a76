package cognito

import (
	"regexp/syntax"
	"sync"
	"unicode/utf8"
)

// Most of the model's patterns are one character class repeated
// ("[A-Za-z0-9-_=.]+" for tokens, "[\w+]+" for client ids, "[\S]+").
// Checking those with a byte table instead of the regexp engine takes a
// token-authorized call's pattern check from microseconds to nanoseconds.
// The table is built from the pattern's own parse, so it accepts exactly
// what the regexp does.

// byteClass says which bytes a "[class]+" pattern accepts.
type byteClass struct {
	ok [256]bool
}

// match reports whether s is one or more bytes of the class.
func (c *byteClass) match(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !c.ok[s[i]] {
			return false
		}
	}
	return true
}

// byteClasses caches, per pattern source, its byteClass or nil when the
// pattern is not of that simple form.
var byteClasses sync.Map // string -> *byteClass

// classOf returns the byte table of src, or nil when src needs the regexp.
func classOf(src string) *byteClass {
	if c, ok := byteClasses.Load(src); ok {
		return c.(*byteClass)
	}
	c := compileByteClass(src)
	byteClasses.Store(src, c)
	return c
}

// compileByteClass builds the table of a pattern that is a character class
// under "+", when the class either contains no rune beyond ASCII or every
// one of them: then each byte of s decides alone (a byte of a multi-byte
// sequence, or of invalid UTF-8, which the regexp reads as U+FFFD, is
// never ASCII).
func compileByteClass(src string) *byteClass {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	if re.Op != syntax.OpPlus || len(re.Sub) != 1 || re.Sub[0].Op != syntax.OpCharClass {
		return nil
	}
	ranges := re.Sub[0].Rune
	c := new(byteClass)
	nonASCII := 0 // runes above 0x7F in the class
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			c.ok[r] = true
		}
		if hi >= utf8.RuneSelf {
			nonASCII += int(hi-max(lo, utf8.RuneSelf)) + 1
		}
	}
	switch nonASCII {
	case 0:
	case utf8.MaxRune - utf8.RuneSelf + 1:
		for b := utf8.RuneSelf; b < 256; b++ {
			c.ok[b] = true
		}
	default:
		return nil
	}
	return c
}
