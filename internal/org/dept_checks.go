package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// authorityLabels name the registration authorities (登记管理部门代码, the
// first character of a unified social credit code, GB 32100) a
// department's code may show besides 1, 机构编制: those of other kinds of
// legal persons than organs of government and public institutions.
var authorityLabels = map[byte]string{'2': "外交", '3': "司法行政", '4': "文化", '5': "民政", '6': "旅游", '7': "宗教",
	'8': "工会", '9': "市场监管（工商）", 'A': "中央军委改革和编制办公室", 'N': "农业", 'Y': "其他"}

// codeWarnings are what is wrong with department d's credit code but
// accepted, in Chinese, every time d is read (Department.Warnings): the
// defects ident.USCC accepts leniently (a wrong check character in an
// early code with letters, an organisation code inside it failing its own
// check); a registration authority other than 1, 机构编制 (an enterprise's
// 9 on a government department: the code is likely another body's); and
// region digits (characters 3 to 8) other than the department's region's,
// which a department moved by an organisational change (机构改革) may keep
// until it is issued a new code, so they are told, not refused.
func (d Department) codeWarnings() []string {
	var out []string
	res, err := ident.USCC(d.USCC, ident.LegalEntityMode(d.USCC))
	if err == nil {
		out = append(out, res.Warnings...)
	}
	code := strings.ToUpper(d.USCC)
	if len(code) != 18 {
		return out
	}
	if code[0] != '1' {
		label, ok := authorityLabels[code[0]]
		if !ok {
			label = "未知"
		}
		out = append(out, fmt.Sprintf("统一社会信用代码第1位（登记管理部门代码）为 %c（%s），不是 1（机构编制）：党政机关和事业单位的代码以 1 开头，该代码可能是企业或其他组织的，请与该部门核对",
			code[0], label))
	}
	if len(d.RegionCode) >= 6 && code[2:8] != d.RegionCode[:6] {
		out = append(out, fmt.Sprintf("统一社会信用代码第3–8位（登记管理机关行政区划码）为 %s，与本部门所在行政区划 %s 不符，请与该部门核对（因区划调整尚未换发代码的可暂不更正）",
			code[2:8], d.RegionCode))
	}
	return out
}

// hierarchyLock is the key of the PostgreSQL advisory lock every change of
// the department hierarchy (a parent or a region of a department, a new
// department under a parent) takes before its checks (lockHierarchy).
const hierarchyLock = 0x6875746f6e67_01 // "hutong", 1

// lockHierarchy serialises changes of the department hierarchy until tx
// ends. Their checks (checkNoCycle, checkParentRegion,
// checkChildrenRegions) read other departments than the one changed,
// which its own row lock does not hold: on PostgreSQL (READ COMMITTED) two
// transactions would each read the other's departments as they were
// before the other's change and both commit (A under B and B under A, a
// loop). The second now waits here until the first commits and checks
// what it stored. On SQLite the one writer serialises them already.
func lockHierarchy(ctx context.Context, tx *sqldb.Tx) error {
	if tx.Dialect != sqldb.Postgres {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(hierarchyLock)); err != nil {
		return fmt.Errorf("lock department hierarchy: %w", err)
	}
	return nil
}

// namesLock is the key of the PostgreSQL advisory lock every check of a
// department's new name, short name or region against the other
// departments' takes (lockNames).
const namesLock = 0x6875746f6e67_02 // "hutong", 2

// namesLocked is lockNames' key for sqldb.Tx.Once.
type namesLocked struct{}

// lockNames serialises the checks of departments' names and short names
// (checkNamesFree, checkShortNameInRegion) until tx ends. Each reads the
// other departments after tx wrote its own: on PostgreSQL (READ
// COMMITTED) two transactions would each read the other's department as
// it was before and both commit (区民政局 beside a 佛山市南海区民政局 of
// that short name). The second now waits here until the first commits
// and reads what it stored. The lock of the audit log's head, which every
// such transaction took at its audit row until it committed, did this
// until 2026-12-05; rows are now appended as a transaction commits
// (audit.Record). On SQLite the one writer serialises them already. It is
// taken once in tx (sqldb.Tx.Once), however many checks take it: a change
// of a department's name and region runs both.
func lockNames(ctx context.Context, tx *sqldb.Tx) error {
	if tx.Dialect != sqldb.Postgres {
		return nil
	}
	return tx.Once(namesLocked{}, func() error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(namesLock)); err != nil {
			return fmt.Errorf("lock department names: %w", err)
		}
		return nil
	})
}

// checkParentRegion refuses parent as the parent department of a
// department in region: the parent must sit in region or in a region
// above it (GB/T 2260: 440000 above 440600 above 440605), as a district's
// departments sit under the district's, the city's or the province's, never a province's
// department under a district's. Regions are never deleted.
func checkParentRegion(ctx context.Context, q sqldb.Querier, region string, parent int64) error {
	if parent == 0 {
		return nil
	}
	var parentName, parentRegion string
	if err := q.QueryRowContext(ctx, `SELECT name, region_code FROM departments WHERE id = $1`, parent).Scan(&parentName, &parentRegion); err != nil {
		return fmt.Errorf("parent department %d: %w", parent, err)
	}
	under, err := regionWithin(ctx, q, region, parentRegion)
	if err != nil || under {
		return err
	}
	return errs.Field("parent_id", "parent_region_mismatch", fmt.Sprintf(
		"上级部门“%s”所在的行政区划（%s）不是本部门所在行政区划（%s）或其上级区划：上级部门应在同一行政区划或更高层级的行政区划",
		parentName, parentRegion, region))
}

// regionWithin reports whether region is above, or is, region code or
// one of its ancestors (parent_code), up to the province.
func regionWithin(ctx context.Context, q sqldb.Querier, code, above string) (bool, error) {
	for steps := 0; code != "" && steps < 10; steps++ {
		if code == above {
			return true, nil
		}
		err := q.QueryRowContext(ctx, `SELECT COALESCE(parent_code, '') FROM regions WHERE code = $1`, code).Scan(&code)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("region %s: %w", code, err)
		}
	}
	return false, nil
}

// checkChildrenRegions refuses region as the new region of department id
// when a department under it sits in a region that is not region nor
// below it (checkParentRegion, seen from the children).
func checkChildrenRegions(ctx context.Context, q sqldb.Querier, id int64, region string) error {
	rows, err := q.QueryContext(ctx, `SELECT name, region_code FROM departments WHERE parent_id = $1 ORDER BY id`, id)
	if err != nil {
		return fmt.Errorf("departments under %d: %w", id, err)
	}
	type child struct{ name, region string }
	var children []child
	for rows.Next() {
		var c child
		if err := rows.Scan(&c.name, &c.region); err != nil {
			rows.Close()
			return err
		}
		children = append(children, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range children {
		under, err := regionWithin(ctx, q, c.region, region)
		if err != nil {
			return err
		}
		if !under {
			return errs.Field("region_code", "child_region_mismatch", fmt.Sprintf(
				"下级部门“%s”所在的行政区划（%s）不在 %s 之内：请先调整下级部门，上级部门应在同一行政区划或更高层级的行政区划", c.name, c.region, region))
		}
	}
	return nil
}
