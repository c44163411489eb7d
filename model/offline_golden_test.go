package model

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// The offline screen: the simulator's login (testdata/sim/login, recorded
// with redaction as akinspect does by default) on its password stage, the
// recorded answers with the password shown as its redaction marker.
// Update with `go test ./model -run TestGoldenOffline -update`.
func TestGoldenOffline(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("password_%dx%d", size[0], size[1]), func(t *testing.T) {
			m := openOffline(t, redactedFixture(t, "login"), size[0], size[1])
			pressSettled(m, ">")
			screen := m.View()
			assertScreenSize(t, screen, size[0], size[1])
			golden.RequireEqual(t, []byte(screen))
		})
	}
}
