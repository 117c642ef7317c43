package records

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/csvbound"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Source yields the operations of a batch one at a time, so that a batch of
// any size is streamed and never held in memory. Next fills op and returns
// its line number; a *LineError means that one line is malformed (the batch
// goes on to check the rest), io.EOF the end, anything else a failure to read.
type Source interface {
	Next(op *Op) (line int, err error)
}

// timeSource is a Source whose produced_at takes other forms than
// isoTimes: its items of type T take them too.
type timeSource interface {
	times() timeForms
}

// maxLine bounds one line of a batch: a CSV batch's record too, which
// may span lines (csvbound).
const maxLine = 1 << 20

// maxColumns bounds the fields of a CSV batch's record, its header's too:
// eight times the items an entry may have (500) with op, subject_id,
// produced_at and key. A row must have as many as the header, but
// encoding/csv makes each field a string before it can be told.
const maxColumns = 4096

// bom is the UTF-8 byte order mark.
const bom = "\ufeff"

// JSONLines reads one JSON object per line (blank lines are skipped):
//
//	{"op":"add","subject_id":"…","produced_at":"2026-03-02T10:00:00+08:00","values":{"姓名":"张三"},"key":"…"}
//
// A UTF-8 byte order mark at the start of the batch, which Windows editors
// write, is skipped, as CSV batches and the catalog's JSON lines skip it.
//
// A batch that is no JSON Lines, a JSON array or an object spread over
// several lines (pretty-printed), is refused as such (notJSONLines).
func JSONLines(r io.Reader) Source {
	br := bufio.NewReaderSize(r, 64<<10)
	j := &jsonLines{}
	head, _ := br.Peek(64 << 10)
	j.line, j.err = notJSONLines(head)
	if j.err != nil {
		return j
	}
	j.sc = bufio.NewScanner(br)
	j.sc.Buffer(make([]byte, 64<<10), maxLine)
	return j
}

type jsonLines struct {
	sc   *bufio.Scanner
	line int
	err  error // the batch is no JSON Lines: Next's error, on line
	// fieldErrs are the errors of the fields of the line last read that
	// Next returned without (fieldErrors).
	fieldErrs []LineError
}

// fieldErrorSource is a Source that reads a line with a bad field on: the
// line's other fields are read all the same, so that normalize's errors
// of them are listed with the bad field's (mergeFieldErrors), every bad
// field of a line once each. fieldErrors returns the errors of the line
// Next returned last, nil when it had none.
type fieldErrorSource interface {
	fieldErrors() []LineError
}

func (j *jsonLines) fieldErrors() []LineError { return j.fieldErrs }

func (c *csvSource) fieldErrors() []LineError {
	if c.timeErr == nil {
		return nil
	}
	return []LineError{*c.timeErr}
}

// mergeFieldErrors returns a line's errors: read, those its source found
// reading it (fieldErrors), first, then found, normalize's, without those
// that only follow from a field left unread: missing_produced_at for a
// produced_at that could not be read, missing_values for values that
// could not be.
func mergeFieldErrors(read, found []LineError) []LineError {
	var badTime, badValue bool
	for _, le := range read {
		badTime = badTime || le.Field == "produced_at"
		badValue = badValue || le.Code == "invalid_value"
	}
	found = slices.DeleteFunc(found, func(le LineError) bool {
		return badTime && le.Code == "missing_produced_at" || badValue && le.Code == "missing_values"
	})
	return append(slices.Clip(read), found...)
}

// notJSONLines refuses a batch whose start, head, shows it is JSON but
// not JSON Lines: a top-level array, or a first object spread over
// several lines, which a line at a time reads as errors of every line
// ("JSON 格式错误", "JSON 的类型应为对象"), an Excel workbook
// (spreadsheet) or a CSV file (looksCSV), sent as JSON Lines, which
// would be a JSON error on every line. It returns the line it starts
// on; nil for anything else, whose lines are read as they are.
func notJSONLines(head []byte) (int, error) {
	if err := spreadsheet(head, false); err != nil {
		return 1, err
	}
	b := bytes.TrimPrefix(head, []byte(bom))
	line := 1
	for len(b) > 0 && strings.ContainsRune(" \t\r\n", rune(b[0])) {
		if b[0] == '\n' {
			line++
		}
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, nil
	}
	if looksCSV(b) {
		return line, errs.E(errs.Invalid, "json_is_csv", fmt.Sprintf("批次按 JSON Lines 读取，但第 %d 行起看来是 CSV 文件（以逗号分隔的表头或数据行，不是 JSON 对象）："+
			"JSON Lines 批次的每一行应是一个 JSON 对象", line))
	}
	switch b[0] {
	case '[':
		return line, errs.E(errs.Invalid, "json_not_lines", "批次是一个 JSON 数组（以“[”开头），不是 JSON Lines：JSON Lines 的每一行是一个完整的操作对象，"+
			"不用“[ ]”括起，行末不加逗号，如 {\"op\":\"add\",\"subject_id\":\"…\",\"produced_at\":\"…\",\"values\":{…}}；请去掉数组的括号，将每个操作写成一行后重新推送")
	case '{':
		first, _, _ := bytes.Cut(b, []byte("\n"))
		if json.Valid(first) {
			return 0, nil
		}
		var obj json.RawMessage
		if string(bytes.TrimSpace(first)) != "{" && (json.NewDecoder(bytes.NewReader(b)).Decode(&obj) != nil || !bytes.Contains(obj, []byte("\n"))) {
			return 0, nil // a malformed line: its own error
		}
		return line, errs.E(errs.Invalid, "json_not_lines", fmt.Sprintf("第 %d 行起的 JSON 对象跨越了多行（缩进排版的 JSON），不是 JSON Lines："+
			"每个操作须在一行之内写成一个完整的对象，每行一个操作；请将每个操作压缩为一行（不换行）后重新推送", line))
	}
	return 0, nil
}

