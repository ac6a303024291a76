package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/userpool"
)

// Multi-factor authentication: the MFA gate signIn passes every sign-in
// through, the challenges it answers with (SOFTWARE_TOKEN_MFA, SMS_MFA,
// EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP), their responses, the
// AssociateSoftwareToken and VerifySoftwareToken steps of MFA_SETUP, which
// carry a Session instead of an access token, and the hosted login page's
// form of all this. Which step applies, and the checks of codes, are the
// userpool package's rules (userpool/mfa.go).

// challengeMFASetupVerified is what the session VerifySoftwareToken
// answers on the MFA_SETUP path is sealed for: RespondToAuthChallenge
// completes MFA_SETUP only with it, so the challenge cannot be passed
// without verifying an authenticator. No challenge name opens it.
const challengeMFASetupVerified = cognito.ChallengeNameTypeMfaSetup + ":verified"

// hostedChallenge prefixes the challenge a hosted page's MFA session is
// sealed for: the JSON API cannot answer it, nor the page an API session.
const hostedChallenge = "hosted:"

// Answers where the reference is silent; ours.
const (
	msgMFATokenOrSession = "Exactly one of AccessToken and Session must be given."
	msgMFAInvalidAnswer  = "The ANSWER is not one of the MFA types the user can choose."
	msgHostedNoSetup     = "This user pool requires MFA, and the user has no MFA method that can be set up here."
)

// mfaChallenge is the MFA gate of signIn: the challenge a sign-in of u
// must pass before it gets tokens, or nil when MFA does not apply. prefix
// is "" for the JSON API and hostedChallenge for the hosted page; dev is
// the device the sign-in named, which its sessions carry.
func (e *Engine) mfaChallenge(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, prefix string, dev namedDevice) (*Result, error) {
	r, _, err := e.mfaStep(ctx, pool, client, u, prefix, dev)
	return r, err
}

// mfaStep is mfaChallenge with the step it answers.
func (e *Engine) mfaStep(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, prefix string, dev namedDevice) (*Result, *userpool.MFAStep, error) {
	step, err := e.cfg.Users.MFAFor(ctx, pool, u)
	if err != nil || step == nil {
		return nil, nil, err
	}
	if len(step.Factors) == 1 {
		r, err := e.factorChallenge(ctx, pool, client, u, step.Factors[0], prefix, dev)
		return r, step, err
	}
	name, key, list := cognito.ChallengeNameTypeSelectMfaType, "MFAS_CAN_CHOOSE", step.Factors
	if len(step.Factors) == 0 {
		name, key, list = cognito.ChallengeNameTypeMfaSetup, "MFAS_CAN_SETUP", step.Setup
	}
	if list == nil {
		list = []string{}
	}
	b, _ := json.Marshal(list)
	return &Result{
		ChallengeName:       name,
		ChallengeParameters: map[string]string{key: string(b), "USER_ID_FOR_SRP": u.Username},
		Session:             e.newSession(mfaSession(pool, client, u, prefix+name, dev), client.AuthSessionTTL()),
	}, step, nil
}

func mfaSession(pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, challenge string, dev namedDevice) session {
	s := session{
		Pool: pool.ID, Client: client.Config.ClientID, Sub: u.Sub, Username: u.Username, Challenge: challenge,
		Device: dev.Key, DeviceProven: dev.Proven,
	}
	if dev.Key != "" && !dev.Proven {
		s.ID = rand.Text()
	}
	return s
}

// mfaPassed goes on with a sign-in whose MFA challenge, of session s, the
// user has just answered. When the device the sign-in named must prove
// itself next, the answer is recorded against the session first: one
// client proves the device with s itself (deviceSession).
func (e *Engine) mfaPassed(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, s *session) (*Result, error) {
	dev := s.device()
	if s.ID != "" && dev.Key != "" && !dev.Proven {
		if err := e.cfg.Users.RecordMFAPassed(ctx, pool.ID, u.Sub, s.ID, time.UnixMilli(s.Expires)); err != nil {
			return nil, err
		}
	}
	return e.secondFactorSettled(ctx, pool, client, u, dev)
}

