package history

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func recordingSeed(f *testing.F) []byte {
	path := filepath.Join(f.TempDir(), "seed"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow"}, WriterOptions{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range syntheticSession()[:4] {
		_ = w.Write(e)
	}
	w.Close()
	data, _ := os.ReadFile(path)
	return data
}

// FuzzOpenRecording: whatever the file holds, Open and reading what it
// indexed never panic.
func FuzzOpenRecording(f *testing.F) {
	seed := recordingSeed(f)
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"exchange","id":1,"url":"x"` + "\n"))
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"flow","flow":"a"}` + "\n" + `{"id":1,"type":"exchange","response_body":"e30=","response_body_encoding":"base64"}` + "\n"))
	f.Add([]byte(chromeHAR))
	f.Add([]byte("\xef\xbb\xbf{\"log\":{\"entries\":[]}}"))
	f.Add([]byte("not json at all"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "fuzz"+Extension)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rec, err := Open(path)
		if err != nil {
			return
		}
		for i := 0; i < rec.Len(); i++ {
			_ = rec.Summary(i)
			_, _ = rec.Exchange(i)
			_ = rec.FlowAt(i)
		}
		_ = rec.Search("a")
		var buf bytes.Buffer
		_ = ExportHAR(&buf, rec, HAROptions{})
	})
}

// FuzzImportHAR: any input either imports or returns an error.
func FuzzImportHAR(f *testing.F) {
	f.Add([]byte(chromeHAR))
	var buf bytes.Buffer
	_ = ExportHAR(&buf, Exchanges(syntheticSession()), HAROptions{})
	f.Add(buf.Bytes())
	f.Add([]byte(`{"log":{"entries":[{"request":{"postData":{"text":"%%%","_encoding":"base64"}}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"startedDateTime":"x","request":{"url":"http://h/api/v3/flows/executor//"},"response":{"content":{"text":"{}","encoding":"base64"}}}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ImportHAR(bytes.NewReader(data))
		if err != nil {
			return
		}
		for i := 0; i < rec.Len(); i++ {
			e, err := rec.Exchange(i)
			if err != nil || e == nil {
				t.Fatalf("imported exchange %d unreadable: %v", i, err)
			}
			_ = Curl(e, e.Jar)
		}
	})
}
