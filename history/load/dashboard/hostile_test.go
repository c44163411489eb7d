package dashboard

import (
	"net/http"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/history/load"
	"github.com/akinspect/akinspect/internal/termsafe/termsafetest"
	"github.com/akinspect/akinspect/transport"
)

// Stage names and the flow come from the recording, messages, headers
// and bodies from the server: the dashboard shows all of them made safe,
// in every state (stages, the error list, an opened exchange, the one
// error with no exchange).
func TestDashboardShowsHostileTextSafely(t *testing.T) {
	h := termsafetest.All
	x := &transport.Exchange{ID: 4, Method: "POST", URL: "http://127.0.0.1:9000/api/v3/flows/executor/" + h + "/?q=" + h, Status: 200,
		RequestHeader: http.Header{"X-" + h: {h}}, RequestBody: []byte(`{"component":"` + h + `"}`),
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "X-Hostile": {h}},
		ResponseBody:   []byte(h + `{"component":"ak-stage-access-denied","error_message":"` + h + `"}`), Error: h, Diagnosis: h}
	st := load.StageStats{Name: "password" + h, Count: 3, Errors: 2}
	snap := load.Snapshot{Flow: h, Target: "http://" + h, Failed: 2, Iterations: 3,
		Stages: []load.StageStats{{Name: "start" + h, Count: 3}, st}, Iteration: load.StageStats{Name: "iteration", Count: 3},
		RecentErrors: []load.ErrorEvent{
			{VU: 1, User: h, Iteration: 1, Stage: st.Name, Kind: load.ErrTransport, Message: h},
			{VU: 2, User: h, Iteration: 1, Stage: st.Name, Kind: load.ErrAccessDenied, Message: h, Exchange: x},
		}}
	states := map[string][]tea.KeyMsg{
		"stages":                {keyDown},
		"errors":                {keyTab},
		"exchange response":     {keyTab, keyEnter},
		"exchange request":      {keyTab, keyEnter, runes("2")},
		"exchange req headers":  {keyTab, keyEnter, runes("3")},
		"exchange resp headers": {keyTab, keyEnter, runes("4")},
		"exchange url":          {keyTab, keyEnter, runes("8")},
		"exchange timing":       {keyTab, keyEnter, runes("6")},
		"no exchange":           {keyTab, keyUp, keyEnter},
	}
	for name, keys := range states {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			_, out := view(snap, size[0], size[1], keys...)
			if bad := termsafetest.Find(out, true); bad != "" {
				t.Errorf("%s at %dx%d: the dashboard prints %s", name, size[0], size[1], bad)
			}
		}
	}
}
