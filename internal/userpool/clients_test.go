package userpool

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store"
	"github.com/userpool/userpool/internal/store/sqlite"
)

// poolsTestService is a Service over a fresh SQLite store, with a sealer,
// for the pool and client unit tests.
func poolsTestService(t *testing.T) (*Service, store.Store) {
	t.Helper()
	st, err := sqlite.Open(t.Context(), sqlite.Config{Path: filepath.Join(t.TempDir(), "test.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sealer, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) }
	return New(Config{Store: st, Sealer: sealer, Now: now}), st
}

// poolsWantErr asserts err is the Cognito exception typ with message msg.
func poolsWantErr(t *testing.T, err error, typ, msg string) {
	t.Helper()
	var ce *cognito.Error
	if !errors.As(err, &ce) || ce.Type != typ || ce.Message != msg {
		t.Fatalf("err = %v, want %s: %s", err, typ, msg)
	}
}

func TestResolveValidity(t *testing.T) {
	v := func(n int64) *int64 { return &n }
	tests := []struct {
		name      string
		value     *int64
		unit      string
		spec      validitySpec
		wantValue int64
		wantUnit  string
		wantErr   bool
	}{
		{"access default", nil, "", accessValiditySpec, 60, "minutes", false},
		{"refresh default", nil, "", refreshValiditySpec, 30, "days", false},
		{"refresh zero is the default", v(0), "", refreshValiditySpec, 30, "days", false},
		{"refresh zero in hours", v(0), "hours", refreshValiditySpec, 720, "hours", false},
		{"bare access value is hours", v(1), "", accessValiditySpec, 1, "hours", false},
		{"bare refresh value is days", v(10), "", refreshValiditySpec, 10, "days", false},
		{"access lower bound", v(5), "minutes", accessValiditySpec, 5, "minutes", false},
		{"access below lower bound", v(299), "seconds", accessValiditySpec, 0, "", true},
		{"access upper bound", v(86400), "seconds", accessValiditySpec, 86400, "seconds", false},
		{"access above upper bound", v(25), "hours", accessValiditySpec, 0, "", true},
		{"access in days", v(1), "days", accessValiditySpec, 1, "days", false},
		{"access two days", v(2), "days", accessValiditySpec, 0, "", true},
		{"refresh lower bound", v(60), "minutes", refreshValiditySpec, 60, "minutes", false},
		{"refresh below lower bound", v(3599), "seconds", refreshValiditySpec, 0, "", true},
		{"refresh upper bound", v(3650), "days", refreshValiditySpec, 3650, "days", false},
		{"refresh upper bound in seconds", v(315360000), "seconds", refreshValiditySpec, 315360000, "seconds", false},
		{"refresh above upper bound", v(3651), "", refreshValiditySpec, 0, "", true},
		{"largest model value in days", v(315360000), "days", refreshValiditySpec, 0, "", true},
		{"unit alone: default in seconds", nil, "seconds", accessValiditySpec, 3600, "seconds", false},
		{"unit alone: default in hours", nil, "hours", idValiditySpec, 1, "hours", false},
		{"unit alone: 60 minutes in days", nil, "days", accessValiditySpec, 0, "", true},
		{"unit alone: refresh in minutes", nil, "minutes", refreshValiditySpec, 43200, "minutes", false},
		{"negative", v(-1), "hours", accessValiditySpec, 0, "", true},
		{"unknown unit", v(1), "weeks", accessValiditySpec, 0, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			gotValue, gotUnit, err := resolveValidity(tt.value, tt.unit, tt.spec)
			if tt.wantErr {
				poolsWantErr(t, err, cognito.TypeInvalidParameter, "Invalid range for token validity.")
				return
			}
			if err != nil || gotValue != tt.wantValue || gotUnit != tt.wantUnit {
				t.Errorf("resolveValidity = %d %q %v, want %d %q", gotValue, gotUnit, err, tt.wantValue, tt.wantUnit)
			}
		})
	}
}

func TestAppClientTTLs(t *testing.T) {
	v := func(n int64) *int64 { return &n }
	c := &AppClient{Config: &cognito.UserPoolClientType{
		AccessTokenValidity: v(90), IDTokenValidity: v(2), RefreshTokenValidity: v(7), AuthSessionValidity: v(15),
		TokenValidityUnits: &cognito.TokenValidityUnitsType{AccessToken: "seconds", IDToken: "hours", RefreshToken: "days"},
	}}
	// 90 seconds is out of range, so it cannot have been stored; the
	// fallback is the default rather than a token that expires at once.
	if got := c.AccessTokenTTL(); got != time.Hour {
		t.Errorf("AccessTokenTTL = %v, want 1h", got)
	}
	if got := c.IDTokenTTL(); got != 2*time.Hour {
		t.Errorf("IDTokenTTL = %v, want 2h", got)
	}
	if got := c.RefreshTokenTTL(); got != 7*24*time.Hour {
		t.Errorf("RefreshTokenTTL = %v, want 168h", got)
	}
	if got := c.AuthSessionTTL(); got != 15*time.Minute {
		t.Errorf("AuthSessionTTL = %v, want 15m", got)
	}
	empty := &AppClient{Config: &cognito.UserPoolClientType{}}
	if empty.AccessTokenTTL() != time.Hour || empty.IDTokenTTL() != time.Hour ||
		empty.RefreshTokenTTL() != 30*24*time.Hour || empty.AuthSessionTTL() != 3*time.Minute {
		t.Errorf("defaults = %v %v %v %v", empty.AccessTokenTTL(), empty.IDTokenTTL(), empty.RefreshTokenTTL(), empty.AuthSessionTTL())
	}
	tenYears := &AppClient{Config: &cognito.UserPoolClientType{
		RefreshTokenValidity: v(3650), TokenValidityUnits: &cognito.TokenValidityUnitsType{RefreshToken: "days"},
	}}
	if got := tenYears.RefreshTokenTTL(); got != 3650*24*time.Hour {
		t.Errorf("RefreshTokenTTL = %v, want 3650 days", got)
	}
}

func TestCheckRedirectURL(t *testing.T) {
	tests := []struct {
		url     string
		wantMsg string
	}{
		{"https://app.example.com/cb", ""},
		{"https://app.example.com:8443/cb?x=1", ""},
		{"HTTPS://APP.EXAMPLE.COM/", ""},
		{"http://localhost", ""},
		{"http://localhost:3000/callback", ""},
		{"http://127.0.0.1:8080/", ""},
		{"http://[::1]:9229/cb", ""},
		{"myapp://signin", ""},
		{"com.example.app:/oauth2redirect", ""},
		{"http://localhost.com/", "http://localhost.com/ cannot use the HTTP protocol."},
		{"http://example.com", "http://example.com cannot use the HTTP protocol."},
		{"http://127.0.0.2/", "http://127.0.0.2/ cannot use the HTTP protocol."},
		{"http://10.0.0.1:3000/", "http://10.0.0.1:3000/ cannot use the HTTP protocol."},
		{"https://app.example.com/#frag", "https://app.example.com/#frag cannot use fragment"},
		{"myapp://signin#x", "myapp://signin#x cannot use fragment"},
		{"/relative", "/relative is not a valid URL."},
		{"https:///nohost", "https:///nohost is not a valid URL."},
		{"https://bad host/", "https://bad host/ is not a valid URL."},
		// Schemes that run code in the page the browser is sent to: a
		// redirect there would run the attacker's script on this server's
		// origin or the app's.
		{"javascript:alert(document.cookie)", "javascript:alert(document.cookie) cannot use the JAVASCRIPT protocol."},
		{"JavaScript://x/%0aalert(1)", "JavaScript://x/%0aalert(1) cannot use the JAVASCRIPT protocol."},
		{"data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script> cannot use the DATA protocol."},
		{"vbscript:msgbox(1)", "vbscript:msgbox(1) cannot use the VBSCRIPT protocol."},
	}
	for _, tt := range tests {
		err := checkRedirectURL(tt.url)
		if tt.wantMsg == "" {
			if err != nil {
				t.Errorf("checkRedirectURL(%q) = %v, want nil", tt.url, err)
			}
			continue
		}
		var ce *cognito.Error
		if !errors.As(err, &ce) || ce.Type != cognito.TypeInvalidParameter || ce.Message != tt.wantMsg {
			t.Errorf("checkRedirectURL(%q) = %v, want InvalidParameterException %q", tt.url, err, tt.wantMsg)
		}
	}
}

func TestHasFlow(t *testing.T) {
	client := func(flows ...string) *AppClient {
		return &AppClient{Config: &cognito.UserPoolClientType{ExplicitAuthFlows: flows}}
	}
	all := []string{FlowAdminUserPassword, FlowCustom, FlowUserPassword, FlowUserSRP, FlowRefreshToken, FlowUserAuth}
	tests := []struct {
		name  string
		c     *AppClient
		allow []string
	}{
		{"defaults", client(defaultExplicitAuthFlows...), []string{FlowRefreshToken, FlowUserSRP, FlowCustom}},
		{"ALLOW_ names", client(FlowUserPassword, FlowAdminUserPassword), []string{FlowUserPassword, FlowAdminUserPassword}},
		{"no flows", client(), nil},
		{"legacy ADMIN_NO_SRP_AUTH", client("ADMIN_NO_SRP_AUTH"), []string{FlowAdminUserPassword, FlowUserSRP, FlowRefreshToken, FlowCustom}},
		{"legacy USER_PASSWORD_AUTH", client("USER_PASSWORD_AUTH"), []string{FlowUserPassword, FlowUserSRP, FlowRefreshToken, FlowCustom}},
		{"legacy CUSTOM_AUTH_FLOW_ONLY", client("CUSTOM_AUTH_FLOW_ONLY", "ADMIN_NO_SRP_AUTH"), []string{FlowCustom, FlowRefreshToken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range all {
				want := false
				for _, a := range tt.allow {
					want = want || a == f
				}
				if got := tt.c.HasFlow(f); got != want {
					t.Errorf("HasFlow(%s) = %v, want %v", f, got, want)
				}
			}
		})
	}
	// A legacy name asked for is read as its ALLOW_ equivalent.
	if c := client(FlowUserPassword); !c.HasFlow("USER_PASSWORD_AUTH") || c.HasFlow("ADMIN_NO_SRP_AUTH") {
		t.Error("legacy names are not mapped to their ALLOW_ flows")
	}
}

// TestClientSecretStorage checks the secret is kept only as a hash and a
// sealed copy bound to the client: never in the settings document.
func TestClientSecretStorage(t *testing.T) {
	s, st := poolsTestService(t)
	ctx := t.Context()
	p, err := s.CreatePool(ctx, &cognito.CreateUserPoolInput{PoolName: "p"})
	if err != nil {
		t.Fatal(err)
	}
	generate := true
	c, err := s.CreateClient(ctx, &cognito.CreateUserPoolClientInput{UserPoolID: p.ID, ClientName: "c", GenerateSecret: &generate})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ClientSecret) != clientSecretLength {
		t.Fatalf("secret %q has %d characters, want %d", c.ClientSecret, len(c.ClientSecret), clientSecretLength)
	}
	rec, err := st.GetClient(ctx, c.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec.Settings, []byte(c.ClientSecret)) || bytes.Contains(rec.Settings, []byte("ClientSecret")) {
		t.Errorf("settings hold the secret: %s", rec.Settings)
	}
	if bytes.Contains(rec.SecretSealed, []byte(c.ClientSecret)) {
		t.Error("sealed secret holds the secret in the clear")
	}
	if h := sha256.Sum256([]byte(c.ClientSecret)); !bytes.Equal(rec.SecretHash, h[:]) {
		t.Errorf("SecretHash = %x, want SHA-256 of the secret", rec.SecretHash)
	}
	if got, err := s.cfg.Sealer.Open(rec.SecretSealed, []byte(c.ClientID)); err != nil || string(got) != c.ClientSecret {
		t.Errorf("sealed secret opens to %q, %v", got, err)
	}
	// Sealed for this client only: it does not open as another client's.
	if _, err := s.cfg.Sealer.Open(rec.SecretSealed, []byte("otherclient")); err == nil {
		t.Error("sealed secret opens for another client id")
	}

	// An update keeps the secret and still keeps it out of the settings.
	up, err := s.UpdateClient(ctx, &cognito.UpdateUserPoolClientInput{UserPoolID: p.ID, ClientID: c.ClientID})
	if err != nil {
		t.Fatal(err)
	}
	if up.ClientSecret != c.ClientSecret {
		t.Errorf("secret after update = %q, want %q", up.ClientSecret, c.ClientSecret)
	}
	rec, err = st.GetClient(ctx, c.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(rec.Settings, []byte(c.ClientSecret)) {
		t.Errorf("settings hold the secret after update: %s", rec.Settings)
	}

	public, err := s.CreateClient(ctx, &cognito.CreateUserPoolClientInput{UserPoolID: p.ID, ClientName: "public"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err = st.GetClient(ctx, public.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.SecretHash != nil || rec.SecretSealed != nil || public.ClientSecret != "" {
		t.Errorf("public client has a secret: hash %x, sealed %x, %q", rec.SecretHash, rec.SecretSealed, public.ClientSecret)
	}
	app, err := s.Client(ctx, public.ClientID)
	if err != nil || app.Secret != "" {
		t.Errorf("Client() of a public client = %+v, %v", app, err)
	}
}

func TestClientNotFound(t *testing.T) {
	s, _ := poolsTestService(t)
	_, err := s.Client(t.Context(), "missingclient")
	poolsWantErr(t, err, cognito.TypeResourceNotFound, "User pool client missingclient does not exist.")
}
