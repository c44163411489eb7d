package history

import "github.com/akinspect/akinspect/history/internal/fixture"

// The shared test fixtures under their short names.
const (
	secretPassword = fixture.SecretPassword
	secretSession  = fixture.SecretSession
	secretCSRF     = fixture.SecretCSRF
	base           = fixture.Base
	tinyBrowserHAR = fixture.TinyBrowserHAR
	maxFuzzInput   = fixture.MaxFuzzInput
	testMaxLine    = fixture.TestMaxLine
	bigBody        = fixture.BigBody
)

var (
	allSecrets       = fixture.AllSecrets
	syntheticSession = fixture.SyntheticSession
	assertNoSecrets  = fixture.AssertNoSecrets
	describe         = fixture.Describe
	answer           = fixture.Answer
	tinySession      = fixture.TinySession
	samplePeakHeap   = fixture.SamplePeakHeap
	bigSession       = fixture.BigSession
	allocated        = fixture.Allocated
)
