package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/reqlog"
)

// maxImportFile bounds the part of an uploaded catalog workbook kept in
// memory; the rest waits in a temporary file.
const maxImportFile = 32 << 20

// ndjson is the media type of the streamed import answer (see importStream).
const ndjson = "application/x-ndjson"

// maxReportRows is how many errors and how many normalised values the
// import report lists on the page; the full report of a dry run is a CSV
// download (the form's report=csv).
const maxReportRows = 100

type catalogImportData struct {
	Report      *catalogio.Report
	Error       string
	FileName    string
	GoodOnly    bool
	DryRun      bool
	AnyProvider bool                // import rows of another or an unknown 数源部门 as the department's own
	FullReport  bool                // answer with the whole report as a CSV file
	Mapping     string              // the name of the saved mapping chosen, if any
	Mappings    []catalogio.Mapping // the department's saved mappings
}

// providerMatches name how the import matched a 数源部门 to a department
// (ProviderMatch.Match).
var providerMatches = map[string]string{"exact": "名称相同", "short_name": "简称相同",
	"ambiguous": "可能是多个部门", "unknown": "未登记"}

// ProviderMatch names how the import matched a 数源部门.
func (catalogImportData) ProviderMatch(match string) string { return providerMatches[match] }

// MaxRows is how many errors, normalised values and rows skipped the page
// lists.
func (catalogImportData) MaxRows() int { return maxReportRows }

// ShownErrors are the report's errors the page lists: the first MaxRows.
func (d catalogImportData) ShownErrors() []catalogio.RowError {
	return d.Report.Errors[:min(len(d.Report.Errors), maxReportRows)]
}

// ShownChanges are the report's normalised values the page lists: the
// first MaxRows.
func (d catalogImportData) ShownChanges() []catalogio.Change {
	return d.Report.Changes[:min(len(d.Report.Changes), maxReportRows)]
}

// ShownSkipped are the report's rows skipped the page lists: the first
// MaxRows.
func (d catalogImportData) ShownSkipped() []catalogio.SkippedRow {
	return d.Report.SkippedRows[:min(len(d.Report.SkippedRows), maxReportRows)]
}

func (w *Web) importPage(rw http.ResponseWriter, r *http.Request) error {
	d := catalogImportData{Mapping: r.URL.Query().Get("mapping")}
	var err error
	if d.Mappings, err = w.deptMappings(r); err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "catalog_import", "导入数据资源目录", d)
}

// deptMappings lists the saved column mappings of the caller's department.
func (w *Web) deptMappings(r *http.Request) ([]catalogio.Mapping, error) {
	return catalogio.Mappings(r.Context(), w.cfg.DB.Read(), auth.From(r.Context()).DepartmentID())
}

// importCatalog imports an uploaded XLSX or CSV file as drafts of the
// caller's department, read through the saved column mapping chosen, and
// shows catalogio's report: its counts, the first maxReportRows values it
// normalised and bad rows with their reasons. The console's script asks for
// the answer as JSON lines (Accept: application/x-ndjson) to show the
// import's progress; a plain form post gets the page, or with report=csv
// (a dry run's) the whole report as a CSV file.
func (w *Web) importCatalog(rw http.ResponseWriter, r *http.Request) error {
	if strings.Contains(r.Header.Get("Accept"), ndjson) {
		st := newImportStream(rw)
		defer st.stop()
		if err := readImportForm(r); err != nil {
			return w.finishImport(r, st, catalogImportData{}, 0, err)
		}
		d, status, err := w.runImport(r, st.progress)
		st.stop()
		// Answered on the stream, the import's refusal as it committed,
		// its session ended meanwhile, never reaches staff: it is
		// audited here, as staff audits the page's (auth.AuditEnded).
		return w.finishImport(r, st, d, status, w.cfg.Auth.AuditEnded(r, err))
	}
	if err := readImportForm(r); err != nil {
		return err
	}
	d, status, err := w.runImport(r, nil)
	if err != nil {
		return err
	}
	if d.FullReport && d.Report != nil {
		return w.reportCSV(rw, d)
	}
	if d.Mappings, err = w.deptMappings(r); err != nil {
		return err
	}
	title := "导入数据资源目录"
	if d.Report != nil {
		title = "导入报告"
	}
	return w.render(rw, r, status, "catalog_import", title, d)
}

