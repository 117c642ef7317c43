package records

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// MaxPurpose is the most characters of a read's purpose: a sentence or a
// case's acceptance number, kept in every audit row of the read (a feed
// page audits up to 1,000 subjects, each row with the purpose).
const MaxPurpose = 200

// CheckPurpose validates the purpose a reader gives for reading subjects'
// data (?purpose=…) and returns it trimmed: one line of at most
// MaxPurpose characters, without control characters, nor format
// characters (text.HasFormat), which would make a purpose of them look
// blank in the audit log, or show it reversed: refused outright, not
// removed, so the row keeps what was sent. A purpose that shows nothing
// (text.Blank: only spaces, Hangul fillers, variation selectors, the
// braille blank) and holds no format character is no purpose: "", which
// the callers refuse as missing.
func CheckPurpose(s string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", nil
	case !text.Plain(s, false) || text.HasFormat(s):
		return "", errs.Field("purpose", "invalid_characters", "查询事由（purpose）含有控制字符、换行、不可见的格式字符（如零宽空格、BOM、文字方向控制符）或无效的字符编码，请删除后再提交")
	case text.Blank(s):
		return "", nil
	case utf8.RuneCountInString(s) > MaxPurpose:
		return "", errs.Field("purpose", "too_long", fmt.Sprintf("查询事由（purpose）不能超过 %d 个字", MaxPurpose))
	}
	return s, nil
}

// ReadEvent is the audit row of a read of a subject's data in an entry:
// the items served (comma-separated, Entry.Fields) and the reader's
// purpose.
func ReadEvent(by audit.Actor, action string, entryID int64, subject, fields, purpose string) audit.Event {
	return audit.Event{Actor: by, Action: action, ObjectType: "catalog_entry", ObjectID: strconv.FormatInt(entryID, 10),
		SubjectID: subject, Fields: fields, Purpose: strings.TrimSpace(purpose)}
}

// ReadOf is the audit row of a read of subject's record in entry e that
// serves vals (its values, or a page of its versions'): ReadEvent naming
// the items served, and the other subjects whose identifiers they hold
// (OtherSubjects), so that the read is found under each of them too.
func ReadOf(by audit.Actor, action string, e *Entry, subject string, vals []map[string]string, purpose string) audit.Event {
	ev := ReadEvent(by, action, e.ID, subject, e.Fields(vals), purpose)
	ev.Subjects = e.OtherSubjects(subject, vals)
	return ev
}

// OtherSubjects are the subjects other than subject whose identifiers
// vals hold: the values of e's items that name a person or a legal entity
// (catalog.IdentifierKind: a marriage's 男方公民身份号码 where the record is
// the wife's, a 不动产登记信息's 权利人证件号码, a 法定代表人证件号码), each in
// every form the audit log's filter by subject reads it in
// (AuditSubjectForms: a citizen ID upgraded to 18 digits, a permit's
// lifetime number), once; a value that is no identifier, or is subject in
// one of its forms, names none. Until 2026-12-05 a read was filed under
// its record's subject alone: the husband searching the log for his ID did
// not find who read the marriage record that served it.
func (e *Entry) OtherSubjects(subject string, vals []map[string]string) []string {
	var out []string
	for _, it := range e.Items {
		for _, v := range vals {
			out = otherSubject(out, subject, it.Name, v[it.Name])
		}
	}
	return out
}

