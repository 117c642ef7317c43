package catalogio

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/durable"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// ExportOptions selects the entries exported.
type ExportOptions struct {
	// DepartmentID limits the export to one department; 0 exports every
	// entry the actor may see.
	DepartmentID int64
	// Statuses filters by status; empty means every status the actor may
	// see (drafts only of its own department, all for the operator) but
	// retired: a file carries no status, so an import would bring retired
	// entries back as drafts. Name catalog.Retired to export them too.
	Statuses []catalog.Status
	// Filter narrows the export as the catalog list's search narrows the
	// list (catalog.Search), so that the file holds the list's rows: its
	// Text, Domain, ShareType, ShareMethod, UpdateFrequency,
	// SecurityLevel, OpenAttribute, SubjectKind and ReviewDue (at Now) are
	// read, and its Sort orders the file (none: by name). Its other fields
	// are not: DepartmentID and Statuses above are the export's, and it
	// pages through the whole list itself.
	Filter catalog.Query
}

// Export writes the catalog entries the actor may see in format f: the
// version in force, or the draft before the first approval; a published
// entry listed for its revision (statuses draft, submitted or rejected
// without published, the 草稿与退回 and 待审核 views) by the revision, as
// the list shows it (catalog.Working), with the revision's status (draft,
// submitted or rejected; JSON lines write it) rather than the entry's
// own. opt.Filter narrows it as the list's
// text and filters do, the list's rows in its order. It returns the
// number of entries written. An unknown status in opt is an error
// (invalid_status) before anything is written. It reads in one snapshot
// (sqldb.DB.Snapshot): the catalog as of one moment, although it pages
// through it by name while entries may be renamed. It writes nothing to w
// before the snapshot's transaction has ended (CSV and JSON lines are
// spooled to a temporary file, in os.TempDir), so an error reading the
// catalog comes before the first byte, and a client reading slowly holds
// no transaction or connection. A temporary file (its own, or excelize's
// for a large sheet) that cannot be created or written for want of space
// is the server's temporary condition (errs.TempSpace: 503
// temp_space_full), not its internal error; its own failing for another
// reason (EFBIG, EIO) is said in Chinese, naming it or its folder.
func Export(ctx context.Context, db *sqldb.DB, by catalog.Actor, w io.Writer, f Format, opt ExportOptions) (int, error) {
	return export(ctx, db, by, w, f, opt, func() (*os.File, error) { return os.CreateTemp("", "hutong-export-*") })
}

// export is Export with the temporary file of CSV and JSON lines from
// create.
func export(ctx context.Context, db *sqldb.DB, by catalog.Actor, w io.Writer, f Format, opt ExportOptions,
	create func() (*os.File, error)) (int, error) {
	for _, s := range opt.Statuses {
		if !s.OfEntry() {
			return 0, errs.Field("status", "invalid_status", fmt.Sprintf(
				"状态“%s”无效，应为 draft（草稿）、submitted（待审核）、rejected（已退回）、published（已发布）或 retired（已注销）", s))
		}
	}
	if f != XLSX && f != CSV && f != JSONL {
		return 0, errs.Field("format", "invalid_format", "导出格式应为 xlsx、csv 或 jsonl")
	}
	// Nothing reaches w while the snapshot is open, so that a slow client
	// holds no read transaction and no connection of the pool: CSV and
	// JSON lines go to a temporary file (memory stays flat), copied to w
	// once the transaction has ended; excelize builds the workbook, its
	// stream writers spilling large sheets to temporary files, and it is
	// written after the transaction too.
	var sink sink
	var spool *os.File
	var buf *bufio.Writer
	if f == XLSX {
		sink = newXLSXSink()
	} else {
		var err error
		if spool, err = create(); err != nil {
			if errs.IsTempSpace(err) {
				return 0, errs.TempSpace(fmt.Errorf("export: temporary file: %w", err))
			}
			return 0, fmt.Errorf("无法在临时文件夹 %s 中新建文件：%s", os.TempDir(), durable.WriteReason(err))
		}
		defer func() {
			spool.Close()
			os.Remove(spool.Name())
		}()
		buf = bufio.NewWriterSize(spool, 64<<10)
		if f == CSV {
			sink = newCSVSink(buf)
		} else {
			sink = &jsonlSink{enc: json.NewEncoder(buf)}
		}
	}
	entry := func(e catalog.Entry) error { return errs.TempSpace(sink.entry(e)) }
	if spool != nil {
		entry = func(e catalog.Entry) error { return spoolFailed(spool, sink.entry(e)) }
	}
	var n int
	err := db.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		n, err = eachEntry(ctx, q, by, opt, entry)
		return err
	})
	if err != nil {
		return n, err
	}
	if spool == nil {
		return n, sink.finish(w)
	}
	if err := sink.finish(buf); err != nil {
		return n, spoolFailed(spool, err)
	}
	if err := buf.Flush(); err != nil {
		return n, spoolFailed(spool, err)
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return n, readBackFailed(spool, err)
	}
	// Neither side's ReaderFrom nor WriterTo: (*os.File).ReadFrom's
	// copy_file_range says a read of spool failing as a write of w.
	_, err = io.Copy(struct{ io.Writer }{w}, struct{ io.Reader }{spool})
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == spool.Name() {
		return n, readBackFailed(spool, err)
	}
	return n, err
}

