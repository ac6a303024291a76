package client

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/srp"
)

// API is the part of the SDK's Cognito client that sign-in and refresh
// use; *cognitoidentityprovider.Client has it, pointed at Userpool (see
// WithEndpoint) or at Cognito itself.
type API interface {
	InitiateAuth(context.Context, *cip.InitiateAuthInput, ...func(*cip.Options)) (*cip.InitiateAuthOutput, error)
	RespondToAuthChallenge(context.Context, *cip.RespondToAuthChallengeInput, ...func(*cip.Options)) (*cip.RespondToAuthChallengeOutput, error)
	GetTokensFromRefreshToken(context.Context, *cip.GetTokensFromRefreshTokenInput, ...func(*cip.Options)) (*cip.GetTokensFromRefreshTokenOutput, error)
}

// AppClient signs users in through one app client of one user pool.
type AppClient struct {
	API API
	// PoolID is the user pool's id (region_name); SRP proves the password
	// against the part after the underscore.
	PoolID   string
	ClientID string
	// ClientSecret is the app client's secret, empty for a public client.
	ClientSecret string
	// Now is the time source for SRP's TIMESTAMP and token expiries;
	// nil means time.Now.
	Now func() time.Time
}

// Tokens are what a sign-in or a refresh returns.
type Tokens struct {
	AccessToken  string
	IDToken      string
	RefreshToken string
	// Expiry is when the access and ID tokens expire.
	Expiry time.Time
}

// Step is where a sign-in stands: finished, with Tokens, or waiting for
// the answer to Challenge (answer it with AppClient.Respond).
type Step struct {
	Tokens *Tokens
	// Challenge is the challenge to answer when Tokens is nil, for
	// example NEW_PASSWORD_REQUIRED or SOFTWARE_TOKEN_MFA.
	Challenge types.ChallengeNameType
	// Parameters are the challenge's parameters as the server sent them.
	Parameters map[string]string

	session  string
	username string
}

// answerParameter names the response parameter that carries the one answer
// each challenge Respond supports needs.
var answerParameter = map[types.ChallengeNameType]string{
	types.ChallengeNameTypeNewPasswordRequired: "NEW_PASSWORD",
	types.ChallengeNameTypeSoftwareTokenMfa:    "SOFTWARE_TOKEN_MFA_CODE",
	types.ChallengeNameTypeSmsMfa:              "SMS_MFA_CODE",
	types.ChallengeNameTypeEmailOtp:            "EMAIL_OTP_CODE",
	types.ChallengeNameTypeSelectMfaType:       "ANSWER",
}

func (c *AppClient) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// poolName is what SRP hashes the password with: the pool id after "_".
func (c *AppClient) poolName() (string, error) {
	_, name, ok := strings.Cut(c.PoolID, "_")
	if !ok || name == "" {
		return "", fmt.Errorf("client: pool id %q is not of the form region_name", c.PoolID)
	}
	return name, nil
}

// secretHash is SECRET_HASH for username, or "" for a public client.
func (c *AppClient) secretHash(username string) string {
	if c.ClientSecret == "" {
		return ""
	}
	m := hmac.New(sha256.New, []byte(c.ClientSecret))
	m.Write([]byte(username + c.ClientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// withSecretHash adds SECRET_HASH to params when the client has a secret.
func (c *AppClient) withSecretHash(params map[string]string, username string) map[string]string {
	if h := c.secretHash(username); h != "" {
		params["SECRET_HASH"] = h
	}
	return params
}

// SignInSRP signs username in with USER_SRP_AUTH, so the password never
// leaves the program. The result has Tokens, or the next challenge.
func (c *AppClient) SignInSRP(ctx context.Context, username, password string) (*Step, error) {
	poolName, err := c.poolName()
	if err != nil {
		return nil, err
	}
	h, err := srp.NewClient()
	if err != nil {
		return nil, err
	}
	first, err := c.API.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow: types.AuthFlowTypeUserSrpAuth,
		ClientId: aws.String(c.ClientID),
		AuthParameters: c.withSecretHash(map[string]string{
			"USERNAME": username, "SRP_A": h.A(),
		}, username),
	})
	if err != nil {
		return nil, err
	}
	if first.ChallengeName != types.ChallengeNameTypePasswordVerifier {
		return nil, fmt.Errorf("client: USER_SRP_AUTH answered %q instead of PASSWORD_VERIFIER", first.ChallengeName)
	}
	p := first.ChallengeParameters
	block, err := base64.StdEncoding.DecodeString(p["SECRET_BLOCK"])
	if err != nil {
		return nil, fmt.Errorf("client: SECRET_BLOCK: %w", err)
	}
	userID := p["USER_ID_FOR_SRP"]
	timestamp := srp.FormatTimestamp(c.now())
	sig, err := h.Sign(poolName, userID, password, p["SALT"], p["SRP_B"], block, timestamp)
	if err != nil {
		return nil, err
	}
	// As amazon-cognito-identity-js does, the user is named by
	// USER_ID_FOR_SRP from here on: in a pool that signs in with an
	// e-mail address it is the user's internal username.
	return c.respond(ctx, aws.ToString(first.Session), userID, types.ChallengeNameTypePasswordVerifier, map[string]string{
		"USERNAME":                    userID,
		"PASSWORD_CLAIM_SIGNATURE":    sig,
		"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"TIMESTAMP":                   timestamp,
	})
}

// Respond answers the challenge step is waiting on with answer: the new
// password for NEW_PASSWORD_REQUIRED, the code for SOFTWARE_TOKEN_MFA,
// SMS_MFA and EMAIL_OTP, the chosen type for SELECT_MFA_TYPE.
func (c *AppClient) Respond(ctx context.Context, step *Step, answer string) (*Step, error) {
	if step == nil || step.Tokens != nil {
		return nil, errors.New("client: the sign-in is not waiting for an answer")
	}
	name, ok := answerParameter[step.Challenge]
	if !ok {
		return nil, fmt.Errorf("client: challenge %q is not supported", step.Challenge)
	}
	return c.respond(ctx, step.session, step.username, step.Challenge, map[string]string{
		"USERNAME": step.username, name: answer,
	})
}

func (c *AppClient) respond(ctx context.Context, session, username string, challenge types.ChallengeNameType, params map[string]string) (*Step, error) {
	out, err := c.API.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{
		ClientId:           aws.String(c.ClientID),
		ChallengeName:      challenge,
		ChallengeResponses: c.withSecretHash(params, username),
		Session:            aws.String(session),
	})
	if err != nil {
		return nil, err
	}
	if out.AuthenticationResult != nil {
		return &Step{Tokens: c.tokens(out.AuthenticationResult, "")}, nil
	}
	if u := out.ChallengeParameters["USER_ID_FOR_SRP"]; u != "" {
		username = u
	}
	return &Step{
		Challenge: out.ChallengeName, Parameters: out.ChallengeParameters,
		session: aws.ToString(out.Session), username: username,
	}, nil
}

// tokens converts the SDK's result; a refresh that returns no refresh
// token keeps the one it was given (keep).
func (c *AppClient) tokens(r *types.AuthenticationResultType, keep string) *Tokens {
	t := &Tokens{
		AccessToken:  aws.ToString(r.AccessToken),
		IDToken:      aws.ToString(r.IdToken),
		RefreshToken: aws.ToString(r.RefreshToken),
		Expiry:       c.now().Add(time.Duration(r.ExpiresIn) * time.Second),
	}
	if t.RefreshToken == "" {
		t.RefreshToken = keep
	}
	return t
}
