package history

import "github.com/akinspect/akinspect/history/internal/fixture"

// The shared test fixtures under their short names.
const (
	secretPassword = fixture.SecretPassword
	secretTOTP     = fixture.SecretTOTP
	secretConsent  = fixture.SecretConsent
	secretSession  = fixture.SecretSession
	secretCSRF     = fixture.SecretCSRF
	base           = fixture.Base
)

var (
	allSecrets       = fixture.AllSecrets
	executorURL      = fixture.ExecutorURL
	syntheticSession = fixture.SyntheticSession
	assertNoSecrets  = fixture.AssertNoSecrets
	describe         = fixture.Describe
	simNow           = fixture.SimNow
	newSimServer     = fixture.NewSimServer
	simUser          = fixture.SimUser
	answer           = fixture.Answer
	enrollmentValues = fixture.EnrollmentValues
)