// factorChallenge asks for one factor's code; for SMS and e-mail it sends
// the code first, valid as long as the challenge's session.
func (e *Engine) factorChallenge(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, factor, prefix string, dev namedDevice) (*Result, error) {
	params := map[string]string{"USER_ID_FOR_SRP": u.Username}
	ttl := client.AuthSessionTTL()
	switch factor {
	case userpool.MFASoftwareToken:
		if u.MFA.TOTPName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.MFA.TOTPName
		}
	case userpool.MFASMS, userpool.MFAEmail:
		d, err := e.cfg.Users.SendMFACode(ctx, pool, u, factor, ttl)
		if err != nil {
			return nil, err
		}
		params["CODE_DELIVERY_DELIVERY_MEDIUM"] = d.DeliveryMedium
		params["CODE_DELIVERY_DESTINATION"] = d.Destination
	}
	return &Result{
		ChallengeName:       factor,
		ChallengeParameters: params,
		Session:             e.newSession(mfaSession(pool, client, u, prefix+factor+totpBinding(factor, u), dev), ttl),
	}, nil
}

// totpBinding is what a SOFTWARE_TOKEN_MFA session is sealed for besides
// the challenge: the time step of the last code the user's authenticator
// gave. Signing in with a code moves it on, so the session is then used
// up, and cannot sign in again with a later code; a wrong code leaves it,
// so the user may try again.
func totpBinding(factor string, u store.User) string {
	if factor != userpool.MFASoftwareToken {
		return ""
	}
	return "#" + strconv.FormatInt(u.MFA.TOTPLastStep, 10)
}

// openMFASession opens the session of an MFA challenge (challenge with
// its hosted prefix, if any, and factor without) for clientID in the
// pool, and returns it with its user, who must still exist. The user is
// read first, from the session's own claim, because a SOFTWARE_TOKEN_MFA
// session is sealed for the user's state (totpBinding); openSession then
// checks everything, the claim included.
func (e *Engine) openMFASession(ctx context.Context, poolID, raw, clientID, challenge, factor string) (*session, store.User, error) {
	var u store.User
	if claim := peekSession(e, raw); claim != nil && claim.Pool == poolID {
		var err error
		if u, err = e.cfg.Users.UserBySub(ctx, poolID, claim.Sub); err != nil && !errors.Is(err, cognito.UserNotFound("")) {
			return nil, store.User{}, err
		}
	}
	s, err := e.openSession(raw, clientID, challenge+totpBinding(factor, u))
	if err != nil {
		return nil, store.User{}, err
	}
	if s.Pool != poolID || s.Sub != u.Sub {
		return nil, store.User{}, cognito.NotAuthorized(msgSessionInvalid)
	}
	return s, u, nil
}

