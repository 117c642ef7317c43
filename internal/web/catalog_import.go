package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
)

// maxImportFile bounds the part of an uploaded catalog workbook kept in
// memory; the rest waits in a temporary file.
const maxImportFile = 32 << 20

type catalogImportData struct {
	Report   *catalogio.Report
	Error    string
	FileName string
	GoodOnly bool
	DryRun   bool
	Mapping  string              // the name of the saved mapping chosen, if any
	Mappings []catalogio.Mapping // the department's saved mappings
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
// shows catalogio's report: the values it normalised and every bad row with
// its reason.
func (w *Web) importCatalog(rw http.ResponseWriter, r *http.Request) error {
	d, status, err := w.runImport(r)
	if err != nil {
		return err
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

// runImport reads the import form and imports its file. A refusal the
// user can mend (no file, an unknown format or mapping, bad rows) comes
// back in d.Error with its status; other errors are returned.
func (w *Web) runImport(r *http.Request) (d catalogImportData, status int, err error) {
	if err := r.ParseMultipartForm(maxImportFile); err != nil {
		return d, 0, errs.Wrap(errs.Invalid, "bad_form", "上传的文件无法读取", err)
	}
	d.GoodOnly, d.DryRun = r.PostFormValue("good_only") == "yes", r.PostFormValue("dry_run") == "yes"
	d.Mapping = strings.TrimSpace(r.PostFormValue("mapping"))
	refuse := func(msg string) (catalogImportData, int, error) {
		d.Error = msg
		return d, http.StatusUnprocessableEntity, nil
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return refuse("请选择要导入的 Excel（.xlsx）或 CSV 文件")
	}
	defer file.Close()
	d.FileName = hdr.Filename
	f := catalogio.FormatOf(hdr.Filename)
	if f == "" {
		f = catalogio.FormatOf(hdr.Header.Get("Content-Type"))
	}
	if f == "" {
		return refuse("只能导入 .xlsx、.csv 或 .jsonl 文件：" + hdr.Filename)
	}
	by := catalogActor(auth.From(r.Context()))
	opt := catalogio.Options{DepartmentID: by.DepartmentID, GoodOnly: d.GoodOnly, DryRun: d.DryRun, Now: w.cfg.Now()}
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

// exportCatalog downloads the catalog entries the caller may see: its
// department's (the operator: every department's) in XLSX or CSV.
func (w *Web) exportCatalog(rw http.ResponseWriter, r *http.Request) error {
	f := catalogio.Format(r.URL.Query().Get("format"))
	if f == "" {
		f = catalogio.XLSX
	}
	if f != catalogio.XLSX && f != catalogio.CSV {
		return errs.Field("format", "invalid_format", "导出格式应为 xlsx 或 csv")
	}
	by := catalogActor(auth.From(r.Context()))
	opt := catalogio.ExportOptions{DepartmentID: by.DepartmentID}
	if by.Operator {
		opt.DepartmentID = 0
	}
	if r.URL.Query().Get("published") == "1" {
		opt.Statuses = []catalog.Status{catalog.Published}
	}
	var buf bytes.Buffer
	if _, err := catalogio.Export(r.Context(), w.cfg.DB.Read(), by, &buf, f, opt); err != nil {
		return err
	}
	name := fmt.Sprintf("数据资源目录-%s.%s", w.cfg.Now().In(calendar.Location()).Format("20060102"), f)
	rw.Header().Set("Content-Type", f.ContentType())
	rw.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(name))
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("X-Content-Type-Options", "nosniff")
	_, err := buf.WriteTo(rw)
	return err
}
