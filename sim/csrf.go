package sim

import (
	"errors"
	"net/http"
	"net/url"
)

// newCSRFToken is a Django CSRF token (masked form, 64 characters).
func newCSRFToken() string { return randomAlnum(64) }

// setCSRFCookie sets authentik_csrf as Django does: readable by scripts
// (the web client copies it into X-authentik-CSRF), SameSite=Lax, one year.
func setCSRFCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: CSRFCookie, Value: token, Path: "/", MaxAge: 31449600,
		SameSite: http.SameSiteLaxMode, Secure: isTLS(r),
	})
}

// checkCSRF is DRF SessionAuthentication.enforce_csrf, which reuses Django's
// CsrfViewMiddleware.process_view: an Origin header, when present, must be
// the server's own origin (any scheme); without one, HTTPS requests need a
// matching Referer; then the header must match the cookie. The error text
// follows Django's reasons.
func checkCSRF(r *http.Request) error {
	if err := checkOrigin(r); err != nil {
		return err
	}
	c, err := r.Cookie(CSRFCookie)
	if err != nil || c.Value == "" {
		return errors.New("CSRF Failed: CSRF cookie not set.")
	}
	header := r.Header.Get(CSRFHeader)
	switch {
	case header == "":
		return errors.New("CSRF Failed: CSRF token missing.")
	case len(header) != 32 && len(header) != 64:
		return errors.New("CSRF Failed: CSRF token from the 'X-Authentik-Csrf' HTTP header has incorrect length.")
	case header != c.Value:
		return errors.New("CSRF Failed: CSRF token from the 'X-Authentik-Csrf' HTTP header incorrect.")
	}
	return nil
}

func checkOrigin(r *http.Request) error {
	if o := r.Header.Get("Origin"); o != "" {
		scheme := "http"
		if isTLS(r) {
			scheme = "https"
		}
		// Django's _origin_verified: scheme and host, exactly.
		if o == scheme+"://"+r.Host {
			return nil
		}
		return errors.New("CSRF Failed: Origin checking failed - " + o + " does not match any trusted origins.")
	}
	if !isTLS(r) {
		return nil // Django checks the Referer on secure requests only
	}
	ref := r.Header.Get("Referer")
	if ref == "" {
		return errors.New("CSRF Failed: Referer checking failed - no Referer.")
	}
	if u, err := url.Parse(ref); err != nil || u.Host != r.Host || u.Scheme != "https" {
		return errors.New("CSRF Failed: Referer checking failed - " + ref + " does not match any trusted origins.")
	}
	return nil
}
