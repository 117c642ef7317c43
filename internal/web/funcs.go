package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/records"
)

// funcs are the template functions. version maps static file names to
// content hashes for cache-busting URLs.
func funcs(version map[string]string) template.FuncMap {
	return template.FuncMap{
		"static": func(name string) string {
			if v, ok := version[name]; ok {
				return "/static/" + name + "?v=" + v
			}
			return "/static/" + name
		},
		"datetime":     formatTime,
		"date":         formatDate,
		"day":          formatDay,
		"weekday":      weekdayName,
		"scopeLabel":   func(s string) string { return org.Scopes[s] },
		"actionLabel":  audit.ActionDisplay,
		"outcomeLabel": audit.OutcomeLabel,
		"actorLabel":   audit.ActorKindLabel,
		"dayKind":      func(k calendar.Kind) string { return k.String() },
		"fieldLabel":   fieldLabel,
		"columnSource": func(s string) string { return columnSources[s] },
		"field":        newFieldErrors,
		"summary":      newSummary,
		"lockClock":    org.LockClock,
		"count":        formatCount,
		"textmax":      textMax,
	}
}

// textLimits are the limits of the console's fields of free text, in
// characters (code points, as the server counts them), by the name of
// the Go constant the server checks the field with: what textmax takes.
var textLimits = map[string]int{
	"catalog.MaxName":          catalog.MaxName,
	"catalog.MaxItemName":      catalog.MaxItemName,
	"catalog.MaxClassName":     catalog.MaxClassName,
	"catalog.MaxOther":         catalog.MaxOther,
	"catalog.MaxText":          catalog.MaxText,
	"catalog.MaxReasonChars":   catalog.MaxReasonChars,
	"catalog.MaxQueryChars":    catalog.MaxQueryChars,
	"catalogio.MaxMappingName": catalogio.MaxMappingName,
	"ident.MaxDocument":        ident.MaxDocument, // a subject's identifier (records.ParseSubject): none longer is valid
	"org.MaxDeptName":          org.MaxDeptName,
	"org.MaxShortName":         org.MaxShortName,
	"org.MaxDisplayName":       org.MaxDisplayName,
	"org.MaxAppName":           org.MaxAppName,
	"org.MaxDescription":       org.MaxDescription,
	"org.MaxSearch":            org.MaxSearch,
	"records.MaxPurpose":       records.MaxPurpose,
	"records.MaxNote":          records.MaxNote,
	"records.MaxKey":           records.MaxKey, // the subject of an entry about neither a person nor a legal entity
}

// textMax is the template function textmax: the maxlength attribute of
// a field of free text the server bounds by the limit named (textLimits),
// twice the limit. The server counts characters (code points), a
// browser's maxlength UTF-16 code units, two for each character beyond
// the Basic Multilingual Plane (CJK Extension B and later, 𠀀, common in
// personal and place names): at the limit itself, the browser would cut
// a name of them at half the length the server takes. At twice, every
// text the server takes can be typed, and the server refuses one longer
// (too_long) with its message.
func textMax(limit string) (int, error) {
	n, ok := textLimits[limit]
	if !ok {
		return 0, fmt.Errorf("textmax: no limit %q", limit)
	}
	return 2 * n, nil
}

// fieldErrors are one form field's refusals, for the templates "ferr"
// (the messages beside the field, each with its id) and "faria" (the
// field's aria-invalid, and its aria-describedby naming the messages and
// the field's hints).
type fieldErrors struct {
	ID       string   // the field's id
	Messages []string // the refusals, none when the field is as it should be
	Hints    []string // ids of the field's hints
}

// newFieldErrors is the template function field: the field whose input
// has the id id, refused with messages (a []string, or a string, "" for
// none), described also by the elements whose ids are hints.
func newFieldErrors(id string, messages any, hints ...string) (fieldErrors, error) {
	f := fieldErrors{ID: id, Hints: hints}
	switch m := messages.(type) {
	case nil:
	case []string:
		f.Messages = m
	case string:
		if m != "" {
			f.Messages = []string{m}
		}
	default:
		return f, fmt.Errorf("field %s: messages of type %T", id, messages)
	}
	return f, nil
}

// ErrorID is the id of the field's i-th message: the field's id and
// "-error", then "-error-2" and so on.
func (f fieldErrors) ErrorID(i int) string {
	if i == 0 {
		return f.ID + "-error"
	}
	return fmt.Sprintf("%s-error-%d", f.ID, i+1)
}

// DescribedBy is the field's aria-describedby: its messages' ids, then
// its hints'.
func (f fieldErrors) DescribedBy() string {
	ids := make([]string, 0, len(f.Messages)+len(f.Hints))
	for i := range f.Messages {
		ids = append(ids, f.ErrorID(i))
	}
	return strings.Join(append(ids, f.Hints...), " ")
}

// summaryItem is one refusal in a form's summary: its text and the
// fragment ("#id") of the field that shows it, "" for none.
type summaryItem struct {
	Text, Href string
}

// newSummary is the template function summary: the form's refusals,
// each linked to the input of its field, the id that ids (pairs of a
// form field's name and its input's id) give it, or the message its own.
func newSummary(messages []refusal, ids ...string) ([]summaryItem, error) {
	if len(ids)%2 != 0 {
		return nil, fmt.Errorf("summary: field %q without an id", ids[len(ids)-1])
	}
	byField := map[string]string{}
	for i := 0; i < len(ids); i += 2 {
		byField[ids[i]] = ids[i+1]
	}
	items := make([]summaryItem, len(messages))
	for i, m := range messages {
		id := m.ID
		if id == "" {
			id = byField[m.Field]
		}
		items[i] = summaryItem{Text: m.Text}
		if id != "" {
			items[i].Href = "#" + id
		}
	}
	return items, nil
}

// formatCount shows a count, an int or int64, with its thousands
// separated (171,505): for the eye only, never in an attribute or an
// export a program reads.
func formatCount(n any) (string, error) {
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	default:
		return "", fmt.Errorf("count of %T", n)
	}
	s := strconv.FormatInt(v, 10)
	sign := ""
	if v < 0 {
		sign, s = "-", s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return sign + b.String(), nil
}

// formatTime shows t in Beijing time to the second; nil or zero is "—".
func formatTime(t any) string {
	var v time.Time
	switch x := t.(type) {
	case time.Time:
		v = x
	case *time.Time:
		if x == nil {
			return "—"
		}
		v = *x
	}
	if v.IsZero() {
		return "—"
	}
	return v.In(calendar.Location()).Format("2006-01-02 15:04:05")
}

// formatDate shows t's date in Beijing time with its weekday, e.g.
// "2026年3月2日 星期一".
func formatDate(t time.Time) string {
	t = t.In(calendar.Location())
	return t.Format("2006年1月2日") + " " + weekdayName(t.Weekday())
}

// formatDay shows a calendar day as prose does, e.g. "2026年10月1日", as
// formatDate shows a time's day.
func formatDay(d calendar.Date) string {
	return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func weekdayName(d time.Weekday) string { return weekdayNames[d] }
