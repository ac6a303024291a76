package cognito

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// violations collects constraint failures in the order AWS reports them and
// renders them as one InvalidParameterException:
//
//	2 validation errors detected: Value null at 'clientId' failed to satisfy
//	constraint: Member must not be null; Value 'x' at 'authFlow' ...
type violations struct {
	list []string
}

func (v *violations) add(path, value string, sensitive bool, constraint string) {
	shown := " " + value
	if sensitive {
		// AWS leaves the value of sensitive members (passwords, tokens,
		// secrets) out of its messages; so do we, so they never reach a
		// client's logs through an error.
		shown = ""
	}
	v.list = append(v.list, fmt.Sprintf("Value%s at '%s' failed to satisfy constraint: %s", shown, path, constraint))
}

func quote(s string) string { return "'" + s + "'" }

func (v *violations) null(path string) {
	v.list = append(v.list, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", path))
}

// length counts UTF-16 code units, as the Java services that define these
// limits do.
func length(s string) int { return len(utf16.Encode([]rune(s))) }

func (v *violations) minLen(path, s string, n int, sensitive bool) {
	if length(s) < n {
		v.add(path, quote(s), sensitive, "Member must have length greater than or equal to "+strconv.Itoa(n))
	}
}

func (v *violations) maxLen(path, s string, n int, sensitive bool) {
	if length(s) > n {
		v.add(path, quote(s), sensitive, "Member must have length less than or equal to "+strconv.Itoa(n))
	}
}

func (v *violations) enum(path, s string, values []string, sensitive bool) {
	for _, e := range values {
		if s == e {
			return
		}
	}
	v.add(path, quote(s), sensitive, "Member must satisfy enum value set: ["+strings.Join(values, ", ")+"]")
}

func (v *violations) pattern(path, s string, re func() *regexp.Regexp, src string, sensitive bool) {
	var ok bool
	if c := classOf(src); c != nil {
		ok = c.match(s)
	} else {
		ok = re().MatchString(s)
	}
	if !ok {
		v.add(path, quote(s), sensitive, "Member must satisfy regular expression pattern: "+src)
	}
}

func (v *violations) minVal(path string, n, min int64) {
	if n < min {
		v.add(path, quote(strconv.FormatInt(n, 10)), false, "Member must have value greater than or equal to "+strconv.FormatInt(min, 10))
	}
}

func (v *violations) maxVal(path string, n, max int64) {
	if n > max {
		v.add(path, quote(strconv.FormatInt(n, 10)), false, "Member must have value less than or equal to "+strconv.FormatInt(max, 10))
	}
}

func (v *violations) minCount(path string, n, min int) {
	if n < min {
		v.add(path, "", true, "Member must have length greater than or equal to "+strconv.Itoa(min))
	}
}

func (v *violations) maxCount(path string, n, max int) {
	if n > max {
		v.add(path, "", true, "Member must have length less than or equal to "+strconv.Itoa(max))
	}
}

func (v *violations) err() error {
	switch len(v.list) {
	case 0:
		return nil
	case 1:
		return InvalidParameter("1 validation error detected: " + v.list[0])
	}
	return InvalidParameter(fmt.Sprintf("%d validation errors detected: %s", len(v.list), strings.Join(v.list, "; ")))
}

func join(path, member string) string {
	if path == "" {
		return member
	}
	return path + "." + member
}

// elemPath names a list element the way AWS does: 1-based, then ".member".
func elemPath(path string, i int) string { return path + "." + strconv.Itoa(i+1) + ".member" }

func keyPath(path, key string) string   { return path + "." + key + ".key" }
func valuePath(path, key string) string { return path + "." + key + ".value" }
