package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
)

// maxImportFile bounds an uploaded catalog workbook.
const maxImportFile = 32 << 20

type catalogImportData struct {
	Report   *catalogio.Report
	Error    string
	FileName string
	GoodOnly bool
	DryRun   bool
}

func (w *Web) importPage(rw http.ResponseWriter, r *http.Request) error {
	return w.render(rw, r, http.StatusOK, "catalog_import", "导入数据资源目录", catalogImportData{})
}

// importCatalog imports an uploaded XLSX or CSV file as drafts of the
// caller's department and shows catalogio's report: the values it
// normalised and every bad row with its reason.
func (w *Web) importCatalog(rw http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(maxImportFile); err != nil {
		return errs.Wrap(errs.Invalid, "bad_form", "上传的文件无法读取", err)
	}
	d := catalogImportData{GoodOnly: r.PostFormValue("good_only") == "yes", DryRun: r.PostFormValue("dry_run") == "yes"}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		d.Error = "请选择要导入的 Excel（.xlsx）或 CSV 文件"
		return w.render(rw, r, http.StatusUnprocessableEntity, "catalog_import", "导入数据资源目录", d)
	}
	defer file.Close()
	d.FileName = hdr.Filename
	f := catalogio.FormatOf(hdr.Filename)
	if f == "" {
		f = catalogio.FormatOf(hdr.Header.Get("Content-Type"))
	}
	if f == "" {
		d.Error = "只能导入 .xlsx、.csv 或 .jsonl 文件：" + hdr.Filename
		return w.render(rw, r, http.StatusUnprocessableEntity, "catalog_import", "导入数据资源目录", d)
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	by := catalogActor(auth.From(r.Context()))
	rep, err := catalogio.Import(r.Context(), w.cfg.DB, by, bytes.NewReader(data), f,
		catalogio.Options{DepartmentID: by.DepartmentID, GoodOnly: d.GoodOnly, DryRun: d.DryRun, Now: w.cfg.Now()})
	d.Report = rep
	status := http.StatusOK
	if err != nil {
		e := errs.As(err)
		if e == nil || (e.Kind != errs.Invalid && e.Kind != errs.Forbidden) {
			return err
		}
		d.Error = e.Message
		status, _ = userError(err)
		if status == http.StatusBadRequest {
			status = http.StatusUnprocessableEntity
		}
	}
	return w.render(rw, r, status, "catalog_import", "导入报告", d)
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
