package load

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
)

// refuseHostile answers every password with a challenge full of hostile
// text: an access denial's message, or an unknown component.
func refuseHostile(component string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				if c, _ := flow.AnswerComponent(peekBody(r)); c == flow.ComponentPassword {
					w.Header().Set("Content-Type", "application/json")
					_ = json.NewEncoder(w).Encode(map[string]any{"component": component, "error_message": termsafetest.All,
						"flow_info": map[string]string{"title": termsafetest.All}})
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	}
}

// A hostile server's messages and component names reach the text report
// only made safe: they are there, but nothing a terminal would act on.
func TestHostileServerTextIsSafeInTheReport(t *testing.T) {
	for _, component := range []string{flow.ComponentAccessDenied, "ak-stage-" + termsafetest.All} {
		plain, pts := newSim(t, 0, nil)
		rec, err := history.Open(recordLogin(t, pts.URL, simUser(t, plain, "alice"), false))
		if err != nil {
			t.Fatal(err)
		}
		_, hostile := newSim(t, 2, refuseHostile(component))
		r, err := New(rec, Options{BaseURL: hostile.URL, VUs: 2, Iterations: 1, Users: loadUsers(2), FailureDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		snap := r.Run(t.Context())
		if snap.Failed != 2 || len(snap.RecentErrors) == 0 {
			t.Fatalf("%q: %d failed\n%s", component, snap.Failed, snap.Text())
		}
		if raw := snap.RecentErrors[0].Message; !strings.Contains(raw, "\x1b") {
			t.Fatalf("the hostile text did not reach the event (the test tests nothing): %q", raw)
		}
		if bad := termsafetest.Find(snap.Text(), false); bad != "" {
			t.Errorf("%q: the text report prints %s", component, bad)
		}
	}
}

// Hostile stage names (from a recording), flow, target, user and
// messages: the report shows each made safe.
func TestHostileNamesAreSafeInTheReport(t *testing.T) {
	h := termsafetest.All
	st := StageStats{Name: "password" + h, Count: 3, Errors: 1, ByKind: map[ErrorKind]int64{ErrValidation: 1}}
	snap := Snapshot{Flow: h, Target: "http://" + h, Model: "closed", VUs: 1, Iterations: 3, Failed: 1,
		Stages: []StageStats{{Name: "start" + h, Count: 3}, st}, Iteration: StageStats{Name: "iteration", Count: 3},
		RecentErrors: []ErrorEvent{{VU: 1, User: h, Iteration: 1, Stage: st.Name, Kind: ErrValidation, Message: h}},
		Recordings:   []string{"/tmp/" + h}}
	text := snap.Text()
	if bad := termsafetest.Find(text, false); bad != "" {
		t.Errorf("the text report prints %s", bad)
	}
	if !strings.Contains(text, "password") || strings.Count(text, "b") < 4 {
		t.Errorf("the names are gone rather than made safe:\n%s", text)
	}
	th, _ := ParseThreshold("nope" + "\x1b[2J" + ".p95<1s")
	if err := th.CheckStages([]string{st.Name}); err == nil || termsafetest.Find(err.Error(), false) != "" {
		t.Errorf("threshold refusal: %v", err)
	}
}

// peekBody reads a request's body and puts it back.
func peekBody(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	return b
}
