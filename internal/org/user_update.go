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
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// UserChange is what UpdateUser changes of a staff account, each field
// only when given (nil keeps it): its display name, its role and its
// department, as people change posts in an organisational change
// (机构改革). Its username and password are not changed here. IfMatch,
// when not nil, are the tags (User.Tag) of the account as the change was
// started from, as DepartmentChange.IfMatch are a department's: an
// account stored otherwise now is refused (concurrent_update). Nil is no
// condition; an empty list matches nothing.
type UserChange struct {
	DisplayName  *string  `json:"display_name,omitempty"`
	Role         *Role    `json:"role,omitempty"`
	DepartmentID *int64   `json:"department_id,omitempty"`
	IfMatch      []string `json:"-"`
}

// Tag names what a change of u starts from, as Department.Tag names a
// department's: a digest of what an administrator changes of it (its
// display name, role and department, UserChange) and of its being
// disabled, so that any of them saved gives another tag. The API answers
// it as the ETag of GET and PATCH /users/{id} and of disable and enable,
// and UserChange.IfMatch (SetDisabledIf's ifMatch) sends it back. The
// password, and whether its holder must still change it, are not in it:
// neither is what those requests change, nor what they risk overwriting.
func (u User) Tag() string {
	return tagOf(strconv.FormatInt(u.ID, 10), u.Username, u.DisplayName,
		strconv.FormatInt(u.DepartmentID, 10), string(u.Role), strconv.FormatBool(u.Disabled))
}

// userLocked reads account id after locking its row until tx ends
// (lockUserRow), for by's change of it at now: on PostgreSQL (READ
// COMMITTED) a change committed between the read and the write would
// otherwise be overwritten unseen. When by is a session of an account
// whose id is below id, its credential is checked first
// (audit.CheckCredential), which share-locks that account's row
// (SessionCredential.Check); otherwise it is checked as tx commits, after
// this lock. Accounts' rows are so locked in the order of their ids: two
// administrators changing each other's account at once wait for each
// other instead of each holding the row the other's check waits for.
func userLocked(ctx context.Context, tx *sqldb.Tx, by audit.Actor, id int64, now time.Time) (User, error) {
	if s, ok := by.Credential.(SessionCredential); ok && s.UserID < id {
		if err := audit.CheckCredential(ctx, tx, by, now); err != nil {
			return User{}, err
		}
	}
	if err := lockUserRow(ctx, tx, id); err != nil {
		return User{}, err
	}
	return UserByID(ctx, tx, id)
}

