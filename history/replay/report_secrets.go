package replay

import (
	"fmt"

	"github.com/akinspect/akinspect/history/redact"
)

// sentSecret is a secret value a replay sent: a fresh TOTP code, a token
// taken from the live challenge.
type sentSecret struct{ key, value string }

// hideSecrets takes every secret the replay knew or sent out of the
// report, which is printed and written to files (--report) that a CI job
// keeps: a server that echoes a password back, in an error or a field the
// recording lacks, would otherwise put it in a difference.
func (r *Report) hideSecrets(known map[string]string, sent []sentSecret) {
	all := make(map[string]string, len(known)+len(sent))
	for name, v := range known {
		all[name] = v
	}
	for i, s := range sent {
		name := s.key
		if _, taken := all[name]; taken {
			name = fmt.Sprintf("%s#sent%d", s.key, i+1)
		}
		all[name] = s.value
	}
	hide := redact.NewHider(all)
	for i := range r.Steps {
		st := &r.Steps[i]
		st.Got, st.Note = hide(st.Got), hide(st.Note)
		for j := range st.Diffs {
			d := &st.Diffs[j]
			d.Want, d.Got = hide(d.Want), hide(d.Got)
		}
	}
}
