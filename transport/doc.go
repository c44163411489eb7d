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
// Cookies have one model, here; recordings, HAR import, replay and the
// TUI use it rather than their own. A Cookie is one cookie with its
// attributes (domain, path, expiry, flags), identified by its CookieKey
// (name, domain and path, as RFC 6265 keys a jar). A snapshot is a
// []Cookie, what Client.Cookies returns and Exchange.Jar records; JarWith,
// JarWithout and JarCookie edit and look one up, Cookie.AppliesTo says
// whether a request to a URL carries it, and DiffJar lists the
// CookieChanges (added, changed, removed, with the path) between two
// snapshots, as Exchange.JarChanges holds them. ReadCookieFile and
// WriteCookieFile (Client.LoadCookies, Client.SaveCookies) read and write
// the Netscape cookie file curl uses.
//
// The wire behaviour it follows is described in docs/authentik-wire.md.
package transport
