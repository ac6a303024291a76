package api_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"
)

// termsCreate creates terms of the name for a client, with a default link.
func termsCreate(e *env, pool, client, name string) (*types.TermsType, error) {
	out, err := e.Client.CreateTerms(e.ctx(), &cip.CreateTermsInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(client), TermsName: aws.String(name),
		TermsSource: types.TermsSourceTypeLink, Enforcement: types.TermsEnforcementTypeNone,
		Links: map[string]string{"cognito:default": "https://example.com/" + name, "cognito:french": "https://example.com/fr/" + name},
	})
	if err != nil {
		return nil, err
	}
	return out.Terms, nil
}

func TestTerms(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	client := aws.ToString(createTestClient(t, e, pool, nil).ClientId)
	other := aws.ToString(createTestClient(t, e, pool, nil).ClientId)

	tou, err := termsCreate(e, pool, client, "terms-of-use")
	if err != nil {
		t.Fatalf("CreateTerms: %v", err)
	}
	if !tokensUUID.MatchString(aws.ToString(tou.TermsId)) || aws.ToString(tou.ClientId) != client || aws.ToString(tou.UserPoolId) != pool ||
		tou.Links["cognito:french"] != "https://example.com/fr/terms-of-use" || tou.CreationDate == nil {
		t.Fatalf("created terms = %+v", tou)
	}
	described, err := e.Client.DescribeTerms(e.ctx(), &cip.DescribeTermsInput{UserPoolId: aws.String(pool), TermsId: tou.TermsId})
	if err != nil {
		t.Fatalf("DescribeTerms: %v", err)
	}
	if d := cmp.Diff(tou.Links, described.Terms.Links); d != "" || aws.ToString(described.Terms.TermsName) != "terms-of-use" {
		t.Errorf("DescribeTerms = %+v (links -create +describe:\n%s)", described.Terms, d)
	}

	// Another name, or the same name for another client, is fine.
	var ids []string
	for _, c := range []struct{ client, name string }{{client, "privacy-policy"}, {other, "terms-of-use"}} {
		x, err := termsCreate(e, pool, c.client, c.name)
		if err != nil {
			t.Fatalf("CreateTerms(%s): %v", c.name, err)
		}
		ids = append(ids, aws.ToString(x.TermsId))
	}
	otherClientTerms := ids[1]
	ids = append(ids, aws.ToString(tou.TermsId))

	// ListTerms pages through all three.
	var seen []string
	var next *string
	for pages := 0; ; pages++ {
		out, err := e.Client.ListTerms(e.ctx(), &cip.ListTermsInput{UserPoolId: aws.String(pool), MaxResults: aws.Int32(2), NextToken: next})
		if err != nil {
			t.Fatalf("ListTerms: %v", err)
		}
		for _, d := range out.Terms {
			seen = append(seen, aws.ToString(d.TermsId))
		}
		if next = out.NextToken; next == nil || pages > 3 {
			break
		}
	}
	slices.Sort(ids)
	if !slices.Equal(seen, ids) {
		t.Errorf("ListTerms pages gave %v, want %v", seen, ids)
	}

	updated, err := e.Client.UpdateTerms(e.ctx(), &cip.UpdateTermsInput{
		UserPoolId: aws.String(pool), TermsId: tou.TermsId, Links: map[string]string{"cognito:default": "https://example.com/v2"},
	})
	if err != nil {
		t.Fatalf("UpdateTerms: %v", err)
	}
	if u := updated.Terms; u.Links["cognito:default"] != "https://example.com/v2" || len(u.Links) != 1 || aws.ToString(u.TermsName) != "terms-of-use" {
		t.Errorf("updated terms = %+v", u)
	}

	if _, err := e.Client.DeleteTerms(e.ctx(), &cip.DeleteTermsInput{UserPoolId: aws.String(pool), TermsId: tou.TermsId}); err != nil {
		t.Fatalf("DeleteTerms: %v", err)
	}
	_, err = e.Client.DescribeTerms(e.ctx(), &cip.DescribeTermsInput{UserPoolId: aws.String(pool), TermsId: tou.TermsId})
	wantAPIError(t, err, "ResourceNotFoundException", "Terms "+aws.ToString(tou.TermsId)+" do not exist.")

	// A deleted client's terms go with it.
	if _, err := e.Client.DeleteUserPoolClient(e.ctx(), &cip.DeleteUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}); err != nil {
		t.Fatalf("DeleteUserPoolClient: %v", err)
	}
	out, err := e.Client.ListTerms(e.ctx(), &cip.ListTermsInput{UserPoolId: aws.String(pool)})
	if err != nil {
		t.Fatalf("ListTerms: %v", err)
	}
	if len(out.Terms) != 1 || aws.ToString(out.Terms[0].TermsId) != otherClientTerms {
		t.Errorf("terms after deleting a client = %+v, want the other client's only", out.Terms)
	}
}

