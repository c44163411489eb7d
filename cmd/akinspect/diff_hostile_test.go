package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/sim"
)

// hostileCopy writes the recording at path again, in a file whose name
// holds h, with h as the component, flow slug, a challenge field and its
// value, response_errors and an answer field.
func hostileCopy(t *testing.T, path, h string) string {
	t.Helper()
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	xs, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x"+h+history.Extension)
	w, err := history.Create(out, rec.Header, history.WriterOptions{NoRedact: true, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, x := range xs {
		c := *x
		for _, body := range []*[]byte{&c.ResponseBody, &c.RequestBody} {
			var obj map[string]any
			if json.Unmarshal(*body, &obj) == nil && obj != nil {
				obj[h] = h
				obj["response_errors"] = map[string]any{h: []any{map[string]any{"string": h}}}
				*body, _ = json.Marshal(obj)
			}
		}
		if c.Component != "" && i > 3 { // the first stages stay aligned, with hostile fields
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
	return out
}

// akinspect diff prints nothing of a hostile recording raw: text report,
// FILE#N report, warnings, errors.
func TestDiffCommandOutputOfHostileRecordingsIsSafe(t *testing.T) {
	bob := recordRun(t, sim.Options{}, "bob")
	for _, h := range append(append([]string(nil), termsafetest.Hostile...), termsafetest.All) {
		bad := hostileCopy(t, bob, h)
		for _, args := range [][]string{{bob, bad}, {bad, bob}, {bob + "#3", bad + "#3"}, {bob + "#4", bad + "#4"}, {bad, bad + "x"}} {
			code, out, errOut := runCLI(t, append([]string{"diff"}, args...)...)
			if code == exitOK {
				t.Errorf("%q: diff %v found no difference", h, args)
			}
			if found := termsafetest.Find(out+errOut, false); found != "" {
				t.Errorf("%q: diff %v printed %s", h, args, found)
			}
		}
	}
}
