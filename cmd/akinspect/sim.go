package main

import (
	"context"
	"encoding/csv"
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
	users := fs.Int("users", 0, "also create load1…loadN for akinspect load (password loadN-demo, TOTP secret in the banner)")
	usersCSV := fs.String("users-csv", "", "write the --users accounts to this CSV file (username,password,totp secret) for akinspect load --users-file")
	if _, err := parseArgs(fs, args); err != nil {
		return err
	}
	if *users < 0 || *users > sim.MaxLoadUsers {
		return exitf(exitUsage, "--users must be between 0 and %d", sim.MaxLoadUsers)
	}
	if *usersCSV != "" {
		if *users == 0 {
			return exitf(exitUsage, "--users-csv needs --users N")
		}
		if err := writeFile(*usersCSV, func(w io.Writer) error { return writeLoadUsersCSV(w, *users) }); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return exitf(exitTransport, "listen on %s: %v", *addr, err)
	}
	s := sim.New(sim.Options{Legacy: *legacy, SlowDelay: *slow, LoadUsers: *users})
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

// writeLoadUsersCSV writes the simulator's load accounts as akinspect load
// --users-file reads them.
func writeLoadUsersCSV(w io.Writer, n int) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"username", "password", "totp_secret"}); err != nil {
		return err
	}
	for i := 1; i <= n; i++ {
		u := sim.LoadUser(i)
		if err := cw.Write([]string{u.Username, u.Password, u.TOTPSecret}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
