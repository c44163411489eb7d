package history

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/history/redact"
)

func writeSession(t *testing.T, opts WriterOptions) (string, *Writer) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rec", FileName(syntheticSession()[0].Start, "default-authentication-flow"))
	w, err := Create(path, Header{BaseURL: base, Flow: "default-authentication-flow", Query: "next=%2F"}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range syntheticSession() {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	return path, w
}

func TestWriterReaderRoundTripKeepsEveryExchange(t *testing.T) {
	path, w := writeSession(t, WriterOptions{NoRedact: true})
	if err := w.Note("typed the wrong password first"); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.Warnings) != 0 {
		t.Errorf("warnings on a clean file: %v", rec.Warnings)
	}
	want := syntheticSession()
	if rec.Len() != len(want) {
		t.Fatalf("opened %d exchanges, wrote %d", rec.Len(), len(want))
	}
	for i, w := range want {
		got, err := rec.Exchange(i)
		if err != nil {
			t.Fatal(err)
		}
		if describe(got) != describe(w) || !bytes.Equal(got.RequestBody, w.RequestBody) ||
			!bytes.Equal(got.ResponseBody, w.ResponseBody) || !reflect.DeepEqual(got.Jar, w.Jar) ||
			!reflect.DeepEqual(got.RequestHeader, w.RequestHeader) || got.Timing != w.Timing || !got.Start.Equal(w.Start) {
			t.Errorf("exchange %d changed on the way:\n got %+v\nwant %+v", i, got, w)
		}
		if w.Component != "" && (got.Challenge == nil || got.Challenge.Component != w.Component) {
			t.Errorf("exchange %d: challenge not decoded", i)
		}
		s := rec.Summary(i)
		if s.Method != w.Method || s.Status != w.Status || s.Component != w.Component || s.Duration != w.Timing.Total {
			t.Errorf("summary %d = %+v", i, s)
		}
	}
	if len(rec.Flows) != 2 || rec.Flows[1].Slug != "default-provider-authorization-explicit-consent" || rec.Flows[1].First != 13 {
		t.Errorf("flows = %+v, want login then consent starting at exchange 13", rec.Flows)
	}
	if rec.Flows[1].Query != "next=%2F" {
		t.Errorf("consent flow query = %q", rec.Flows[1].Query)
	}
	if len(rec.Notes) != 1 || rec.Notes[0].After != len(want) {
		t.Errorf("notes = %+v", rec.Notes)
	}
	if rec.Header.Redacted || rec.Header.Recording != FormatVersion {
		t.Errorf("header = %+v", rec.Header)
	}
}

func TestWriterCreatesPrivateFileAndRefusesToOverwrite(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	dir, _ := os.Stat(filepath.Dir(path))
	if dir.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", dir.Mode().Perm())
	}
	if _, err := Create(path, Header{}, WriterOptions{}); err == nil {
		t.Error("Create overwrote an existing recording")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".recording-*"))
	if len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestOpenToleratesTornLastLine(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	data, _ := os.ReadFile(path)
	lines := bytes.SplitAfter(data, []byte("\n"))
	last := lines[len(lines)-2] // the final exchange; lines ends with ""
	torn := append(bytes.Join(lines[:len(lines)-2], nil), last[:len(last)/2]...)
	if err := os.WriteFile(path, torn, 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatalf("torn file does not open: %v", err)
	}
	if rec.Len() != len(syntheticSession())-1 {
		t.Errorf("opened %d exchanges, want all but the torn one", rec.Len())
	}
	if len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0], "cut off") || !strings.Contains(rec.Warnings[0], "1 exchange lost") {
		t.Errorf("warnings = %q", rec.Warnings)
	}
}

func TestRedactedRecordingHoldsNoSecret(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	data, _ := os.ReadFile(path)
	assertNoSecrets(t, "recording", data)
	for _, m := range []string{redact.Marker("password#2"), redact.Marker("code"), redact.Marker("token"), redact.Marker("cookie:authentik_session"), redact.Marker("totp_secret"), redact.Marker("static_code"), redact.Marker("code|number")} {
		if !bytes.Contains(data, []byte(m)) {
			t.Errorf("recording lacks the marker %s", m)
		}
	}
	if !bytes.Contains(data, []byte("authentik_session=")) || !bytes.Contains(data, []byte("HttpOnly")) {
		t.Error("cookie names or attributes were lost with the values")
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Header.Redacted {
		t.Error("header does not say the recording is redacted")
	}
	e, _ := rec.Exchange(len(syntheticSession()) - 1)
	if !e.Has("redacted") {
		t.Error("redacted exchange lacks the redacted flag")
	}
}

func TestNoRedactKeepsSecrets(t *testing.T) {
	path, w := writeSession(t, WriterOptions{NoRedact: true})
	w.Close()
	data, _ := os.ReadFile(path)
	for _, s := range allSecrets {
		if !bytes.Contains(data, []byte(s)) {
			t.Errorf("NoRedact recording lacks %q", s)
		}
	}
}

func TestRedactionLeavesLiveExchangeUntouched(t *testing.T) {
	session := syntheticSession()
	before := describe(session[5]) + string(session[5].RequestBody) + session[5].Jar[0].Value + session[5].RequestHeader.Get("Cookie")
	r := redact.NewRedactor()
	for _, e := range session {
		r.Redact(e)
	}
	after := describe(session[5]) + string(session[5].RequestBody) + session[5].Jar[0].Value + session[5].RequestHeader.Get("Cookie")
	if before != after {
		t.Errorf("Redact changed the live exchange:\n%s\n%s", before, after)
	}
}

func TestOpenSkipsADamagedMiddleLineWithAWarning(t *testing.T) {
	path, w := writeSession(t, WriterOptions{})
	w.Close()
	data, _ := os.ReadFile(path)
	lines := bytes.SplitAfter(data, []byte("\n"))
	lines[3] = []byte("{\"type\":\"exchange\",\"id\":3,\x00garbage\n")
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Len() != len(syntheticSession())-1 || len(rec.Warnings) != 1 || !strings.Contains(rec.Warnings[0], "line 4") {
		t.Errorf("len %d, warnings %q", rec.Len(), rec.Warnings)
	}
}
