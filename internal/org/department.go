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
)

// DepartmentChange is what UpdateDepartment changes of a department: its
// name and its unified social credit code, both given whole, and its short
// name when given (nil keeps it; blank removes it).
type DepartmentChange struct {
	Name      string  `json:"name"`
	ShortName *string `json:"short_name,omitempty"`
	USCC      string  `json:"uscc"`
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
	if problems := c.Check(d); len(problems) > 0 {
		return d, problems[0]
	}
	name, short, code := strings.TrimSpace(c.Name), d.ShortName, d.USCC
	if c.ShortName != nil {
		short = strings.TrimSpace(*c.ShortName)
	}
	var warnings []string
	if !sameCode(c.USCC, d.USCC) {
		res, _ := ident.USCC(c.USCC, ident.LegalEntityMode(c.USCC)) // Check refused an error
		code, warnings = res.Normalized, res.Warnings
	}
	if name == d.Name && short == d.ShortName && code == d.USCC {
		return d, nil
	}
	if code != d.USCC {
		var holder string
		switch err := tx.QueryRowContext(ctx, `SELECT name FROM departments WHERE uscc = $1 AND id <> $2`, code, id).Scan(&holder); {
		case err == nil:
			return d, errUSCCHeld(code, holder)
		case !errors.Is(err, sql.ErrNoRows):
			return d, fmt.Errorf("update department %d: %w", id, err)
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE departments SET name = $1, short_name = $2, uscc = $3 WHERE id = $4`, name, short, code, id)
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
	if err := checkNamesFree(ctx, tx, id, newName, newShort); err != nil {
		return d, err
	}
	d.Name, d.ShortName, d.USCC, d.Warnings, d.USCCInvalid = name, short, code, warnings, usccInvalid(code)
	return d, nil
}

// Check returns every problem of c as a change of department d, each a
// field error: its name, its short name when given, then its code, checked
// only when it is not d's (sameCode). Whether the name or code is another department's is
// UpdateDepartment's to tell.
func (c DepartmentChange) Check(d Department) []*errs.Error {
	var out problems
	out.add(checkDepartmentName(c.Name))
	if c.ShortName != nil {
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
