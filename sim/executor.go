package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"
)

const executorPrefix = "/api/v3/flows/executor/"

// serveExecutor is FlowExecutorView: GET renders, POST solves. Everything
// that goes wrong inside comes back as HTTP 200 ak-stage-flow-error.
func (s *Server) serveExecutor(w http.ResponseWriter, r *http.Request, f *flowDef) {
	// DRF's APIView.finalize_response lists the view's methods.
	w.Header().Set("Allow", "GET, POST, HEAD, OPTIONS")
	tokenUser, authErr := s.bearerUser(r)
	sess := s.sessionFor(w, r)
	locked := true
	defer func() {
		if locked {
			sess.mu.Unlock()
		}
	}()
	x := &run{s: s, w: w, r: r, sess: sess, user: tokenUser}
	if x.user == nil {
		x.user = sess.user
	}
	// Authentication failures: DRF resets the user to anonymous first.
	if authErr != nil {
		writeJSON(w, http.StatusOK, s.flowError(w, nil, authErr, ""))
		return
	}
	if !safeMethod(r.Method) && tokenUser == nil && sess.user != nil {
		if err := checkCSRF(r); err != nil {
			writeJSON(w, http.StatusOK, s.flowError(w, nil, err, ""))
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		writeJSON(w, http.StatusOK, s.flowError(w, x.user, fmt.Errorf("Method %q not allowed.", r.Method), ""))
		return
	}
	defer func() {
		if p := recover(); p != nil {
			s.panics.Add(1)
			writeJSON(w, http.StatusOK, s.flowError(w, x.user, fmt.Errorf("%v", p), string(debug.Stack())))
		}
	}()

	if sess.plan == nil || sess.plan.flow != f {
		if !s.planFlow(x, f) {
			return
		}
	}
	x.plan = sess.plan
	cur := x.plan.bindings[0].st
	var out outcome
	if r.Method == http.MethodPost {
		body, err := readAnswer(r)
		var nd notDictError
		switch {
		case errors.As(err, &nd):
			out = outcome{kind: outInvalid, errs: fieldErr("non_field_errors", nd.msg, nd.code)}
		case err != nil:
			writeJSON(w, http.StatusOK, s.flowError(w, x.user, err, ""))
			return
		default:
			out = cur.post(x, body)
		}
	} else {
		out = cur.get(x)
	}
	if out.kind == outWait {
		out, locked = s.waitUnlocked(x, out)
		if !locked {
			return
		}
	}
	s.respond(x, out)
}

// planFlow is FlowPlanner.plan plus the executor's handling of flows that
// do not apply. It reports whether a plan is ready to run.
func (s *Server) planFlow(x *run, f *flowDef) bool {
	x.sess.plan = nil // a plan for another flow is discarded
	query, _ := lastValue(parseQS(x.r.URL.RawQuery), "query")
	p := &plan{flow: f, params: parseQS(query)}
	x.plan = p
	if f.designation == "authentication" && x.user != nil {
		s.flowDone(x)
		return false
	}
	if f.needsUser && x.user == nil {
		s.stageInvalid(x, "Flow does not apply to current user.")
		return false
	}
	for i, st := range f.stages() {
		p.bindings = append(p.bindings, &binding{st: st, order: 10 * (i + 1)})
	}
	x.sess.plan, x.sess.history = p, nil
	if len(p.bindings) == 0 {
		s.flowDone(x)
		return false
	}
	return true
}

// readAnswer parses the body like DRF with only the JSON parser.
func readAnswer(r *http.Request) (map[string]json.RawMessage, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("Parse error - %v", err)
	}
	if len(raw) == 0 {
		return map[string]json.RawMessage{}, nil // DRF: no body → empty data
	}
	ct := r.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if mt != "application/json" {
		return nil, fmt.Errorf("Unsupported media type %q in request.", ct)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("JSON parse error - %v", err)
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		if v == nil {
			return nil, notDictError{"This field may not be null.", "null"}
		}
		return nil, notDictError{"Invalid data. Expected a dictionary, but got " + pyTypeName(raw) + ".", "invalid"}
	}
	out := make(map[string]json.RawMessage, len(obj))
	_ = json.Unmarshal(raw, &out)
	return out, nil
}

