package api_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// testPNG is a 1x1 PNG image.
var testPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

const testUICSS = ".submitButton-customizable { background-color: #b91c1c; }\n" +
	"/* the template's comment */\n.inputField-customizable:focus, .label-customizable { color: #111; }\n"

// uiPool is a pool with a domain and two app clients.
func uiPool(t *testing.T, e *env) (pool, client, other string) {
	t.Helper()
	pool = createTestPool(t, e, nil)
	if _, err := e.Client.CreateUserPoolDomain(e.ctx(), &cip.CreateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("ui-test")}); err != nil {
		t.Fatal(err)
	}
	return pool, aws.ToString(createTestClient(t, e, pool, nil).ClientId), aws.ToString(createTestClient(t, e, pool, nil).ClientId)
}

func getUI(t *testing.T, e *env, pool, client string) *types.UICustomizationType {
	t.Helper()
	in := &cip.GetUICustomizationInput{UserPoolId: aws.String(pool)}
	if client != "" {
		in.ClientId = aws.String(client)
	}
	out, err := e.Client.GetUICustomization(e.ctx(), in)
	if err != nil {
		t.Fatal(err)
	}
	return out.UICustomization
}

// The pool's customization (ALL) applies to every client without one of
// its own; a client's own replaces it for that client; both survive the
// updates that replace a pool's, a client's and a domain's settings.
func TestSetUICustomization(t *testing.T) {
	e := newEnv(t)
	pool, client, other := uiPool(t, e)

	set, err := e.Client.SetUICustomization(e.ctx(), &cip.SetUICustomizationInput{
		UserPoolId: aws.String(pool), ClientId: aws.String("ALL"), CSS: aws.String(testUICSS), ImageFile: testPNG,
	})
	if err != nil {
		t.Fatal(err)
	}
	u := set.UICustomization
	if aws.ToString(u.UserPoolId) != pool || aws.ToString(u.ClientId) != "ALL" || aws.ToString(u.CSS) != testUICSS ||
		len(aws.ToString(u.CSSVersion)) != 14 || u.CreationDate == nil || u.LastModifiedDate == nil {
		t.Errorf("SetUICustomization = %+v", u)
	}
	if img := aws.ToString(u.ImageUrl); !strings.HasPrefix(img, e.URL+"/static/ui/"+pool+"/ALL/logo?v=") {
		t.Errorf("ImageUrl = %q, want one on the server", img)
	}

	// A client without its own gets the pool's.
	if got := getUI(t, e, pool, client); aws.ToString(got.ClientId) != "ALL" || aws.ToString(got.CSS) != testUICSS {
		t.Errorf("client without its own: %+v", got)
	}
	own := ".banner-customizable { background-color: #000; }"
	if _, err := e.Client.SetUICustomization(e.ctx(), &cip.SetUICustomizationInput{
		UserPoolId: aws.String(pool), ClientId: aws.String(client), CSS: aws.String(own),
	}); err != nil {
		t.Fatal(err)
	}
	if got := getUI(t, e, pool, client); aws.ToString(got.ClientId) != client || aws.ToString(got.CSS) != own || got.ImageUrl != nil {
		t.Errorf("client with its own: %+v", got)
	}
	if got := getUI(t, e, pool, other); aws.ToString(got.ClientId) != "ALL" {
		t.Errorf("the other client: %+v", got)
	}

	// Updates of the pool, the client and the domain keep it.
	if _, err := e.Client.UpdateUserPool(e.ctx(), &cip.UpdateUserPoolInput{UserPoolId: aws.String(pool)}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.UpdateUserPoolClient(e.ctx(), &cip.UpdateUserPoolClientInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), ClientName: aws.String("renamed")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Client.UpdateUserPoolDomain(e.ctx(), &cip.UpdateUserPoolDomainInput{UserPoolId: aws.String(pool), Domain: aws.String("ui-test"), ManagedLoginVersion: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	if got := getUI(t, e, pool, client); aws.ToString(got.CSS) != own {
		t.Errorf("after the updates, the client's: %+v", got)
	}
	if got := getUI(t, e, pool, ""); aws.ToString(got.CSS) != testUICSS || got.ImageUrl == nil {
		t.Errorf("after the updates, the pool's: %+v", got)
	}

	// Neither CSS nor an image removes the client's own: back to the pool's.
	if _, err := e.Client.SetUICustomization(e.ctx(), &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: aws.String(client)}); err != nil {
		t.Fatal(err)
	}
	if got := getUI(t, e, pool, client); aws.ToString(got.ClientId) != "ALL" {
		t.Errorf("after removing the client's own: %+v", got)
	}
}

func TestSetUICustomizationErrors(t *testing.T) {
	e := newEnv(t)
	pool, client, _ := uiPool(t, e)
	bare := createTestPool(t, e, nil)
	bareClient := aws.ToString(createTestClient(t, e, bare, nil).ClientId)
	for _, tc := range []struct {
		name     string
		in       *cip.SetUICustomizationInput
		typ, msg string
	}{
		{"pool without a domain", &cip.SetUICustomizationInput{UserPoolId: aws.String(bare), CSS: aws.String(testUICSS)},
			"InvalidParameterException", "There is no domain for the user pool " + bare + ": UI customization needs one (CreateUserPoolDomain)."},
		{"unknown pool", &cip.SetUICustomizationInput{UserPoolId: aws.String("us-east-1_nope"), CSS: aws.String(testUICSS)},
			"ResourceNotFoundException", "User pool us-east-1_nope does not exist."},
		{"client of another pool", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: aws.String(bareClient), CSS: aws.String(testUICSS)},
			"ResourceNotFoundException", "User pool client " + bareClient + " does not exist."},
		{"a class that is not customizable", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ClientId: aws.String(client), CSS: aws.String("body { color: red; }")},
			"InvalidParameterException", `The CSS is invalid: "body" is not one of the customizable classes`},
		{"a pseudo-class the class does not take", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String(".label-customizable:hover { color: red; }")},
			"InvalidParameterException", `The CSS is invalid: ".label-customizable:hover" is not one of the customizable classes`},
		{"an import", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String("@import url(https://evil.example/x.css);")},
			"InvalidParameterException", "The CSS is invalid: it may contain only rules for the customizable classes"},
		{"a closing tag", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String(".label-customizable { color: red; } </style>")},
			"InvalidParameterException", "The CSS is invalid: it may contain only rules for the customizable classes"},
		{"an unclosed block", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), CSS: aws.String(".label-customizable { color: red;")},
			"InvalidParameterException", "The CSS is invalid: a declaration block is not closed"},
		{"an image that is not PNG or JPEG", &cip.SetUICustomizationInput{UserPoolId: aws.String(pool), ImageFile: []byte("GIF89a....")},
			"InvalidParameterException", "The image file must be a PNG or JPEG image."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Client.SetUICustomization(e.ctx(), tc.in)
			wantAPIError(t, err, tc.typ, tc.msg)
		})
	}
	// Nothing was stored by the refusals.
	if got := getUI(t, e, pool, client); got.CSS != nil || got.CSSVersion != nil {
		t.Errorf("after refusals: %+v", got)
	}
	_, err := e.Client.GetUICustomization(e.ctx(), &cip.GetUICustomizationInput{UserPoolId: aws.String(bare)})
	wantAPIError(t, err, "InvalidParameterException", "")
}
