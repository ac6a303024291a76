package tokens

import (
	"encoding/json"
	"testing"
)

func TestClaimChangesApply(t *testing.T) {
	payload := []byte(`{"sub":"s","email":"a@example.com","iss":"i","given_name":"Ann"}`)
	c := ClaimChanges{
		Add:      map[string]json.RawMessage{"tier": json.RawMessage(`2`), "email": json.RawMessage(`"b@example.com"`), "b": json.RawMessage(`{"x":[1]}`), "given_name": json.RawMessage(`"X"`)},
		Suppress: []string{"given_name"},
	}
	got, err := c.apply(payload)
	if err != nil {
		t.Fatal(err)
	}
	// Members keep their order, added ones follow by name, and
	// suppression beats addition.
	if want := `{"sub":"s","email":"b@example.com","iss":"i","b":{"x":[1]},"tier":2}`; string(got) != want {
		t.Errorf("apply = %s, want %s", got, want)
	}
	if same, _ := (ClaimChanges{}).apply(payload); string(same) != string(payload) {
		t.Errorf("no changes = %s", same)
	}
}
