package load

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/transport"
)

// Failed iterations, recorded in full (redacted) to open and diff.

// failureLog writes a virtual user's failed iterations to one redacted
// recording, opened at the first failure.
type failureLog struct {
	dir     string
	max     int
	header  history.Header
	target  string
	flow    string
	w       *history.Writer
	written int
	nextID  int
	err     error
}

func (f *failureLog) write(v *vu, ev ErrorEvent, exs []*transport.Exchange) (string, error) {
	if f.err != nil {
		return "", f.err
	}
	if f.written >= f.max {
		return "", nil
	}
	if f.w == nil {
		name := fmt.Sprintf("vu%03d", v.id)
		if v.user != nil {
			name += "-" + safeName(v.user.Username)
		}
		h := history.Header{BaseURL: f.target, Flow: f.flow, Query: f.header.Query}
		f.w, f.err = history.Create(filepath.Join(f.dir, name+".akinspect.jsonl"), h, history.WriterOptions{NoSync: true})
		if f.err != nil {
			return "", f.err
		}
	}
	f.written++
	who := ""
	if ev.User != "" {
		who = " (" + ev.User + ")"
	}
	_ = f.w.Note(fmt.Sprintf("load: virtual user %d%s, iteration %d failed at stage %s: %s: %s",
		v.id, who, ev.Iteration, ev.Stage, ev.Kind, ev.Message))
	for _, e := range exs {
		c := *e
		f.nextID++
		c.ID = f.nextID
		if err := f.w.Write(&c); err != nil {
			f.err = err
			return f.w.Path(), err
		}
	}
	return f.w.Path(), nil
}

func (f *failureLog) close() {
	if f.w != nil {
		_ = f.w.Close()
	}
}

// safeName keeps a username usable in a file name.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.TrimLeft(b.String(), ".")
}
