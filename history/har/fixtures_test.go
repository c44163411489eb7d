package har

import "github.com/akinspect/akinspect/history/internal/fixture"

// The shared test fixtures under their short names.
const (
	secretPassword = fixture.SecretPassword
	secretTOTP     = fixture.SecretTOTP
	secretConsent  = fixture.SecretConsent
	secretSession  = fixture.SecretSession
	secretCSRF     = fixture.SecretCSRF
	base           = fixture.Base
	tinyBrowserHAR = fixture.TinyBrowserHAR
	maxFuzzInput   = fixture.MaxFuzzInput
	testMaxLine    = fixture.TestMaxLine
	bigBody        = fixture.BigBody
)

var (
	syntheticSession = fixture.SyntheticSession
	assertNoSecrets  = fixture.AssertNoSecrets
	describe         = fixture.Describe
	tinySession      = fixture.TinySession
	samplePeakHeap   = fixture.SamplePeakHeap
	bigSession       = fixture.BigSession
	allocated        = fixture.Allocated
)
