package views

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/akinspect/akinspect/internal/termbg"
)

// Palette is the semantic colours of the theme. Adaptive colours pick the
// light or dark value from the terminal's background; lipgloss drops all
// colour when NO_COLOR is set or the output is not a colour terminal.
type Palette struct {
	Text, Faint, Accent, Border, FocusBorder lipgloss.AdaptiveColor
	Success, Warning, Error, Info            lipgloss.AdaptiveColor
	Method, Status2xx, Status3xx, Status4xx  lipgloss.AdaptiveColor
	SelectionBg, SelectionFg, SecretFg       lipgloss.AdaptiveColor
}

// DefaultPalette works on light and dark terminals.
func DefaultPalette() Palette {
	return Palette{
		Text:        lipgloss.AdaptiveColor{Light: "#1f2328", Dark: "#e6edf3"},
		Faint:       lipgloss.AdaptiveColor{Light: "#6e7781", Dark: "#8b949e"},
		Accent:      lipgloss.AdaptiveColor{Light: "#8250df", Dark: "#d2a8ff"},
		Border:      lipgloss.AdaptiveColor{Light: "#d0d7de", Dark: "#30363d"},
		FocusBorder: lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"},
		Success:     lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#3fb950"},
		Warning:     lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#d29922"},
		Error:       lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#f85149"},
		Info:        lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"},
		Method:      lipgloss.AdaptiveColor{Light: "#0550ae", Dark: "#79c0ff"},
		Status2xx:   lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#3fb950"},
		Status3xx:   lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#d29922"},
		Status4xx:   lipgloss.AdaptiveColor{Light: "#cf222e", Dark: "#f85149"},
		SelectionBg: lipgloss.AdaptiveColor{Light: "#ddf4ff", Dark: "#1f3a5f"},
		SelectionFg: lipgloss.AdaptiveColor{Light: "#1f2328", Dark: "#ffffff"},
		SecretFg:    lipgloss.AdaptiveColor{Light: "#8250df", Dark: "#d2a8ff"},
	}
}

// Theme is every style akinspect draws with, derived once from a palette.
// Panes take a *Theme; nothing else defines colours.
type Theme struct {
	Palette Palette

	App          lipgloss.Style
	Header       lipgloss.Style
	HeaderTitle  lipgloss.Style
	HeaderState  lipgloss.Style
	Pane         lipgloss.Style // unfocused pane border
	PaneFocused  lipgloss.Style // focused pane border
	PaneTitle    lipgloss.Style
	PaneTitleOn  lipgloss.Style
	Tab          lipgloss.Style
	TabActive    lipgloss.Style
	Faint        lipgloss.Style
	Bold         lipgloss.Style
	Selected     lipgloss.Style
	Method       lipgloss.Style
	Status2xx    lipgloss.Style
	Status3xx    lipgloss.Style
	Status4xx    lipgloss.Style
	Success      lipgloss.Style
	Warning      lipgloss.Style
	Error        lipgloss.Style
	Info         lipgloss.Style
	Label        lipgloss.Style
	LabelFocused lipgloss.Style
	Secret       lipgloss.Style
	StatusLine   lipgloss.Style
	HelpKey      lipgloss.Style
	HelpDesc     lipgloss.Style
	Overlay      lipgloss.Style

	// Marks and states.
	Live     lipgloss.Style
	Pending  lipgloss.Style
	Marker   lipgloss.Style // cursor and choice markers
	Required lipgloss.Style
	Match    lipgloss.Style // a search match
	MatchOn  lipgloss.Style // the current search match
	Added    lipgloss.Style
	Changed  lipgloss.Style
	Removed  lipgloss.Style
	Bar      lipgloss.Style // timing waterfall bars
	Input    lipgloss.Style // text typed into inputs
	Heading  lipgloss.Style // section headings inside panes
	QR       lipgloss.Style // a QR code: light modules on a dark ground, whatever the theme

	// Result boxes of terminal challenges, by outcome.
	ResultSuccess lipgloss.Style
	ResultDenied  lipgloss.Style
	ResultError   lipgloss.Style
	ResultNeutral lipgloss.Style

	// Dark reports whether the terminal background was dark when the
	// theme was built; it picks ChromaStyle.
	Dark bool
	// ChromaStyle names the chroma style for JSON highlighting.
	ChromaStyle string
}

