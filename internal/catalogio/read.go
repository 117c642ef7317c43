package catalogio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/csvbound"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Format is a file format of import and export.
type Format string

const (
	XLSX  Format = "xlsx"
	CSV   Format = "csv"
	JSONL Format = "jsonl"
)

// FormatOf guesses the format from a file name or a media type; "" when
// neither says.
func FormatOf(nameOrType string) Format {
	s := strings.ToLower(strings.TrimSpace(nameOrType))
	switch {
	case strings.HasSuffix(s, ".xlsx"), strings.Contains(s, "spreadsheetml"), s == "xlsx":
		return XLSX
	case strings.HasSuffix(s, ".csv"), strings.HasPrefix(s, "text/csv"), s == "csv":
		return CSV
	case strings.HasSuffix(s, ".jsonl"), strings.HasSuffix(s, ".ndjson"), strings.Contains(s, "ndjson"),
		strings.Contains(s, "jsonl"), strings.Contains(s, "json-seq"), s == "jsonl":
		return JSONL
	}
	return ""
}

// Workbook signatures: an XLSX file is a zip archive; an .xls (or an
// XLSX with an opening password) an OLE compound file.
var (
	zipSignature = []byte("PK\x03\x04")
	oleSignature = []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
)

// Sniff tells a workbook by the start of its data, whatever its name: XLSX
// for a zip archive or an OLE compound file (an .xls, which the import
// refuses saying so), CSV for text beginning with a UTF-16 byte order mark
// (Excel's Unicode 文本, saved as .txt), "" for anything else.
func Sniff(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, zipSignature) || bytes.HasPrefix(head, oleSignature):
		return XLSX
	case bytes.HasPrefix(head, []byte("\xff\xfe")) || bytes.HasPrefix(head, []byte("\xfe\xff")):
		return CSV
	}
	return ""
}

// SniffLen is how many bytes of a file's start Detect needs.
const SniffLen = 8

// Detect tells the format of a file to import, as every surface of the
// import (the API, the console's import and column-mapping pages, hutong
// import catalog) tells it, and the import (ImportData, ReadHeaders)
// reads the file as the format Detect told: the format given (format=,
// -format), else the file's name, else its media type, else its start
// (head, its first SniffLen bytes or all of a shorter file; Sniff), and a
// .txt as CSV, as Excel saves its Unicode 文本. A file starting as a
// workbook (Sniff) that is given, named or typed as CSV is the workbook
// it is (XLSX; the import says to save an .xls as .xlsx), and so is an
// .xls or an .xlsx saved without its extension. It is "" when nothing
// tells.
func Detect(given Format, name, mediaType string, head []byte) Format {
	f := given
	if f == "" {
		f = FormatOf(name)
	}
	if f == "" {
		f = FormatOf(mediaType)
	}
	if s := Sniff(head); f == "" || f == CSV && s == XLSX {
		f = s
	}
	if f == "" && strings.EqualFold(path.Ext(name), ".txt") {
		return CSV
	}
	return f
}

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	switch f {
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case CSV:
		return "text/csv; charset=utf-8"
	default:
		return "application/jsonl; charset=utf-8"
	}
}

// Column says how the import understood one column of the file.
type Column struct {
	Sheet  string `json:"sheet,omitempty"`
	Header string `json:"header"`
	Field  string `json:"field,omitempty"` // field key; empty when ignored
	// Source is layout (our header), mapping (the user's mapping; with no
	// field, the mapping ignores the column), synonym (a known synonym, see
	// Suggest, or a 开放条件 column of open attributes, openAttributeColumn)
	// or ignored.
	Source string `json:"source"`
}

// table is one sheet or CSV file: a header and numbered rows. csv marks a
// CSV file, whose cells our export escapes (escapeCell).
type table struct {
	sheet  string
	header []string
	rows   []tableRow
	csv    bool
}

// tableRow is a row of a table, numbered as the file numbers it, with its
// cells that are not empty: a row as a slice as long as its last filled
// column held a string (16 bytes) for each column up to it, however few
// were filled.
type tableRow struct {
	n     int
	cells []tableCell
	// errCols are the columns whose cell holds a spreadsheet's error
	// value (formulaError): an XLSX cell of type e, or a CSV cell of such
	// text as the file holds it (our export escapes text that reads so).
	errCols []int
}

// tableCell is a cell of a row that is not empty, in its column (0 for
// the first).
type tableCell struct {
	col int
	v   string
}

// filled returns the cells of a row that are not empty, in column order.
func filled(cells []string) []tableCell {
	n := 0
	for _, c := range cells {
		if c != "" {
			n++
		}
	}
	out := make([]tableCell, 0, n)
	for i, c := range cells {
		if c != "" {
			out = append(out, tableCell{i, c})
		}
	}
	return out
}

// blank reports whether a row's cells are all blank.
func (r tableRow) blank() bool {
	return !slices.ContainsFunc(r.cells, func(c tableCell) bool { return strings.TrimSpace(c.v) != "" })
}

// parsed is what a file holds before normalisation.
type parsed struct {
	records []*record
	columns []Column
	errs    []RowError // problems with the file or with rows that are no entry
	items   int
	// unattached counts the rows of the 信息项 sheet that belong to no
	// entry read and can be told to belong to none (ambiguous_entry, a
	// row continuing one of no entry); orphans holds those naming an entry
	// the file lacks (unknown_entry), which Import counts too unless the
	// department has that entry (unattachedItems).
	unattached int
	orphans    []orphan
	// skipped are the first MaxSkippedRows of the skippedCount rows read
	// as no entry nor item though not blank.
	skipped      []SkippedRow
	skippedCount int
}

// orphan is the resource code and name an item row of the 信息项 sheet,
// or the row it continues, gives for an entry the file lacks.
type orphan struct{ code, name string }

// maxRows bounds the entry and item rows a file may hold.
const maxRows = 200000

