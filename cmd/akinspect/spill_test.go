package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// A TUI session with --no-record still reads old exchanges back from disk,
// from a private spill file that is unlinked as soon as it is open: no way
// of ending the process (SIGHUP, kill -9) can leave it behind, and what is
// read back is redacted, as a recording is.
func TestNoRecordSessionSpillsPrivatelyAndLeavesNothing(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
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
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("the spill is on disk by name (%s): a killed process would leave it", left[0].Name())
	}
	step, err := sess.client.Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := step.Last()
	for deadline := time.Now().Add(10 * time.Second); !o.Archive.Stored(last.ID); { // the writer goroutine is behind
		if time.Now().After(deadline) {
			t.Fatal("the spill never stored the exchange")
		}
		time.Sleep(time.Millisecond)
	}
	x, err := o.Archive.ReadBack(last.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x.Component != last.Component || !strings.Contains(x.RequestHeader.Get("Cookie"), "«redacted") {
		t.Errorf("read back %s with Cookie %q; want %s, redacted", x.Component, x.RequestHeader.Get("Cookie"), last.Component)
	}
	if err := sess.close(); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Archive.ReadBack(last.ID); err == nil {
		t.Error("the spill still reads after the session ended")
	}
}
