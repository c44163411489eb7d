package har

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/curl"
)

// FuzzImportHAR: any input either imports or returns an error.
func FuzzImportHAR(f *testing.F) {
	f.Add([]byte(tinyBrowserHAR))
	var buf, compact bytes.Buffer
	_ = Export(&buf, history.Exchanges(tinySession("alice")[1:2]), Options{})
	_ = json.Compact(&compact, buf.Bytes()) // under maxFuzzInput
	if compact.Len() > maxFuzzInput || len(tinyBrowserHAR) > maxFuzzInput {
		f.Fatal("a HAR seed is over maxFuzzInput: the fuzz function would pass it over")
	}
	f.Add(compact.Bytes())
	f.Add([]byte(`{"log":{"entries":[{"request":{"postData":{"text":"%%%","_encoding":"base64"}}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"startedDateTime":"x","request":{"url":"http://h/api/v3/flows/executor//"},"response":{"content":{"text":"{}","encoding":"base64"}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		rec, err := ImportWith(bytes.NewReader(data), fuzzLimits)
		if err != nil {
			return
		}
		for i := 0; i < rec.Len(); i++ {
			e, err := rec.Exchange(i)
			if err != nil || e == nil {
				t.Fatalf("imported exchange %d unreadable: %v", i, err)
			}
			_ = curl.Command(e, e.Jar)
		}
	})
}

// recordingSeed is a small recording as the Writer writes it (redacted).
func recordingSeed(f *testing.F, user string) []byte {
	path := filepath.Join(f.TempDir(), "seed"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: base, Flow: "f"}, history.WriterOptions{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range tinySession(user)[:2] { // under maxFuzzInput
		_ = w.Write(e)
	}
	w.Close()
	data, _ := os.ReadFile(path)
	if len(data) > maxFuzzInput {
		f.Fatalf("recording seed of %d bytes, over maxFuzzInput: the fuzz function would pass it over", len(data))
	}
	return data
}

// fuzzLimits keep every fuzz input cheap: a line or HAR entry over 1 KiB
// takes the over-the-limit path instead of being decoded, so small inputs
// reach that path too.
var fuzzLimits = history.ReadOptions{MaxLine: 1 << 10}

// FuzzExportOpened: whatever Open reads (a recording or a HAR), exporting it
// as HAR never panics.
func FuzzExportOpened(f *testing.F) {
	seed := recordingSeed(f, "alice")
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"flow","flow":"a"}` + "\n" + `{"id":1,"type":"exchange","response_body":"e30=","response_body_encoding":"base64"}` + "\n"))
	f.Add([]byte(tinyBrowserHAR))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		rec, err := history.OpenBytes(data, fuzzLimits)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		_ = Export(&buf, rec, Options{})
	})
}