// maxCSVRow bounds a CSV file's row (its record, which a quoted line break
// spreads over lines), as a records batch's line is bounded: 256 times a
// row of the layout as our export writes it (sheetRowXML). Its columns
// are bounded by maxColumn, as a workbook's are.
const maxCSVRow = 1 << 20

func fileErr(code, msg string) RowError { return RowError{Code: code, Message: msg} }

// parse reads data in format f into records.
func parse(data []byte, f Format, m *Mapping) (p *parsed) {
	p = &parsed{}
	defer func() {
		// excelize and encoding/csv should not panic on bad input; if a
		// malformed file finds a way, it is a bad file, not a crash.
		if r := recover(); r != nil {
			p = &parsed{errs: []RowError{fileErr("malformed_file", unreadable)}}
		}
	}()
	switch f {
	case XLSX:
		parseXLSX(p, data, m)
	case CSV:
		t, err := readCSV(data)
		if err != nil {
			p.errs = append(p.errs, *err)
		}
		if t != nil {
			p.entries(t, m)
		}
	case JSONL:
		parseJSONL(p, data)
	default:
		p.errs = append(p.errs, fileErr("unknown_format", "文件格式应为 xlsx、csv 或 jsonl"))
	}
	return p
}

// csvReader reads CSV text in UTF-8, with or without a byte order mark,
// or in UTF-16 with its mark (Excel's "Unicode 文本"), or, when it is not valid UTF-8 and has no mark, in GB18030 (what Excel
// in Chinese offices saves as "CSV"), separated by commas or, when the
// first line says so, tabs. A file with the mark is UTF-8: one with a
// byte that is not is refused (notUTF8), where it was read as GB18030,
// every Chinese character garbled. Rows are bounded (csvbound) in the
// bytes uploaded, before decoding: a GB18030 row of 800 KB is 1.2 MB of
// UTF-8. A comma, tab, quote or line break is one byte in GB18030 as in
// UTF-8, never part of a character.
func csvReader(data []byte) (*csv.Reader, *RowError) {
	// Excel's "Unicode 文本" is UTF-16 with its byte order mark, its
	// columns separated by tabs.
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		var err error
		if data, err = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(data); err != nil {
			e := fileErr("malformed_file", unreadable)
			return nil, &e
		}
	}
	data, marked := bytes.CutPrefix(data, []byte("\xef\xbb\xbf"))
	// The separator is the header's: the first line that is not blank.
	var first []byte
	for lines := bufio.NewReader(bytes.NewReader(data)); len(bytes.TrimSpace(first)) == 0; {
		line, _, err := lines.ReadLine()
		if err != nil {
			break
		}
		first = line
	}
	sep := byte(',')
	if bytes.Count(first, []byte("\t")) > bytes.Count(first, []byte(",")) {
		sep = '\t'
	}
	var text io.Reader = csvbound.New(bytes.NewReader(data), sep, maxCSVRow, maxColumn)
	if !utf8.Valid(data) {
		if marked {
			return nil, notUTF8(data)
		}
		text = transform.NewReader(text, simplifiedchinese.GB18030.NewDecoder())
	}
	r := csv.NewReader(text)
	r.Comma = rune(sep)
	r.FieldsPerRecord = -1
	return r, nil
}

// notUTF8 refuses a file marked UTF-8 (its byte order mark) that is not,
// naming the line (1 for the first) of its first byte that is not.
func notUTF8(data []byte) *RowError {
	line := 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		if data[i] == '\n' {
			line++
		}
		i += n
	}
	e := fileErr("invalid_encoding", fmt.Sprintf("文件标明是 UTF-8 编码（以 BOM 开头），但第 %d 行起不是有效的 UTF-8 编码："+
		"请删除该行中无效的字节，或在 Excel 中将文件另存为“CSV UTF-8（逗号分隔）”后重新导入", line))
	return &e
}

// csvTooLong is the error of a CSV row, on row n, over a bound
// (csvbound.Error): over maxCSVRow bytes or maxColumn columns. Reading
// stops at it.
func csvTooLong(be *csvbound.Error, n int) RowError {
	if be.Fields {
		return RowError{Row: n, Code: "malformed_csv",
			Message: fmt.Sprintf("CSV 第 %d 行超过 %d 列，超出导入读取的范围：请删除多余的列（或行尾多余的分隔符）后再导入", n, be.Max)}
	}
	return RowError{Row: n, Code: "line_too_long", Message: fmt.Sprintf("CSV 第 %d 行超过 1 MiB：一行不能超过 1 MiB", n)}
}

func readCSV(data []byte) (*table, *RowError) {
	r, rerr := csvReader(data)
	if rerr != nil {
		return nil, rerr
	}
	t := &table{csv: true}
	// Rows are numbered as Excel shows them: a line break within a quoted
	// cell is no row of its own, so the breaks of the records above are
	// taken off the line a record begins on. (A blank line is a row in
	// Excel too, and counted by its line.)
	breaks := 0
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var be *csvbound.Error
		if errors.As(err, &be) {
			e := csvTooLong(be, be.Line-breaks)
			return t, &e
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine - breaks
			}
			e := RowError{Row: line, Code: "malformed_csv", Message: fmt.Sprintf("CSV 格式错误（第 %d 行附近）：%s", line, errs.CSV(err))}
			return t, &e
		}
		line, _ := r.FieldPos(0)
		line -= breaks
		for _, c := range rec {
			breaks += strings.Count(c, "\n")
		}
		if t.header == nil {
			if blank(rec) {
				continue
			}
			t.header = rec
			continue
		}
		if len(t.rows) >= maxRows {
			e := fileErr("too_many_rows", fmt.Sprintf("文件超过 %d 行上限", maxRows))
			return t, &e
		}
		row := tableRow{n: line, cells: filled(rec)}
		for _, c := range row.cells {
			if text.ExcelError(c.v) {
				row.errCols = append(row.errCols, c.col)
			}
		}
		t.rows = append(t.rows, row)
	}
	return t, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Messages of files that cannot be read. They say what to do, not what the