// lockUserRow locks account id's row until tx ends, the one way the
// package locks an account: an update of nothing, as UpdateDepartment
// locks a department's row and lockOperators the operator accounts'. On
// PostgreSQL it takes the row's lock (FOR NO KEY UPDATE: it does not hold
// up the foreign-key checks of rows naming the account, as FOR UPDATE
// would); on SQLite the write transaction holds the single writer already,
// and the same statement serves without a dialect's clause. An account
// that does not exist locks nothing.
func lockUserRow(ctx context.Context, tx *sqldb.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET id = id WHERE id = $1`, id); err != nil {
		return fmt.Errorf("lock user %d: %w", id, err)
	}
	return nil
}

// Apply returns u as c changes it (the display name trimmed), for the
// caller to check who may manage the account after the change.
func (c UserChange) Apply(u User) User {
	if c.DisplayName != nil {
		u.DisplayName = strings.TrimSpace(*c.DisplayName)
	}
	if c.Role != nil {
		u.Role = *c.Role
	}
	if c.DepartmentID != nil {
		u.DepartmentID = *c.DepartmentID
	}
	return u
}

// Check returns every problem of c as a change of account old, each a
// field error, as NewUser.Check tells a new account's: a blank or
// unstorable display name, an unknown role, no department. The display
// name is checked only when it changes: one stored before a check existed
// does not keep its account from a change of role or department.
func (c UserChange) Check(old User) []*errs.Error {
	var out problems
	if c.DisplayName != nil && strings.TrimSpace(*c.DisplayName) != old.DisplayName {
		if name := strings.TrimSpace(*c.DisplayName); name == "" {
			out.add(errs.Field("display_name", "name_required", "姓名不能为空"))
		} else {
			out.add(checkText("display_name", "姓名", name, MaxDisplayName, false))
		}
	}
	if c.Role != nil && !c.Role.Valid() {
		out.add(errs.Field("role", "invalid_role", "角色应为"+roleChoices()))
	}
	if c.DepartmentID != nil && *c.DepartmentID <= 0 {
		out.add(errs.Field("department_id", "department_required", "请填写所属部门"))
	}
	return out
}

// UpdateUser changes account userID's display name, role and department
// (c) and returns it. The department must exist (unknown_department), and
// a platform-wide role (PlatformOnly) stay in the platform operator's
// department (role_platform_only). Nobody changes their own role or
// department (self_role_change): an administrator would lose, or grant
// itself, what it manages with. The last enabled operator account of the
// platform operator's department keeps its role and department
// (last_operator), as SetDisabledIf keeps it enabled. A change of role or
// department ends the account's sessions, as disabling it does: a session
// must not keep the permissions of the post the person left. A change
// that changes nothing writes and audits nothing; user.update names the
// old and new values of what changed. A change started from another tag
// than the account's (c.IfMatch) is refused first, as
// UpdateDepartment refuses one, even if it would change nothing.
func UpdateUser(ctx context.Context, tx *sqldb.Tx, by audit.Actor, userID int64, c UserChange, now time.Time) (User, error) {
	// A change of role or department may take the last operator's post:
	// the enabled operator accounts are locked first with the account's
	// own row, in the order of their ids (othersOperating), as
	// SetDisabledIf locks them.
	others := -1
	if c.Role != nil || c.DepartmentID != nil {
		n, err := othersOperating(ctx, tx, by, userID, now)
		if err != nil {
			return User{}, fmt.Errorf("update user %d: %w", userID, err)
		}
		others = n
	}
	// Lock the account's row before reading it, as UpdateDepartment locks
	// a department's: a change committed meanwhile is not overwritten unseen.
	old, err := userLocked(ctx, tx, by, userID, now)
	if err != nil {
		return old, err
	}
	if !tagMatches(c.IfMatch, old.Tag()) {
		return old, errConcurrentUpdate("账号“" + old.Username + "”")
	}
	if problems := c.Check(old); len(problems) > 0 {
		return old, problems[0]
	}
	u := c.Apply(old)
	if u.DisplayName == old.DisplayName && u.Role == old.Role && u.DepartmentID == old.DepartmentID {
		return old, nil
	}
	moved := u.Role != old.Role || u.DepartmentID != old.DepartmentID
	if moved && actorIs(by, userID) {
		return old, errs.E(errs.Forbidden, "self_role_change", "不能修改自己账号的角色或所属部门，请由其他管理员修改")
	}
	var platform bool
	err = tx.QueryRowContext(ctx, `SELECT is_operator FROM departments WHERE id = $1`, u.DepartmentID).Scan(&platform)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return old, errs.Field("department_id", "unknown_department", "部门不存在")
	case err != nil:
		return old, fmt.Errorf("update user %d: %w", userID, err)
	case u.Role.PlatformOnly() && !platform:
		return old, errPlatformRole(u.Role)
	}
	u.Platform = platform
	if u.DepartmentID != old.DepartmentID {
		if err := checkDepartmentEnabled(ctx, tx, "department_id", u.DepartmentID); err != nil {
			return old, err
		}
	}
	if moved && old.Role == Operator && !old.Disabled && (u.Role != Operator || !platform) && others == 0 {
		return old, errs.E(errs.Conflict, "last_operator", "不能改动最后一个启用的平台管理员账号的角色或部门")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $1, role = $2, department_id = $3 WHERE id = $4`,
		u.DisplayName, string(u.Role), u.DepartmentID, userID); err != nil {
		return old, fmt.Errorf("update user %d: %w", userID, err)
	}
	if moved {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return old, fmt.Errorf("end sessions: %w", err)
		}
	}
	detail := []string{"username", u.Username}
	if u.DisplayName != old.DisplayName {
		detail = append(detail, "display_name", u.DisplayName, "old_display_name", old.DisplayName)
	}
	if u.Role != old.Role {
		detail = append(detail, "role", string(u.Role), "old_role", string(old.Role))
	}
	if u.DepartmentID != old.DepartmentID {
		detail = append(detail, "department_id", idText(u.DepartmentID), "old_department_id", idText(old.DepartmentID))
	}
	return u, audit.Record(ctx, tx, audit.Event{Actor: by, Action: "user.update", ObjectType: "user",
		ObjectID: strconv.FormatInt(userID, 10), Detail: audit.Detail(detail...)}, now)
}
