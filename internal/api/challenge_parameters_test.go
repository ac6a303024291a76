package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
)

// A sign-in that ends in tokens carries "ChallengeParameters": {} beside
// them, as Cognito's answers do, from the four actions that can end one.
func TestSignInAnswersCarryEmptyChallengeParameters(t *testing.T) {
	e := newEnv(t)
	pool, client := tokensSetup(t, e, nil, nil)
	id := aws.ToString(client.ClientId)
	usersCreate(t, e, pool, "nina")
	usersCreate(t, e, pool, "olga")
	// answer checks one raw answer; a challenge's parameters are checked
	// elsewhere.
	answer := func(what string, tokens bool) func(int, http.Header, map[string]any) map[string]any {
		return func(status int, _ http.Header, out map[string]any) map[string]any {
			t.Helper()
			if status != http.StatusOK || (out["AuthenticationResult"] != nil) != tokens {
				t.Fatalf("%s: %d %v", what, status, out)
			}
			if diff := cmp.Diff(map[string]any{}, out["ChallengeParameters"]); tokens && diff != "" {
				t.Errorf("%s: ChallengeParameters (-want +got):\n%s", what, diff)
			}
			return out
		}
	}
	answer("InitiateAuth", true)(e.rawUnsigned("InitiateAuth", fmt.Sprintf(`{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":%q,"AuthParameters":{"USERNAME":"alice","PASSWORD":%q}}`, id, tokensPassword)))
	answer("AdminInitiateAuth", true)(e.raw("AdminInitiateAuth", fmt.Sprintf(`{"UserPoolId":%q,"AuthFlow":"ADMIN_USER_PASSWORD_AUTH","ClientId":%q,"AuthParameters":{"USERNAME":"alice","PASSWORD":%q}}`, pool, id, tokensPassword)))

	ch := answer("InitiateAuth's challenge", false)(e.rawUnsigned("InitiateAuth", fmt.Sprintf(`{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":%q,"AuthParameters":{"USERNAME":"nina","PASSWORD":%q}}`, id, usersTempPassword)))
	answer("RespondToAuthChallenge", true)(e.rawUnsigned("RespondToAuthChallenge", fmt.Sprintf(`{"ChallengeName":"NEW_PASSWORD_REQUIRED","ClientId":%q,"Session":%q,"ChallengeResponses":{"USERNAME":"nina","NEW_PASSWORD":"New-Passw0rd!"}}`, id, ch["Session"])))

	ch = answer("AdminInitiateAuth's challenge", false)(e.raw("AdminInitiateAuth", fmt.Sprintf(`{"UserPoolId":%q,"AuthFlow":"ADMIN_USER_PASSWORD_AUTH","ClientId":%q,"AuthParameters":{"USERNAME":"olga","PASSWORD":%q}}`, pool, id, usersTempPassword)))
	answer("AdminRespondToAuthChallenge", true)(e.raw("AdminRespondToAuthChallenge", fmt.Sprintf(`{"UserPoolId":%q,"ChallengeName":"NEW_PASSWORD_REQUIRED","ClientId":%q,"Session":%q,"ChallengeResponses":{"USERNAME":"olga","NEW_PASSWORD":"New-Passw0rd!"}}`, pool, id, ch["Session"])))
}
