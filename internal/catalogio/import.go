package catalogio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Options controls Import.
type Options struct {
	// DepartmentID is the importing department: entries are created as its
	// drafts. The actor must be an editor of it.
	DepartmentID int64
	// Mapping maps the file's columns to fields and gives default values;
	// nil reads our own headers and known synonyms (see Suggest).
	Mapping *Mapping
	// GoodOnly imports the rows without errors and reports the others;
	// otherwise one bad row imports nothing. A file not read whole (an
	// error of the file, see fileLevel) imports nothing either way.
	GoodOnly bool
	// Submit sends every imported entry to review right away, and so
	// every entry found unchanged whose draft or rejected version is the row,
	// once every row is stored: an entry may relate to (关联资源代码) an
	// entry of any row of the file.
	Submit bool
	// DryRun does everything in a transaction that is rolled back.
	DryRun bool
	// AnyProvider imports rows whose 数源部门 is another or an unknown
	// department into DepartmentID anyway (the providers are still matched
	// and listed). Without it such rows are errors.
	AnyProvider bool
	// Progress, when set, is called as rows are stored: done of total.
	Progress func(done, total int)
	// Now is the time recorded; zero means now, UTC in whole microseconds.
	Now time.Time
	// Begin, when set, runs first in the import's transaction (under a
	// caller's, sqldb.WithTx, first after the import's savepoint), before
	// anything is read or written in it, dry runs' too, and again in the
	// transaction of an import made again once its submissions were
	// refused (errResubmit): what it writes in tx is the import's, undone
	// with a dry run, a rejected import or the attempt made again, and
	// committed with the import's rows. Its error ends the import and is
	// returned, as the import's other errors are: the import's own
	// transaction is rolled back, a caller's is the caller's to roll back
	// (see Import). The API claims an Idempotency-Key so.
	Begin func(tx *sqldb.Tx) error
	// Stored, when set, runs in the import's transaction once its rows
	// are stored and its audit row written, with the report returned if
	// that transaction commits: what it writes in tx is committed with the
	// import or not at all, and its error rolls the import back and is
	// returned (the API keeps an Idempotency-Key's answer so). A dry run or
	// a refused import, which store nothing, does not run it.
	Stored func(tx *sqldb.Tx, rep *Report) error
}

// Report is what an import did or would do.
type Report struct {
	Format   Format `json:"format"`
	DryRun   bool   `json:"dry_run"`
	GoodOnly bool   `json:"good_only"`
	// Imported is true when the changes were committed.
	Imported bool `json:"imported"`
	// Rows counts the entries read (entry rows); ItemRows their data items
	// (rows of the 信息项 sheet or names listed in a 信息项 cell).
	Rows     int `json:"rows"`
	ItemRows int `json:"item_rows"`
	// Created, Updated and Unchanged count entries; Updated are existing
	// entries of the department found by resource code or, for a row
	// without one, by name. In a dry run or a
	// rejected import they count what would have happened.
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Submitted counts the entries sent to review (Options.Submit): those
	// created or updated, and those unchanged whose draft (or rejected
	// version) is the row.
	Submitted int `json:"submitted"`
	// RowsWithErrors counts entries that cannot be imported as they are.
	RowsWithErrors int `json:"rows_with_errors"`
	// UnattachedItems counts the rows of the 信息项 sheet that belong to
	// no entry of 目录 (unknown_entry, ambiguous_entry): items some entry
	// would lack, so that good rows only cannot import the file.
	UnattachedItems int `json:"unattached_items"`
	// Columns says how each column was understood.
	Columns []Column `json:"columns"`
	// Changes lists every value normalised; ChangeCounts counts them by
	// column header.
	Changes      []Change       `json:"changes"`
	ChangeCounts map[string]int `json:"change_counts"`
	// Errors lists every problem with its row, but those ColumnErrors
	// tells once for their column; ErrorCounts counts them by code, those
	// of ColumnErrors included (one per row error they stand for).
	Errors      []RowError     `json:"errors"`
	ErrorCounts map[string]int `json:"error_counts"`
	// ColumnErrors tells once each the problem of a field the file has no
	// column for, or leaves empty in every row, without a default: its
	// rows' errors, left out of Errors (see ColumnError).
	ColumnErrors []ColumnError `json:"column_errors"`
	// SkippedRows lists the first MaxSkippedRows of the SkippedCount rows
	// read as neither an entry nor an item though not blank (SkippedRow),
	// which imported nothing.
	SkippedRows  []SkippedRow `json:"skipped_rows"`
	SkippedCount int          `json:"skipped_count"`
	// Providers lists the distinct 数源部门 values and the department each matched.
	Providers []ProviderMatch `json:"providers"`
	// Entries lists the outcome per entry row.
	Entries []Result `json:"entries"`
}

// ProviderMatch is how one 数源部门 value was matched to a department.
type ProviderMatch struct {
	Value          string `json:"value"`
	DepartmentID   int64  `json:"department_id,omitempty"`
	DepartmentName string `json:"department_name,omitempty"`
	// Match is exact (the department's full name), short_name, ambiguous
	// (the name or short name of several departments) or unknown.
	Match string `json:"match"`
	Rows  int    `json:"rows"`
}

// Result is the outcome of one entry row.
type Result struct {
	Sheet    string `json:"sheet,omitempty"`
	Row      int    `json:"row"`
	Name     string `json:"name"`
	FileCode string `json:"file_code,omitempty"` // the resource code in the file
	Code     string `json:"code,omitempty"`      // the code stored
	ID       int64  `json:"id,omitempty"`
	// Action is created, updated, unchanged or failed.
	Action string `json:"action"`
}

// OK reports whether the file had no problem at all.
func (r *Report) OK() bool { return len(r.Errors) == 0 && len(r.ColumnErrors) == 0 }

// Problems counts the problems of the file: the errors listed and those
// its column errors stand for.
func (r *Report) Problems() int {
	n := len(r.Errors)
	for _, c := range r.ColumnErrors {
		n += c.Errors
	}
	return n
}

// Broken reports whether the file itself could not be read whole (see
// fileLevel): its good rows are not all it holds, and good rows only
// cannot import them.
func (r *Report) Broken() bool { return slices.ContainsFunc(r.Errors, fileLevel) }

// GoodOnlyPossible reports whether good rows only can be imported from
// the file: not when it could not be read whole (Broken), nor when a
// column of it is missing or empty (ColumnErrors), which fails every row
// needing it: the column is mended, not the rows left out; nor when an
// item row belongs to no entry (UnattachedItems), whose entry would be
// stored without it.
func (r *Report) GoodOnlyPossible() bool {
	return !r.Broken() && len(r.ColumnErrors) == 0 && r.UnattachedItems == 0
}