// spreadsheet refuses a batch, read as CSV when asCSV is true, else as
// JSON Lines, whose start, head, is an Excel workbook: an .xlsx (a ZIP
// file) or an .xls, which read as text would be an error on every line.
// The code is csv_spreadsheet for a CSV batch, json_spreadsheet for JSON
// Lines; nil for anything else.
func spreadsheet(head []byte, asCSV bool) error {
	var what string
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		what = "Excel 工作簿（.xlsx）或其他压缩文件"
	case bytes.HasPrefix(head, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}):
		what = "Excel 97-2003 工作簿（.xls）"
	default:
		return nil
	}
	const how = "请在 Excel 中打开该文件，另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的“CSV（逗号分隔）”"
	if asCSV {
		return errs.E(errs.Invalid, "csv_spreadsheet", "文件是 "+what+"，不是 CSV 文件（扩展名可能被改成了 .csv）："+how)
	}
	return errs.E(errs.Invalid, "json_spreadsheet", "批次是 "+what+"，不是 JSON Lines，平台不读取工作簿："+how)
}

// looksCSV reports whether b, the start of a batch read as JSON Lines
// from its first line that is not blank, is a CSV file: that line is no
// JSON object or array, and names the column op or subject_id (by a comma
// or another separator), or it and the next line that is not blank both
// are cells separated by commas.
func looksCSV(b []byte) bool {
	if len(b) == 0 || b[0] == '{' || b[0] == '[' {
		return false
	}
	first, rest, _ := bytes.Cut(b, []byte("\n"))
	for _, cell := range strings.FieldsFunc(string(first), func(r rune) bool { return strings.ContainsRune(",;\t|，", r) }) {
		if c := strings.Trim(strings.TrimSpace(cell), `"`); strings.EqualFold(c, "op") || strings.EqualFold(c, "subject_id") {
			return true
		}
	}
	second := bytes.TrimSpace(rest)
	second, _, _ = bytes.Cut(second, []byte("\n"))
	return bytes.Contains(first, []byte(",")) && len(second) > 0 && second[0] != '{' && bytes.Contains(second, []byte(","))
}

// looksJSON refuses a batch read as CSV whose start, head, is JSON: its
// first character that is not blank (after a byte order mark) opens an
// object or an array, which no CSV header does.
func looksJSON(head []byte) error {
	b := bytes.TrimLeft(bytes.TrimPrefix(head, []byte(bom)), " \t\r\n")
	if len(b) == 0 || b[0] != '{' && b[0] != '[' {
		return nil
	}
	return errs.E(errs.Invalid, "csv_is_json", "批次按 CSV 读取，但文件看来是 JSON（以“"+string(b[:1])+"”开头，不是 CSV 表头）："+
		"CSV 批次的第一行应是表头 op,subject_id,produced_at,…")
}

// Advise ends the reason of each rejected line of r whose code advice
// names with that advice, after "；": a channel's words on how to send the
// batch again. The errors refusing a batch whose body is not in the format
// it was read as, a CSV file read as JSON Lines (json_is_csv), JSON read
// as CSV (csv_is_json), an Excel workbook read as either
// (json_spreadsheet, csv_spreadsheet), say what the body looks like and
// what the format read expects, never how to send it otherwise, which
// depends on the channel it came by: the API's is a Content-Type, the
// command line's the file's extension, the console's the uploaded file's.
func (r *BatchResult) Advise(advice map[string]string) {
	for i, le := range r.Rejected {
		if a := advice[le.Code]; a != "" {
			r.Rejected[i].Reason = le.Reason + "；" + a
		}
	}
}

// badJSONField names text.BadJSON's find at path, whose reason is
// reason: in a value (values.姓名), by the item, 姓名, with a reason naming
// it, as every error of a value is named (checkValue, WireOp.Parse), so
// that a value's field is the item whether it came in JSON or CSV; any
// other path (key, subject_id, values for a name in it) as it is.
func badJSONField(path, reason string) (field, why string) {
	if item, ok := strings.CutPrefix(path, "values."); ok && item != "" {
		return item, "信息项“" + item + "”的值" + text.BadJSONText
	}
	return path, reason
}

// ValueField returns err, the refusal of an operation's JSON whose text
// is not UTF-8 (invalid_text) named by its path as the API's decoding
// names it, named as badJSONField names it in a batch: a value's by its
// item. Any other error is returned as it is.
func ValueField(err error) error {
	e := errs.As(err)
	if e == nil || e.Code != "invalid_text" {
		return err
	}
	field, reason := badJSONField(e.Field, e.Message)
	if field == e.Field {
		return err
	}
	c := *e
	c.Field, c.Message = field, reason
	return &c
}

// WireOp is an operation as sent in JSON: values may be strings, numbers
// or booleans. Parse turns it into an Op. Values stay raw so that a number
// keeps the digits it was sent with (as float64 9876543.5 would print as
// 9.8765435e+06, and integers past 2^53 would change).
type WireOp struct {
	Op         string                     `json:"op"`
	SubjectID  string                     `json:"subject_id"`
	Values     map[string]json.RawMessage `json:"values"`
	ProducedAt string                     `json:"produced_at"`
	Key        string                     `json:"key"`
}

