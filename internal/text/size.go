package text

import "fmt"

// Size says a size of n bytes in Chinese, in the unit it is counted in:
// whole binary megabytes as MB (256 MB for 256 << 20), the unit Windows
// shows a file's size in, which users know and MiB they do not; else
// bytes. It is exact, so that a size over a limit is never said as the
// limit.
func Size(n int64) string {
	if n > 0 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d 字节", n)
}
