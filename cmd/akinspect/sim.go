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

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/akinspect/akinspect/sim"
)

const simLong = `Serves the embedded authentik-compatible simulator and prints its URL, flows,
users, passwords and current TOTP codes.`

func newSimCommand(stdout, stderr io.Writer) *cobra.Command {
	return subcommand(&cobra.Command{
		Use:               "sim [flags]",
		Short:             "serve the simulator",
		Long:              simLong,
		ValidArgsFunction: noFiles,
	}, &simCommand{}, stdout, stderr)
}

// simCommand is `akinspect sim`'s flags.
type simCommand struct {
	addr     string
	legacy   bool
	slow     time.Duration
	users    int
	usersCSV string
}

func (o *simCommand) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.addr, "addr", "127.0.0.1:9000", "`address` to listen on")
	fs.BoolVar(&o.legacy, "legacy", false, "speak the authentik 2023.10 shapes (with the legacy type field)")
	fs.DurationVar(&o.slow, "slow", 4*time.Second, "how long the duo-push stage takes")
	fs.IntVar(&o.users, "users", 0, "also create load1…loadN for akinspect load (password loadN-demo, TOTP secret in the banner)")
	fs.StringVar(&o.usersCSV, "users-csv", "", "write the --users accounts to this CSV `file` (username,password,totp secret) for akinspect load --users-file")
	_ = cobra.MarkFlagFilename(fs, "users-csv", "csv")
}

func (o *simCommand) run(_ []string, stdout, _ io.Writer) error {
	if o.users < 0 || o.users > sim.MaxLoadUsers {
		return exitf(exitUsage, "--users must be between 0 and %d", sim.MaxLoadUsers)
	}
	if o.usersCSV != "" {
		if o.users == 0 {
			return exitf(exitUsage, "--users-csv needs --users N")
		}
		if err := writeFile(o.usersCSV, func(w io.Writer) error { return writeLoadUsersCSV(w, o.users) }); err != nil {
			return exitf(exitUsage, "%v", err)
		}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return exitf(exitTransport, "listen on %s: %v", o.addr, err)
	}
	s := sim.New(sim.Options{Legacy: o.legacy, SlowDelay: o.slow, LoadUsers: o.users})
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