// reader's error was (zip: not a valid zip file, EOF): that names no cause
// a user can act on other than saving the file again.
const (
	unreadable  = "文件无法读取，可能已损坏或不是所选的格式"
	notWorkbook = "文件不是 XLSX 工作簿，或已损坏：请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”后再导入，或导出为 CSV 文件导入"
	// excelize reads an OLE compound file (an .xls, or an encrypted .xlsx)
	// only with its password, else ErrWorkbookFileFormat.
	oleWorkbook = "文件是旧版 Excel 工作簿（.xls）或设有打开密码：请在 Excel 或 WPS 中去掉密码、另存为“Excel 工作簿（*.xlsx）”后再导入"
)

// openWorkbook opens a workbook checkWorkbook passed: excelize's limits are
// the same, and a part bigger than maxPartInMemory is unpacked to a
// temporary file (shared strings too, then looked up by offset) instead of
// memory.
func openWorkbook(data []byte) (*excelize.File, *RowError) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: maxWorkbookXML, UnzipXMLSizeLimit: maxPartInMemory})
	if err != nil {
		if f != nil {
			f.Close()
		}
		e := fileErr("malformed_workbook", notWorkbook)
		if errors.Is(err, excelize.ErrWorkbookFileFormat) {
			e.Message = oleWorkbook
		}
		return nil, &e
	}
	return f, nil
}

// sheetErr is a sheet of a workbook, or a row of it (row > 0), that cannot
// be read.
func sheetErr(sheet string, row int) *RowError {
	where := "工作表“" + sheet + "”"
	if row > 0 {
		where += fmt.Sprintf("第 %d 行", row)
	}
	return &RowError{Sheet: sheet, Row: row, Code: "malformed_workbook",
		Message: where + "无法读取，文件可能已损坏：请在 Excel 或 WPS 中打开后另存为“Excel 工作簿（*.xlsx）”再导入"}
}

// workbookSheets returns the sheet of entries: 目录, else the first sheet
// that is not hidden (a hidden one holds a drop-down's values, a 字典).
// layout reports a 目录 sheet; then items names its 信息项 sheet, "" when
// the workbook has none.
func workbookSheets(f *excelize.File) (entries string, layout bool, items string, rerr *RowError) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		e := fileErr("missing_sheet", "工作簿中没有工作表")
		return "", false, "", &e
	}
	entries = sheets[0]
	for _, s := range sheets {
		if visible, err := f.GetSheetVisible(s); err == nil && visible {
			entries = s
			break
		}
	}
	for _, s := range sheets {
		switch strings.TrimSpace(s) {
		case SheetEntries:
			entries, layout = s, true
		case SheetItems:
			items = s
		}
	}
	if !layout {
		items = ""
	}
	return entries, layout, items, nil
}

func parseXLSX(p *parsed, data []byte, m *Mapping) {
	f, rerr := openWorkbook(data)
	if rerr != nil {
		p.errs = append(p.errs, *rerr)
		return
	}
	defer f.Close()
	main, layout, itemSheet, rerr := workbookSheets(f)
	if rerr != nil {
		p.errs = append(p.errs, *rerr)
		return
	}
	t, rerr := readSheet(f, data, main)
	if rerr != nil {
		p.errs = append(p.errs, *rerr)
		return
	}
	p.entries(t, m)
	if !layout {
		return
	}
	if itemSheet == "" {
		if !p.hasItemsColumn() {
			p.errs = append(p.errs, RowError{Sheet: SheetItems, Code: "missing_sheet",
				Message: "缺少工作表“信息项”（或在“目录”工作表中用“信息项”列列出信息项名称）"})
		}
		return
	}
	it, rerr := readSheet(f, data, itemSheet)
	if rerr != nil {
		p.errs = append(p.errs, *rerr)
		return
	}
	p.itemSheet(it, m)
}

func (p *parsed) hasItemsColumn() bool {
	for _, c := range p.columns {
		if c.Field == "items" || c.Field == "item.name" {
			return true
		}
	}
	return false
}

// tooWide refuses (workbook_too_large) row n of a sheet the import reads
// whose cells, as excelize returns them, reach beyond maxColumn: excelize
// pads a row out to its last cell with content (a value or a formula; an
// empty text is none), so a row of one cell in XFD is 16,384 cells. It
// names the sheet, the row and that cell's column. Reading stops at it, so
// that such a row is made once, and the sheets the import does not read
// (a hidden code table, a sheet of instructions) are not read for it.
// Import answers it as an error of the file, as checkWorkbook's.
func tooWide(sheet string, n int, cells []string) *RowError {
	if len(cells) <= maxColumn {
		return nil
	}
	col, _ := excelize.ColumnNumberToName(len(cells))
	return &RowError{Sheet: sheet, Row: n, Code: "workbook_too_large", Message: fmt.Sprintf("工作簿过大：工作表“%s”第 %d 行 %s 列有内容，"+
		"超出导入读取的 %d 列（A 至 IV 列）：请删除该列及其右侧各列的内容后再导入", sheet, n, col, maxColumn)}
}