// notDictError is the serializer's own error for JSON that is not an
// object: a validation error (same challenge), not a flow error.
type notDictError struct{ msg, code string }

func (e notDictError) Error() string { return e.msg }

// waitUnlocked runs a blocking stage step (a Duo push) without holding the
// session lock, honouring the request's cancellation.
func (s *Server) waitUnlocked(x *run, out outcome) (outcome, bool) {
	p, cur := x.plan, x.plan.bindings[0]
	x.sess.mu.Unlock()
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	t := time.NewTimer(out.delay)
	defer t.Stop()
	select {
	case <-x.r.Context().Done():
		return outcome{}, false
	case <-t.C:
	}
	x.sess.mu.Lock()
	if x.sess.plan != p || len(p.bindings) == 0 || p.bindings[0] != cur {
		return crash(context.Canceled, "the plan changed while waiting"), true
	}
	return out.then(x), true
}

// respond turns a stage outcome into the executor's HTTP answer.
func (s *Server) respond(x *run, out outcome) {
	switch out.kind {
	case outShow:
		writeJSON(x.w, http.StatusOK, s.stageChallenge(x.flow(), out.challenge, nil))
	case outInvalid:
		again := x.plan.bindings[0].st.get(x)
		if again.kind != outShow {
			s.respond(x, again)
			return
		}
		writeJSON(x.w, http.StatusOK, s.stageChallenge(x.flow(), again.challenge, out.errs))
	case outDeny:
		s.stageInvalid(x, out.msg)
	case outCrash:
		writeJSON(x.w, http.StatusOK, s.flowError(x.w, x.user, out.err, out.traceback))
	case outOK:
		s.stageOK(x)
	default:
		writeJSON(x.w, http.StatusOK, s.flowError(x.w, x.user, errors.New("unexpected stage outcome"), ""))
	}
}

// stageOK records history, pops the stage and redirects to the executor
// (a real 302 only when the Location equals the request's full path).
func (s *Server) stageOK(x *run) {
	x.sess.history = append(x.sess.history, historyEntry{x.plan.flow, s.inspectorPlan(x.sess, x.plan)})
	x.plan.bindings = x.plan.bindings[1:]
	if len(x.plan.bindings) == 0 {
		s.flowDone(x)
		return
	}
	loc := executorPrefix + x.flow().slug + "/"
	if qs := djangoURLEncode(parseQS(x.r.URL.RawQuery)); qs != "" {
		loc += "?" + qs
	}
	full := x.r.URL.Path
	if x.r.URL.RawQuery != "" {
		full += "?" + iriToURI(x.r.URL.RawQuery)
	}
	if loc != full {
		writeJSON(x.w, http.StatusOK, s.redirectChallenge(loc))
		return
	}
	x.w.Header().Set("Location", loc)
	x.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	x.w.WriteHeader(http.StatusFound)
}

// flowDone is _flow_done: cancel the plan (history stays) and redirect to
// the context's redirect, a relative `next`, or /.
func (s *Server) flowDone(x *run) {
	next := "/"
	if v, ok := lastValue(x.plan.params, "next"); ok {
		next = v
	}
	if x.plan.ctx.redirect != "" {
		next = x.plan.ctx.redirect
	}
	if x.sess.plan == x.plan {
		x.sess.plan = nil
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" {
		s.stageInvalid(x, "Invalid next URL")
		return
	}
	writeJSON(x.w, http.StatusOK, s.redirectChallenge(next))
}

// stageInvalid shows access denied and cancels the plan.
func (s *Server) stageInvalid(x *run, msg string) {
	if msg == "" {
		msg = "Unknown error"
	}
	c := object{{"component", "ak-stage-access-denied"}}
	c = append(c, x.userInfo()...)
	c = append(c, kv{"error_message", msg})
	if x.sess.plan == x.plan {
		x.sess.plan = nil
	}
	writeJSON(x.w, http.StatusOK, s.stageChallenge(x.plan.flow, c, nil))
}

// safeMethod: Django's CSRF check skips these.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}
