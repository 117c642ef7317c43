package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hutong-gov/hutong/internal/auth"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/catalogio"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Column mappings (导入列映射) tell the catalog import which field each
// column of a foreign file holds, and give default values (see
// catalogio.Mapping). A department saves them by name and chooses one on
// the import form. The editor lists the headers of a file the user uploads
// (or of the file just imported, posted from its report), each with a
// select of fields prefilled by catalogio.Suggest, and inputs for the
// defaults. The form posts the rows as parallel fields header, field and
// sheet (every row has all three, so they cannot shift) and the defaults as
// default_<field key>.

// targetGroup is one <optgroup> of a column's select.
type targetGroup struct {
	Label  string
	Fields []selectOption // Value is the field key
}

// fieldLabels name the fields whose header alone is ambiguous in a select.
var fieldLabels = map[string]string{
	"items":            "信息项（一格内列出名称）",
	"item.code":        "信息项所属资源代码",
	"item.entry":       "信息项所属资源名称",
	"item.type":        "信息项数据类型",
	"item.length":      "信息项长度",
	"item.description": "信息项说明",
}

// fieldLabel is the Chinese name of a field key.
func fieldLabel(key string) string {
	if l, ok := fieldLabels[key]; ok {
		return l
	}
	for _, f := range catalogio.Fields() {
		if f.Key == key {
			return f.Header
		}
	}
	return key
}

// columnSources name how the import understood a column (Column.Source).
var columnSources = map[string]string{"layout": "标准列", "mapping": "列映射", "synonym": "同义词", "ignored": "忽略"}

func mappingTargets() []targetGroup {
	groups := []targetGroup{{Label: "目录（数据资源）"}, {Label: "信息项"}}
	for _, f := range catalogio.Fields() {
		i := 0
		if f.Sheet == catalogio.SheetItems {
			i = 1
		}
		groups[i].Fields = append(groups[i].Fields, selectOption{Value: f.Key, Label: fieldLabel(f.Key)})
	}
	return groups
}

// defaultVocabularies are the coded fields whose default input offers the
// allowed values (catalog.Vocabulary), by field key.
var defaultVocabularies = map[string]string{
	"class": "class", "format": "format", "share_type": "share_type", "share_methods": "share_methods",
	"open_attribute": "open_attribute", "update_frequency": "update_frequency", "network_zone": "network_zone",
	"domain": "domain", "subject_kind": "subject_kind", "item.type": "data_type",
}

// mappingRow is one column of the editor.
type mappingRow struct {
	Header string
	Sheet  string // the sheet it was read from, when the workbook has two
	Field  string // the field key chosen; "" ignores the column
	Note   string // how Field was chosen
}

// mappingDefault is one default value input of the editor.
type mappingDefault struct {
	Key, Label, Value string
	Choices           []selectOption // offered in a datalist
	Error             string
}

type mappingFormData struct {
	Name      string
	Existing  bool   // editing a saved mapping
	FileName  string // the file the headers were read from
	Rows      []mappingRow
	TwoSheets bool // the rows come from the 目录 and 信息项 sheets
	Targets   []targetGroup
	Defaults  []mappingDefault
	Errors    map[string]string // by field: file, name, columns, defaults
	Message   string            // the refusal, above the form
	// Opened and Tag name the saved mapping as the editor opened it
	// (catalogio.Mapping.Tag), sent back in opened and edit_tag: saved
	// under that name, the edit is refused when someone else saved it
	// since (concurrent_update); saved under another, it is a new
	// mapping, refused when the name is taken (mapping_exists).
	Opened, Tag string
}

// newMappingForm is the editor of m (columns and defaults by field key)
// with rows.
func newMappingForm(m catalogio.Mapping, rows []mappingRow) mappingFormData {
	d := mappingFormData{Name: m.Name, Rows: rows, Targets: mappingTargets(), Errors: map[string]string{}}
	for _, row := range rows {
		d.TwoSheets = d.TwoSheets || row.Sheet == catalogio.SheetItems
	}
	for _, f := range catalogio.DefaultFields() {
		md := mappingDefault{Key: f.Key, Label: fieldLabel(f.Key), Value: m.Defaults[f.Key]}
		switch v := defaultVocabularies[f.Key]; {
		case v == "data_type":
			for _, o := range catalog.Vocabulary(v) {
				md.Choices = append(md.Choices, selectOption{Value: o.Code, Label: o.Label})
			}
		case v != "":
			for _, o := range catalog.Vocabulary(v) {
				md.Choices = append(md.Choices, selectOption{Value: o.Label})
			}
		case f.Key == "security_level":
			md.Choices = []selectOption{{Value: "1"}, {Value: "2"}, {Value: "3"}, {Value: "4"}}
		}
		d.Defaults = append(d.Defaults, md)
	}
	return d
}

