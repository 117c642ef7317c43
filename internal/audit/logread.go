package audit

import (
	"maps"
	"slices"
	"strings"
)

// LogReadEvent is the audit row of a read of the audit log itself: its
// rows say whose data was read (full citizen IDs and credit codes), by
// whom and for what, so reading them is a read of personal data too. The
// row names the reader and the filter as the reader gave it (its
// parameters in detail, several values of one joined by ","). A read of
// the log is refused, as every read of personal data is, when this row
// cannot be written.
func LogReadEvent(by Actor, filter map[string][]string) Event {
	var kv []string
	for _, k := range slices.Sorted(maps.Keys(filter)) {
		var vs []string
		for _, v := range filter[k] {
			if v = strings.TrimSpace(v); v != "" {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			kv = append(kv, k, strings.Join(vs, ","))
		}
	}
	return Event{Actor: by, Action: "audit.read", ObjectType: "audit_log", Detail: Detail(kv...)}
}
