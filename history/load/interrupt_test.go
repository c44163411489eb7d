package load

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
)

// holdPassword holds every password answer until the client gives up,
// calling arrived for each.
func holdPassword(arrived func()) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				if bytes.Contains(body, []byte(flow.ComponentPassword)) {
					arrived()
					<-r.Context().Done()
					return
				}
			}
			h.ServeHTTP(w, r)
		})
	}
}

// A stop (ctrl+c) while every virtual user waits on the password stage:
// those iterations are interrupted, and the stages they had passed
// (start, identification) count them neither as successes nor failures.
func TestAStopCountsCutIterationsInNoStage(t *testing.T) {
	const vus = 3
	var arrived sync.WaitGroup
	arrived.Add(vus)
	_, ts := newSim(t, vus, holdPassword(arrived.Done))
	// The login is recorded against a simulator that does not hold it.
	plain, pts := newSim(t, 0, nil)
	rec, err := history.Open(recordLogin(t, pts.URL, simUser(t, plain, "alice"), false))
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(rec, Options{BaseURL: ts.URL, VUs: vus, Iterations: 1, Users: loadUsers(vus)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { arrived.Wait(); cancel() }()
	snap := r.Run(ctx)
	if snap.Interrupted != vus || snap.Iterations != 0 || snap.Failed != 0 || !snap.Stopped {
		t.Fatalf("interrupted %d, iterations %d, failed %d, stopped %v; want %d interrupted and nothing else\n%s",
			snap.Interrupted, snap.Iterations, snap.Failed, snap.Stopped, vus, snap.Text())
	}
	for _, st := range append(snap.Stages, snap.Iteration) {
		if st.Count != 0 || st.Errors != 0 {
			t.Errorf("stage %s counts %d (%d errors) of iterations a stop cut off\n%s", st.Name, st.Count, st.Errors, snap.Text())
		}
	}
}