// savedRows lists a saved mapping's columns, by header.
func savedRows(m catalogio.Mapping, note string, skip map[string]bool) []mappingRow {
	var rows []mappingRow
	for h, t := range m.Columns {
		if !skip[h] {
			rows = append(rows, mappingRow{Header: h, Field: t, Note: note})
		}
	}
	slices.SortFunc(rows, func(a, b mappingRow) int { return strings.Compare(a.Header, b.Header) })
	return rows
}

// headerRows lists a file's headers, each with the field of the saved
// mapping base or else the suggested one, then base's columns the file
// lacks (they stay in the mapping). A header on both sheets is listed once:
// a mapping maps a header alike on both.
func headerRows(h catalogio.Headers, base catalogio.Mapping) []mappingRow {
	seen := map[string]bool{}
	var rows []mappingRow
	add := func(sheet string, headers []string, items bool) {
		suggested := catalogio.Suggest(headers, items)
		for _, hd := range headers {
			if seen[hd] {
				continue
			}
			seen[hd] = true
			row := mappingRow{Header: hd, Sheet: sheet, Note: "未识别"}
			if t, ok := base.Columns[hd]; ok {
				row.Field, row.Note = t, "已保存"
			} else if k, ok := suggested[hd]; ok {
				row.Field, row.Note = k, "自动识别"
			}
			rows = append(rows, row)
		}
	}
	sheet := ""
	if h.ItemsSheet {
		sheet = catalogio.SheetEntries
	}
	add(sheet, h.Entries, false)
	add(catalogio.SheetItems, h.Items, true)
	return append(rows, savedRows(base, "已保存（文件中没有此列）", seen)...)
}

// implied reports whether the import reads a column so without a mapping:
// one of our own headers as its own field, or an ignored column it would
// not recognise anyway. The editor leaves such columns out of the mapping,
// so that 资源代码 keeps meaning the entry's code on the 目录 sheet and the
// item's entry on the 信息项 sheet.
func implied(header, field string) bool {
	if field == "" {
		return len(catalogio.Suggest([]string{header}, false)) == 0 && len(catalogio.Suggest([]string{header}, true)) == 0
	}
	for _, f := range catalogio.Fields() {
		if f.Header == header && f.Key == field {
			return true
		}
	}
	return false
}

type mappingListData struct {
	Mappings []catalogio.Mapping
	Saved    string // the name of the mapping just saved
}

func (w *Web) mappingsPage(rw http.ResponseWriter, r *http.Request) error {
	ms, err := w.deptMappings(r)
	if err != nil {
		return err
	}
	return w.render(rw, r, http.StatusOK, "catalog_mappings", "导入列映射",
		mappingListData{Mappings: ms, Saved: r.URL.Query().Get("saved")})
}

// newMappingPage starts a mapping: the editor asks for a file.
func (w *Web) newMappingPage(rw http.ResponseWriter, r *http.Request) error {
	return w.renderMapping(rw, r, http.StatusOK, newMappingForm(catalogio.Mapping{}, nil))
}

// editMappingPage opens a saved mapping of the department.
func (w *Web) editMappingPage(rw http.ResponseWriter, r *http.Request) error {
	m, err := catalogio.MappingByName(r.Context(), w.cfg.DB.Read(), auth.From(r.Context()).DepartmentID(),
		r.URL.Query().Get("name"))
	if err != nil {
		return err
	}
	tag := m.Tag()
	m = m.Canonical()
	d := newMappingForm(m, savedRows(m, "已保存", nil))
	d.Existing, d.Opened, d.Tag = true, m.Name, tag
	return w.renderMapping(rw, r, http.StatusOK, d)
}

// mappingFromFile opens the editor on the headers of an uploaded file, or
// on the columns of an import's report (fields header, field and sheet).
// With the name of a saved mapping it extends that one.
func (w *Web) mappingFromFile(rw http.ResponseWriter, r *http.Request) error {
	if err := r.ParseMultipartForm(maxImportFile); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return auth.FormError(err, "上传的文件无法读取")
	}
	base := catalogio.Mapping{Name: strings.TrimSpace(r.PostFormValue("name"))}
	// The version the edit started from: the one the file form was sent
	// from, else the one read now.
	tag := r.PostFormValue("edit_tag")
	if base.Name != "" {
		m, err := catalogio.MappingByName(r.Context(), w.cfg.DB.Read(), auth.From(r.Context()).DepartmentID(), base.Name)
		switch {
		case err == nil:
			if tag == "" {
				tag = m.Tag()
			}
			base = m.Canonical()
		case !errs.Is(err, errs.NotFound):
			return err
		}
	}
	form := func(rows []mappingRow) mappingFormData {
		d := newMappingForm(base, rows)
		if d.Existing = base.Columns != nil; d.Existing {
			d.Opened, d.Tag = base.Name, tag
		}
		return d
	}
	fail := func(msg string) error {
		d := form(savedRows(base, "已保存", nil))
		d.Errors["file"], d.Message = msg, msg
		return w.renderMapping(rw, r, http.StatusUnprocessableEntity, d)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		rows, err := postedRows(r)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return fail("请选择要读取表头的 Excel（.xlsx）或 CSV 文件")
		}
		seen := map[string]bool{}
		for i := range rows {
			seen[rows[i].Header] = true
			rows[i].Note = "本次导入"
		}
		return w.renderMapping(rw, r, http.StatusOK, form(append(rows, savedRows(base, "已保存（文件中没有此列）", seen)...)))
	}
	defer file.Close()
	// Told as the import tells it (catalogio.Detect), so that the headers
	// are read from the file the import would read: by name, media type
	// and start.
	head := make([]byte, catalogio.SniffLen)
	n, err := file.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return err
	}
	mt, _, _ := mime.ParseMediaType(hdr.Header.Get("Content-Type"))
	f := catalogio.Detect("", hdr.Filename, mt, head[:n])
	if f != catalogio.XLSX && f != catalogio.CSV {
		return fail("只能读取 .xlsx、.csv 或 .txt（Excel 另存的 Unicode 文本）文件的表头：" + hdr.Filename)
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return err
	}
	h, err := catalogio.ReadHeaders(data, f)
	if err != nil {
		if e := errs.As(err); e != nil && e.Kind == errs.Invalid {
			return fail(hdr.Filename + "：" + e.Message)
		}
		return err
	}
	d := form(headerRows(h, base))
	d.FileName = hdr.Filename
	return w.renderMapping(rw, r, http.StatusOK, d)
}

