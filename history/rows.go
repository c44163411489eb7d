package history

import (
	"math"
	"strings"
	"time"

	"github.com/akinspect/akinspect/transport"
)

// row is a Summary packed for 100k-exchange timelines: strings become
// indices into the interner, times become integers.
type row struct {
	start  int64 // Unix ns; math.MinInt64 for the zero time
	dur    int64
	id     int32
	status int32
	flow   uint32
	kind   uint32
	method uint32
	comp   uint32
	url    uint32
	err    uint32
	flags  uint32 // index into rowTable.flagSets
}

// rowTable holds the summaries of a recording.
type rowTable struct {
	rows     []row
	in       *interner
	flagSets [][]string
	flagIdx  map[string]uint32
}

func newRowTable() *rowTable {
	return &rowTable{in: newInterner(), flagSets: [][]string{nil}, flagIdx: map[string]uint32{"": 0}}
}

func (t *rowTable) len() int { return len(t.rows) }

func (t *rowTable) add(s Summary) {
	start := int64(math.MinInt64)
	if !s.Start.IsZero() {
		start = s.Start.UnixNano()
	}
	t.rows = append(t.rows, row{
		start: start, dur: int64(s.Duration), id: int32(s.ID), status: int32(s.Status),
		flow: t.in.id(s.Flow), kind: t.in.id(string(s.Kind)), method: t.in.id(s.Method),
		comp: t.in.id(s.Component), url: t.in.id(s.URL), err: t.in.id(s.Error),
		flags: t.flagSet(s.Flags),
	})
}

func (t *rowTable) flagSet(flags []string) uint32 {
	if len(flags) == 0 {
		return 0
	}
	key := strings.Join(flags, "\x00")
	if v, ok := t.flagIdx[key]; ok {
		return v
	}
	n := uint32(len(t.flagSets))
	t.flagSets = append(t.flagSets, append([]string(nil), flags...))
	t.flagIdx[key] = n
	return n
}

func (t *rowTable) get(i int) Summary {
	r := t.rows[i]
	s := Summary{
		ID: int(r.id), Flow: t.in.strs[r.flow], Kind: transport.Kind(t.in.strs[r.kind]),
		Method: t.in.strs[r.method], URL: t.in.strs[r.url], Status: int(r.status),
		Component: t.in.strs[r.comp], Duration: time.Duration(r.dur), Error: t.in.strs[r.err],
		Flags: t.flagSets[r.flags],
	}
	if r.start != math.MinInt64 {
		s.Start = time.Unix(0, r.start).UTC()
	}
	s.Hidden = s.Kind == KindOther
	return s
}
