//go:build race

package transport

// raceEnabled: the race detector's own allocations make allocation bounds
// meaningless.
const raceEnabled = true