// readSheet reads a sheet of f, the workbook data, with the streaming row
// iterator. Row numbers are the sheet's own (1 = first row).
func readSheet(f *excelize.File, data []byte, sheet string) (*table, *RowError) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, sheetErr(sheet, 0)
	}
	defer rows.Close()
	t := &table{sheet: sheet}
	// errText are the rows holding a cell whose text is a spreadsheet's
	// error value, told one of type e (errCols) once the sheet is read
	// (errorCells).
	var errText []int
	n := 0
	for rows.Next() {
		n++
		cells, err := rows.Columns()
		if err != nil {
			return t, sheetErr(sheet, n)
		}
		if rerr := tooWide(sheet, n, cells); rerr != nil {
			return t, rerr
		}
		if t.header == nil {
			if blank(cells) {
				continue
			}
			t.header = cells
			continue
		}
		if len(t.rows) >= maxRows {
			return t, &RowError{Sheet: sheet, Code: "too_many_rows", Message: fmt.Sprintf("工作表超过 %d 行上限", maxRows)}
		}
		t.rows = append(t.rows, tableRow{n: n, cells: filled(cells)})
		if slices.ContainsFunc(cells, text.ExcelError) {
			errText = append(errText, len(t.rows)-1)
		}
	}
	if err := rows.Error(); err != nil {
		return t, sheetErr(sheet, 0)
	}
	if len(errText) == 0 {
		return t, nil
	}
	want := map[cellAt]bool{}
	for _, i := range errText {
		row := t.rows[i]
		for _, c := range row.cells {
			if text.ExcelError(c.v) {
				want[cellAt{c.col, row.n}] = true
			}
		}
	}
	typed := errorCells(f, data, sheet, want, t.rows[errText[len(errText)-1]].n)
	for _, i := range errText {
		row := &t.rows[i]
		for _, c := range row.cells {
			if typed[cellAt{c.col, row.n}] {
				row.errCols = append(row.errCols, c.col)
			}
		}
	}
	return t, nil
}

// cellAt is a cell of a sheet: its column (0 for A) and row (1 for the
// first).
type cellAt struct{ col, row int }

// errorCells returns which of the cells want of the workbook f's sheet
// are of type e, a formula's error value, reading the sheet's part of the
// workbook's data as a stream up to row last, the last row holding one.
// excelize tells a cell's type only of a sheet it reads whole into memory
// (GetCellType), its row iterator not at all: a sheet of 200,000 rows held
// a cell's text #N/A for one, then whole. A part that cannot be read so up
// to row last (not found, or its XML not decoded) is read whole all the
// same, by GetCellType: a cell's type is not guessed.
func errorCells(f *excelize.File, data []byte, sheet string, want map[cellAt]bool, last int) map[cellAt]bool {
	if found, ok := streamErrorCells(data, sheet, want, last, f.CharsetReader); ok {
		return found
	}
	found := map[cellAt]bool{}
	for at := range want {
		ref, _ := excelize.CoordinatesToCellName(at.col+1, at.row)
		if typ, err := f.GetCellType(sheet, ref); err == nil && typ == excelize.CellTypeError {
			found[at] = true
		}
	}
	return found
}

// charsetReader makes a reader of UTF-8 from input in charset, for parts
// that declare another encoding (GBK, ISO-8859-1): the workbook's
// (excelize.File.CharsetReader), so that they are read as excelize reads
// them.
type charsetReader func(charset string, input io.Reader) (io.Reader, error)

// streamErrorCells is errorCells reading the sheet's part as a stream; ok
// is false when it could not read it up to row last.
func streamErrorCells(data []byte, sheet string, want map[cellAt]bool, last int, cr charsetReader) (found map[cellAt]bool, ok bool) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, false
	}
	part := zipPart(zr, sheetPath(zr, sheet, cr))
	if part == nil {
		return nil, false
	}
	rc, err := part.Open()
	if err != nil {
		return nil, false
	}
	defer rc.Close()
	found = map[cellAt]bool{}
	dec := xml.NewDecoder(bufio.NewReaderSize(rc, 64<<10))
	dec.CharsetReader = cr
	at := cellAt{row: 0}
	for {
		tok, err := dec.Token()
		if err != nil {
			return found, err == io.EOF && at.row >= last
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "row":
			at.row, at.col = at.row+1, -1
			if n, err := strconv.Atoi(xmlAttr(se, "r")); err == nil {
				at.row = n
			}
			if at.row > last {
				return found, true
			}
		case "c":
			at.col++
			if col, row, err := excelize.CellNameToCoordinates(xmlAttr(se, "r")); err == nil {
				at.col, at.row = col-1, row
			}
			if want[at] && xmlAttr(se, "t") == "e" {
				found[at] = true
			}
		}
	}
}

