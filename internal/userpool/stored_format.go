package userpool

import (
	"encoding/json"
	"fmt"
)

// Pool and client settings are stored as the JSON of the generated wire
// types (cognito.UserPoolType, cognito.UserPoolClientType), which come from
// AWS's service model. A regeneration from a newer model could rename a
// member or change its type, and the JSON already stored would then decode
// differently, silently. So each stored document carries the format it was
// written in, and TestStoredFormat decodes documents of the current format
// kept in testdata: a regeneration that changes how one reads fails it,
// and the fix is a new format with a conversion from the old one, here.
const storedFormat = 1

// formatKey is the member that holds the format; the leading underscore
// keeps it apart from the model's PascalCase members.
const formatKey = "_format"

// encodeStored is the JSON of v, an object, with the current format.
func encodeStored(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	head := fmt.Sprintf(`{%q:%d`, formatKey, storedFormat)
	if string(b) == "{}" {
		return []byte(head + "}"), nil
	}
	return append([]byte(head+","), b[1:]...), nil
}

// decodeStored reads a document encodeStored wrote into v. Documents from
// before formats were recorded have none and are format 1. A format newer
// than this server's is refused rather than half read: a newer node wrote
// it.
func decodeStored(b []byte, v any) error {
	var f struct {
		Format *int `json:"_format"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	format := 1
	if f.Format != nil {
		format = *f.Format
	}
	if format < 1 || format > storedFormat {
		return fmt.Errorf("stored settings are in format %d; this server reads formats 1 to %d", format, storedFormat)
	}
	return json.Unmarshal(b, v)
}
