package sim

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/akinspect/akinspect/flow"
)

func TestDuoPushWaitsThenLogsIn(t *testing.T) {
	_, ts := newSim(t, Options{SlowDelay: 20 * time.Millisecond})
	c := newClient(t, ts, false).start("duo-push", "")
	ch := c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice", "password": "alice-demo"})
	wantComponent(t, ch, flow.ComponentValidate)
	var devices []struct {
		DeviceClass string `json:"device_class"`
		DeviceUID   string `json:"device_uid"`
	}
	_ = ch.Get("device_challenges", &devices)
	if len(devices) != 1 || devices[0].DeviceClass != "duo" {
		t.Fatalf("devices %s", ch.Raw)
	}
	pk, _ := strconv.Atoi(devices[0].DeviceUID)
	wantRedirect(t, c.post(map[string]any{"component": flow.ComponentValidate, "duo": pk}), "/")

	// Wrong device: get_object_or_404 inside the serializer → flow error.
	c2 := newClient(t, ts, false).start("duo-push", "")
	c2.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice", "password": "alice-demo"})
	wantComponent(t, c2.post(map[string]any{"component": flow.ComponentValidate, "duo": 9999}), flow.ComponentFlowError)
}

func TestDuoPushHonoursCancellation(t *testing.T) {
	s, ts := newSim(t, Options{SlowDelay: time.Hour})
	c := newClient(t, ts, false).start("duo-push", "")
	c.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "alice", "password": "alice-demo"})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.executorURL(), nil)
	req.Header.Set("Content-Type", "application/json")
	done := make(chan error, 1)
	go func() {
		_, err := c.hc.Do(withBody(req, c.answer(map[string]any{"component": flow.ComponentValidate, "duo": 6})))
		done <- err
	}()
	waitFor(t, func() bool { return s.waiting.Load() == 1 })
	// While the push waits, the session is not locked: a GET still answers.
	wantComponent(t, c.get(), flow.ComponentValidate)
	cancel()
	if err := <-done; err == nil {
		t.Fatal("a cancelled push request returned a response")
	}
	// The handler stops waiting (an hour) once the client is gone.
	waitFor(t, func() bool { return s.waiting.Load() == 0 })
	wantComponent(t, c.get(), flow.ComponentValidate)
}

func TestTOTPSetupThenStaticCodes(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		_, ts := newSim(t, Options{Legacy: legacy})
		c := newClient(t, ts, legacy)
		c.login("bob", "bob-demo", "")
		c.csrf = true
		c.start("default-authenticator-totp-setup", "")
		ch := c.get()
		wantComponent(t, ch, flow.ComponentTOTPSetup)
		u, err := url.Parse(ch.String("config_url"))
		if err != nil || u.Scheme != "otpauth" || u.Query().Get("secret") == "" {
			t.Fatalf("config_url %q", ch.String("config_url"))
		}
		secret := u.Query().Get("secret")
		var wrong, right any = "000001", totpNow(t, secret)
		if legacy {
			n, _ := strconv.Atoi(right.(string))
			wrong, right = 1, n
		}
		wantError(t, c.post(map[string]any{"component": flow.ComponentTOTPSetup, "code": wrong}), "code", "Code does not match", "invalid")
		ch = c.post(map[string]any{"component": flow.ComponentTOTPSetup, "code": right})
		wantComponent(t, ch, flow.ComponentStaticSetup)
		var codes []string
		_ = ch.Get("codes", &codes)
		if len(codes) != 6 {
			t.Fatalf("codes %s", ch.Raw)
		}
		wantRedirect(t, c.post(map[string]any{"component": flow.ComponentStaticSetup}), "/")

		// bob now has MFA: a new login asks for it and takes a new recovery code.
		c2 := newClient(t, ts, legacy).start("default-authentication-flow", "")
		c2.post(map[string]any{"component": flow.ComponentIdentify, "uid_field": "bob"})
		ch = c2.post(map[string]any{"component": flow.ComponentPassword, "password": "bob-demo"})
		wantComponent(t, ch, flow.ComponentValidate)
		wantRedirect(t, c2.post(map[string]any{"component": flow.ComponentValidate, "code": codes[0]}), "/")
	}
}

func TestTOTPSetupNeedsALogin(t *testing.T) {
	_, ts := newSim(t, Options{})
	c := newClient(t, ts, false).start("default-authenticator-totp-setup", "")
	wantDenied(t, c.get(), "Flow does not apply to current user.")
}