// wireFields are the JSON names of WireOp's fields.
var wireFields = [...]string{"op", "subject_id", "values", "produced_at", "key"}

// UnmarshalJSON reads an operation as encoding/json reads the struct, an
// unknown field refused, but refuses a field named in another case
// (unknown_field: encoding/json took Subject_ID for subject_id), a field
// named twice (repeatedField) and an item named twice in values
// (repeatedItem), which encoding/json reads as the last one:
// {"subject_id":"A","subject_id":"B"} changed B's record.
func (w *WireOp) UnmarshalJSON(b []byte) error {
	unknown, err := wireKeys(b)
	if err != nil {
		return err
	}
	if len(unknown) > 0 {
		return unknown[0]
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode((*plainOp)(w))
}

// decodeLine decodes b, a JSON line, into w as UnmarshalJSON does, but
// for its unknown fields: it returns their errors (unknown_field, in the
// line's order) and reads the fields it knows by their exact keys
// (exactKeys), so that their errors are listed too. err is the line's
// error when it cannot be read: malformed JSON, a field of the wrong
// type, a repeated name, or anything after the object.
func decodeLine(b []byte, w *WireOp) (unknown []error, err error) {
	unknown, err = wireKeys(b)
	if err != nil {
		return nil, err
	}
	if len(unknown) > 0 {
		b = exactKeys(b)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode((*plainOp)(w)); err != nil {
		return nil, errs.JSONIn(err, b)
	}
	if dec.InputOffset() != int64(len(b)) {
		return nil, errs.E(errs.Invalid, "malformed_json", "JSON 格式错误：一行只能有一个对象，其后不能有其他内容")
	}
	return unknown, nil
}

// exactKeys returns the object b, a line of unknown keys (valid JSON, as
// wireKeys found them), with only the keys naming a field of WireOp
// exactly, in its order, their values as they are. encoding/json takes a
// key in another case for the field (Op for op, Values for values) and
// keeps the last one, so the line was checked by the values of the keys
// refused as unknown, not those the client meant: {"op":"change",…,
// "Op":"cancel"} as a cancel. Lines of no unknown key, most, are decoded
// as they are.
func exactKeys(b []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return b
	}
	out := []byte{'{'}
	for dec.More() {
		t, err := dec.Token()
		var v json.RawMessage
		if err == nil {
			err = dec.Decode(&v)
		}
		if err != nil {
			return b
		}
		name, _ := t.(string)
		if !slices.Contains(wireFields[:], name) {
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		out = append(append(append(append(out, '"'), name...), '"', ':'), v...)
	}
	return append(out, '}')
}

// plainOp is WireOp without its UnmarshalJSON, read by encoding/json.
type plainOp WireOp

// wireKeys checks the keys of the operation b (errs.JSONKeys): err
// refuses the first name repeated, at its top level (repeatedField) or in
// its values (repeatedItem); unknown lists the errors of the other keys
// that name no field exactly (unknown_field), in the line's order. Both
// are nil when b is no valid JSON, which decoding it refuses in its own
// words (a line cut short after a repeated name is malformed). Only the
// first errs.MaxKeyIssues keys are read so: unknown counts the others in
// one more error (unknown_field, of no field), a repeated name among them
// too, so that a line of 70,000 unknown keys is refused with 21 errors,
// not 70,000.
func wireKeys(b []byte) (unknown []error, err error) {
	issues, more := errs.JSONKeys(b, reflect.TypeFor[plainOp]())
	for _, k := range issues {
		switch {
		case k.Repeated && k.InMap:
			return nil, repeatedItem(k.Key)
		case k.Repeated:
			return nil, repeatedField(k.Key)
		}
	}
	for _, k := range issues {
		unknown = append(unknown, k.Err())
	}
	if more > 0 {
		unknown = append(unknown, unlisted("unknown_field", "字段未知或重复", more))
	}
	return unknown, nil
}

// unlisted is the error of code, of no field, counting the more keys of a
// line that are not listed, what they are said to be: a line lists the
// errors of the first errs.MaxKeyIssues of its unknown or repeated fields
// (wireKeys) and of its names of no item (itemNames), so that a line of
// tens of thousands of keys is refused with 21 errors.
func unlisted(code, what string, more int) error {
	return errs.E(errs.Invalid, code, fmt.Sprintf("此行另有 %d 个%s，未逐一列出", more, what))
}

// repeatedField refuses an operation naming a field twice.
func repeatedField(name string) error {
	return errs.Field(name, "duplicate_field", "字段“"+name+"”出现了不止一次：一个操作中每个字段只能出现一次，请删去重复的字段")
}

// repeatedItem refuses an operation naming an item twice in its values.
func repeatedItem(name string) error {
	return errs.Field(name, "duplicate_item", "信息项“"+name+"”在 values 中出现了不止一次：同一操作中一个信息项只能有一个值，请只保留一个")
}

func (j *jsonLines) Next(op *Op) (int, error) {
	if j.err != nil {
		return j.line, j.err
	}
	j.fieldErrs = nil
	for j.sc.Scan() {
		j.line++
		b := j.sc.Bytes()
		if j.line == 1 {
			b = bytes.TrimPrefix(b, []byte(bom))
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		if ok, err := decodeFast(b, op); ok {
			if err != nil {
				j.fieldErrs = lineErrs(j.line, err)
			}
			return j.line, nil
		}
		// decodeFast takes only valid UTF-8 without escapes; what
		// encoding/json would make U+FFFD of is refused here.
		if path, bad := text.BadJSON(b); bad {
			field, reason := badJSONField(path, text.BadJSONLine(path))
			return j.line, &LineError{Line: j.line, Code: "invalid_text", Field: field, Reason: reason}
		}
		var w WireOp
		unknown, err := decodeLine(b, &w)
		if err != nil {
			le := lineErr(j.line, err)
			return j.line, &le
		}
		parsed, err := w.Parse()
		*op = parsed
		for _, u := range unknown {
			j.fieldErrs = append(j.fieldErrs, lineErr(j.line, u))
		}
		if err != nil {
			j.fieldErrs = append(j.fieldErrs, lineErrs(j.line, err)...)
		}
		return j.line, nil
	}
	if err := j.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return j.line + 1, errs.E(errs.Invalid, "line_too_long", fmt.Sprintf("第 %d 行超过 1 MiB", j.line+1))
		}
		return j.line, err
	}
	return j.line, io.EOF
}

// Parse returns the operation, its produced_at read and its values as
// strings.
//
// A produced_at it cannot read, and each value that is no string, number
// or logical value, is an error (lineErrors when several: produced_at's
// first, then the values' in name order); the operation it returns holds
// the others, so that they are checked too.
func (w *WireOp) Parse() (Op, error) {
	op := Op{Op: w.Op, SubjectID: w.SubjectID, Key: w.Key}
	var found []error
	if w.ProducedAt != "" {
		t, err := ParseTime(w.ProducedAt)
		if err == nil {
			err = implausibleProducedAt(t, w.ProducedAt)
		} else {
			err = errs.Field("produced_at", "invalid_produced_at", "数据产生时间（produced_at）应为时间（RFC 3339 或 YYYY-MM-DD HH:MM:SS），实为“"+w.ProducedAt+"”")
		}
		if err != nil {
			found = append(found, err)
		} else {
			op.ProducedAt = t
		}
	}
	if len(w.Values) > 0 {
		op.Values = make(map[string]string, len(w.Values))
		for _, k := range slices.Sorted(maps.Keys(w.Values)) {
			s, ok := wireValue(w.Values[k])
			if !ok {
				found = append(found, errs.Field(k, "invalid_value", "信息项“"+k+"”的值应为字符串、数字或逻辑值"))
				continue
			}
			op.Values[k] = s
		}
	}
	return op, lineError(found)
}

// wireValue returns a JSON value sent for a data item as text: a string
// as it is, a number as written, true or false, null as "" (which clears
// the item). Objects and arrays are not values.
func wireValue(v json.RawMessage) (string, bool) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", false
	}
	switch c := v[0]; {
	case c == '"':
		var s string
		err := json.Unmarshal(v, &s)
		return s, err == nil
	case c == 'n':
		return "", true
	case c == 't', c == 'f', c == '-', c >= '0' && c <= '9':
		return string(v), true
	}
	return "", false
}

