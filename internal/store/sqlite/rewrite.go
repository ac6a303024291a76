package sqlite

import (
	"strings"

	"github.com/userpool/userpool/internal/store/sqlstore"
)

// sqliteAttributesJSON is sqlstore.AttributesJSON in SQLite's spelling.
// json_group_array gives '[]' for no rows by itself.
const sqliteAttributesJSON = `json_group_array(json_array(a.name, a.value) ORDER BY a.position)`

// rewrite turns a statement of the shared store, written in PostgreSQL's
// spelling, into SQLite's: the attributes' aggregate is SQLite's, and each
// placeholder $n becomes ?n, which SQLite binds to the nth argument as
// PostgreSQL does, reused or out of order. A fixed text is rewritten once,
// when it is prepared.
func rewrite(query sqlText) string {
	q := strings.ReplaceAll(string(query), sqlstore.AttributesJSON, sqliteAttributesJSON)
	i := strings.IndexByte(q, '$')
	if i < 0 {
		return q
	}
	b := []byte(q)
	for ; i < len(b); i++ {
		if b[i] == '$' && i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9' {
			b[i] = '?'
		}
	}
	return string(b)
}
