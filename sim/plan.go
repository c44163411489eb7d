package sim

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/akinspect/akinspect/flow"
)

// stageMeta is what the inspector shows of a stage (Stage serializer).
type stageMeta struct {
	name      string
	component string
	verbose   string // "Password Stage"
	model     string // "authentik_stages_password.passwordstage"
}

// stage is one stage view: get renders (or acts, like user-login), post
// validates an answer. State lives in the plan context, not the stage.
type stage interface {
	meta() stageMeta
	get(x *run) outcome
	post(x *run, body map[string]json.RawMessage) outcome
}

type outcomeKind int

const (
	outShow    outcomeKind = iota // send the challenge
	outOK                         // stage_ok: next stage
	outInvalid                    // challenge_invalid: same challenge + errors
	outDeny                       // stage_invalid: access denied, plan cancelled
	outCrash                      // exception: flow error
	outWait                       // block without the session lock, then `then`
)

type outcome struct {
	kind      outcomeKind
	challenge object
	errs      map[string][]flow.ErrorDetail
	msg       string
	err       error
	traceback string
	delay     time.Duration
	then      func(x *run) outcome
}

func show(c object) outcome              { return outcome{kind: outShow, challenge: c} }
func ok() outcome                        { return outcome{kind: outOK} }
func deny(msg string) outcome            { return outcome{kind: outDeny, msg: msg} }
func crash(err error, tb string) outcome { return outcome{kind: outCrash, err: err, traceback: tb} }
func invalid(f *form) outcome            { return outcome{kind: outInvalid, errs: f.errs} }
func waitThen(d time.Duration, then func(x *run) outcome) outcome {
	return outcome{kind: outWait, delay: d, then: then}
}

// binding is a FlowStageBinding inside a plan.
type binding struct {
	st    stage
	order int
}

// plan is a FlowPlan stored in the session.
type plan struct {
	flow     *flowDef
	bindings []*binding // remaining; [0] is current
	params   []param    // the page's query, parsed
	ctx      planContext
}

// planContext is the plan's context; it shows in the inspector.
type planContext struct {
	pendingUser  *account
	failures     int
	consentToken string
	totpSecret   string
	staticCodes  []string
	promptData   object
	redirect     string
}

// run is one executor request against a session.
type run struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	sess *session
	plan *plan
	user *account // request.user: token user, else the session's login
}

func (x *run) flow() *flowDef { return x.plan.flow }

// pending is the plan's pending user, else the request user.
func (x *run) pending() *account {
	if x.plan != nil && x.plan.ctx.pendingUser != nil {
		return x.plan.ctx.pendingUser
	}
	return x.user
}

// userInfo is WithUserInfoChallenge's pending_user and pending_user_avatar.
func (x *run) userInfo() object {
	name := ""
	if a := x.pending(); a != nil {
		name = a.username
	}
	return object{{"pending_user", name}, {"pending_user_avatar", defaultAvatar}}
}

// uuidFor gives stable UUIDs for flows, stages and bindings.
func uuidFor(parts ...any) string {
	sum := sha256.Sum256([]byte(fmt.Sprint(parts...)))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
