package transport

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// A connection dropped mid-request is reported without the request URL,
// whose query can hold an email link's flow_token.
func TestNetworkErrorsLeaveTheFlowTokenOut(t *testing.T) {
	f := newFakeAK(t)
	f.executor(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	})
	const token = "FlowTokenSecret42"
	c, err := New(Config{BaseURL: f.URL, Flow: testSlug, Query: "flow_token=" + token})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Start(context.Background())
	if err == nil {
		t.Fatal("want an error from a dropped connection")
	}
	if strings.Contains(err.Error(), token) {
		t.Errorf("the error carries the flow token: %v", err)
	}
	for _, x := range c.Recorder().Exchanges() {
		if strings.Contains(x.Error, token) {
			t.Errorf("exchange #%d error carries the flow token: %s", x.ID, x.Error)
		}
	}
}
