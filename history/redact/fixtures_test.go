package redact

import "github.com/akinspect/akinspect/history/internal/fixture"

// The shared test fixtures under their short names.
var (
	enrollmentValues = fixture.EnrollmentValues
)
