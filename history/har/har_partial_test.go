package har

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history"
)

// harWithBadEntries exports the synthetic session as HAR and breaks some of
// its entries (by position in log.entries) with edit.
func harWithBadEntries(t *testing.T, edit map[int]func(entry map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(exportSession(t, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	entries := doc["log"].(map[string]any)["entries"].([]any)
	for i, f := range edit {
		f(entries[i].(map[string]any))
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestHARWithBadEntriesOpensWithTheGoodOnes(t *testing.T) {
	data := harWithBadEntries(t, map[int]func(map[string]any){
		3: func(en map[string]any) {
			c := en["response"].(map[string]any)["content"].(map[string]any)
			c["text"], c["encoding"] = "%%% not base64", "base64"
		},
		6: func(en map[string]any) { en["response"].(map[string]any)["status"] = "two hundred" },
	})
	rec, err := history.Open(writeTemp(t, "session.har", data))
	if err != nil {
		t.Fatalf("one bad entry rejects the whole HAR: %v", err)
	}
	if want := len(syntheticSession()) - 2; rec.Len() != want {
		t.Errorf("imported %d exchanges, want the %d good ones", rec.Len(), want)
	}
	if len(rec.Warnings) != 2 {
		t.Fatalf("warnings = %q, want one per bad entry", rec.Warnings)
	}
	for i, want := range []string{
		"HAR entry 4 skipped (log.entries[3]): response.content.text: bad base64",
		"HAR entry 7 skipped (log.entries[6]): response.status: string where a number belongs",
	} {
		w := rec.Warnings[i]
		if !strings.HasPrefix(w, want) || strings.Count(w, "HAR") != 1 {
			t.Errorf("warning %d = %q, want it to start with %q and say HAR once", i, w, want)
		}
	}
	// The good exchanges around the bad ones are whole.
	all, err := rec.All()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.ID == 4 || e.ID == 7 {
			t.Errorf("exchange %d came from a bad entry", e.ID)
		}
	}
}

func TestHARErrorsSayHAROnce(t *testing.T) {
	for name, doc := range map[string]string{
		"no entries":       `{"log":{"version":"1.2"}}`,
		"every entry bad":  `{"log":{"entries":[{"response":{"status":"x"}},{"request":7}]}}`,
		"entries not list": `{"log":{"entries":{}}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := history.Open(writeTemp(t, "x.har", []byte(doc)))
			if err == nil {
				t.Fatal("opened")
			}
			if n := strings.Count(err.Error(), "HAR:"); n != 1 {
				t.Errorf("Open error says HAR: %d times: %v", n, err)
			}
			_, err = Import(strings.NewReader(doc))
			if err == nil || strings.Count(err.Error(), "HAR:") != 1 {
				t.Errorf("Import error: %v", err)
			}
		})
	}
}

func TestHARWithEveryEntryBadNamesTheFirst(t *testing.T) {
	_, err := Import(strings.NewReader(`{"log":{"entries":[{"response":{"status":"x"}},{"request":7}]}}`))
	if err == nil || !strings.Contains(err.Error(), "entry 1 (log.entries[0]): response.status") {
		t.Errorf("err = %v", err)
	}
}

// Skipped entries are named one by one up to a point, then counted.
func TestManyBadHAREntriesAreSummed(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"log":{"entries":[{"request":{"method":"GET","url":"http://h/"},"response":{"status":200}}`)
	for range maxEntryWarnings + 5 {
		b.WriteString(`,{"response":{"status":"x"}}`)
	}
	b.WriteString(`]}}`)
	rec, err := Import(&b)
	if err != nil {
		t.Fatal(err)
	}
	last := rec.Warnings[len(rec.Warnings)-1]
	if rec.Len() != 1 || len(rec.Warnings) != maxEntryWarnings+1 || last != "5 more HAR entries skipped" {
		t.Errorf("len %d, %d warnings, last %q", rec.Len(), len(rec.Warnings), last)
	}
}