// mfaUser returns the user an MFA challenge response is for, with the
// challenge's session: the session must be one the server sealed for this
// challenge, client and pool, and not expired; USERNAME must name the
// session's user, SECRET_HASH be right for a client with a secret, and
// the user be enabled and not locked out.
func (e *Engine) mfaUser(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest, challenge string) (store.User, *session, error) {
	s, u, err := e.openMFASession(ctx, pool.ID, r.Session, client.Config.ClientID, challenge, r.Name)
	if err != nil {
		return store.User{}, nil, err
	}
	username := r.Responses["USERNAME"]
	if username == "" {
		return store.User{}, nil, cognito.InvalidParameter("Missing required parameter USERNAME")
	}
	if named, err := e.cfg.Users.LookupUser(ctx, pool, username); err != nil || named.Sub != u.Sub {
		return store.User{}, nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if err := checkSecretHash(client, r.Responses["SECRET_HASH"], username, u.Username); err != nil {
		return store.User{}, nil, err
	}
	if err := e.mayContinue(u); err != nil {
		return store.User{}, nil, err
	}
	return u, s, nil
}

// mayContinue refuses a sign-in's next step for a user disabled since it
// began, or locked out by wrong codes.
func (e *Engine) mayContinue(u store.User) error {
	if !u.Enabled {
		return cognito.NotAuthorized(msgDisabled)
	}
	if e.now().Before(u.LockedUntil) {
		return cognito.NotAuthorized(msgAttemptsExceeded)
	}
	return nil
}

// checkMFAAnswer checks a code given for factor.
func (e *Engine) checkMFAAnswer(ctx context.Context, pool *cognito.UserPoolType, u store.User, factor, code string) error {
	return e.countMFAAnswer(ctx, pool, u, func() error {
		if factor == userpool.MFASoftwareToken {
			return e.cfg.Users.CheckSoftwareTokenCode(ctx, pool, u, code)
		}
		return e.cfg.Users.CheckMFACode(ctx, pool, u, factor, code)
	})
}

// countMFAAnswer runs the check of an MFA code. Wrong codes count toward
// the same lockout as wrong passwords, so a stolen password does not buy
// unlimited guesses at the second factor; a right one clears the count.
func (e *Engine) countMFAAnswer(ctx context.Context, pool *cognito.UserPoolType, u store.User, check func() error) error {
	err := check()
	if errors.Is(err, cognito.CodeMismatch("")) {
		now := e.now()
		if _, serr := e.cfg.Users.UpdateSignInState(ctx, pool.ID, u.Sub, func(w *store.User) { recordFailure(w, now) }); serr != nil {
			return serr
		}
	}
	if err != nil {
		return err
	}
	if u.FailedSignIns > 0 {
		if _, err := e.cfg.Users.UpdateSignInState(ctx, pool.ID, u.Sub, func(w *store.User) { w.FailedSignIns = 0 }); err != nil {
			return err
		}
	}
	return nil
}

// codeResponses names the response that carries each factor's code.
var codeResponses = map[string]string{
	userpool.MFASoftwareToken: "SOFTWARE_TOKEN_MFA_CODE",
	userpool.MFASMS:           "SMS_MFA_CODE",
	userpool.MFAEmail:         "EMAIL_OTP_CODE",
}

// respondFactor answers SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP, the
// last also when it completes an e-mail MFA set-up.
func (e *Engine) respondFactor(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest) (*Result, error) {
	u, s, err := e.mfaUser(ctx, pool, client, r, r.Name)
	if err != nil {
		return nil, err
	}
	key := codeResponses[r.Name]
	code := r.Responses[key]
	if code == "" {
		return nil, cognito.InvalidParameter("Missing required parameter " + key)
	}
	if s.Email != "" {
		u, err = e.answerEmailSetup(ctx, pool, u, s.Email, code)
	} else {
		err = e.checkMFAAnswer(ctx, pool, u, r.Name, code)
	}
	if err != nil {
		return nil, err
	}
	return e.mfaPassed(ctx, pool, client, u, s)
}

// selectAnswer reads SELECT_MFA_TYPE's ANSWER: a factor, with EMAIL_MFA,
// the name Cognito's documentation gives the e-mail factor there, taken
// for EMAIL_OTP.
func selectAnswer(answer string) string {
	if answer == "EMAIL_MFA" {
		return userpool.MFAEmail
	}
	return answer
}

// respondSelectMFAType answers SELECT_MFA_TYPE with the chosen factor's
// challenge.
func (e *Engine) respondSelectMFAType(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest) (*Result, error) {
	u, s, err := e.mfaUser(ctx, pool, client, r, r.Name)
	if err != nil {
		return nil, err
	}
	answer := selectAnswer(r.Responses["ANSWER"])
	if answer == "" {
		return nil, cognito.InvalidParameter("Missing required parameter ANSWER")
	}
	return e.selectFactor(ctx, pool, client, u, answer, "", s.device())
}

// selectFactor goes on with the factor a user chose, if it is one they may
// still choose.
func (e *Engine) selectFactor(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User, factor, prefix string, dev namedDevice) (*Result, error) {
	step, err := e.cfg.Users.MFAFor(ctx, pool, u)
	if err != nil {
		return nil, err
	}
	if step == nil || !slices.Contains(step.Factors, factor) {
		return nil, cognito.InvalidParameter(msgMFAInvalidAnswer)
	}
	return e.factorChallenge(ctx, pool, client, u, factor, prefix, dev)
}

// respondMFASetup answers MFA_SETUP. With the session VerifySoftwareToken
// returned, the authenticator verified there becomes the user's MFA, and
// the sign-in goes on past MFA. With an EMAIL response, the sign-in's
// own MFA_SETUP session sets up e-mail codes instead (respondEmailSetup).
func (e *Engine) respondMFASetup(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest) (*Result, error) {
	if address, ok := r.Responses["EMAIL"]; ok {
		return e.respondEmailSetup(ctx, pool, client, r, address)
	}
	u, s, err := e.mfaUser(ctx, pool, client, r, challengeMFASetupVerified)
	if err != nil {
		return nil, err
	}
	if u.MFA.TOTPEnabled {
		// Set up already: the session has been used.
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	if u, err = e.cfg.Users.CompleteMFASetup(ctx, pool, u); err != nil {
		return nil, err
	}
	return e.mfaPassed(ctx, pool, client, u, s)
}

// respondEmailSetup answers MFA_SETUP with EMAIL, an address for e-mail
// MFA, when the step offered EMAIL_OTP: a code goes to the address, and
// the answer is the EMAIL_OTP challenge, whose session carries the
// address and lasts no longer than the sign-in's. The right code makes
// the address the user's verified e-mail and their MFA (respondFactor).
func (e *Engine) respondEmailSetup(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, r ChallengeRequest, address string) (*Result, error) {
	u, s, err := e.mfaUser(ctx, pool, client, r, cognito.ChallengeNameTypeMfaSetup)
	if err != nil {
		return nil, err
	}
	next, d, err := e.startEmailSetup(ctx, pool, u, s, address, "")
	if err != nil {
		return nil, err
	}
	return &Result{
		ChallengeName: cognito.ChallengeNameTypeEmailOtp,
		ChallengeParameters: map[string]string{
			"USER_ID_FOR_SRP":               u.Username,
			"CODE_DELIVERY_DELIVERY_MEDIUM": d.DeliveryMedium,
			"CODE_DELIVERY_DESTINATION":     d.Destination,
		},
		Session: e.resealSession(next),
	}, nil
}

// startEmailSetup sends the code of an e-mail MFA set-up to address (if
// the user's MFA step offers it: userpool's rule), and returns the EMAIL_OTP session (for
// the challenge prefix given) that takes the code, with where it went. The
// code and the session last as long as what is left of s, the set-up's
// session.
func (e *Engine) startEmailSetup(ctx context.Context, pool *cognito.UserPoolType, u store.User, s *session, address, prefix string) (session, *cognito.CodeDeliveryDetailsType, error) {
	if address == "" {
		return session{}, nil, cognito.InvalidParameter("Missing required parameter EMAIL")
	}
	d, err := e.cfg.Users.SendEmailMFASetupCode(ctx, pool, u, address, time.UnixMilli(s.Expires).Sub(e.now()))
	if err != nil {
		return session{}, nil, err
	}
	next := *s
	next.Challenge, next.Email = prefix+cognito.ChallengeNameTypeEmailOtp, address
	return next, d, nil
}

// answerEmailSetup checks the code of an e-mail MFA set-up to address
// and, when right, makes the address the user's e-mail and their MFA.
func (e *Engine) answerEmailSetup(ctx context.Context, pool *cognito.UserPoolType, u store.User, address, code string) (store.User, error) {
	if err := e.countMFAAnswer(ctx, pool, u, func() error { return e.cfg.Users.CheckEmailMFASetupCode(ctx, pool, u, address, code) }); err != nil {
		return store.User{}, err
	}
	return e.cfg.Users.CompleteEmailMFASetup(ctx, pool, u, address)
}

// AssociateSoftwareToken starts the software token of the user an
// MFA_SETUP session belongs to, as AssociateSoftwareToken does with a
// Session: it returns the secret and the session to verify it with.
func (e *Engine) AssociateSoftwareToken(ctx context.Context, sess string) (secretCode, next string, err error) {
	s, pool, u, err := e.setupSession(ctx, sess, cognito.ChallengeNameTypeMfaSetup)
	if err != nil {
		return "", "", err
	}
	if secretCode, err = e.cfg.Users.AssociateSoftwareToken(ctx, pool, u); err != nil {
		return "", "", err
	}
	return secretCode, e.resealSession(*s), nil
}

// VerifySoftwareToken verifies the software token of the user an
// MFA_SETUP session belongs to, as VerifySoftwareToken does with a
// Session: it returns the session that completes MFA_SETUP.
func (e *Engine) VerifySoftwareToken(ctx context.Context, sess, code, deviceName string) (string, error) {
	s, pool, u, err := e.setupSession(ctx, sess, cognito.ChallengeNameTypeMfaSetup)
	if err != nil {
		return "", err
	}
	if err := e.cfg.Users.VerifySoftwareToken(ctx, pool, u, code, deviceName); err != nil {
		return "", err
	}
	s.Challenge = challengeMFASetupVerified
	return e.resealSession(*s), nil
}

// CheckTokenOrSession refuses an AssociateSoftwareToken or
// VerifySoftwareToken request that has both or neither of AccessToken and
// Session: Cognito takes exactly one.
func CheckTokenOrSession(accessToken, sess string) error {
	if (accessToken == "") == (sess == "") {
		return cognito.InvalidParameter(msgMFATokenOrSession)
	}
	return nil
}

// setupSession opens a session of the JSON API's MFA_SETUP, which
// AssociateSoftwareToken and VerifySoftwareToken receive without a client
// id: the session names its client, whose pool and user must still exist.
func (e *Engine) setupSession(ctx context.Context, raw, challenge string) (*session, *cognito.UserPoolType, store.User, error) {
	var clientID string
	if claim := peekSession(e, raw); claim != nil {
		clientID = claim.Client
	}
	s, err := e.openSession(raw, clientID, challenge)
	if err != nil {
		return nil, nil, store.User{}, err
	}
	pool, _, err := e.client(ctx, s.Client, "", false)
	if err != nil || pool.ID != s.Pool {
		if err == nil || errors.Is(err, cognito.ResourceNotFound("")) {
			err = cognito.NotAuthorized(msgSessionInvalid)
		}
		return nil, nil, store.User{}, err
	}
	u, err := e.cfg.Users.UserBySub(ctx, pool.ID, s.Sub)
	if err != nil {
		return nil, nil, store.User{}, err
	}
	if err := e.mayContinue(u); err != nil {
		return nil, nil, store.User{}, err
	}
	return s, pool, u, nil
}

// peekSession reads a sealed session without judging it, nil when it
// cannot be read. What it says is the server's own (the seal proves it),
// but not yet checked for its challenge, client or expiry: openSession
// does that.
func peekSession(e *Engine, raw string) *session {
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil
	}
	plain, err := e.cfg.Sealer.Open(b, sessionAD)
	if err != nil {
		return nil
	}
	var s session
	if json.Unmarshal(plain, &s) != nil {
		return nil
	}
	return &s
}

// resealSession seals a session again, keeping its expiry: the steps of
// MFA_SETUP each answer a new session, but together they last no longer
// than the sign-in's first one.
func (e *Engine) resealSession(s session) string {
	b, _ := json.Marshal(s)
	return base64.RawURLEncoding.EncodeToString(e.cfg.Sealer.Seal(b, sessionAD))
}

// Steps of the hosted page's MFA set-up that the JSON API has no
// challenge for, since an app asks its user itself: choosing what to set
// up, when the pool offers both authenticator apps and e-mail codes, and
// giving the e-mail address. They are sealed into the page's sessions as
// challenge names are.
const (
	HostedSetupChoice = cognito.ChallengeNameTypeMfaSetup + ":choose"
	HostedSetupEmail  = cognito.ChallengeNameTypeMfaSetup + ":email"
)

// MFAStep is the hosted form of an MFA challenge.
type MFAStep struct {
	// Session carries the sign-in to HostedMFA. It is sealed for the
	// hosted page only, like NewPasswordStep's.
	Session string
	// Challenge is SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP,
	// SELECT_MFA_TYPE, MFA_SETUP (an authenticator app's), or one of the
	// page's own set-up steps, HostedSetupChoice and HostedSetupEmail.
	Challenge string
	// Options are the factors a SELECT_MFA_TYPE or HostedSetupChoice step
	// offers.
	Options []string
	// Destination is where an SMS_MFA or EMAIL_OTP code went, masked.
	Destination string
	// SecretCode is the new authenticator secret an MFA_SETUP step shows
	// the user.
	SecretCode string
}

// hostedMFAStep is the MFA gate of the hosted page: the step a user who
// has passed their password must take, or nil.
func (e *Engine) hostedMFAStep(ctx context.Context, pool *cognito.UserPoolType, client *userpool.AppClient, u store.User) (*MFAStep, error) {
	r, step, err := e.mfaStep(ctx, pool, client, u, hostedChallenge, namedDevice{})
	if err != nil || r == nil {
		return nil, err
	}
	return e.hostedStep(ctx, pool, u, r, step)
}

// hostedStep renders a challenge as the page's step. MFA_SETUP becomes
// the set-up of what the page can set up: an authenticator app, e-mail
// codes, or a choice of the two.
func (e *Engine) hostedStep(ctx context.Context, pool *cognito.UserPoolType, u store.User, r *Result, step *userpool.MFAStep) (*MFAStep, error) {
	out := &MFAStep{Session: r.Session, Challenge: r.ChallengeName, Destination: r.ChallengeParameters["CODE_DELIVERY_DESTINATION"]}
	switch r.ChallengeName {
	case cognito.ChallengeNameTypeSelectMfaType:
		out.Options = step.Factors
	case cognito.ChallengeNameTypeMfaSetup:
		var can []string
		for _, f := range []string{userpool.MFASoftwareToken, userpool.MFAEmail} {
			if slices.Contains(step.Setup, f) {
				can = append(can, f)
			}
		}
		s := peekSession(e, r.Session)
		switch {
		case len(can) == 0 || s == nil:
			return nil, cognito.New(cognito.TypeMFAMethodNotFound, msgHostedNoSetup)
		case len(can) > 1:
			out.Challenge, out.Options = HostedSetupChoice, can
			out.Session = e.hostedReseal(*s, HostedSetupChoice)
		default:
			return e.hostedSetup(ctx, pool, u, *s, can[0])
		}
	}
	return out, nil
}

// hostedSetup is the page's step that sets up factor: an authenticator
// app's key to enter (MFA_SETUP), or the form for the e-mail address.
func (e *Engine) hostedSetup(ctx context.Context, pool *cognito.UserPoolType, u store.User, s session, factor string) (*MFAStep, error) {
	if factor == userpool.MFAEmail {
		return &MFAStep{Challenge: HostedSetupEmail, Session: e.hostedReseal(s, HostedSetupEmail)}, nil
	}
	secret, err := e.cfg.Users.AssociateSoftwareToken(ctx, pool, u)
	if err != nil {
		return nil, err
	}
	return &MFAStep{Challenge: cognito.ChallengeNameTypeMfaSetup, Session: e.hostedReseal(s, cognito.ChallengeNameTypeMfaSetup), SecretCode: secret}, nil
}

// hostedReseal seals a hosted MFA session again for another step of the
// same sign-in, keeping its expiry.
func (e *Engine) hostedReseal(s session, step string) string {
	s.Challenge = hostedChallenge + step
	return e.resealSession(s)
}

// HostedMFA answers a hosted MFA step for the app client clientID: a code
// for SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP, which signs the user in
// (an EMAIL_OTP code of an e-mail set-up also makes the address the
// user's e-mail and MFA); a factor for SELECT_MFA_TYPE, which leads to
// that factor's step, or for HostedSetupChoice, which leads to its
// set-up; an address for HostedSetupEmail, which sends a code there; or,
// for MFA_SETUP, a code from the authenticator the step showed the secret
// of, which makes it the user's MFA and signs them in. The checks,
// lockout included, are those of RespondToAuthChallenge.
func (e *Engine) HostedMFA(ctx context.Context, clientID, sess, challenge, answer string) (*HostedResult, error) {
	_, isFactor := codeResponses[challenge]
	switch {
	case isFactor, challenge == cognito.ChallengeNameTypeSelectMfaType, challenge == cognito.ChallengeNameTypeMfaSetup,
		challenge == HostedSetupChoice, challenge == HostedSetupEmail:
	default:
		return nil, cognito.NotAuthorized(msgSessionInvalid)
	}
	pool, client, err := e.client(ctx, clientID, "", false)
	if err != nil {
		return nil, err
	}
	s, u, err := e.openMFASession(ctx, pool.ID, sess, client.Config.ClientID, hostedChallenge+challenge, challenge)
	if err != nil {
		return nil, err
	}
	if err := e.mayContinue(u); err != nil {
		return nil, err
	}
	if answer == "" {
		return nil, cognito.InvalidParameter("Missing required parameter ANSWER")
	}
	next := func(step *MFAStep, err error) (*HostedResult, error) {
		if err != nil {
			return nil, err
		}
		return &HostedResult{PoolID: pool.ID, Sub: u.Sub, Username: u.Username, MFA: step}, nil
	}
	switch challenge {
	case cognito.ChallengeNameTypeSelectMfaType:
		r, err := e.selectFactor(ctx, pool, client, u, selectAnswer(answer), hostedChallenge, namedDevice{})
		if err != nil {
			return nil, err
		}
		return next(e.hostedStep(ctx, pool, u, r, nil))
	case HostedSetupChoice:
		step, err := e.cfg.Users.MFAFor(ctx, pool, u)
		if err != nil {
			return nil, err
		}
		if step == nil || len(step.Factors) > 0 || !slices.Contains(step.Setup, answer) ||
			(answer != userpool.MFASoftwareToken && answer != userpool.MFAEmail) {
			return nil, cognito.InvalidParameter(msgMFAInvalidAnswer)
		}
		return next(e.hostedSetup(ctx, pool, u, *s, answer))
	case HostedSetupEmail:
		code, d, err := e.startEmailSetup(ctx, pool, u, s, answer, hostedChallenge)
		if err != nil {
			return nil, err
		}
		return next(&MFAStep{Challenge: cognito.ChallengeNameTypeEmailOtp, Session: e.resealSession(code), Destination: d.Destination}, nil)
	case cognito.ChallengeNameTypeMfaSetup:
		if err := e.cfg.Users.VerifySoftwareToken(ctx, pool, u, answer, ""); err != nil {
			return nil, err
		}
		if u, err = e.cfg.Users.CompleteMFASetup(ctx, pool, u); err != nil {
			return nil, err
		}
	default:
		if s.Email != "" {
			u, err = e.answerEmailSetup(ctx, pool, u, s.Email, answer)
		} else {
			err = e.checkMFAAnswer(ctx, pool, u, challenge, answer)
		}
		if err != nil {
			return nil, err
		}
	}
	return &HostedResult{PoolID: pool.ID, Sub: u.Sub, Username: u.Username, AuthTime: e.now()}, nil
}
