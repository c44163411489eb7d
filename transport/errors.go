package transport

import (
	"fmt"
	"net/http"
)

// ErrorKind names what went wrong, so that callers can react to a class of
// failure (retry, ask for --ca-file, ...).
type ErrorKind string

const (
	ErrRefused       ErrorKind = "refused"
	ErrDNS           ErrorKind = "dns"
	ErrTLS           ErrorKind = "tls"
	ErrTimeout       ErrorKind = "timeout"
	ErrNotFound      ErrorKind = "not-found"
	ErrServer        ErrorKind = "server"
	ErrNotJSON       ErrorKind = "not-json"
	ErrTruncatedJSON ErrorKind = "truncated-json"
	ErrForbidden     ErrorKind = "forbidden"
	ErrCancelled     ErrorKind = "cancelled"
	ErrRedirects     ErrorKind = "redirects"
	ErrHTTP          ErrorKind = "http"
)

// Error is a failure a person can act on: what happened (Message) and what
// to try next (Hint).
type Error struct {
	Kind    ErrorKind
	Message string
	Hint    string
	Status  int   // HTTP status, 0 when no response arrived
	Err     error // the underlying error, if any
}

func (e *Error) Error() string {
	if e.Hint == "" {
		return e.Message
	}
	return e.Message + "; " + e.Hint
}

func (e *Error) Unwrap() error { return e.Err }

// Refused reports whether the server answered and its answer refused the
// request (403, 404, another 4xx, a 500): the server's verdict, as opposed
// to no usable answer at all (unreachable, TLS, timeout, a body that is not
// the JSON asked for, a redirect loop, or a gateway's 502/503/504, which
// say that authentik itself did not answer).
func (e *Error) Refused() bool {
	switch e.Status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return false
	}
	switch e.Kind {
	case ErrForbidden, ErrNotFound, ErrServer, ErrHTTP:
		return e.Status >= 400
	}
	return false
}

func errorf(kind ErrorKind, status int, hint, format string, args ...any) *Error {
	return &Error{Kind: kind, Status: status, Hint: hint, Message: fmt.Sprintf(format, args...)}
}
