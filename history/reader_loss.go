package history

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// What a recording's file tells about records the writer did not write:
// a last line cut off mid-write, the writer's own "lost" record, lines
// skipped as damaged. Open reports them as warnings.

// Incomplete reports whether the file says that its writer did not write
// the whole session: it ends with the writer's "lost" record (a full
// disk), or its last exchange line is cut off (the writer stopped
// mid-write). Warnings says what is missing. A replay of such a recording
// compares only what it holds.
func (r *Recording) Incomplete() bool {
	return r.loss.trailer != nil || r.loss.tornID > 0
}

// tornAt notes a last line the writer did not finish.
func (r *Recording) tornAt(body []byte) {
	r.loss.tornID = tornID(body)
	r.Warnings = append(r.Warnings, tornWarning(body))
}

// tornID is the ID of a cut-off exchange line, 0 when it does not show.
func tornID(body []byte) int {
	rest, ok := bytes.CutPrefix(body, []byte(`{"type":"exchange","id":`))
	if !ok {
		return 0
	}
	k := 0
	for k < len(rest) && k < 12 && isDigit(rest[k]) {
		k++
	}
	if k == 0 || k == len(rest) {
		return 0 // no ID, or the ID itself is cut off
	}
	id, _ := strconv.Atoi(string(rest[:k]))
	return id
}

func tornWarning(body []byte) string {
	lost := "1 record"
	switch {
	case bytes.HasPrefix(body, []byte(`{"type":"exchange"`)):
		// Exchanges the writer had not reached are gone too; only a
		// "lost" record could count them.
		lost = "at least 1 exchange"
	case bytes.HasPrefix(body, []byte(`{"type":"flow"`)):
		lost = "the start of a flow"
	case bytes.HasPrefix(body, []byte(`{"type":"note"`)):
		lost = "1 note"
	}
	msg := fmt.Sprintf("last line was cut off (the writer stopped mid-write); %s lost", lost)
	if id := tornID(body); id > 0 {
		msg += fmt.Sprintf(", from exchange %d on", id)
	}
	return msg
}

// lossInfo is what the file tells about records the writer did not write.
type lossInfo struct {
	tornID  int         // ID of a cut-off last exchange line
	trailer *lostRecord // the writer's own count, when it could write it
	// Lines skipped with a warning of their own: the IDs that show, and
	// how many show none. Their exchanges are not missing, only damaged.
	damaged        []int
	damagedUnknown int
}

func (l *lossInfo) skipped(line []byte) {
	if id := tornID(line); id > 0 {
		l.damaged = append(l.damaged, id)
	} else if !bytes.HasPrefix(line, []byte(`{"type":"flow"`)) && !bytes.HasPrefix(line, []byte(`{"type":"note"`)) {
		l.damagedUnknown++
	}
}

// reportLoss warns about exchanges that are not in the file: what the
// writer's "lost" record counts, and gaps in the IDs (exchange IDs are
// given in order, one each, so a gap is an exchange that never reached the
// file).
func (r *Recording) reportLoss() {
	from := 0 // IDs from here on are counted by the "lost" record
	if t := r.loss.trailer; t != nil {
		what := plural(t.Exchanges, "exchange")
		if t.FirstID > 0 {
			what += fmt.Sprintf(" (from exchange %d)", t.FirstID)
			from = t.FirstID
		}
		if t.Notes > 0 {
			what += " and " + plural(t.Notes, "note")
		}
		r.Warnings = append(r.Warnings, fmt.Sprintf("recording incomplete: the writer failed (%s); %s lost", t.Error, what))
	}
	ids := append(make([]int, 0, r.Len()+len(r.loss.damaged)), r.loss.damaged...)
	for i := range r.Len() {
		ids = append(ids, r.sums.get(i).ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	var gaps [][2]int
	add := func(lo, hi int) {
		if lo <= hi {
			gaps = append(gaps, [2]int{lo, hi})
		}
	}
	for k := 1; k < len(ids); k++ {
		lo, hi := ids[k-1]+1, ids[k]-1
		if from > 0 {
			hi = min(hi, from-1)
		}
		if t := r.loss.tornID; t >= lo && t <= hi {
			add(lo, t-1)
			lo = t + 1
		}
		add(lo, hi)
	}
	n := 0
	for _, g := range gaps {
		n += g[1] - g[0] + 1
	}
	if n <= r.loss.damagedUnknown {
		return // explained by the damaged lines already named
	}
	var list []string
	for i, g := range gaps {
		switch {
		case i == 5:
			list = append(list, "…")
		case i > 5:
		case g[0] == g[1]:
			list = append(list, strconv.Itoa(g[0]))
		default:
			list = append(list, fmt.Sprintf("%d–%d", g[0], g[1]))
		}
	}
	r.Warnings = append(r.Warnings, fmt.Sprintf("%s missing from the recording (IDs %s): the writer did not write them",
		plural(n, "exchange"), strings.Join(list, ", ")))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
