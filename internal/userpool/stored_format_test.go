package userpool

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/userpool/userpool/internal/cognito"
	"github.com/userpool/userpool/internal/store"
)

var updateStored = flag.Bool("update-stored", false, "rewrite testdata/stored for a new stored format")

// fill sets every member of the struct v points to, recursively, to a
// value of its type, so a document made from it has every member the
// model gives the type.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.Pointer:
		if depth > 6 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[cognito.EpochTime]() {
			return // dates live in the record's own columns
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	case reflect.String:
		v.SetString("s")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int64, reflect.Int:
		v.SetInt(7)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // []byte, json.RawMessage
			v.SetBytes([]byte(`{"a":1}`))
			return
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0), depth)
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		val := reflect.New(v.Type().Elem()).Elem()
		fill(val, depth)
		m.SetMapIndex(reflect.ValueOf("k"), val)
		v.Set(m)
	}
}

// TestStoredFormat guards what is stored against a regeneration of the
// wire types: documents of the current format, with every member filled,
// are kept in testdata/stored, and must decode and encode back to
// themselves. A regeneration that renames or retypes a stored member
// fails here; then add a format (storedFormat) and its conversion rather
// than let old rows read differently. A new member only adds to what is
// stored and passes.
func TestStoredFormat(t *testing.T) {
	for _, tc := range []struct {
		name   string
		fresh  func() any
		encode func(any) ([]byte, error)
		decode func([]byte) (any, error)
	}{
		{"pool", func() any { return new(cognito.UserPoolType) },
			func(v any) ([]byte, error) { return encodePool(v.(*cognito.UserPoolType)) },
			func(b []byte) (any, error) { return decodePool(store.Pool{ID: "s", Name: "s", Settings: b}) }},
		{"client", func() any { return new(cognito.UserPoolClientType) },
			func(v any) ([]byte, error) { return encodeClient(v.(*cognito.UserPoolClientType)) },
			func(b []byte) (any, error) {
				return decodeClient(store.Client{ID: "s", PoolID: "s", Name: "s", Settings: b})
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join("testdata", "stored", tc.name+".json")
			if *updateStored {
				v := tc.fresh()
				fill(reflect.ValueOf(v).Elem(), 0)
				b, err := tc.encode(v)
				if err != nil {
					t.Fatal(err)
				}
				var pretty any
				json.Unmarshal(b, &pretty)
				out, _ := json.MarshalIndent(pretty, "", "  ")
				if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			golden, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			v, err := tc.decode(golden)
			if err != nil {
				t.Fatalf("a stored %s of format %d no longer decodes: %v", tc.name, storedFormat, err)
			}
			again, err := tc.encode(v)
			if err != nil {
				t.Fatal(err)
			}
			var want, got map[string]any
			json.Unmarshal(golden, &want)
			json.Unmarshal(again, &got)
			if want[formatKey] != float64(storedFormat) {
				t.Fatalf("testdata holds format %v, the code writes %d: keep the old format's file and add one for the new", want[formatKey], storedFormat)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("a stored %s reads back differently (-stored +now):\n%s", tc.name, diff)
			}
		})
	}
}

// Documents from before formats were recorded read as format 1; a newer
// format than this server's is refused, not half read.
func TestStoredFormatVersions(t *testing.T) {
	var p cognito.UserPoolType
	if err := decodeStored([]byte(`{"MfaConfiguration":"OFF"}`), &p); err != nil || p.MfaConfiguration != "OFF" {
		t.Errorf("unversioned document: %v %+v", err, p)
	}
	if err := decodeStored([]byte(`{"_format":2,"MfaConfiguration":"OFF"}`), &p); err == nil {
		t.Error("a newer format was read")
	}
	if b, err := encodeStored(struct{}{}); err != nil || string(b) != `{"_format":1}` {
		t.Errorf("empty document: %s %v", b, err)
	}
}
