package api_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

func TestAddCustomAttributes(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
	})
	e.Clock.Advance(time.Minute)
	if _, err := e.Client.AddCustomAttributes(e.ctx(), &cip.AddCustomAttributesInput{
		UserPoolId: aws.String(id),
		CustomAttributes: []types.SchemaAttributeType{
			{Name: aws.String("level"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(false),
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("9")}},
			{Name: aws.String("secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true)},
		},
	}); err != nil {
		t.Fatal(err)
	}
	p := poolsDescribe(t, e, id)
	want := []types.SchemaAttributeType{
		{Name: aws.String("custom:tenant"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(false),
			Mutable: aws.Bool(true), Required: aws.Bool(false), StringAttributeConstraints: &types.StringAttributeConstraintsType{}},
		{Name: aws.String("custom:level"), AttributeDataType: types.AttributeDataTypeNumber, DeveloperOnlyAttribute: aws.Bool(false),
			Mutable: aws.Bool(false), Required: aws.Bool(false),
			NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("9")}},
		{Name: aws.String("dev:custom:secret"), AttributeDataType: types.AttributeDataTypeString, DeveloperOnlyAttribute: aws.Bool(true),
			Mutable: aws.Bool(true), Required: aws.Bool(false), StringAttributeConstraints: &types.StringAttributeConstraintsType{}},
	}
	if d := poolsDiff(want, poolsCustomAttributes(p)); d != "" {
		t.Errorf("custom attributes (-want +got):\n%s", d)
	}
	if !aws.ToTime(p.LastModifiedDate).Equal(e.Clock.Now()) {
		t.Errorf("LastModifiedDate = %v, want %v", p.LastModifiedDate, e.Clock.Now())
	}
}

func TestAddCustomAttributesErrors(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		in.Schema = []types.SchemaAttributeType{{Name: aws.String("tenant"), AttributeDataType: types.AttributeDataTypeString}}
	})
	str := func(name string) types.SchemaAttributeType {
		return types.SchemaAttributeType{Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString}
	}
	tests := []struct {
		name    string
		pool    string
		attrs   []types.SchemaAttributeType
		typ     string
		message string
	}{
		{"no such pool", poolsUnknownPool, []types.SchemaAttributeType{str("x")},
			"ResourceNotFoundException", "User pool us-east-1_NoSuchPool does not exist."},
		{"existing attribute", id, []types.SchemaAttributeType{str("tenant")},
			"InvalidParameterException", "custom:tenant: Existing attribute already has name custom:tenant."},
		{"twice in one request", id, []types.SchemaAttributeType{str("plan"), str("plan")},
			"InvalidParameterException", "custom:plan: Existing attribute already has name custom:plan."},
		{"required", id, []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: types.AttributeDataTypeString, Required: aws.Bool(true)}},
			"InvalidParameterException", "Required custom attributes are not supported currently."},
		{"no type", id, []types.SchemaAttributeType{{Name: aws.String("plan")}},
			"InvalidParameterException", "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."},
		{"bad type", id, []types.SchemaAttributeType{{Name: aws.String("plan"), AttributeDataType: "Date"}},
			"InvalidParameterException", "1 validation error detected: Value 'Date' at 'customAttributes.1.member.attributeDataType' failed to satisfy constraint: Member must satisfy enum value set: [String, Number, DateTime, Boolean]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.Client.AddCustomAttributes(e.ctx(), &cip.AddCustomAttributesInput{UserPoolId: aws.String(tt.pool), CustomAttributes: tt.attrs})
			wantAPIError(t, err, tt.typ, tt.message)
		})
	}
	if n := len(poolsCustomAttributes(poolsDescribe(t, e, id))); n != 1 {
		t.Errorf("%d custom attributes after refused requests, want 1", n)
	}
}

func TestAddCustomAttributesLimit(t *testing.T) {
	e := newEnv(t)
	id := createTestPool(t, e, func(in *cip.CreateUserPoolInput) {
		for i := range 50 {
			in.Schema = append(in.Schema, types.SchemaAttributeType{Name: aws.String(fmt.Sprintf("a%02d", i)), AttributeDataType: types.AttributeDataTypeString})
		}
	})
	_, err := e.Client.AddCustomAttributes(e.ctx(), &cip.AddCustomAttributesInput{
		UserPoolId:       aws.String(id),
		CustomAttributes: []types.SchemaAttributeType{{Name: aws.String("one_more"), AttributeDataType: types.AttributeDataTypeString}},
	})
	wantAPIError(t, err, "InvalidParameterException", "A user pool can have at most 50 custom attributes.")
}
