package oauth2_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// A client with terms shows them on the sign-up form, and signing up
// without accepting them is refused before any user is made.
func TestHostedSignUpTerms(t *testing.T) {
	e := newSelfServiceEnv(t, nil)
	q := e.authorizeQuery()
	form, _ := e.page("/signup", q)
	if strings.Contains(form.Body, `name="acceptTerms"`) {
		t.Fatalf("a client without terms shows a terms box")
	}

	for _, name := range []string{"terms-of-use", "privacy-policy"} {
		if _, err := e.stack.Service.CreateTerms(t.Context(), &cognito.CreateTermsInput{
			UserPoolID: e.PoolID, ClientID: e.ClientID, TermsName: name, TermsSource: "LINK", Enforcement: "NONE",
			Links: map[string]string{"cognito:default": "https://example.com/" + name},
		}); err != nil {
			t.Fatalf("CreateTerms(%s): %v", name, err)
		}
	}
	form, token := e.page("/signup", q)
	wantBody(t, "sign-up form with terms", form, `name="acceptTerms" type="checkbox" value="1" required`,
		`href="https://example.com/privacy-policy" target="_blank" rel="noopener">Privacy policy</a> and the <a class="redirect-customizable" href="https://example.com/terms-of-use" target="_blank" rel="noopener">Terms of use</a>`)

	fields := url.Values{"_csrf": {token}, "username": {"carol"}, "userAttributes.email": {"carol@example.com"}, "password": {hostedPassword}}
	refused := e.post("/signup", q, fields)
	if refused.Status != http.StatusBadRequest {
		t.Fatalf("sign-up without accepting the terms: %d, want 400", refused.Status)
	}
	wantBody(t, "terms not accepted", refused, "You must accept the terms to sign up.", `value="carol@example.com"`)
	if _, err := e.stack.Service.AdminGetUser(t.Context(), &cognito.AdminGetUserInput{UserPoolID: e.PoolID, Username: "carol"}); err == nil {
		t.Fatal("a sign-up without accepting the terms made the user")
	}

	fields.Set("acceptTerms", "1")
	wantRedirect(t, e.post("/signup", q, fields), "/confirmUser")
}
