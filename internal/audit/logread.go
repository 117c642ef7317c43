package audit

import (
	"maps"
	"slices"
	"strings"
)

// maxLogReadValue is the most characters of one filter value an
// audit.read row keeps.
const maxLogReadValue = 100

// LogReadEvent is the audit row of a read of the audit log itself: its
// rows say whose data was read (full citizen IDs and credit codes), by
// whom and for what, so reading them is a read of personal data too. The
// row names the reader and the filter as the reader gave it: the
// parameters named in params (any other the caller sent is left out, so
// that a reader cannot write arbitrary text into the chain), several
// values of one joined by ",", each kept to maxLogReadValue characters. A
// read of the log is refused, as every read of personal data is, when
// this row cannot be written.
func LogReadEvent(by Actor, filter map[string][]string, params []string) Event {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(filter)) {
		if !slices.Contains(params, k) {
			continue
		}
		var vs []string
		for _, v := range filter[k] {
			if v = strings.TrimSpace(v); v != "" {
				vs = append(vs, v)
			}
		}
		if v := []rune(strings.Join(vs, ",")); len(v) > maxLogReadValue {
			kv = append(kv, k, string(v[:maxLogReadValue])+"…")
		} else if len(v) > 0 {
			kv = append(kv, k, string(v))
		}
	}
	return Event{Actor: by, Action: "audit.read", ObjectType: "audit_log", Detail: Detail(kv...)}
}
