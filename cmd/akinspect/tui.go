package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/model"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

// tuiCommand is `akinspect <flow-url>`'s flags: the root command's own.
// It opens the split-view debugger on a live authentik flow.
type tuiCommand struct {
	target targetFlags
	record recordFlags
	tui    tuiFlags
}

func (o *tuiCommand) register(fs *pflag.FlagSet) {
	o.target.register(fs)
	o.record.register(fs)
	o.tui.register(fs)
}

// run opens the TUI on the flow of pos (checked by checkFlowArg) or of
// --url and --flow.
func (o *tuiCommand) run(pos []string, _, stderr io.Writer) error {
	sess, err := o.target.session(first(pos), &o.record, stderr)
	if err != nil {
		return err
	}
	defer sess.close()
	opts := sess.modelOptions()
	if err := o.tui.apply(&opts); err != nil {
		return err
	}
	return runProgram(model.New(opts))
}

const demoLong = `Starts the embedded simulator on a free loopback port and opens the TUI on its
default authentication flow, with the demo users and their codes in a banner.`

func newDemoCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "demo [flags]",
		Short:             "open the TUI on the embedded simulator",
		Long:              demoLong,
		ValidArgsFunction: noFiles,
	}, &demoCommand{}, stdout, stderr)
}

// demoCommand is `akinspect demo`'s flags.
type demoCommand struct {
	legacy bool
	slow   time.Duration
	record recordFlags
	tui    tuiFlags
}

func (o *demoCommand) register(fs *pflag.FlagSet) {
	fs.BoolVar(&o.legacy, "legacy", false, "simulate authentik 2023.10 (legacy shapes)")
	fs.DurationVar(&o.slow, "slow", 4*time.Second, "how long the duo-push stage takes")
	o.record.register(fs)
	o.tui.register(fs)
}

func (o *demoCommand) run(_ []string, _, stderr io.Writer) error {
	s := sim.New(sim.Options{Legacy: o.legacy, SlowDelay: o.slow})
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
	sess, err := openSession(cfg, &targetFlags{}, &o.record, stderr)
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
	if err := o.tui.apply(&opts); err != nil {
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
