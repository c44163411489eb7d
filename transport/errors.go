package transport

import (
	"fmt"
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

func errorf(kind ErrorKind, status int, hint, format string, args ...any) *Error {
	return &Error{Kind: kind, Status: status, Hint: hint, Message: fmt.Sprintf(format, args...)}
}
