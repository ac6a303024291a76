package userpool

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

// A pool's schema: the standard attributes every pool has, the custom
// ones CreateUserPool and AddCustomAttributes declare, and their
// constraints.

// standardPoolSchema returns the attributes every pool has, in the order and
// with the flags DescribeUserPool shows for them. Fresh values each call,
// since callers change the flags of the ones the Schema mentions.
func standardPoolSchema() []cognito.SchemaAttributeType {
	str := func(name string, mutable, required bool, minLen, maxLen string) cognito.SchemaAttributeType {
		return cognito.SchemaAttributeType{
			Name: name, AttributeDataType: poolAttrTypeString,
			DeveloperOnlyAttribute: pointerTo(false), Mutable: pointerTo(mutable), Required: pointerTo(required),
			StringAttributeConstraints: &cognito.StringAttributeConstraintsType{MinLength: minLen, MaxLength: maxLen},
		}
	}
	boolean := func(name string) cognito.SchemaAttributeType {
		return cognito.SchemaAttributeType{
			Name: name, AttributeDataType: poolAttrTypeBoolean,
			DeveloperOnlyAttribute: pointerTo(false), Mutable: pointerTo(true), Required: pointerTo(false),
		}
	}
	optional := func(name string) cognito.SchemaAttributeType {
		return str(name, true, false, "0", poolStandardStringMax)
	}
	return []cognito.SchemaAttributeType{
		str("sub", false, true, "1", poolStandardStringMax),
		optional("name"),
		optional("given_name"),
		optional("family_name"),
		optional("middle_name"),
		optional("nickname"),
		optional("preferred_username"),
		optional("profile"),
		optional("picture"),
		optional("website"),
		optional("email"),
		boolean("email_verified"),
		optional("gender"),
		str("birthdate", true, false, "10", "10"),
		optional("zoneinfo"),
		optional("locale"),
		optional("phone_number"),
		boolean("phone_number_verified"),
		optional("address"),
		{
			Name: "updated_at", AttributeDataType: poolAttrTypeNumber,
			DeveloperOnlyAttribute: pointerTo(false), Mutable: pointerTo(true), Required: pointerTo(false),
			NumberAttributeConstraints: &cognito.NumberAttributeConstraintsType{MinValue: "0"},
		},
	}
}

// buildPoolSchema is the pool's SchemaAttributes: the standard attributes with
// the flags the Schema gives them, then the custom attributes it declares.
func buildPoolSchema(in []cognito.SchemaAttributeType) ([]cognito.SchemaAttributeType, error) {
	schema := standardPoolSchema()
	standard := map[string]int{}
	for i, a := range schema {
		standard[a.Name] = i
	}
	seen := map[string]bool{}
	var custom []cognito.SchemaAttributeType
	for _, e := range in {
		if e.Name == "" {
			return nil, cognito.InvalidParameter(poolMsgEmptyAttributeName)
		}
		i, isStandard := standard[e.Name]
		if seen[e.Name] {
			if isStandard {
				return nil, cognito.InvalidParameter(fmt.Sprintf(poolFmtDuplicateStandardAttribute, e.Name))
			}
			return nil, cognito.InvalidParameter(fmt.Sprintf(poolFmtDuplicateCustomAttribute, poolCustomAttributePrefix+e.Name))
		}
		seen[e.Name] = true
		if !isStandard {
			a, err := newCustomAttribute(e)
			if err != nil {
				return nil, err
			}
			custom = append(custom, a)
			continue
		}
		if err := redeclareStandardAttribute(&schema[i], e); err != nil {
			return nil, err
		}
	}
	if len(custom) > poolMaxCustomAttributes {
		return nil, cognito.InvalidParameter(poolMsgTooManyCustomAttributes)
	}
	return append(schema, custom...), nil
}

// redeclareStandardAttribute applies a Schema entry naming a standard attribute:
// it may make the attribute required or immutable and narrow its
// constraints, but not retype it.
func redeclareStandardAttribute(a *cognito.SchemaAttributeType, e cognito.SchemaAttributeType) error {
	if (e.AttributeDataType != "" && e.AttributeDataType != a.AttributeDataType) ||
		(e.DeveloperOnlyAttribute != nil && *e.DeveloperOnlyAttribute) {
		return cognito.InvalidParameter(fmt.Sprintf(poolFmtStandardAttributeType, a.Name))
	}
	if a.Name == "sub" {
		// sub is Cognito's immutable, always-present user id.
		if e.Mutable != nil && *e.Mutable {
			return cognito.InvalidParameter(fmt.Sprintf(poolFmtStandardAttributeImmutable, a.Name))
		}
		if e.Required != nil && !*e.Required {
			return cognito.InvalidParameter(fmt.Sprintf(poolFmtStandardAttributeRequired, a.Name))
		}
	}
	if e.Mutable != nil {
		a.Mutable = pointerTo(*e.Mutable)
	}
	if e.Required != nil {
		a.Required = pointerTo(*e.Required)
	}
	switch a.AttributeDataType {
	case poolAttrTypeString:
		if e.StringAttributeConstraints != nil {
			c := *e.StringAttributeConstraints
			if err := checkStringAttributeConstraints(a.Name, &c); err != nil {
				return err
			}
			a.StringAttributeConstraints = &c
		}
	case poolAttrTypeNumber:
		if e.NumberAttributeConstraints != nil {
			c := *e.NumberAttributeConstraints
			if err := checkNumberAttributeConstraints(a.Name, &c); err != nil {
				return err
			}
			a.NumberAttributeConstraints = &c
		}
	}
	return nil
}

