package config

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's configuration table")

// TestReadmeTable keeps the README's configuration table equal to Options.
func TestReadmeTable(t *testing.T) {
	const path, begin, end = "../../README.md", "<!-- config:begin -->", "<!-- config:end -->"
	var b strings.Builder
	b.WriteString("\n| Flag | Environment variable | Default | Meaning |\n| --- | --- | --- | --- |\n")
	for _, o := range Options {
		fl, def := "", o.Default
		if o.Flag != "" {
			fl = "`--" + o.Flag + "`"
		}
		if def != "" {
			def = "`" + def + "`"
		}
		b.WriteString("| " + fl + " | `" + o.Env + "` | " + def + " | " + o.Usage + " |\n")
	}
	b.WriteString("\n")
	want := b.String()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README has no %s ... %s section", begin, end)
	}
	if readme[i+len(begin):j] == want {
		return
	}
	if !*updateReadme {
		t.Fatalf("README configuration table is stale; run go test ./internal/config -run TestReadmeTable -update-readme")
	}
	if err := os.WriteFile(path, []byte(readme[:i+len(begin)]+want+readme[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}
