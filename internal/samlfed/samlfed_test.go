package samlfed_test

import (
	"context"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/crewjam/saml"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/samlfed"
	"github.com/userpool/userpool/internal/samlfed/samlfedtest"
	"github.com/userpool/userpool/internal/testserver"
	"github.com/userpool/userpool/internal/userpool"
)

const (
	poolID = "us-east-1_SAMLtest1"
	acsURL = "http://127.0.0.1:9/saml2/idpresponse"
)

var alice = samlfedtest.User{
	Name: "alice", Password: "alice-password", Email: "alice@example.com",
	GivenName: "Alice", Surname: "Liddell", Groups: []string{"Admins", "Domain Users"},
}

// setup is an IdP that knows alice and the pool, and the pool's provider
// for it, by metadata document. The pool lives in the store of a server
// stack, whose service records the assertions used.
type setup struct {
	idp   *samlfedtest.IdP
	sp    *samlfed.ServiceProvider
	p     samlfed.Provider
	now   time.Time
	stack *testserver.Stack
}

func newSetup(t *testing.T, encrypt bool, details map[string]string) *setup {
	t.Helper()
	stack := testserver.New(t, testserver.WithoutAPI(), testserver.WithoutOAuth2())
	if _, err := stack.Service.CreatePoolWithID(t.Context(), poolID, &cognito.CreateUserPoolInput{PoolName: "saml"}); err != nil {
		t.Fatal(err)
	}
	s := &setup{idp: samlfedtest.New(t), now: stack.Clock.Now(), stack: stack}
	s.idp.SetClock(s.now)
	key, cert := samlfedtest.KeyPair(t, userpool.SAMLEntityID(poolID))
	s.idp.RegisterSP(t, samlfedtest.SP{
		EntityID: userpool.SAMLEntityID(poolID), ACSURL: acsURL, Certificate: cert, Encrypt: encrypt,
		SignsRequests: details[userpool.DetailSigningAlgorithm] != "",
	})
	s.idp.AddUser(t, alice)
	s.sp = s.node(t)
	d := map[string]string{userpool.DetailMetadataFile: s.idp.Metadata(t)}
	for k, v := range details {
		d[k] = v
	}
	s.p = samlfed.Provider{PoolID: poolID, Name: "Corp", Details: d, Key: &userpool.SAMLKey{Key: key, Certificate: cert}}
	return s
}

// node is a service provider on the setup's clock that records assertions
// in the setup's store: one node of a deployment sharing that store.
func (s *setup) node(t *testing.T) *samlfed.ServiceProvider {
	t.Helper()
	sp, err := samlfed.New(samlfed.Config{ACSURL: acsURL, Now: func() time.Time { return s.now }, Assertions: s.stack.Service})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// signIn runs SP-initiated sign-in up to the IdP's answer.
func (s *setup) signIn(t *testing.T) (requestID string, posted samlfedtest.Posted) {
	t.Helper()
	req, err := s.sp.Start(context.Background(), s.p)
	if err != nil {
		t.Fatal(err)
	}
	u, err := req.RedirectURL("relay-1")
	if err != nil {
		t.Fatal(err)
	}
	posted = s.idp.SignIn(t, u, alice)
	if posted.RelayState != "relay-1" || posted.Action != acsURL {
		t.Fatalf("the IdP posts %q to %s", posted.RelayState, posted.Action)
	}
	return req.ID, posted
}

func TestSPInitiatedSignIn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		encrypt bool
		details map[string]string
	}{
		{"plain", false, nil},
		{"signed request", false, map[string]string{userpool.DetailSigningAlgorithm: "rsa-sha256"}},
		{"encrypted", true, map[string]string{userpool.DetailEncryptedResponses: "true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSetup(t, tc.encrypt, tc.details)
			id, posted := s.signIn(t)
			got, err := s.sp.Verify(context.Background(), s.p, posted.SAMLResponse, id)
			if err != nil {
				t.Fatal(err)
			}
			if got.UserID != alice.Email || got.ProviderName != "Corp" || got.ProviderType != "SAML" {
				t.Errorf("identity %+v", got)
			}
			want := map[string]string{
				"urn:oid:0.9.2342.19200300.100.1.3": alice.Email,
				"urn:oid:2.5.4.42":                  "Alice",
				"urn:oid:2.5.4.4":                   "Liddell",
				"urn:oid:1.3.6.1.4.1.5923.1.1.1.1":  "[Admins, Domain+Users]",
			}
			for k, v := range want {
				if got.Attributes[k] != v {
					t.Errorf("attribute %s = %q, want %q", k, got.Attributes[k], v)
				}
			}
			// An assertion is used once.
			if _, err := s.sp.Verify(context.Background(), s.p, posted.SAMLResponse, id); !isRefusal(err) {
				t.Errorf("replayed response: %v", err)
			}
		})
	}
}