// CSV reads a header line and one operation per line. The header names
// the columns op, subject_id, produced_at and optionally key, and then data
// items by name. An empty cell leaves the item unchanged on change and
// absent on add. produced_at, and an item of type T, may also be written
// as Excel writes a date-time (csvTime).
//
// The file is UTF-8, or GB18030 (GBK), what Excel in Chinese offices saves
// as "CSV", as the catalog import accepts: told apart by its first 64 KiB.
// A UTF-8 file with a byte that is not UTF-8 there is read as GB18030 too,
// its header's names then garbled: a header name that is no item says so
// (encodingNote).
func CSV(r io.Reader) Source {
	br := bufio.NewReaderSize(r, 64<<10)
	c := &csvSource{}
	head, _ := br.Peek(64 << 10)
	if c.err = notCSV(head); c.err != nil {
		return c
	}
	// A byte order mark (of "CSV UTF-8") is no text of the first cell:
	// it is dropped before the file is parsed, so that a first cell
	// quoted after it ("op", as Python's utf-8-sig and many Java
	// exporters write) is read as quoted, not as a quote in a cell.
	if bytes.HasPrefix(head, []byte(bom)) {
		_, _ = br.Discard(len(bom))
		head = head[len(bom):]
	}
	// Records are bounded in the bytes uploaded, before decoding: a
	// GB18030 record of 800 KB is 1.2 MB of UTF-8. A comma, quote or line
	// break is one byte in GB18030 as in UTF-8, never part of a character.
	var text io.Reader = csvbound.New(br, ',', maxLine, maxColumns)
	if !utf8Start(head) {
		c.gb18030 = notUTF8Row(head)
		// GB18030's own byte order mark decodes to U+FEFF.
		text = dropBOM(transform.NewReader(text, simplifiedchinese.GB18030.NewDecoder()))
	}
	c.formulas = &formulaCells{}
	c.r = csv.NewReader(transform.NewReader(text, c.formulas))
	c.r.FieldsPerRecord = -1
	c.r.ReuseRecord = true
	return c
}

// maxFormulaText bounds the text of an unquoted ="…" cell that
// formulaCells reads as that text, an ID's length many times over.
const maxFormulaText = 256

