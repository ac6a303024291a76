package tokens

import (
	"bytes"
	"encoding/json"
	"slices"
)

// ClaimChanges are claims added to, overridden in or suppressed from one
// token, as a pre token generation trigger asks (internal/triggers, which
// has already left out the claims no trigger may touch). Suppression wins
// over addition.
type ClaimChanges struct {
	Add      map[string]json.RawMessage
	Suppress []string
}

func (c ClaimChanges) empty() bool { return len(c.Add) == 0 && len(c.Suppress) == 0 }

// apply returns payload, a JSON object, with the changes made. Members
// keep their order; added ones follow in the order of their names.
func (c ClaimChanges) apply(payload []byte) ([]byte, error) {
	if c.empty() {
		return payload, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(payload, &members); err != nil {
		return nil, err
	}
	order, err := memberOrder(payload)
	if err != nil {
		return nil, err
	}
	var added []string
	for k, v := range c.Add {
		if _, ok := members[k]; !ok {
			added = append(added, k)
		}
		members[k] = v
	}
	slices.Sort(added)
	var w objectWriter
	for _, k := range append(order, added...) {
		if slices.Contains(c.Suppress, k) {
			continue
		}
		w.raw(k, members[k])
	}
	return w.close(), nil
}

// memberOrder lists the names of a JSON object's members in order.
func memberOrder(payload []byte) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	var names []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		names = append(names, t.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// accessPayload is the access token's claims with AccessChanges made.
func (e *Event) accessPayload() ([]byte, error) {
	payload, err := json.Marshal(e.accessClaims())
	if err != nil {
		return nil, err
	}
	return e.AccessChanges.apply(payload)
}