// rejected is the error returned (with the report) when rows are bad and
// nothing was imported. It offers the good rows only when there are some:
// a file no entry could be read from has none.
func rejected(r *Report) error {
	what := fmt.Sprintf("%d 个数据资源有错误、共 %d 处问题", r.RowsWithErrors, r.Problems())
	if r.RowsWithErrors == 0 { // the file itself: no row was read
		what = fmt.Sprintf("文件有 %d 处问题", len(r.Errors))
	}
	if r.UnattachedItems > 0 {
		what += fmt.Sprintf("，其中 %d 个信息项不知属于哪个数据资源", r.UnattachedItems)
	}
	if r.DryRun {
		what = "试导入：" + what
	} else {
		what += "，未导入任何数据"
	}
	if r.GoodOnly {
		what += goodOnlyRefused(r)
	}
	what += "；请修正后重新导入"
	if r.Created+r.Updated+r.Unchanged > 0 && r.GoodOnlyPossible() {
		what += "，或选择只导入无误的行"
	}
	return errs.E(errs.Invalid, rejectedCode, what)
}

// goodOnlyRefused says why good rows only were not imported from r, after
// "；", or nothing when they could be (GoodOnlyPossible).
func goodOnlyRefused(r *Report) string {
	switch {
	case r.Broken():
		return "；文件未能完整读取，不能只导入无误的行"
	case len(r.ColumnErrors) > 0:
		return "；整列的问题（文件缺少的列、每行都为空的列）使各行都有错误，不能只导入无误的行"
	case r.UnattachedItems > 0:
		return "；只导入无误的行会使数据资源缺少不知所属的信息项，不能只导入无误的行"
	}
	return ""
}

// fileLevel reports whether e is a problem of the file rather than of one
// of its rows: the file, a sheet or a column could not be read (row 0), or
// reading stopped at a row (malformed_csv, line_too_long, malformed_workbook), so that
// rows after it were never read. Good rows only does not import past it:
// the rows read are not the file.
func fileLevel(e RowError) bool {
	return e.Row == 0 || e.Code == "malformed_csv" || e.Code == "line_too_long" || e.Code == "malformed_workbook"
}

// rejectedCode is the code of the error rejected returns.
const rejectedCode = "import_rejected"

// Rejected reports whether err is Import's refusal of a file with bad rows,
// of which nothing was imported: the report Import returned with it says
// what to put right, and is worth showing. With any other error (the
// database, an unknown department, an import the caller may not make) the
// report says nothing useful.
func Rejected(err error) bool {
	e := errs.As(err)
	return e != nil && e.Code == rejectedCode
}

// errRollback ends a dry run's or a rejected import's transaction: Import's
// own is rolled back; in the caller's, the import first rolls back to the
// savepoint it began with.
var errRollback = errors.New("roll back")

// errResubmit ends an attempt of an import asked to submit its entries in
// which an entry stored was refused at its submission (see store): the
// attempt is rolled back and made again without the rows refused, whose
// errors are kept.
var errResubmit = errors.New("store again without the rows refused at submission")

// pending is one entry row on its way in.
type pending struct {
	rec      *record
	res      catalog.Resource
	provider string
	errs     []RowError
	// invalid are the errors of errs catalog.ValidateEntry finds in the
	// row (validation), dropped when the row is its entry as stored
	// (keepUnchanged).
	invalid []RowError
	result  Result
	// old is the existing entry of the department the row updates: the
	// one its resource code names or, without a code, the one of its name.
	old *catalog.Entry
	// submitted is true once the row's entry was submitted (Options.Submit).
	submitted bool
	// refused holds the errors of the row's submission in an earlier
	// attempt (errResubmit): the row is not stored again.
	refused []RowError
}

// Import reads a catalog file and stores its entries as drafts of
// opt.DepartmentID, in one transaction: all or nothing, unless
// opt.GoodOnly. It returns the report and, when rows were bad and nothing
// was imported, an Invalid error with code import_rejected, for which
// Rejected is true (the report is complete either way). Other errors (the
// database, an unknown department, a workbook beyond the limits of a
// catalog's, workbook_too_large, see checkWorkbook and tooWide) come without a useful
// report. Under a
// transaction of the caller's (sqldb.WithTx) it writes in that one, and a
// dry run or a rejected import leaves nothing in it; on any other error
// the caller must roll back.
func Import(ctx context.Context, db *sqldb.DB, by catalog.Actor, r io.Reader, f Format, opt Options) (*Report, error) {
	data, err := readAll(r)
	if err != nil {
		return newReport(f, opt), err
	}
	return ImportData(ctx, db, by, data, f, opt)
}

