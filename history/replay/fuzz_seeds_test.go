package replay

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/akinspect/akinspect/history"
)

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
