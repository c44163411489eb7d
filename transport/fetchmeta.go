package transport

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// DefaultLang is the UI locale akinspect's requests carry in
// Accept-Language when Config.Lang is empty: "en", authentik's source
// locale (SourceLanguageTag, which web/src/common/ui/locale/utils.ts maps
// every en-* tag to; DEFAULT_FALLBACK in definitions.ts), the UI locale of
// an English install and of the recorded Chromium.
const DefaultLang = "en"

// validLang reports whether lang looks like a BCP 47 language tag
// (letters, digits and inner '-'), so that it can go into a header as is.
func validLang(lang string) bool {
	if lang == "" || len(lang) > 64 {
		return false
	}
	for _, part := range strings.Split(lang, "-") {
		if part == "" {
			return false
		}
		for i := 0; i < len(part); i++ {
			c := part[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				return false
			}
		}
	}
	return true
}

// acceptLanguage is the Accept-Language value authentik's LocaleMiddleware
// (web/src/common/api/middleware.ts) sets on every API call:
// formatAcceptLanguageHeader(locale) (web/src/common/ui/locale/utils.ts)
// with the UI locale first, then navigator.languages, the source locale
// "en" and "*", without repeats. akinspect has no browser language list
// besides the UI locale, so for "en" this is "en, *;q=0.5" where the
// recorded Chromium (navigator.languages ["en-US"]) sends
// "en, en-US;q=0.7, *;q=0.3" (transport/testdata/browser/chromium-148.json).
func acceptLanguage(lang string) string {
	return formatAcceptLanguage([]string{lang, DefaultLang, "*"})
}

// formatAcceptLanguage is formatAcceptLanguageHeader's formatting
// (web/src/common/ui/locale/utils.ts): the tags in order without repeats,
// the first without a weight, the n others with q = (n-i)/(n+1) written as
// JavaScript's toFixed(1) (toFixed(2) beyond 9 fallbacks) does, ties
// rounded up, joined by ", ".
func formatAcceptLanguage(tags []string) string {
	var uniq []string
	seen := map[string]bool{}
	for _, t := range tags {
		if !seen[t] {
			seen[t] = true
			uniq = append(uniq, t)
		}
	}
	if len(uniq) == 0 {
		return ""
	}
	n := len(uniq) - 1
	digits, scale := 1, 10
	if n > 9 {
		digits, scale = 2, 100
	}
	var b strings.Builder
	b.WriteString(uniq[0])
	for i, t := range uniq[1:] {
		// round((n-i)/(n+1) * scale), half up, in integers: exact for
		// every tie these denominators give (all are exact in binary too).
		k, m := n-i, n+1
		q := (2*k*scale + m) / (2 * m)
		frac := strconv.Itoa(q % scale)
		for len(frac) < digits {
			frac = "0" + frac
		}
		b.WriteString(", " + t + ";q=" + strconv.Itoa(q/scale) + "." + frac)
	}
	return b.String()
}

// trustworthy reports whether u is a potentially trustworthy URL (W3C
// Secure Contexts): https/wss, or a loopback host. Browsers send the
// Sec-Fetch-* headers to such URLs only (W3C Fetch Metadata, "set the
// Sec-Fetch-* headers": "Assert: r's url is a potentially trustworthy URL";
// Chromium omits them on plain http to other hosts).
func trustworthy(u *url.URL) bool {
	switch strings.ToLower(u.Scheme) {
	case "https", "wss":
		return true
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Sec-Fetch-Site values, from the closest relation to the farthest.
const (
	siteSameOrigin = "same-origin"
	siteSameSite   = "same-site"
	siteCross      = "cross-site"
)

// siteOf is the relation of u to the flow page's origin, as Fetch Metadata
// computes it for Sec-Fetch-Site: same-origin, same-site (same scheme and
// registrable domain, or the same IP), else cross-site.
func siteOf(fl endpoints, u *url.URL) string {
	if fl.sameOrigin(u) {
		return siteSameOrigin
	}
	if !strings.EqualFold(u.Scheme, fl.base.Scheme) {
		return siteCross
	}
	a, b := strings.ToLower(u.Hostname()), strings.ToLower(fl.base.Hostname())
	if a == b {
		return siteSameSite // another port of the same host
	}
	if net.ParseIP(a) != nil || net.ParseIP(b) != nil {
		return siteCross
	}
	ra, err1 := publicsuffix.EffectiveTLDPlusOne(a)
	rb, err2 := publicsuffix.EffectiveTLDPlusOne(b)
	if err1 == nil && err2 == nil && ra == rb {
		return siteSameSite
	}
	return siteCross
}

// fartherSite is the farther of two Sec-Fetch-Site relations: across
// redirects the header says the farthest URL of the request's URL list.
func fartherSite(a, b string) string {
	rank := map[string]int{"": 0, siteSameOrigin: 1, siteSameSite: 2, siteCross: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// setFetchMetadata sets what a browser adds to the request on its own
// (W3C Fetch Metadata; values as the recorded Chromium sent them,
// transport/testdata/browser/chromium-148.json).
//
// The /if/flow/ page is a navigation the user started (typed URL):
// Sec-Fetch-Site none (a user-started navigation stays "none" across its
// redirects), Sec-Fetch-Mode navigate, Sec-Fetch-Dest document,
// Sec-Fetch-User ?1, and Upgrade-Insecure-Requests 1 (Upgrade Insecure
// Requests §3.2.1: every navigation, whatever the scheme).
//
// Every other request is the flow interface's fetch (web/src/flow/
// FlowExecutor.ts, web/src/flow/inspector/FlowInspector.ts, through
// goauthentik/client-ts src/runtime.ts, which sets no mode): mode cors,
// destination empty, and the farthest site of its URL list, same-origin
// while the redirects stay on authentik.
//
// Sec-Fetch-* go to potentially trustworthy URLs only (trustworthy).
func setFetchMetadata(hd http.Header, h hop) {
	if h.expect == expectPage {
		hd["Upgrade-Insecure-Requests"] = headerOne
	}
	if !trustworthy(h.url) {
		return
	}
	if h.expect == expectPage {
		hd["Sec-Fetch-Site"] = headerNone
		hd["Sec-Fetch-Mode"] = headerNavigate
		hd["Sec-Fetch-Dest"] = headerDocument
		hd["Sec-Fetch-User"] = headerUser
		return
	}
	hd["Sec-Fetch-Site"] = siteValue(fartherSite(h.site, siteOf(h.flow, h.url)))
	hd["Sec-Fetch-Mode"] = headerCORS
	hd["Sec-Fetch-Dest"] = headerEmpty
}

// The fixed header values, shared by every request rather than allocated
// per request (keys already canonical). The exchange records req.Header
// itself, so these slices reach every observer: nothing may change a
// header value in place (the redactor works on a clone; Set and AddCookie
// replace the slice). A change to a recorded header must clone it first.
var (
	headerOne, headerNone, headerUser = []string{"1"}, []string{"none"}, []string{"?1"}
	headerNavigate, headerDocument    = []string{"navigate"}, []string{"document"}
	headerCORS, headerEmpty           = []string{"cors"}, []string{"empty"}
	headerSameOrigin                  = []string{"same-origin"}
	headerFetchAccept                 = []string{fetchAccept}
	headerBrowserAccept               = []string{browserAccept}
)

// siteValue is Sec-Fetch-Site's value, shared for the usual one.
func siteValue(site string) []string {
	if site == "same-origin" {
		return headerSameOrigin
	}
	return []string{site}
}
