package views

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

const totpSetup = `{"component":"ak-stage-authenticator-totp","pending_user":"bob","pending_user_avatar":"",
 "config_url":"otpauth://totp/authentik:bob?algorithm=SHA1&digits=6&issuer=authentik&period=30&secret=PECC4C4KPKJTNT24D5XEZNAB4KKLG2AN"}`

// A TOTP setup shows its otpauth URI as a QR code where the pane is wide
// enough, and says how to make it so where it is not.
func TestTOTPSetupShowsAQRCode(t *testing.T) {
	wide := ansi.Strip(newFocusedForm(t, totpSetup, 70, 60).View())
	if !strings.Contains(wide, "█ ▄▄▄▄▄ █") {
		t.Errorf("no QR code (finder pattern) in a 70-column form:\n%s", wide)
	}
	narrow := ansi.Strip(newFocusedForm(t, totpSetup, 36, 60).View())
	if strings.Contains(narrow, "▄▄▄▄▄") || !strings.Contains(narrow, "zooms this pane") {
		t.Errorf("a 36-column form should say how to see the QR code, not draw half of it:\n%s", narrow)
	}
	other := ansi.Strip(newFocusedForm(t, `{"component":"ak-stage-password","pending_user":"bob","pending_user_avatar":""}`, 70, 30).View())
	if strings.Contains(other, "QR") || strings.Contains(other, "▄▄▄▄▄") {
		t.Error("a QR code on a stage without a setup URL")
	}
}
