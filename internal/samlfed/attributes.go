package samlfed

import (
	"strings"

	"github.com/crewjam/saml"
)

// Attributes returns an assertion's attributes by their SAML Name (never
// their FriendlyName, which the standard says not to rely on), the values
// of one Name gathered across the assertion's statements. A single value
// is kept as sent; several are joined as Cognito joins them, each value
// form-encoded, between brackets and separated by ", ":
// "[test-group-two, test-group-one]". Null (xsi:nil) values are left out.
func Attributes(a *saml.Assertion) map[string]string {
	values := map[string][]string{}
	var order []string
	for _, st := range a.AttributeStatements {
		for _, attr := range st.Attributes {
			if attr.Name == "" {
				continue
			}
			if _, seen := values[attr.Name]; !seen {
				order = append(order, attr.Name)
				values[attr.Name] = nil
			}
			for _, v := range attr.Values {
				if v.Nil {
					continue
				}
				s := v.Value
				if v.NameID != nil {
					s = v.NameID.Value
				}
				values[attr.Name] = append(values[attr.Name], s)
			}
		}
	}
	out := make(map[string]string, len(order))
	for _, name := range order {
		if vs := values[name]; len(vs) > 0 {
			out[name] = JoinValues(vs)
		}
	}
	return out
}

// JoinValues is the value Cognito gives a SAML attribute: a single value
// as is, several form-encoded between brackets.
func JoinValues(vs []string) string {
	if len(vs) == 1 {
		return vs[0]
	}
	enc := make([]string, len(vs))
	for i, v := range vs {
		enc[i] = formEncode(v)
	}
	return "[" + strings.Join(enc, ", ") + "]"
}

// formEncode is application/x-www-form-urlencoded as Cognito's platform
// (Java's URLEncoder) writes it: letters, digits and . - * _ are kept, a
// space is +, every other byte of the UTF-8 is %XX. Go's url.QueryEscape
// differs on * and ~.
func formEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
