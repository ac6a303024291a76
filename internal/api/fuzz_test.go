package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/auth"
	"github.com/userpool/userpool/internal/password"
	"github.com/userpool/userpool/internal/seal"
	"github.com/userpool/userpool/internal/store/sqlite"
	"github.com/userpool/userpool/internal/tokens"
	"github.com/userpool/userpool/internal/userpool"
)

// FuzzDispatch sends arbitrary bodies to every implemented action. Whatever
// the input, the answer must be a well-formed Cognito response and never a
// 500: bad input is the client's fault and gets a 4xx exception.
func FuzzDispatch(f *testing.F) {
	st, err := sqlite.Open(f.Context(), sqlite.Config{Path: filepath.Join(f.TempDir(), "fuzz.db")})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	sealer, err := seal.New(bytes.Repeat([]byte{1}, seal.KeySize))
	if err != nil {
		f.Fatal(err)
	}
	svc := userpool.New(userpool.Config{Store: st, Sealer: sealer, Passwords: password.Hasher{MemoryKiB: 8, Iterations: 1}})
	codec, err := tokens.NewRefreshCodec(bytes.Repeat([]byte{1}, seal.KeySize))
	if err != nil {
		f.Fatal(err)
	}
	issuer := tokens.New(tokens.Config{Store: st, Sealer: sealer, Refresh: codec, PublicURL: "http://127.0.0.1:9229"})
	engine := auth.New(auth.Config{Users: svc, Tokens: issuer, Store: st, Sealer: sealer})
	a := New(Config{Service: svc, Auth: engine, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	names := a.Actions()
	if len(names) == 0 {
		f.Fatal("no actions to fuzz")
	}

	// A pool and client the seeds can refer to, so fuzzing goes past
	// "does not exist" into the actions' own rules.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"PoolName":"fuzz","Schema":[{"Name":"tier","AttributeDataType":"String"}]}`))
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.CreateUserPool")
	a.ServeHTTP(rec, req)
	var created struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &created); rec.Code != http.StatusOK || err != nil || created.UserPool.Id == "" {
		f.Fatalf("CreateUserPool for the seeds: %d %s", rec.Code, rec.Body)
	}
	pool := created.UserPool.Id

	seeds := []string{
		`{}`, `{"UserPoolId":"` + pool + `"}`, `{"UserPoolId":"` + pool + `","Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}`,
		`{"UserPoolId":"` + pool + `","Filter":"email ^= \"a\""}`, `{"MaxResults":10,"NextToken":"!!"}`,
		`{"UserPoolId":"` + pool + `","ClientName":"c","GenerateSecret":true,"AccessTokenValidity":5,"TokenValidityUnits":{"AccessToken":"minutes"}}`,
		`{"UserPoolId":"` + pool + `","GroupName":"g","Precedence":-1}`, `{"ResourceArn":"arn:aws:cognito-idp:us-east-1:000000000000:userpool/` + pool + `","Tags":{"a":"b"}}`,
		`{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"abc","AuthParameters":{"USERNAME":"alice","PASSWORD":"x"}}`,
		`{"AccessToken":"a.b.c"}`, `{"ClientId":"abc","Token":"a.b.c.d.e"}`, `{"ClientId":"abc","RefreshToken":"x"}`,
		`null`, `"x"`, `{"UserPoolId":null}`, `{"Limit":1e400}`,
	}
	for i, s := range seeds {
		for j := range names {
			if j%len(seeds) == i {
				f.Add(uint16(j), []byte(s))
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		name := names[int(which)%len(names)]
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+name)
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d %s", name, body, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s: response is not a JSON object: %q", name, rec.Body)
		}
		if rec.Code != http.StatusOK {
			if typ, _ := out["__type"].(string); typ == "" || rec.Header().Get("X-Amzn-ErrorType") != typ+":" {
				t.Fatalf("%s: error without a type: %d %v", name, rec.Code, out)
			}
		}
	})
}