// otherSubject appends to out, each once, the forms of value
// (AuditSubjectForms) when item names a person or a legal entity
// (catalog.IdentifierKind) and value is another subject than subject: the
// subjects a read that shows item's value serves beside its own, which
// every audited read names (OtherSubjects, DisputeReads,
// DiscrepancyReads).
func otherSubject(out []string, subject, item, value string) []string {
	if catalog.IdentifierKind(item) == "" {
		return out
	}
	forms := AuditSubjectForms(strings.TrimSpace(value))
	if slices.Contains(forms, subject) {
		return out
	}
	for _, f := range forms {
		if f != "" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// MissEvent is the audit row of a lookup of a subject that found no
// record (err, the lookup's answer): asking whether someone is in an
// entry leaves a trace too.
func MissEvent(by audit.Actor, action string, entryID int64, subject, purpose string, err error) audit.Event {
	ev := ReadEvent(by, action, entryID, strings.TrimSpace(subject), "", purpose)
	ev.Outcome, ev.Detail = audit.Failed, audit.Detail("reason", errs.As(err).Code)
	return ev
}

// DeniedEvent is the audit row of a read of a subject's data that the
// caller may not make (err: forbidden, share_consent_required,
// not_shared): a refused attempt at someone's data leaves a trace, as a
// lookup that finds nothing does. subject is empty for a change feed.
func DeniedEvent(by audit.Actor, action string, entryID int64, subject, purpose string, err error) audit.Event {
	ev := ReadEvent(by, action, entryID, strings.TrimSpace(subject), "", purpose)
	ev.Outcome, ev.Detail = audit.Denied, audit.Detail("reason", errs.As(err).Code)
	return ev
}

// DisputeReads are the audit rows of the other sources' values a record
// read shows beside its disputed items (Withhold's shown): reads of those
// entries.
func DisputeReads(by audit.Actor, subject, purpose string, shown []DisputedItem) []audit.Event {
	evs := make([]audit.Event, len(shown))
	for i, d := range shown {
		evs[i] = ReadEvent(by, "records.read", d.OtherEntryID, subject, d.OtherItem, purpose)
		evs[i].Subjects = otherSubject(nil, subject, d.OtherItem, d.OtherValue)
	}
	return evs
}

// DiscrepancyReads are the audit rows of a list of discrepancies shown:
// each shows the sources' values of a subject, and names the items whose
// values it shows (not those withheld, WithholdValues), once when they
// have one name (two sources' 姓名), and the other subjects those values
// identify (otherSubject: two sources' 配偶公民身份号码 name the spouses),
// so that each finds the read under their own identifier. Until
// 2026-12-05 a row was filed under the discrepancy's subject alone.
func DiscrepancyReads(by audit.Actor, ds []Discrepancy, purpose string) []audit.Event {
	evs := make([]audit.Event, len(ds))
	for i, d := range ds {
		var items, others []string
		if !d.ValueAWithheld {
			items = append(items, d.ItemA)
			others = otherSubject(others, d.SubjectID, d.ItemA, d.ValueA)
		}
		if !d.ValueBWithheld {
			if !slices.Contains(items, d.ItemB) {
				items = append(items, d.ItemB)
			}
			others = otherSubject(others, d.SubjectID, d.ItemB, d.ValueB)
		}
		fields := strings.Join(items, ",")
		evs[i] = audit.Event{Actor: by, Action: "records.discrepancy.read", ObjectType: "record_discrepancy",
			ObjectID: strconv.FormatInt(d.ID, 10), SubjectID: d.SubjectID, Fields: fields,
			Purpose: strings.TrimSpace(purpose), Subjects: others}
	}
	return evs
}

// DiscrepanciesDenied is the audit row of a list of discrepancies refused
// to by (err, a refusal): a denied records.discrepancy.read with the
// purpose, the subject asked about ("" when none), and in its detail the
// refusal's code as reason, then kv.
func DiscrepanciesDenied(by audit.Actor, subject, purpose string, err error, kv ...string) audit.Event {
	return audit.Event{Actor: by, Action: "records.discrepancy.read", ObjectType: "record_discrepancy",
		SubjectID: subject, Purpose: strings.TrimSpace(purpose), Outcome: audit.Denied,
		Detail: audit.Detail(append([]string{"reason", errs.As(err).Code}, kv...)...)}
}

// BatchRead is the audit row of a read of batch b, pushed by department
// dept, by reader, and whether the read needs one: a batch's warnings name
// its operations (their keys, masked subjects) and the items that
// disagree with the subjects' citizen IDs, data of those subjects' records,
// so every reader who opens a batch that has warnings — the pushing
// department's as the platform operator, who reads every department's —
// leaves a row naming the batch, its entry, the items warned of and the
// subjects (Warning.Subject): the first as the row's subject, the others
// as its Subjects, so that each finds the read under their own identifier.
// A batch without warnings holds counts only and needs no row. Until
// 2026-12-05 the pushing department's reads left none, and the operator's
// named no subject.
func BatchRead(by audit.Actor, b BatchResult) (audit.Event, bool) {
	if len(b.Warnings) == 0 {
		return audit.Event{}, false
	}
	var fields, subjects []string
	for _, w := range b.Warnings {
		if w.Field != "" && !slices.Contains(fields, w.Field) {
			fields = append(fields, w.Field)
		}
		if w.Subject != "" && !slices.Contains(subjects, w.Subject) {
			subjects = append(subjects, w.Subject)
		}
	}
	ev := audit.Event{Actor: by, Action: "records.batch.read", ObjectType: "record_batch",
		ObjectID: strconv.FormatInt(b.BatchID, 10), Fields: strings.Join(fields, ","),
		Detail: audit.Detail("entry_id", strconv.FormatInt(b.EntryID, 10))}
	if len(subjects) > 0 {
		ev.SubjectID, ev.Subjects = subjects[0], subjects[1:]
	}
	return ev, true
}