// formulaCells reads an unquoted cell written ="…", as many systems write
// an ID into CSV so that Excel keeps it text (="440605199001011234", shown
// as the digits), as the text inside the quotes: a CSV reader takes its
// quote for one in an unquoted cell, which the clerk cannot see in
// Excel. Only a text of at most maxFormulaText bytes without a comma, a
// quote or a line break, followed by the cell's end, is read so: any
// other cell is passed on unchanged (a comma inside, where Excel would
// split the cell, stays an error of the line), and noted in unreadable,
// so that the line's error can say what is wrong with it. It works on the
// text's bytes: a comma, quote, equals sign or line break is one byte in
// UTF-8 and GB18030 alike.
//
// It follows the cells as encoding/csv reads them: a quote in an unquoted
// cell, or one closing a quoted cell followed by anything but a comma or
// the line's end, makes the line one that cannot be read, whose rest
// encoding/csv drops; the next line starts a row again.
type formulaCells struct {
	start   bool // at a cell's start
	quoted  bool // within a quoted cell
	closing bool // within a quoted cell, after a quote: its end, or an escaped quote's first
	cr      bool // after a quoted cell's closing quote and a CR: a line's end if LF follows
	skip    bool // in a line that cannot be read, to its end
	// line, col and cell are where the next byte passed on lies, as
	// encoding/csv numbers it: the line of the text (1 for the first),
	// the byte in that line (1 for the first) and the cell in the row (0
	// for the first); off counts the bytes passed on.
	line, col, cell int
	off             int64
	// unreadable are the unquoted ="… cells not read as their text, in
	// the order passed on.
	unreadable []formulaFault
}

// formulaFault is an unquoted cell beginning =" that formulaCells does not
// read as the text inside its quotes: where its quote lies (the byte
// encoding/csv reports as a quote in an unquoted cell), its cell in the
// row, and why.
type formulaFault struct {
	line, col, cell int
	off             int64
	why             string
}

func (f *formulaCells) Reset() { *f = formulaCells{start: true, line: 1, col: 1} }

func (f *formulaCells) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		c := src[nSrc]
		var fault *formulaFault
		if c == '=' && f.start && !f.quoted && !f.skip {
			inner, ok, short := formulaText(src[nSrc:], atEOF)
			if short {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if ok {
				if len(dst)-nDst < len(inner) {
					return nDst, nSrc, transform.ErrShortDst
				}
				nDst += copy(dst[nDst:], inner)
				nSrc += len(inner) + 3
				f.col += len(inner)
				f.off += int64(len(inner))
				f.start = false
				continue
			}
			if len(src)-nSrc >= 2 && src[nSrc+1] == '"' {
				fault = &formulaFault{line: f.line, col: f.col + 1, cell: f.cell, off: f.off, why: formulaWhy(src[nSrc:])}
			}
		}
		if nDst == len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		if fault != nil {
			f.unreadable = append(f.unreadable, *fault)
		}
		dst[nDst] = c
		nDst++
		nSrc++
		f.pass(c)
	}
	return nDst, nSrc, nil
}

// pass follows the cells past c, passed on.
func (f *formulaCells) pass(c byte) {
	f.off++
	f.col++
	if c == '\n' {
		f.line, f.col = f.line+1, 1
	}
	switch {
	case f.skip:
		if c == '\n' {
			f.skip, f.start, f.cell = false, true, 0
		}
	case f.cr:
		// encoding/csv reads CR LF as a line's end and refuses a bare CR
		// after a closing quote, reading on from the next line.
		f.cr, f.quoted = false, false
		if c == '\n' {
			f.start, f.cell = true, 0
		} else {
			f.skip = true
		}
	case f.closing:
		f.closing = false
		switch c {
		case '"': // an escaped quote
		case ',':
			f.quoted, f.start = false, true
			f.cell++
		case '\n':
			f.quoted, f.start, f.cell = false, true, 0
		case '\r':
			f.cr = true
		default:
			f.quoted, f.skip = false, true
		}
	case f.quoted:
		f.closing = c == '"'
	case c == '"':
		f.quoted, f.skip = f.start, !f.start
		f.start = false
	case c == ',':
		f.start = true
		f.cell++
	case c == '\n':
		f.start, f.cell = true, 0
	default:
		f.start = false
	}
}

// fault returns the unreadable ="… cell whose quote lies on line, in byte
// col, as a csv.ParseError of ErrBareQuote reports it, and forgets the
// cells before it: read is the offset encoding/csv has read to.
func (f *formulaCells) fault(line, col int, read int64) (formulaFault, bool) {
	i := slices.IndexFunc(f.unreadable, func(u formulaFault) bool { return u.line == line && u.col == col })
	var u formulaFault
	if i >= 0 {
		u = f.unreadable[i]
	}
	f.forget(read)
	return u, i >= 0
}

// forget drops the unreadable cells before offset read, in the rows
// encoding/csv has read.
func (f *formulaCells) forget(read int64) {
	n := 0
	for n < len(f.unreadable) && f.unreadable[n].off < read {
		n++
	}
	f.unreadable = f.unreadable[n:]
}

// formulaText returns the text inside b's start ="…" when it is a cell
// formulaCells reads as that text (ok); short when b ends before that can
// be told and more of the file follows.
func formulaText(b []byte, atEOF bool) (inner []byte, ok, short bool) {
	if len(b) < 2 {
		return nil, false, !atEOF
	}
	if b[1] != '"' {
		return nil, false, false
	}
	for i := 2; i < len(b) && i-2 <= maxFormulaText; i++ {
		switch b[i] {
		case ',', '\r', '\n':
			return nil, false, false
		case '"':
			if i+1 == len(b) {
				return b[2:i], atEOF, !atEOF
			}
			if n := b[i+1]; n == ',' || n == '\r' || n == '\n' {
				return b[2:i], true, false
			}
			return nil, false, false
		}
	}
	return nil, false, len(b)-2 <= maxFormulaText && !atEOF
}

