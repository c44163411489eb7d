package replay

import "github.com/akinspect/akinspect/history/internal/fixture"

// The shared test fixtures under their short names.
const (
	base           = fixture.Base
	tinyBrowserHAR = fixture.TinyBrowserHAR
	maxFuzzInput   = fixture.MaxFuzzInput
)

var (
	executorURL      = fixture.ExecutorURL
	syntheticSession = fixture.SyntheticSession
	simNow           = fixture.SimNow
	newSimServer     = fixture.NewSimServer
	simUser          = fixture.SimUser
	answer           = fixture.Answer
	enrollmentValues = fixture.EnrollmentValues
)