// readImportForm reads r's import form whole, its file spooled: from
// then on the import is done and answered whether or not its client
// keeps the connection open (reqlog.Detachable). Not before: a client
// that left while its form was sent left (reqlog.ClientLeft), and is not
// answered bad_form. The form is read into r, whose temporary files the
// console's middleware removes (auth.RemoveForm).
func readImportForm(r *http.Request) error {
	if err := r.ParseMultipartForm(maxImportFile); err != nil {
		return auth.FormError(err, "上传的文件无法读取")
	}
	return nil
}

// runImport imports the file of r's import form (readImportForm), calling
// progress (when not nil) as rows are stored. A refusal the user can mend
// (no file, an unknown format or mapping, bad rows) comes back in d.Error
// with its status; other errors are returned.
func (w *Web) runImport(r *http.Request, progress func(done, total int)) (d catalogImportData, status int, err error) {
	d.GoodOnly, d.DryRun = r.PostFormValue("good_only") == "yes", r.PostFormValue("dry_run") == "yes"
	d.AnyProvider, d.FullReport = r.PostFormValue("any_provider") == "yes", r.PostFormValue("report") == "csv"
	d.Mapping = strings.TrimSpace(r.PostFormValue("mapping"))
	refuse := func(msg string) (catalogImportData, int, error) {
		d.Error = msg
		return d, http.StatusUnprocessableEntity, nil
	}
	if d.FullReport && !d.DryRun {
		// A real import's outcome is shown on the page, not in a file.
		return refuse("下载完整报告只用于试导入：请同时勾选“试导入”，或取消“下载完整报告”")
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return refuse("请选择要导入的 Excel（.xlsx）、CSV（.csv，或 Excel 另存的 Unicode 文本 .txt）或 JSON Lines（.jsonl、.ndjson）文件")
	}
	defer file.Close()
	d.FileName = hdr.Filename
	// Told as every surface of the import tells it: by name, media type
	// and start.
	head := make([]byte, catalogio.SniffLen)
	n, err := file.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return d, 0, err
	}
	mt, _, _ := mime.ParseMediaType(hdr.Header.Get("Content-Type"))
	f := catalogio.Detect("", hdr.Filename, mt, head[:n])
	if f == "" {
		return refuse("只能导入 .xlsx、.csv、.txt（Excel 另存的 Unicode 文本）、.jsonl 或 .ndjson 文件：" + hdr.Filename)
	}
	by := catalogActor(auth.From(r.Context()))
	// any_provider as the API's and the CLI's: whoever may import may
	// take rows of other providers in as their own department's drafts.
	opt := catalogio.Options{DepartmentID: by.DepartmentID, GoodOnly: d.GoodOnly, DryRun: d.DryRun,
		AnyProvider: d.AnyProvider, Now: w.cfg.Now(), Progress: progress}
	if d.Mapping != "" {
		// As the API's ?mapping=: the department's saved mapping by name.
		m, err := catalogio.MappingByName(r.Context(), w.cfg.DB.Read(), by.DepartmentID, d.Mapping)
		if errs.Is(err, errs.NotFound) {
			return refuse("列映射“" + d.Mapping + "”不存在，请重新选择")
		}
		if err != nil {
			return d, 0, err
		}
		opt.Mapping = &m
	}
	d.Report, err = catalogio.Import(r.Context(), w.cfg.DB, by, file, f, opt)
	if err != nil {
		if !catalogio.Rejected(err) {
			// The report of the rows is that of a rejected import only:
			// an import refused otherwise (the audit log down) stopped
			// part way, before its report counted the rows' errors.
			d.Report = nil
		}
		e := errs.As(err)
		if e == nil || (e.Kind != errs.Invalid && e.Kind != errs.Forbidden) {
			return d, 0, err
		}
		d.Error = e.Message
		status, _ = userError(err)
		if status == http.StatusBadRequest {
			status = http.StatusUnprocessableEntity
		}
		return d, status, nil
	}
	return d, http.StatusOK, nil
}

