//go:build tools

// Package tools pins modules that only tests and later work import, so that
// `go mod tidy` keeps them while the code that uses them is being written.
package tools

import (
	_ "github.com/alecthomas/chroma/v2"
	_ "github.com/charmbracelet/bubbles/key"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/charmbracelet/x/ansi"
	_ "github.com/charmbracelet/x/exp/golden"
	_ "github.com/charmbracelet/x/exp/teatest"
	_ "github.com/getkin/kin-openapi/openapi3"
	_ "github.com/muesli/termenv"
	_ "golang.org/x/net/publicsuffix"
)
