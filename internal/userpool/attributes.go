package userpool

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// attrDef is one attribute of a pool's schema, by the name clients use on
// the wire ("email", "custom:plan", "dev:custom:score").
type attrDef struct {
	name     string
	dataType string // String, Number, DateTime or Boolean
	mutable  bool
	required bool
	// String bounds, in characters; -1 when unbounded below.
	minLen, maxLen int
	// Number bounds; nil when unbounded.
	minVal, maxVal *float64
}

// maxAttributeValueLength is Cognito's limit on any attribute value.
const maxAttributeValueLength = 2048

// Attribute data types.
const (
	typeString   = "String"
	typeNumber   = "Number"
	typeDateTime = "DateTime"
	typeBoolean  = "Boolean"
)

// standardAttributes is Cognito's standard schema, as DescribeUserPool
// shows it for a pool created without a Schema: every attribute optional
// and mutable except sub; birthdate exactly ten characters (YYYY-MM-DD);
// updated_at a number of seconds.
var standardAttributes = []attrDef{
	{name: attrSub, dataType: typeString, required: true, minLen: 1, maxLen: 2048},
	{name: "name", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "given_name", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "family_name", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "middle_name", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "nickname", dataType: typeString, mutable: true, maxLen: 2048},
	{name: attrPreferredUsername, dataType: typeString, mutable: true, maxLen: 2048},
	{name: "profile", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "picture", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "website", dataType: typeString, mutable: true, maxLen: 2048},
	{name: attrEmail, dataType: typeString, mutable: true, maxLen: 2048},
	{name: attrEmailVerified, dataType: typeBoolean, mutable: true, maxLen: 2048},
	{name: "gender", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "birthdate", dataType: typeString, mutable: true, minLen: 10, maxLen: 10},
	{name: "zoneinfo", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "locale", dataType: typeString, mutable: true, maxLen: 2048},
	{name: attrPhone, dataType: typeString, mutable: true, maxLen: 2048},
	{name: attrPhoneVerified, dataType: typeBoolean, mutable: true, maxLen: 2048},
	{name: "address", dataType: typeString, mutable: true, maxLen: 2048},
	{name: "updated_at", dataType: typeNumber, mutable: true, minVal: floatPtr(0)},
}

func floatPtr(f float64) *float64 { return &f }

// schema is a pool's attribute schema by wire name.
type schema map[string]attrDef

// poolSchema is the standard schema overlaid with the pool's
// SchemaAttributes. A custom attribute may be stored with or without its
// prefix (CreateUserPool takes "plan", DescribeUserPool shows
// "custom:plan"); either way it is known as custom:plan, or as
// dev:custom:plan when it is developer-only.
func poolSchema(p *cognito.UserPoolType) schema {
	s := schema{}
	for _, d := range standardAttributes {
		s[d.name] = d
	}
	for _, a := range p.SchemaAttributes {
		name := a.Name
		d, standard := s[name]
		if !standard {
			bare := strings.TrimPrefix(strings.TrimPrefix(name, attrDevCustomPrefix), attrCustomPrefix)
			name = attrCustomPrefix + bare
			if a.DeveloperOnlyAttribute != nil && *a.DeveloperOnlyAttribute {
				name = attrDevCustomPrefix + bare
			}
			// A custom attribute is mutable unless it says otherwise.
			d = attrDef{name: name, dataType: typeString, mutable: true, maxLen: 2048}
		}
		if a.AttributeDataType != "" {
			d.dataType = a.AttributeDataType
		}
		if a.Mutable != nil {
			d.mutable = *a.Mutable
		}
		if a.Required != nil {
			d.required = *a.Required
		}
		if c := a.StringAttributeConstraints; c != nil {
			if n, err := strconv.Atoi(c.MinLength); err == nil {
				d.minLen = n
			}
			if n, err := strconv.Atoi(c.MaxLength); err == nil {
				d.maxLen = n
			}
		}
		if c := a.NumberAttributeConstraints; c != nil {
			if f, err := strconv.ParseFloat(c.MinValue, 64); err == nil {
				d.minVal = &f
			}
			if f, err := strconv.ParseFloat(c.MaxValue, 64); err == nil {
				d.maxVal = &f
			}
		}
		s[name] = d
	}
	return s
}

