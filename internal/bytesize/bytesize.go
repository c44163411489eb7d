// Package bytesize writes a byte count for people, one way everywhere:
// the limits in history's and the HAR reader's warnings, the size of a
// body the TUI shows plain or is still rendering.
package bytesize

import "fmt"

// Text is n bytes for people: "512 B", "3.2 KiB", "100.0 MiB". Sizes of a
// GiB and more stay in MiB, as the limits they are compared with are
// written.
func Text(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