func TestSignedRequestCarriesSignature(t *testing.T) {
	// The redirect binding signs the query, not the XML; that the IdP
	// accepts the signature is TestSPInitiatedSignIn's "signed request".
	s := newSetup(t, false, map[string]string{userpool.DetailSigningAlgorithm: "rsa-sha256"})
	req, err := s.sp.Start(context.Background(), s.p)
	if err != nil {
		t.Fatal(err)
	}
	u, err := req.RedirectURL("r")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(u, "Signature=") || !strings.Contains(u, "SigAlg=") {
		t.Fatalf("request not signed: %s", u)
	}
}

func TestMetadataURL(t *testing.T) {
	s := newSetup(t, false, nil)
	s.p.Details = map[string]string{userpool.DetailMetadataURL: s.idp.URL + "/metadata"}
	id, posted := s.signIn(t)
	if _, err := s.sp.Verify(context.Background(), s.p, posted.SAMLResponse, id); err != nil {
		t.Fatal(err)
	}
}

func isRefusal(err error) bool {
	var r *samlfed.Refusal
	return errors.As(err, &r)
}

func TestRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("unsigned response", func(t *testing.T) {
		s := newSetup(t, false, nil)
		id, posted := s.signIn(t)
		raw, _ := base64.StdEncoding.DecodeString(posted.SAMLResponse)
		stripped := regexp.MustCompile(`(?s)<ds:Signature.*?</ds:Signature>`).ReplaceAll(raw, nil)
		if len(stripped) == len(raw) {
			t.Fatal("the IdP's response has no signature to strip")
		}
		_, err := s.sp.Verify(ctx, s.p, base64.StdEncoding.EncodeToString(stripped), id)
		if !isRefusal(err) || !strings.Contains(err.Error(), "signature") {
			t.Errorf("unsigned: %v", err)
		}
	})
	t.Run("tampered response", func(t *testing.T) {
		s := newSetup(t, false, nil)
		id, posted := s.signIn(t)
		raw, _ := base64.StdEncoding.DecodeString(posted.SAMLResponse)
		forged := strings.ReplaceAll(string(raw), alice.Email, "mallory@example.com")
		if _, err := s.sp.Verify(ctx, s.p, base64.StdEncoding.EncodeToString([]byte(forged)), id); !isRefusal(err) {
			t.Errorf("tampered: %v", err)
		}
	})
	t.Run("from another IdP", func(t *testing.T) {
		s := newSetup(t, false, nil)
		id, posted := s.signIn(t)
		// The provider's metadata names another IdP, with another key.
		s.p.Details[userpool.DetailMetadataFile] = samlfedtest.New(t).Metadata(t)
		if _, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, id); !isRefusal(err) {
			t.Errorf("response of another IdP: %v", err)
		}
	})
	t.Run("wrong audience", func(t *testing.T) {
		s := newSetup(t, false, nil)
		s.idp.Server.IDP.AssertionMaker = audience{"urn:amazon:cognito:sp:us-east-1_other"}
		id, posted := s.signIn(t)
		if _, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, id); !isRefusal(err) || !errors.Is(err, saml.ErrAudienceMismatch) {
			t.Errorf("wrong audience: %v", err)
		}
	})
	t.Run("expired assertion", func(t *testing.T) {
		s := newSetup(t, false, nil)
		id, posted := s.signIn(t)
		s.now = s.now.Add(time.Hour)
		if _, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, id); !isRefusal(err) || !errors.Is(err, saml.ErrExpired) {
			t.Errorf("expired: %v", err)
		}
	})
	t.Run("unknown InResponseTo", func(t *testing.T) {
		s := newSetup(t, false, nil)
		_, posted := s.signIn(t)
		if _, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, "id-0123456789"); !isRefusal(err) || !errors.Is(err, saml.ErrRequestIDMismatch) {
			t.Errorf("unknown InResponseTo: %v", err)
		}
	})
	t.Run("solicited response as IdP-initiated", func(t *testing.T) {
		s := newSetup(t, false, map[string]string{userpool.DetailIDPInit: "true"})
		_, posted := s.signIn(t)
		if _, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, ""); !isRefusal(err) {
			t.Errorf("solicited response accepted as unsolicited: %v", err)
		}
	})
	t.Run("IdP-initiated not allowed", func(t *testing.T) {
		s := newSetup(t, false, nil)
		posted := s.idp.IdPInitiated(t, userpool.SAMLEntityID(poolID), "client_id=x", alice)
		_, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, "")
		var r *samlfed.Refusal
		if !errors.As(err, &r) || !strings.Contains(r.Reason, "IdP-initiated") {
			t.Errorf("IdP-initiated without IDPInit: %v", err)
		}
	})
	t.Run("unencrypted when encryption is required", func(t *testing.T) {
		s := newSetup(t, false, map[string]string{userpool.DetailEncryptedResponses: "true"})
		id, posted := s.signIn(t)
		_, err := s.sp.Verify(ctx, s.p, posted.SAMLResponse, id)
		var r *samlfed.Refusal
		if !errors.As(err, &r) || !strings.Contains(r.Reason, "encrypt") {
			t.Errorf("unencrypted: %v", err)
		}
	})
	t.Run("not base64", func(t *testing.T) {
		s := newSetup(t, false, nil)
		if _, err := s.sp.Verify(ctx, s.p, "%%%", "id-1"); !isRefusal(err) {
			t.Errorf("not base64: %v", err)
		}
		if _, err := s.sp.Verify(ctx, s.p, base64.StdEncoding.EncodeToString([]byte("<nope")), "id-1"); !isRefusal(err) {
			t.Errorf("not XML: %v", err)
		}
	})
}