// readAll reads r whole into one buffer of the size r tells (a
// bytes.Reader, an uploaded file in memory or on disk), where io.ReadAll
// grows its buffer by copying and leaves the smaller ones behind: with the
// caller's copy, the file was in memory four times over.
func readAll(r io.Reader) ([]byte, error) {
	size := int64(0)
	switch s := r.(type) {
	case interface{ Len() int }:
		size = int64(s.Len())
	case interface{ Size() int64 }:
		size = s.Size()
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := s.Stat(); err == nil {
			size = fi.Size()
		}
	}
	buf := bytes.NewBuffer(make([]byte, 0, max(0, size)+bytes.MinRead))
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func newReport(f Format, opt Options) *Report {
	return &Report{Format: f, DryRun: opt.DryRun, GoodOnly: opt.GoodOnly, Columns: []Column{}, Changes: []Change{},
		Errors: []RowError{}, ChangeCounts: map[string]int{}, ErrorCounts: map[string]int{}, ColumnErrors: []ColumnError{},
		SkippedRows: []SkippedRow{}, Providers: []ProviderMatch{}, Entries: []Result{}}
}

// MayImport refuses by an import into department departmentID (403)
// unless by compiles that department's catalog, its own: the rule of a
// new entry (catalog.Actor.MayCreate), told as the import's refusal.
// ImportData checks it, and the API so before replaying an import.
func MayImport(by catalog.Actor, departmentID int64) error {
	if by.MayCreate(departmentID) != nil {
		return errs.E(errs.Forbidden, "forbidden", "只能导入本部门的数据资源目录")
	}
	return nil
}

// ImportData is Import of a file already in memory, which it does not
// copy. Both read the file as format f, as Detect told it.
func ImportData(ctx context.Context, db *sqldb.DB, by catalog.Actor, data []byte, f Format, opt Options) (*Report, error) {
	now := opt.Now
	if now.IsZero() {
		// As the server's clock (server.Clock): both engines store whole
		// microseconds alike.
		now = time.Now().UTC().Truncate(time.Microsecond)
	}
	rep := newReport(f, opt)
	if err := MayImport(by, opt.DepartmentID); err != nil {
		return rep, err
	}
	dept, err := org.DepartmentByID(ctx, db.Read(), opt.DepartmentID)
	if err != nil {
		return rep, err
	}
	if f == XLSX {
		if err := checkWorkbook(data); err != nil {
			return rep, err
		}
	}
	p := parse(data, f, opt.Mapping)
	// A sheet read with a row beyond its columns' limit (tooWide) is a
	// workbook beyond the limits, as checkWorkbook's are.
	if i := slices.IndexFunc(p.errs, func(e RowError) bool { return e.Code == "workbook_too_large" }); i >= 0 {
		return rep, errs.Field("file", "workbook_too_large", p.errs[i].Message)
	}
	openAttributeColumn(p)
	rep.Columns = append(rep.Columns, p.columns...)
	rep.Rows = len(p.records)
	if rep.UnattachedItems, err = unattachedItems(ctx, db.Read(), p, opt.DepartmentID); err != nil {
		return rep, err
	}
	rep.Errors = append(rep.Errors, p.errs...)
	rep.SkippedRows, rep.SkippedCount = append(rep.SkippedRows, p.skipped...), p.skippedCount

	defaults := opt.Mapping.defaults()
	rows := make([]*pending, len(p.records))
	items := 0
	providers := map[string]*ProviderMatch{}
	for i, rec := range p.records {
		b := &builder{rec: rec, defaults: defaults}
		res, provider := b.build()
		pr := &pending{rec: rec, res: res, provider: provider, errs: append(slices.Clone(rec.errs), b.errs...),
			result: Result{Sheet: rec.sheet, Row: rec.row, Name: res.Name, FileCode: text.FoldCode(rec.vals["code"])}}
		rep.Changes = append(rep.Changes, b.changes...)
		switch code := pr.result.FileCode; {
		case !text.Plain(code, false):
			pr.errs = append(pr.errs, RowError{Sheet: rec.sheet, Row: rec.row, Field: "code", Column: headerOf("code"),
				Code: "invalid_characters", Message: "资源代码含有控制字符或无效的字符编码"})
		}
		// A cell refused as it was read (a formula's error value) or built
		// is not told again as, say, empty.
		pr.invalid = validation(rec, res, append(slices.Clone(rec.errs), b.errs...))
		pr.errs = append(pr.errs, pr.invalid...)
		if provider != "" {
			pm := providers[provider]
			if pm == nil {
				named, err := org.DepartmentsByKey(ctx, db.Read(), fold(provider))
				if err != nil {
					return rep, err
				}
				m := matchProvider(provider, named, dept)
				pm = &m
				providers[provider] = pm
			}
			pm.Rows++
			if e, bad := providerProblem(*pm, dept, opt.AnyProvider); bad {
				e.Sheet, e.Row = rec.sheet, rec.row
				pr.errs = append(pr.errs, e)
			}
		}
		rows[i] = pr
		items += len(res.Items)
	}
	rep.ItemRows = items
	for _, pm := range providers {
		rep.Providers = append(rep.Providers, *pm)
	}
	sort.Slice(rep.Providers, func(i, j int) bool {
		if rep.Providers[i].Rows != rep.Providers[j].Rows {
			return rep.Providers[i].Rows > rep.Providers[j].Rows
		}
		return rep.Providers[i].Value < rep.Providers[j].Value
	})

	blank := blankFields(p, f, defaults)
	// Only an import that submits is made again (errResubmit), from the
	// rows as they are now: a copy of every row is kept for it alone.
	var base []pending
	if opt.Submit {
		base = make([]pending, len(rows))
		for i, pr := range rows {
			base[i] = *pr
		}
	}
	for attempt := opt; ; attempt.Progress = nil {
		// Progress is of the rows stored: the import made again without the
		// rows refused (errResubmit) stores them again, unreported, so that
		// progress never goes back nor says twice that every row is done.
		// The rows a refusal fails in turn are worked out in memory
		// (failedRelated), so the second attempt submits nothing that the
		// first refused or that names it: it is the last.
		err = importTx(ctx, db, by, dept, rows, rep, attempt, now, f, blank)
		if !errors.Is(err, errResubmit) {
			break
		}
		for i, pr := range rows {
			refused := pr.refused
			*pr = base[i]
			pr.refused = refused
			pr.errs = append(slices.Clip(pr.errs), refused...)
		}
	}
	switch {
	case errors.Is(err, errRollback):
		if !rep.OK() && refuse(rep, opt) {
			return rep, rejected(rep)
		}
		return rep, nil
	case err != nil:
		return rep, err
	}
	rep.Imported = true
	return rep, nil
}

// importTx stores rows in one transaction (the caller's, when ctx carries
// one, under a savepoint) and completes rep, its errors of the blank
// fields told as column errors (columnErrors), or returns errRollback (a
// dry run, or errors that refuse the import) or errResubmit (rows refused
// at their submission, see store) with the transaction or savepoint
// rolled back.
func importTx(ctx context.Context, db *sqldb.DB, by catalog.Actor, dept org.Department, rows []*pending, rep *Report,
	opt Options, now time.Time, f Format, blank map[string]bool) error {
	return db.TxRaw(ctx, func(tx *sqldb.Tx, raw func(func(any) error) error) error {
		// A dry run or a rejected import ends in errRollback, which rolls
		// back the transaction Import opened. When ctx carries the
		// caller's transaction (sqldb.WithTx), TxRaw joins it (raw is nil)
		// and leaves ending it to the caller, who may commit: then the
		// import rolls back to a savepoint of its own instead. Only then:
		// on SQLite, a savepoint held across the rows keeps a copy of
		// every page of the database the import changes (the sub-journal,
		// in memory), which each savepoint of its rows walks as it is
		// released (see storeBatch): an import into a filled catalog grew
		// slower row by row and took as much memory as the pages it
		// touched (a gigabyte for 5,000 entries).
		joined := raw == nil
		if joined {
			if _, err := tx.ExecContext(ctx, `SAVEPOINT catalogio_import`); err != nil {
				return fmt.Errorf("savepoint: %w", err)
			}
		}
		// Begin's writes are the import's: undone with it, under the
		// savepoint too.
		if opt.Begin != nil {
			if err := opt.Begin(tx); err != nil {
				return err
			}
		}
		// A disabled department gets no import, a dry run neither: its
		// department read locked until the import ends, so that a disable
		// meanwhile waits for it or is seen here.
		if err := catalog.CheckDepartmentEnabled(ctx, tx, dept.ID); err != nil {
			return err
		}
		if opt.DryRun {
			// Rolled back whatever happens, and nothing it does searches.
			ctx = catalog.WithoutSearchIndex(ctx)
		}
		if err := catalog.DeferFacetCounts(ctx, tx); err != nil {
			return err
		}
		if err := store(ctx, tx, by, dept, rows, opt, now, joined); err != nil {
			if errors.Is(err, errResubmit) && joined {
				if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT catalogio_import`); rerr != nil {
					return fmt.Errorf("rollback to savepoint: %w", rerr)
				}
				if _, rerr := tx.ExecContext(ctx, `RELEASE SAVEPOINT catalogio_import`); rerr != nil {
					return fmt.Errorf("release savepoint: %w", rerr)
				}
			}
			return err
		}
		for _, pr := range rows {
			rep.Errors = append(rep.Errors, pr.errs...)
			if len(pr.errs) > 0 {
				rep.RowsWithErrors++
				pr.result.Action, pr.result.Code, pr.result.ID = "failed", "", 0
			}
			if pr.result.Action == "created" && pr.result.FileCode != "" && pr.result.Code != pr.result.FileCode {
				rep.Changes = append(rep.Changes, Change{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "code",
					Column: headerOf("code"), From: pr.result.FileCode, To: pr.result.Code, Reason: "新编代码"})
			}
			rep.Entries = append(rep.Entries, pr.result)
		}
		rep.count()
		for _, pr := range rows {
			if pr.submitted && len(pr.errs) == 0 {
				rep.Submitted++
			}
		}
		sort.SliceStable(rep.Errors, func(i, j int) bool {
			a, b := rep.Errors[i], rep.Errors[j]
			if a.Sheet != b.Sheet {
				return a.Sheet == "" || (b.Sheet != "" && a.Sheet == SheetEntries)
			}
			return a.Row < b.Row
		})
		for _, e := range rep.Errors {
			rep.ErrorCounts[e.Code]++
		}
		// Told before the import is refused or not: a column's errors
		// refuse it, with good rows only too (refuse).
		rep.Errors, rep.ColumnErrors = columnErrors(rep.Errors, blank, rep.Rows, rep.ItemRows, rep.Columns)
		for _, c := range rep.Changes {
			rep.ChangeCounts[c.Column]++
		}
		fileColumns(rep.Errors, rep.Columns)
		if (!rep.OK() && refuse(rep, opt)) || opt.DryRun {
			if !joined {
				return errRollback
			}
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT catalogio_import`); err != nil {
				return fmt.Errorf("rollback to savepoint: %w", err)
			}
			return errRollback
		}
		if err := audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "catalog.import", ObjectType: "department",
			ObjectID: strconv.FormatInt(opt.DepartmentID, 10), Detail: audit.Detail("format", string(f),
				"rows", strconv.Itoa(rep.Rows), "created", strconv.Itoa(rep.Created), "updated", strconv.Itoa(rep.Updated),
				"errors", strconv.Itoa(len(rep.Errors)))}, now); err != nil || opt.Stored == nil {
			return err
		}
		done := *rep
		done.Imported = true
		return opt.Stored(tx, &done)
	})
}

