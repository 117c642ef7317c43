package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// RegistrationFormat identifies the registration document format
// (docs/catalog-registration.md).
const RegistrationFormat = "hutong.catalog.registration/v1"

// Registration is the document a platform sends upward to register its
// published catalog (目录注册) on another Hutong instance.
type Registration struct {
	Format     string            `json:"format"`
	ExportedAt time.Time         `json:"exported_at"`
	Entries    []RegisteredEntry `json:"entries"`
}

// Provider identifies the department providing an entry across platforms.
type Provider struct {
	Name       string `json:"name"`
	USCC       string `json:"uscc"`
	RegionCode string `json:"region_code"`
}

// RegisteredEntry is one published entry in a Registration.
type RegisteredEntry struct {
	Code        string    `json:"code"`
	Provider    Provider  `json:"provider"`
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
	Resource    Resource  `json:"resource"`
}

// Export returns the published catalog (of one department, or all when
// departmentID is 0) as a registration document, ordered by code.
func Export(ctx context.Context, q sqldb.Querier, departmentID int64, now time.Time) (Registration, error) {
	reg := Registration{Format: RegistrationFormat, ExportedAt: now.UTC(), Entries: []RegisteredEntry{}}
	// The department condition is added only for a department: PostgreSQL
	// would type "$1 = 0" int4 and refuse an id beyond 32 bits.
	query, args := `SELECT `+entryColumns+`, d.uscc, d.region_code`+entryFrom+` WHERE e.status = 'published'`, []any{}
	if departmentID != 0 {
		query, args = query+` AND e.department_id = $1`, append(args, departmentID)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY e.code`, args...)
	if err != nil {
		return reg, fmt.Errorf("export catalog: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Entry
		var p Provider
		var data string
		var reviewed, published sql.NullTime
		err := rows.Scan(&e.ID, &e.Code, &e.DepartmentID, &p.Name, &e.Status, &e.Version, &e.PublishedVersion,
			&e.WorkingVersion, &e.WorkingStatus, &e.RejectReason, &data, &e.CreatedAt, &e.UpdatedAt, &reviewed,
			&published, &p.USCC, &p.RegionCode)
		if err != nil {
			return reg, fmt.Errorf("export catalog: %w", err)
		}
		re := RegisteredEntry{Code: e.Code, Provider: p, Version: e.PublishedVersion}
		if published.Valid {
			re.PublishedAt = published.Time.UTC()
		}
		if err := jsonUnmarshal(data, &re.Resource); err != nil {
			return reg, err
		}
		reg.Entries = append(reg.Entries, re)
	}
	return reg, rows.Err()
}

// ImportResult counts what Import did.
type ImportResult struct {
	Created     int      `json:"created"`
	Updated     int      `json:"updated"`
	Unchanged   int      `json:"unchanged"`
	Departments []string `json:"registered_departments"` // provider departments created
	// Cleared lists the fields that held only a placeholder (无, -, / …),
	// emptied on import: "101001/000001 时效要求“无”".
	Cleared []string `json:"cleared"`
}

// Import registers a registration document: every entry becomes published
// under its original resource code, created or, when the code exists for the
// same provider, updated with a new version if its metadata changed. Provider
// departments are found by unified social credit code and registered when
// unknown, provided their region exists. Only the operator may import; the
// whole document is refused at the first bad entry (the caller's
// transaction rolls back). Source conflicts are not re-detected: the
// sending platform decided them.
//
// The rows, audit rows included, are those of entries imported one after
// the other, written with few statements: the stored entries of the
// document's codes are read at once, and new entries wait in an importer
// to be written together (publishChunk) before whatever depends on them
// (a department registered, whose audit row follows theirs; an entry
// updated). The conflicts of the versions under review sharing their items
// are brought up to date once, at the end, for all of them (the refresh
// each one's publication would run, with the same outcome).
func Import(ctx context.Context, tx *sqldb.Tx, by Actor, reg Registration, now time.Time) (ImportResult, error) {
	res := ImportResult{Departments: []string{}, Cleared: []string{}}
	if !by.Operator {
		return res, errs.E(errs.Forbidden, "forbidden", "只有平台管理员可以导入目录注册数据")
	}
	if reg.Format != RegistrationFormat {
		return res, errs.Field("format", "invalid_format", "目录注册文件格式应为 "+RegistrationFormat)
	}
	if err := lockSources(ctx, tx, now); err != nil {
		return res, err
	}
	stored, err := entriesByCode(ctx, tx, reg.Entries)
	if err != nil {
		return res, err
	}
	im := newImporter(tx, by, now)
	depts := map[string]int64{}
	seen := map[string]bool{}
	for i, re := range reg.Entries {
		field := fmt.Sprintf("entries[%d].", i)
		if !ValidCode(re.Code) {
			return res, errs.Field(field+"code", "invalid_code", "资源代码格式错误："+re.Code)
		}
		r := re.Resource
		for _, c := range clearPlaceholders(&r) {
			res.Cleared = append(res.Cleared, re.Code+" "+c)
		}
		if err := check(&r); err != nil {
			e := errs.As(err)
			return res, errs.Field(field+"resource."+e.Field, e.Code, re.Code+"："+e.Message)
		}
		if r.Classification.Code() != codeClass(re.Code) {
			return res, errs.Field(field+"code", "code_mismatch", "资源代码与资源分类不一致："+re.Code)
		}
		re.Provider.USCC = storedUSCC(re.Provider.USCC)
		deptID, ok := depts[re.Provider.USCC]
		if !ok {
			if deptID, err = provider(ctx, tx, by, re.Provider, &res, im, now); err != nil {
				return res, providerError(field, re.Code, err)
			}
			depts[re.Provider.USCC] = deptID
		}
		e, found := stored[re.Code]
		again := seen[re.Code]
		seen[re.Code] = true
		if !found && !again {
			res.Created++
			if err := im.create(ctx, deptID, re.Code, r); err != nil {
				return res, err
			}
			continue
		}
		if again {
			// An entry met before in the document: as stored now.
			if _, err := im.flush(ctx); err != nil {
				return res, err
			}
			if e, err = scanEntry(tx.QueryRowContext(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.code = $1`, re.Code)); err != nil {
				return res, fmt.Errorf("import %s: %w", re.Code, err)
			}
		}
		changed, err := importable(ctx, tx, e, deptID, re.Code, r)
		if err != nil {
			return res, err
		}
		if !changed {
			res.Unchanged++
			continue
		}
		if _, err := im.flush(ctx); err != nil {
			return res, err
		}
		if err := importEntry(ctx, tx, by, e, r, &res, now); err != nil {
			return res, err
		}
	}
	return res, im.finish(ctx)
}

