package org

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
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// DepartmentChange is what UpdateDepartment changes of a department: its
// name and its unified social credit code, both given whole, and its short
// name when given (nil keeps it; blank removes it). IfMatch, when not nil,
// are the tags (Department.Tag) of the department as the change was
// started from: a department stored otherwise now has been changed by
// someone else since, and the change is refused (concurrent_update) rather
// than overwriting theirs unseen. Nil is no condition; an empty list
// matches nothing.
//
// RegionCode and ParentID, when given (nil keeps them), move the
// department to another region and under another parent department (0
// for none), as an organisational change (机构改革) does: the region must
// be known, the parent a department that is not this one nor under it.
type DepartmentChange struct {
	Name       string   `json:"name"`
	ShortName  *string  `json:"short_name,omitempty"`
	USCC       string   `json:"uscc"`
	RegionCode *string  `json:"region_code,omitempty"`
	ParentID   *int64   `json:"parent_id,omitempty"`
	IfMatch    []string `json:"-"`
}

// Tag names what an edit of d starts from: a digest of every field of d an
// operator edits, its being disabled too, so that any change saved gives
// another tag. The API answers it as the ETag of GET and PUT
// /departments/{id} and of disable and enable, the console's edit form
// carries it, and DepartmentChange.IfMatch (and SetDepartmentDisabled's
// ifMatch) sends it back: a disable or enable done in between is caught
// as a change of the name is.
func (d Department) Tag() string {
	return tagOf(strconv.FormatInt(d.ID, 10), d.Name, d.ShortName, d.USCC,
		d.RegionCode, strconv.FormatInt(d.ParentID, 10), strconv.FormatBool(d.Disabled))
}

