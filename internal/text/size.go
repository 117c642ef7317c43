package text

import "fmt"

// Size says a size of n bytes in Chinese, in the unit it is counted in:
// whole binary megabytes as MiB (256 MiB for 256 << 20), else bytes. It is
// exact, so that a size over a limit is never said as the limit.
func Size(n int64) string {
	if n > 0 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d 字节", n)
}