// refuse reports whether the problems of rep reject the import: any,
// unless good rows only are asked for and can be had (GoodOnlyPossible).
func refuse(rep *Report, opt Options) bool {
	return !opt.GoodOnly || !rep.GoodOnlyPossible()
}

// store creates or updates every row without errors, a batch of rows under
// a savepoint so that a row the database refuses fails alone (storeBatch). Rows whose
// resource code names an existing entry of the department update it, and
// so do rows without a code whose name is that of one entry of the
// department that is not retired (see matchByName); codes and names are
// resolved before anything is created, so that a new entry is never
// mistaken for a later row's, and the codes new entries keep are reserved
// first, so that a row without one is never given a later row's. A row
// whose code names another department's entry is that department's row:
// its one error says so, instead of its 数源部门's too. A row whose code
// names a retired entry is an error (entry_retired): the entry is out of
// the catalog and cannot be edited. A row giving an
// entry never published another classification than its code's is an
// error (classification_changed): the entry would get a new code (see
// catalog.Update), which the file does not have, and the next import of
// the file would create the entry again under the old one. A row giving a
// published entry another classification is an error too
// (classification_fixed, see classificationFixed).
func store(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, dept org.Department, rows []*pending, opt Options, now time.Time, joined bool) error {
	seen := map[string]int{}
	for _, pr := range rows {
		code := pr.result.FileCode
		if code == "" || !text.Plain(code, false) { // the latter reported already
			continue
		}
		if first, dup := seen[code]; dup {
			pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "code", Column: headerOf("code"),
				Code: "duplicate_code", Message: fmt.Sprintf("资源代码“%s”与第 %d 行重复", code, first)})
			continue
		}
		seen[code] = pr.rec.row
		// A code that is no resource code is held by no entry.
		var e catalog.Entry
		var err error = errs.E(errs.NotFound, "entry_not_found", "")
		if catalog.ValidCode(code) {
			e, err = catalog.ByCode(ctx, tx, by, code)
		}
		switch {
		case errs.Is(err, errs.NotFound):
			named, err := codeUnknownNamed(ctx, tx, pr, opt.DepartmentID)
			if err != nil {
				return err
			}
			if named != nil {
				pr.errs = append(pr.errs, *named)
			}
		case err != nil:
			return err
		case e.DepartmentID != opt.DepartmentID:
			pr.errs = slices.DeleteFunc(pr.errs, func(e RowError) bool { return e.Field == "provider" })
			pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "code", Column: headerOf("code"),
				Code: "code_of_other_department", Message: "资源代码“" + code + "”的数据资源属于" + e.DepartmentName + "，本次导入的是" +
					dept.Name + "的目录：只能导入本部门的数据资源；请只导出本部门的目录再导入，或删去其他部门的行"})
		case e.Status == catalog.Retired:
			pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "code", Column: headerOf("code"),
				Code: "entry_retired", Message: "资源代码“" + code + "”的数据资源已注销，不能再导入；如需重新编目，请清空此行的资源代码，将作为新的数据资源导入"})
		case e.PublishedVersion == 0 && e.Classification.Code() != pr.res.Classification.Code():
			pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "code", Column: headerOf("code"),
				Code: "classification_changed", Message: "此行的资源分类与资源代码“" + code + "”的数据资源不同：" +
					"未发布的数据资源变更分类后将改编资源代码，再次导入此文件时便找不到它；如需变更分类，请清空此行的资源代码（按资源名称对应），或在系统中修改"})
		default:
			pr.old = &e
		}
	}
	if err := matchByName(ctx, tx, by, rows, opt.DepartmentID); err != nil {
		return err
	}
	if err := keepUnchanged(ctx, tx, by, rows); err != nil {
		return err
	}
	for _, pr := range rows {
		if pr.old != nil && len(pr.errs) == 0 && pr.old.PublishedVersion > 0 &&
			pr.old.Classification.Code() != pr.res.Classification.Code() {
			pr.errs = append(pr.errs, classificationFixed(pr))
		}
	}
	for _, pr := range rows {
		if pr.old == nil && len(pr.errs) == 0 && pr.result.FileCode != "" {
			if err := catalog.ReserveCode(ctx, tx, pr.result.FileCode, pr.res.Classification); err != nil {
				return fmt.Errorf("reserve resource code: %w", err)
			}
		}
	}
	size := rowBatch
	if tx.Dialect == sqldb.SQLite {
		// SQLite journals in memory every page a savepoint's statements
		// change, and each statement walks that journal: a batch of a
		// hundred rows took a third longer than a savepoint per row (8.0
		// against 5.9 s for 5,000 rows), and under Import's savepoint in
		// the caller's transaction ten times as long. A savepoint costs
		// SQLite little; PostgreSQL's are subtransactions, which cost
		// more the more of them a transaction has.
		size = 1
	}
	for start := 0; start < len(rows); start += size {
		batch := rows[start:min(start+size, len(rows))]
		if err := storeBatch(ctx, tx, batch, func(pr *pending) error { return storeRow(ctx, tx, by, pr, opt, now) }); err != nil {
			return err
		}
		if opt.Progress != nil {
			if done := start + len(batch); done%rowBatch == 0 || done == len(rows) {
				opt.Progress(done, len(rows))
			}
		}
	}
	if !opt.Submit {
		return nil
	}
	return submitAll(ctx, tx, by, rows, size, now, opt.GoodOnly)
}

