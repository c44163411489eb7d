package sim

import (
	"encoding/json"
	"net/http"
)

// historyEntry is a finished step of a plan as the inspector shows it.
type historyEntry struct {
	flow *flowDef
	plan json.RawMessage
}

const (
	detailNotAuthenticated = "Authentication credentials were not provided."
	detailNoPermission     = "You do not have permission to perform this action."
)

// serveInspector is FlowInspectorView (IsAdminUser; open in DEBUG).
func (s *Server) serveInspector(w http.ResponseWriter, r *http.Request, f *flowDef) {
	tokenUser, err := s.bearerUser(r)
	if err != nil {
		writeJSON(w, http.StatusForbidden, object{{"detail", err.Error()}})
		return
	}
	sess := s.lookupSession(r)
	if sess != nil {
		defer sess.mu.Unlock()
	}
	user := tokenUser
	if user == nil && sess != nil {
		user = sess.user
	}
	if !s.opts.Debug {
		switch {
		case user == nil:
			writeJSON(w, http.StatusForbidden, object{{"detail", detailNotAuthenticated}})
			return
		case !user.superuser:
			writeJSON(w, http.StatusForbidden, object{{"detail", detailNoPermission}})
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, object{{"detail", `Method "` + r.Method + `" not allowed.`}})
		return
	}
	plans := []json.RawMessage{}
	var current json.RawMessage
	completed := false
	if sess != nil {
		for _, h := range sess.history {
			if h.flow == f {
				plans = append(plans, h.plan)
			}
		}
		if sess.plan != nil && sess.plan.flow == f {
			current = s.inspectorPlan(sess, sess.plan)
		} else if len(plans) > 0 {
			current, completed = plans[len(plans)-1], true
		}
	}
	if current == nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	writeJSON(w, http.StatusOK, object{{"plans", plans}, {"current_plan", current}, {"is_completed", completed}})
}

// inspectorPlan serialises a plan as FlowInspectorPlanSerializer does.
func (s *Server) inspectorPlan(sess *session, p *plan) json.RawMessage {
	var cur, next any = emptyBinding(), emptyBinding()
	if len(p.bindings) > 0 {
		cur = bindingJSON(p.flow, p.bindings[0])
	}
	// With fewer than two bindings authentik returns an unbound
	// FlowStageBindingSerializer().data: the writable fields' initial values.
	if len(p.bindings) > 1 {
		next = bindingJSON(p.flow, p.bindings[1])
	}
	ctx := object{}
	if p.ctx.pendingUser != nil {
		s.dataMu.Lock()
		ctx = append(ctx, kv{"pending_user", userContext(p.ctx.pendingUser)})
		s.dataMu.Unlock()
	}
	if p.ctx.promptData != nil {
		ctx = append(ctx, kv{"prompt_data", p.ctx.promptData})
	}
	if p.ctx.failures > 0 {
		ctx = append(ctx, kv{"goauthentik.io/stages/password/failed_attempts", p.ctx.failures})
	}
	b, _ := json.Marshal(object{
		{"current_stage", cur}, {"next_planned_stage", next},
		{"plan_context", ctx}, {"session_id", sess.sessionID()},
	})
	return b
}

func emptyBinding() object {
	return object{{"target", nil}, {"stage", nil}, {"evaluate_on_plan", false},
		{"re_evaluate_policies", false}, {"order", nil}, {"policy_engine_mode", nil},
		{"invalid_response_action", nil}}
}

func bindingJSON(f *flowDef, b *binding) object {
	m := b.st.meta()
	stagePK := uuidFor("stage", m.name)
	bindingPK := uuidFor("binding", f.slug, b.order, m.name)
	return object{
		{"pk", bindingPK}, {"policybindingmodel_ptr_id", bindingPK},
		{"target", f.pk()}, {"stage", stagePK},
		{"stage_obj", object{
			{"pk", stagePK}, {"name", m.name}, {"component", m.component},
			{"verbose_name", m.verbose}, {"verbose_name_plural", m.verbose + "s"},
			{"meta_model_name", m.model},
			{"flow_set", []object{flowSet(f)}},
		}},
		{"evaluate_on_plan", true}, {"re_evaluate_policies", false}, {"order", b.order},
		{"policy_engine_mode", "any"}, {"invalid_response_action", "retry"},
	}
}

func flowSet(f *flowDef) object {
	return object{
		{"pk", f.pk()}, {"policybindingmodel_ptr_id", f.pk()}, {"name", f.title}, {"slug", f.slug},
		{"title", f.title}, {"designation", f.designation}, {"background_url", defaultBackground},
		{"policy_engine_mode", "any"}, {"compatibility_mode", false},
		{"export_url", "/api/v3/flows/instances/" + f.slug + "/export/"},
		{"layout", "stacked"}, {"denied_action", "message_continue"},
	}
}

// serveExecute is FlowViewSet.execute: plan the flow for the API user in
// the request's session and return the interface link.
func (s *Server) serveExecute(w http.ResponseWriter, r *http.Request, f *flowDef) {
	tokenUser, err := s.bearerUser(r)
	if err != nil {
		writeJSON(w, http.StatusForbidden, object{{"detail", err.Error()}})
		return
	}
	sess := s.lookupSession(r)
	user := tokenUser
	if user == nil && sess != nil {
		user = sess.user
	}
	if user == nil {
		if sess != nil {
			sess.mu.Unlock()
		}
		writeJSON(w, http.StatusForbidden, object{{"detail", detailNotAuthenticated}})
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		if sess != nil {
			sess.mu.Unlock()
		}
		writeJSON(w, http.StatusMethodNotAllowed, object{{"detail", `Method "` + r.Method + `" not allowed.`}})
		return
	}
	if !user.superuser {
		if sess != nil {
			sess.mu.Unlock()
		}
		writeJSON(w, http.StatusNotFound, object{{"detail", "No Flow matches the given query."}})
		return
	}
	if sess == nil {
		sess = s.newSession(w, r)
	}
	defer sess.mu.Unlock()
	p := &plan{flow: f, ctx: planContext{pendingUser: user}}
	for i, st := range f.stages() {
		p.bindings = append(p.bindings, &binding{st: st, order: 10 * (i + 1)})
	}
	sess.plan, sess.history = p, nil
	scheme := "http"
	if isTLS(r) {
		scheme = "https"
	}
	writeJSON(w, http.StatusOK, object{{"link", scheme + "://" + r.Host + "/if/flow/" + f.slug + "/"}})
}