// NewTheme derives the styles from the default palette. The first theme
// decides whether the terminal is dark (COLORFGBG and NO_COLOR first, else
// one bounded query: see internal/termbg), so build it before the Bubble
// Tea program starts reading input.
func NewTheme() *Theme { return NewThemeFrom(DefaultPalette()) }

// chromaStyleFor picks a JSON highlighting style readable on the background.
func chromaStyleFor(dark bool) string {
	if dark {
		return chromaDark
	}
	return chromaLight
}

// NewThemeFrom derives the styles from a palette.
func NewThemeFrom(p Palette) *Theme {
	dark := termbg.Dark()
	border := lipgloss.RoundedBorder()
	box := func(c lipgloss.AdaptiveColor) lipgloss.Style {
		return lipgloss.NewStyle().Border(border).BorderForeground(c).Padding(0, 1)
	}
	fg := lipgloss.NewStyle().Foreground
	return &Theme{
		Palette:      p,
		App:          lipgloss.NewStyle(),
		Header:       lipgloss.NewStyle().Foreground(p.Text).Padding(0, 1),
		HeaderTitle:  lipgloss.NewStyle().Bold(true).Foreground(p.Accent),
		HeaderState:  lipgloss.NewStyle().Bold(true),
		Pane:         lipgloss.NewStyle().Border(border).BorderForeground(p.Border),
		PaneFocused:  lipgloss.NewStyle().Border(border).BorderForeground(p.FocusBorder),
		PaneTitle:    fg(p.Faint).Bold(true),
		PaneTitleOn:  fg(p.FocusBorder).Bold(true),
		Tab:          fg(p.Faint).Padding(0, 1),
		TabActive:    fg(p.Text).Bold(true).Underline(true).Padding(0, 1),
		Faint:        fg(p.Faint),
		Bold:         lipgloss.NewStyle().Bold(true),
		Selected:     lipgloss.NewStyle().Background(p.SelectionBg).Foreground(p.SelectionFg),
		Method:       fg(p.Method).Bold(true),
		Status2xx:    fg(p.Status2xx),
		Status3xx:    fg(p.Status3xx),
		Status4xx:    fg(p.Status4xx),
		Success:      fg(p.Success).Bold(true),
		Warning:      fg(p.Warning),
		Error:        fg(p.Error).Bold(true),
		Info:         fg(p.Info),
		Label:        fg(p.Faint),
		LabelFocused: fg(p.FocusBorder).Bold(true),
		Secret:       fg(p.SecretFg),
		StatusLine:   fg(p.Faint).Padding(0, 1),
		HelpKey:      fg(p.Accent).Bold(true),
		HelpDesc:     fg(p.Faint),
		Overlay:      lipgloss.NewStyle().Border(border).BorderForeground(p.Accent).Padding(1, 2),
		Live:         fg(p.Success).Bold(true),
		Pending:      fg(p.Warning),
		Marker:       fg(p.Accent).Bold(true),
		Required:     fg(p.Error),
		Match:        lipgloss.NewStyle().Reverse(true),
		MatchOn:      lipgloss.NewStyle().Reverse(true).Bold(true).Foreground(p.Warning),
		Added:        fg(p.Success),
		Changed:      fg(p.Warning),
		Removed:      fg(p.Error).Strikethrough(true),
		Bar:          fg(p.Info),
		Input:        fg(p.Text),
		Heading:      fg(p.Accent).Bold(true),
		QR:           lipgloss.NewStyle().Foreground(lipgloss.Color("15")).Background(lipgloss.Color("0")),

		ResultSuccess: box(p.Success),
		ResultDenied:  box(p.Warning),
		ResultError:   box(p.Error),
		ResultNeutral: box(p.Border),

		Dark:        dark,
		ChromaStyle: chromaStyleFor(dark),
	}
}