// codeUnknownNamed is the error of a row whose resource code no entry
// holds while its name is the name of an entry of the department not
// retired (catalog.NameKey), naming that entry's code: a code mistyped
// (101001/2) or of another entry's, kept, would create a second entry of
// the name, which neither it nor the first could then be submitted with
// (duplicate_entry_name). A code that is no resource code once folded
// (not catalog.ValidCode: 101001、000001, 101001/2) is invalid_code, one
// valid code_not_found. nil when the name is free: the row is a new entry,
// keeping the code it had elsewhere when valid (catalog.CreateWithCode),
// else under a new code (reported 新编代码).
func codeUnknownNamed(ctx context.Context, tx *sqldb.Tx, pr *pending, departmentID int64) (*RowError, error) {
	name := strings.Join(strings.Fields(pr.res.Name), " ")
	if name == "" {
		return nil, nil
	}
	_, codes, err := namedEntries(ctx, tx, departmentID, name)
	if err != nil || len(codes) == 0 {
		return nil, err
	}
	code, msg := "code_not_found", fmt.Sprintf("资源代码“%s”没有对应的数据资源，", pr.result.FileCode)
	if !catalog.ValidCode(pr.result.FileCode) {
		code, msg = "invalid_code", fmt.Sprintf("资源代码“%s”格式不正确（应为分类代码（6至10位数字）、“/”和至少6位顺序号，如 101001/000001），",
			pr.rec.vals["code"])
	}
	return &RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "code", Column: headerOf("code"), Code: code,
		Message: msg + fmt.Sprintf("而本部门已有名为“%s”的数据资源（资源代码 %s）：如是该数据资源，请将资源代码改为 %s（或清空，按资源名称对应）；"+
			"如是另一数据资源，请改用能区分内容的名称", name, strings.Join(codes, "、"), codes[0])}, nil
}

