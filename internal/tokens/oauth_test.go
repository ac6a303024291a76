package tokens

import (
	"encoding/json"
	"testing"
	"time"
)

// A client-credentials token has exactly the claims of Cognito's
// machine-to-machine sample, in its order: the client is the subject,
// with no username, groups, event or origin_jti.
func TestClientGrantClaims(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	g := &ClientGrant{Issuer: "https://idp.example.com/us-east-1_X", ClientID: "client1", Scopes: []string{"api/read", "api/write"},
		IssuedAt: at, TTL: time.Hour, JTI: "j-1"}
	b, err := json.Marshal(g.Claims())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"sub":"client1","token_use":"access","scope":"api/read api/write","auth_time":1767323045,` +
		`"iss":"https://idp.example.com/us-east-1_X","exp":1767326645,"iat":1767323045,"version":2,"jti":"j-1","client_id":"client1"}`
	if string(b) != want {
		t.Errorf("claims =\n%s\nwant\n%s", b, want)
	}
}
