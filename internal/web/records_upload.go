package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/records"
	"github.com/hutong-gov/hutong/internal/text"
)

type recordsUploadData struct {
	HasEntries bool   // the department has published entries to push data for
	Entry      string // the entry field, as typed or the code of the entry asked for
	Error      string // a refusal of no one field of the form
	formErrors        // the refusals of the entry and file fields
	FileName   string
	Result     *records.BatchResult
	Shown      int // rejected lines listed (at most records.MaxRejected)
	// Keyed is whether a warning names its operation's key (the file's
	// key column): the warnings then show it beside the masked subject.
	Keyed      bool
	MaxChoices int // suggestions of an entry at most
}

// MaxSize is the largest file the page accepts, said in Chinese (256 MB):
// the upload route's body limit.
func (recordsUploadData) MaxSize() string { return text.Size(MaxUploadBody) }

// newUploadData is the upload page's data for the caller, whose
// department's published entries the entry field takes and suggests: only
// the source department may push data for an entry.
func (w *Web) newUploadData(r *http.Request) (recordsUploadData, error) {
	p := auth.From(r.Context())
	query := entriesQuery(p.DepartmentID(), "")
	query.Limit = 1
	page, err := catalog.Search(r.Context(), w.cfg.DB.Read(), catalogActor(p), query)
	return recordsUploadData{HasEntries: len(page.Items) > 0, MaxChoices: maxEntryChoices}, err
}

// uploadPage shows the upload form; ?entry=ID fills in that entry's code.
func (w *Web) uploadPage(rw http.ResponseWriter, r *http.Request) error {
	if err := checkParams(r.URL.Query(), []string{"entry"}); err != nil {
		return err
	}
	d, err := w.newUploadData(r)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if id, err := strconv.ParseInt(r.URL.Query().Get("entry"), 10, 64); err == nil && id > 0 {
		// Only an entry the caller may push data to is filled in; one it
		// may not (another department's, one no longer published) leaves
		// the field empty with the reason the upload would be refused
		// for, and none at all leaves it empty.
		ctx, q, p := r.Context(), w.cfg.DB.Read(), auth.From(r.Context())
		switch err := records.CheckPusher(ctx, q, records.Pusher{Actor: p.Actor, DepartmentID: p.DepartmentID()}, id); {
		case err == nil:
			e, err := catalog.Get(ctx, q, catalogActor(p), id)
			if err != nil {
				return err
			}
			d.Entry = e.Code
		case errs.Is(err, errs.NotFound):
		case errs.Is(err, errs.Forbidden), errs.Is(err, errs.Conflict):
			status, _ = userError(err)
			d.Error = errs.As(err).Message
		default:
			return err
		}
	}
	return w.render(rw, r, status, "records_upload", "上传归集数据", d)
}

