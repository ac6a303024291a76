package userpool

import (
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// ListUsers' Filter is one condition, `attribute op "value"`: op is = for
// equality or ^= for "starts with", spaces around it are optional, and
// the value is in double quotes, where \" is a quote and \\ a backslash.
// Cognito searches only the attributes below; anything else, custom
// attributes included, is refused.

// Cognito's answers about filters. The parse error is observed on the real
// service; the wording for an attribute that cannot be searched is the
// one emulators reproduce (unverified).
const msgFilterParse = "Error while parsing filter."

func msgFilterAttribute(name string) string { return "Invalid search attribute: " + name }

// searchable are the names a filter may use.
var searchable = map[string]bool{
	store.FieldUsername:  true,
	"email":              true,
	"phone_number":       true,
	"name":               true,
	"given_name":         true,
	"family_name":        true,
	"preferred_username": true,
	store.FieldStatus:    true,
	store.FieldEnabled:   true,
	"sub":                true,
}

// userFilter is a parsed filter, before it is fitted to a pool.
type userFilter struct {
	attr   string
	value  string
	prefix bool
}

// parseFilter parses a Filter. An empty (or blank) filter is no filter:
// ok is false and err nil.
func parseFilter(s string) (f userFilter, ok bool, err error) {
	p := filterParser{s: s}
	p.space()
	if p.done() {
		return userFilter{}, false, nil
	}
	start := p.i
	for !p.done() && !isFilterSpace(p.s[p.i]) && p.s[p.i] != '=' && p.s[p.i] != '^' && p.s[p.i] != '"' {
		p.i++
	}
	f.attr = p.s[start:p.i]
	if f.attr == "" {
		return userFilter{}, false, cognito.InvalidParameter(msgFilterParse)
	}
	p.space()
	switch {
	case strings.HasPrefix(p.s[p.i:], "^="):
		f.prefix = true
		p.i += 2
	case strings.HasPrefix(p.s[p.i:], "="):
		p.i++
	default:
		return userFilter{}, false, cognito.InvalidParameter(msgFilterParse)
	}
	p.space()
	v, good := p.quoted()
	if !good {
		return userFilter{}, false, cognito.InvalidParameter(msgFilterParse)
	}
	f.value = v
	p.space()
	if !p.done() {
		return userFilter{}, false, cognito.InvalidParameter(msgFilterParse)
	}
	if !searchable[f.attr] {
		return userFilter{}, false, cognito.InvalidParameter(msgFilterAttribute(f.attr))
	}
	return f, true, nil
}

type filterParser struct {
	s string
	i int
}

func (p *filterParser) done() bool { return p.i >= len(p.s) }

func isFilterSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *filterParser) space() {
	for !p.done() && isFilterSpace(p.s[p.i]) {
		p.i++
	}
}

// quoted reads a double-quoted value. A backslash takes the next byte
// literally, so \" and \\ are a quote and a backslash.
func (p *filterParser) quoted() (string, bool) {
	if p.done() || p.s[p.i] != '"' {
		return "", false
	}
	p.i++
	var b strings.Builder
	for !p.done() {
		c := p.s[p.i]
		p.i++
		switch c {
		case '"':
			return b.String(), true
		case '\\':
			if p.done() {
				return "", false
			}
			b.WriteByte(p.s[p.i])
			p.i++
		default:
			b.WriteByte(c)
		}
	}
	return "", false
}

// storeFilter fits a parsed filter to the pool: usernames compare by
// their lookup key, so a case-insensitive pool finds "Bob" with
// username = "bob"; cognito:user_status is documented as
// case-insensitive and statuses are stored in upper case; status
// ("Enabled"/"Disabled") and attributes compare exactly.
func (f userFilter) storeFilter(id identity) *store.UserFilter {
	v := f.value
	switch f.attr {
	case store.FieldUsername:
		v = id.usernameKey(v)
	case store.FieldStatus:
		v = strings.ToUpper(v)
	}
	return &store.UserFilter{Field: f.attr, Value: v, Prefix: f.prefix}
}