// formulaWhy says, in the words of a line's error, why b's start ="…" is
// no cell formulaText reads (b holds as much of it as formulaText read).
func formulaWhy(b []byte) string {
	for i := 2; i < len(b); i++ {
		if i-2 > maxFormulaText {
			break
		}
		switch b[i] {
		case ',':
			return "结束的引号之前有逗号：缺少结束的引号，或引号内有逗号（Excel 会在逗号处把它分成两个单元格）"
		case '\r', '\n':
			return "缺少结束的引号（引号内也不能换行）"
		case '"':
			return "结束的引号之后还有字符，或引号内又有引号"
		}
	}
	if len(b)-2 > maxFormulaText {
		return fmt.Sprintf("引号内的文本超过 %d 字节", maxFormulaText)
	}
	return "缺少结束的引号"
}

// formulaCell returns the text inside v when v is a quoted cell's value
// written ="…" ("=""440605…""" in the file), as formulaCells reads an
// unquoted one, else v.
func formulaCell(v string) string {
	if len(v) >= 3 && strings.HasPrefix(v, `="`) && strings.HasSuffix(v, `"`) && !strings.Contains(v[2:len(v)-1], `"`) {
		return v[2 : len(v)-1]
	}
	return v
}

// dropBOM returns r without the byte order mark it starts with, if any.
func dropBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(len(bom)); string(b) == bom {
		_, _ = br.Discard(len(bom))
	}
	return br
}

// notUTF8Row returns the row (1 for the first) of b's first byte that is
// not UTF-8, or 0, numbered as Excel numbers rows and the file's errors
// name them (csvSource.line): a line break within a quoted cell (typed
// with Alt+Enter) starts no row. A quote, comma or line break is never
// part of a character in GB18030, as in UTF-8.
func notUTF8Row(b []byte) int {
	row, start, quoted := 1, true, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n == 1 {
				return row
			}
			i += n - 1
			start = false
			continue
		}
		switch {
		case quoted && c == '"' && i+1 < len(b) && b[i+1] == '"': // an escaped quote
			i++
		case quoted:
			quoted = c != '"'
		case c == '"' && start:
			quoted = true
		case c == '\n':
			row++
		}
		start = !quoted && (c == ',' || c == '\n')
	}
	return 0
}

// utf8Start reports whether b is valid UTF-8 but for a character cut off
// at its end.
func utf8Start(b []byte) bool {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				b = b[:i]
			}
			break
		}
	}
	return utf8.Valid(b)
}

// notCSV refuses a file whose start, head, shows it is no CSV file that
// CSV reads: UTF-16 text (Excel's "Unicode 文本", which starts with its
// byte order mark) or an Excel workbook (.xlsx, a ZIP file, or .xls)
// renamed .csv, which would read as a header without op, or JSON
// (looksJSON), which would read as a header with quotes out of place.
func notCSV(head []byte) error {
	const how = "请在 Excel 中打开该文件，另存为“CSV UTF-8（逗号分隔）”，或 GBK 编码的“CSV（逗号分隔）”，再重新上传"
	if bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
		return errs.E(errs.Invalid, "csv_utf16", "文件是 UTF-16 编码的文本（如 Excel 另存为的“Unicode 文本”），不是 CSV 文件："+how)
	}
	if err := spreadsheet(head, true); err != nil {
		return err
	}
	return looksJSON(head)
}

// separators are the characters that separate the columns of a file
// saved with another separator than the comma, and their names.
var separators = []struct{ sep, name string }{{";", "分号“;”"}, {"\t", "制表符（Tab）"}, {"|", "竖线“|”"}, {"，", "中文逗号“，”"}}

// otherSeparator refuses a header, on line line, whose columns are
// separated by another character than the comma (a semicolon, as Excel
// writes CSV where the comma is the decimal mark, or a tab): its cells
// hold op and subject_id joined. nil for another header.
func otherSeparator(rec []string, line int) error {
	joined := strings.Join(rec, ",")
	for _, s := range separators {
		if !strings.Contains(joined, s.sep) {
			continue
		}
		for _, cell := range strings.Split(joined, s.sep) {
			if c := strings.TrimSpace(cell); strings.EqualFold(c, "op") || strings.EqualFold(c, "subject_id") {
				return errs.E(errs.Invalid, "csv_delimiter", fmt.Sprintf("CSV 表头（第 %d 行）的各列以%s分隔，不是以英文逗号“,”分隔："+
					"请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”，或将分隔符改为英文逗号后重新上传", line, s.name))
			}
		}
	}
	return nil
}

type csvSource struct {
	err        error // the file is no CSV (notCSV): Next's error, on line 1
	r          *csv.Reader
	formulas   *formulaCells // the reader's, between the file's text and r
	header     []string
	headerLine int // the header's row: 1 but after blank lines or rows of empty cells
	// line is the row last read, numbered as Excel shows it: its first
	// line in the file less extra, the line breaks within the cells of
	// the rows before it (typed with Alt+Enter), so that a row after a
	// cell of three lines is not told two rows further down.
	line  int
	extra int
	// gb18030 is, for a file read as GB18030, the row of its first
	// byte that is not UTF-8 (notUTF8Row); 0 for a UTF-8 file.
	gb18030 int
	// blank lists the columns (1 for the first) of the row last read
	// whose header cell is blank and whose cell is not: values of no item.
	blank []int
	// timeErr is the error of the produced_at of the row last read, which
	// it returned without one: its other errors are listed after it.
	timeErr *LineError
}

