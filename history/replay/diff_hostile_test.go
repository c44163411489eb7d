package replay

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

// hostileRecording writes rec again with h in every piece of text a server
// or a recording's author controls that a diff prints: challenge fields and
// their values, response_errors, the answers' fields, cookie names, and
// (with components) the component and the flow's slug.
func hostileRecording(t testing.TB, rec *history.Recording, h string, components bool) *history.Recording {
	t.Helper()
	xs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hostile"+h+history.Extension)
	w, err := history.Create(path, rec.Header, history.WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range xs {
		c := *x
		c.ResponseBody = withHostile(c.ResponseBody, h, true)
		c.RequestBody = withHostile(c.RequestBody, h, false)
		c.Jar = append(append([]transport.Cookie(nil), c.Jar...), transport.Cookie{Name: h, Value: h, Domain: "127.0.0.1", Path: "/"})
		if components && c.Component != "" {
			c.Component += h
			c.Flow += h
		}
		if err := w.Write(&c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withHostile adds h as a key and a value to a JSON object (and, for a
// challenge, as response_errors); anything else is left as it is.
func withHostile(body []byte, h string, challenge bool) []byte {
	var obj map[string]any
	if json.Unmarshal(body, &obj) != nil || obj == nil {
		return body
	}
	obj[h] = h
	if _, ok := obj["pending_user"]; ok {
		obj["pending_user"] = h
	}
	if challenge {
		obj["response_errors"] = map[string]any{h: []any{map[string]any{"string": h, "code": h}}}
	}
	out, _ := json.Marshal(obj)
	return out
}

// Nothing of a hostile recording reaches the text report raw: not in the
// stage lines, the paths, the values, the flow names, nor the FILE#N report.
func TestDiffReportsOfHostileRecordingsAreSafe(t *testing.T) {
	real := recordLogin(t, "bob", true, true)
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		for _, components := range []bool{false, true} {
			bad := hostileRecording(t, real, h, components)
			d, err := DiffRecordings(real, bad, DiffOptions{})
			if err != nil {
				t.Fatal(err)
			}
			text := d.Text()
			if d.Differences() == 0 {
				t.Fatalf("%q: no difference found in the hostile recording:\n%s", h, text)
			}
			if found := termsafetest.Find(text, false); found != "" {
				t.Errorf("%q (components %v): the report holds %s", h, components, found)
			}
			xa, _ := real.Exchange(2) // #3, the identification POST
			xb, _ := bad.Exchange(2)
			diffs := DiffExchanges(xa, xb, DiffOptions{})
			if found := termsafetest.Find(ExchangesText("a"+h, "b"+h, diffs), false); found != "" || len(diffs) == 0 {
				t.Errorf("%q: the FILE#N report (%d differences) holds %s", h, len(diffs), found)
			}
		}
	}
}
