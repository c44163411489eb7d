package sim

import (
	"encoding/json"
	"net/http"

	"github.com/akinspect/akinspect/flow"
)

// Defaults from authentik (WIRE.md §3).
const (
	defaultBackground = "/static/dist/assets/images/flow_background.jpg"
	defaultAvatar     = "/static/dist/assets/images/user_default.png"
	cancelURL         = "/flows/-/cancel/"
)

// flowInfo is ContextualFlowInfo; only stage challenges carry it.
func (s *Server) flowInfo(f *flowDef) object {
	o := object{{"title", f.title}, {"background", defaultBackground}}
	if !s.opts.Legacy {
		o = append(o, kv{"background_themed_urls", nil})
	}
	return append(o, kv{"cancel_url", cancelURL}, kv{"layout", "stacked"})
}

// stageChallenge finishes a stage's challenge as ChallengeStageView does:
// flow_info first, response_errors after component, then the legacy shape.
func (s *Server) stageChallenge(f *flowDef, c object, errs map[string][]flow.ErrorDetail) object {
	out := object{{"flow_info", s.flowInfo(f)}}
	for _, field := range c {
		out = append(out, field)
		if field.k == "component" && len(errs) > 0 {
			out = append(out, kv{"response_errors", errs})
		}
	}
	return s.shape(out, "native")
}

// redirectChallenge is built by the executor itself: no flow_info.
func (s *Server) redirectChallenge(to string) object {
	return s.shape(object{{"component", flow.ComponentRedirect}, {"to", to}}, "redirect")
}

// flowError is FlowErrorChallenge; error and traceback only for superusers.
// Its request_id is the request's, the one in the X-authentik-id header
// (authentik/flows/challenge.py FlowErrorChallenge: request.request_id).
func (s *Server) flowError(w http.ResponseWriter, user *account, err error, traceback string) object {
	o := object{{"component", flow.ComponentFlowError}, {"request_id", w.Header().Get(HeaderRequestID)}}
	if user != nil && user.superuser && err != nil {
		o = append(o, kv{"error", err.Error()}, kv{"traceback", traceback})
	}
	return s.shape(o, "native")
}

// shape applies the legacy (2023.10) differences when asked to.
func (s *Server) shape(o object, typ string) object {
	if !s.opts.Legacy {
		return o
	}
	return legacyShape(o, typ)
}

// fieldErr builds a response_errors map with one error.
func fieldErr(field, msg, code string) map[string][]flow.ErrorDetail {
	return map[string][]flow.ErrorDetail{field: {{String: msg, Code: code}}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"internal error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Vary", "Accept, Cookie")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
