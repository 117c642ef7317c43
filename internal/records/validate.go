package records

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/text"
)

// Op kinds.
const (
	Add    = "add"
	Change = "change"
	Cancel = "cancel"
)

// Op is one operation pushed by a provider.
type Op struct {
	Op         string            `json:"op"`
	SubjectID  string            `json:"subject_id"`
	Values     map[string]string `json:"values,omitempty"`
	ProducedAt time.Time         `json:"produced_at"`
	Key        string            `json:"key,omitempty"` // idempotency key; derived from the content when empty
	// ReceivedAt is when the platform received an operation pushed on its
	// own (Pushes.Push; zero: when Push is called), before it waited for
	// its round: its timeliness is judged by it, its version stamped with
	// it, and produced_at may lie at most MaxClockSkew after it. The
	// operations of a batch are received at the batch's time of receipt.
	ReceivedAt time.Time `json:"-"`
	// forms are the forms subject_id's record may be stored under, its
	// canonical form first, where it has others (Entry.storedForms) or is
	// a lifetime number (lifetime): the ingest applies the operation to the
	// record found under one of them (resolveForms).
	forms []string
	// lifetime is set where subject_id is a travel permit's lifetime number
	// alone (H12345678) whose record may be stored under the whole number
	// of one of its permits (Entry.renewable): a record stored under one of
	// them, and none under forms, is the holder's (resolveForms).
	lifetime bool
}

// MaxKey bounds idempotency keys and free subject keys.
const MaxKey = 128