func (c *csvSource) Next(op *Op) (int, error) {
	if c.err != nil {
		return 1, c.err
	}
	for {
		rec, err := c.r.Read()
		if err == io.EOF {
			return c.line, io.EOF
		}
		var be *csvbound.Error
		if errors.As(err, &be) {
			c.line = be.Line - c.extra
			return c.line, c.tooLong(be)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			c.line = pe.StartLine - c.extra
			c.extra += pe.Line - pe.StartLine
			reason := "CSV 格式错误：" + errs.CSV(pe.Err)
			if u, ok := c.formulas.fault(pe.Line, pe.Column, c.r.InputOffset()); ok && errors.Is(pe.Err, csv.ErrBareQuote) {
				reason = c.formulaReason(u)
			}
			return c.line, &LineError{Line: c.line, Code: "malformed_csv", Reason: reason}
		}
		if err != nil {
			return c.line, err
		}
		c.formulas.forget(c.r.InputOffset())
		first, _ := c.r.FieldPos(0) // the line in the file, blank lines counted
		c.line = first - c.extra
		for _, v := range rec {
			c.extra += strings.Count(v, "\n")
		}
		// A row of empty cells is skipped before the header as after it.
		if blankRow(rec) {
			continue
		}
		if c.header == nil {
			c.headerLine = c.line
			if err := c.readHeader(rec); err != nil {
				return c.line, err
			}
			continue
		}
		if len(rec) != len(c.header) {
			return c.line, &LineError{Line: c.line, Code: "malformed_csv",
				Reason: fmt.Sprintf("应有 %d 列，实有 %d 列", len(c.header), len(rec))}
		}
		for i, v := range rec {
			rec[i] = formulaCell(v)
			if !utf8.ValidString(v) {
				return c.line, &LineError{Line: c.line, Code: "invalid_encoding", Reason: "该行不是 UTF-8 编码的文本：" + saveAsUTF8}
			}
		}
		*op = Op{Values: map[string]string{}}
		c.blank, c.timeErr = c.blank[:0], nil
		for i, v := range rec {
			switch c.header[i] {
			case "op":
				op.Op = v
			case "subject_id":
				op.SubjectID = v
			case "key":
				op.Key = strings.TrimSpace(v)
			case "produced_at":
				if unshown(v) {
					continue
				}
				// A produced_at that cannot be read is the row's error
				// (timeErr), its other cells read all the same, so that
				// their errors are listed with it.
				t, err := csvTime(v)
				if err != nil {
					c.timeErr = &LineError{Line: c.line, Code: "invalid_produced_at", Field: "produced_at",
						Reason: "数据产生时间（produced_at）应为存在的日期时间：RFC 3339（如 2026-03-02T10:00:00+08:00），" +
							"或 Excel 保存的 YYYY/M/D H:MM[:SS]（如 2026/3/2 9:00，“/”也可为“-”）、YYYY年M月D日 H:MM[:SS]，" +
							"或 YYYY-MM-DD HH:MM:SS，时间可省略；未注明时区的按北京时间，实为“" + v + "”"}
					continue
				}
				if err := implausibleProducedAt(t, v); err != nil {
					le := lineErr(c.line, err)
					c.timeErr = &le
					continue
				}
				op.ProducedAt = t
			case "":
				if !text.Blank(v) {
					c.blank = append(c.blank, i+1)
				}
			default:
				// A cell of spaces or of characters that show nothing
				// (text.Blank) is not given, as an empty one.
				if !text.Blank(v) {
					op.Values[c.header[i]] = v
				}
			}
		}
		return c.line, nil
	}
}

// formulaReason says what is wrong with u, an unquoted ="… cell of the
// row last read that cannot be read (formulaCells), naming its row, as
// Excel numbers it (a row spread over lines by a quoted cell's line
// breaks is one), and its column, with the column's header once read.
func (c *csvSource) formulaReason(u formulaFault) string {
	col := fmt.Sprintf("第 %d 列", u.cell+1)
	if u.cell < len(c.header) && c.header[u.cell] != "" {
		col += "（" + c.header[u.cell] + "）"
	}
	return fmt.Sprintf(`CSV 格式错误：第 %d 行%s的单元格以 =" 开头，却不是可读的 ="…" 写法：%s。`+
		`如要 Excel 将身份证号等长数字保留为文本，请写作 ="440605199001011234"（引号内不含逗号、引号和换行，结束的引号后紧接逗号或行尾），`+
		`或将整个单元格放在引号中、其中的引号写成两个`, c.line, col, u.why)
}

// tooLong refuses a record over a bound (csvbound.Error), as a JSON
// Lines batch refuses a line over maxLine: the rest of it was not read,
// nor are the lines after it.
func (c *csvSource) tooLong(be *csvbound.Error) error {
	switch {
	case !be.Fields:
		return errs.E(errs.Invalid, "line_too_long", fmt.Sprintf("第 %d 行超过 1 MiB", c.line))
	case c.header == nil:
		return errs.E(errs.Invalid, "malformed_csv", fmt.Sprintf("CSV 表头（第 %d 行）超过 %d 列", c.line, be.Max))
	}
	return errs.E(errs.Invalid, "malformed_csv", fmt.Sprintf("应有 %d 列，实有超过 %d 列", len(c.header), be.Max))
}

