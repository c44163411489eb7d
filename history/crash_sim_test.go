package history

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
	"github.com/akinspect/akinspect/sim"
	"github.com/akinspect/akinspect/transport"
)

const (
	crashSimEnv     = "AKINSPECT_HISTORY_CRASH_SIM"      // recording path
	crashSimDuoEnv  = "AKINSPECT_HISTORY_CRASH_SIM_DUO"  // logins before the Duo push; unset: never
	crashSimInFlyTo = "AKINSPECT_HISTORY_CRASH_SIM_WAIT" // how long the push blocks
)

// TestCrashSimSessionHelper is not a test on its own: the crash test runs
// the test binary again with crashSimEnv set, and this function then records
// a real simulator session (a transport.Client against an in-process sim,
// the Writer observing its recorder) until it is killed. It tells the
// parent on stdout "delivered N" after each exchange reached the writer's
// queue (the parent then waits until the file shows it synced), and
// "inflight" just before it sends the Duo push, which blocks in the sim.
func TestCrashSimSessionHelper(t *testing.T) {
	path := os.Getenv(crashSimEnv)
	if path == "" {
		t.Skip("helper process for TestWriterSurvivesSIGKILLDuringSimSession")
	}
	wait, _ := time.ParseDuration(os.Getenv(crashSimInFlyTo))
	s := sim.New(sim.Options{SlowDelay: wait})
	ts := httptest.NewServer(s)
	c, err := transport.New(transport.Config{BaseURL: ts.URL, Flow: "default-authentication-flow", Timeout: time.Hour})
	if err != nil {
		os.Exit(3)
	}
	w, err := Create(path, Header{BaseURL: ts.URL, Flow: "default-authentication-flow"}, WriterOptions{})
	if err != nil {
		os.Exit(3)
	}
	w.Observe(c.Recorder())
	c.Recorder().Observe(func(*transport.Exchange) { // after the writer's observer
		fmt.Printf("delivered %d\n", c.Recorder().Len())
	})
	duoAfter := -1
	if v := os.Getenv(crashSimDuoEnv); v != "" {
		duoAfter, _ = strconv.Atoi(v)
	}
	var alice sim.User
	for _, u := range s.Users() {
		if u.Username == "alice" {
			alice = u
		}
	}
	ctx := context.Background()
	must := func(step *transport.Step, err error) *flow.Challenge {
		if err != nil || step.Challenge == nil {
			os.Exit(4)
		}
		return step.Challenge
	}
	for i := 0; ; i++ {
		c.ResetJar() // each login in a new session, as N does
		if i == duoAfter {
			c.UseFlow("duo-push", "")
			must(c.Start(ctx))
			ch := must(c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username, "password": alice.Password}, "password")))
			fmt.Println("inflight")
			must(c.Submit(ctx, answer(flow.ComponentValidate, map[string]any{"duo": duoDevice(ch)})))
			os.Exit(5) // the parent kills before the push returns
		}
		c.UseFlow("default-authentication-flow", "next=%2F")
		must(c.Start(ctx))
		must(c.Submit(ctx, answer(flow.ComponentIdentify, map[string]any{"uid_field": alice.Username})))
		must(c.Submit(ctx, answer(flow.ComponentPassword, map[string]any{"password": alice.Password}, "password")))
		code, _ := flow.TOTP(alice.TOTPSecret, time.Now())
		must(c.Submit(ctx, answer(flow.ComponentValidate, map[string]any{"code": code}, "code")))
		must(c.Start(ctx)) // R: the logged-in session is sent on
	}
}

// duoDevice is the device_uid of the Duo device a validate challenge offers.
func duoDevice(ch *flow.Challenge) int {
	var devices []struct {
		Class string `json:"device_class"`
		UID   string `json:"device_uid"`
	}
	_ = json.Unmarshal(ch.Fields["device_challenges"], &devices)
	for _, d := range devices {
		if d.Class == "duo" {
			n, _ := strconv.Atoi(d.UID)
			return n
		}
	}
	return 0
}

