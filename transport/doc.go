// Package transport is akinspect's HTTP client for authentik's flow
// executor. It behaves like authentik's web client (the /if/flow/ page
// first for the CSRF cookie, the `query` parameter encoded as Django
// would, X-authentik-CSRF on every request), follows redirects one hop at
// a time, and records every exchange — headers, bodies, httptrace timings,
// the cookie jar before and after, the decoded challenge — in a Recorder
// that the TUI, `run` and history observe. Failures come back as *Error
// with a hint a person can act on, and every failed exchange is still
// recorded.
//
// The wire behaviour it follows is described in docs/authentik-wire.md.
package transport
