package history

import (
	"os"
	"path/filepath"
	"testing"
)

// Fuzz seeds are small on purpose. Go's fuzzer minimizes every input that
// finds new coverage, and its minimizer runs up to a minute on an input of
// a few kilobytes (it tries removing every pair of positions); a seed the
// size of a real recording keeps both workers minimizing instead of
// fuzzing. What a seed must show is the structure: a flow record, an
// exchange line with headers, bodies, a jar and its changes.

// recordingSeed is a small recording as the Writer writes it (redacted).
func recordingSeed(f *testing.F, user string) []byte {
	path := filepath.Join(f.TempDir(), "seed"+Extension)
	w, err := Create(path, Header{BaseURL: base, Flow: "f"}, WriterOptions{NoSync: true})
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
var fuzzLimits = ReadOptions{MaxLine: 1 << 10}

// FuzzOpenRecording: whatever the file holds, Open and reading what it
// indexed never panic.
func FuzzOpenRecording(f *testing.F) {
	seed := recordingSeed(f, "alice")
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"exchange","id":1,"url":"x"` + "\n"))
	f.Add([]byte(`{"akinspect_recording":1}` + "\n" + `{"type":"flow","flow":"a"}` + "\n" + `{"id":1,"type":"exchange","response_body":"e30=","response_body_encoding":"base64"}` + "\n"))
	f.Add([]byte(tinyBrowserHAR))
	f.Add([]byte("\xef\xbb\xbf{\"log\":{\"entries\":[]}}"))
	f.Add([]byte("not json at all"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		// In memory, as Open reads a file (no temporary file per input),
		// with a small line limit so that the over-limit paths are reached
		// by small inputs.
		rec, err := OpenBytes(data, fuzzLimits)
		if err != nil {
			return
		}
		for i := 0; i < rec.Len(); i++ {
			_ = rec.Summary(i)
			_, _ = rec.Exchange(i)
			_ = rec.FlowAt(i)
		}
		_, _ = rec.Search("a")
	})
}
