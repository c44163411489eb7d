package transport

import (
	"context"
	"net/http"
	"sync"
	"testing"
)

func TestObserversSeeEveryExchangeInOrder(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, identification()) })
	c := newTestClient(t, f.URL)
	var seen []*Exchange
	stop := c.Recorder().Observe(func(ex *Exchange) { seen = append(seen, ex) })
	step, err := c.Start(bg())
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != step.Exchanges[0] || seen[1] != step.Exchanges[1] {
		t.Fatalf("observer saw %d exchanges", len(seen))
	}
	if seen[0].ID != 1 || seen[1].ID != 2 || seen[1].Component != "ak-stage-identification" || seen[1].Challenge == nil {
		t.Errorf("IDs %d,%d component %q", seen[0].ID, seen[1].ID, seen[1].Component)
	}
	if seen[1].Timing.Total <= 0 || seen[1].Timing.FirstByte <= 0 || seen[1].Proto != "HTTP/1.1" || seen[1].Start.IsZero() {
		t.Errorf("timing %+v proto %q", seen[1].Timing, seen[1].Proto)
	}
	if seen[0].Timing.Connect <= 0 {
		t.Errorf("first exchange has no connect time: %+v", seen[0].Timing)
	}
	stop()
	if _, err := c.Challenge(bg()); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Error("observer still called after stop")
	}
	if c.Recorder().Len() != 3 || c.Recorder().Get(3).Kind != KindExecutor {
		t.Errorf("recorder holds %d", c.Recorder().Len())
	}
}

func TestCancelledRequestIsRecorded(t *testing.T) {
	f := newFakeAK(t)
	ctx, cancel := context.WithCancel(context.Background())
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	})
	c := newTestClient(t, f.URL)
	var observed *Exchange
	c.Recorder().Observe(func(ex *Exchange) { observed = ex })
	step, err := c.Start(ctx)
	asError(t, err, ErrCancelled)
	ex := step.Last()
	if ex != observed || !ex.Has(FlagCancelled) || !ex.Has(FlagError) || ex.Kind != KindExecutor {
		t.Errorf("cancelled exchange flags %v kind %s observed %v", ex.Flags, ex.Kind, ex == observed)
	}
}

func TestRecorderStandaloneKeepsGivenIDs(t *testing.T) {
	r := NewRecorder()
	var got []int
	r.Observe(func(ex *Exchange) { got = append(got, ex.ID) })
	r.Add(&Exchange{ID: 7, Method: "GET"})
	r.Add(&Exchange{ID: 3, Method: "GET"})
	r.Add(&Exchange{Method: "POST"})
	ids := []int{}
	for _, ex := range r.Exchanges() {
		ids = append(ids, ex.ID)
	}
	if len(ids) != 3 || ids[0] != 3 || ids[1] != 7 || ids[2] != 8 {
		t.Errorf("IDs in order = %v, want [3 7 8]", ids)
	}
	if len(got) != 3 || got[2] != 8 {
		t.Errorf("observer saw %v", got)
	}
}

// Run under -race: many goroutines share one client and its recorder.
func TestConcurrentUse(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: r.Method, Path: "/"})
		writeJSON(w, 200, identification())
	})
	c := newTestClient(t, f.URL)
	var mu sync.Mutex
	observed := 0
	c.Recorder().Observe(func(*Exchange) { mu.Lock(); observed++; mu.Unlock() })
	var wg sync.WaitGroup
	const n = 16
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var err error
			switch i % 4 {
			case 0:
				_, err = c.Challenge(bg())
			case 1:
				_, err = c.Submit(bg(), answer(`{"component":"ak-stage-identification"}`))
			case 2:
				_, err = c.Start(bg())
			case 3:
				_ = c.Cookies()
				c.UseFlow(testSlug, "next=/")
				_ = c.Config()
				_ = c.Recorder().Exchanges()
			}
			if err != nil {
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	exs := c.Recorder().Exchanges()
	if len(exs) != observed || len(exs) != n/4*4 {
		t.Errorf("recorded %d, observed %d, want %d", len(exs), observed, n/4*4)
	}
	for i, ex := range exs {
		if ex.ID != i+1 {
			t.Fatalf("exchange %d has ID %d: IDs must be 1..n in order", i, ex.ID)
		}
	}
}

// A recorder told to retain n keeps only the n newest exchanges, while its
// observers still see every one: a long session's memory is the window's.
func TestRetainKeepsOnlyTheNewest(t *testing.T) {
	r := NewRecorder()
	seen := 0
	r.Observe(func(*Exchange) { seen++ })
	r.Retain(2)
	for range 5 {
		r.Add(&Exchange{Kind: KindExecutor})
	}
	if seen != 5 {
		t.Errorf("observers saw %d of 5 exchanges", seen)
	}
	if r.Len() != 2 || r.Get(4) == nil || r.Get(5) == nil || r.Get(3) != nil {
		t.Errorf("retained %d exchanges; want #4 and #5 only", r.Len())
	}
	r.Retain(0)
	r.Add(&Exchange{Kind: KindExecutor})
	if r.Len() != 0 || seen != 6 {
		t.Errorf("Retain(0) keeps %d exchanges; observers saw %d of 6", r.Len(), seen)
	}
	if r.Add(&Exchange{}); r.Get(7) != nil || r.Len() != 0 {
		t.Error("a retained-nothing recorder still holds the newest exchange")
	}
}