// Why an attribute does not conform to the schema. Cognito's wording for
// unknown, required and immutable attributes is observed; the wording for
// values out of their type or bounds is ours (the reference is silent).
const (
	reasonNotInSchema    = "Attribute does not exist in the schema."
	reasonRequired       = "The attribute is required"
	reasonImmutable      = "Attribute cannot be updated. (changing an immutable attribute)"
	reasonRequiredDelete = "Required attribute cannot be deleted."
	reasonBoolean        = "Value must be true or false."
	reasonNumber         = "Value must be a number."
)

func reasonTooLong(n int) string {
	return "Value must be at most " + strconv.Itoa(n) + " characters long."
}
func reasonTooShort(n int) string {
	return "Value must be at least " + strconv.Itoa(n) + " characters long."
}
func reasonBelow(f float64) string {
	return "Value must be at least " + strconv.FormatFloat(f, 'f', -1, 64) + "."
}
func reasonAbove(f float64) string {
	return "Value must be at most " + strconv.FormatFloat(f, 'f', -1, 64) + "."
}

// Further Cognito answers about attribute values.
const (
	msgInvalidEmail           = "Invalid email address format."
	msgInvalidPhone           = "Invalid phone number format."
	msgEmailRequiredToVerify  = "Email is required to verify/un-verify an email"
	msgPhoneRequiredToVerify  = "Phone Number is required to verify/un-verify a phone number"
	msgUnknownAttributesToGet = "One or more requested attributes do not exist."
)

// schemaViolation is one attribute that does not conform.
type schemaViolation struct {
	name, reason string
}

// createSchemaError renders the violations of a new user's attributes as
// Cognito does for AdminCreateUser and SignUp: one line per attribute,
// each ended by a newline, after a common prefix ("Attributes did not
// conform to the schema: custom:a: Attribute does not exist in the
// schema.\ncustom:b: ...\n", as captured from the real service).
func createSchemaError(vs []schemaViolation) error {
	var b strings.Builder
	b.WriteString("Attributes did not conform to the schema: ")
	for _, v := range vs {
		b.WriteString(v.name + ": " + v.reason + "\n")
	}
	return cognito.InvalidParameter(b.String())
}

// updateSchemaError renders a violation in a change to an existing user
// ("user.custom:a: Attribute does not exist in the schema."), the shape
// Cognito answers attribute updates with; it names the first one.
func updateSchemaError(v schemaViolation) error {
	return cognito.InvalidParameter("user." + v.name + ": " + v.reason)
}

// checkValue checks one value against its definition and returns why it
// does not conform, or "". A value is at most 2048 characters whatever
// the schema says. Lengths count UTF-16 code units, as Cognito's do.
func (d attrDef) checkValue(v string) string {
	n := len(utf16.Encode([]rune(v)))
	if n > maxAttributeValueLength {
		return reasonTooLong(maxAttributeValueLength)
	}
	switch d.dataType {
	case typeBoolean:
		if l := strings.ToLower(v); l != attrValueTrue && l != attrValueFalse {
			return reasonBoolean
		}
	case typeNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return reasonNumber
		}
		if d.minVal != nil && f < *d.minVal {
			return reasonBelow(*d.minVal)
		}
		if d.maxVal != nil && f > *d.maxVal {
			return reasonAbove(*d.maxVal)
		}
	case typeString:
		if d.maxLen > 0 && n > d.maxLen {
			return reasonTooLong(d.maxLen)
		}
		if n < d.minLen {
			return reasonTooShort(d.minLen)
		}
	}
	return ""
}

