package api

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/userpool/userpool/internal/cognito"
)

// Every action of the service model is implemented: the README's table of
// supported actions is the whole model.
func TestEveryModelActionImplemented(t *testing.T) {
	a := New(Config{})
	for _, op := range cognito.Operations {
		if _, ok := a.actions[op.Name]; !ok {
			t.Errorf("%s is in the service model but has no implementation", op.Name)
		}
	}
}

// An action the model has but a build of Userpool does not implement (a
// newer model than the code) answers a typed, documented exception, not
// UnknownOperationException.
func TestUnsupportedModelAction(t *testing.T) {
	a := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	name := cognito.Operations[0].Name
	delete(a.actions, name)
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", cognito.TargetPrefix+"."+name)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	rec := httptest.NewRecorder()
	a.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d, want 400", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{"UnsupportedOperationException", name + " is not supported by Userpool."} {
		if !strings.Contains(body, want) {
			t.Errorf("answer %s lacks %q", body, want)
		}
	}
}
