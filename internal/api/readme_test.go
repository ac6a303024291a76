package api_test

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's table of supported actions")

const (
	readmePath  = "../../README.md"
	tableBegin  = "<!-- actions:begin -->"
	tableFinish = "<!-- actions:end -->"
)

// TestReadmeActions keeps the README's table of supported actions equal to
// the dispatch table. Run `go test ./internal/api -run TestReadmeActions
// -update-readme` after adding an action.
func TestReadmeActions(t *testing.T) {
	e := newEnv(t)
	want := actionsTable(e.API.Actions())
	b, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, tableBegin)
	end := strings.Index(readme, tableFinish)
	if start < 0 || end < start {
		t.Fatalf("README has no %s ... %s section", tableBegin, tableFinish)
	}
	got := readme[start+len(tableBegin) : end]
	if got == want {
		return
	}
	if *updateReadme {
		readme = readme[:start+len(tableBegin)] + want + readme[end:]
		if err := os.WriteFile(readmePath, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README actions table is stale (run with -update-readme):\n%s", cmp.Diff(got, want))
}

func actionsTable(implemented []string) string {
	unsigned := map[string]bool{}
	for _, op := range cognito.Operations {
		unsigned[op.Name] = op.Unsigned
	}
	var b strings.Builder
	b.WriteString("\n| Action | Authentication |\n| --- | --- |\n")
	for _, name := range implemented {
		auth := "SigV4 (admin)"
		if unsigned[name] {
			auth = "none, or a token in the body"
		}
		b.WriteString("| " + name + " | " + auth + " |\n")
	}
	b.WriteString("\n")
	return b.String()
}