// normalizeValue gives a value the form it is stored in: booleans in
// lower case, since Cognito answers "true"/"false" whatever the case sent.
func (d attrDef) normalizeValue(v string) string {
	if d.dataType == typeBoolean {
		return strings.ToLower(v)
	}
	return v
}

// checkFormats checks the values whose format Cognito enforces beyond the
// schema: email and phone_number.
func checkFormats(attrs []store.Attribute) error {
	for _, a := range attrs {
		switch a.Name {
		case attrEmail:
			if a.Value != "" && !isEmail(a.Value) {
				return cognito.InvalidParameter(msgInvalidEmail)
			}
		case attrPhone:
			if a.Value != "" && !isPhone(a.Value) {
				return cognito.InvalidParameter(msgInvalidPhone)
			}
		}
	}
	return nil
}

// checkVerifiedNeedsValue refuses a verified flag on a user who does not
// have the attribute it verifies.
func checkVerifiedNeedsValue(attrs []store.Attribute) error {
	has := func(name string) bool {
		for _, a := range attrs {
			if a.Name == name && a.Value != "" {
				return true
			}
		}
		return false
	}
	if has(attrEmailVerified) && !has(attrEmail) {
		return cognito.InvalidParameter(msgEmailRequiredToVerify)
	}
	if has(attrPhoneVerified) && !has(attrPhone) {
		return cognito.InvalidParameter(msgPhoneRequiredToVerify)
	}
	return nil
}

// newUserAttributes checks the attributes given for a new user against the
// schema and returns them normalised, in the order given, a later value of
// the same name replacing an earlier one. sub is the server's to set.
// Empty values are dropped: an attribute with no value is an attribute not
// set.
func (s schema) newUserAttributes(given []cognito.AttributeType) ([]store.Attribute, error) {
	var out []store.Attribute
	var vs []schemaViolation
	for _, a := range given {
		d, ok := s[a.Name]
		switch {
		case !ok:
			vs = append(vs, schemaViolation{a.Name, reasonNotInSchema})
			continue
		case a.Name == attrSub:
			vs = append(vs, schemaViolation{a.Name, reasonImmutable})
			continue
		case a.Value == "":
			out = removeAttr(out, a.Name)
			continue
		}
		if r := d.checkValue(a.Value); r != "" {
			vs = append(vs, schemaViolation{a.Name, r})
			continue
		}
		out = setAttr(out, a.Name, d.normalizeValue(a.Value))
	}
	if len(vs) > 0 {
		return nil, createSchemaError(vs)
	}
	return out, nil
}

// missingRequired lists, as violations, the required attributes attrs
// lacks, in schema order.
func (s schema) missingRequired(attrs []store.Attribute) []schemaViolation {
	var vs []schemaViolation
	for _, d := range s.ordered() {
		if !d.required {
			continue
		}
		if _, ok := attrValue(attrs, d.name); !ok {
			vs = append(vs, schemaViolation{d.name, reasonRequired})
		}
	}
	return vs
}

// ordered lists the schema's attributes: the standard ones in Cognito's
// order, then the custom ones by name.
func (s schema) ordered() []attrDef {
	out := make([]attrDef, 0, len(s))
	seen := map[string]bool{}
	for _, d := range standardAttributes {
		out = append(out, s[d.name])
		seen[d.name] = true
	}
	var custom []string
	for name := range s {
		if !seen[name] {
			custom = append(custom, name)
		}
	}
	slices.Sort(custom)
	for _, name := range custom {
		out = append(out, s[name])
	}
	return out
}

