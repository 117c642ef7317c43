package catalogio

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Mapping tells the import how to read a foreign file: which field each
// column holds, and default values for fields the file leaves empty (for
// example 网络环境 = 政务外网 for a whole open-data catalog). Departments
// save mappings by name and reuse them.
type Mapping struct {
	Name string `json:"name"`
	// Columns maps a header of the file to a field key or Chinese header
	// (resource_name → 资源名称, data_items → 信息项). An empty target
	// ignores the column. Headers not listed are recognised as in Suggest.
	Columns map[string]string `json:"columns"`
	// Defaults maps a field (key or header) to the value used when a row
	// leaves it empty. Conditional fields (共享条件, 不予共享依据, 开放条件,
	// 具体更新周期, 领域名称) get their default only when the row needs them;
	// 数据类型 and 长度 apply to data items listed by name only.
	Defaults map[string]string `json:"defaults,omitempty"`

	DepartmentID int64     `json:"department_id,omitempty"`
	UpdatedBy    string    `json:"updated_by,omitempty"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
	// ETag is Tag as an HTTP entity tag, in double quotes: the API sets it
	// in the mappings it answers, for the If-Match of a POST replacing
	// one. Read from a request, it is ignored.
	ETag string `json:"etag,omitempty"`
}

// column returns the mapping's target for a header.
func (m *Mapping) column(header string) (string, bool) {
	if m == nil {
		return "", false
	}
	if t, ok := m.Columns[header]; ok {
		return t, true
	}
	for h, t := range m.Columns {
		if strings.TrimSpace(h) == header {
			return t, true
		}
	}
	return "", false
}

// defaults returns the defaults by field key.
func (m *Mapping) defaults() map[string]string {
	out := map[string]string{}
	if m == nil {
		return out
	}
	for k, v := range m.Defaults {
		if f, ok := fieldByKey(k); ok {
			out[f.Key] = v
		}
	}
	// The item headers 数据类型 and 长度 are also item.type and item.length.
	for _, k := range []string{"type", "length"} {
		if v, ok := m.Defaults["item."+k]; ok {
			out["item."+k] = v
		}
	}
	return out
}

// MaxMappingName is the most characters of a mapping's name.
const MaxMappingName = 50

// Validate checks a mapping to be saved: its name, that it maps
// something, and what Check checks.
func (m *Mapping) Validate() error {
	m.Name = strings.TrimSpace(m.Name)
	switch {
	case m.Name == "":
		return errs.Field("name", "name_required", "映射名称不能为空")
	case !text.Plain(m.Name, false):
		return errs.Field("name", "invalid_characters", "映射名称含有控制字符或无效的字符编码")
	case utf8.RuneCountInString(m.Name) > MaxMappingName:
		return errs.Field("name", "too_long", "映射名称不能超过 "+strconv.Itoa(MaxMappingName)+" 个字")
	case len(m.Columns) == 0 && len(m.Defaults) == 0:
		return errs.Field("columns", "columns_required", "映射至少要有一列对应关系或一个默认值")
	}
	return m.Check()
}

// Check is Validate without the mapping's name: every target and default
// names a known field, each default a field that takes one, with a value
// the import can use. A mapping given with an import (not saved) is
// checked so.
func (m *Mapping) Check() error {
	if len(m.Columns) > 200 || len(m.Defaults) > 100 {
		return errs.Field("columns", "too_many_columns", "映射的列过多")
	}
	for h, t := range m.Columns {
		if strings.TrimSpace(t) == "" {
			continue
		}
		if _, ok := fieldByKey(t); !ok {
			return errs.Field("columns", "unknown_field", fmt.Sprintf("列“%s”对应的字段“%s”不存在", h, t))
		}
	}
	for k := range m.Defaults {
		f, ok := fieldByKey(k)
		switch {
		case !ok:
			return errs.Field("defaults", "unknown_field", fmt.Sprintf("没有名为“%s”的字段；%s", k, defaultFieldList()))
		case !takesDefault(f):
			return errs.Field("defaults", "default_not_allowed", fmt.Sprintf("字段“%s”不能设默认值；%s", f.Header, defaultFieldList()))
		}
	}
	return m.checkDefaults()
}

// DefaultFields lists the fields a mapping may give a default, in workbook
// order: those of an entry but its name, code and item list, and the type
// and length of data items listed by name (the import fills in no other).
func DefaultFields() []Field {
	var out []Field
	for _, f := range Fields() {
		if takesDefault(f) {
			out = append(out, f)
		}
	}
	return out
}

func takesDefault(f Field) bool {
	switch f.Key {
	case "name", "code", "items":
		return false
	case "item.type", "item.length":
		return true
	}
	return f.Sheet == SheetEntries
}

// defaultFieldList names the fields that take defaults, for a message.
func defaultFieldList() string {
	var names []string
	for _, f := range DefaultFields() {
		names = append(names, f.Header)
	}
	return "可设默认值的字段：" + strings.Join(names, "、")
}

// checkDefaults refuses a default value the import could not read (网络环境
// 火星网): it would fail every row that uses it. The defaults go through
// the import's own normalisation, on an entry that lists one data item by
// name (to which 数据类型 and 长度 apply).
func (m *Mapping) checkDefaults() error {
	b := &builder{rec: &record{vals: map[string]string{"items": "示例"}}, defaults: m.defaults()}
	b.build()
	for _, e := range b.errs {
		if e.Code != "unknown_value" && e.Code != "ambiguous_value" {
			continue
		}
		msg := e.Message
		if strings.HasPrefix(e.Field, "item.") { // not about the made-up item
			msg = fmt.Sprintf("%s“%s”无法识别", headerOf(e.Field), b.defaults[e.Field])
		}
		return errs.Field("defaults."+e.Field, "invalid_default", "默认值无法使用："+msg)
	}
	return nil
}

// Canonical returns the mapping with every column target and default named
// by its field key (资源名称 → name, 数据类型 → item.type), the way the
// console edits it. Names that are no field stay as they are.
func (m Mapping) Canonical() Mapping {
	out := m
	out.Columns = make(map[string]string, len(m.Columns))
	for h, t := range m.Columns {
		if f, ok := fieldByKey(t); ok {
			t = f.Key
		}
		out.Columns[h] = t
	}
	out.Defaults = make(map[string]string, len(m.Defaults))
	for k, v := range m.Defaults {
		if f, ok := fieldByKey(k); ok {
			k = f.Key
		}
		out.Defaults[k] = v
	}
	return out
}

// Tag names m as saved: the first 12 bytes of the SHA-256 of its name,
// columns and defaults (as JSON, keys sorted) joined by NUL, in hex. The
// console's edit form carries it (edit_tag) for SaveMappingIf.
func (m Mapping) Tag() string {
	cols, _ := json.Marshal(m.Columns) // maps of strings always marshal
	defs, _ := json.Marshal(m.Defaults)
	sum := sha256.Sum256([]byte(strings.Join([]string{m.Name, string(cols), string(defs)}, "\x00")))
	return hex.EncodeToString(sum[:12])
}

// SaveMapping stores m for the actor's department, replacing a mapping of
// the same name: SaveMappingIf without a condition.
func SaveMapping(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, m Mapping, now time.Time) (Mapping, error) {
	return SaveMappingIf(ctx, tx, by, m, nil, now)
}

// SaveMappingIf stores m for the actor's department. ifMatch conditions
// it on the department's mapping of m's name as the editor opened it (its
// Tag): nil is no condition (one of the name is replaced); an empty list
// matches none, so that m is created, and a mapping of the name already
// saved is refused mapping_exists rather than replaced; a mapping saved
// over since it was opened is refused concurrent_update, nothing written.
// A mapping asking for what the department's of the name already holds
// (a form sent twice) is answered with it, nothing written.
func SaveMappingIf(ctx context.Context, tx *sqldb.Tx, by catalog.Actor, m Mapping, ifMatch []string, now time.Time) (Mapping, error) {
	if !by.Editor || by.DepartmentID == 0 {
		return m, errs.E(errs.Forbidden, "forbidden", "只有本部门的目录编制人员可以保存导入映射")
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	if m.Columns == nil {
		m.Columns = map[string]string{}
	}
	if m.Defaults == nil {
		m.Defaults = map[string]string{}
	}
	cols, _ := json.Marshal(m.Columns) // maps of strings always marshal
	defs, _ := json.Marshal(m.Defaults)
	m.DepartmentID, m.UpdatedBy, m.UpdatedAt = by.DepartmentID, by.Name, now.UTC()
	upsert := `ON CONFLICT (department_id, name) DO UPDATE SET columns = excluded.columns, defaults = excluded.defaults,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`
	if ifMatch != nil {
		// The row is locked before it is read: of two saves from one
		// version, the second sees the first's.
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_import_mappings SET id = id WHERE department_id = $1 AND name = $2`,
			m.DepartmentID, m.Name); err != nil {
			return m, fmt.Errorf("save import mapping: %w", err)
		}
		cur, err := scanMapping(tx.QueryRowContext(ctx, `SELECT `+mappingColumns+` FROM catalog_import_mappings
			WHERE department_id = $1 AND name = $2`, m.DepartmentID, m.Name))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			// Created: one of the name created meanwhile is not replaced.
			upsert = `ON CONFLICT (department_id, name) DO NOTHING`
		case err != nil:
			return m, fmt.Errorf("save import mapping: %w", err)
		case cur.Tag() == m.Tag():
			return cur, nil
		case len(ifMatch) == 0:
			return m, errMappingExists(m.Name)
		case !slices.Contains(ifMatch, cur.Tag()):
			return m, errs.E(errs.Conflict, "concurrent_update", "列映射“"+m.Name+"”在您打开后已被他人修改，为免覆盖他人的修改，本次未保存：请重新打开该列映射，按最新内容修改")
		}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO catalog_import_mappings (department_id, name, columns, defaults,
		updated_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) `+upsert+` RETURNING id`,
		m.DepartmentID, m.Name, string(cols), string(defs), m.UpdatedBy, m.UpdatedAt).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// One of the name was created since it was read (on PostgreSQL,
		// by a transaction the insert waited for): the same form sent
		// twice at once is answered with it, as when sent again later.
		cur, err := scanMapping(tx.QueryRowContext(ctx, `SELECT `+mappingColumns+` FROM catalog_import_mappings
			WHERE department_id = $1 AND name = $2`, m.DepartmentID, m.Name))
		switch {
		case err == nil && cur.Tag() == m.Tag():
			return cur, nil
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return m, fmt.Errorf("save import mapping: %w", err)
		}
		return m, errMappingExists(m.Name)
	}
	if err != nil {
		return m, fmt.Errorf("save import mapping: %w", err)
	}
	return m, audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "catalog.import_mapping.save",
		ObjectType: "catalog_import_mapping", ObjectID: strconv.FormatInt(id, 10), Detail: audit.Detail("name", m.Name)}, now)
}

// errMappingExists refuses a new mapping of a name the department's
// mappings already have.
func errMappingExists(name string) error {
	e := errs.E(errs.Conflict, "mapping_exists", "本部门已有名为“"+name+"”的列映射，新建的列映射不能使用该名称：请改用其他名称，或打开原列映射修改")
	e.Field = "name"
	return e
}

const mappingColumns = `department_id, name, columns, defaults, updated_by, updated_at`

func scanMapping(sc interface{ Scan(...any) error }) (Mapping, error) {
	var m Mapping
	var cols, defs string
	if err := sc.Scan(&m.DepartmentID, &m.Name, &cols, &defs, &m.UpdatedBy, &m.UpdatedAt); err != nil {
		return m, err
	}
	m.UpdatedAt = m.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(cols), &m.Columns); err != nil {
		return m, fmt.Errorf("decode import mapping %s: %w", m.Name, err)
	}
	return m, json.Unmarshal([]byte(defs), &m.Defaults)
}

// MappingByName returns a department's saved mapping. Mappings are saved
// per department: another department's of the name is not found.
func MappingByName(ctx context.Context, q sqldb.Querier, departmentID int64, name string) (Mapping, error) {
	if !text.Plain(name, false) { // no saved name is
		return Mapping{}, errs.E(errs.NotFound, "mapping_not_found", "导入映射不存在")
	}
	m, err := scanMapping(q.QueryRowContext(ctx, `SELECT `+mappingColumns+` FROM catalog_import_mappings
		WHERE department_id = $1 AND name = $2`, departmentID, strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return m, errs.E(errs.NotFound, "mapping_not_found", "导入映射不存在："+name+
			"（列映射按部门保存，只能使用本部门保存的映射）")
	}
	if err != nil {
		return m, fmt.Errorf("import mapping %q: %w", name, err)
	}
	return m, nil
}

// MappingFilter selects a page of a department's saved mappings. With
// only DepartmentID set it selects them all.
type MappingFilter struct {
	DepartmentID int64
	After        string // keyset cursor: mappings whose name sorts after this
	Limit        int    // at most this many; 0 for all
}

// FindMappings returns the mappings f selects, ordered by name, and the
// cursor of the next page: the last name, "" when no more follow.
func FindMappings(ctx context.Context, q sqldb.Querier, f MappingFilter) ([]Mapping, string, error) {
	query := `SELECT ` + mappingColumns + ` FROM catalog_import_mappings WHERE department_id = $1`
	args := []any{f.DepartmentID}
	if f.After != "" {
		query += ` AND name > $2`
		args = append(args, f.After)
	}
	query += ` ORDER BY name`
	if f.Limit > 0 {
		query += ` LIMIT ` + strconv.Itoa(f.Limit+1) // one more tells that more follow
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list import mappings: %w", err)
	}
	defer rows.Close()
	out := []Mapping{}
	for rows.Next() {
		m, err := scanMapping(rows)
		if err != nil {
			return nil, "", fmt.Errorf("list import mappings: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("list import mappings: %w", err)
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
		return out, out[len(out)-1].Name, nil
	}
	return out, "", nil
}

// Mappings lists a department's saved mappings by name.
func Mappings(ctx context.Context, q sqldb.Querier, departmentID int64) ([]Mapping, error) {
	ms, _, err := FindMappings(ctx, q, MappingFilter{DepartmentID: departmentID})
	return ms, err
}

// MappingFrom returns the mapping an import used (its columns as
// understood), ready to be saved under a name. A column the import's
// mapping ignored is saved ignored (an empty target).
func MappingFrom(name string, columns []Column, defaults map[string]string) Mapping {
	m := Mapping{Name: name, Columns: map[string]string{}, Defaults: defaults}
	for _, c := range columns {
		if c.Header != "" && (c.Source == "mapping" || c.Source == "synonym") {
			m.Columns[c.Header] = c.Field
		}
	}
	return m
}
