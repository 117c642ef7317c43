package org

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// DepartmentDisabling is what SetDepartmentDisabled did: the department
// as it is now, and, on disabling, the accounts it disabled and the apps
// it revoked. Enabling re-enables the department alone: its accounts and
// apps stay as they are, Users and Apps are 0.
type DepartmentDisabling struct {
	Department Department `json:"department"`
	Users      int        `json:"disabled_users"`
	Apps       int        `json:"revoked_apps"`
	// Changed is false when the department already was as asked: nothing
	// was written or audited.
	Changed bool   `json:"changed"`
	Message string `json:"message"`
}

// DepartmentReach is what disabling a department would touch: its enabled
// accounts and its active apps, as the console's confirmation states them.
type DepartmentReach struct {
	Users int `json:"users"`
	Apps  int `json:"apps"`
}

// ReachOf counts the enabled accounts and active apps of department id.
func ReachOf(ctx context.Context, q sqldb.Querier, id int64) (DepartmentReach, error) {
	var r DepartmentReach
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM users WHERE department_id = $1 AND NOT disabled),
		(SELECT count(*) FROM apps WHERE department_id = $1 AND revoked_at IS NULL)`, id).Scan(&r.Users, &r.Apps)
	if err != nil {
		return r, fmt.Errorf("department %d: reach: %w", id, err)
	}
	return r, nil
}

// heldEntries counts the catalog entries department id holds that others
// see or the operator reviews: published ones (a retire request leaves its
// entry published) and those submitted for review.
func heldEntries(ctx context.Context, q sqldb.Querier, id int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries
		WHERE department_id = $1 AND status IN ('published', 'submitted')`, id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("department %d: held entries: %w", id, err)
	}
	return n, nil
}

// errDepartmentDisabled refuses a new account or app, or an account moved
// or re-enabled, in a disabled department, on field (none when "").
func errDepartmentDisabled(field string, d Department) error {
	msg := "部门“" + d.Name + "”已停用，不能再添加账号或应用；如确需使用，请先由平台管理员启用该部门"
	if field == "" {
		return errs.E(errs.Conflict, "department_disabled", msg)
	}
	e := errs.Field(field, "department_disabled", msg)
	e.Kind = errs.Conflict
	return e
}

// DepartmentShared reads department id in tx, on PostgreSQL locking its
// row FOR SHARE in the same statement until tx ends, which
// SetDepartmentDisabled's FOR UPDATE conflicts with (the FOR KEY SHARE of
// a new row's foreign key does not): a disable under way makes it wait and
// then read the department disabled, and a disable started after it waits
// until tx ends and then sees what tx added (SQLite has a single writer,
// whose transaction is the lock). What is added to a department only while
// it is enabled reads it so.
func DepartmentShared(ctx context.Context, tx *sqldb.Tx, id int64) (Department, error) {
	return departmentLocked(ctx, tx, id, "FOR SHARE")
}

// departmentLocked reads department id in tx as DepartmentByID does, on
// PostgreSQL locking its row with lock (FOR SHARE, FOR UPDATE) in the same
// statement until tx ends. On SQLite, which has no row locks, it is a
// plain read: tx holds the database's write lock from its start
// (BEGIN IMMEDIATE), which serialises it with every other write.
func departmentLocked(ctx context.Context, tx *sqldb.Tx, id int64, lock string) (Department, error) {
	if tx.Dialect != sqldb.Postgres {
		lock = ""
	}
	return departmentByID(ctx, tx, id, lock)
}

// checkDepartmentEnabled refuses department id when it is disabled
// (errDepartmentDisabled on field), read locked (DepartmentShared); one
// that does not exist is the caller's to refuse.
func checkDepartmentEnabled(ctx context.Context, tx *sqldb.Tx, field string, id int64) error {
	d, err := DepartmentShared(ctx, tx, id)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.Disabled {
		return errDepartmentDisabled(field, d)
	}
	return nil
}