func TestIdPInitiated(t *testing.T) {
	s := newSetup(t, false, map[string]string{userpool.DetailIDPInit: "true"})
	posted := s.idp.IdPInitiated(t, userpool.SAMLEntityID(poolID), "client_id=x", alice)
	got, err := s.sp.Verify(context.Background(), s.p, posted.SAMLResponse, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.UserID != alice.Email {
		t.Errorf("identity %+v", got)
	}
	// Cognito takes IdP-initiated assertions issued in the last 6 minutes.
	posted = s.idp.IdPInitiated(t, userpool.SAMLEntityID(poolID), "client_id=x", alice)
	s.now = s.now.Add(7 * time.Minute)
	if _, err := s.sp.Verify(context.Background(), s.p, posted.SAMLResponse, ""); !isRefusal(err) {
		t.Errorf("old IdP-initiated assertion: %v", err)
	}
}

// audience makes the IdP address its assertions to another SP.
type audience struct{ to string }

func (a audience) MakeAssertion(req *saml.IdpAuthnRequest, session *saml.Session) error {
	if err := (saml.DefaultAssertionMaker{}).MakeAssertion(req, session); err != nil {
		return err
	}
	for i := range req.Assertion.Conditions.AudienceRestrictions {
		req.Assertion.Conditions.AudienceRestrictions[i].Audience = saml.Audience{Value: a.to}
	}
	return nil
}

func TestMetadataUnreadable(t *testing.T) {
	s := newSetup(t, false, nil)
	s.p.Details = map[string]string{userpool.DetailMetadataURL: "http://127.0.0.1:1/metadata"}
	if _, err := s.sp.Start(context.Background(), s.p); !isRefusal(err) {
		t.Errorf("unreachable metadata: %v", err)
	}
	s.p.Details = map[string]string{userpool.DetailMetadataFile: "<EntityDescriptor/>"}
	if _, err := s.sp.Start(context.Background(), s.p); !isRefusal(err) {
		t.Errorf("metadata without an IdP: %v", err)
	}
}

func TestReplayToAnotherNode(t *testing.T) {
	// Two nodes behind a load balancer share one store: an assertion the
	// first accepted is refused by the second, as the first refuses it.
	for _, tc := range []struct {
		name string
		// answer is an answer of the IdP and the request it answers ("" for
		// IdP-initiated).
		answer func(t *testing.T, s *setup) (requestID string, posted samlfedtest.Posted)
	}{
		{"SP-initiated", func(t *testing.T, s *setup) (string, samlfedtest.Posted) { return s.signIn(t) }},
		{"IdP-initiated", func(t *testing.T, s *setup) (string, samlfedtest.Posted) {
			return "", s.idp.IdPInitiated(t, userpool.SAMLEntityID(poolID), "client_id=x", alice)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			s := newSetup(t, false, map[string]string{userpool.DetailIDPInit: "true"})
			nodeA, nodeB := s.sp, s.node(t)
			id, posted := tc.answer(t, s)
			if _, err := nodeA.Verify(ctx, s.p, posted.SAMLResponse, id); err != nil {
				t.Fatalf("first use: %v", err)
			}
			_, onB := nodeB.Verify(ctx, s.p, posted.SAMLResponse, id)
			_, onA := nodeA.Verify(ctx, s.p, posted.SAMLResponse, id)
			var a, b *samlfed.Refusal
			if !errors.As(onA, &a) || !errors.Is(onA, saml.ErrAssertionReplayed) {
				t.Fatalf("replay to the same node: %v", onA)
			}
			if !errors.As(onB, &b) || !errors.Is(onB, saml.ErrAssertionReplayed) {
				t.Fatalf("replay to another node: %v, want a refusal as a replay", onB)
			}
			if a.Reason != b.Reason {
				t.Errorf("the other node refuses with %q, the same node with %q", b.Reason, a.Reason)
			}
			// Another assertion for the same user is a sign-in of its own,
			// on either node.
			id, posted = tc.answer(t, s)
			if _, err := nodeB.Verify(ctx, s.p, posted.SAMLResponse, id); err != nil {
				t.Errorf("a fresh assertion on the other node: %v", err)
			}
		})
	}
}

func TestReplayRecordFailure(t *testing.T) {
	// When the store cannot record the assertion, the response is not
	// accepted, and the failure is the server's, not a refusal of the
	// IdP's answer.
	s := newSetup(t, false, nil)
	sp, err := samlfed.New(samlfed.Config{ACSURL: acsURL, Now: func() time.Time { return s.now }, Assertions: brokenStore{}})
	if err != nil {
		t.Fatal(err)
	}
	id, posted := s.signIn(t)
	_, err = sp.Verify(context.Background(), s.p, posted.SAMLResponse, id)
	if err == nil || isRefusal(err) || !errors.Is(err, errStoreDown) {
		t.Errorf("Verify with the store down: %v, want the store's error", err)
	}
	if _, err := samlfed.New(samlfed.Config{ACSURL: acsURL}); err == nil {
		t.Error("a service provider without a record of used assertions was made")
	}
}

var errStoreDown = errors.New("the database is unreachable")

// brokenStore fails every record, as a store that is down does.
type brokenStore struct{}

func (brokenStore) ConsumeSAMLAssertion(context.Context, string, string, string, time.Time) error {
	return errStoreDown
}