// reportCSV answers with d's whole report as a CSV file
// (catalogio.Report.WriteCSV).
func (w *Web) reportCSV(rw http.ResponseWriter, d catalogImportData) error {
	var buf bytes.Buffer
	if err := d.Report.WriteCSV(&buf); err != nil {
		return err
	}
	name := "导入报告-" + strings.TrimSuffix(d.FileName, path.Ext(d.FileName)) + ".csv"
	return sendAttachment(rw, name, "import-report.csv", catalogio.CSV.ContentType(), &buf)
}

// sendAttachment answers with buf as a file to download, named name, or
// ascii by a client that reads no non-ASCII name (catalogio.Attachment).
func sendAttachment(rw http.ResponseWriter, name, ascii, contentType string, buf *bytes.Buffer) error {
	rw.Header().Set("Content-Type", contentType)
	rw.Header().Set("Content-Disposition", catalogio.Attachment(name, ascii))
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	_, err := buf.WriteTo(rw)
	return err
}

// finishImport ends a streamed import with its result: the report or the
// refusal, rendered as on the page, or the error. An import that failed
// because its client left is logged as such, at info level, and answers
// nothing more (clientLeft): its connection is dropped (reqlog.Abort), so
// that a stream begun is seen cut short, not ended, and one not begun is
// not answered an empty 200; one the server's shutdown gave up on failed
// for the server (reqlog.ShutDown). An internal error is logged once
// (failed), with the status the result line carries, which the request's
// log line gives even when the stream began 200.
func (w *Web) finishImport(r *http.Request, st *importStream, d catalogImportData, status int, err error) error {
	code := ""
	if err != nil {
		err = reqlog.ShutDown(r, err)
		if w.clientLeft(r, err) {
			reqlog.Abort()
		}
		var e *errs.Error
		status, e = userError(err)
		if status >= 500 {
			w.failed(r, status, err)
		}
		d.Error, code = e.Message, e.Code
	}
	html, err := w.execute(r, "catalog_import", "import-result", "导入报告", d)
	if err != nil {
		if !st.started {
			return err
		}
		w.failed(r, http.StatusInternalServerError, err)
		_, e := userError(err)
		return st.finish(importResult{Status: http.StatusInternalServerError, Error: e.Message})
	}
	if st.started {
		reqlog.From(r.Context()).Outcome(status)
	}
	res := importResult{Status: status, Code: code, HTML: html.String()}
	if status == http.StatusServiceUnavailable {
		res.RetryAfter = importRetryAfter
	}
	return st.finish(res)
}

// importRetryAfter is the seconds after which an import refused for a
// temporary condition (503: the database or the audit log unavailable or
// busy) may be retried: the Retry-After of the answer when nothing was
// streamed before its result, and the result line's retry_after always,
// as an error page's (showTitled).
const importRetryAfter = 5

// importResult is the last line of a streamed import.
type importResult struct {
	Status int `json:"status"`
	// Code is the refusal's stable code (temp_space_full,
	// database_unavailable), by which the page's script says the cause.
	Code  string `json:"code,omitempty"`
	HTML  string `json:"html,omitempty"`  // the report or refusal, as shown on the page
	Error string `json:"error,omitempty"` // when not even that could be rendered
	// RetryAfter, with a status of 503, is importRetryAfter: the page
	// says when to try again.
	RetryAfter int `json:"retry_after,omitempty"`
}

// importStream answers an import as JSON lines, written as they happen:
// {"done":300,"total":5000} as catalogio reports progress, then one
// importResult. The HTTP status is the result's when nothing was streamed
// before it, else 200 (the result line carries the real one).
//
// Progress is reported inside the import's transaction, so its lines are
// written by a goroutine of their own: a client slow to read never holds
// the transaction (on SQLite, the one writer). While it writes one line,
// later reports replace each other and only the latest is written.
type importStream struct {
	rw      http.ResponseWriter
	rc      *http.ResponseController
	started bool
	err     error // the first failed write: the client has gone

	mu          sync.Mutex
	done, total int
	wake        chan struct{}
	stopped     chan struct{}
	once        sync.Once
}

