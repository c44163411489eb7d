package history

import (
	"net/url"
	"strings"

	"github.com/akinspect/akinspect/transport"
)

// ClassifyURL tells flow exchanges from the rest by the path of their URL
// (executor, inspector, flow instance, flow page; KindOther for the rest),
// and reads the flow slug.
func ClassifyURL(raw string) (transport.Kind, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return KindOther, ""
	}
	for _, p := range []struct {
		marker string
		kind   transport.Kind
	}{
		{"/api/v3/flows/executor/", transport.KindExecutor},
		{"/api/v3/flows/inspector/", transport.KindInspector},
		{"/api/v3/flows/instances/", transport.KindExecute},
		{"/if/flow/", transport.KindPage},
	} {
		i := strings.Index(u.Path, p.marker)
		if i < 0 {
			continue
		}
		slug, rest, _ := strings.Cut(u.Path[i+len(p.marker):], "/")
		if slug == "" || (p.kind == transport.KindExecute && !strings.HasPrefix(rest, "execute")) {
			continue
		}
		return p.kind, slug
	}
	return KindOther, ""
}

// HeaderFromExchanges guesses the recording header of a browser HAR (or any
// exchanges without one) from their first flow exchange.
func HeaderFromExchanges(exchanges []*transport.Exchange) Header {
	h := Header{Recording: FormatVersion}
	if len(exchanges) > 0 {
		h.Started = exchanges[0].Start
	}
	for _, e := range exchanges {
		if e.Kind != transport.KindExecutor && e.Kind != transport.KindPage {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil {
			continue
		}
		prefix := u.Path
		for _, m := range []string{"/api/v3/", "/if/flow/"} {
			if i := strings.Index(prefix, m); i >= 0 {
				prefix = prefix[:i]
			}
		}
		h.BaseURL = u.Scheme + "://" + u.Host + prefix
		h.Flow = e.Flow
		h.Query = PageQuery(e)
		return h
	}
	return h
}

// IsExecutor reports whether e went to the flow executor (a redirect
// counts when its URL is the executor's).
func IsExecutor(e *transport.Exchange) bool {
	if e.Kind == transport.KindExecutor || e.Kind == transport.KindRedirect {
		k, _ := ClassifyURL(e.URL)
		return k == transport.KindExecutor || e.Kind == transport.KindExecutor
	}
	return false
}