// readBackFailed says in Chinese, naming it, that the temporary file spool
// could not be rewound or read to copy it to the client, for the reason
// durable.WriteReason gives (an I/O error as 输入输出错误（磁盘或文件系统
// 故障）), where it was the system's English ("export: temporary file:
// seek /tmp/…: input/output error").
func readBackFailed(spool *os.File, err error) error {
	return fmt.Errorf("无法读回临时文件 %s：%s", spool.Name(), durable.WriteReason(err))
}

// spoolFailed is err, from writing the temporary file spool, as the
// export's error: for want of space the server's temporary condition
// (errs.TempSpace), another failure of the file (a file larger than the
// system allows, an I/O error) in Chinese naming it (durable.WriteFailed),
// where it was the system's English; any other error as it is.
func spoolFailed(spool *os.File, err error) error {
	var pe *fs.PathError
	switch {
	case errs.IsTempSpace(err):
		return errs.TempSpace(fmt.Errorf("export: temporary file: %w", err))
	case errors.As(err, &pe):
		return durable.WriteFailed("临时文件", spool.Name(), err)
	}
	return err
}

// eachEntry pages through the catalog search under opt's filters, by name
// unless opt.Filter says another order, and loads the entries of each page
// at once (catalog.Listed).
func eachEntry(ctx context.Context, q sqldb.Querier, by catalog.Actor, opt ExportOptions, fn func(catalog.Entry) error) (int, error) {
	statuses := opt.Statuses
	if len(statuses) == 0 {
		statuses = []catalog.Status{catalog.Draft, catalog.Submitted, catalog.Rejected, catalog.Published}
	}
	f := opt.Filter
	query := catalog.Query{Text: f.Text, DepartmentID: opt.DepartmentID, Domain: f.Domain, ShareType: f.ShareType,
		ShareMethod: f.ShareMethod, UpdateFrequency: f.UpdateFrequency, SecurityLevel: f.SecurityLevel,
		OpenAttribute: f.OpenAttribute, SubjectKind: f.SubjectKind, Statuses: statuses, ReviewDue: f.ReviewDue, Now: f.Now,
		Sort: f.Sort, Limit: 100}
	if query.Sort == "" {
		query.Sort = catalog.ByName
	}
	n := 0
	for {
		page, err := catalog.Search(ctx, q, by, query)
		if err != nil {
			return n, err
		}
		ids, revisions := make([]int64, len(page.Items)), map[int64]bool{}
		for i, s := range page.Items {
			ids[i] = s.ID
			if revisionListed(s, statuses) {
				revisions[s.ID] = true
			}
		}
		entries, err := catalog.Listed(ctx, q, by, ids, revisions)
		if err != nil {
			return n, err
		}
		for i, e := range entries {
			if s := page.Items[i]; revisions[s.ID] {
				// The revision's state goes with its text (the status
				// of JSON lines), not the entry's own, published.
				e.Status = s.RevisionStatus
			}
			if err := fn(e); err != nil {
				return n, err
			}
			n++
		}
		if page.NextCursor == "" {
			return n, nil
		}
		query.Cursor = page.NextCursor
	}
}

// revisionListed reports whether the list of statuses shows published
// entry s for its revision (catalog.Query.Statuses: draft, submitted or
// rejected without published, the 草稿与退回 and 待审核 views), whose
// text the export then writes, as the list shows it, rather than the
// version in force. Search leaves RevisionStatus empty for a reader who
// may not see the revision.
func revisionListed(s catalog.Summary, statuses []catalog.Status) bool {
	return s.Status == catalog.Published && s.RevisionStatus != "" && slices.Contains(statuses, s.RevisionStatus) &&
		!slices.Contains(statuses, catalog.Published)
}