func newImportStream(rw http.ResponseWriter) *importStream {
	s := &importStream{rw: rw, rc: http.NewResponseController(rw), wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go func() {
		defer close(s.stopped)
		for range s.wake {
			s.mu.Lock()
			done, total := s.done, s.total
			s.mu.Unlock()
			s.write(http.StatusOK, fmt.Appendf(nil, "{\"done\":%d,\"total\":%d}\n", done, total))
		}
	}()
	return s
}

// progress is catalogio's Options.Progress.
func (s *importStream) progress(done, total int) {
	s.mu.Lock()
	s.done, s.total = done, total
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // a line is pending; it will carry these numbers
	}
}

// stop writes the pending progress line and ends the writer goroutine:
// afterwards the response is the caller's again.
func (s *importStream) stop() {
	s.once.Do(func() {
		close(s.wake)
		<-s.stopped
	})
}

func (s *importStream) write(status int, line []byte) {
	if s.err != nil {
		return
	}
	if !s.started {
		h := s.rw.Header()
		h.Set("Content-Type", ndjson+"; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Accel-Buffering", "no") // a proxy in front (nginx) passes each line on
		if status == http.StatusServiceUnavailable {
			h.Set("Retry-After", strconv.Itoa(importRetryAfter))
		}
		s.rw.WriteHeader(status)
		s.started = true
	}
	if _, s.err = s.rw.Write(line); s.err != nil {
		return
	}
	if err := s.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		s.err = err
	}
}

func (s *importStream) finish(res importResult) error {
	line, err := json.Marshal(res)
	if err != nil {
		return err
	}
	s.write(res.Status, append(line, '\n'))
	return nil
}

// exportCatalog downloads the catalog entries the caller may see, as the
// catalog list shows them and GET /api/v1/catalog/export writes them for
// the same filters: every department's, or the one of ?department_id=
// (one that names no department is not found), whoever asks; in XLSX, CSV
// or JSON lines, the formats the import reads; ?status= filters as the
// API's export does, ?review_due=1 to the entries due for their annual
// review, and the list's q, sort and facet filters as the list does
// (catalogExportLinks). Until 2026-12-06 anyone but the operator and the
// auditor got its department's entries alone, and was refused another
// department's (403), which the API and the list give.
func (w *Web) exportCatalog(rw http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	f := catalogio.Format(v.Get("format"))
	if f == "" {
		f = catalogio.XLSX
	}
	if f != catalogio.XLSX && f != catalogio.CSV && f != catalogio.JSONL {
		return errs.Field("format", "invalid_format", "导出格式应为 xlsx、csv 或 jsonl")
	}
	p := auth.From(r.Context())
	by := catalogActor(p)
	// As the lists and the API's export read it: a value that is no number
	// is refused, then a department that is not one is not found, not a
	// department without entries.
	dept, err := departmentParam(r, 0, "")
	if err != nil {
		return err
	}
	if _, err := filteredDepartment(r.Context(), w.cfg.DB.Read(), dept); err != nil {
		return err
	}
	// The list's text, filters and order (catalogExportLinks), read and
	// checked as the list reads them; its department is dept.
	filter, err := parseCatalogQuery(v)
	if err != nil {
		return err
	}
	filter.Now, filter.ReviewDue = w.cfg.Now(), v.Get("review_due") == "1"
	opt := catalogio.ExportOptions{DepartmentID: dept, Filter: filter}
	if v.Get("published") == "1" {
		opt.Statuses = []catalog.Status{catalog.Published}
	}
	// As the API's export: statuses joined by ",", each checked by Export.
	for _, s := range strings.Split(v.Get("status"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			opt.Statuses = append(opt.Statuses, catalog.Status(s))
		}
	}
	day := w.cfg.Now().In(calendar.Location()).Format("20060102")
	name, ascii := fmt.Sprintf("数据资源目录-%s.%s", day, f), fmt.Sprintf("catalog-%s.%s", day, f)
	return catalogio.ServeExport(rw, r, w.cfg.DB, by, f, opt, name, ascii)
}
