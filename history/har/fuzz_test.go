package har

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/history/curl"
	"github.com/akinspect/akinspect/history/internal/historytest"
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
		rec, err := ImportWith(bytes.NewReader(data), historytest.FuzzLimits)
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

// FuzzExportOpened: whatever Open reads (a recording or a HAR), exporting it
// as HAR never panics.
func FuzzExportOpened(f *testing.F) {
	seed := historytest.RecordingSeed(f, "alice")
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"flow","flow":"a"}` + "\n" + `{"id":1,"type":"exchange","response_body":"e30=","response_body_encoding":"base64"}` + "\n"))
	f.Add([]byte(tinyBrowserHAR))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		rec, err := history.OpenBytes(data, historytest.FuzzLimits)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		_ = Export(&buf, rec, Options{})
	})
}
