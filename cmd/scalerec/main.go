// Command scalerec writes a large recording the way a real session does:
// the simulator over loopback HTTP, akinspect's client (real cookie jar,
// CSRF, redirects) and the real recording writer (redacted, synced). It
// is the input of the 100,000-exchange benchmarks (BENCHMARKS.md):
//
//	go run ./cmd/scalerec -n 100000 -o /tmp/scale.akinspect.jsonl
//	akinspect open /tmp/scale.akinspect.jsonl
//
// Each flow run is a login as bob (no MFA) in a new session (an emptied
// jar): page, challenge, username, password, the redirect out. Every fifth
// types a wrong password first (a validation error); every fourth run
// instead opens the flow again in the session just logged in, which ends
// at once with the redirect. So the recording has what a real one has:
// retries, session rotation, new sessions and short runs.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/history"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

func main() {
	n := flag.Int("n", 100_000, "exchanges to record (at least)")
	out := flag.String("o", "", "recording file to create (required; never overwritten)")
	noSync := flag.Bool("no-sync", false, "skip the fsync after each line (faster; the file is the same)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "scalerec: -o FILE is required")
		os.Exit(2)
	}
	if err := record(*n, *out, *noSync); err != nil {
		fmt.Fprintln(os.Stderr, "scalerec:", err)
		os.Exit(1)
	}
}

const slug = "default-authentication-flow"

func record(n int, path string, noSync bool) error {
	srv := httptest.NewServer(sim.New(sim.Options{}))
	defer srv.Close()
	c, err := transport.New(transport.Config{BaseURL: srv.URL, Flow: slug, Query: "next=%2Fif%2Fuser%2F"})
	if err != nil {
		return err
	}
	c.Recorder().Retain(0) // the writer keeps them
	w, err := history.Create(path, history.Header{BaseURL: srv.URL, Flow: slug, Query: "next=%2Fif%2Fuser%2F"},
		history.WriterOptions{NoSync: noSync})
	if err != nil {
		return err
	}
	count := 0
	c.Recorder().Observe(func(*transport.Exchange) { count++ })
	stop := w.Observe(c.Recorder())
	start := time.Now()
	runs := 0
	for ; count < n; runs++ {
		var err error
		if runs%4 == 3 {
			err = again(c)
		} else {
			c.ResetJar()
			err = login(c, runs%5 == 4)
		}
		if err != nil {
			stop()
			w.Close()
			return fmt.Errorf("run %d: %w", runs+1, err)
		}
	}
	stop()
	if err := w.Close(); err != nil {
		return err
	}
	fmt.Printf("%s: %d exchanges in %d flow runs, %.1fs\n", path, count, runs, time.Since(start).Seconds())
	return nil
}

// login runs the flow once as bob; wrongFirst types a wrong password first.
func login(c *transport.Client, wrongFirst bool) error {
	ctx := context.Background()
	step, err := c.Start(ctx)
	if err != nil {
		return err
	}
	answers := []flow.Answer{answer(flow.ComponentIdentify, `"uid_field":"bob"`)}
	if wrongFirst {
		answers = append(answers, answer(flow.ComponentPassword, `"password":"not-bobs"`))
	}
	answers = append(answers, answer(flow.ComponentPassword, `"password":"bob-demo"`))
	for _, a := range answers {
		if step.Challenge == nil || step.Challenge.Component != a.Component {
			return fmt.Errorf("expected %s, the server sent %v", a.Component, component(step))
		}
		if step, err = c.Submit(ctx, a); err != nil {
			return err
		}
	}
	if component(step) != flow.ComponentRedirect {
		return fmt.Errorf("the login ended with %s, not a redirect", component(step))
	}
	return nil
}

// again opens the flow in a session that is logged in already.
func again(c *transport.Client) error {
	step, err := c.Start(context.Background())
	if err != nil {
		return err
	}
	if component(step) != flow.ComponentRedirect {
		return fmt.Errorf("a logged-in session got %s, not a redirect", component(step))
	}
	return nil
}

func answer(component, fields string) flow.Answer {
	return flow.Answer{Component: component, Body: []byte(`{"component":"` + component + `",` + fields + `}`)}
}

func component(s *transport.Step) string {
	if s == nil || s.Challenge == nil {
		return "no challenge"
	}
	return s.Challenge.Component
}