// submitAll submits the entries of the rows stored (Options.Submit), once
// every row is stored, so that an entry may relate to (关联资源代码) an
// entry of a later row of the file, which catalog.Submit checks exists. A
// row whose submission is refused has its entry stored already, and so
// have the rows naming it, whose submissions succeeded: the rows that name
// an entry a refused row created, directly or through other rows, are
// worked out in memory (failedRelated) and get an error
// (related_row_failed). Without good rows only, the import is then
// rejected with those errors. With good rows only, the rows in error keep
// their errors (pending.refused) and errResubmit has the import made again
// without them, once: nothing of a row in error is stored, as when the row
// itself is refused, and no row left names one of them.
func submitAll(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, rows []*pending, size int, now time.Time, goodOnly bool) error {
	had := make([]int, len(rows))
	for i, pr := range rows {
		had[i] = len(pr.errs)
	}
	for start := 0; start < len(rows); start += size {
		batch := rows[start:min(start+size, len(rows))]
		if err := storeBatch(ctx, tx, batch, func(pr *pending) error { return submitRow(ctx, tx, by, pr, now) }); err != nil {
			return err
		}
	}
	var refused []*pending
	for i, pr := range rows {
		if len(pr.errs) > had[i] {
			refused = append(refused, pr)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	failedRelated(rows, refused)
	if !goodOnly {
		return nil // the import is rejected: the errors are the rows'
	}
	for i, pr := range rows {
		if len(pr.errs) > had[i] {
			pr.refused = append(pr.refused, pr.errs[had[i]:]...)
		}
	}
	return errResubmit
}

// failedRelated gives an error (related_row_failed) to every row without
// errors that names, in its related codes, the code of an entry a row
// failed created, and does the same for the rows naming those, and so on:
// without the rows failed, those entries do not exist, and the rows naming
// them would be refused at their submission. An entry a failed row updated
// exists without it and may be named. Each row gets one error, on the first
// code it names of such an entry, naming the row of the code.
func failedRelated(rows []*pending, failed []*pending) {
	naming := map[string][]*pending{}
	for _, pr := range rows {
		if len(pr.errs) > 0 {
			continue
		}
		for _, c := range pr.res.RelatedCodes {
			naming[c] = append(naming[c], pr)
		}
	}
	for len(failed) > 0 {
		pr := failed[0]
		failed = failed[1:]
		if pr.result.Action != "created" {
			continue
		}
		for _, n := range naming[pr.result.Code] {
			if len(n.errs) > 0 {
				continue
			}
			i := slices.Index(n.res.RelatedCodes, pr.result.Code)
			n.errs = append(n.errs, RowError{Sheet: n.rec.sheet, Row: n.rec.row, Field: fmt.Sprintf("related_codes[%d]", i),
				Column: headerOf("related_codes"), Code: "related_row_failed", Message: fmt.Sprintf(
					"关联资源代码 %s 所在行（第 %d 行）有错误，该行的数据资源不导入，此行不能关联它", pr.result.Code, pr.rec.row)})
			failed = append(failed, n)
		}
	}
}

// submitRow submits the entry of a row stored: one it created or
// updated, or one found unchanged (submitUnchanged).
func submitRow(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, pr *pending, now time.Time) error {
	switch pr.result.Action {
	case "unchanged":
		return submitUnchanged(ctx, tx, by, pr, now)
	case "created", "updated":
		if _, err := catalog.Submit(ctx, tx, by, pr.result.ID, now); err != nil {
			return err
		}
		pr.submitted = true
	}
	return nil
}

// rowBatch is how many rows storeBatch stores under one savepoint.
const rowBatch = 100

// storeBatch stores rows (do, a row at a time: store it or submit it)
// under one savepoint and, when one of them fails, rolls them back and
// stores the others again one by one, each under a savepoint of its own,
// so that the row fails alone. A savepoint per row throughout
// made an import slower row by row: on PostgreSQL each released savepoint
// (a subtransaction) leaves its lock on its transaction id, which every
// later release walks past, and on SQLite, under Import's savepoint in the
// caller's transaction, each release walks the journal of every page the
// import changed so far.
func storeBatch(ctx context.Context, tx *sqldb.Tx, rows []*pending, do func(*pending) error) error {
	before := make([]pending, len(rows))
	for i, pr := range rows {
		before[i] = *pr
	}
	if _, err := tx.ExecContext(ctx, `SAVEPOINT catalogio_rows`); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	failed, failure := -1, error(nil)
	for i, pr := range rows {
		if len(pr.errs) > 0 {
			continue
		}
		err := do(pr)
		if err != nil && (errs.As(err) == nil || errs.Is(err, errs.Unavailable)) {
			return err // the database or the audit log, not the row
		}
		if err != nil {
			failed, failure = i, err
			break
		}
	}
	if failed >= 0 {
		if _, err := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT catalogio_rows`); err != nil {
			return fmt.Errorf("rollback to savepoint: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT catalogio_rows`); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	if failed < 0 {
		return nil
	}
	for i, pr := range rows {
		*pr = before[i]
		if i == failed {
			// The rows before it stored again as they did, it fails as it
			// did: it is not run a second time.
			pr.errs = append(pr.errs, rowError(pr.rec, failure))
		}
		if len(pr.errs) > 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT catalogio_row`); err != nil {
			return fmt.Errorf("savepoint: %w", err)
		}
		err := do(pr)
		if err != nil && (errs.As(err) == nil || errs.Is(err, errs.Unavailable)) {
			return err
		}
		if err != nil {
			if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT catalogio_row`); rerr != nil {
				return fmt.Errorf("rollback to savepoint: %w", rerr)
			}
			pr.errs = append(pr.errs, rowError(pr.rec, err))
		}
		if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT catalogio_row`); err != nil {
			return fmt.Errorf("release savepoint: %w", err)
		}
	}
	return nil
}

// classificationFixed is the error of a row giving the published entry it
// updates (pr.old) another classification, which catalog.Update refuses:
// its code is registered. It is placed on the first part of the
// classification that differs and names the entry's code and how the row
// was matched to it, by its resource code or, without one, by its name.
func classificationFixed(pr *pending) RowError {
	from, to := pr.old.Classification, pr.res.Classification
	key := "class"
	switch {
	case from.Class != to.Class:
	case from.CategoryCode != to.CategoryCode:
		key = "category_code"
	case from.SubcategoryCode != to.SubcategoryCode:
		key = "subcategory_code"
	default:
		key = "detail_code"
	}
	matched := "资源代码“" + pr.old.Code + "”的数据资源已发布"
	if pr.result.FileCode == "" {
		matched = "此行没有资源代码，按资源名称“" + strings.Join(strings.Fields(pr.res.Name), " ") +
			"”匹配到已发布的数据资源 " + pr.old.Code
	}
	return RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "classification." + key, Column: headerOf(key),
		Code: "classification_fixed", Message: matched + "，其分类（类、项、目、细目代码）不能变更，资源代码已对外登记；" +
			"如需调整分类，请注销后重新编目"}
}

// matchByName finds the existing entry each row without a resource code
// and without errors but the catalog's (pending.invalid) stands for: the department's entry of the same name (compared as
// the catalog compares names, catalog.NameKey) that is not retired, so that importing a file without codes again compares with what
// the first import created instead of creating every entry a second time.
// A name two such entries share is an error of the row naming both codes,
// and so is a row naming an entry an earlier row already updates. So is a
// row without a code whose name an earlier row of the file has, or a row
// with a code (see sameNames).
func matchByName(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, rows []*pending, departmentID int64) error {
	sameNames(rows)
	taken := map[int64]int{}
	for _, pr := range rows {
		if pr.old != nil {
			taken[pr.old.ID] = pr.rec.row
		}
	}
	for _, pr := range rows {
		name := strings.Join(strings.Fields(pr.res.Name), " ")
		if pr.result.FileCode != "" || len(pr.errs) > len(pr.invalid) || name == "" {
			continue
		}
		ids, codes, err := namedEntries(ctx, tx, departmentID, name)
		if err != nil {
			return err
		}
		switch {
		case len(ids) == 0:
			continue
		case len(ids) > 1:
			pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "name", Column: headerOf("name"),
				Code: "ambiguous_name", Message: fmt.Sprintf("本部门有 %d 个名为“%s”的数据资源（资源代码 %s），无法确定此行对应哪一个；请填写资源代码",
					len(ids), name, strings.Join(codes, "、"))})
			continue
		}
		if first, dup := taken[ids[0]]; dup {
			pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "name", Column: headerOf("name"),
				Code: "duplicate_name", Message: fmt.Sprintf("资源名称“%s”对应的数据资源（资源代码 %s）已由第 %d 行导入", name, codes[0], first)})
			continue
		}
		e, err := catalog.Get(ctx, tx, by, ids[0])
		if err != nil {
			return err
		}
		taken[e.ID] = pr.rec.row
		pr.old = &e
	}
	return nil
}

// sameNames refuses (duplicate_name) each row without a resource code
// whose name is that of an earlier row of the file or of a row with a
// code, compared as the catalog compares names (catalog.NameKey: white
// space collapsed, width and ASCII case folded). Such rows would be entries of one name: the
// next import of the file could not tell which entry such a row is
// (ambiguous_name). Consecutive rows of one name in a flat file are one
// entry's items, one row here. Rows with errors count too: a corrected
// row must not find its name taken by a row imported without it.
func sameNames(rows []*pending) {
	first, coded := map[string]int{}, map[string]int{}
	keys := make([]string, len(rows))
	for i, pr := range rows {
		key := catalog.NameKey(pr.res.Name)
		keys[i] = key
		if key == "" {
			continue
		}
		if _, ok := first[key]; !ok {
			first[key] = pr.rec.row
		}
		if _, ok := coded[key]; !ok && pr.result.FileCode != "" {
			coded[key] = pr.rec.row
		}
	}
	for i, pr := range rows {
		key := keys[i]
		if key == "" || pr.result.FileCode != "" {
			continue
		}
		name := strings.Join(strings.Fields(pr.res.Name), " ")
		other := first[key]
		if other == pr.rec.row {
			if other = coded[key]; other == 0 {
				continue
			}
		}
		pr.errs = append(pr.errs, RowError{Sheet: pr.rec.sheet, Row: pr.rec.row, Field: "name", Column: headerOf("name"),
			Code: "duplicate_name", Message: fmt.Sprintf("资源名称“%s”与第 %d 行相同，再次导入时无法区分两行各对应哪一个数据资源；请填写资源代码", name, other)})
	}
}

// unattachedItems counts the item rows of p that belong to no entry: those
// it counted itself and those naming, by code or name, an entry neither
// the file nor the department has (a mistyped code), which would belong to
// an entry of the file. A row naming an entry of the department the file
// lacks (its rows deleted from 目录 to import the others) shortens no entry
// imported.
func unattachedItems(ctx context.Context, q sqldb.Querier, p *parsed, departmentID int64) (int, error) {
	n := p.unattached
	held := map[orphan]bool{} // each entry looked up once
	for _, o := range p.orphans {
		if h, seen := held[o]; seen {
			if !h {
				n++
			}
			continue
		}
		query, arg := `SELECT count(*) FROM catalog_entries WHERE department_id = $1 AND code = $2`, text.FoldCode(o.code)
		if o.code == "" {
			query, arg = unattachedNamedQuery, catalog.NameKey(o.name)
		}
		var found int
		if err := q.QueryRowContext(ctx, query, departmentID, arg).Scan(&found); err != nil {
			return 0, fmt.Errorf("entry of an item row: %w", err)
		}
		held[o] = found > 0
		if found == 0 {
			n++
		}
	}
	return n, nil
}

// namedInDepartment selects the entries of department $1 named $2
// (name_key) through catalog_entries_name_key, the department compared on
// the rows found (+department_id keeps the planner from an index of it):
// without statistics SQLite searched catalog_entries_department_name
// instead, reading every entry of the department for each row of the file
// matched by its name.
const namedInDepartment = `+department_id = $1 AND name_key = $2`

// namedEntriesQuery reads the entries of a department named name_key.
const namedEntriesQuery = `SELECT id, code FROM catalog_entries
	WHERE ` + namedInDepartment + ` AND status <> 'retired' ORDER BY code`

// unattachedNamedQuery counts the entries of a department named name_key
// (unattachedItems, for each item row naming its entry by name).
const unattachedNamedQuery = `SELECT count(*) FROM catalog_entries WHERE ` + namedInDepartment

// namedEntries returns the ids and codes of the department's entries that
// are not retired and whose name is name as the catalog compares names
// (name_key, catalog.NameKey), by code.
func namedEntries(ctx context.Context, tx *sqldb.Tx, departmentID int64, name string) (ids []int64, codes []string, err error) {
	rows, err := tx.QueryContext(ctx, namedEntriesQuery, departmentID, catalog.NameKey(name))
	if err != nil {
		return nil, nil, fmt.Errorf("catalog entries named %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, nil, fmt.Errorf("catalog entries named %s: %w", name, err)
		}
		ids, codes = append(ids, id), append(codes, code)
	}
	return ids, codes, rows.Err()
}

func storeRow(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, pr *pending, opt Options, now time.Time) error {
	if old := pr.old; old != nil {
		unchanged, err := compareExisting(ctx, tx, by, old.ID, pr.res)
		if err != nil {
			return err
		}
		if unchanged {
			pr.result.Action, pr.result.Code, pr.result.ID = "unchanged", old.Code, old.ID
			return nil
		}
		e, err := catalog.Update(ctx, tx, by, old.ID, pr.res, now)
		pr.result.Action = "updated"
		if err != nil {
			return err
		}
		pr.result.Code, pr.result.ID = e.Code, e.ID
		return nil
	}
	id, code, err := catalog.CreateWithCode(ctx, tx, by, opt.DepartmentID, pr.result.FileCode, pr.res, now)
	pr.result.Action = "created"
	if err != nil {
		return err
	}
	pr.result.Code, pr.result.ID = code, id
	return nil
}

// submitUnchanged submits the entry of an unchanged row when the row is its
// working version and that is a draft or was rejected: an import asked to
// submit its entries submits those it finds as they are too. A revision
// other than the row (the row is the version in force) is not the row's to
// submit, and one submitted already is left as it is.
func submitUnchanged(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, pr *pending, now time.Time) error {
	w, err := catalog.Working(ctx, tx, by, pr.old.ID)
	if err != nil {
		return err
	}
	if w.WorkingStatus != catalog.Draft && w.WorkingStatus != catalog.Rejected ||
		!catalog.Diff(w.Resource.Normalized(), pr.res.Normalized()).Empty() {
		return nil
	}
	if _, err := catalog.Submit(ctx, tx, by, w.ID, now); err != nil {
		return err
	}
	pr.submitted = true
	return nil
}

// keepUnchanged drops the catalog's errors (pending.invalid) of each row
// that has no other error and is the entry it names as stored (sameAsStored):
// the row is unchanged (storeRow), and the entry was valid when it was
// stored, so what the catalog refuses now is a rule added since, which the
// entry meets at its next revision (an item marked identifies_subject
// before only a subject's identifier could be, not_subject_identifier). A
// changed row is validated as the save will validate it
// (catalog.ValidateUpdate): fully, but for the names it keeps from the
// version it edits (a name stored before a newer character rule) and a
// licence's 次日 it keeps from the version in force. Until 2026-12-05 both
// were kept from the entry as catalog.Get read it: a licence draft's 次日
// passed here and was refused by the save, and a name a published entry's
// revision kept was refused here and not by the save.
func keepUnchanged(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, rows []*pending) error {
	for _, pr := range rows {
		if pr.old == nil || len(pr.invalid) == 0 || len(pr.errs) != len(pr.invalid) {
			continue
		}
		same, _, err := sameAsStored(ctx, tx, by, pr.old.ID, pr.res)
		if err != nil {
			return err
		}
		if same {
			pr.errs, pr.invalid = nil, nil
			continue
		}
		// A changed row is checked as the save will check it.
		found, err := catalog.ValidateUpdate(ctx, tx, *pr.old, pr.res)
		if err != nil {
			return err
		}
		pr.invalid = placeErrors(pr.rec, pr.res, found, nil)
		pr.errs = pr.invalid
	}
	return nil
}

// compareExisting compares a row with the entry its code or name names. Files
// carry the version in force (what Export writes): a row equal to it, or to
// the revision being compiled or reviewed, is unchanged. A different row
// updates the entry, unless a revision of a published entry is pending:
// updating would overwrite that revision with the file, so it is an error
// of the row (revision_pending). The row is compared as the catalog would
// store it (catalog.Resource.Normalized): a name with two spaces in a row
// was stored with one, and is the same name. The entry is compared so too:
// an abstract stored with CR LF line breaks (the console's, before they were
// made LF on write) is the same text as the file's LF ones.
func compareExisting(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, id int64, r catalog.Resource) (unchanged bool, err error) {
	same, e, err := sameAsStored(ctx, tx, by, id, r)
	if err != nil || same || e.WorkingVersion == 0 || e.WorkingVersion == e.Version {
		return same, err
	}
	return false, errs.Field("code", "revision_pending", fmt.Sprintf(
		"资源代码“%s”的数据资源有未发布的修订（第 %d 版，%s），导入不会覆盖它；请在系统中修改该修订，或待其审核通过后重新导出再导入",
		e.Code, e.WorkingVersion, e.WorkingStatus.Label()))
}

// sameAsStored reports whether r, normalised, is entry id's version in
// force or its revision being compiled or reviewed, normalised too (see
// compareExisting), and returns the entry.
func sameAsStored(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, id int64, r catalog.Resource) (bool, catalog.Entry, error) {
	r = r.Normalized()
	e, err := catalog.Get(ctx, tx, by, id)
	if err != nil {
		return false, e, err
	}
	if catalog.Diff(e.Resource.Normalized(), r).Empty() {
		return true, e, nil
	}
	if e.WorkingVersion == 0 || e.WorkingVersion == e.Version {
		return false, e, nil
	}
	w, err := catalog.Working(ctx, tx, by, id)
	if err != nil {
		return false, e, err
	}
	return catalog.Diff(w.Resource.Normalized(), r).Empty(), e, nil
}

// count tallies the results into the report once rows are final.
func (r *Report) count() {
	r.Created, r.Updated, r.Unchanged = 0, 0, 0
	for _, e := range r.Entries {
		switch e.Action {
		case "created":
			r.Created++
		case "updated":
			r.Updated++
		case "unchanged":
			r.Unchanged++
		}
	}
}

// rowError turns a store error into a row error.
func rowError(rec *record, err error) RowError {
	e := errs.As(err)
	field := e.Field
	sheet, row := rec.sheet, rec.row
	key := fieldKey(field)
	if i, ok := itemIndex(field); ok && i < len(rec.items) {
		sheet, row = rec.items[i].sheet, rec.items[i].row
	}
	msg := e.Message
	if m, ok := workbookMessages[e.Code]; ok {
		msg = m
	}
	// A classification code's message names no value; the cell's is quoted.
	if quotedCodes[e.Code] {
		if v := strings.TrimSpace(rec.vals[key]); v != "" {
			msg = headerOf(key) + "“" + v + "”无效：" + msg
		}
	}
	// A 开放条件 where none is wanted is quoted, and one that is an open
	// attribute (a portal's 开放条件 column beside an 开放属性 one) is said
	// to be.
	if e.Code == "unexpected_open_conditions" {
		if v := strings.TrimSpace(rec.vals["open_conditions"]); openLabel(v) {
			msg = "开放条件“" + v + "”是开放属性，不是开放条件：开放属性请填在“开放属性”列（或在列映射中把此列对应到“开放属性”）；" + msg
		} else if v != "" {
			msg = "开放条件“" + v + "”：" + msg
		}
	}
	return RowError{Sheet: sheet, Row: row, Field: field, Column: headerOf(key), Code: e.Code, Message: msg}
}

// validation runs catalog.ValidateEntry and places each error on its row:
// item errors on the item's own row of the 信息项 sheet. An error of a cell
// the builder already failed (read, its errors) is left out: the value it
// could not read is invalid for the catalog too, and one error of the
// cell, quoting it, says so.
func validation(rec *record, res catalog.Resource, read []RowError) []RowError {
	return placeErrors(rec, res, catalog.ValidateEntry(res), read)
}

// placeErrors places the catalog's errors es of rec, read as res, on their
// rows, but an error of a cell read already failed, as validation says,
// with what the message leaves out (explained).
func placeErrors(rec *record, res catalog.Resource, es []*errs.Error, read []RowError) []RowError {
	type cell struct {
		sheet string
		row   int
		key   string
	}
	failed := map[cell]bool{}
	for _, e := range read {
		failed[cell{e.Sheet, e.Row, e.Field}] = true
	}
	var out []RowError
	for _, e := range es {
		re := rowError(rec, e)
		if failed[cell{re.Sheet, re.Row, fieldKey(re.Field)}] {
			continue
		}
		re.Message = explained(rec, res, re)
		out = append(out, re)
	}
	return out
}

// workbookMessages are the messages, in the workbook's words, of the
// catalog's errors whose own messages are the API's: they name codes
// (person, 99) where a file has labels (自然人, 其他 with 领域名称).
var workbookMessages = map[string]string{
	"invalid_subject_kind": "主体类型应为" + labels("subject_kind"),
	"invalid_domain":       "所属领域应为22个领域之一（如 公共安全、医疗卫生、市场监管）；不属于其中任何一个的，填“其他”并在“领域名称”中写明",
}

// quotedCodes are the catalog's errors of a classification code, whose
// messages the import prefixes with the cell's value.
var quotedCodes = map[string]bool{"invalid_category_code": true, "invalid_subcategory_code": true, "invalid_detail_code": true}

var itemPath = regexp.MustCompile(`^items\[([0-9]+)\]\.?(.*)$`)

func itemIndex(field string) (int, bool) {
	m := itemPath.FindStringSubmatch(field)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// fieldKey maps a catalog field path to a field key of the layout.
func fieldKey(path string) string {
	if m := itemPath.FindStringSubmatch(path); m != nil {
		return "item." + m[2]
	}
	path = strings.TrimPrefix(path, "classification.")
	if i := strings.IndexByte(path, '['); i > 0 {
		path = path[:i]
	}
	return path
}

// matchProvider finds the department a 数源部门 value names: the one
// whose full name is the value, else the one whose short name is, compared
// without white space and punctuation (fold). Nothing else is a match: a
// value that only contains a department's name or short name, or is
// contained in it (公安局, 纳溪区市场监管局, 厦门市湖里区教育局), may be
// another city's department, and is unknown. A name or short name that
// several departments have (names and short names are unique only within a
// region: every city has its 市司法局) names the importing department mine
// if it is one of them (a file names its own department by its own name),
// else the one of them in mine's region, if one is (芜湖's 市教育局 in a
// file of 芜湖市司法局), else it is ambiguous. depts are the departments
// whose name or short name has v's key (org.DepartmentsByKey), in order.
func matchProvider(v string, depts []org.Department, mine org.Department) ProviderMatch {
	m := ProviderMatch{Value: v, Match: "unknown"}
	key := fold(v)
	if key == "" {
		return m
	}
	for _, by := range []struct {
		match string
		name  func(org.Department) string
	}{{"exact", func(d org.Department) string { return d.Name }}, {"short_name", func(d org.Department) string { return d.ShortName }}} {
		var found, local []org.Department
		for _, d := range depts {
			if fold(by.name(d)) != key {
				continue
			}
			if d.ID == mine.ID {
				m.DepartmentID, m.DepartmentName, m.Match = d.ID, d.Name, by.match
				return m
			}
			found = append(found, d)
			if d.RegionCode == mine.RegionCode {
				local = append(local, d)
			}
		}
		switch {
		case len(found) == 1:
			m.DepartmentID, m.DepartmentName, m.Match = found[0].ID, found[0].Name, by.match
			return m
		case len(local) == 1:
			m.DepartmentID, m.DepartmentName, m.Match = local[0].ID, local[0].Name, by.match
			return m
		case len(found) > 1:
			names := make([]string, len(found))
			for i, d := range found {
				names[i] = d.Name
			}
			m.DepartmentName, m.Match = strings.Join(names, "、"), "ambiguous"
			return m
		}
	}
	return m
}

func providerProblem(m ProviderMatch, dept org.Department, anyProvider bool) (RowError, bool) {
	if anyProvider || m.DepartmentID == dept.ID {
		return RowError{}, false
	}
	e := RowError{Field: "provider", Column: headerOf("provider"), Code: "other_provider"}
	switch m.Match {
	case "unknown":
		e.Code, e.Message = "unknown_provider", "数源部门“"+m.Value+"”不是平台已登记的部门；导入的数据资源属于"+dept.Name+
			"，请改为本部门的全称或简称（须完全相同），或清空此列"
	case "ambiguous":
		e.Code, e.Message = "ambiguous_provider", "数源部门“"+m.Value+"”是多个部门的名称或简称（"+m.DepartmentName+"），无法确定是哪一个；请写部门全称"
	default:
		named := "数源部门是" + m.DepartmentName
		if fold(m.Value) != fold(m.DepartmentName) {
			named = "数源部门“" + m.Value + "”是" + m.DepartmentName
		}
		e.Message = "文件中此行的" + named + "，本次导入的是" + dept.Name +
			"的目录：只能导入本部门的数据资源；确要作为本部门的数据资源导入的，请选择“不限数源部门”"
	}
	return e, true
}