// SetDepartmentDisabled disables or re-enables department id, all in tx.
// Disabling, in an organisational change (机构改革), also disables every
// enabled account of the department, ending its sessions, and revokes
// every active app of it with its keys, each audited as user disable and
// app revoke are, so that nobody of the department logs in and no API
// call of its apps succeeds. It is refused, changing nothing, while the
// department holds catalog entries published or under review
// (department_holds_entries: they are to be transferred first), and when
// it would disable the last enabled operator account (last_operator).
// Enabling re-enables the department alone: its accounts and apps stay
// disabled and revoked, to be enabled or created one by one. Asking for
// the state the department has changes nothing and audits nothing,
// whatever ifMatch holds (a retried change is answered so). ifMatch, when
// not nil, are the tags the change was started from
// (DepartmentChange.IfMatch). A refused disable leaves its row through
// AuditDisableRefusal, after tx rolled back; out.Department is then the
// department as it was read.
func SetDepartmentDisabled(ctx context.Context, tx *sqldb.Tx, by audit.Actor, id int64, disabled bool, ifMatch []string, now time.Time) (DepartmentDisabling, error) {
	var out DepartmentDisabling
	if disabled {
		// The operator accounts and the department's enabled accounts
		// first, in the order of their ids, as SetDisabledIf and
		// UpdateUser lock accounts, then the department's row: locked
		// after the department's row, an account renamed meanwhile
		// deadlocked with the check of the renaming operator's session
		// (PostgreSQL), whose row the disable held.
		accounts, err := idsOf(ctx, tx, `SELECT id, username FROM users WHERE department_id = $1 AND NOT disabled`, id)
		if err != nil {
			return out, fmt.Errorf("disable department %d: accounts: %w", id, err)
		}
		ids := make([]int64, len(accounts))
		for i, u := range accounts {
			ids[i] = u.id
		}
		if err := lockOperators(ctx, tx, by, now, ids...); err != nil {
			return out, fmt.Errorf("disable department %d: %w", id, err)
		}
		// An account or app disabling its own department is judged by
		// its credential as it was (audit.CheckCredential).
		if err := audit.CheckCredential(ctx, tx, by, now); err != nil {
			return out, err
		}
	}
	// FOR UPDATE conflicts with DepartmentShared's FOR SHARE and with the
	// FOR KEY SHARE of a foreign key to the row, so a new account or app
	// of the department is either seen here or waits for the disable and
	// is refused (an UPDATE that leaves the id as it is locks FOR NO KEY
	// UPDATE, which a foreign key does not wait for).
	d, err := departmentLocked(ctx, tx, id, "FOR UPDATE")
	if err != nil {
		return out, err
	}
	out.Department = d
	// The state asked for is answered before the tag is checked: nothing
	// changes, so nothing is overwritten, and a change retried with its
	// If-Match (the response lost) gets this answer, not concurrent_update
	// (the tag includes Disabled).
	if d.Disabled == disabled {
		if disabled {
			out.Message = "部门“" + d.Name + "”本已停用，未作改变"
		} else {
			out.Message = "部门“" + d.Name + "”本已启用，未作改变"
		}
		return out, nil
	}
	if !tagMatches(ifMatch, d.Tag()) {
		return out, errConcurrentUpdate("部门“" + d.Name + "”")
	}
	out.Changed = true
	if !disabled {
		if _, err := tx.ExecContext(ctx, `UPDATE departments SET disabled = FALSE WHERE id = $1`, id); err != nil {
			return out, fmt.Errorf("enable department %d: %w", id, err)
		}
		out.Department.Disabled = false
		out.Message = "已启用部门“" + d.Name + "”。其账号和应用保持停用、注销状态，如需使用请逐个启用账号、重新创建应用"
		return out, audit.Record(ctx, tx, audit.Event{Actor: by, Action: "department.enable", ObjectType: "department",
			ObjectID: strconv.FormatInt(id, 10), Detail: audit.Detail("name", d.Name)}, now)
	}
	held, err := heldEntries(ctx, tx, id)
	if err != nil {
		return out, err
	}
	if held > 0 {
		return out, errs.E(errs.Conflict, "department_holds_entries", "部门“"+d.Name+"”仍有 "+strconv.Itoa(held)+
			" 个已发布或审核中的数据资源，不能停用：请先在该部门的页面用“转移数据资源到其他部门”将其转给承接职能的部门，再停用")
	}
	if d.IsOperator {
		var others int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u JOIN departments d ON d.id = u.department_id
			WHERE u.role = $1 AND NOT u.disabled AND d.is_operator AND NOT d.disabled AND d.id <> $2`, string(Operator), id).Scan(&others)
		if err != nil {
			return out, fmt.Errorf("disable department %d: %w", id, err)
		}
		if others == 0 {
			return out, errs.E(errs.Conflict, "last_operator", "不能停用最后一个启用的平台管理员账号所在的部门")
		}
	}
	users, err := idsOf(ctx, tx, `SELECT id, username FROM users WHERE department_id = $1 AND NOT disabled ORDER BY id`, id)
	if err != nil {
		return out, fmt.Errorf("disable department %d: accounts: %w", id, err)
	}
	apps, err := idsOf(ctx, tx, `SELECT id, name FROM apps WHERE department_id = $1 AND revoked_at IS NULL ORDER BY id`, id)
	if err != nil {
		return out, fmt.Errorf("disable department %d: apps: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE departments SET disabled = TRUE WHERE id = $1`, id); err != nil {
		return out, fmt.Errorf("disable department %d: %w", id, err)
	}
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE id = $1`, u.id); err != nil {
			return out, fmt.Errorf("disable user %d: %w", u.id, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, u.id); err != nil {
			return out, fmt.Errorf("end sessions: %w", err)
		}
		if err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "user.disable", ObjectType: "user",
			ObjectID: strconv.FormatInt(u.id, 10), Detail: audit.Detail("username", u.name, "department_id", idText(id))}, now); err != nil {
			return out, err
		}
	}
	for _, a := range apps {
		if err := RevokeApp(ctx, tx, by, a.id, now); err != nil {
			return out, err
		}
	}
	out.Department.Disabled = true
	out.Users, out.Apps = len(users), len(apps)
	out.Message = "已停用部门“" + d.Name + "”，同时停用其 " + strconv.Itoa(len(users)) + " 个账号（已结束其会话）、注销其 " +
		strconv.Itoa(len(apps)) + " 个应用及其密钥"
	return out, audit.Record(ctx, tx, audit.Event{Actor: by, Action: "department.disable", ObjectType: "department",
		ObjectID: strconv.FormatInt(id, 10), Detail: audit.Detail("name", d.Name, "disabled_users", strconv.Itoa(len(users)),
			"revoked_apps", strconv.Itoa(len(apps)))}, now)
}

// disableRefusals are the codes of the disables SetDepartmentDisabled
// refuses by the platform's rules, which AuditDisableRefusal records.
var disableRefusals = map[string]bool{"department_holds_entries": true, "last_operator": true}

// AuditDisableRefusal records the attempt of by to disable department d
// that SetDepartmentDisabled refused with err (department_holds_entries,
// last_operator): a denied department.disable row on d, with its name and
// the refusal's code as reason, as auth.AuditRefusal records an
// administrative action refused its caller (403). It is written in a
// transaction of db of its own, the refused one having rolled back, and
// even when ctx is done (the client gone). Any other err, nil included,
// records nothing: a stale tag (concurrent_update) or a department that
// does not exist refuses no rule. It returns the error of the recording.
func AuditDisableRefusal(ctx context.Context, db *sqldb.DB, by audit.Actor, d Department, err error, now time.Time) error {
	e := errs.As(err)
	if e == nil || e.Kind != errs.Conflict || !disableRefusals[e.Code] {
		return nil
	}
	ev := audit.Event{Actor: by, Action: "department.disable", ObjectType: "department", ObjectID: idText(d.ID),
		Detail: audit.Detail("name", d.Name, "reason", e.Code)}
	return audit.RecordDenied(ctx, db, ev, now)
}

type idName struct {
	id   int64
	name string
}

// idsOf reads the (id, name) rows query selects with the argument id.
func idsOf(ctx context.Context, tx *sqldb.Tx, query string, id int64) ([]idName, error) {
	rows, err := tx.QueryContext(ctx, query, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []idName
	for rows.Next() {
		var r idName
		if err := rows.Scan(&r.id, &r.name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
