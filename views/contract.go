// Package views holds akinspect's panes and theme. Panes render plain data
// handed to them by the root model; they never do I/O, and what takes
// longer than a frame (laying out a large body) they hand back as a
// command (Details.TakeRender) instead of doing it in Update.
package views

import (
	"strconv"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/flow"
)

// Pane is the contract every pane keeps (after soft-serve's component): it
// is sized by the root, knows whether it has focus, and owns its key help.
type Pane interface {
	SetSize(width, height int)
	Focus()
	Blur()
	Focused() bool
	ShortHelp() []key.Binding
	FullHelp() [][]key.Binding
	View() string
	// Title names the pane in its frame.
	Title() string
}

// KeyOwner is implemented by panes that can hold a text input. While
// CapturesKeys is true the root routes every key to the pane first and
// handles no global key except ctrl+c.
type KeyOwner interface {
	CapturesKeys() bool
}

// Scroller is implemented by panes whose content can be longer than the
// pane. ScrollInfo is the position the frame shows ("12-40/340": the
// lines or rows in view and how many there are), "" when all of it shows.
type Scroller interface {
	ScrollInfo() string
}

// scrollInfo formats the window [top, top+height) of total lines.
func scrollInfo(top, height, total int) string {
	if total <= height || height <= 0 {
		return ""
	}
	return strconv.Itoa(top+1) + "-" + strconv.Itoa(min(top+height, total)) + "/" + strconv.Itoa(total)
}

// ExchangeRow is one timeline row: plain data derived from a recorded
// exchange by the model.
type ExchangeRow struct {
	ID        int
	Flow      string
	Method    string
	Path      string // URL path (and query) for display
	Status    int    // 0: no response
	Component string // full component name, "" when none
	Duration  time.Duration
	Redirect  bool // 3xx or continue-redirect
	Error     bool // transport error / flow error / denied
	Rotated   bool // session cookie rotated here
	Invalid   bool // validation errors came back
	Pending   bool // request in flight (the live row)
	// Dim draws the row faint: context rather than the flow being worked
	// on (recorded rows above a live replay, inspector reads).
	Dim bool
	// Aside marks a request beside the flow (an inspector read): a live
	// timeline never moves its cursor onto it.
	Aside bool
	// Separator marks a row that is no exchange but the start of a flow
	// run (restart, new session, another flow), Note saying which; the
	// cursor passes over it.
	Separator bool
	// Note stands in the component column when there is no component:
	// what the request was ("flow page", "→ password") or what went wrong.
	Note string
}

// Header is one HTTP header line for display.
type Header struct{ Name, Value string }

// CookieRow is one cookie of the jar after an exchange.
type CookieRow struct {
	Name, Value, Domain, Path string
	Expires                   string // "" = session cookie
	Flags                     string // "HttpOnly Secure SameSite=Lax"
	Change                    string // "", "added", "changed", "removed"
}

// Phase is one timing phase for display.
type Phase struct {
	Name     string // DNS, Connect, TLS, Send, Wait (first byte), Receive, Total
	Start    time.Duration
	Duration time.Duration
}

// ExchangeDetail is everything the details pane shows of one exchange.
type ExchangeDetail struct {
	ID              int
	Title           string // "POST /api/v3/flows/executor/default-authentication-flow/ → 302"
	Method, URL     string // the request line, whole, for the URL tab
	Status          int    // 0: no response
	Proto           string
	RequestBody     []byte
	ResponseBody    []byte
	RequestHeaders  []Header
	ResponseHeaders []Header
	Cookies         []CookieRow
	Phases          []Phase
	Error           string // transport error, shown above the body
	Diagnosis       string
	Truncated       bool
}

// FormState is what the form pane shows for the live challenge.
type FormState struct {
	Form      flow.Form
	Challenge *flow.Challenge // for response_errors; nil when offline/none
	Values    map[string]string
	ReadOnly  bool // offline recording: show what was answered, no editing
	// Diagnosis explains a flow error (request_id only) in plain words;
	// shown in the result box.
	Diagnosis string
	// Notes are lines shown under fields, by field key: a demo user's
	// current TOTP code, where a pre-filled code came from.
	Notes map[string]string
}

// Messages panes return to the root (as tea.Cmd results).
type (
	// SubmitMsg asks the root to send the form's values.
	SubmitMsg struct{ Values map[string]string }
	// SubmitRawMsg asks the root to send a raw JSON body as it is.
	SubmitRawMsg struct{ Body []byte }
	// SelectExchangeMsg says the timeline cursor moved to exchange ID.
	SelectExchangeMsg struct{ ID int }
	// LiveMsg asks the root to return to the live exchange.
	LiveMsg struct{}
	// EditorMsg asks the root to open the body in $EDITOR.
	EditorMsg struct{ Body []byte }
	// StatusMsg asks the root to show text in the status line (a key the
	// focused field cannot take).
	StatusMsg struct {
		Text string
		Err  bool
	}
	// RenderedMsg carries a details tab laid out by a command of
	// Details.TakeRender, keyed by exchange, tab and request number; the
	// root hands it to Details.SetRendered, which drops a stale one.
	RenderedMsg struct {
		gen, id int
		tab     string
		out     tabLayout
	}
)

var _ tea.Msg = SubmitMsg{}

// The panes keep the contract.
var (
	_ Pane     = (*Timeline)(nil)
	_ Pane     = (*Details)(nil)
	_ Pane     = (*Form)(nil)
	_ KeyOwner = (*Details)(nil)
	_ KeyOwner = (*Form)(nil)
	_ Scroller = (*Timeline)(nil)
	_ Scroller = (*Details)(nil)
	_ Scroller = (*Form)(nil)
)