// applyUpdate applies AdminUpdateUserAttributes' changes to a user's
// attributes and returns the result. An empty value deletes the
// attribute (Cognito's documented way to remove one through an update).
// Immutable attributes can be given a value only while they have none.
// Changing email or phone_number without saying whether the new value is
// verified makes it unverified, as on Cognito.
func (s schema) applyUpdate(current []store.Attribute, changes []cognito.AttributeType) ([]store.Attribute, error) {
	out := append([]store.Attribute(nil), current...)
	given := map[string]bool{}
	for _, c := range changes {
		d, ok := s[c.Name]
		if !ok {
			return nil, updateSchemaError(schemaViolation{c.Name, reasonNotInSchema})
		}
		old, had := attrValue(out, c.Name)
		if c.Name == attrSub || (!d.mutable && had && old != c.Value) {
			return nil, updateSchemaError(schemaViolation{c.Name, reasonImmutable})
		}
		given[c.Name] = true
		if c.Value == "" {
			if d.required {
				return nil, updateSchemaError(schemaViolation{c.Name, reasonRequired})
			}
			out = removeAttr(out, c.Name)
			continue
		}
		if r := d.checkValue(c.Value); r != "" {
			return nil, updateSchemaError(schemaViolation{c.Name, r})
		}
		out = setAttr(out, c.Name, d.normalizeValue(c.Value))
	}
	for _, pair := range [][2]string{{attrEmail, attrEmailVerified}, {attrPhone, attrPhoneVerified}} {
		attr, flag := pair[0], pair[1]
		if !given[attr] || given[flag] {
			continue
		}
		before, _ := attrValue(current, attr)
		after, ok := attrValue(out, attr)
		switch {
		case !ok:
			out = removeAttr(out, flag)
		case after != before:
			out = setAttr(out, flag, attrValueFalse)
		}
	}
	return out, nil
}

// applyDelete removes the named attributes. Unknown, required and
// immutable attributes cannot be deleted; deleting email or phone_number
// deletes its verified flag too, which would otherwise verify nothing.
func (s schema) applyDelete(current []store.Attribute, names []string) ([]store.Attribute, error) {
	out := append([]store.Attribute(nil), current...)
	for _, name := range names {
		d, ok := s[name]
		switch {
		case !ok:
			return nil, updateSchemaError(schemaViolation{name, reasonNotInSchema})
		case d.required:
			return nil, updateSchemaError(schemaViolation{name, reasonRequiredDelete})
		case !d.mutable:
			return nil, updateSchemaError(schemaViolation{name, reasonImmutable})
		}
		out = removeAttr(out, name)
		switch name {
		case attrEmail:
			out = removeAttr(out, attrEmailVerified)
		case attrPhone:
			out = removeAttr(out, attrPhoneVerified)
		}
	}
	return out, nil
}

// checkAttributesToGet refuses a ListUsers projection naming an attribute
// the pool does not have.
func (s schema) checkAttributesToGet(names []string) error {
	for _, n := range names {
		if _, ok := s[n]; !ok {
			return cognito.InvalidParameter(msgUnknownAttributesToGet)
		}
	}
	return nil
}

func attrValue(attrs []store.Attribute, name string) (string, bool) {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// setAttr sets name to value, in place when present so the order of
// attributes is kept, appended otherwise.
func setAttr(attrs []store.Attribute, name, value string) []store.Attribute {
	for i := range attrs {
		if attrs[i].Name == name {
			attrs[i].Value = value
			return attrs
		}
	}
	return append(attrs, store.Attribute{Name: name, Value: value})
}

func removeAttr(attrs []store.Attribute, name string) []store.Attribute {
	out := attrs[:0]
	for _, a := range attrs {
		if a.Name != name {
			out = append(out, a)
		}
	}
	return out
}

// wireAttributes converts stored attributes to the wire shape; keep, when
// not nil, selects the names to return (ListUsers' AttributesToGet).
func wireAttributes(attrs []store.Attribute, keep []string) []cognito.AttributeType {
	out := make([]cognito.AttributeType, 0, len(attrs))
	for _, a := range attrs {
		if keep != nil && !slices.Contains(keep, a.Name) {
			continue
		}
		out = append(out, cognito.AttributeType{Name: a.Name, Value: a.Value})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