type sink interface {
	entry(e catalog.Entry) error
	finish(w io.Writer) error
}

// entryRow is the 目录 row of an entry, in entryFields order.
func entryRow(e catalog.Entry) []string {
	r := e.Resource
	c := r.Classification
	methods := make([]string, len(r.ShareMethods))
	for i, m := range r.ShareMethods {
		methods[i] = m.Label()
	}
	level := ""
	if r.SecurityLevel != 0 {
		level = strconv.Itoa(r.SecurityLevel)
	}
	domain := catalog.Label("domain", r.Domain)
	return []string{r.Name, e.Code, e.DepartmentName, r.Abstract, c.Class.Label(), c.CategoryCode, c.CategoryName,
		c.SubcategoryCode, c.SubcategoryName, c.DetailCode, c.DetailName, r.Format.Label(), r.ShareType.Label(),
		r.ShareConditions, r.LegalBasis, strings.Join(methods, "、"), r.ShareScope, r.OpenAttribute.Label(),
		r.OpenConditions, r.UpdateFrequency.Label(), r.FrequencyOther, r.Timeliness, level, r.NetworkZone.Label(),
		domain, r.DomainOther, r.SubjectKind.Label(), catalog.FormatServiceItems(r.ServiceItems, "；"), strings.Join(r.RelatedCodes, "、")}
}

// itemRow is a 信息项 row without its first two columns (code and name).
func itemRow(it catalog.Item) []string {
	length := ""
	if it.Length != 0 {
		length = strconv.Itoa(it.Length)
	}
	return []string{it.Name, string(it.Type), length, yesNo(it.IdentifiesSubject), it.Description}
}

func headers(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Header
	}
	return out
}

// xlsxSink writes the two sheets with excelize's stream writers.
type xlsxSink struct {
	f              *excelize.File
	entries, items *excelize.StreamWriter
	row, itemRow   int
	err            error
}

func newXLSXSink() *xlsxSink {
	s := &xlsxSink{f: excelize.NewFile(), row: 1, itemRow: 1}
	s.err = s.start()
	return s
}

func (s *xlsxSink) start() error {
	if err := s.f.SetSheetName("Sheet1", SheetEntries); err != nil {
		return err
	}
	if _, err := s.f.NewSheet(SheetItems); err != nil {
		return err
	}
	style, err := s.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	if s.entries, err = s.f.NewStreamWriter(SheetEntries); err != nil {
		return err
	}
	if s.items, err = s.f.NewStreamWriter(SheetItems); err != nil {
		return err
	}
	widths := map[*excelize.StreamWriter][]float64{
		s.entries: {30, 18, 24, 40, 14, 8, 14, 8, 14, 8, 14, 12, 12, 20, 24, 24, 20, 12, 20, 10, 14, 14, 8, 10, 12, 12, 14, 30, 24},
		s.items:   {18, 30, 20, 10, 8, 12, 30},
	}
	for sw, ws := range widths {
		for i, wd := range ws {
			if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
				return err
			}
		}
	}
	if err := s.entries.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := s.items.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := s.entries.SetRow("A1", styled(headers(entryFields), style)); err != nil {
		return err
	}
	return s.items.SetRow("A1", styled(headers(itemFields), style))
}

func styled(vals []string, style int) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return out
}