// TestWriterSurvivesSIGKILLDuringSimSession kills a process recording a
// real simulator session at several points, some while a request is in
// flight (the Duo push blocks in the sim), and opens every file it left:
// each opens, holds every exchange the file showed whole before the kill,
// in order, split into its flow runs, and at most the last line is torn.
// The writer syncs on its own goroutine, so the kill waits until the file
// shows every exchange delivered so far: the crash then hits a writer that
// has caught up, and a kill during the push must lose nothing.
func TestWriterSurvivesSIGKILLDuringSimSession(t *testing.T) {
	if testing.Short() {
		t.Skip("starts helper processes")
	}
	cases := []struct {
		name      string
		duoAfter  string // logins before the Duo push; "" for none
		killAfter int    // confirmed exchanges before the kill; 0: at "inflight"
	}{
		{"after 1 exchange", "", 1},
		{"after 4 exchanges", "", 4},
		{"after 13 exchanges", "", 13},
		{"after 40 exchanges", "", 40},
		{"push in flight in the first flow", "0", 0},
		{"push in flight after two logins", "2", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sim"+Extension)
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSimSessionHelper$")
			cmd.Env = append(os.Environ(), crashSimEnv+"="+path, crashSimInFlyTo+"=1h")
			if tc.duoAfter != "" {
				cmd.Env = append(cmd.Env, crashSimDuoEnv+"="+tc.duoAfter)
			}
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			delivered, inflight := 0, false
			lines := bufio.NewScanner(out)
			for lines.Scan() {
				line := lines.Text()
				if n, ok := strings.CutPrefix(line, "delivered "); ok {
					delivered, _ = strconv.Atoi(n)
				}
				inflight = line == "inflight"
				if (tc.killAfter > 0 && delivered >= tc.killAfter) || (tc.killAfter == 0 && inflight) {
					break
				}
			}
			exited := make(chan struct{}) // reading stdout is over: Wait may run
			go func() { _ = cmd.Wait(); close(exited) }()
			t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
			if !inflight && delivered < tc.killAfter || tc.killAfter == 0 && !inflight {
				t.Fatalf("the recording process ended before the kill point (delivered %d)", delivered)
			}
			confirmed := waitForExchanges(t, path, delivered, exited)
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-exited
			checkKilledRecording(t, path, confirmed, inflight)
		})
	}
}

func checkKilledRecording(t *testing.T, path string, confirmed int, inflight bool) {
	t.Helper()
	rec, err := Open(path)
	if err != nil {
		t.Fatalf("file left by a killed recorder does not open: %v", err)
	}
	if rec.Len() < confirmed {
		t.Errorf("opened %d exchanges, but %d were on disk before the kill", rec.Len(), confirmed)
	}
	if len(rec.Warnings) > 1 || len(rec.Warnings) == 1 && !strings.HasPrefix(rec.Warnings[0], "last line was cut off") {
		t.Errorf("more than a torn last line: %v", rec.Warnings)
	}
	all, err := rec.All()
	if err != nil {
		t.Fatalf("reading the exchanges back: %v", err)
	}
	for i, e := range all {
		if e.ID != i+1 {
			t.Fatalf("exchange %d has ID %d: lost or reordered", i, e.ID)
		}
	}
	for _, f := range rec.Flows {
		if f.First < rec.Len() && rec.Summary(f.First).Kind != transport.KindPage {
			t.Errorf("flow run %+v does not begin with its page GET", f)
		}
	}
	if inflight {
		// The push never answered: the file ends on the challenge it answers.
		if rec.Len() != confirmed || all[len(all)-1].Component != flow.ComponentValidate {
			t.Errorf("killed during the push: %d exchanges (want %d), last %s", rec.Len(), confirmed, all[len(all)-1].Component)
		}
	}
}
