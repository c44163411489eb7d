package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/akinspect/akinspect/sim"
)

const simUsage = `Usage: akinspect sim [flags]

Serves the embedded authentik-compatible simulator and prints its URL, flows,
users, passwords and current TOTP codes.

Flags:
`

func cmdSim(args []string, stdout, stderr io.Writer) error {
	fs := newCommand("sim", simUsage, stderr)
	addr := fs.String("addr", "127.0.0.1:9000", "address to listen on")
	legacy := fs.Bool("legacy", false, "speak the authentik 2023.10 shapes (with the legacy type field)")
	slow := fs.Duration("slow", 4*time.Second, "how long the duo-push stage takes")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return exitf(exitTransport, "listen on %s: %v", *addr, err)
	}
	s := sim.New(sim.Options{Legacy: *legacy, SlowDelay: *slow})
	base := "http://" + ln.Addr().String()
	fmt.Fprintln(stdout, s.Banner(base))
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return exitf(exitTransport, "%v", err)
	}
	return nil
}
