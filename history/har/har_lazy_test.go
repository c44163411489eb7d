package har

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"sort"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// eagerImport is how Import read a HAR before it read entries lazily: every
// entry decoded, in time order, the jar rebuilt, flow errors diagnosed. The
// lazy import must give the same exchanges and rows.
func eagerImport(t *testing.T, data []byte) []*transport.Exchange {
	t.Helper()
	var f harFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	entries := f.Log.Entries
	sort.SliceStable(entries, func(i, j int) bool { return harStart(entries[i]).Before(harStart(entries[j])) })
	jar := newSimJar()
	var out []*transport.Exchange
	for _, en := range entries {
		e, err := exchangeFromHAR(en, len(out)+1, func(e *transport.Exchange, en harEntry) ([]transport.Cookie, []transport.CookieChange) {
			return jar.apply(e, en.Request.Cookies, en.Response.Cookies)
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	diagnoseFlowErrors(out)
	return out
}

func withoutAkinspect(t testing.TB, data []byte) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	lg := doc["log"].(map[string]any)
	delete(lg, "_akinspect")
	for _, en := range lg["entries"].([]any) {
		delete(en.(map[string]any), "_akinspect")
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLazyImportMatchesEagerImport(t *testing.T) {
	exported := exportSession(t, Options{})
	for name, data := range map[string][]byte{
		"akinspect":   exported,
		"browser":     withoutAkinspect(t, exported),
		"browserCSRF": []byte(browserCSRFHAR),
	} {
		t.Run(name, func(t *testing.T) {
			want := eagerImport(t, data)
			// From memory, from a file, and from a reader that is not an io.ReaderAt.
			recs := map[string]*history.Recording{}
			var err error
			if recs["bytes"], err = Import(bytes.NewReader(data)); err != nil {
				t.Fatal(err)
			}
			if recs["file"], err = history.Open(writeTemp(t, "s.har", data)); err != nil {
				t.Fatal(err)
			}
			if recs["pipe"], err = Import(io.MultiReader(bytes.NewReader(data))); err != nil {
				t.Fatal(err)
			}
			if recs["openbytes"], err = history.OpenBytes(data, history.ReadOptions{}); err != nil {
				t.Fatal(err)
			}
			for how, rec := range recs {
				if rec.Len() != len(want) {
					t.Fatalf("%s: %d exchanges, want %d", how, rec.Len(), len(want))
				}
				ref := history.FromExchanges(history.Header{}, want)
				for i, w := range want {
					got, err := rec.Exchange(i)
					if err != nil {
						t.Fatalf("%s: exchange %d: %v", how, i, err)
					}
					if !reflect.DeepEqual(got, w) {
						gj, _ := json.Marshal(got)
						wj, _ := json.Marshal(w)
						t.Errorf("%s: exchange %d differs:\n got %s\nwant %s", how, i, gj, wj)
					}
					if g, w := rec.Summary(i), ref.Summary(i); !reflect.DeepEqual(g, w) {
						t.Errorf("%s: row %d = %+v, want %+v", how, i, g, w)
					}
				}
				if !reflect.DeepEqual(rec.Flows[1:], ref.Flows[1:]) {
					t.Errorf("%s: flows %+v, want %+v", how, rec.Flows, ref.Flows)
				}
			}
		})
	}
}

func TestUnquoteFastMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{
		`""`, `"plain"`, `"a\"b\\c\/d\n\t\r\b\f"`, `"\u00e9\u20ac"`, `"\ud83d\ude00 smile"`,
		`"\ud83d alone"`, `"\ude00 low"`, "\"bad \xff utf8\"", `"{\"component\":\"ak-stage-password\"}"`,
		`"trailing\\"`, `"é ünïcode"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		got, err := unquoteFast([]byte(s))
		if err != nil || string(got) != want {
			t.Errorf("unquoteFast(%s) = %q, %v; want %q", s, got, err, want)
		}
	}
	if _, err := unquoteFast([]byte(`12`)); err == nil {
		t.Error("a number read as a string")
	}
}