// UpdateDepartment renames department id, changes its short name and its
// unified social credit code, as the operator corrects them. The code is checked as
// CreateDepartment checks a new one (ident.LegalEntityMode, unique) only
// when it changes: a department whose stored code fails the check
// (USCCInvalid) can still be renamed, and its code corrected. A change
// that changes nothing is no change: nothing is written or audited. The
// audit row names the old and new values of what changed. A new name or
// short name is refused as CreateDepartment refuses it when another
// department has it (checkNamesFree).
func UpdateDepartment(ctx context.Context, tx *sqldb.Tx, by audit.Actor, id int64, c DepartmentChange, now time.Time) (Department, error) {
	// Lock the row before reading it: on PostgreSQL (READ COMMITTED) a
	// rename committed between the read and the write would otherwise be
	// overwritten unseen, and the audit row name a stale old value.
	if _, err := tx.ExecContext(ctx, `UPDATE departments SET id = id WHERE id = $1`, id); err != nil {
		return Department{}, fmt.Errorf("update department %d: %w", id, err)
	}
	d, err := scanDepartment(tx.QueryRowContext(ctx, `SELECT `+departmentColumns+` FROM departments WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.E(errs.NotFound, "department_not_found", "部门不存在")
	}
	if err != nil {
		return d, fmt.Errorf("update department %d: %w", id, err)
	}
	if !tagMatches(c.IfMatch, d.Tag()) {
		return d, errConcurrentUpdate("部门“" + d.Name + "”")
	}
	if problems := c.Check(d); len(problems) > 0 {
		return d, problems[0]
	}
	name, short, code := strings.TrimSpace(c.Name), d.ShortName, d.USCC
	if c.ShortName != nil {
		short = strings.TrimSpace(*c.ShortName)
	}
	region, parent := d.RegionCode, d.ParentID
	if c.RegionCode != nil {
		region = ""
		if strings.TrimSpace(*c.RegionCode) != "" {
			if region, err = ReadRegionCode("region_code", "行政区划代码", *c.RegionCode); err != nil {
				return d, err
			}
		}
	}
	if c.ParentID != nil {
		parent = *c.ParentID
	}
	var warnings []string
	if !sameCode(c.USCC, d.USCC) {
		res, _ := ident.USCC(c.USCC, ident.LegalEntityMode(c.USCC)) // Check refused an error
		code, warnings = res.Normalized, res.Warnings
	}
	if name == d.Name && short == d.ShortName && code == d.USCC && region == d.RegionCode && parent == d.ParentID {
		return d, nil
	}
	if region != d.RegionCode || parent != d.ParentID {
		if err := lockHierarchy(ctx, tx); err != nil {
			return d, err
		}
		moved := d
		moved.RegionCode, moved.ParentID = region, parent
		if err := checkDepartmentRefs(ctx, tx, moved); err != nil {
			return d, err
		}
		if err := checkNoCycle(ctx, tx, id, parent); err != nil {
			return d, err
		}
		if region != d.RegionCode {
			if err := checkChildrenRegions(ctx, tx, id, region); err != nil {
				return d, err
			}
		}
	}
	if code != d.USCC {
		if err := usccHeld(ctx, tx, code, id); err != nil {
			return d, err
		}
	}
	var parentArg any
	if parent != 0 {
		parentArg = parent
	}
	_, err = tx.ExecContext(ctx, `UPDATE departments SET name = $1, short_name = $2, uscc = $3, region_code = $4, parent_id = $5,
		name_key = $6, short_name_key = $7, name_search = $8, short_name_search = $9 WHERE id = $10`,
		name, short, code, region, parentArg, text.NameKey(name), text.NameKey(short), searchForm(name), searchForm(short), id)
	switch {
	case sqldb.IsUniqueViolationOf(err, keyDeptUSCC):
		return d, errUSCCTaken(code)
	case sqldb.IsUniqueViolationOf(err, keyDeptName):
		return d, errNameTaken(name)
	case err != nil:
		return d, fmt.Errorf("update department %d: %w", id, err)
	}
	var detail []string
	if name != d.Name {
		detail = append(detail, "name", name, "old_name", d.Name)
	}
	if short != d.ShortName {
		detail = append(detail, "short_name", short, "old_short_name", d.ShortName)
	}
	if code != d.USCC {
		detail = append(detail, "uscc", code, "old_uscc", d.USCC)
	}
	if region != d.RegionCode {
		detail = append(detail, "region_code", region, "old_region_code", d.RegionCode)
	}
	if parent != d.ParentID {
		detail = append(detail, "parent_id", idText(parent), "old_parent_id", idText(d.ParentID))
	}
	if len(warnings) > 0 {
		detail = append(detail, "uscc_warnings", strings.Join(warnings, "；"))
	}
	if err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "department.update", ObjectType: "department",
		ObjectID: strconv.FormatInt(id, 10), Detail: audit.Detail(detail...)}, now); err != nil {
		return d, err
	}
	// Only a name or short name that changes is checked: one stored
	// before the check existed does not keep its department from changes.
	newName, newShort := name, short
	if name == d.Name {
		newName = ""
	}
	if short == d.ShortName {
		newShort = ""
	}
	if err := checkNamesFree(ctx, tx, id, region, newName, newShort); err != nil {
		return d, err
	}
	if newShort == "" && region != d.RegionCode {
		if err := checkShortNameInRegion(ctx, tx, id, region, short); err != nil {
			return d, err
		}
	}
	d.Name, d.ShortName, d.USCC, d.USCCInvalid = name, short, code, usccInvalid(code)
	d.RegionCode, d.ParentID = region, parent
	d.Warnings = d.codeWarnings()
	return d, nil
}

// idText is a department id in an audit row's detail, "" for none.
func idText(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// checkNoCycle refuses parent as department id's parent when it is id or
// a department under id: the departments would be each other's superiors.
func checkNoCycle(ctx context.Context, q sqldb.Querier, id, parent int64) error {
	for p, steps := parent, 0; p != 0; steps++ {
		if p == id {
			return errs.Field("parent_id", "parent_cycle", "上级部门不能是本部门或其下级部门")
		}
		if steps > 1000 {
			return fmt.Errorf("department %d: parent chain too long", id)
		}
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(parent_id, 0) FROM departments WHERE id = $1`, p).Scan(&p); err != nil {
			return fmt.Errorf("department %d: parent chain: %w", id, err)
		}
	}
	return nil
}

// Check returns every problem of c as a change of department d, each a
// field error: its name, its short name when given, then its code, each
// checked only when it is not d's (the name and short name trimmed, the
// code as sameCode compares it): a name or code stored before a check
// existed does not keep its department from other changes. Whether the
// name or code is another department's is UpdateDepartment's to tell.
func (c DepartmentChange) Check(d Department) []*errs.Error {
	var out problems
	if strings.TrimSpace(c.Name) != d.Name {
		out.add(checkDepartmentName(c.Name))
	}
	if c.ShortName != nil && strings.TrimSpace(*c.ShortName) != d.ShortName {
		out.add(checkShortName(*c.ShortName))
	}
	if !sameCode(c.USCC, d.USCC) {
		out.add(checkUSCC(c.USCC))
	}
	return out
}

// checkUSCC refuses a department's unified social credit code, as typed:
// none, or white space alone (uscc_required), or one ident.USCC refuses.
func checkUSCC(s string) error {
	if strings.TrimSpace(s) == "" {
		return errs.Field("uscc", "uscc_required", "统一社会信用代码不能为空")
	}
	_, err := ident.USCC(s, ident.LegalEntityMode(s))
	return fieldErr("uscc", err)
}

// sameCode reports whether s, as typed, is the stored credit code code:
// the same characters, whatever the case and the spaces around.
func sameCode(s, code string) bool {
	return strings.EqualFold(strings.TrimSpace(s), code)
}
