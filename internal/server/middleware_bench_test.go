package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/userpool/userpool/internal/reqctx"
)

// BenchmarkAccessLog is the cost the access log adds to a request: one
// text line written to a file, as `userpool serve` writes to stderr.
func BenchmarkAccessLog(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "log"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	log := slog.New(reqctx.LogHandler{Handler: slog.NewTextHandler(f, nil)})
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqctx.SetAction(r.Context(), "GetUser")
		w.Write([]byte("{}"))
	})
	for name, h := range map[string]http.Handler{"without": withRequestID(ok), "with": withRequestID(withAccessLog(log, ok))} {
		b.Run(name, func(b *testing.B) {
			r := httptest.NewRequest("POST", "/", nil)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		})
	}
}
