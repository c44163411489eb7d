package load

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
)

// echoPassword refuses every password with a response error that quotes
// it, as a careless server (or a proxy's error page) may.
func echoPassword(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var a struct{ Component, Password string }
			if json.Unmarshal(peekBody(r), &a) == nil && a.Component == flow.ComponentPassword {
				w.Header().Set("Content-Type", "application/json")
				_ = json.NewEncoder(w).Encode(map[string]any{"component": flow.ComponentPassword,
					"response_errors": map[string]any{"password": []map[string]string{{"string": "wrong password " + a.Password, "code": "invalid"}}}})
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// A server that echoes the password in its refusal: the error events, the
// text and JSON reports and the failure recordings' notes name the
// refusal but not the password.
func TestEchoedPasswordIsHiddenInLoadErrors(t *testing.T) {
	plain, pts := newSim(t, 0, nil)
	rec, err := history.Open(recordLogin(t, pts.URL, simUser(t, plain, "alice"), false))
	if err != nil {
		t.Fatal(err)
	}
	_, echo := newSim(t, 2, echoPassword)
	users := loadUsers(2)
	dir := t.TempDir()
	r, err := New(rec, Options{BaseURL: echo.URL, VUs: 2, Iterations: 1, Users: users, FailureDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	snap := r.Run(t.Context())
	if snap.Failed != 2 || len(snap.RecentErrors) == 0 {
		t.Fatalf("%d failed\n%s", snap.Failed, snap.Text())
	}
	js, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{"text report": snap.Text(), "JSON report": string(js)}
	for _, ev := range snap.RecentErrors {
		texts["event "+ev.User] = ev.Message
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		texts[filepath.Base(f)] = string(b)
	}
	if len(files) != 2 {
		t.Errorf("%d failure recordings, want 2", len(files))
	}
	for what, text := range texts {
		if !strings.Contains(text, "wrong password") {
			t.Errorf("%s does not quote the refusal:\n%s", what, text)
		}
		for _, u := range users {
			if strings.Contains(text, u.Password) {
				t.Errorf("%s shows %s's password:\n%s", what, u.Username, text)
			}
		}
	}
}
