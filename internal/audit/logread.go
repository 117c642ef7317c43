package audit

import (
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/text"
)

// maxLogReadValue is the most characters of one filter value an
// audit.read row keeps.
const maxLogReadValue = 100

// logReadInvalid stands in an audit.read row for a filter value that is
// not plain text (text.Plain, text.HasFormat).
const logReadInvalid = "（含无效字符，未记录）"

// LogReadEvent is the audit row of a read of the audit log itself: its
// rows say whose data was read (full citizen IDs and credit codes), by
// whom and for what, so reading them is a read of personal data too. The
// row names the reader and the filter as the reader gave it: the
// parameters named in params (any other the caller sent is left out, so
// that a reader cannot write arbitrary text into the chain), several
// values of one joined by ",", each kept to maxLogReadValue characters. A
// value that is not plain text (a control or format character such as a
// bidi override, or bytes that are not UTF-8) is kept as logReadInvalid,
// not as given: a refused read is recorded before its filter is checked,
// and the row is shown on the console and in exports. A read of the log
// is refused, as every read of personal data is, when this row cannot be
// written.
//
// A filter by one subject (subject_id from the API, subject from the
// console and the CLI) that is a valid identifier names it as the row's
// subject, as the rows of reads of its data name it (subjectNamed), so
// that the subject's filter with action audit.read finds who searched the
// log for that person or company.
func LogReadEvent(by Actor, filter map[string][]string, params []string) Event {
	var kv []string
	var subject string
	for _, k := range slices.Sorted(maps.Keys(filter)) {
		if !slices.Contains(params, k) {
			continue
		}
		var vs []string
		for _, v := range filter[k] {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			if !text.Plain(v, false) || text.HasFormat(v) {
				v = logReadInvalid
			}
			vs = append(vs, v)
		}
		if (k == "subject" || k == "subject_id") && len(vs) == 1 {
			subject = subjectNamed(vs[0])
		}
		if v := []rune(strings.Join(vs, ",")); len(v) > maxLogReadValue {
			kv = append(kv, k, string(v[:maxLogReadValue])+"…")
		} else if len(v) > 0 {
			kv = append(kv, k, string(v))
		}
	}
	return Event{Actor: by, Action: "audit.read", ObjectType: "audit_log", SubjectID: subject, Detail: Detail(kv...)}
}

// subjectNamed is s as an audit row names the subject of a read of its
// data: ident.ParseSubject's Named form, which records.ParseSubject reads
// too (records imports audit): a legal entity's code, a citizen ID as
// persons' records store it, or another document's number (a passport's
// E12345678); "" where s is none.
func subjectNamed(s string) string {
	f, err := ident.ParseSubject(s)
	if err != nil {
		return ""
	}
	return f.Named()
}

// LogFilter is the filter q of a read of the audit log from a URL's query
// as its audit.read row records it: each value of since and until as
// meant (text.QueryTime), the + of an offset sent unencoded restored, as
// the read applies it, where the row kept the space the query made of it.
// The API and the console pass their query through it to LogReadEvent,
// served or refused; the command line's flags are not URL-decoded and are
// recorded as typed.
func LogFilter(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, vs := range q {
		if k == "since" || k == "until" {
			meant := make([]string, len(vs))
			for i, v := range vs {
				meant[i] = text.QueryTime(url.Values{k: {v}}, k)
			}
			vs = meant
		}
		out[k] = vs
	}
	return out
}