func TestTermsErrors(t *testing.T) {
	e := newEnv(t)
	pool := createTestPool(t, e, nil)
	otherPool := createTestPool(t, e, nil)
	client := aws.ToString(createTestClient(t, e, pool, nil).ClientId)
	foreign := aws.ToString(createTestClient(t, e, otherPool, nil).ClientId)
	tou, err := termsCreate(e, pool, client, "terms-of-use")
	if err != nil {
		t.Fatalf("CreateTerms: %v", err)
	}
	pp, err := termsCreate(e, pool, client, "privacy-policy")
	if err != nil {
		t.Fatalf("CreateTerms: %v", err)
	}
	_, dup := termsCreate(e, pool, client, "terms-of-use")
	_, foreignErr := termsCreate(e, pool, foreign, "terms-of-use")
	_, noPool := termsCreate(e, poolsUnknownPool, client, "terms-of-use")
	withLinks := func(links map[string]string) error {
		_, err := e.Client.CreateTerms(e.ctx(), &cip.CreateTermsInput{
			UserPoolId: aws.String(otherPool), ClientId: aws.String(foreign), TermsName: aws.String("terms-of-use"),
			TermsSource: types.TermsSourceTypeLink, Enforcement: types.TermsEnforcementTypeNone, Links: links,
		})
		return err
	}
	unknown := "00000000-0000-4000-8000-000000000000"
	_, describeUnknown := e.Client.DescribeTerms(e.ctx(), &cip.DescribeTermsInput{UserPoolId: aws.String(pool), TermsId: aws.String(unknown)})
	_, describeElsewhere := e.Client.DescribeTerms(e.ctx(), &cip.DescribeTermsInput{UserPoolId: aws.String(otherPool), TermsId: tou.TermsId})
	_, rename := e.Client.UpdateTerms(e.ctx(), &cip.UpdateTermsInput{UserPoolId: aws.String(pool), TermsId: pp.TermsId, TermsName: aws.String("terms-of-use")})
	_, updateUnknown := e.Client.UpdateTerms(e.ctx(), &cip.UpdateTermsInput{UserPoolId: aws.String(pool), TermsId: aws.String(unknown)})
	_, deleteUnknown := e.Client.DeleteTerms(e.ctx(), &cip.DeleteTermsInput{UserPoolId: aws.String(pool), TermsId: aws.String(unknown)})
	_, listBadToken := e.Client.ListTerms(e.ctx(), &cip.ListTermsInput{UserPoolId: aws.String(pool), NextToken: aws.String("nope")})
	_, listNoPool := e.Client.ListTerms(e.ctx(), &cip.ListTermsInput{UserPoolId: aws.String(poolsUnknownPool)})
	tests := []struct {
		name, typ, message string
		err                error
	}{
		{"same name twice", "TermsExistsException", "App client " + client + " already has terms-of-use terms.", dup},
		{"rename onto an existing name", "TermsExistsException", "App client " + client + " already has terms-of-use terms.", rename},
		{"client of another pool", "ResourceNotFoundException", "User pool client " + foreign + " does not exist.", foreignErr},
		{"no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.", noPool},
		{"no default link", "InvalidParameterException", "Links must include a cognito:default link.", withLinks(map[string]string{"cognito:french": "https://example.com/fr"})},
		{"not a URL", "InvalidParameterException", "javascript:alert(1) is not an https or http URL.", withLinks(map[string]string{"cognito:default": "javascript:alert(1)"})},
		{"bad locale", "InvalidParameterException",
			"1 validation error detected: Value 'klingon' at 'links.klingon.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese|korean|portuguese-brazil|chinese-(simplified|traditional))$",
			withLinks(map[string]string{"cognito:default": "https://example.com", "klingon": "https://example.com/tlh"})},
		{"describe unknown", "ResourceNotFoundException", "Terms " + unknown + " do not exist.", describeUnknown},
		{"describe in another pool", "ResourceNotFoundException", "Terms " + aws.ToString(tou.TermsId) + " do not exist.", describeElsewhere},
		{"update unknown", "ResourceNotFoundException", "Terms " + unknown + " do not exist.", updateUnknown},
		{"delete unknown", "ResourceNotFoundException", "Terms " + unknown + " do not exist.", deleteUnknown},
		{"list with a bad token", "InvalidParameterException", "The NextToken is not valid.", listBadToken},
		{"list in no such pool", "ResourceNotFoundException", "User pool " + poolsUnknownPool + " does not exist.", listNoPool},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantAPIError(t, tt.err, tt.typ, tt.message) })
	}
}