// cells writes every value as a string, so that codes keep their zeros.
func cells(vals []string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

func (s *xlsxSink) entry(e catalog.Entry) error {
	if s.err != nil {
		return s.err
	}
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	row := entryRow(e)
	if err := fitsCells(e, entryFields, row); err != nil {
		return err
	}
	if err := s.entries.SetRow(cell, cells(row)); err != nil {
		return err
	}
	for _, it := range e.Items {
		s.itemRow++
		cell, _ := excelize.CoordinatesToCellName(1, s.itemRow)
		row := append([]string{e.Code, e.Name}, itemRow(it)...)
		if err := fitsCells(e, itemFields, row); err != nil {
			return err
		}
		if err := s.items.SetRow(cell, cells(row)); err != nil {
			return err
		}
	}
	return nil
}

// fitsCells refuses a row of e holding a value longer than a workbook's
// cell holds, excelize.TotalCellChars UTF-16 units: excelize would cut it
// without a word, and an import of the file would store what is left. The
// catalog's limits keep every cell of an entry they accept within it (see
// catalog.MaxServiceName); an entry stored before them, with a longer 项
// name or service item, may not be, and is refused whole (400
// cell_too_long, naming the entry and the column), before anything is
// written, rather than exported cut: CSV and JSON lines hold it whole.
func fitsCells(e catalog.Entry, fields []Field, row []string) error {
	for i, v := range row {
		n := 0
		for _, r := range v {
			n += utf16.RuneLen(r)
		}
		if n > excelize.TotalCellChars {
			return errs.Field("format", "cell_too_long", fmt.Sprintf(
				"数据资源“%s”（%s）的“%s”有 %d 个字符（按 UTF-16 计），超过 Excel 单元格上限 %d，导出为 xlsx 会被截断："+
					"请先修改该数据资源，或导出为 CSV 或 JSON Lines", e.Name, e.Code, fields[i].Header, n, excelize.TotalCellChars))
		}
	}
	return nil
}

func (s *xlsxSink) finish(w io.Writer) error {
	defer s.f.Close()
	if s.err != nil {
		return s.err
	}
	if err := s.entries.Flush(); err != nil {
		return err
	}
	if err := s.items.Flush(); err != nil {
		return err
	}
	s.f.SetActiveSheet(0)
	if _, err := s.f.WriteTo(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// csvSink writes one row per data item: the entry's columns repeated,
// then the item's (信息项名称 … 说明). UTF-8 with a byte order mark, so
// that Excel opens it with the right encoding, and every cell a spreadsheet
// would take for a formula escaped (escapeCell; the import unescapes the
// columns of our layout).
type csvSink struct {
	w   *csv.Writer
	err error
}

func newCSVSink(w io.Writer) *csvSink {
	s := &csvSink{w: csv.NewWriter(w)}
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		s.err = err
		return s
	}
	s.err = s.w.Write(append(headers(entryFields), headers(itemFields[2:])...))
	return s
}

func (s *csvSink) entry(e catalog.Entry) error {
	if s.err != nil {
		return s.err
	}
	row := entryRow(e)
	if len(e.Items) == 0 {
		return s.write(append(row, make([]string, len(itemFields)-2)...))
	}
	for _, it := range e.Items {
		if err := s.write(append(append([]string(nil), row...), itemRow(it)...)); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes r as a CSV file for Excel, as the catalog's CSV export
// is (UTF-8 with a byte order mark, no cell a spreadsheet would take for a
// formula): a line for each error and each normalised value, led by the
// column errors (row 各行), then one for each row skipped (跳过) the
// report lists, and one saying how many more it does not.
func (r *Report) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	s := &csvSink{w: csv.NewWriter(w)}
	s.write([]string{"类别", "工作表", "行", "列", "问题代码", "问题或原因", "原值", "规范为"})
	for _, e := range r.ColumnErrors {
		s.write([]string{"错误", e.Sheet, "各行", e.Column, e.Code, e.Message, "", ""})
	}
	for _, e := range r.Errors {
		row := "文件"
		if e.Row > 0 {
			row = strconv.Itoa(e.Row)
		}
		s.write([]string{"错误", e.Sheet, row, e.Column, e.Code, e.Message, "", ""})
	}
	for _, c := range r.Changes {
		s.write([]string{"自动规范", c.Sheet, strconv.Itoa(c.Row), c.Column, "", c.Reason, c.From, c.To})
	}
	for _, k := range r.SkippedRows {
		s.write([]string{"跳过", k.Sheet, strconv.Itoa(k.Row), "", "", k.Message, "", ""})
	}
	if more := r.SkippedCount - len(r.SkippedRows); more > 0 {
		s.write([]string{"跳过", "", "", "", "", fmt.Sprintf("另有 %d 行同样跳过，未逐行列出", more), "", ""})
	}
	s.w.Flush()
	return s.w.Error()
}

// write writes a row of values, escaped.
func (s *csvSink) write(row []string) error {
	for i, v := range row {
		row[i] = escapeCell(v)
	}
	return s.w.Write(row)
}

func (s *csvSink) finish(io.Writer) error {
	if s.err != nil {
		return s.err
	}
	s.w.Flush()
	return s.w.Error()
}

type jsonlSink struct{ enc *json.Encoder }

func (s *jsonlSink) entry(e catalog.Entry) error {
	r := e.Resource
	for i := range r.Items {
		r.Items[i].Source = nil
	}
	return s.enc.Encode(jsonLine{Code: e.Code, Department: e.DepartmentName, Status: e.Status, Resource: r})
}

func (s *jsonlSink) finish(io.Writer) error { return nil }
