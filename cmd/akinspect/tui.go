package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/akinspect/akinspect/model"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

const tuiUsage = `Usage: akinspect <flow-url> [flags]
       akinspect --url https://auth.example.com --flow <slug> [flags]

Opens the split-view debugger on a live authentik flow. Press ? inside for keys.

Flags:
`

func cmdTUI(args []string, stderr io.Writer) error {
	fs := newCommand("akinspect", tuiUsage, stderr)
	var target targetFlags
	target.register(fs)
	var record recordFlags
	record.register(fs)
	var tui tuiFlags
	tui.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return exitf(exitUsage, "unknown command %q (see akinspect --help)", pos[0])
	}
	if p := first(pos); p != "" && !strings.Contains(p, "/") {
		return exitf(exitUsage, "unknown command %q: use demo, run, open, replay, export, sim or version, or give a flow URL", p)
	}
	sess, err := target.session(first(pos), &record, stderr)
	if err != nil {
		return err
	}
	defer sess.close()
	opts := sess.modelOptions()
	if err := tui.apply(&opts); err != nil {
		return err
	}
	return runProgram(model.New(opts))
}

const demoUsage = `Usage: akinspect demo [flags]

Starts the embedded simulator on a free loopback port and opens the TUI on its
default authentication flow, with the demo users and their codes in a banner.

Flags:
`

func cmdDemo(args []string, stderr io.Writer) error {
	fs := newCommand("demo", demoUsage, stderr)
	legacy := fs.Bool("legacy", false, "simulate authentik 2023.10 (legacy shapes)")
	slow := fs.Duration("slow", 4*time.Second, "how long the duo-push stage takes")
	var record recordFlags
	record.register(fs)
	var tui tuiFlags
	tui.register(fs)
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	s := sim.New(sim.Options{Legacy: *legacy, SlowDelay: *slow})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return exitf(exitTransport, "start the simulator: %v", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	base := "http://" + ln.Addr().String()
	cfg := transport.Config{
		BaseURL: base,
		Flow:    "default-authentication-flow",
		// The simulator's admin token reads the inspector, so the demo
		// shows the flow plan beside an anonymous login.
		InspectorToken: s.AdminToken(),
		Timeout:        transport.DefaultTimeout,
		UserAgent:      "akinspect/" + version,
	}
	sess, err := openSession(cfg, &targetFlags{}, &record, stderr)
	if err != nil {
		return err
	}
	defer sess.close()
	var flows []model.FlowChoice
	for _, f := range s.Flows() {
		flows = append(flows, model.FlowChoice{Slug: f.Slug, Title: f.Title})
	}
	opts := sess.modelOptions()
	opts.DemoFunc = func() string { return s.Banner(base) }
	// The code field names the pending user's current code, so the
	// banner need not stay open while it is typed.
	opts.DemoTOTPSecret = func(user string) string {
		for _, u := range s.Users() {
			if u.Username == user {
				return u.TOTPSecret
			}
		}
		return ""
	}
	opts.Flows = flows
	if err := tui.apply(&opts); err != nil {
		return err
	}
	return runProgram(model.New(opts))
}

func runProgram(m tea.Model) error {
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion())
	if _, err := p.Run(); err != nil {
		return exitf(exitTransport, "%v", err)
	}
	return nil
}