// LineError is a rejected line of a batch (line 1 is the first operation
// line; for CSV the header is line 1 and data starts at line 2), or a
// line accepted with a warning.
type LineError struct {
	Line   int    `json:"line"`
	Code   string `json:"code"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	// A warning names its operation, so that its source can find the
	// record where a line is no place it knows (operations pushed one at
	// a time, grouped into a batch): by the operation's key as the source
	// gave it ("" when it gave none), and by its subject masked
	// (maskSubject): a person's whole (ident.MaskValue: 440605**********08,
	// a passport or permit number all '*'), a legal entity's as the
	// request log masks it (ident.Mask: a code shorter than 15
	// characters, an organisation's, stays whole), so that those who
	// read a batch's warnings read no person's identifier. Warnings
	// stored before they were named have neither.
	Key           string `json:"key,omitempty"`
	SubjectMasked string `json:"subject_id_masked,omitempty"`
	// Subject is the operation's subject_id whole: kept with the batch
	// (encodeWarnings), never served, so that a read of the warnings is
	// audited under the subjects they name (BatchRead).
	Subject string `json:"-"`
}

func lineErr(line int, err error) LineError {
	if e := errs.As(err); e != nil {
		return LineError{Line: line, Code: e.Code, Field: e.Field, Reason: e.Message}
	}
	return LineError{Line: line, Code: "invalid", Reason: err.Error()}
}

// MaxClockSkew is how far after the platform's clock a produced_at may
// lie: the source systems' clocks are not the platform's. Data produced
// later than that has not been produced yet, and would count as on time
// for ever (the timeliness deadline runs from produced_at).
const MaxClockSkew = 5 * time.Minute

// MinProducedAt is the earliest produced_at taken: 1949-10-01 00:00 Beijing
// time. An earlier one is no time data on the platform was produced at but
// a default: 0001-01-01T00:00:00Z, which an unset date-time of many
// languages prints, would otherwise read as no produced_at given.
var MinProducedAt = time.Date(1949, 10, 1, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// implausibleProducedAt refuses a produced_at, as sent (s), before
// MinProducedAt; nil for t not before it.
func implausibleProducedAt(t time.Time, s string) error {
	if !t.Before(MinProducedAt) {
		return nil
	}
	return errs.Field("produced_at", "invalid_produced_at",
		"数据产生时间（produced_at）不是可信的时间（不能早于 1949-10-01 00:00:00 北京时间，可能是未设置的默认值）：“"+s+"”")
}

// beijingTime is t in Beijing time, formatted by layout and labelled
// （北京时间）, as a message shows a time to a source or client: beside
// the API's UTC times, and to a source system keeping UTC, an unlabelled
// Beijing time reads as one eight hours off.
func beijingTime(t time.Time, layout string) string {
	return t.In(calendar.Location()).Format(layout) + "（北京时间）"
}

// orderTimes writes the two produced_at an out_of_order refusal names,
// the newer data's and the refused operation's, in Beijing time
// (beijingTime): to the second, as sources send them, unless both fall
// in the same second, where a fraction tells them apart: milliseconds, or
// microseconds (the precision kept) when the milliseconds are the same
// too.
func orderTimes(newer, older time.Time) (string, string) {
	layout := "2006-01-02 15:04:05"
	switch {
	case !newer.Truncate(time.Second).Equal(older.Truncate(time.Second)):
	case !newer.Truncate(time.Millisecond).Equal(older.Truncate(time.Millisecond)):
		layout += ".000"
	default:
		layout += ".000000"
	}
	return beijingTime(newer, layout), beijingTime(older, layout)
}

// lineErrors are the errors of one line, more than one: each field's
// (normalize). errs.As finds the first.
type lineErrors []error

func (l lineErrors) Error() string {
	msgs := make([]string, len(l))
	for i, err := range l {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "；")
}

func (l lineErrors) Unwrap() []error { return l }

// lineErrs returns the errors of err, a line's (lineErrors or one), on
// the given line.
func lineErrs(line int, err error) []LineError {
	var l lineErrors
	if !errors.As(err, &l) {
		return []LineError{lineErr(line, err)}
	}
	out := make([]LineError, len(l))
	for i, err := range l {
		out[i] = lineErr(line, err)
	}
	return out
}

// lineError returns the errors found of a line: nil, the one, or
// lineErrors.
func lineError(found []error) error {
	switch len(found) {
	case 0:
		return nil
	case 1:
		return found[0]
	}
	return lineErrors(found)
}

// normalize validates op against e in memory and puts identifiers and
// values into their canonical form; now is the time of receipt. It needs
// no database. It returns the warnings of an operation it accepts (a
// credit code's wrong check character, checkDigitWarning), without their
// line. times reads the values of the items of type T, as the line's
// source reads its produced_at. A line with several bad fields is refused
// with each field's error (lineErrors): subject_id, produced_at, key and
// every item's value (the items of no name of e first, then e's items in
// its order), so that all are fixed at once; checks that need them valid
// (the identifying items against subject_id) follow only when they are.
func (e *Entry) normalize(op *Op, now time.Time, times timeForms) ([]LineError, error) {
	switch op.Op = strings.ToLower(strings.TrimSpace(op.Op)); op.Op {
	case Add, Change, Cancel:
	case "":
		return nil, errs.Field("op", "missing_op", "缺少操作类型（op），应为 add（新增）、change（变更）或 cancel（注销）")
	default:
		return nil, errs.Field("op", "invalid_op", "操作类型应为 add（新增）、change（变更）或 cancel（注销），实为“"+op.Op+"”")
	}
	var found []error
	typed := e.typedDocuments(op.Values)
	given := op.SubjectID
	id, w, err := e.subject(given, typed, times.spreadsheet)
	if err != nil {
		found = append(found, err)
	}
	op.SubjectID = id
	if err == nil {
		op.forms = e.storedForms(given, id)
		if op.lifetime = e.renewable(id, typed); op.lifetime && op.forms == nil {
			op.forms = []string{id}
		}
	}
	var warns []LineError
	if w != nil {
		warns = append(warns, *w)
	}
	switch {
	case op.ProducedAt.IsZero():
		found = append(found, errs.Field("produced_at", "missing_produced_at", "缺少数据产生时间（produced_at）"))
	case op.ProducedAt.Before(MinProducedAt):
		found = append(found, implausibleProducedAt(op.ProducedAt, beijingTime(op.ProducedAt, "2006-01-02 15:04:05")))
	default:
		op.ProducedAt = op.ProducedAt.UTC().Truncate(time.Microsecond)
		if op.ProducedAt.After(now.Add(MaxClockSkew)) {
			found = append(found, errs.Field("produced_at", "produced_at_in_future", fmt.Sprintf("数据产生时间（produced_at）为 %s，晚于平台当前时间 %s超过%d分钟，请检查来源系统的时钟",
				beijingTime(op.ProducedAt, "2006-01-02 15:04:05"), beijingTime(now, "2006-01-02 15:04:05"),
				int(MaxClockSkew/time.Minute))))
		}
	}
	if !text.Key(op.Key, MaxKey) {
		found = append(found, errs.Field("key", "invalid_key", "幂等键不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码"))
	}
	if op.Op == Change && len(op.Values) == 0 {
		// A change without values would only repeat the record.
		return nil, lineError(append(found, errs.Field("values", "missing_values", "变更操作需要至少一个信息项的新值")))
	}
	if op.Op == Cancel && len(op.Values) > 0 {
		// A cancel keeps the record's values: those sent with it would be
		// dropped without a word.
		return nil, lineError(append(found, errs.Field("values", "values_not_allowed", "注销操作不能带信息项的值：注销保留记录现有的值；如需先改值，请先推送变更操作（change），再推送注销")))
	}
	if err := e.itemNames(op.Values); err != nil {
		found = append(found, err...)
	}
	for i := range e.Items {
		it := &e.Items[i]
		v, ok := op.Values[it.Name]
		if !ok {
			continue
		}
		var td *typedDocument
		if t, ok := typed[i]; ok {
			td = &t
		}
		nv, w, err := checkValue(it, v, e.SubjectKind, times, td)
		if err != nil {
			found = append(found, err)
			continue
		}
		op.Values[it.Name] = nv
		if w != nil && nv != id {
			// The same code as subject_id is warned of once.
			warns = append(warns, *w)
		}
	}
	if len(found) > 0 {
		return nil, lineError(found)
	}
	if op.Op == Add && !e.holdsContent(id, op.Values) {
		// An add leaves its empty values out (an empty string, null, a
		// value of spaces): with no other it would make a record of
		// nothing, as it would with subject_id alone in its identifying
		// item.
		return nil, errs.Field("values", "missing_values", "新增操作需要至少一个信息项的非空值（空字符串和 null 不算，与主体标识（subject_id）相同的标识主体信息项如公民身份号码也不算）")
	}
	if err := e.checkSubjectItems(op); err != nil {
		return nil, err
	}
	return append(warns, e.citizenMismatch(id, op.Values)...), nil
}

// itemNames puts the values of vals under the names of their items: a
// value given by another spelling of an item's name (ItemIndex: 姓 名 for
// 姓名) is moved to the item's name. It refuses each name of no item of e
// (in name order, deleted from vals, so that the others are checked; the
// first errs.MaxKeyIssues named, the others counted in one more error),
// and two spellings of one item (duplicate_item), where one of the two
// values was kept at random (the item's values deleted).
func (e *Entry) itemNames(vals map[string]string) []error {
	var aliases, unknown []string
	for name := range vals {
		i := e.ItemIndex(name)
		if i < 0 {
			unknown = append(unknown, name)
		} else if e.Items[i].Name != name {
			aliases = append(aliases, name)
		}
	}
	var found []error
	slices.Sort(unknown)
	for i, name := range unknown {
		if i < errs.MaxKeyIssues {
			found = append(found, errs.Field(name, "unknown_item", fmt.Sprintf("数据资源 %s 没有信息项“%s”", e.Code, name)))
		}
		delete(vals, name)
	}
	if more := len(unknown) - errs.MaxKeyIssues; more > 0 {
		found = append(found, unlisted("unknown_item", "名称不是数据资源 "+e.Code+" 的信息项", more))
	}
	if aliases == nil {
		return found
	}
	if i, names := e.sameItem(slices.Collect(maps.Keys(vals))); names != nil {
		slices.Sort(names)
		for _, name := range names {
			delete(vals, name)
		}
		return append(found, errs.Field(e.Items[i].Name, "duplicate_item", fmt.Sprintf(
			"信息项“%s”重复出现（%s）：同一操作中一个信息项只能有一个值，请只保留其中一种写法", e.Items[i].Name, strings.Join(names, "、"))))
	}
	for _, name := range aliases {
		vals[e.Items[e.ItemIndex(name)].Name] = vals[name]
		delete(vals, name)
	}
	return found
}

// sameItem finds, among names (the item names of an operation, or the
// columns of a CSV header), two or more that name one item of e
// (ItemIndex): it returns the first such item in e's order and those
// names, in their order in names; nil when each item is named once. Names
// of no item are passed over.
func (e *Entry) sameItem(names []string) (int, []string) {
	byItem := make(map[int][]string, len(names))
	for _, name := range names {
		if i := e.ItemIndex(name); i >= 0 {
			byItem[i] = append(byItem[i], name)
		}
	}
	for i := range e.Items {
		if len(byItem[i]) > 1 {
			return i, byItem[i]
		}
	}
	return -1, nil
}

// holdsContent reports whether vals, the values of a record of subject
// (in canonical form) after an operation, say anything: whether one of
// them is not empty, of an item of e's published version (a value of an
// item removed from it stays stored, carried along by changes, but no
// reader is served it), and not that of an item identifying the subject
// that is subject itself, which only repeats subject_id (the other party's
// ID in a marriage's record says something). In an entry all of whose
// items identify the subject, a record is its identifiers: they count.
func (e *Entry) holdsContent(subject string, vals map[string]string) bool {
	idsOnly := e.valueItems() == 0
	for _, it := range e.Items {
		if v := vals[it.Name]; v != "" && (idsOnly || !it.IdentifiesSubject || v != subject) {
			return true
		}
	}
	return false
}

// birthItems and sexItems are the items, by key (catalog.ItemKey: 出生年月日
// is 出生日期), whose value a person's citizen ID states too (GB 11643: the
// birth date in its 7th to 14th digits, the sex in its 17th, odd for a man):
// the names the catalogs use for the subject's own birth date (出生时间, a
// birth certificate's, by its date in Beijing time) and sex. Items of
// others (母亲…, 男方…) are not among them.
var (
	birthItems = []string{"出生日期", "出生时间"}
	sexItems   = []string{"性别", "新生儿性别"}
)

// citizenMismatch returns a warning (subject_id_mismatch) for each value
// of vals, in canonical form, that contradicts what subject, the citizen ID
// of a person's record, states: a birth date (birthItems) other than its
// own, or a sex (sexItems: 男 or 女, also 男性, 女性 and the codes 1 and 2 of
// GB/T 2261.1) other than its own. One of the two is wrong, and which
// cannot be told, so the operation is applied. A value that is no date or
// no sex it reads, a subject that is no citizen ID (a passport number of
// an entry keyed by one; the 2023 permanent residence ID is one), and
// entries with several identifying items (whose items are of whom?), are
// not checked. The warning quotes neither value: its source knows what it
// sent, and others read a batch's warnings (the platform operator), to
// whom the ID's birth date, digits 7 to 14, would undo its mask.
func (e *Entry) citizenMismatch(subject string, vals map[string]string) []LineError {
	if e.SubjectKind != Person || len(vals) == 0 || e.identifyingItems() > 1 {
		return nil
	}
	var r ident.Result
	var rerr error
	var out []LineError
	for _, it := range e.Items {
		v := vals[it.Name]
		if v == "" || it.IdentifiesSubject {
			continue
		}
		var reason string
		switch {
		case slices.Contains(birthItems, it.key):
			d, ok := dateOf(v)
			if !ok {
				continue
			}
			if r.Input == "" {
				r, rerr = ident.CitizenID(subject)
			}
			if rerr != nil {
				return nil // no citizen ID: a passport's, a permit's
			}
			if d != r.Birth.Format("2006-01-02") {
				reason = "出生日期（第7至14位）"
			}
		case slices.Contains(sexItems, it.key):
			male, ok := sexOf(v)
			if !ok {
				continue
			}
			if r.Input == "" {
				r, rerr = ident.CitizenID(subject)
			}
			if rerr != nil {
				return nil
			}
			if male != r.Male {
				reason = "性别（第17位：奇数为男，偶数为女）"
			}
		}
		if reason != "" {
			out = append(out, LineError{Code: "subject_id_mismatch", Field: it.Name, Reason: fmt.Sprintf(
				"信息项“%s”的值与主体标识（subject_id）的公民身份号码所载%s不符：二者必有一误，已按原样接受，请核对；"+
					"如系该信息项有误，请推送变更更正；如系 subject_id 有误，请注销该记录后以正确的公民身份号码重新推送",
				it.Name, reason)})
		}
	}
	return out
}

// identifyingItems counts the items of e that identify the subject.
func (e *Entry) identifyingItems() int {
	n := 0
	for _, it := range e.Items {
		if it.IdentifiesSubject {
			n++
		}
	}
	return n
}

// dateOf reads a birth date item's value as YYYY-MM-DD: a date (type D,
// or text in a form parseDate reads) or a date-time's date in Beijing time
// (type T).
func dateOf(v string) (string, bool) {
	if d, err := parseDate(v); err == nil {
		return d, true
	}
	if t, err := ParseTime(v); err == nil {
		return t.In(calendar.Location()).Format("2006-01-02"), true
	}
	return "", false
}

// sexOf reads a sex item's value: male, and whether it states one.
func sexOf(v string) (male, ok bool) {
	switch v {
	case "男", "男性", "1":
		return true, true
	case "女", "女性", "2":
		return false, true
	}
	return false, false
}

// checkDigitWarning returns the warning for field's identifier r when it
// is a unified social credit code accepted with a wrong check character
// (identifier), naming the character GB 32100 computes (r.WantCheck) and
// the code masked as subject_id_masked is (ident.Mask): a batch's
// warnings are read by others than its source. It returns nil for any
// other identifier.
func checkDigitWarning(field string, r ident.Result) *LineError {
	return usccCheckWarning(field, "", "请注销该记录后以正确的代码重新推送", r)
}

// valueCheckDigitWarning is checkDigitWarning for a credit code that is
// an item's value beside its 证件类型 (typedDocument.check), not the
// record's subject: one corrected by a change.
func valueCheckDigitWarning(item string, r ident.Result) *LineError {
	return usccCheckWarning(item, "信息项“"+item+"”的", "请以 change 更正该信息项", r)
}

// usccCheckWarning is the warning of checkDigitWarning and
// valueCheckDigitWarning on field, whose reason names the code after of
// and says how to correct a code mistyped (fix); nil for r not a credit
// code with a wrong check character.
func usccCheckWarning(field, of, fix string, r ident.Result) *LineError {
	if r.Kind != ident.KindUSCC || r.WantCheck == 0 {
		return nil
	}
	return &LineError{Code: "uscc_check_digit", Field: field, Reason: of + "统一社会信用代码 " + ident.Mask(r.Normalized) + " 的校验码不符，应为 " +
		string(rune(r.WantCheck)) + "：早期赋码的部分代码如此，已按原样接受；如系录入错误，" + fix}
}

// checkSubjectItems refuses an operation whose items that identify the
// subject disagree with its subject_id: the record of one subject must not
// carry another's identifier. Where the entry has one such item, a value
// given for it is subject_id; where it has several (the two parties of a
// marriage), subject_id is one of them when all are given. Both are in
// canonical form. A change is checked again on the values its record
// holds after it (changeMismatch).
func (e *Entry) checkSubjectItems(op *Op) error {
	it := e.subjectMismatch(op.SubjectID, op.Values)
	if it == nil {
		return nil
	}
	return errs.Field(it.Name, "subject_mismatch", fmt.Sprintf("信息项“%s”的值（%s）与主体标识（subject_id）“%s”不一致",
		it.Name, clip(op.Values[it.Name]), op.SubjectID))
}

// subjectMismatch returns the first item that identifies the subject when
// every such item has a value in vals and none of them is subject; nil
// when they agree with subject (or the entry has none).
func (e *Entry) subjectMismatch(subject string, vals map[string]string) *Item {
	var first *Item
	for i := range e.Items {
		it := &e.Items[i]
		if !it.IdentifiesSubject {
			continue
		}
		if v := vals[it.Name]; v == "" || v == subject {
			return nil
		}
		if first == nil {
			first = it
		}
	}
	return first
}

// changeMismatch refuses a change by vals, the values its record holds
// after it: a change that clears every value the record holds
// (missing_values: a record of nothing, which an add may not make
// either; cancel is the operation that ends a record), counted as an add's
// are (holdsContent: the values of items removed from the entry and
// subject_id repeated in an identifying item are none), and a change that
// sets an item identifying the subject such that vals no longer name op's
// subject_id among those items: in a marriage's record, the other party
// given where subject_id was the one it replaces. The change alone passed
// checkSubjectItems, as the other party's stored value was not among its
// values.
func (e *Entry) changeMismatch(line int, op *Op, vals map[string]string) *LineError {
	if !e.holdsContent(op.SubjectID, vals) {
		return &LineError{Line: line, Code: "missing_values", Field: "values", Reason: "该变更清空了记录的全部信息项，变更后记录没有任何非空值" +
			"（与主体标识（subject_id）相同的标识主体信息项和已从数据资源中删除的信息项不计），不能如此变更：" +
			"如该记录应当作废，请推送注销操作（cancel）；如是更正，请在变更中同时给出新值"}
	}
	if le := e.typedChange(line, op, vals); le != nil {
		return le
	}
	var set *Item
	for i := range e.Items {
		if it := &e.Items[i]; it.IdentifiesSubject && op.Values[it.Name] != "" {
			set = it
			break
		}
	}
	if set == nil || e.subjectMismatch(op.SubjectID, vals) == nil {
		return nil
	}
	var held []string
	for _, it := range e.Items {
		if it.IdentifiesSubject {
			held = append(held, it.Name+"为 "+clip(vals[it.Name]))
		}
	}
	return &LineError{Line: line, Code: "subject_mismatch", Field: set.Name, Reason: fmt.Sprintf(
		"信息项“%s”变更为 %s 后，记录中标识主体的信息项（%s）均不是主体标识（subject_id）“%s”，请核对该信息项或主体标识",
		set.Name, clip(op.Values[set.Name]), strings.Join(held, "，"), op.SubjectID)}
}

// subjectID validates the subject identifier by the entry's subject kind
// and the items identifying its subject (Entry.identifier): for persons a
// citizen ID, or the number of the passport, travel permit, permanent
// residence ID or other document an entry keyed by one names its subjects
// by; unified social credit code, organisation code or business
// registration number for legal entities; for an entry of another subject,
// the identifier as otherKey stores it.
func (e *Entry) subjectID(s string) (string, error) {
	id, _, err := e.subject(s, nil, false)
	return id, err
}

// subject is subjectID that also returns the warning of an identifier
// accepted with one (checkDigitWarning). typed are the operation's
// 证件号码 items of a kind its 证件类型 names (typedDocuments): where one
// identifies the subject, subject_id is a number of that kind.
// spreadsheet is set for a line of a file a spreadsheet saved (CSV),
// whose subject_id is refused as what Excel made of a cell: a formula's
// error value (text.ExcelError), or a person's or legal entity's identifier
// in scientific notation (excelScientific).
func (e *Entry) subject(s string, typed map[int]typedDocument, spreadsheet bool) (string, *LineError, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil, errs.Field("subject_id", "missing_subject", "缺少主体标识（subject_id）")
	}
	if spreadsheet && text.ExcelError(s) {
		return "", nil, excelErrorErr("subject_id", "主体标识（subject_id）", s)
	}
	if e.SubjectKind == Person || e.SubjectKind == LegalEntity {
		if spreadsheet && excelScientific(s) {
			return "", nil, scientificErr("subject_id", "主体标识（subject_id）", s)
		}
		r, err := e.identifier(s, typed)
		return r.Normalized, checkDigitWarning("subject_id", r), fieldErr("subject_id", err)
	}
	if !text.Key(s, MaxKey) {
		return "", nil, errs.Field("subject_id", "invalid_subject", "主体标识不能超过128个字符，不能含有控制字符、非字符（如 U+FFFF）或无效的字符编码")
	}
	k, bad := otherKey(s)
	if bad != 0 {
		return "", nil, errs.Field("subject_id", "invalid_subject", fmt.Sprintf("主体标识（subject_id）含有不可见的字符 U+%04X（如零宽空格、BOM、文字方向控制符），请删除后重新推送", bad))
	}
	return k, nil, nil
}

// otherKey returns s, the identifier of a subject that is neither a
// person nor a legal entity (subject_id, or the value of an item
// identifying it) trimmed, in the form it is stored and compared in: its
// full-width letters and digits as ASCII (ＡＵＤＩＴ０００１ is AUDIT0001) and its
// spaces (the no-break space U+00A0, the ideographic space U+3000) as the
// ASCII space, as a Chinese input method or a spreadsheet types them. An
// identifier holding a character that shows nothing (text.Invisible) is
// refused: bad is the first such character, 0 for none. Without both,
// AUDIT0001, AUDIT0001 and a zero-width space, and ＡＵＤＩＴ０００１ were
// three records. Other full-width characters, the brackets and
// punctuation of a Chinese case number such as （2024）南海受字第0001号,
// stay as typed. A record stored before this fold under the identifier
// as given is still found under it (storedForms).
func otherKey(s string) (k string, bad rune) {
	if i := strings.IndexFunc(s, text.Invisible); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return "", r
	}
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r != ' ' && unicode.Is(unicode.Zs, r) {
			return ' '
		}
		if n := text.NarrowRune(r); n != r && ('0' <= n && n <= '9' || 'A' <= n && n <= 'Z' || 'a' <= n && n <= 'z') {
			return n
		}
		return r
	}, s)), 0
}

// documentForms are the validators of the forms a number in a 证件号码
// keying a person's entry is stored in (storedForms): as given (a
// 证件号码 of no kind given, ident.Document), and as the kind a 证件类型
// names stores it (a permit's lifetime number, a citizen ID of 18 digits).
var documentForms = []func(string) (ident.Result, error){ident.Document, ident.HKMOPermit, ident.TWPermit, ident.CitizenID}

// storedForms returns the forms the record of the subject s (as given;
// id, its canonical form for the operation or read) may be stored under
// in e, id first, or nil where it has no other. In an entry keyed by a
// 证件号码, a number has two forms where a 证件类型 naming its kind makes
// it shorter or longer: H1234567801 with 港澳居民来往内地通行证 is stored as
// the holder's lifetime number H12345678, without that type (or before
// 2026-12-05) whole, and a 15-digit citizen ID under 居民身份证 as its 18
// digits. A record is found under either (Get, the ingest's resolveForms),
// so that one holder has one record whatever type each operation gives.
// A lifetime number given alone (H12345678) has one form; the whole
// numbers a record of it may be stored under are Entry.renewable's.
// In an entry of another subject, s trimmed is the other form where it
// differs from id (otherKey): a record stored before 2026-12-06, when
// subject_id was stored as given (ＡＵＤＩＴ０００１, NH-2024　0002), is
// found, changed or cancelled under the identifier its provider still
// pushes, and an add of it is record_exists, not a second record.
func (e *Entry) storedForms(s, id string) []string {
	if e.SubjectKind != Person && e.SubjectKind != LegalEntity {
		if t := strings.TrimSpace(s); t != id {
			return []string{id, t}
		}
		return nil
	}
	if e.documentKey() < 0 {
		return nil
	}
	forms := []string{id}
	for _, v := range documentForms {
		if r, err := v(s); err == nil && !slices.Contains(forms, r.Normalized) {
			forms = append(forms, r.Normalized)
		}
	}
	if len(forms) == 1 {
		return nil
	}
	return forms
}

// renewable reports whether id, the canonical form of a subject of e (a
// person's entry keyed by a 证件号码), is the lifetime number of a 港澳 (H
// or M and 8 digits) or 台湾 (8 digits) travel permit and typed, the
// operation's 证件类型 items (typedDocuments; nil for a read), names no
// other kind for the keying item. Its record may be stored under the
// whole number of one of its permits (H1234567801: the lifetime number
// and 2 digits, renewalOf) where no 证件类型 named the permit (or before
// 2026-12-05): the 2 digits count the permits of one holder, so such a
// record is the holder's (renewed), unless its own 证件类型 names another
// kind (a passport M2234567801). Only where the record is not stored
// under id itself.
func (e *Entry) renewable(id string, typed map[int]typedDocument) bool {
	i := e.documentKey()
	if i < 0 {
		return false
	}
	k := permitKind(id)
	if k == ident.KindUnknown {
		return false
	}
	t, ok := typed[i]
	return !ok || t.kind == k
}

// renewalOf reports whether f is the whole number of a permit whose
// lifetime number is id: id and 2 digits.
func renewalOf(f, id string) bool {
	n := len(id)
	return len(f) == n+2 && strings.HasPrefix(f, id) && '0' <= f[n] && f[n] <= '9' && '0' <= f[n+1] && f[n+1] <= '9'
}

// permitKind returns the kind of travel permit whose lifetime number
// alone id (a canonical form) is: ident.KindHKMOPermit for H or M and 8
// digits, ident.KindTWPermit for 8 digits, ident.KindUnknown otherwise.
func permitKind(id string) ident.Kind {
	if r, err := ident.HKMOPermit(id); err == nil && r.Normalized == id {
		return ident.KindHKMOPermit
	}
	if r, err := ident.TWPermit(id); err == nil && r.Normalized == id {
		return ident.KindTWPermit
	}
	return ident.KindUnknown
}

// documentKey returns the index of the item keying e, a person's entry,
// by a 证件号码 of a kind not given (its 证件类型 beside it), -1 for none.
func (e *Entry) documentKey() int {
	if e.SubjectKind != Person {
		return -1
	}
	return slices.IndexFunc(e.Items, func(it Item) bool {
		return it.IdentifiesSubject && it.idKind(Person) == ident.KindDocument
	})
}

// renewed returns the whole number of a permit of id (a lifetime number,
// Entry.renewable; renewalOf) under which hs holds a record that is the
// holder's: a record whose 证件类型 names another kind than the permit's
// is another document's (a passport's). A live record comes first, as
// storedSubject and resolveForms prefer one: the holder's one live record
// is met whatever cancelled records of older permits remain. Where none
// is live, an add (add) meets none, "": a holder whose permits' records
// are all cancelled is added anew under the lifetime number as given,
// not by reviving an old permit's record; a read, a change or a cancel
// meets the one cancelled record (the change is refused as cancelled).
// "" where none is found; where several are (several live, or none live
// and several cancelled), the lifetime number names no one record (two
// permits of the holder stored apart, or a number of another document of
// the form stored without its type): subject_ambiguous, a conflict asking
// for the whole number. Until 2026-12-05 cancelled records counted with
// the live ones: one cancelled old permit's record made the lifetime
// number ambiguous, and an add revived it.
func (e *Entry) renewed(id string, hs map[string]head, add bool) (string, error) {
	k, key := permitKind(id), e.documentKey()
	var live, cancelled []string
	for f, h := range hs {
		if !renewalOf(f, id) {
			continue
		}
		if t, ok := e.typedDocuments(h.vals)[key]; ok && t.kind != k {
			continue
		}
		if h.op == Cancel {
			cancelled = append(cancelled, f)
		} else {
			live = append(live, f)
		}
	}
	found := live
	if len(live) == 0 && !add {
		found = cancelled
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	x := errs.Field("subject_id", "subject_ambiguous", ambiguousMessage(id, k, len(found)))
	x.Kind = errs.Conflict
	return "", x
}

// ambiguousMessage says that the lifetime number id of a permit of kind
// k begins the whole numbers of n records.
func ambiguousMessage(id string, k ident.Kind, n int) string {
	return fmt.Sprintf("证件号码 %s 是%s的终身号码，本数据资源中有%d条记录的证件号码是以它开头的完整号码（终身号码后加2位换证次数），无法确定是哪一条，请填写完整的证件号码",
		id, k.Label(), n)
}

// identifier validates s as the identifier of a subject of kind (Person
// or LegalEntity) and returns it, its canonical form in Normalized: a
// citizen ID for a person; for a legal entity a unified social credit
// code, an organisation code where none exists, or, for a market entity
// that has neither, its business licence's 15-digit registration number
// (工商注册号), told apart by length (ident.LegalEntity). A credit code
// whose check character is wrong is accepted as it is, with a warning,
// unless it has a citizen ID's shape (ident.LegalEntityMode, the rule
// departments' codes follow too). Its canonical form is the code trimmed
// and upper-cased, never "corrected", so that every source of that
// company names the same subject.
func identifier(kind, s string) (ident.Result, error) {
	if kind == Person {
		return ident.CitizenID(s)
	}
	return ident.LegalEntity(s, ident.LegalEntityMode(s))
}

// identify validates s as an identifier of kind k (Item.idKind): a
// citizen ID, a legal entity's code (ident.KindUSCC stands for all three,
// as identifier reads them) or the number of a person's other document;
// for a 证件类型 naming one (typedDocument.check), an organisation code
// (ident.KindOrgCode) or a business licence's number (ident.KindRegNo).
func identify(k ident.Kind, s string) (ident.Result, error) {
	switch k {
	case ident.KindUSCC:
		return identifier(LegalEntity, s)
	case ident.KindPassport:
		return ident.Passport(s)
	case ident.KindHKMOPermit:
		return ident.HKMOPermit(s)
	case ident.KindTWPermit:
		return ident.TWPermit(s)
	case ident.KindPermanentResidence:
		return ident.PermanentResidence(s)
	case ident.KindDocument:
		return ident.Document(s)
	case ident.KindOrgCode:
		return ident.OrgCode(s)
	case ident.KindRegNo:
		return ident.BusinessLicence(s)
	}
	return ident.CitizenID(s)
}

// personDocuments are the endings of the keys (catalog.ItemKey) of the
// items identifying a person (catalog.IdentifierKind) by a document other
// than the 居民身份证, and the kind of number each holds: 护照号码 (中国护照号码,
// 外国人护照号码), the travel permits of 港澳 and 台湾 residents, the
// foreigner's permanent residence ID of before 2023 (外国人永久居留证号码;
// 外国人永久居留身份证号码 is a 身份证号码, the citizen ID's form), and a
// 证件号码 beside its 证件类型 (身份证件号码 and 法定代表人证件号码 too),
// whose kind is not known. Tried in order: the first ending wins.
var personDocuments = []struct {
	ending string
	kind   ident.Kind
}{
	{"护照号码", ident.KindPassport}, {"护照号", ident.KindPassport},
	{"来往内地通行证号码", ident.KindHKMOPermit}, {"来往大陆通行证号码", ident.KindTWPermit},
	{"永久居留证号码", ident.KindPermanentResidence},
	{"身份证号码", ident.KindCitizenID}, {"证件号码", ident.KindDocument},
}

// idKind returns the kind of identifier the item holds when it
// identifies the subject of an entry of subject kind kind (Person or
// LegalEntity): ident.KindUSCC for a legal entity's (its code, whichever
// of the three); for a person's, the document its name ends in
// (personDocuments), else a citizen ID (公民身份号码 and its synonyms, and
// an item marked identifying before the catalog refused others, as 姓名).
func (it *Item) idKind(kind string) ident.Kind {
	if kind != Person {
		return ident.KindUSCC
	}
	k := it.key
	if k == "" {
		k = catalog.ItemKey(it.Name)
	}
	for _, d := range personDocuments {
		if strings.HasSuffix(k, d.ending) {
			return d.kind
		}
	}
	return ident.KindCitizenID
}

// typeEndings are the endings of the keys (catalog.ItemKey) of the items
// naming the kind of document whose number the item beside them holds
// (证件类型, or 证件种类 as some catalogs write it): the one of the same
// prefix as a 证件号码 item's (法定代表人证件类型 for 法定代表人证件号码,
// 身份证件类型 for 身份证件号码).
var typeEndings = []string{"证件类型", "证件种类"}

// typedDocument is a 证件号码 item of an operation whose 证件类型 item's
// value names a kind of document ident knows (ident.DocumentKind).
type typedDocument struct {
	kind     ident.Kind
	typeItem string // the 证件类型 item's name
	typeName string // its value, trimmed
}

// refuse returns err, the refusal of a number (what: the item's value or
// subject_id) as one of t's kind, on field and saying that the number is
// not of the 证件类型 given; its code stays the kind's (invalid_citizen_id,
// invalid_passport …), as for an item keyed by that kind.
func (t *typedDocument) refuse(field, what string, err error) error {
	x := errs.As(err)
	if x == nil {
		return err
	}
	c := *x
	c.Field = field
	c.Message = fmt.Sprintf("%s不是信息项“%s”所填证件类型“%s”的号码：%s", what, t.typeItem, clip(t.typeName), x.Message)
	return &c
}

// check validates v as a number of t's kind, as identify does, but that a
// 统一社会信用代码 is a credit code alone (identify's ident.KindUSCC takes
// a legal entity's three codes), in ident.LegalEntityMode (a wrong check
// character is a warning, checkDigitWarning, but in a number of a citizen
// ID's shape). Refused, a number that is a valid code of the other kind
// of subject (a citizen ID under 统一社会信用代码, a credit code under
// 居民身份证 or 护照) is said to be one, in place of the check's reason.
func (t *typedDocument) check(v string) (ident.Result, error) {
	var r ident.Result
	var err error
	if t.kind == ident.KindUSCC {
		r, err = ident.USCC(v, ident.LegalEntityMode(v))
	} else {
		r, err = identify(t.kind, v)
	}
	x := errs.As(err)
	if x == nil {
		return r, err
	}
	c := *x
	if legalKind(t.kind) {
		if _, err := ident.CitizenID(v); err == nil {
			c.Message = "该号码是公民身份号码（自然人的证件号码），不是法人和其他组织的" + t.kind.Label()
		}
	} else if _, err := ident.USCC(v, ident.Strict); err == nil {
		c.Message = "该号码是统一社会信用代码（法人和其他组织的证件号码），不是自然人的证件号码"
	}
	return r, &c
}

// legalKind reports whether k is the kind of a legal entity's code.
func legalKind(k ident.Kind) bool {
	return k == ident.KindUSCC || k == ident.KindOrgCode || k == ident.KindRegNo
}

// typedDocuments returns, by item index, the 证件号码 items of e (their
// key ends in 证件号码: 身份证件号码, 法定代表人证件号码) beside a 证件类型
// item (typeEndings) whose value in vals names a kind of document ident
// checks (ident.DocumentKind: 居民身份证, 护照, the travel permits, the
// permanent residence ID, a legal entity's 统一社会信用代码, 营业执照 and
// 组织机构代码, typedDocument.check); nil when there is none. An empty or unknown
// type (其他, 军官证) leaves its number a 证件号码 of no kind given. An item
// identifying a legal entity holds its code, whatever its name. vals are
// an operation's values, by any spelling of an item's name (itemNames
// moves them to the items' names later), or a record's, by item name.
func (e *Entry) typedDocuments(vals map[string]string) map[int]typedDocument {
	if len(vals) == 0 {
		return nil
	}
	var out map[int]typedDocument
	for i := range e.Items {
		it := &e.Items[i]
		prefix, ok := strings.CutSuffix(itemKey(it), "证件号码")
		if !ok || it.IdentifiesSubject && e.SubjectKind == LegalEntity {
			continue
		}
		for _, end := range typeEndings {
			j := e.ItemIndex(prefix + end)
			if j < 0 {
				continue
			}
			name := strings.TrimSpace(e.valueOf(vals, j))
			if k := ident.DocumentKind(name); k != ident.KindDocument {
				if out == nil {
					out = make(map[int]typedDocument)
				}
				out[i] = typedDocument{k, e.Items[j].Name, name}
			}
			break
		}
	}
	return out
}

// itemKey is it's key (catalog.ItemKey), made where the item was not
// indexed (Entry.index).
func itemKey(it *Item) string {
	if it.key != "" {
		return it.key
	}
	return catalog.ItemKey(it.Name)
}

// valueOf returns the value vals give item i of e, under its name or
// another spelling of it (ItemIndex); "" for none.
func (e *Entry) valueOf(vals map[string]string, i int) string {
	if v, ok := vals[e.Items[i].Name]; ok {
		return v
	}
	for name, v := range vals {
		if e.ItemIndex(name) == i {
			return v
		}
	}
	return ""
}

// typedChange refuses a change after which vals, the values its record
// holds, pair a 证件号码 with a 证件类型 (typedDocuments) of whose kind it
// is not a number, where the change gave one of the two and the record
// held the other: 证件类型 changed to 居民身份证 where the record holds a
// passport's number. A change that gives both was checked as an add is
// (normalize); one that gives neither leaves the pair as it was stored.
func (e *Entry) typedChange(line int, op *Op, vals map[string]string) *LineError {
	typed := e.typedDocuments(vals)
	for i := range e.Items {
		t, ok := typed[i]
		if !ok {
			continue
		}
		it := &e.Items[i]
		_, num := op.Values[it.Name]
		_, typ := op.Values[t.typeItem]
		v := vals[it.Name]
		if num == typ || v == "" {
			continue
		}
		if _, err := t.check(v); err != nil {
			field := it.Name
			if typ {
				field = t.typeItem
			}
			le := lineErr(line, t.refuse(field, "记录中信息项“"+it.Name+"”的值（"+clip(v)+"）", err))
			return &le
		}
	}
	return nil
}

// subjectKind is a kind of identifier the subjects of an entry are named
// by, and, for a 证件号码 item whose kind the operation's 证件类型 names,
// that item (nil for any other).
type subjectKind struct {
	kind  ident.Kind
	typed *typedDocument
}

// subjectKinds returns the kinds of identifier the subjects of e (a
// person's or legal entity's entry) are named by: those its items
// identifying the subject hold (idKind; for a 证件号码 item of typed, the
// kind its 证件类型 names), each once, the citizen ID first, then the kinds
// of a fixed form (the travel permits, the permanent residence ID), the
// passport, and the 证件号码 of no kind given last; a citizen ID (persons)
// or a legal entity's code when it has no such item.
func (e *Entry) subjectKinds(typed map[int]typedDocument) []subjectKind {
	var kinds []subjectKind
	for i := range e.Items {
		it := &e.Items[i]
		if !it.IdentifiesSubject {
			continue
		}
		k := subjectKind{kind: it.idKind(e.SubjectKind)}
		if t, ok := typed[i]; ok {
			k = subjectKind{t.kind, &t}
		}
		if !slices.ContainsFunc(kinds, func(o subjectKind) bool { return o.kind == k.kind }) {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		kinds = append(kinds, subjectKind{kind: (&Item{}).idKind(e.SubjectKind)})
	}
	slices.SortStableFunc(kinds, func(a, b subjectKind) int { return kindOrder(a.kind) - kindOrder(b.kind) })
	return kinds
}

// kindOrder orders the kinds of subjectKinds: the strictest first.
func kindOrder(k ident.Kind) int {
	switch k {
	case ident.KindCitizenID, ident.KindUSCC:
		return 0
	case ident.KindPassport:
		return 2
	case ident.KindDocument:
		return 3
	}
	return 1
}

// identifier validates s as the identifier of a subject of e and returns
// it in canonical form: as the first kind of identifier its subjects are
// named by (subjectKinds) that takes it. An entry keyed by a 护照号码 names
// its subjects by passport numbers; one of a marriage keyed by 男方公民身份号码
// and 女方护照号码 by either; one keyed by a 证件号码 whose 证件类型 the
// operation gives as 护照 (typed) by passport numbers too. Taken by none, s
// is refused with the error of the kind (naming the 证件类型 it is not of,
// typedDocument.refuse), or, for several, invalid_identifier with each
// one's message.
func (e *Entry) identifier(s string, typed map[int]typedDocument) (ident.Result, error) {
	kinds := e.subjectKinds(typed)
	var first error
	var msgs []string
	for _, k := range kinds {
		if k.typed != nil && legalKind(k.kind) && e.SubjectKind == Person {
			return ident.Result{Input: s}, errs.Field("subject_id", "invalid_document_type", fmt.Sprintf(
				"信息项“%s”所填证件类型“%s”是法人和其他组织的证件，本数据资源的主体是自然人：主体标识（subject_id）应为自然人的证件号码，证件类型应为居民身份证、护照等自然人的证件",
				k.typed.typeItem, clip(k.typed.typeName)))
		}
		r, err := identify(k.kind, s)
		if k.typed != nil {
			r, err = k.typed.check(s)
		}
		if err == nil {
			return r, nil
		}
		if k.typed != nil {
			err = k.typed.refuse("subject_id", "主体标识（subject_id）", err)
		}
		if first == nil {
			first = err
		}
		if x := errs.As(err); x != nil {
			msgs = append(msgs, x.Message)
		}
	}
	if len(kinds) == 1 || len(msgs) != len(kinds) {
		return ident.Result{Input: s}, first
	}
	c := *errs.As(first)
	c.Code, c.Message = ident.CodeIdentifier, "不是本数据资源标识主体的任何一种证件号码："+strings.Join(msgs, "；")
	return ident.Result{Input: s}, &c
}

// SubjectForms are the canonical forms an identifier typed without its
// kind takes as the subject of each kind's records (Entry.identifier): a
// person's citizen ID, a legal entity's code and the other documents'
// numbers (ident.SubjectForms, which the audit package reads too).
type SubjectForms = ident.SubjectForms

// ParseSubject reads s, an identifier typed to find a subject of any
// kind, into the forms records store it in (ident.ParseSubject): valid
// as neither a citizen ID nor a legal entity's code, as another
// document's number, except one of either code's shape mistyped (17 or 19
// digits), which no document's validator takes; valid as nothing, the
// error of ident.Validate.
func ParseSubject(s string) (SubjectForms, error) { return ident.ParseSubject(s) }

// MaxNote is the most characters of a note a department writes: feedback
// on a discrepancy, the note of its resolution or of a timeliness rule.
// A note's line breaks are stored as line feeds (text.LineFeeds), as a
// text value's, so that the same note sent as JSON (LF) and from the
// console's form (a textarea sends CR LF) is the same note, counted
// alike.
const MaxNote = 1000

// checkNote refuses a note with control characters but tabs and line
// breaks (NUL, which PostgreSQL does not store, among them), with format
// characters (text.HasFormat: zero-width, BOM, bidi controls, which would
// show it blank or reversed in the console and the audit log) or longer
// than MaxNote; label names the field in the message.
func checkNote(field, label, s string) error {
	switch {
	case !text.Plain(s, true) || text.HasFormat(s):
		return errs.Field(field, "invalid_characters", label+"含有控制字符（换行和制表符除外）、不可见的格式字符（如零宽空格、BOM、文字方向控制符）或无效的字符编码，请删除后再提交")
	case utf8.RuneCountInString(s) > MaxNote:
		return errs.Field(field, "too_long", fmt.Sprintf("%s不能超过 %d 个字", label, MaxNote))
	}
	return nil
}

// excelScientific reports whether s is wholly a number as Excel shows
// one of 12 digits or more in scientific notation, a digit from 1 to 9,
// maybe a fraction, E+ and an exponent from 11 to 307 (4.40605E+17, what
// Excel saves for an 18-digit number typed into a cell not formatted as
// text; 1E+100): in a CSV file's text item or identifier it is a number
// whose digits Excel dropped, not a value. Excel and WPS hold numbers up
// to 9.99999999999999E+307 and write the exponent without leading zeros.
// Excel shows a number of 11 digits or fewer whole, and a small one
// (1.5E-06) with its digits: text of either is a value.
func excelScientific(s string) bool {
	return len(s) >= 5 && s[0] >= '1' && s[0] <= '9' && scientific.MatchString(s)
}

var scientific = regexp.MustCompile(`^[1-9](\.[0-9]{1,14})?[Ee]\+(1[1-9]|[2-9][0-9]|[12][0-9]{2}|30[0-7])$`)

// scientificErr refuses v, in scientific notation (excelScientific), as
// the value of field, which label names in the message.
func scientificErr(field, label, v string) error {
	return errs.Field(field, "excel_scientific_notation", label+"疑似被 Excel 转为科学计数法（"+v+"）：请将该列设为“文本”格式后重新输入原值")
}

// excelErrorErr refuses v, an Excel error value (text.ExcelError), as the
// value of field, which label names in the message.
func excelErrorErr(field, label, v string) error {
	return errs.Field(field, "excel_error_value", label+"的单元格是公式错误值 "+v+"：请修正公式后再导入")
}

func fieldErr(field string, err error) error {
	if e := errs.As(err); e != nil {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// checkValue validates v against the item's type and length and returns
// its canonical form. Its line breaks are line feeds (text.LineFeeds: a
// CR LF, or a CR alone, sent in JSON is stored, compared and measured as
// the LF a CSV cell's reads as), and it is trimmed. The empty string, or
// one that shows nothing (text.Blank: spaces, U+200B, a BOM), clears a
// value. An item that
// identifies the subject of a person's or a legal entity's entry holds
// the identifier of that kind of subject, as subject_id does, and is
// checked as one: a citizen ID for a person (not a credit code), a credit
// code, organisation code or registration number for a legal entity
// (identifier), with the warning of one
// accepted with a wrong check character (checkDigitWarning); in an entry
// of no such subject (a property unit, a case's acceptance number) it is
// text in the form subject_id is stored in (otherKey: full-width forms
// narrowed, invisible characters refused), so that the two compare alike. A date-time (type T) is read in the forms of times and stored in
// Beijing time, with its fraction of a second, within the years 0 to 9999
// there. A floating-point number (B, F) is stored in plain decimals with
// its digits as written (plainDecimal), within float64's range; its
// length counts them, as a number's of type N. A 证件号码 whose kind its
// 证件类型 names (typed, nil for any other item) holds a number of that
// kind, checked as an item keyed by one is: identifying the subject, it is
// stored in that kind's canonical form (a permit's lifetime number), as
// such an item is; otherwise as given, as such an item's value is.
func checkValue(it *Item, v string, kind string, times timeForms, typed *typedDocument) (string, *LineError, error) {
	v = strings.TrimSpace(text.LineFeeds(v))
	if text.Blank(v) {
		// Spaces, or characters that show nothing (U+200B, a BOM,
		// U+3164): no value, as an empty string is.
		return "", nil, nil
	}
	if !text.Plain(v, true) {
		// Its field is the item, as every error of a value's is
		// (badJSONField), in CSV and JSON Lines alike.
		return "", nil, errs.Field(it.Name, "invalid_text", fmt.Sprintf("信息项“%s”的值含有控制字符、非字符（如 U+FFFF）或无效的字符编码", it.Name))
	}
	if times.spreadsheet && text.ExcelError(v) {
		return "", nil, excelErrorErr(it.Name, "信息项“"+it.Name+"”", v)
	}
	bad := func(want string) error {
		hint := ""
		if plain, ok := ungrouped(v); ok && strings.ContainsAny(it.Type, "NYIBF") {
			hint = "（不能含千位分隔符“,”，请写作 " + plain + "）"
		}
		return errs.Field(it.Name, "invalid_value", fmt.Sprintf("信息项“%s”应为%s：“%s”%s", it.Name, want, clip(v), hint))
	}
	digits := 0
	switch it.Type {
	case "C", "M", "G", "":
		if times.spreadsheet && excelScientific(v) {
			return "", nil, scientificErr(it.Name, "信息项“"+it.Name+"”的值", v)
		}
		if it.Length > 0 && utf8.RuneCountInString(v) > it.Length {
			return "", nil, errs.Field(it.Name, "value_too_long", fmt.Sprintf("信息项“%s”超过长度 %d：“%s”", it.Name, it.Length, clip(v)))
		}
		if typed != nil {
			r, err := typed.check(v)
			if err != nil {
				return "", nil, typed.refuse(it.Name, "信息项“"+it.Name+"”的值", err)
			}
			if it.IdentifiesSubject && kind == Person {
				return r.Normalized, nil, nil
			}
			return v, valueCheckDigitWarning(it.Name, r), nil
		}
		if it.IdentifiesSubject && (kind == Person || kind == LegalEntity) {
			r, err := identify(it.idKind(kind), v)
			if err != nil {
				return "", nil, fieldErr(it.Name, err)
			}
			return r.Normalized, checkDigitWarning(it.Name, r), nil
		}
		if it.IdentifiesSubject {
			k, bad := otherKey(v)
			if bad != 0 {
				return "", nil, errs.Field(it.Name, "invalid_value", fmt.Sprintf("信息项“%s”标识主体，其值含有不可见的字符 U+%04X（如零宽空格、BOM、文字方向控制符），请删除后重新推送", it.Name, bad))
			}
			return k, nil, nil
		}
		return v, nil, nil
	case "N", "Y":
		n, ok := decimal(v)
		if !ok {
			return "", nil, bad("数值")
		}
		v, digits = n, countDigits(n)
	case "I":
		n, err := strconv.ParseInt(v, 10, 64)
		if errors.Is(err, strconv.ErrRange) {
			return "", nil, errs.Field(it.Name, "invalid_value", fmt.Sprintf("信息项“%s”超出整数范围（%d 至 %d）：“%s”",
				it.Name, int64(math.MinInt64), int64(math.MaxInt64), clip(v)))
		}
		if err != nil {
			return "", nil, bad("整数")
		}
		v = strconv.FormatInt(n, 10)
		digits = countDigits(v)
	case "B", "F":
		// Decimal notation only: ParseFloat also reads NaN, Inf and
		// hexadecimal (0x1p-2), which are no value of a register.
		f, err := strconv.ParseFloat(v, 64)
		outOfRange := func() error {
			return errs.Field(it.Name, "invalid_value", fmt.Sprintf("信息项“%s”超出浮点数范围（绝对值不能大于约 1.8e308，非零值不能小于约 4.9e-324）：“%s”",
				it.Name, clip(v)))
		}
		if errors.Is(err, strconv.ErrRange) {
			return "", nil, outOfRange()
		}
		// The zeros an exponent adds are bounded before they are
		// written: by the item's length, and by float64's range (a value
		// within it has at most maxFloatZeros), so that 1e-300000000
		// does not take 300 MB to be refused.
		limit := maxFloatZeros
		if it.Length > 0 && it.Length < limit {
			limit = it.Length
		}
		n, ok, zeros := plainDecimal(v, limit)
		switch {
		case zeros && f != 0 && it.Length > 0 && it.Length < maxFloatZeros:
			return "", nil, errs.Field(it.Name, "value_too_long", fmt.Sprintf("信息项“%s”超过长度 %d：“%s”", it.Name, it.Length, clip(v)))
		case zeros, ok && f == 0 && n != "0":
			return "", nil, outOfRange()
		case err != nil || !ok || math.IsNaN(f) || math.IsInf(f, 0):
			return "", nil, bad("浮点数")
		}
		// Plain decimals, as a number of another type is written
		// (1000000, not 1e+06), with the digits it is written with: not
		// rounded through float64 (12345678901234567.89 stays so), its
		// length their number, as a number's of type N.
		v, digits = n, countDigits(n)
	case "D":
		d, err := parseDate(v)
		if err != nil {
			return "", nil, bad(dateForms)
		}
		return d, nil, nil
	case "T":
		t, err := times.parse(v)
		if err != nil {
			return "", nil, bad(times.want)
		}
		// Stored in Beijing time, in a form that reads back only for the
		// years 0 to 9999 (an offset can move a time past them).
		t = t.In(calendar.Location())
		if y := t.Year(); y < 0 || y > 9999 {
			return "", nil, errs.Field(it.Name, "invalid_value", fmt.Sprintf("信息项“%s”的日期时间应在公元 0 至 9999 年之间（北京时间）：“%s”", it.Name, clip(v)))
		}
		// The fraction of a second as written, to the nanosecond, its
		// trailing zeros trimmed (.750 is .75; none for whole seconds).
		return t.Format("2006-01-02T15:04:05.999999999-07:00"), nil, nil
	case "L":
		switch strings.ToLower(v) {
		case "true", "1", "y", "yes", "是", "t":
			return "true", nil, nil
		case "false", "0", "n", "no", "否", "f":
			return "false", nil, nil
		}
		return "", nil, bad("逻辑值（是 / 否）")
	default:
		return "", nil, errs.Field(it.Name, "unknown_type", fmt.Sprintf("信息项“%s”的类型 %s 未知", it.Name, it.Type))
	}
	if it.Length > 0 && digits > it.Length {
		return "", nil, errs.Field(it.Name, "value_too_long", fmt.Sprintf("信息项“%s”超过长度 %d：“%s”", it.Name, it.Length, clip(v)))
	}
	return v, nil, nil
}

// ungrouped returns a number written with thousands separators as Excel
// shows it (1,000,000.00: groups of three digits after the first one to
// three, separated by commas) without them; false for anything else (0,5
// is no such number).
func ungrouped(v string) (string, bool) {
	sign := ""
	if v != "" && (v[0] == '-' || v[0] == '+') {
		sign, v = v[:1], v[1:]
	}
	intPart, frac, hasDot := strings.Cut(v, ".")
	groups := strings.Split(intPart, ",")
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 || !isDigits(groups[0]) || hasDot && !isDigits(frac) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !isDigits(g) {
			return "", false
		}
	}
	out := sign + strings.Join(groups, "")
	if hasDot {
		out += "." + frac
	}
	return out, true
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}

// maxFloatZeros bounds the zeros an exponent adds to the digits of a
// floating-point value in plain decimals (plainDecimal): a value within
// float64's range has fewer (up to 323 after the point, below 1e-323; up
// to 308 before it, 1e308).
const maxFloatZeros = 330

// plainDecimal reads a number in decimal notation with or without an
// exponent (1.5e-7, -1.5E+3) and writes it in plain decimals with the
// digits it is written with, in decimal's canonical form (0.00000015,
// -1500): the point moved, nothing rounded. A number whose exponent would
// add more than max zeros to its digits (1e-300000000, 1e9999999999) is
// not written out (zeros): the zeros are counted from the exponent first,
// as writing them would take memory in proportion to it.
func plainDecimal(s string, max int) (n string, ok, zeros bool) {
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		// An exponent beyond int's range is read as its bound (Atoi
		// returns it with ErrRange), which max refuses below.
		e, err := strconv.Atoi(s[i+1:])
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return "", false, false
		}
		mant, exp = s[:i], e
	}
	if m, ok := strings.CutSuffix(mant, "."); ok && m != "" && m[len(m)-1] >= '0' && m[len(m)-1] <= '9' {
		mant = m // 1. and 1.e2, which float parsers read
	}
	if mant == "" {
		return "", false, false
	}
	n, ok = decimal(mant)
	if !ok || exp == 0 || n == "0" {
		return n, ok, false
	}
	sign := ""
	if n[0] == '-' {
		sign, n = "-", n[1:]
	}
	intPart, frac, _ := strings.Cut(n, ".")
	digits := intPart + frac
	// An exponent beyond len(s)+max adds more than max zeros; bounding it
	// first keeps point from overflowing.
	if exp > len(s)+max || exp < -(len(s)+max) {
		return "", true, true
	}
	point := len(intPart) + exp
	switch {
	case point <= 0 && -point > max, point > len(digits) && point-len(digits) > max:
		return "", true, true
	case point <= 0:
		n = "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		n = digits + strings.Repeat("0", point-len(digits))
	default:
		n = digits[:point] + "." + digits[point:]
	}
	n, ok = decimal(sign + n)
	return n, ok, false
}

// decimal checks a plain decimal number and strips leading zeros and
// trailing fractional zeros, so that 010.50 and 10.5 compare equal.
func decimal(s string) (string, bool) {
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg, s = s[0] == '-', s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" {
		return "", false
	}
	for _, p := range []string{intPart, frac} {
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return "", false
			}
		}
	}
	if hasDot && frac == "" {
		return "", false
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out, true
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// dateLayouts are the forms of a date (type D): the year first, with '-',
// '/' or 年月日, month and day with or without a leading zero (Go's 1 and
// 2 read both), or eight digits.
var dateLayouts = []string{"2006-1-2", "20060102", "2006/1/2", "2006年1月2日"}

// dateForms names dateLayouts for a refusal.
const dateForms = "日期（YYYY-MM-DD、YYYY/MM/DD 或 YYYY年MM月DD日，月、日可不补零，或 YYYYMMDD）"

// parseDate reads a date in one of dateLayouts as YYYY-MM-DD. A day that
// does not exist (2026年2月30日) is refused.
func parseDate(s string) (string, error) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("bad date %q", s)
}

// timeForms reads the date-times of a batch's lines that are not
// produced_at, which its Source reads: the values of items of type T, in
// the forms its produced_at takes. It also tells whether the lines come
// from a file a spreadsheet saved, whose values are checked for what
// Excel made of a cell.
type timeForms struct {
	parse func(string) (time.Time, error)
	want  string // the forms parse reads, for a refusal: 日期时间（…）
	// spreadsheet is set for a CSV file's lines: a value or subject_id
	// that is a formula's error value (text.ExcelError), or a text value or a
	// person's or legal entity's identifier in Excel's scientific notation
	// (excelScientific), is refused. A JSON push or JSON Lines batch
	// comes from no spreadsheet, and such values are data there.
	spreadsheet bool
}

// isoTimes are the forms of a JSON line and of an operation pushed alone
// (ParseTime).
var isoTimes = timeForms{parse: ParseTime, want: "日期时间（RFC 3339，或北京时间的 YYYY-MM-DD HH:MM[:SS]、YYYY-MM-DD）"}

// ParseTime reads a time as RFC 3339, or as "YYYY-MM-DD HH:MM:SS" /
// "YYYY-MM-DD" in Beijing time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := calendar.ParseRFC3339(s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, calendar.Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

// ParseAt reads the time of a read of a record as it was (At): what
// ParseTime reads, but a date alone is the end of that day in Beijing
// time, its last instant, not its start: the record "as of 2026-03-02"
// holds what was received on the 2nd, as the audit filter's until
// includes the day it names.
func ParseAt(s string) (time.Time, error) {
	if d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), calendar.Location()); err == nil {
		return d.AddDate(0, 0, 1).Add(-time.Nanosecond), nil
	}
	return ParseTime(s)
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s: %s", e.Line, e.Code, e.Reason) }
