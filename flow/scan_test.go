package flow

import (
	"bytes"
	"strings"
	"testing"
)

// topLevelFields is jsonscan.Members into a map (jsonscan is fuzzed
// against encoding/json): keys decode as encoding/json decodes them, and
// a repeated key keeps its last value, as encoding/json's map does.
func TestTopLevelFieldsDecodesKeysAndKeepsTheLastOfARepeatedKey(t *testing.T) {
	got, err := topLevelFields([]byte(`{"k\u00e9y":true, "a":1,"a":{"b":[2]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got["kéy"]) != "true" || string(got["a"]) != `{"b":[2]}` {
		t.Fatalf("got %q", got)
	}
	if _, err := topLevelFields([]byte(`["not an object"]`)); err == nil {
		t.Fatal("an array split as an object")
	}
}

// BenchmarkTopLevelFields splits a typical challenge (the hot path of every
// recorded exchange) and a large one with deep nesting.
func BenchmarkTopLevelFields(b *testing.B) {
	small := []byte(`{"type":"native","flow_info":{"title":"Welcome to authentik!","background":"/static/dist/assets/images/flow_background.jpg","cancel_url":"/flows/-/cancel/","layout":"stacked"},"component":"ak-stage-identification","user_fields":["username","email"],"password_fields":false,"application_pre":"","enroll_url":"/if/flow/default-enrollment-flow/","primary_action":"Log in","sources":[],"show_source_labels":false}`)
	var big bytes.Buffer
	big.WriteString(`{"component":"ak-stage-consent","permissions":[`)
	for i := 0; i < 2000; i++ {
		if i > 0 {
			big.WriteByte(',')
		}
		big.WriteString(`{"id":"scope_` + strings.Repeat("x", i%17) + `","name":"Read \"everything\"","nested":{"a":[1,2.5e3,true,null],"b":"}]"}}`)
	}
	big.WriteString(`],"pending_user":"akadmin","token":"abc"}`)
	for _, c := range []struct {
		name string
		body []byte
	}{{"challenge", small}, {"100KiB", big.Bytes()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := topLevelFields(c.body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