// cancelValues words le, a cancel row's values_not_allowed, for a CSV
// file, which has no values column: it names the columns holding the
// values (vals, the row's), in the header's order.
func (c *csvSource) cancelValues(le LineError, vals map[string]string) LineError {
	var cols []string
	for _, h := range c.header {
		if _, ok := vals[h]; ok {
			cols = append(cols, h)
		}
	}
	if cols == nil {
		return le
	}
	le.Field = strings.Join(cols, "、")
	le.Reason = "注销（cancel）行不能填写信息项的值，该行的列“" + strings.Join(cols, "”“") + "”有值：注销保留记录现有的值，请清空这些单元格；" +
		"如需先改值，请先用变更（change）行修改，再注销"
	return le
}

// blankRow reports whether a CSV row's cells all show nothing (unshown):
// a blank line, or a row of commas (,,,) that Excel writes for the empty
// rows below a table. It is skipped, as a blank line is.
func blankRow(rec []string) bool {
	return !slices.ContainsFunc(rec, func(v string) bool { return !unshown(v) })
}

// unshown reports whether a CSV cell is empty, spaces or other
// characters that show nothing (text.Blank: a Hangul filler) and holds no
// format character (text.HasFormat: U+200B, U+FEFF): a cell of those is
// not blank but text the row is refused for, as records.CheckPurpose
// refuses format characters before it reads a purpose as missing.
func unshown(v string) bool {
	return text.Blank(v) && !text.HasFormat(v)
}

// excelLayouts are the date-times Excel writes into a CSV file (on
// Chinese Windows: 2026/3/2 9:00, or with seconds by the cell's format),
// the same with '-', and a cell formatted as a Chinese long date, with or
// without a time (2026年3月2日 9:00): the year first, month, day and hour
// with or without a leading zero. Excel's orders that put the year last
// (3/2/2026) are not among them: day and month could not be told apart.
var excelLayouts = []string{"2006/1/2 15:04", "2006/1/2 15:04:05", "2006-1-2 15:04", "2006-1-2 15:04:05", "2006/1/2", "2006-1-2",
	"2006年1月2日 15:04", "2006年1月2日 15:04:05", "2006年1月2日"}

// csvTime reads a CSV cell's date-time (produced_at, an item of type T):
// what ParseTime reads, or a date-time as Excel writes it (excelLayouts)
// in Beijing time. A date or time that does not exist (2026/2/30, 24:00)
// is refused.
func csvTime(s string) (time.Time, error) {
	if t, err := ParseTime(s); err == nil {
		return t, nil
	}
	s = strings.TrimSpace(s)
	for _, layout := range excelLayouts {
		if t, err := time.ParseInLocation(layout, s, calendar.Location()); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

// excelTimes are the forms of a CSV file's date-times (csvTime), the
// lines of a file a spreadsheet saved.
var excelTimes = timeForms{parse: csvTime, want: "日期时间（RFC 3339、YYYY-MM-DD HH:MM:SS，或 Excel 保存的 YYYY/M/D H:MM[:SS]（“/”也可为“-”）、YYYY年M月D日 H:MM[:SS]，时间可省略；北京时间）", spreadsheet: true}

func (c *csvSource) times() timeForms { return excelTimes }

// encodingNote tells, for a file read as GB18030, why: a UTF-8 file with
// a stray byte reads as GB18030 with garbled names. "" for a UTF-8 file.
func (c *csvSource) encodingNote() string {
	if c.gb18030 == 0 {
		return ""
	}
	return fmt.Sprintf("（第 %d 行起不是有效的 UTF-8 编码，因此按 GB18030（GBK）编码读取；如文件本是 UTF-8，请删除该行中无效的字节，或将文件另存为 UTF-8 后重新上传）", c.gb18030)
}

// saveAsUTF8 tells how to fix a CSV file whose start is UTF-8 and a later
// line is not.
const saveAsUTF8 = "请将文件另存为 UTF-8 编码（如 Excel 的“CSV UTF-8（逗号分隔）”）后重新上传"

func (c *csvSource) readHeader(rec []string) error {
	c.header = make([]string, len(rec))
	seen := map[string]bool{}
	for i, h := range rec {
		h = strings.TrimSpace(strings.TrimPrefix(h, bom))
		// The fixed columns are read in any case, as op's value is
		// (OP, Subject_ID); items keep their names.
		for _, f := range csvColumns {
			if strings.EqualFold(h, f) {
				h = f
			}
		}
		// A blank cell names no column (a trailing comma, as Excel
		// writes): a header may have several.
		if h != "" && seen[h] {
			return errs.E(errs.Invalid, "malformed_csv", fmt.Sprintf("CSV 表头（第 %d 行）有重复的列：%s", c.line, h))
		}
		seen[h] = true
		c.header[i] = h
	}
	for _, need := range []string{"op", "subject_id", "produced_at"} {
		if !seen[need] {
			if err := otherSeparator(rec, c.line); err != nil {
				return err
			}
			return errs.E(errs.Invalid, "malformed_csv", "CSV 表头缺少列 "+need+"（需要 op, subject_id, produced_at，可选 key，其余为信息项名称）")
		}
	}
	return nil
}
