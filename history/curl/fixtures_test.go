package curl

import "github.com/akinspect/akinspect/history/internal/fixture"

// The shared test fixtures under their short names.
const (
	secretPassword = fixture.SecretPassword
	secretSession  = fixture.SecretSession
	secretCSRF     = fixture.SecretCSRF
)

var (
	syntheticSession = fixture.SyntheticSession
)