// xmlAttr returns the value of se's attribute of local name name, "" when
// it has none.
func xmlAttr(se xml.StartElement, name string) string {
	for _, a := range se.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// zipPart returns the part of zr at name, as excelize finds it: a
// backslash read as a slash, in any case; nil when there is none.
func zipPart(zr *zip.Reader, name string) *zip.File {
	name = strings.ToLower(strings.TrimPrefix(name, "/"))
	for _, zf := range zr.File {
		if strings.ToLower(strings.ReplaceAll(zf.Name, "\\", "/")) == name {
			return zf
		}
	}
	return nil
}

// relationships is a part's relationships (a .rels part).
type relationships struct {
	Rel []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// readPart decodes the XML of zr's part name into v, in the encoding it
// declares (cr).
func readPart(zr *zip.Reader, name string, v any, cr charsetReader) error {
	zf := zipPart(zr, name)
	if zf == nil {
		return fs.ErrNotExist
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	dec.CharsetReader = cr
	return dec.Decode(v)
}

// sheetPath returns the path of the part of the workbook's sheet named
// sheet, found as excelize finds it: the workbook's part by the package's
// relationships (xl/workbook.xml), the sheet's relationship there, its
// target relative to the workbook's folder, their parts read in the
// encoding they declare (cr). "" when there is none.
func sheetPath(zr *zip.Reader, sheet string, cr charsetReader) string {
	book := "xl/workbook.xml"
	var pkg relationships
	if readPart(zr, "_rels/.rels", &pkg, cr) == nil {
		for _, r := range pkg.Rel {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				book = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if readPart(zr, book, &wb, cr) != nil {
		return ""
	}
	id := ""
	for _, s := range wb.Sheets {
		if s.Name == sheet {
			id = xmlAttr(xml.StartElement{Attr: s.Attrs}, "id")
		}
	}
	var rels relationships
	if id == "" || readPart(zr, path.Join(path.Dir(book), "_rels", path.Base(book)+".rels"), &rels, cr) != nil {
		return ""
	}
	for _, r := range rels.Rel {
		if r.ID == id {
			if strings.HasPrefix(r.Target, "/") {
				return r.Target
			}
			return path.Join(path.Dir(book), r.Target)
		}
	}
	return ""
}

// Headers are the column headers of a file, read without importing it:
// what a column mapping is made for.
type Headers struct {
	// Entries are the headers of the sheet of entries: 目录, a foreign
	// workbook's first sheet, or the CSV file.
	Entries []string `json:"entries"`
	// ItemsSheet reports a 信息项 sheet beside 目录 (the two-sheet
	// layout); Items are its headers.
	ItemsSheet bool     `json:"items_sheet"`
	Items      []string `json:"items,omitempty"`
}

// ReadHeaders returns the headers of a file in format f (as Detect told
// it) where the import finds them, the first non-blank row of each sheet
// it reads, without their blank cells and surrounding spaces. A file that cannot be read or
// has no header row is an Invalid error of the field file; JSON lines have
// no columns to map.
func ReadHeaders(data []byte, f Format) (h Headers, err error) {
	defer func() {
		// As in parse: a malformed file is a bad file, not a crash.
		if r := recover(); r != nil {
			h, err = Headers{}, errs.Field("file", "malformed_file", unreadable)
		}
	}()
	var rerr *RowError
	switch f {
	case CSV:
		var r *csv.Reader
		if r, rerr = csvReader(data); rerr == nil {
			h.Entries, rerr = csvHeader(r)
		}
	case XLSX:
		if err := checkWorkbook(data); err != nil {
			return Headers{}, err
		}
		h, rerr = workbookHeaders(data)
	case JSONL:
		return h, errs.Field("file", "no_columns", "JSON Lines 文件按字段名读取，没有需要映射的列")
	default:
		return h, errs.Field("file", "unknown_format", "文件格式应为 xlsx 或 csv")
	}
	if rerr != nil {
		return Headers{}, errs.Field("file", rerr.Code, rerr.Message)
	}
	if len(h.Entries) == 0 {
		return Headers{}, errs.Field("file", "empty_file", "文件没有表头行")
	}
	return h, nil
}

func csvHeader(r *csv.Reader) ([]string, *RowError) {
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		var be *csvbound.Error
		if errors.As(err, &be) {
			e := csvTooLong(be, be.Line)
			return nil, &e
		}
		if err != nil {
			return nil, &RowError{Code: "malformed_csv", Message: "CSV 格式错误：" + errs.CSV(err)}
		}
		if !blank(rec) {
			return headerCells(rec), nil
		}
	}
}

func workbookHeaders(data []byte) (Headers, *RowError) {
	var h Headers
	f, rerr := openWorkbook(data)
	if rerr != nil {
		return h, rerr
	}
	defer f.Close()
	entries, _, items, rerr := workbookSheets(f)
	if rerr != nil {
		return h, rerr
	}
	if h.Entries, rerr = sheetHeader(f, entries); rerr != nil || items == "" {
		return h, rerr
	}
	h.ItemsSheet = true
	h.Items, rerr = sheetHeader(f, items)
	return h, rerr
}

// sheetHeader reads a sheet's rows up to its first non-blank one.
func sheetHeader(f *excelize.File, sheet string) ([]string, *RowError) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, sheetErr(sheet, 0)
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns()
		if err != nil {
			return nil, sheetErr(sheet, 0)
		}
		if rerr := tooWide(sheet, n, cells); rerr != nil {
			return nil, rerr
		}
		if !blank(cells) {
			return headerCells(cells), nil
		}
	}
	if err := rows.Error(); err != nil {
		return nil, sheetErr(sheet, 0)
	}
	return nil, nil
}

// headerCells trims a header row's cells and leaves out the blank ones,
// which the import cannot map either.
func headerCells(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// resolve maps a table's columns to field keys: the user's mapping first,
// then our own headers and known synonyms. layout holds the indexes of the
// columns read as our own headers.
func (p *parsed) resolve(t *table, m *Mapping, items bool) (idx map[string]int, layout map[int]bool) {
	idx, layout = map[string]int{}, map[int]bool{}
	suggested := Suggest(t.header, items)
	for i, h := range t.header {
		h = strings.TrimSpace(h)
		col := Column{Sheet: t.sheet, Header: h, Source: "ignored"}
		key, src := "", ""
		if target, ok := m.column(h); ok {
			src = "mapping"
			if f, ok := fieldByKey(target); ok {
				key = f.Key
			} else if strings.TrimSpace(target) == "" {
				// Ignored by the user's mapping: so reported, and so saved
				// (MappingFrom), where a saved mapping left it out and the
				// next import read it by synonym.
				col.Source = "mapping"
			}
		} else if k, ok := suggested[t.header[i]]; ok {
			key, src = k, "synonym"
			if f, _ := fieldByKey(k); isHeader(f, h) || (items && h == headerOf(k)) {
				src = "layout"
			}
		}
		if items && (key == "code" || key == "name") {
			key = map[string]string{"code": "item.code", "name": "item.entry"}[key]
		}
		if key != "" {
			if _, dup := idx[key]; !dup && h != "" {
				idx[key] = i
				col.Field, col.Source = key, src
				layout[i] = src == "layout"
			}
		}
		if h != "" || col.Field != "" {
			p.columns = append(p.columns, col)
		}
	}
	return idx, layout
}

// formulaStart holds the characters with which a spreadsheet may read a
// CSV cell as a formula (CSV injection), and the quote that escapes them.
const formulaStart = "=+-@\t\r'"

// escapeCell makes a CSV cell that a spreadsheet would read as a formula
// (=, +, -, @, tab, carriage return first) plain text by prefixing a quote,
// the spreadsheet's text marker; so does text that reads as an error
// value (#N/A, text.ExcelError), which the import refuses unescaped, and a cell
// that begins with a quote, so that unescapeCell gives every value back
// exactly.
func escapeCell(v string) string {
	if v != "" && strings.IndexByte(formulaStart, v[0]) >= 0 || text.ExcelError(v) {
		return "'" + v
	}
	return v
}

// unescapeCell undoes escapeCell. A quote followed by anything else was
// written by someone else and is kept.
func unescapeCell(v string) string {
	if len(v) >= 2 && v[0] == '\'' && (strings.IndexByte(formulaStart, v[1]) >= 0 || text.ExcelError(v[1:])) {
		return v[1:]
	}
	return v
}

// unescapeCells returns the cells with those of our own layout's columns
// (as our export writes them) unescaped.
func unescapeCells(cells []tableCell, layout map[int]bool) []tableCell {
	out := slices.Clone(cells)
	for i, c := range out {
		if layout[c.col] {
			out[i].v = unescapeCell(c.v)
		}
	}
	return out
}

// cell returns a row's cell of the column of field key in idx; "" when
// it is empty or idx has no such field.
func cell(cells []tableCell, idx map[string]int, key string) string {
	i, ok := idx[key]
	if !ok {
		return ""
	}
	if j, found := slices.BinarySearchFunc(cells, i, func(c tableCell, col int) int { return cmp.Compare(c.col, col) }); found {
		return cells[j].v
	}
	return ""
}

// entries reads a one-sheet table (CSV, the 目录 sheet, a foreign
// workbook's first sheet). With a 信息项名称 column it is flat: one row per
// data item, consecutive rows of the same entry (same code, else same
// name, or both blank as under merged cells) form one entry.
func (p *parsed) entries(t *table, m *Mapping) {
	if t.header == nil {
		p.errs = append(p.errs, RowError{Sheet: t.sheet, Code: "empty_file", Message: "文件没有表头行"})
		return
	}
	idx, layout := p.resolve(t, m, false)
	if _, ok := idx["name"]; !ok {
		where := ""
		if t.sheet != "" { // a workbook's: say which sheet was read
			where = "工作表“" + t.sheet + "”"
		}
		p.errs = append(p.errs, RowError{Sheet: t.sheet, Code: "missing_column", Field: "name", Column: headerOf("name"),
			Message: where + "缺少列“资源名称”（表头：" + strings.Join(t.header, "，") + "；可用列映射指定哪一列是资源名称）"})
		return
	}
	_, flat := idx["item.name"]
	var cur *record
	for _, row := range t.rows {
		if row.blank() {
			continue
		}
		if t.csv {
			row.cells = unescapeCells(row.cells, layout)
		}
		// Empty cells are left out, read as "" all the same: a map of
		// every column was most of what an import held per row.
		vals, bad := cellValues(t.sheet, row, idx, false)
		bad = append(bad, unnamedCells(t, row)...)
		if flat && cur != nil && continues(cur.vals, vals) {
			cur.errs = append(cur.errs, bad...)
			cur.conflicting(t.sheet, row.n, vals)
			p.addItem(cur, t.sheet, row, idx)
			continue
		}
		cur = &record{sheet: t.sheet, row: row.n, vals: vals, errs: bad}
		p.records = append(p.records, cur)
		if flat {
			p.addItem(cur, t.sheet, row, idx)
		}
	}
	if len(p.records) == 0 {
		p.errs = append(p.errs, RowError{Sheet: t.sheet, Code: "empty_file", Message: "文件中没有数据资源（只有表头）"})
	}
}

// unnamedCells refuses each cell of a row, not blank, in a column whose
// header is blank (a merged header cell, exported blank beside its first
// column) or that has none: its value belongs to no field and would be
// lost without a word. The row fails, as the records import refuses a
// value of a column without a name.
func unnamedCells(t *table, row tableRow) []RowError {
	var out []RowError
	for _, c := range row.cells {
		if strings.TrimSpace(c.v) == "" || (c.col < len(t.header) && strings.TrimSpace(t.header[c.col]) != "") {
			continue
		}
		letter, _ := excelize.ColumnNumberToName(c.col + 1)
		out = append(out, RowError{Sheet: t.sheet, Row: row.n, Code: "unnamed_column", Message: fmt.Sprintf(
			"第 %d 列（%s 列）没有列名（表头为空），此行该列却有值：请在表头填写该列的名称（合并的表头单元格请拆分后逐列填写），或删去该列的值",
			c.col+1, letter)})
	}
	return out
}

// continues reports whether a flat row belongs to the entry begun above.
func continues(first, row map[string]string) bool {
	code, name := strings.TrimSpace(row["code"]), strings.TrimSpace(row["name"])
	switch {
	case code == "" && name == "":
		return true
	case code != "":
		return code == strings.TrimSpace(first["code"])
	default:
		return strings.TrimSpace(first["code"]) == "" && name == strings.TrimSpace(first["name"])
	}
}

// conflicting notes an error of the entry for each value of a flat row
// that continues it and is filled in but differs from the entry's first row:
// such a row may begin another entry of the same name, whose values would
// otherwise be dropped and its items merged into this one.
func (r *record) conflicting(sheet string, n int, vals map[string]string) {
	for _, f := range append(entryFields[:len(entryFields):len(entryFields)], itemsListField) {
		v, first := strings.TrimSpace(vals[f.Key]), strings.TrimSpace(r.vals[f.Key])
		if v == "" || v == first {
			continue
		}
		if first == "" {
			first = "（空）"
		}
		r.errs = append(r.errs, RowError{Sheet: sheet, Row: n, Field: f.Key, Column: f.Header, Code: "conflicting_entry_values",
			Message: fmt.Sprintf("此行与第 %d 行同属一个数据资源（资源代码或名称相同），但“%s”不同：“%s”与“%s”；"+
				"若是另一个同名的数据资源，请填写不同的资源代码，否则请使各行一致", r.row, f.Header, v, first)})
	}
}

// cellValues returns a row's values of the fields of idx, those of data
// items (item.*) or those of its entry, and an error for each such cell
// that holds a spreadsheet's error value (formulaError), left out of the
// values.
func cellValues(sheet string, row tableRow, idx map[string]int, items bool) (map[string]string, []RowError) {
	vals := map[string]string{}
	var bad []RowError
	for k := range idx {
		v := cell(row.cells, idx, k)
		if v == "" || strings.HasPrefix(k, "item.") != items {
			continue
		}
		if slices.Contains(row.errCols, idx[k]) {
			bad = append(bad, formulaError(sheet, row.n, k, v))
			continue
		}
		vals[k] = v
	}
	slices.SortFunc(bad, func(a, b RowError) int { return cmp.Compare(idx[a.Field], idx[b.Field]) })
	return vals, bad
}

// formulaError refuses the cell v of field key on row n, a spreadsheet's
// error value (tableRow.errCols), which would otherwise be stored as the
// value.
func formulaError(sheet string, n int, key, v string) RowError {
	v = strings.TrimSpace(v)
	return RowError{Sheet: sheet, Row: n, Field: key, Column: headerOf(key), Code: "excel_error_value",
		Message: "单元格是公式错误值 " + v + "：请修正公式或改为文本后再导入"}
}

func (p *parsed) addItem(r *record, sheet string, row tableRow, idx map[string]int) {
	vals, bad := cellValues(sheet, row, idx, true)
	r.errs = append(r.errs, bad...)
	if blank(mapValues(vals)) {
		return
	}
	r.items = append(r.items, itemRecord{sheet: sheet, row: row.n, vals: vals})
	p.items++
}

// holdsItem reports whether a row of the 信息项 sheet holds an item: a
// value of a field of the item itself, not only its entry's code or name.
// A row that holds none (a note below the items, 注：资源代码须与…, in the
// 资源代码 column) is no item: it is skipped, and listed as such
// (skippedItemRow).
func holdsItem(cells []tableCell, idx map[string]int) bool {
	for k := range idx {
		if strings.HasPrefix(k, "item.") && k != "item.code" && k != "item.entry" && strings.TrimSpace(cell(cells, idx, k)) != "" {
			return true
		}
	}
	return false
}

// skippedItemRow is row, of the 信息项 sheet, holding no item (holdsItem),
// as the report lists it, quoting the row's text.
func skippedItemRow(sheet string, row tableRow) SkippedRow {
	var parts []string
	for _, c := range row.cells {
		if v := strings.Join(strings.Fields(c.v), " "); v != "" {
			parts = append(parts, v)
		}
	}
	quoted := []rune(strings.Join(parts, " "))
	if len(quoted) > maxQuoted {
		quoted = append(quoted[:maxQuoted], '…')
	}
	return SkippedRow{Sheet: sheet, Row: row.n,
		Message: "该行没有信息项的值（信息项名称、数据类型等均为空），未作为信息项导入：“" + string(quoted) + "”；如是信息项，请填写信息项名称等列"}
}

// maxQuoted bounds the characters of a row that a skipped row's message
// quotes.
const maxQuoted = 40

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// itemSheet reads the 信息项 sheet and attaches each row to its entry by
// resource code, else by resource name. A row that leaves both blank
// continues the row above (merged cells, as in a one-sheet table's
// continues); a row that cannot be attached is an error of the file's
// items (unattached), which no entry's errors show.
func (p *parsed) itemSheet(t *table, m *Mapping) {
	if t.header == nil {
		return
	}
	idx, _ := p.resolve(t, m, true) // a sheet of a workbook: nothing escaped
	if _, ok := idx["item.name"]; !ok {
		p.errs = append(p.errs, RowError{Sheet: t.sheet, Code: "missing_column", Field: "item.name", Column: headerOf("item.name"),
			Message: "工作表“信息项”缺少列“信息项名称”"})
		return
	}
	_, hasCode := idx["item.code"]
	_, hasName := idx["item.entry"]
	if !hasCode && !hasName {
		p.errs = append(p.errs, RowError{Sheet: t.sheet, Code: "missing_column", Field: "item.entry", Column: headerOf("item.entry"),
			Message: "工作表“信息项”需要“资源代码”或“资源名称”列，说明每个信息项属于哪个数据资源"})
		return
	}
	byCode := map[string]*record{}
	byName := map[string][]*record{}
	for _, r := range p.records {
		if c := strings.TrimSpace(r.vals["code"]); c != "" {
			byCode[c] = r
		}
		n := strings.TrimSpace(r.vals["name"])
		byName[n] = append(byName[n], r)
	}
	// above is the entry of the row above, nil when it had none; aboveRow
	// is the row that named it, 0 before the first.
	// aboveOrphan is the entry the file lacks that the row above named.
	var above *record
	var aboveOrphan *orphan
	aboveRow := 0
	for _, row := range t.rows {
		if row.blank() {
			continue
		}
		if !holdsItem(row.cells, idx) {
			if p.skippedCount++; len(p.skipped) < MaxSkippedRows {
				p.skipped = append(p.skipped, skippedItemRow(t.sheet, row))
			}
			continue
		}
		code, name := strings.TrimSpace(cell(row.cells, idx, "item.code")), strings.TrimSpace(cell(row.cells, idx, "item.entry"))
		var e *RowError
		var of *orphan
		switch {
		case code == "" && name == "" && above != nil:
		case code == "" && name == "" && aboveOrphan != nil:
			of = aboveOrphan
			e = &RowError{Field: "item.entry", Column: headerOf("item.entry"), Code: "unknown_entry",
				Message: fmt.Sprintf("信息项的资源代码和资源名称为空，沿用第 %d 行，而该行所属的数据资源未能确定", aboveRow)}
		case code == "" && name == "" && aboveRow == 0:
			e = &RowError{Field: "item.entry", Column: headerOf("item.entry"), Code: "unknown_entry",
				Message: "信息项未填写所属数据资源的资源代码或资源名称"}
		case code == "" && name == "":
			e = &RowError{Field: "item.entry", Column: headerOf("item.entry"), Code: "unknown_entry",
				Message: fmt.Sprintf("信息项的资源代码和资源名称为空，沿用第 %d 行，而该行所属的数据资源未能确定", aboveRow)}
		case code != "" && byCode[code] != nil:
			above = byCode[code]
		case code != "":
			of = &orphan{code: code}
			e = &RowError{Field: "item.code", Column: headerOf("item.code"), Code: "unknown_entry",
				Message: "信息项所属的资源代码“" + code + "”在“目录”工作表中不存在"}
		case len(byName[name]) == 1:
			above = byName[name][0]
		case len(byName[name]) > 1:
			e = &RowError{Field: "item.entry", Column: headerOf("item.entry"), Code: "ambiguous_entry",
				Message: "“目录”工作表中有多个名为“" + name + "”的数据资源，请用资源代码指明信息项所属的资源"}
		default:
			of = &orphan{name: name}
			e = &RowError{Field: "item.entry", Column: headerOf("item.entry"), Code: "unknown_entry",
				Message: "信息项所属的数据资源“" + name + "”在“目录”工作表中不存在"}
		}
		if code != "" || name != "" {
			aboveRow = row.n
			aboveOrphan = of
		}
		if e != nil {
			if code != "" || name != "" {
				above = nil
			}
			e.Sheet, e.Row = t.sheet, row.n
			p.errs = append(p.errs, *e)
			if of != nil {
				p.orphans = append(p.orphans, *of)
			} else {
				p.unattached++
			}
			continue
		}
		above.errs = append(above.errs, unnamedCells(t, row)...)
		p.addItem(above, t.sheet, row, idx)
	}
}

// jsonLine is one line of the JSON lines format: a Resource with its
// resource code and provider department.
type jsonLine struct {
	Code       string         `json:"code,omitempty"`
	Department string         `json:"department,omitempty"`
	Status     catalog.Status `json:"status,omitempty"` // written on export, ignored on import
	catalog.Resource
}

var jsonLineType = reflect.TypeFor[jsonLine]()

func parseJSONL(p *parsed, data []byte) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	n := 0
	for len(data) > 0 {
		n++
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if len(p.records) >= maxRows {
			p.errs = append(p.errs, fileErr("too_many_rows", fmt.Sprintf("文件超过 %d 行上限", maxRows)))
			return
		}
		var l jsonLine
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		// A key naming a field in another case, which encoding/json takes
		// for it, or given twice, of which it keeps the last, is refused
		// first, as an unknown one.
		err := errs.CheckJSONKeys(line, jsonLineType)
		if err == nil {
			err = dec.Decode(&l)
		}
		if err != nil || dec.More() {
			msg := "不是有效的 JSON 对象"
			if e := errs.As(err); e != nil {
				msg += "：" + e.Message
			} else if err != nil {
				msg += "：" + errs.JSONIn(err, line).Message
			}
			p.errs = append(p.errs, RowError{Row: n, Code: "malformed_json", Message: msg})
			continue
		}
		// encoding/json made U+FFFD of what is not UTF-8 and of an
		// escaped surrogate that is not half of a pair: refused, not stored so.
		if field, bad := text.BadJSON(line); bad {
			p.errs = append(p.errs, RowError{Row: n, Field: field, Code: "invalid_text", Message: text.BadJSONLine(field)})
			continue
		}
		p.records = append(p.records, fromResource(n, l))
		p.items += len(l.Items)
	}
	if len(p.records) == 0 && len(p.errs) == 0 {
		p.errs = append(p.errs, fileErr("empty_file", "文件中没有数据资源"))
	}
}

// fromResource turns a JSON line into a record, so that it goes through the
// same normalisation as a spreadsheet row (codes and labels both accepted).
// Service items stay as they are: a list, not a cell to split.
func fromResource(n int, l jsonLine) *record {
	r := l.Resource
	c := r.Classification
	methods := make([]string, len(r.ShareMethods))
	for i, m := range r.ShareMethods {
		methods[i] = string(m)
	}
	level := ""
	if r.SecurityLevel != 0 {
		level = strconv.Itoa(r.SecurityLevel)
	}
	rec := &record{row: n, vals: map[string]string{
		"name": r.Name, "code": l.Code, "provider": l.Department, "abstract": r.Abstract, "class": string(c.Class),
		"category_code": c.CategoryCode, "category_name": c.CategoryName, "subcategory_code": c.SubcategoryCode,
		"subcategory_name": c.SubcategoryName, "detail_code": c.DetailCode, "detail_name": c.DetailName,
		"format": string(r.Format), "share_type": string(r.ShareType), "share_conditions": r.ShareConditions,
		"legal_basis": r.LegalBasis, "share_methods": strings.Join(methods, "、"), "share_scope": r.ShareScope,
		"open_attribute": string(r.OpenAttribute), "open_conditions": r.OpenConditions,
		"update_frequency": string(r.UpdateFrequency), "update_frequency_other": r.FrequencyOther,
		"timeliness": r.Timeliness, "security_level": level, "network_zone": string(r.NetworkZone),
		"domain": r.Domain, "domain_other": r.DomainOther, "subject_kind": string(r.SubjectKind),
		"related_codes": strings.Join(r.RelatedCodes, "、"),
	}, services: r.ServiceItems}
	for _, it := range r.Items {
		rec.items = append(rec.items, itemRecord{row: n, vals: itemVals(it)})
	}
	return rec
}

func itemVals(it catalog.Item) map[string]string {
	length := ""
	if it.Length != 0 {
		length = strconv.Itoa(it.Length)
	}
	return map[string]string{"item.name": it.Name, "item.type": string(it.Type), "item.length": length,
		"item.identifies_subject": yesNo(it.IdentifiesSubject), "item.description": it.Description}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
