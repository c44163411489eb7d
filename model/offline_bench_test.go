package model

import (
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history"
)

// writeBigRecording records n exchanges by cycling the canned login (a
// hidden script request included).
func writeBigRecording(b *testing.B, n int) string {
	b.Helper()
	canned, err := history.Open(cannedRecording(b))
	if err != nil {
		b.Fatal(err)
	}
	session, err := canned.All()
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "big"+history.Extension)
	w, err := history.Create(path, history.Header{BaseURL: "http://127.0.0.1:9", Flow: "default-authentication-flow", Started: fixedNow},
		history.WriterOptions{NoSync: true, NoRedact: true})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i++ {
		x := *session[i%len(session)]
		x.ID = i + 1
		x.Start = fixedNow.Add(time.Duration(i) * time.Millisecond)
		if err := w.Write(&x); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// openBig is what `akinspect open` does before the first frame: open the
// file, build the model, size it, read the first stage (Init's command)
// and draw.
func openBig(b *testing.B, path string) *Model {
	rec, err := history.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	m := NewOffline(OfflineOptions{Recording: rec, Options: Options{Now: func() time.Time { return fixedNow }}})
	m.update(tea.WindowSizeMsg{Width: 200, Height: 60})
	settle(m, m.Init())
	assertFrame(b, m.View(), 200, 60)
	return m
}

// BenchmarkOpenOffline100k: a 100,000-exchange recording from file to the
// first frame at 200×60. Goal: ≤ 1 s and ≤ 150 MB. retained-MB is the heap
// the open model keeps; B/op what the open allocated in all.
func BenchmarkOpenOffline100k(b *testing.B) {
	path := writeBigRecording(b, 100_000)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	var m *Model
	for i := 0; i < b.N; i++ {
		m = openBig(b, path)
	}
	b.StopTimer()
	if m.timeline.Len() < 88_000 || m.shownID == 0 {
		b.Fatalf("%d rows, showing #%d", m.timeline.Len(), m.shownID)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/(1<<20), "retained-MB")
	runtime.KeepAlive(m)
}

// BenchmarkStepStage100k: `>` in a 100,000-exchange recording, always
// forward from the first stage, so each press reads a stage (its challenge
// and answer) the model has not read before, and draws the frame after it:
// the cold cost. Should b.N outrun the stages, the file is opened again
// with the timer stopped.
func BenchmarkStepStage100k(b *testing.B) {
	path := writeBigRecording(b, 100_000)
	m := openBig(b, path)
	stages := offlineOf(m).stages
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k, _ := slices.BinarySearch(stages, offlineOf(m).want+1)
		if k == len(stages) { // no stage ahead
			b.StopTimer()
			m = openBig(b, path)
			k, _ = slices.BinarySearch(stages, offlineOf(m).want+1)
			b.StartTimer()
		}
		next := stages[k]
		if offlineOf(m).cache[next] != nil {
			b.Fatalf("stage #%d was read before: the step would be warm", next+1)
		}
		settle(m, m.update(keyMsg(">")))
		_ = m.View()
		if offlineOf(m).want != next {
			b.Fatalf("> showed #%d, want the next stage #%d", offlineOf(m).want+1, next+1)
		}
	}
}
