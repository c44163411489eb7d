package replay

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/akinspect/akinspect/sim"
)

// A server that echoes the password back (in an error and in a field the
// recording does not have) makes the replay diverge; the reports a CI job
// keeps — text, JSON, JUnit — must still not hold the password, nor the
// TOTP code that was sent (echoed back too).
func TestReplayReportsNeverHoldTheSecretsSent(t *testing.T) {
	s := sim.New(sim.Options{Now: func() time.Time { return simNow }})
	var mu sync.Mutex
	var password, sentCode string
	echoing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pw, code := password, sentCode
		mu.Unlock()
		if r.Method != http.MethodGet || pw == "" {
			s.ServeHTTP(w, r)
			return
		}
		// The real next stage, with the password echoed into it.
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r)
		var next map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &next) != nil {
			rec.Result().Write(w)
			return
		}
		next["echo"] = pw
		if code != "" {
			next["echo_code"] = code
		}
		next["response_errors"] = map[string]any{"code": []map[string]string{{"string": "wrong: " + pw, "code": "invalid"}}}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_ = json.NewEncoder(w).Encode(next)
	})
	report, _, alice := replayKeepGoing(t, echoing, func(_ http.ResponseWriter, _ *http.Request, body string) bool {
		var a map[string]any
		_ = json.Unmarshal([]byte(body), &a)
		mu.Lock()
		defer mu.Unlock()
		if code, ok := a["code"].(string); ok {
			sentCode = code
		}
		if pw, ok := a["password"].(string); ok {
			password = pw
		}
		return false
	})
	if !report.Diverged {
		t.Fatalf("the echoing server did not make the replay diverge:\n%s", report.Text())
	}
	var js, junit bytes.Buffer
	if err := report.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteJUnit(&junit); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": report.Text(), "json": js.String(), "junit": junit.String()} {
		if strings.Contains(out, alice.Password) {
			t.Errorf("the %s report holds the password:\n%s", name, out)
		}
		if sentCode == "" {
			t.Fatal("no TOTP code was sent")
		}
		if strings.Contains(out, sentCode) {
			t.Errorf("the %s report holds the TOTP code sent:\n%s", name, out)
		}
	}
}
