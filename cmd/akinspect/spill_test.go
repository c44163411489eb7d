package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// A TUI session with --no-record still reads old exchanges back from disk:
// from a private spill file (0600 in a 0700 directory, redacted) that is
// gone when the session ends.
func TestNoRecordSessionSpillsPrivatelyAndCleansUp(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	cfg := transport.Config{BaseURL: srv.URL, Flow: "default-authentication-flow"}
	sess, err := openSession(cfg, &targetFlags{}, &recordFlags{off: true}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	o := sess.modelOptions()
	if o.Archive == nil || sess.spill == nil {
		t.Fatal("a --no-record TUI session has no archive: it would keep every exchange in memory")
	}
	if _, err := sess.client.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := sess.spill.writer.Path()
	dir := filepath.Dir(path)
	if err := sess.spill.writer.Close(); err != nil { // writes what is queued
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{path: 0o600, dir: 0o700} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, st.Mode().Perm(), want)
		}
	}
	rec, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Len() != 2 || !rec.Header.Redacted {
		t.Fatalf("spill file: %d exchanges, redacted %v; want the session's 2, redacted", rec.Len(), rec.Header.Redacted)
	}
	if err := sess.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the spill directory is still there after the session: %v", err)
	}
}