func codeClass(code string) string {
	for i := range code {
		if code[i] == '/' {
			return code[:i]
		}
	}
	return code
}

// entriesByCode returns the stored entries holding the codes of es, by code.
func entriesByCode(ctx context.Context, tx *sqldb.Tx, es []RegisteredEntry) (map[string]Entry, error) {
	var codes []any
	seen := map[string]bool{}
	for _, e := range es {
		if !seen[e.Code] {
			seen[e.Code] = true
			codes = append(codes, e.Code)
		}
	}
	out := map[string]Entry{}
	for len(codes) > 0 {
		n := min(len(codes), 500)
		var args []any
		in := sqldb.In(tx, &args, codes[:n], 0)
		rows, err := tx.QueryContext(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.code IN `+in, args...)
		if err != nil {
			return nil, fmt.Errorf("catalog entries by code: %w", err)
		}
		for rows.Next() {
			e, err := scanEntry(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("catalog entries by code: %w", err)
			}
			out[e.Code] = e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("catalog entries by code: %w", err)
		}
		codes = codes[n:]
	}
	return out, nil
}

// storedUSCC returns a credit code as departments store it (trimmed,
// upper case), so that a document writing it otherwise names the same
// department; one that is not a credit code is returned as it is, for
// registering its department to refuse.
func storedUSCC(s string) string {
	if r, err := ident.USCC(s, ident.Lenient); err == nil {
		return r.Normalized
	}
	return s
}

// providerError places an error about the provider of the entry at field
// (entries[i].) holding code: its field becomes entries[i].provider.uscc …,
// its message starts with the code.
func providerError(field, code string, err error) error {
	e := errs.As(err)
	if e == nil {
		return fmt.Errorf("%s: %w", code, err)
	}
	f := field + "provider"
	if e.Field != "" {
		f += "." + e.Field
	}
	return &errs.Error{Kind: e.Kind, Code: e.Code, Message: code + "：" + e.Message, Field: f, Err: e.Err}
}

// provider finds the department of p by credit code, or registers it once
// im has written the entries before it, so that its audit row follows
// theirs. A department of p's name in p's region under another credit code
// is refused, naming both codes: a name is no identity (two departments may
// have held it in turn, or one platform has the code wrong), and either
// taking that department or registering a second of the name would be a
// guess.
func provider(ctx context.Context, tx *sqldb.Tx, by Actor, p Provider, res *ImportResult, im *importer, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE uscc = $1`, p.USCC).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("provider %s: %w", p.USCC, err)
	}
	if _, err := im.flush(ctx); err != nil {
		return 0, err
	}
	name := text.Shown(strings.TrimSpace(p.Name), org.MaxDeptName)
	region, err := org.ReadRegionCode("region_code", "数源部门“"+name+"”的行政区划代码", p.RegionCode)
	if e := errs.As(err); e != nil {
		return 0, errs.Field(e.Field, e.Code, e.Message+"；请在注册文件中更正")
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE code = $1`, region).Scan(&n); err != nil {
		return 0, fmt.Errorf("provider region: %w", err)
	}
	if n == 0 {
		return 0, errs.Field("region_code", "unknown_region",
			fmt.Sprintf("数源部门“%s”所在行政区划 %s 未在本平台登记，请先添加该行政区划", name, region))
	}
	var held string
	err = tx.QueryRowContext(ctx, `SELECT uscc FROM departments WHERE region_code = $1 AND name = $2`,
		region, strings.TrimSpace(p.Name)).Scan(&held)
	if err == nil {
		return 0, &errs.Error{Kind: errs.Conflict, Code: "department_exists", Field: "uscc", Message: fmt.Sprintf(
			"数源部门“%s”的统一社会信用代码 %s 与本平台同一行政区划（%s）同名部门的统一社会信用代码 %s 不一致，无法确定是否为同一部门；请核对后更正注册文件或本平台该部门的统一社会信用代码",
			name, p.USCC, region, held)}
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("provider %s: %w", p.Name, err)
	}
	d := org.Department{Name: p.Name, USCC: p.USCC, RegionCode: region}
	if err := org.CreateDepartment(ctx, tx, by.Actor, &d, now); err != nil {
		return 0, err
	}
	res.Departments = append(res.Departments, d.Name)
	return d.ID, nil
}

// importable reports whether r, of department deptID, changes the stored
// entry e holding code, or why it may not be imported over e. A change
// is refused while the department's retirement request of e is under
// review (retire_requested), as Submit refuses a revision: the reviewer
// decides one change at a time.
func importable(ctx context.Context, tx *sqldb.Tx, e Entry, deptID int64, code string, r Resource) (bool, error) {
	switch {
	case e.DepartmentID != deptID:
		return false, errs.E(errs.Conflict, "code_taken", "资源代码 "+code+" 在本平台属于其他部门（"+e.DepartmentName+"）")
	case e.Status != Published || e.WorkingVersion != 0:
		return false, errs.E(errs.Conflict, "entry_busy", "资源代码 "+code+" 在本平台未发布或有待审核的修订，不能导入覆盖")
	}
	if Diff(e.Resource, r).Empty() {
		return false, nil
	}
	req, err := loadRetireRequest(ctx, tx, e.ID)
	if err != nil {
		return false, err
	}
	if req.Pending() {
		return false, errs.E(errs.Conflict, "retire_requested", "资源代码 "+code+
			" 的注销申请正在审核，不能导入覆盖；请先审核该申请或由数源部门撤回后再导入")
	}
	return true, nil
}

// importEntry publishes r as a new version of the stored entry e, which
// importable found r changes.
func importEntry(ctx context.Context, tx *sqldb.Tx, by Actor, e Entry, r Resource, res *ImportResult, now time.Time) error {
	n, err := lastVersion(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	if err := insertVersion(ctx, tx, e.ID, n+1, Draft, r, by, now); err != nil {
		return err
	}
	e.WorkingVersion = n + 1
	dropped, err := publishVersion(ctx, tx, e, Version{Version: n + 1, Resource: r}, by.Name, now)
	if err != nil {
		return err
	}
	res.Updated++
	return record(ctx, tx, by, "catalog.import", e, now, sourcesDropped(dropped, "version", strconv.Itoa(n+1))...)
}

// importer holds the entries an import creates until they are written
// together, published at once (the sending platform reviewed them) with
// the rows and audit rows that creating and publishing each would leave.
type importer struct {
	tx  *sqldb.Tx
	by  Actor
	now time.Time
	// keys are the item keys (kindKeys) of the entries created, whose
	// sharing versions under review finish refreshes.
	keys map[string]bool
	es   []generated
}

func newImporter(tx *sqldb.Tx, by Actor, now time.Time) *importer {
	return &importer{tx: tx, by: by, now: now, keys: map[string]bool{}}
}

// create adds r as a new entry of deptID under code, written with those
// before it once there are chunkSize (which bounds the memory a large
// document takes). Its item keys are noted for finish.
func (im *importer) create(ctx context.Context, deptID int64, code string, r Resource) error {
	im.es = append(im.es, generated{departmentID: deptID, r: r, at: im.now, code: code, by: &im.by})
	for _, k := range kindKeys(r) {
		im.keys[k] = true
	}
	if len(im.es) < chunkSize {
		return nil
	}
	_, err := im.flush(ctx)
	return err
}

// finish writes the entries left and brings up to date, once, the
// conflicts of the versions under review sharing an item with an entry
// created (redetect finds them by their item keys, reading no other):
// what each one's publication would have done, the conflicts coming to
// the same (candidates are only added), where refreshing them after each
// entry read the versions again every time.
func (im *importer) finish(ctx context.Context) error {
	if _, err := im.flush(ctx); err != nil {
		return err
	}
	if len(im.keys) == 0 {
		return nil
	}
	return redetect(ctx, im.tx, 0, im.now, im.keys)
}

// flush writes the entries added since the last flush, with their audit
// rows, and returns their ids.
func (im *importer) flush(ctx context.Context) ([]int64, error) {
	if len(im.es) == 0 {
		return nil, nil
	}
	c, err := newChunk(im.tx.Dialect, im.es)
	if err != nil {
		return nil, err
	}
	ids, err := publishChunk(ctx, im.tx, nil, c)
	if sqldb.IsUniqueViolationOf(err, keyCode) {
		return nil, errs.E(errs.Conflict, "code_exists", "导入的资源代码已被同时编目的数据资源占用，请重试")
	}
	if err != nil {
		return nil, err
	}
	headChange(im.tx)
	evs := make([]audit.Event, len(ids))
	for i, id := range ids {
		evs[i] = event(im.by, "catalog.import", Entry{ID: id, Code: im.es[i].code}, "version", "1")
	}
	im.es = im.es[:0]
	return ids, audit.RecordAll(ctx, im.tx, evs, im.now)
}
