package replay

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history"
)

func TestReplayRefusesAnAnswerOverTheLimit(t *testing.T) {
	session := syntheticSession()
	post := -1
	for i, e := range session {
		if e.Method == "POST" {
			post = i
			break
		}
	}
	// The answer's request body is over the line limit the file is read
	// with.
	session[post].RequestBody = bytes.Repeat([]byte("0123456789abcdef"), (6<<20)/16)
	path := filepath.Join(t.TempDir(), "big"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: base, Flow: "default-authentication-flow"}, history.WriterOptions{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range session {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := history.OpenWith(path, history.ReadOptions{MaxLine: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Replay(context.Background(), rec, ReplayOptions{Secrets: map[string]string{"password": "x", "code": "1"}})
	if err == nil || !strings.Contains(err.Error(), "over the line limit") {
		t.Errorf("Replay = %v, want a refusal naming the line limit", err)
	}
}
