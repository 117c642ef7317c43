package api

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

func (a *API) catalogIORoutes() {
	const read, write = "catalog.read", "catalog.write"
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/import", Query: []string{"format", "mapping", "dry_run", "good_only", "submit", "any_provider"}, Scope: write, Long: true, Idempotent: true, Handler: a.importCatalogFile})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/export", Query: []string{"format", "q", "domain", "share_type", "share_method", "update_frequency", "open_attribute", "subject_kind", "security_level", "department_id", "status", "review_due", "sort"}, Scope: read, Handler: a.exportCatalogFile})
	a.add(Route{Method: "GET", Path: "/api/v1/catalog/import-mappings", Query: []string{"limit", "cursor"}, Scope: write, Handler: a.listImportMappings})
	a.add(Route{Method: "POST", Path: "/api/v1/catalog/import-mappings", IfMatch: true, Scope: write, Handler: a.saveImportMapping})
}

// queryBool reads a true/false query parameter.
func queryBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, errs.Field(name, "invalid_boolean", name+" 应为 true 或 false")
	}
	return b, nil
}

// importFile returns the uploaded file, its format and an optional inline
// mapping: a multipart form with the part "file" (and "mapping", JSON, in
// either order), or the raw body. Any other part, or a second part of
// either name, is refused: it would be ignored without a word. The file is
// read once (readBody), and the import takes it as it is
// (catalogio.ImportData). Its format is told as every surface of the
// import tells it (catalogio.Detect), from format=, its name, its media
// type and its start peeked at before it is read.
func importFile(r *http.Request) ([]byte, catalogio.Format, *catalogio.Mapping, error) {
	f := catalogio.Format(r.URL.Query().Get("format"))
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		body := bufio.NewReaderSize(r.Body, catalogio.SniffLen)
		// A read error is the body's, met again as readBody reads it.
		head, _ := body.Peek(catalogio.SniffLen)
		f = catalogio.Detect(f, "", ct, head)
		if f == "" {
			return nil, f, nil, nil // refused: unknown_format
		}
		file, err := readBody(r, body)
		return file, f, nil, err
	}
	mr, err := r.MultipartReader()
	if err != nil || params["boundary"] == "" {
		return nil, f, nil, errs.E(errs.Invalid, "malformed_multipart", "multipart 请求体格式错误")
	}
	var m *catalogio.Mapping
	var file []byte
	seen := map[string]bool{}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, f, nil, multipartErr(err)
		}
		name := part.FormName()
		if seen[name] {
			return nil, f, nil, errs.Field(name, "duplicate_part", "表单字段 "+name+" 只能有一个")
		}
		seen[name] = true
		switch name {
		case "mapping":
			m = &catalogio.Mapping{}
			var read bytes.Buffer
			dec := json.NewDecoder(io.TeeReader(part, &read))
			dec.DisallowUnknownFields()
			err := dec.Decode(m)
			if err == nil {
				// a key naming a field in another case, or given twice
				err = errs.CheckJSONKeys(read.Bytes()[:dec.InputOffset()], reflect.TypeOf(m))
			}
			if err != nil {
				if err := bodyErr(err); err != nil {
					return nil, f, nil, err
				}
				return nil, f, nil, errs.Field("mapping", "malformed_json", "mapping 应为列映射的 JSON 对象")
			}
			// encoding/json made U+FFFD of what is not UTF-8 and of an
			// escaped surrogate that is not half of a pair: refused, as by Decode.
			if field, bad := text.BadJSON(read.Bytes()[:dec.InputOffset()]); bad {
				if field == "" {
					return nil, f, nil, errs.Field("mapping", "invalid_text", "mapping "+text.BadJSONText)
				}
				return nil, f, nil, errs.Field("mapping."+field, "invalid_text", "mapping 的字段 "+field+" "+text.BadJSONText)
			}
		case "file":
			body := bufio.NewReaderSize(part, catalogio.SniffLen)
			head, _ := body.Peek(catalogio.SniffLen)
			pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
			f = catalogio.Detect(f, part.FileName(), pt, head)
			// Read whole (the import reads it whole anyway), so that a
			// mapping after it is read too.
			if file, err = readBody(r, body); err != nil {
				return nil, f, nil, multipartErr(err)
			}
		default:
			return nil, f, nil, errs.Field(name, "unknown_part", "未知的表单字段“"+name+"”：只接受 file 和 mapping")
		}
	}
	if !seen["file"] {
		return nil, f, nil, errs.Field("file", "file_required", "请上传文件（表单字段 file）")
	}
	return file, f, m, nil
}