// uploadRecords applies an uploaded JSON-lines or CSV batch to one entry,
// atomically, and shows the result: the applied count, or every rejected
// line with its reason (and then nothing is applied); and the lines
// accepted with a warning, with theirs. The batch is received when the
// request arrived (arrivedAt), as the API's pushes are, before its file
// was uploaded: a slow upload does not make its operations late. The
// batch key is the hash of the entry and the file, so that uploading the
// same file twice (a double click, a retry) applies it once. The file, up
// to the route's MaxUploadBody, is streamed from the multipart temporary
// file into one transaction, never held whole; read again if PostgreSQL
// aborts it for a deadlock.
func (w *Web) uploadRecords(rw http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		return auth.FormError(err, "上传的文件无法读取")
	}
	d, err := w.newUploadData(r)
	if err != nil {
		return err
	}
	// refuse shows the form again with the refusal beside its field,
	// entry or file.
	refuse := func(status int, field, msg string) error {
		d.add([]*errs.Error{{Field: field, Message: msg}}, func(e *errs.Error) string { return e.Field })
		return w.render(rw, r, status, "records_upload", "上传归集数据", d)
	}
	d.Entry = strings.TrimSpace(r.PostFormValue("entry"))
	p := auth.From(r.Context())
	entryID, err := w.recordsEntry(r, d.Entry, "entry", p.DepartmentID())
	if e := errs.As(err); e != nil && e.Code == "entry_not_found" {
		// No entry of the department bears the name: another
		// department's that does is refused as by its code (not the
		// source department), not answered as none.
		id, aerr := w.recordsEntry(r, d.Entry, "entry", 0)
		switch ae := errs.As(aerr); {
		case aerr == nil, ae != nil && ae.Code == "entry_ambiguous":
			entryID, err = id, aerr
		case ae == nil:
			return aerr
		}
	}
	if err != nil {
		if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
			return refuse(http.StatusUnprocessableEntity, "entry", e.Message)
		}
		return err
	}
	// A refusal of the caller is audited on the entry (admin).
	aimAt(r, "catalog_entry", strconv.FormatInt(entryID, 10))
	by := records.Pusher{Actor: p.Actor, DepartmentID: p.DepartmentID()}
	// pushRefused shows the refusal of the push (err) to the form.
	pushRefused := func(err error) error {
		err = records.ForPush(err, catalogActor(p))
		e := errs.As(err)
		if e == nil || e.Kind == errs.Internal {
			return err
		}
		status, _ := userError(err)
		if errors.Is(err, audit.ErrCredentialEnded) {
			// The session ended while the file arrived: the batch was
			// refused as it committed, audited (staff) and shown on
			// the form.
			return &shownError{err: err, show: func() error {
				d.Error = e.Message
				return w.render(rw, r, status, "records_upload", "上传归集数据", d)
			}}
		}
		switch e.Code {
		case "not_provider":
			// Another department's entry: a refusal of the entry field,
			// audited (shownError).
			return &shownError{err: err, show: func() error { return refuse(status, "entry", e.Message) }}
		case "entry_not_found":
			// No such entry, or another department's draft, typed by
			// its id or its code: refused as a text that names no
			// published entry (recordsEntry), so that the draft's id
			// does not show for its code.
			return refuse(http.StatusUnprocessableEntity, "entry", noPublishedEntry(d.Entry))
		}
		d.Error = e.Message
		return w.render(rw, r, status, "records_upload", "上传归集数据", d)
	}
	// refuseFile refuses the file, once the caller is known to be one
	// who may push to the entry: one who may not is told that, not
	// what is wrong with its file, as the API's push is.
	refuseFile := func(msg string) error {
		if err := records.CheckPusher(r.Context(), w.cfg.DB.Read(), by, entryID); err != nil {
			return pushRefused(err)
		}
		return refuse(http.StatusUnprocessableEntity, "file", msg)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return refuseFile("请选择要上传的 JSON Lines（.jsonl）或 CSV（.csv）文件")
	}
	defer file.Close()
	d.FileName = hdr.Filename
	sum := sha256.New()
	fmt.Fprintf(sum, "%d\n", entryID)
	if _, err := io.Copy(sum, file); err != nil {
		return err
	}
	if _, err := file.Seek(0, io.SeekStart); err != nil {
		return err
	}
	var read func(io.Reader) records.Source
	switch strings.ToLower(path.Ext(hdr.Filename)) {
	case ".csv":
		read = records.CSV
	case ".jsonl", ".ndjson", ".json":
		read = records.JSONLines
	default:
		return refuseFile("只能上传 JSON Lines（.jsonl）或 CSV（.csv）文件：" + hdr.Filename)
	}
	res, err := records.IngestFile(r.Context(), w.cfg.DB, by,
		entryID, file, read, arrivedAt(r), records.Options{BatchKey: "upload-" + hex.EncodeToString(sum.Sum(nil)), Calendar: w.cfg.Calendar})
	if err != nil {
		return pushRefused(err)
	}
	res.Advise(reuploadAs)
	d.Result, d.Shown = &res, len(res.Rejected)
	d.Keyed = slices.ContainsFunc(res.Warnings, func(w records.LineError) bool { return w.Key != "" })
	status := http.StatusOK
	if res.RejectedCount > 0 {
		status = http.StatusUnprocessableEntity
	}
	return w.render(rw, r, status, "records_upload", "归集结果", d)
}

// reuploadAs tells the clerk who uploaded a file whose body is not the
// format its extension names how to upload it again (BatchResult.Advise):
// the form takes the format from the extension alone.
var reuploadAs = map[string]string{
	"json_is_csv":      "如是 CSV 文件，请将文件扩展名改为 .csv 后重新上传",
	"csv_is_json":      "如是 JSON Lines 文件，请将文件扩展名改为 .jsonl 后重新上传",
	"json_spreadsheet": "再上传另存的 .csv 文件",
	"csv_spreadsheet":  "再上传另存的 .csv 文件",
}
