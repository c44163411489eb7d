package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// hintCA is what to do about a certificate the client cannot verify.
const hintCA = "pass --ca-file FILE, or --insecure to skip verification"

// networkError turns an error from http.Client.Do (or from reading a body)
// into an Error a person can act on. parent is the caller's context: when it
// was cancelled the request was cancelled on purpose, while our own deadline
// firing is a timeout.
func networkError(parent context.Context, err error, host string, timeout time.Duration) *Error {
	wrap := func(kind ErrorKind, hint, msg string) *Error {
		return &Error{Kind: kind, Message: msg, Hint: hint, Err: err}
	}
	if errors.Is(parent.Err(), context.Canceled) {
		return wrap(ErrCancelled, "", "request to "+host+" cancelled")
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && !dnsErr.IsTimeout {
		return wrap(ErrDNS, "check the host name in the URL",
			"cannot resolve "+dnsErr.Name+": "+dnsErr.Err)
	}
	if e := tlsError(err, host); e != nil {
		return e
	}
	if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
		return wrap(ErrTimeout, "raise --timeout, or check that the server (or a proxy before it) answers",
			"no answer from "+host+" within "+timeout.String())
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return wrap(ErrRefused, "is authentik running at "+host+"?", "connection to "+host+" refused")
	}
	if errors.Is(err, context.Canceled) {
		return wrap(ErrCancelled, "", "request to "+host+" cancelled")
	}
	return wrap(ErrHTTP, "", "request to "+host+" failed: "+withoutURL(err))
}

// withoutURL is err's text without the request URL that *url.Error puts in
// front: the query may hold a flow_token, and messages never carry secrets.
func withoutURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func tlsError(err error, host string) *Error {
	wrap := func(hint, msg string) *Error {
		return &Error{Kind: ErrTLS, Message: msg, Hint: hint, Err: err}
	}
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		return wrap(hintCA, "TLS: the certificate of "+host+" is signed by an unknown authority")
	}
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) {
		return wrap("use the host name the certificate was issued for, or --insecure to skip verification",
			"TLS: the certificate is not valid for "+host+": "+hostErr.Error())
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		return wrap(hintCA, "TLS: the certificate of "+host+" is invalid: "+invalid.Error())
	}
	var verify *tls.CertificateVerificationError
	if errors.As(err, &verify) {
		return wrap(hintCA, "TLS: cannot verify the certificate of "+host+": "+verify.Err.Error())
	}
	var header tls.RecordHeaderError
	if errors.As(err, &header) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return wrap("the server speaks plain HTTP here: use an http:// URL",
			"TLS handshake with "+host+" failed: "+withoutURL(err))
	}
	var alert tls.AlertError
	if errors.As(err, &alert) {
		return wrap("", "TLS handshake with "+host+" failed: "+withoutURL(err))
	}
	return nil
}