// multipartErr is the error of a multipart body that could not be read:
// the body's own failure stays what it is (bodyErr), anything else is
// malformed_multipart: a body received whole but not a multipart form, or
// lacking its closing boundary.
func multipartErr(err error) error {
	if err := bodyErr(err); err != nil {
		return err
	}
	return errs.Wrap(errs.Invalid, "malformed_multipart", "multipart 请求体格式错误", err)
}

// bodyErr returns err if it is the failure of the request's body, which
// the multipart reader passes on: over the route's limit, an
// *http.MaxBytesError (413), or cut short by the client, body_incomplete
// (clientBody), as on every other route, where a multipart import's was
// refused malformed_multipart (malformed_json inside the mapping part).
// Else nil.
func bodyErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return err
	}
	if e := errs.As(err); e != nil && e.Code == bodyIncomplete {
		return err
	}
	return nil
}

// readBody reads src, the request's body or a part of it, into one buffer,
// where io.ReadAll grew its buffer by copying (a 98.8 MB file cost some
// 300 MB before the import began). The buffer is not made the body's
// declared length up front: 8 connections declaring 256 MB and sending 13
// bytes each had the server reserve 2 GB. It starts at readBodyStart and
// grows as data arrives: to the declared length (bounded by MaxUploadBody)
// once an eighth of it has arrived, else twice its size, and only when more
// arrives than it holds. A client has the server hold at most 1 MiB or 8
// times what it sent, and an upload of its declared length is copied only
// from the small first buffers (1 and 2 MiB of an 8 MiB file) into the
// last.
func readBody(r *http.Request, src io.Reader) ([]byte, error) {
	declared := 0
	if r.ContentLength > 0 {
		declared = int(min(r.ContentLength, MaxUploadBody))
	}
	start := readBodyStart
	if declared > 0 {
		start = min(start, declared)
	}
	buf := make([]byte, 0, start)
	for {
		into := buf[len(buf):cap(buf)]
		if len(into) == 0 {
			// Full: grown only if the body goes on, so that a body of
			// the buffer's size is not copied into a bigger one.
			var probe [bytes.MinRead]byte
			into = probe[:]
		}
		n, err := src.Read(into)
		if len(buf) < cap(buf) {
			buf = buf[:len(buf)+n]
		} else if n > 0 {
			size := 2 * cap(buf)
			if declared > len(buf) {
				if len(buf)*readBodyAhead >= declared {
					size = declared
				}
				size = min(size, declared)
			}
			buf = append(append(make([]byte, 0, max(size, len(buf)+n)), buf...), into[:n]...)
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// readBody's first buffer, and how far ahead of the data that arrived it
// reserves the body's declared length.
const (
	readBodyStart = 1 << 20
	readBodyAhead = 8
)

// importReport is the 400 answer of an import that stored nothing: a
// problem document carrying the report.
type importReport struct {
	Problem
	Report *catalogio.Report `json:"report"`
}

// importCatalogFile imports the uploaded file. Under an Idempotency-Key
// the import is a keyed write (writeKeyed) without holding the file a
// second time, whole in a string to hash: the request's hash is
// importHash's, of what the import uses; the import's transaction claims
// the key at its start (catalogio.Options.Begin) and stores it with its
// answer at its end (catalogio.Options.Stored). A dry run or a refused
// import stores no key, and is answered straight to w.
func (a *API) importCatalogFile(w http.ResponseWriter, r *http.Request) error {
	key, err := idempotencyKey(r)
	if err != nil {
		return err
	}
	by := catalogActor(r)
	opt := catalogio.Options{DepartmentID: by.DepartmentID, Now: a.Now()}
	for name, dst := range map[string]*bool{"good_only": &opt.GoodOnly, "dry_run": &opt.DryRun, "submit": &opt.Submit,
		"any_provider": &opt.AnyProvider} {
		v, err := queryBool(r, name)
		if err != nil {
			return err
		}
		*dst = v
	}
	body, f, inline, err := importFile(r)
	if err != nil {
		return err
	}
	if f == "" {
		return errs.Field("format", "unknown_format", "无法判断文件格式：请用 format=xlsx|csv|jsonl 指明，或上传 .xlsx、.csv、.txt（Excel 另存的 Unicode 文本）、.jsonl 或 .ndjson 文件")
	}
	ctx := r.Context()
	// mapping is the import's mapping: the department's mapping the
	// query names, read on a read connection, with the inline one's
	// columns and defaults over it; nil when none.
	mapping := func() (*catalogio.Mapping, error) {
		var m *catalogio.Mapping
		if name := r.URL.Query().Get("mapping"); name != "" {
			named, err := catalogio.MappingByName(ctx, a.DB.Read(), by.DepartmentID, name)
			if err != nil {
				return nil, err
			}
			m = &named
		}
		if inline != nil {
			if m == nil {
				m = &catalogio.Mapping{Columns: map[string]string{}, Defaults: map[string]string{}}
			}
			for k, v := range inline.Columns {
				m.Columns[k] = v
			}
			for k, v := range inline.Defaults {
				if m.Defaults == nil {
					m.Defaults = map[string]string{}
				}
				m.Defaults[k] = v
			}
			if err := m.Check(); err != nil {
				if e := errs.As(err); e != nil {
					return nil, &errs.Error{Kind: e.Kind, Code: e.Code, Field: "mapping." + e.Field, Message: e.Message}
				}
				return nil, err
			}
		}
		return m, nil
	}
	// checked is the import's mapping, once the caller is found to import
	// into its department (catalogio.MayImport, which ImportData checks
	// again), in the import's order: the import's check, and its check
	// before a replay.
	checked := func() (*catalogio.Mapping, error) {
		m, err := mapping()
		if err != nil {
			return nil, err
		}
		return m, catalogio.MayImport(by, opt.DepartmentID)
	}
	// run imports the file.
	run := func(opt catalogio.Options) (*catalogio.Report, error) {
		var err error
		if opt.Mapping, err = checked(); err != nil {
			return nil, err
		}
		return catalogio.ImportData(ctx, a.DB, by, body, f, opt)
	}
	// answer answers w with the import's report, or the problem carrying
	// it when the import is rejected.
	answer := func(rep *catalogio.Report, err error) error {
		if catalogio.Rejected(err) {
			p := ProblemFor(err)
			return write(w, p.Status, "application/problem+json", importReport{Problem: p, Report: rep})
		}
		if err != nil {
			return err
		}
		return JSON(w, importStatus(rep), rep)
	}
	if key == "" {
		return answer(run(opt))
	}
	hash := importHash(r, by.DepartmentID, f, inline, body)
	// Before a replay, the mapping the request names is read again (the
	// caller's department's, on a read connection) and the caller checked
	// as the import checks it (checked): nothing is imported, not even as
	// a dry run.
	req := keyedRequest{
		hash: func() (string, error) { return hash, nil },
		same: func(kept string) (bool, error) { return kept == hash, nil },
		check: func(*[]audit.Event) error {
			_, err := checked()
			return err
		},
	}
	// Only the answer the key stores is written into the keyed write's
	// capture (c). A dry run's report and a rejection, which no key stores,
	// are answered straight to w once the keyed write has ended, not held
	// a second time in c (a 3,000-row file's report is 3 MB): a rejection
	// is the keyed write's error, so that it is answered only if no
	// concurrent import committed an answer under the key meanwhile (raced).
	var rep *catalogio.Report
	var unstored bool
	err = a.writeKeyed(ctx, w, key, req, func(kw *keyedWrite, c *capture) error {
		opt.Begin = kw.begin
		opt.Stored = func(tx *sqldb.Tx, done *catalogio.Report) error {
			if err := JSON(c, importStatus(done), done); err != nil {
				return err
			}
			return kw.end(tx, c)
		}
		var err error
		rep, err = run(opt)
		unstored = err == nil && !rep.Imported
		return err
	})
	if unstored || catalogio.Rejected(err) {
		return answer(rep, err)
	}
	return err
}

// importStatus is the status of an import's answer: 201 when it created
// an entry, else 200.
func importStatus(rep *catalogio.Report) int {
	if rep.Imported && rep.Created > 0 {
		return http.StatusCreated
	}
	return http.StatusOK
}

// importHash is the hash under which an import's Idempotency-Key keeps
// its request: what the import uses, not how it was sent. It hashes
// requestHead (method, path, query), the department imported into, the
// caller's (so that a retry by a caller moved since to another department
// is another request, 409 idempotency_key_reused, not answered with the
// first department's report), the file's format (the same bytes as
// CSV and as a workbook are two requests), the inline mapping's columns
// and defaults (re-encoded: JSON's maps in key order, the fields the
// import ignores left out) or "-" for none, and the file. A multipart
// form's framing is not hashed: curl, browsers and the Go and Python
// clients draw a new boundary for every request, and a retry is
// answered with the first answer whichever boundary it has. So the same
// file sent as the body and as a form's only part is one request.
func importHash(r *http.Request, department int64, f catalogio.Format, inline *catalogio.Mapping, file []byte) string {
	sum := sha256.New()
	io.WriteString(sum, requestHead(r))
	io.WriteString(sum, "department "+strconv.FormatInt(department, 10)+"\n")
	io.WriteString(sum, "format "+string(f)+"\n")
	m := []byte("-")
	if inline != nil {
		// Maps of strings: Marshal cannot fail.
		m, _ = json.Marshal(struct {
			Columns  map[string]string `json:"columns"`
			Defaults map[string]string `json:"defaults"`
		}{inline.Columns, inline.Defaults})
	}
	io.WriteString(sum, "mapping ")
	sum.Write(m)
	io.WriteString(sum, "\n")
	sum.Write(file)
	return hex.EncodeToString(sum.Sum(nil))
}

func (a *API) exportCatalogFile(w http.ResponseWriter, r *http.Request) error {
	f := catalogio.Format(r.URL.Query().Get("format"))
	if f == "" {
		f = catalogio.XLSX
	}
	// The list's text and filters, read and checked as GET …/entries
	// reads them (catalogQuery), so that the file holds the list's rows.
	q, err := a.catalogQuery(r)
	if err != nil {
		return err
	}
	q.Now = a.Now()
	opt := catalogio.ExportOptions{DepartmentID: q.DepartmentID, Statuses: q.Statuses, Filter: q}
	name := "catalog." + string(f)
	return catalogio.ServeExport(w, r, a.DB, catalogActor(r), f, opt, name, name)
}

func (a *API) listImportMappings(w http.ResponseWriter, r *http.Request) error {
	p, err := keysetParams(r, "import-mappings")
	if err != nil {
		return err
	}
	ms, next, err := catalogio.FindMappings(r.Context(), a.DB.Read(), catalogio.MappingFilter{
		DepartmentID: catalogActor(r).DepartmentID, After: p.After, Limit: p.Limit})
	if err != nil {
		return err
	}
	for i := range ms {
		ms[i].ETag = entityTag(ms[i].Tag())
	}
	out := p.items(ms, next)
	out["fields"] = catalogio.Fields()
	return JSON(w, http.StatusOK, out)
}

// saveImportMapping creates a column mapping of the caller's department:
// a name its mappings already have is refused 409 mapping_exists, as the
// console refuses it, unless the request is the stored mapping sent again
// (answered with it, nothing written). Replacing is asked for with
// If-Match: the ETag of the mapping as read replaces it while it is still
// so (409 concurrent_update otherwise), * replaces whatever is stored
// (catalogio.SaveMappingIf); either never creates: 404 mapping_not_found,
// nothing created, when no mapping of the name is stored. The answer's ETag, and its etag as each
// mapping GET lists has it, is the mapping's tag.
func (a *API) saveImportMapping(w http.ResponseWriter, r *http.Request) error {
	var m catalogio.Mapping
	if err := Decode(r, &m); err != nil {
		return err
	}
	// Without If-Match the condition is an empty list, which no stored
	// mapping matches: created, never replacing. ifMatch reads * as none
	// (nil): whatever is stored is replaced.
	cond := []string{}
	conditional := len(r.Header.Values("If-Match")) > 0
	if conditional {
		cond = ifMatch(r)
	}
	by := catalogActor(r)
	err := a.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		if conditional {
			// A tag names a mapping as read, and * a mapping stored:
			// with none of the name stored the condition is false
			// (RFC 9110 §13.1.1), refused as the other If-Match routes
			// refuse a missing object, nothing created. (The console's
			// editor, whose tag comes with the name it opened, keeps
			// catalogio's rule; mappings are never deleted.)
			if err := m.Validate(); err != nil {
				return err
			}
			if _, err := catalogio.MappingByName(r.Context(), tx, by.DepartmentID, m.Name); err != nil {
				if e := errs.As(err); e != nil && e.Code == "mapping_not_found" {
					return &errs.Error{Kind: errs.NotFound, Code: "mapping_not_found", Field: "name",
						Message: "本部门没有名为“" + m.Name + "”的列映射，If-Match 无从匹配（* 只替换已保存的列映射），本次未保存：新建列映射请不带 If-Match"}
				}
				return err
			}
		}
		m, err = catalogio.SaveMappingIf(r.Context(), tx, by, m, cond, a.Now())
		return err
	})
	if err != nil {
		return err
	}
	writeETag(w, m.Tag())
	m.ETag = entityTag(m.Tag())
	return JSON(w, http.StatusOK, m)
}
