package views

import (
	"strings"
	"testing"
)

func TestTimelineMovementSelects(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(60, 10)
	tl.SetRows(sampleRows(30))
	tl.Focus()
	if !tl.Live() || tl.SelectedID() != 30 {
		t.Fatalf("a live timeline starts on the newest row: live=%v id=%d", tl.Live(), tl.SelectedID())
	}
	msgs := run(tl.Update(keyMsg("k")))
	if len(msgs) != 1 || msgs[0] != (SelectExchangeMsg{ID: 29}) {
		t.Fatalf("k: got %#v, want SelectExchangeMsg{29}", msgs)
	}
	if tl.Live() {
		t.Fatal("moving the cursor leaves live mode")
	}
	if !strings.Contains(tl.View(), "#29 of 30") {
		t.Fatalf("indicator missing:\n%s", tl.View())
	}
	if got := run(tl.Update(keyMsg("g"))); len(got) != 1 || got[0] != (SelectExchangeMsg{ID: 1}) {
		t.Fatalf("g: got %#v", got)
	}
	if got := run(tl.Update(keyMsg("up"))); got != nil {
		t.Fatalf("up at the top moves nothing, got %#v", got)
	}
	run(tl.Update(keyMsg("pgdown")))
	if id := tl.SelectedID(); id <= 2 {
		t.Fatalf("pgdown moved to %d only", id)
	}
	if got := run(tl.Update(keyMsg("enter"))); len(got) != 1 || got[0] != (SelectExchangeMsg{ID: tl.SelectedID()}) {
		t.Fatalf("enter: got %#v", got)
	}
	if got := run(tl.Update(keyMsg("L"))); len(got) != 1 || got[0] != (LiveMsg{}) {
		t.Fatalf("L: got %#v", got)
	}
	if !tl.Live() || tl.SelectedID() != 30 || !strings.Contains(tl.View(), "LIVE") {
		t.Fatalf("L goes back to the newest row: live=%v id=%d", tl.Live(), tl.SelectedID())
	}
}

func TestTimelineFollowsAppendsOnlyWhenLive(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(60, 6)
	rows := sampleRows(10)
	tl.SetRows(rows[:5])
	tl.Append(rows[5])
	if tl.SelectedID() != 6 {
		t.Fatalf("live timeline follows the new row, on %d", tl.SelectedID())
	}
	if !strings.Contains(tl.View(), "›  6 POST") {
		t.Fatalf("new row not visible:\n%s", tl.View())
	}
	tl.Select(2)
	tl.Append(rows[6])
	if tl.SelectedID() != 2 || tl.Len() != 7 {
		t.Fatalf("a paused timeline stays on its row: id=%d len=%d", tl.SelectedID(), tl.Len())
	}
	// A pending row turns into a finished one in place.
	done := rows[6]
	done.Pending, done.Status = false, 418
	tl.UpdateRow(done)
	tl.Select(7)
	if v := tl.View(); !strings.Contains(v, "418") {
		t.Fatalf("updated row not drawn:\n%s", v)
	}
}

func TestTimelineScrollsToKeepCursorVisible(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(50, 5) // header + 4 rows
	tl.SetRows(sampleRows(100))
	tl.Focus()
	tl.Update(keyMsg("g"))
	for i := 0; i < 10; i++ {
		tl.Update(keyMsg("j"))
	}
	v := tl.View()
	requireSize(t, v, 50, 5)
	if !strings.Contains(v, "› 11 GET") || strings.Contains(v, "   1 GET") {
		t.Fatalf("row 11 should be the visible cursor row:\n%s", v)
	}
}

func TestTimelineIgnoresKeysWhenBlurred(t *testing.T) {
	tl := NewTimeline(NewTheme())
	tl.SetSize(50, 5)
	tl.SetRows(sampleRows(3))
	if cmd := tl.Update(keyMsg("k")); cmd != nil || tl.SelectedID() != 3 {
		t.Fatal("an unfocused timeline must not move")
	}
}