// newCustomAttribute turns a declared custom attribute into its
// SchemaAttributes entry: prefixed name, Cognito's flags, and constraints
// only for the types that have them (an empty object when none were given,
// as Cognito reports it).
func newCustomAttribute(e cognito.SchemaAttributeType) (cognito.SchemaAttributeType, error) {
	if e.Name == "" {
		return cognito.SchemaAttributeType{}, cognito.InvalidParameter(poolMsgEmptyAttributeName)
	}
	if e.AttributeDataType == "" {
		return cognito.SchemaAttributeType{}, cognito.InvalidParameter(poolMsgMissingAttributeDataType)
	}
	if e.Required != nil && *e.Required {
		return cognito.SchemaAttributeType{}, cognito.InvalidParameter(poolMsgRequiredCustomAttribute)
	}
	devOnly := e.DeveloperOnlyAttribute != nil && *e.DeveloperOnlyAttribute
	a := cognito.SchemaAttributeType{
		Name:                   customAttributeFullName(e.Name, devOnly),
		AttributeDataType:      e.AttributeDataType,
		DeveloperOnlyAttribute: pointerTo(devOnly),
		Mutable:                pointerTo(true),
		Required:               pointerTo(false),
	}
	if e.Mutable != nil {
		a.Mutable = pointerTo(*e.Mutable)
	}
	switch e.AttributeDataType {
	case poolAttrTypeString:
		c := cognito.StringAttributeConstraintsType{}
		if e.StringAttributeConstraints != nil {
			c = *e.StringAttributeConstraints
		}
		if err := checkStringAttributeConstraints(a.Name, &c); err != nil {
			return cognito.SchemaAttributeType{}, err
		}
		a.StringAttributeConstraints = &c
	case poolAttrTypeNumber:
		c := cognito.NumberAttributeConstraintsType{}
		if e.NumberAttributeConstraints != nil {
			c = *e.NumberAttributeConstraints
		}
		if err := checkNumberAttributeConstraints(a.Name, &c); err != nil {
			return cognito.SchemaAttributeType{}, err
		}
		a.NumberAttributeConstraints = &c
	}
	return a, nil
}

func customAttributeFullName(name string, devOnly bool) string {
	if devOnly {
		return poolDevAttributePrefix + name
	}
	return poolCustomAttributePrefix + name
}

func checkStringAttributeConstraints(attr string, c *cognito.StringAttributeConstraintsType) error {
	return checkRange(c.MinLength, c.MaxLength, func(n int64, err error) string {
		switch {
		case err != nil || n < 0:
			return fmt.Sprintf(poolFmtInvalidStringConstraints, attr)
		case n > poolMaxStringAttributeLength:
			return fmt.Sprintf(poolFmtStringAttributeTooLong, attr)
		}
		return ""
	}, fmt.Sprintf(poolFmtStringMaxBelowMin, attr))
}

func checkNumberAttributeConstraints(attr string, c *cognito.NumberAttributeConstraintsType) error {
	return checkRange(c.MinValue, c.MaxValue, func(_ int64, err error) string {
		if err != nil {
			return fmt.Sprintf(poolFmtInvalidNumberConstraints, attr)
		}
		return ""
	}, fmt.Sprintf(poolFmtNumberMaxBelowMin, attr))
}

// checkRange checks a schema attribute's constraint pair, both optional
// integers given as strings (the model's types): refusal says what is
// wrong with one bound ("" when nothing is), and maxBelowMin is the
// answer when both are given and the maximum is below the minimum.
func checkRange(minS, maxS string, refusal func(n int64, err error) string, maxBelowMin string) error {
	var bounds [2]int64
	for i, s := range []string{minS, maxS} {
		if s == "" {
			continue
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if msg := refusal(n, err); msg != "" {
			return cognito.InvalidParameter(msg)
		}
		bounds[i] = n
	}
	if minS != "" && maxS != "" && bounds[1] < bounds[0] {
		return cognito.InvalidParameter(maxBelowMin)
	}
	return nil
}

func countCustomAttributes(schema []cognito.SchemaAttributeType) int {
	n := 0
	for _, a := range schema {
		if strings.HasPrefix(a.Name, poolCustomAttributePrefix) || strings.HasPrefix(a.Name, poolDevAttributePrefix) {
			n++
		}
	}
	return n
}

// AddCustomAttributes adds custom attributes to a pool's schema. An
// attribute can never be removed or redefined, so a name already in the
// schema is refused.
func (s *Service) AddCustomAttributes(ctx context.Context, poolID string, attrs []cognito.SchemaAttributeType) error {
	defer s.settings.changed()
	_, err := s.cfg.Store.UpdatePool(ctx, poolID, func(rec *store.Pool) error {
		p, err := decodePool(*rec)
		if err != nil {
			return err
		}
		for _, e := range attrs {
			a, err := newCustomAttribute(e)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(p.SchemaAttributes, func(x cognito.SchemaAttributeType) bool { return x.Name == a.Name }) {
				return cognito.InvalidParameter(fmt.Sprintf(poolFmtExistingAttribute, poolCustomAttributePrefix+e.Name, a.Name))
			}
			p.SchemaAttributes = append(p.SchemaAttributes, a)
		}
		if countCustomAttributes(p.SchemaAttributes) > poolMaxCustomAttributes {
			return cognito.InvalidParameter(poolMsgTooManyCustomAttributes)
		}
		if rec.Settings, err = encodePool(p); err != nil {
			return err
		}
		rec.UpdatedAt = s.now()
		return nil
	})
	return poolError(poolID, err)
}