// postedRows reads the editor's (or an import report's) column rows.
func postedRows(r *http.Request) ([]mappingRow, error) {
	headers, fields, sheets := r.PostForm["header"], r.PostForm["field"], r.PostForm["sheet"]
	if len(fields) != len(headers) || len(sheets) != len(headers) {
		return nil, errs.E(errs.Invalid, "bad_form", "列映射表单不完整，请重新打开编辑页面")
	}
	var rows []mappingRow
	seen := map[string]bool{}
	for i, h := range headers {
		h = strings.TrimSpace(h)
		if h == "" || seen[h] {
			continue
		}
		seen[h] = true
		rows = append(rows, mappingRow{Header: h, Field: strings.TrimSpace(fields[i]), Sheet: sheets[i]})
	}
	return rows, nil
}

// saveMapping saves the editor's mapping for the department (audited by
// catalogio.SaveMappingIf). Saved under the name it was opened with, it
// replaces that mapping as opened (edit_tag), refused 409 when someone
// else saved it since; a new mapping, or one saved under another name, is
// created, refused 409 when the department has a mapping of the name. A
// mapping catalogio refuses is shown again with the reason at its field,
// and nothing is saved.
func (w *Web) saveMapping(rw http.ResponseWriter, r *http.Request) error {
	rows, err := postedRows(r)
	if err != nil {
		return err
	}
	m := catalogio.Mapping{Name: r.PostFormValue("name"), Columns: map[string]string{}, Defaults: map[string]string{}}
	for _, row := range rows {
		if !implied(row.Header, row.Field) {
			m.Columns[row.Header] = row.Field
		}
	}
	for _, f := range catalogio.DefaultFields() {
		if v := strings.TrimSpace(r.PostFormValue("default_" + f.Key)); v != "" {
			m.Defaults[f.Key] = v
		}
	}
	existing, opened := r.PostFormValue("existing") == "yes", r.PostFormValue("opened")
	// Created: one of the name is not replaced. An edit sent from a page
	// served before the form carried opened and edit_tag saves as before.
	tags := []string{}
	if existing && (opened == "" || strings.TrimSpace(opened) == strings.TrimSpace(m.Name)) {
		tags = editTags(r)
	}
	by := catalogActor(auth.From(r.Context()))
	err = w.cfg.DB.Tx(r.Context(), func(tx *sqldb.Tx) (err error) {
		m, err = catalogio.SaveMappingIf(r.Context(), tx, by, m, tags, w.cfg.Now())
		return err
	})
	if err == nil {
		return redirect(rw, r, "/catalog/import-mappings?saved="+url.QueryEscape(m.Name))
	}
	e := inputRefusal(err)
	if e == nil {
		return err
	}
	d := newMappingForm(m, rows)
	d.Existing, d.Opened, d.Tag = existing, opened, r.PostFormValue("edit_tag")
	d.Name, d.Message = r.PostFormValue("name"), e.Message
	if key, ok := strings.CutPrefix(e.Field, "defaults."); ok {
		for i := range d.Defaults {
			if d.Defaults[i].Key == key {
				d.Defaults[i].Error = e.Message
			}
		}
	} else {
		d.Errors[e.Field] = e.Message
	}
	status := http.StatusUnprocessableEntity
	if e.Kind == errs.Conflict {
		status = http.StatusConflict
	}
	return w.renderMapping(rw, r, status, d)
}

func (w *Web) renderMapping(rw http.ResponseWriter, r *http.Request, status int, d mappingFormData) error {
	title := "新建列映射"
	if d.Existing {
		title = "编辑列映射 " + d.Name
	}
	return w.render(rw, r, status, "catalog_mapping", title, d)
}
