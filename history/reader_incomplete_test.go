package history

import (
	"strings"
	"testing"
)

// Incomplete is what replay's exit status 4 rests on: the writer's "lost"
// record or a cut-off exchange line make a recording incomplete; damaged
// lines in the middle, or a whole file, do not.
func TestIncompleteRecordings(t *testing.T) {
	const header = `{"akinspect_recording":1,"akinspect_version":"dev","base_url":"http://127.0.0.1:9","flow":"f","query":"","started":"2026-12-03T07:00:00Z","redacted":true}` + "\n"
	const x1 = `{"type":"exchange","id":1,"flow":"f","kind":"executor","method":"GET","url":"http://127.0.0.1:9/api/v3/flows/executor/f/","status":200,"start":"2026-12-03T07:00:00Z","timing":{},"body_size":0,"request_headers":{},"jar":[]}` + "\n"
	for _, tc := range []struct {
		name string
		file string
		want bool
	}{
		{"whole", header + x1, false},
		{"damaged line in the middle", header + "{not json\n" + x1, false},
		{"lost record", header + x1 + `{"type":"lost","time":"2026-12-03T07:00:01Z","exchanges":2,"first_id":2,"error":"no space left on device"}` + "\n", true},
		{"exchange line cut off", header + x1 + `{"type":"exchange","id":2,"flow":"f","kind":"exec`, true},
	} {
		rec, err := OpenBytes([]byte(tc.file), ReadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := rec.Incomplete(); got != tc.want {
			t.Errorf("%s: Incomplete() = %v, want %v (warnings: %s)", tc.name, got, tc.want, strings.Join(rec.Warnings, "; "))
		}
	}
}
