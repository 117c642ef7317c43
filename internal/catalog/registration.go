package catalog

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
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
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+`, d.uscc, d.region_code`+entryFrom+`
		WHERE e.status = 'published' AND ($1 = 0 OR e.department_id = $1) ORDER BY e.code`, departmentID)
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
func Import(ctx context.Context, tx *sqldb.Tx, by Actor, reg Registration, now time.Time) (ImportResult, error) {
	res := ImportResult{Departments: []string{}, Cleared: []string{}}
	if !by.Operator {
		return res, errs.E(errs.Forbidden, "forbidden", "只有平台主管部门可以导入目录注册数据")
	}
	if reg.Format != RegistrationFormat {
		return res, errs.Field("format", "invalid_format", "目录注册文件格式应为 "+RegistrationFormat)
	}
	if err := lockSources(ctx, tx, now); err != nil {
		return res, err
	}
	depts := map[string]int64{}
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
		deptID, ok := depts[re.Provider.USCC]
		if !ok {
			var err error
			if deptID, err = provider(ctx, tx, by, re.Provider, &res, now); err != nil {
				return res, fmt.Errorf("%s: %w", re.Code, err)
			}
			depts[re.Provider.USCC] = deptID
		}
		if err := importEntry(ctx, tx, by, deptID, re.Code, r, &res, now); err != nil {
			return res, err
		}
	}
	return res, nil
}

func codeClass(code string) string {
	for i := range code {
		if code[i] == '/' {
			return code[:i]
		}
	}
	return code
}

// provider finds the department of p by credit code, or registers it.
func provider(ctx context.Context, tx *sqldb.Tx, by Actor, p Provider, res *ImportResult, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM departments WHERE uscc = $1`, p.USCC).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("provider %s: %w", p.USCC, err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE code = $1`, p.RegionCode).Scan(&n); err != nil {
		return 0, fmt.Errorf("provider region: %w", err)
	}
	if n == 0 {
		return 0, errs.Field("provider.region_code", "unknown_region",
			fmt.Sprintf("提供部门“%s”所在行政区划 %s 未在本平台登记，请先添加该行政区划", p.Name, p.RegionCode))
	}
	d := org.Department{Name: p.Name, USCC: p.USCC, RegionCode: p.RegionCode}
	if err := org.CreateDepartment(ctx, tx, by.Actor, &d, now); err != nil {
		return 0, err
	}
	res.Departments = append(res.Departments, d.Name)
	return d.ID, nil
}

func importEntry(ctx context.Context, tx *sqldb.Tx, by Actor, deptID int64, code string, r Resource, res *ImportResult, now time.Time) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM catalog_entries WHERE code = $1`, code).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := createPublished(ctx, tx, by, deptID, code, r, now); err != nil {
			return err
		}
		res.Created++
		return nil
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", code, err)
	}
	e, err := load(ctx, tx, id)
	if err != nil {
		return err
	}
	switch {
	case e.DepartmentID != deptID:
		return errs.E(errs.Conflict, "code_taken", "资源代码 "+code+" 在本平台属于其他部门（"+e.DepartmentName+"）")
	case e.Status != Published || e.WorkingVersion != 0:
		return errs.E(errs.Conflict, "entry_busy", "资源代码 "+code+" 在本平台未发布或有待审核的修订，不能导入覆盖")
	case Diff(e.Resource, r).Empty():
		res.Unchanged++
		return nil
	}
	n, err := lastVersion(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := insertVersion(ctx, tx, id, n+1, Draft, r, by, now); err != nil {
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

// createPublished stores r as a new entry published at once under code
// (generated when empty), bypassing review: for registration imports and
// bulk loads of catalogs already reviewed elsewhere.
func createPublished(ctx context.Context, tx *sqldb.Tx, by Actor, deptID int64, code string, r Resource, now time.Time) (Entry, error) {
	var err error
	if code == "" {
		code, err = nextCode(ctx, tx, r.Classification.Code())
	} else {
		err = reserveCode(ctx, tx, code)
	}
	if err != nil {
		return Entry{}, err
	}
	e, err := insertEntry(ctx, tx, code, deptID, Draft, r, now)
	if err != nil {
		return e, err
	}
	if err := insertVersion(ctx, tx, e.ID, 1, Draft, r, by, now); err != nil {
		return e, err
	}
	e.WorkingVersion = 1
	// A new entry is no item's one source yet: nothing is dropped.
	if _, err := publishVersion(ctx, tx, e, Version{Version: 1, Resource: r}, by.Name, now); err != nil {
		return e, err
	}
	return e, record(ctx, tx, by, "catalog.import", e, now, "version", "1")
}
