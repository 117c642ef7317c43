package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Role is what a staff account may do.
type Role string

const (
	Operator  Role = "operator"   // 政务数据主管部门: runs the platform, reviews catalogs, coordinates
	DeptAdmin Role = "dept_admin" // 部门管理员: manages its department's catalog, apps and data
	Reviewer  Role = "reviewer"   // 审核员: in the operator's department reviews the catalog, elsewhere only reads its department's data
	Auditor   Role = "auditor"    // 审计员: reads the audit log
)

// Roles lists every role in display order.
var Roles = []Role{Operator, DeptAdmin, Reviewer, Auditor}

var roleLabels = map[Role]string{Operator: "平台管理员", DeptAdmin: "部门管理员", Reviewer: "审核员", Auditor: "审计员"}

// Label is the role's Chinese name.
func (r Role) Label() string { return roleLabels[r] }

// roleChoices names every role by its label, in display order, as a
// refusal of another offers them: 平台管理员、部门管理员、审核员或审计员.
func roleChoices() string {
	labels := make([]string, len(Roles))
	for i, r := range Roles {
		labels[i] = r.Label()
	}
	return strings.Join(labels[:len(labels)-1], "、") + "或" + labels[len(labels)-1]
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// PlatformOnly reports whether r is a platform-wide role, held only by
// accounts of the platform operator's department: the operator runs the
// whole platform and the auditor reads every department's audit rows.
func (r Role) PlatformOnly() bool { return r == Operator || r == Auditor }

// errPlatformRole refuses a platform-wide role to an account of another
// department.
func errPlatformRole(r Role) error {
	return errs.Field("role", "role_platform_only", "“"+r.Label()+"”角色只能授予政务数据主管部门的账号，其他部门的账号请选择部门管理员或审核员")
}

// User is a staff account.
type User struct {
	ID           int64     `json:"id"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	DepartmentID int64     `json:"department_id"`
	Role         Role      `json:"role"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	// PasswordChangeRequired: the account's password was set by someone
	// else (an operator or department administrator creating the account
	// or resetting its password): at its next login it must change it
	// (ChangePassword) before doing anything else.
	PasswordChangeRequired bool `json:"password_change_required"`
	// LockedUntil is the end of the lock-out of the account's username
	// (MaxLoginFailures wrong passwords at login or on the password
	// page) while one is in force, else nil: the lock-out is kept per
	// username, for the login it throttles. FindUsers and
	// FindUserListings read it as of UserFilter.Now, ReadLock as of the
	// time it is given; the other reads leave it nil.
	LockedUntil *time.Time `json:"locked_until,omitempty"`
	// Platform: the department is the platform operator's (政务数据主管
	// 部门). Set when a session is looked up.
	Platform bool `json:"-"`
}

// ReadLock sets u.LockedUntil to the end of the lock-out of u's username
// in force at now, nil when none is.
func (u *User) ReadLock(ctx context.Context, q sqldb.Querier, now time.Time) error {
	var until sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT locked_until FROM login_failures WHERE username = $1`,
		strings.ToLower(u.Username)).Scan(&until)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("user %d lock-out: %w", u.ID, err)
	}
	u.LockedUntil = lockInForce(until, now)
	return nil
}

// lockInForce is a lock-out's end as User.LockedUntil holds it: nil when
// there is none or it has ended by now.
func lockInForce(until sql.NullTime, now time.Time) *time.Time {
	if !until.Valid || !until.Time.After(now) {
		return nil
	}
	t := until.Time.UTC()
	return &t
}

// MinPasswordLen and MaxPasswordLen are the shortest and the longest
// password accepted, in characters.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
)

// validatePassword checks pw, the new password of the account username
// ("" while the account is not known: HashNewPassword, whose NewPassword
// SetPassword checks again with it), against the password rules.
func validatePassword(pw, username string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n == 0:
		return errs.Field("password", "password_required", "密码不能为空")
	case n < MinPasswordLen:
		return errs.Field("password", "weak_password", fmt.Sprintf("密码至少需要 %d 个字符", MinPasswordLen))
	case n > MaxPasswordLen:
		return errs.Field("password", "too_long", fmt.Sprintf("密码不能超过 %d 个字符", MaxPasswordLen))
	}
	var classes int
	for _, set := range []string{"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"} {
		if strings.ContainsAny(pw, set) {
			classes++
		}
	}
	if strings.IndexFunc(pw, func(r rune) bool {
		return !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", r)
	}) >= 0 {
		classes++
	}
	if classes < 3 {
		return errs.Field("password", "weak_password", "密码需包含大写字母、小写字母、数字、符号中的至少三类")
	}
	// Usernames are not secret (audit rows, account lists): a password
	// holding one is guessed first.
	if name := strings.ToLower(strings.TrimSpace(username)); name != "" && strings.Contains(strings.ToLower(pw), name) {
		return errs.Field("password", "password_has_username", "密码不能包含用户名（不区分大小写）")
	}
	return nil
}

// NewUser is what CreateUser needs, once Hash has checked it and hashed
// its password.
type NewUser struct {
	Username     string
	DisplayName  string
	DepartmentID int64
	Role         Role
	Password     string // as typed; Hash clears it, keeping its hash
	// Permanent: the password is the account holder's own (the demo's
	// accounts, an operator creating their own account with the CLI), not
	// an initial one to change at the first login
	// (User.PasswordChangeRequired).
	Permanent bool
	hashed    NewPassword
}

// MinUsername and MaxUsername bound a username's length; its characters
// (lower-case ASCII letters, digits, . _ -) are one byte each.
const (
	MinUsername = 3
	MaxUsername = 64
)

func validUsername(s string) bool {
	if len(s) < MinUsername || len(s) > MaxUsername {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// Check returns every problem of nu's username, display name, role and
// password, in that order, each a field error: Hash refuses the first, a
// form shows them all. Its department is CreateUser's to check.
func (nu NewUser) Check() []*errs.Error {
	out := nu.checkFields()
	out.add(validatePassword(nu.Password, nu.Username))
	return out
}

// checkFields returns the problems of nu's username, display name and
// role.
func (nu NewUser) checkFields() problems {
	var out problems
	if !validUsername(strings.ToLower(strings.TrimSpace(nu.Username))) {
		out.add(errs.Field("username", "invalid_username", "用户名应为3–64位字母、数字或 . _ -，字母不区分大小写，一律保存为小写"))
	}
	if name := strings.TrimSpace(nu.DisplayName); name == "" {
		out.add(errs.Field("display_name", "name_required", "姓名不能为空"))
	} else {
		out.add(checkText("display_name", "姓名", name, MaxDisplayName, false))
	}
	switch {
	case nu.Role == "":
		out.add(errs.Field("role", "invalid_role", "角色不能为空"))
	case !nu.Role.Valid():
		out.add(errs.Field("role", "invalid_role", "角色应为"+roleChoices()))
	}
	return out
}

// Hash returns Check's first problem of nu, or nu with its password
// hashed (HashNewPassword) in place of the typed one, for CreateUser: it
// is called before the write transaction, which would hold SQLite's
// single writer for the tens of milliseconds of the hash.
func (nu NewUser) Hash(ctx context.Context) (NewUser, error) {
	if problems := nu.Check(); len(problems) > 0 {
		return NewUser{}, problems[0]
	}
	pw, err := HashNewPassword(ctx, nu.Password)
	if err != nil {
		return NewUser{}, err
	}
	nu.Password, nu.hashed = "", NewPassword{hash: pw.hash} // checked with the username by Check
	return nu, nil
}

// CheckIn returns Check's problems and, nu's department being d, the
// refusal of a platform-wide role to an account of another department
// than the platform operator's, which CreateUser refuses too.
func (nu NewUser) CheckIn(d Department) []*errs.Error {
	out := nu.Check()
	if nu.Role.PlatformOnly() && !d.IsOperator {
		out = append(out, errs.As(errPlatformRole(nu.Role)))
	}
	return out
}

// CreateUser adds a staff account, nu made by Hash. Its department must
// be given (department_required) and exist (unknown_department). The
// platform-wide roles (PlatformOnly) are refused to accounts of a
// department that is not the platform operator's (role_platform_only).
func CreateUser(ctx context.Context, tx *sqldb.Tx, by audit.Actor, nu NewUser, now time.Time) (User, error) {
	if nu.hashed.hash == "" {
		return User{}, errors.New("create user: a new user not hashed by NewUser.Hash")
	}
	if problems := nu.checkFields(); len(problems) > 0 {
		return User{}, problems[0]
	}
	nu.Username = strings.ToLower(strings.TrimSpace(nu.Username))
	if nu.DepartmentID == 0 {
		return User{}, errs.Field("department_id", "department_required", "请填写所属部门")
	}
	var platform bool
	err := tx.QueryRowContext(ctx, `SELECT is_operator FROM departments WHERE id = $1`, nu.DepartmentID).Scan(&platform)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return User{}, errs.Field("department_id", "unknown_department", "部门不存在")
	case err != nil:
		return User{}, fmt.Errorf("create user: %w", err)
	case nu.Role.PlatformOnly() && !platform:
		return User{}, errPlatformRole(nu.Role)
	}
	if err := checkDepartmentEnabled(ctx, tx, "department_id", nu.DepartmentID); err != nil {
		return User{}, err
	}
	u := User{Username: nu.Username, DisplayName: strings.TrimSpace(nu.DisplayName), DepartmentID: nu.DepartmentID,
		Role: nu.Role, CreatedAt: now.UTC(), PasswordChangeRequired: !nu.Permanent, Platform: platform}
	err = tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, department_id, role, password_hash,
		created_at, password_changed_at, password_change_required) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id`,
		u.Username, u.DisplayName, u.DepartmentID, string(u.Role), nu.hashed.hash, u.CreatedAt,
		u.PasswordChangeRequired).Scan(&u.ID)
	if err != nil {
		switch {
		case sqldb.IsUniqueViolationOf(err, keyUsername):
			return User{}, errUsernameTaken(u.Username)
		case sqldb.IsForeignKeyViolation(err):
			return User{}, errs.Field("department_id", "unknown_department", "部门不存在")
		}
		return User{}, fmt.Errorf("create user: %w", err)
	}
	return u, audit.Record(ctx, tx, audit.Event{Actor: by, Action: "user.create", ObjectType: "user",
		ObjectID: strconv.FormatInt(u.ID, 10), Detail: audit.Detail("username", u.Username, "role", string(u.Role))}, now)
}

func errUsernameTaken(username string) error {
	return errs.E(errs.Conflict, "username_taken", "用户名已存在："+username)
}

// UsernameFree returns the refusal of username (as typed: trimmed, in any
// case) that CreateUser's insert gives when an account has it
// (username_taken), so that a form tells it with the input's other
// problems; the insert still refuses an account created in between. A
// username Check refuses is no account's: nil.
func UsernameFree(ctx context.Context, q sqldb.Querier, username string) error {
	username = strings.ToLower(strings.TrimSpace(username))
	if !validUsername(username) {
		return nil
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM users WHERE username = $1`, username).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("username %q: %w", username, err)
	}
	return errUsernameTaken(username)
}

const userColumns = `id, username, display_name, department_id, role, disabled, created_at, password_change_required`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.DepartmentID, &u.Role, &u.Disabled, &u.CreatedAt,
		&u.PasswordChangeRequired)
	u.CreatedAt = u.CreatedAt.UTC()
	return u, err
}

// UserByID returns one account.
func UserByID(ctx context.Context, q sqldb.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.E(errs.NotFound, "user_not_found", "账号不存在")
	}
	if err != nil {
		return u, fmt.Errorf("user %d: %w", id, err)
	}
	return u, nil
}

// UserByName returns one account by username.
func UserByName(ctx context.Context, q sqldb.Querier, username string) (User, error) {
	// No account has a name PostgreSQL would refuse to compare.
	if !text.Storable(username) {
		return User{}, errs.E(errs.NotFound, "user_not_found", "账号不存在")
	}
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE username = $1`,
		strings.ToLower(username)))
	if errors.Is(err, sql.ErrNoRows) {
		return u, errs.E(errs.NotFound, "user_not_found", "账号不存在："+username)
	}
	if err != nil {
		return u, fmt.Errorf("user %q: %w", username, err)
	}
	return u, nil
}

// UserFilter selects staff accounts, a page at a time. The zero value
// selects them all.
type UserFilter struct {
	DepartmentID int64  // 0 for every department
	Q            string // part of the username or display name; ASCII letters in any case
	Disabled     *bool  // only the disabled (true) or the enabled (false) accounts; nil for both
	Role         Role   // only accounts of this role; "" for every role
	After        int64  // keyset cursor: accounts with a greater id
	Limit        int    // at most this many; 0 for all
	// Now is when the lock-outs of the accounts' usernames are read as
	// of (User.LockedUntil); zero reads none. Not a condition.
	Now time.Time
}

// where is f's condition on users (columns prefixed with t, a table alias
// and a dot or "") and its arguments: $1 is After.
func (f UserFilter) where(t string) (string, []any) {
	cond := t + `id > $1`
	args := []any{f.After}
	if f.DepartmentID != 0 {
		args = append(args, f.DepartmentID)
		cond += ` AND ` + t + `department_id = $` + strconv.Itoa(len(args))
	}
	if f.Disabled != nil {
		args = append(args, *f.Disabled)
		cond += ` AND ` + t + `disabled = $` + strconv.Itoa(len(args))
	}
	if f.Role != "" {
		args = append(args, string(f.Role))
		cond += ` AND ` + t + `role = $` + strconv.Itoa(len(args))
	}
	if f.Q != "" {
		args = append(args, containing(f.Q))
		n := strconv.Itoa(len(args))
		cond += ` AND (` + foldASCII(t+`username`) + ` LIKE $` + n + ` ESCAPE '\' OR ` + foldASCII(t+`display_name`) + ` LIKE $` + n + ` ESCAPE '\')`
	}
	return cond, args
}

// lockedUntil is a lock-out's end as the accounts f selects show it
// (UserFilter.Now).
func (f UserFilter) lockedUntil(until sql.NullTime) *time.Time {
	if f.Now.IsZero() {
		return nil
	}
	return lockInForce(until, f.Now)
}

// FindUsers returns the accounts f selects, ordered by id, and the cursor
// of the next page: the last id, 0 when no more follow.
func FindUsers(ctx context.Context, q sqldb.Querier, f UserFilter) ([]User, int64, error) {
	where, args := f.where("u.")
	us, more, err := list(ctx, q, `SELECT u.id, u.username, u.display_name, u.department_id, u.role, u.disabled,
		u.created_at, u.password_change_required, f.locked_until FROM users u LEFT JOIN login_failures f ON f.username = lower(u.username)
		WHERE `+where+` ORDER BY u.id`, args, f.Limit, func(sc scanner) (User, error) {
		var until sql.NullTime
		u, err := scanUser(scanFunc(func(dest ...any) error { return sc.Scan(append(dest, &until)...) }))
		u.LockedUntil = f.lockedUntil(until)
		return u, err
	})
	if err != nil || !more {
		return us, 0, wrap("list users", err)
	}
	return us, us[len(us)-1].ID, nil
}

// actorIs reports whether by is the staff account userID.
func actorIs(by audit.Actor, userID int64) bool {
	return by.Kind == audit.ActorUser && by.ID == strconv.FormatInt(userID, 10)
}

// ErrPasswordChangeRequired refuses a session of an account that must
// change the password someone else set (User.PasswordChangeRequired)
// anything but that change, reading its own account and logging out.
func ErrPasswordChangeRequired() error {
	return errs.E(errs.Forbidden, "password_change_required", PasswordChangeRequiredMessage)
}

// PasswordChangeRequiredMessage tells an account that must change the
// password someone else set why it may do nothing else: the API's
// refusal (ErrPasswordChangeRequired) and the console's notice alike.
const PasswordChangeRequiredMessage = "请先修改初始密码：密码由管理员设置，修改后才能进行其他操作"

// PasswordChangeRequiredState is an account's state, in lists and on its
// page, while it must change the password someone else set.
const PasswordChangeRequiredState = "须修改初始密码"

// NewPassword is a new password for SetPassword (or NewUser.Hash's),
// checked against the rules and hashed by HashNewPassword before the
// write transaction: the hash takes tens of milliseconds, for which a
// transaction would hold SQLite's single writer. It keeps the password
// until SetPassword, which reads the account, checks it against the
// account's username (validatePassword); it is never stored.
type NewPassword struct {
	hash, pw string
	// Permanent: the password is the account holder's own (an operator
	// setting their own with the CLI), not a temporary one to change at
	// the next login (User.PasswordChangeRequired).
	Permanent bool
}

// HashNewPassword checks pw against the password rules and hashes it
// (HashPassword).
func HashNewPassword(ctx context.Context, pw string) (NewPassword, error) {
	if err := validatePassword(pw, ""); err != nil {
		return NewPassword{}, err
	}
	hash, err := HashPassword(ctx, pw)
	if err != nil {
		return NewPassword{}, err
	}
	return NewPassword{hash: hash, pw: pw}, nil
}

// SetPassword gives an account a new password (an administrator's reset,
// or the CLI's), ends its sessions and lifts a lock-out of failed logins.
// Unless pw is Permanent, the account must change it at its next login
// (User.PasswordChangeRequired). Nobody resets their own password so:
// ChangePassword asks for the current one.
func SetPassword(ctx context.Context, tx *sqldb.Tx, by audit.Actor, userID int64, pw NewPassword, now time.Time) error {
	_, err := SetPasswordIf(ctx, tx, by, userID, pw, nil, now)
	return err
}

// SetPasswordIf is SetPassword done only while the account is as the tags
// ifMatch name (User.Tag), when not nil, as SetDisabledIf's ifMatch: an
// account renamed, moved or disabled since it was read is refused
// (concurrent_update), compared under the account's row lock, so that a
// reset meant for the account as read is not given to it as it is now.
// It returns the account; the reset does not change its tag.
func SetPasswordIf(ctx context.Context, tx *sqldb.Tx, by audit.Actor, userID int64, pw NewPassword, ifMatch []string, now time.Time) (User, error) {
	if actorIs(by, userID) {
		return User{}, errs.E(errs.Forbidden, "own_password", "修改本人密码请使用“修改密码”，并输入当前密码")
	}
	if pw.hash == "" {
		return User{}, errors.New("set password: a password not hashed by HashNewPassword")
	}
	u, err := userLocked(ctx, tx, by, userID, now)
	if err != nil {
		return u, err
	}
	if !tagMatches(ifMatch, u.Tag()) {
		return u, errConcurrentUpdate("账号“" + u.Username + "”")
	}
	if err := validatePassword(pw.pw, u.Username); err != nil {
		return u, err
	}
	if err := storePassword(ctx, tx, userID, pw.hash, pw.Permanent, "", now); err != nil {
		return u, err
	}
	// The failed attempts were against the old password: a user locked out
	// for having forgotten it logs in with the new one at once.
	if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures
		WHERE username = (SELECT lower(username) FROM users WHERE id = $1)`, userID); err != nil {
		return u, fmt.Errorf("clear login failures: %w", err)
	}
	return u, audit.Record(ctx, tx, audit.Event{Actor: by, Action: "user.password", ObjectType: "user",
		ObjectID: strconv.FormatInt(userID, 10)}, now)
}

// storePassword stores an account's password hash, Permanent (the
// holder's own, as NewPassword.Permanent) or to be changed at the next
// login (User.PasswordChangeRequired), and ends the account's sessions
// but the one whose token is keep ("" for none).
func storePassword(ctx context.Context, tx *sqldb.Tx, userID int64, hash string, permanent bool, keep string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, password_changed_at = $2,
		password_change_required = $3 WHERE id = $4`, hash, now.UTC(), !permanent, userID); err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	keepHash := ""
	if keep != "" {
		keepHash = sha256Hex(keep)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, keepHash); err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return nil
}

// RepeatWindow is how long after its own change of the account's password
// a session's change sent again is recognised as the repeat it is
// (ChangePassword): its current password verifies against the hash the
// change replaced, kept on that session alone (the one session an own
// change keeps; an administrator's reset ends them all, and any session
// opened later holds none), and its new password against the account's.
// A guess of the password in the new field proves nothing without the
// replaced one. Past the window the hash serves nothing: the upkeep's
// PruneSessions forgets it.
const RepeatWindow = 10 * time.Minute

// ChangePassword changes the password of u, the account of the session
// whose token is sessionToken, to pw after checking its current password:
// it ends the account's other sessions. A wrong current password counts
// towards the username's lock-out, as a wrong login does (a session left
// open must not serve to guess the password), and is audited as denied;
// the Attempts ctx carries, when it does, is told of the lock-out it
// started. The hashes are checked and computed outside the write
// transaction, as Login does. The change sent again by the session that
// made it, within RepeatWindow, whose current password is the one the
// change replaced and whose new password is the account's, is answered as
// done (nil), rather than refused and counted for its current password:
// it changes nothing, counts no failure, and is audited as user.password
// with reason repeat.
func ChangePassword(ctx context.Context, db *sqldb.DB, u User, sessionToken, current, pw string, remoteAddr string, now time.Time) error {
	if current == "" {
		return errs.Field("current_password", "current_password_required", "请输入当前密码")
	}
	if err := validatePassword(pw, u.Username); err != nil {
		return err
	}
	actor := UserActor(u, remoteAddr)
	id := strconv.FormatInt(u.ID, 10)
	username := strings.ToLower(u.Username)
	var hash string
	var lockedUntil sql.NullTime
	var replaced sql.NullString
	err := db.Read().QueryRowContext(ctx, `SELECT u.password_hash, f.locked_until,
		CASE WHEN NOT u.password_change_required AND u.password_changed_at >= $3 THEN s.replaced_password_hash END
		FROM users u
		LEFT JOIN login_failures f ON f.username = lower(u.username)
		LEFT JOIN sessions s ON s.token_hash = $2 AND s.user_id = u.id
		WHERE u.id = $1`, u.ID, sha256Hex(sessionToken), now.Add(-RepeatWindow).UTC()).Scan(&hash, &lockedUntil, &replaced)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "user_not_found", "账号不存在")
	}
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	reason := ""
	if lockedUntil.Valid && lockedUntil.Time.After(now) {
		reason = "locked"
	} else if ok, err := CheckPassword(ctx, hash, current); err != nil {
		return err
	} else if !ok {
		reason = "bad_password"
	}
	// The change sent again once done (a form resubmitted) is answered
	// as done, not counted: see RepeatWindow.
	if reason == "bad_password" && replaced.Valid {
		repeat, err := isRepeat(ctx, replaced.String, current, hash, pw)
		if err != nil {
			return err
		}
		if repeat {
			return db.Tx(ctx, func(tx *sqldb.Tx) error {
				return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "user.password", ObjectType: "user", ObjectID: id,
					Detail: audit.Detail("reason", "repeat")}, now)
			})
		}
	}
	if reason == "" && current == pw {
		return errs.Field("password", "same_password", "新密码不能与当前密码相同")
	}
	var newHash string
	if reason == "" {
		if newHash, err = HashPassword(ctx, pw); err != nil {
			return err
		}
	}
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		// The password checked must still be the account's: another
		// change may have committed since it was read.
		stored, _, err := lockUser(ctx, tx, u.ID)
		if err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		reason, lockedUntil.Time, err = settleAttempt(ctx, tx, username, reason,
			audit.Event{Actor: actor, Action: "user.password", ObjectType: "user", ObjectID: id}, now)
		if err != nil || reason != "" {
			return err
		}
		if stored != hash {
			reason = "changed"
			return nil
		}
		if err := storePassword(ctx, tx, u.ID, newHash, true, sessionToken, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE sessions SET replaced_password_hash = $1 WHERE token_hash = $2`,
			hash, sha256Hex(sessionToken)); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return audit.Record(ctx, tx, audit.Event{Actor: actor, Action: "user.password", ObjectType: "user", ObjectID: id}, now)
	})
	if err != nil {
		return err
	}
	// The wrong password that locked the username out is told to the
	// Attempts ctx carries, as Login's is, which logs the lock-out.
	if at := attemptsOf(ctx); at != nil && reason == "bad_password" && !lockedUntil.Time.IsZero() {
		at.Locked(username, lockedUntil.Time, LockedByPasswordChange)
	}
	// The session goes on while the account is locked out: its user is
	// told that it can neither log in again nor change the password
	// until the lock-out ends.
	const locked = "：在此之前无法登录，也不能修改密码；本次登录仍然有效"
	switch {
	case reason == "locked":
		return errs.Wrap(errs.TooMany, "login_locked", "密码错误次数过多，账号已锁定至 "+LockClock(lockedUntil.Time)+"（北京时间）"+locked,
			errs.Retry{After: lockedUntil.Time.Sub(now)})
	case reason == "bad_password" && !lockedUntil.Time.IsZero():
		return errs.Field("current_password", "wrong_password", "当前密码错误次数过多，账号已锁定至 "+LockClock(lockedUntil.Time)+"（北京时间）"+locked)
	case reason == "bad_password":
		return errs.Field("current_password", "wrong_password", "当前密码不正确")
	case reason == "changed":
		return errs.E(errs.Conflict, "password_changed", "密码刚被修改，请重新输入当前密码")
	}
	return nil
}

// isRepeat reports whether current verifies against replaced, the hash a
// session's change of the password replaced, and pw against hash, the
// account's: the change sent again (RepeatWindow).
func isRepeat(ctx context.Context, replaced, current, hash, pw string) (bool, error) {
	if ok, err := CheckPassword(ctx, replaced, current); err != nil || !ok {
		return false, err
	}
	return CheckPassword(ctx, hash, pw)
}

// othersOperating locks the enabled operator accounts and account userID
// until tx ends, for by's change of userID at now (lockOperators), and
// counts the operator accounts of the platform operator's department
// other than userID: 0 when userID is the last that can manage the
// platform. UpdateUser and SetDisabledIf take this lock before they read
// the account (userLocked), so that two operators demoting or disabling
// each other at once neither both see the other enabled nor deadlock
// (PostgreSQL) each holding a row the other waits for. An account
// promoted meanwhile only adds to the count.
func othersOperating(ctx context.Context, tx *sqldb.Tx, by audit.Actor, userID int64, now time.Time) (int, error) {
	if err := lockOperators(ctx, tx, by, now, userID); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users u JOIN departments d ON d.id = u.department_id
		WHERE u.role = $1 AND NOT u.disabled AND d.is_operator AND u.id <> $2`, string(Operator), userID).Scan(&n)
	return n, err
}

// lockOperators locks until tx ends the rows of the enabled operator
// accounts, which othersOperating counts, and of the accounts ids, which
// by's change at now writes, in the order of their ids, as userLocked
// takes accounts' rows: when by is a session (SessionCredential), its
// credential is checked (audit.CheckCredential, which share-locks its
// account's row) in that order too, before the rows of higher ids are
// locked. Locked in the table's order, with the check as the write
// committed, a department administrator's disable and an operator's
// change of the administrator's account deadlocked, each holding a row
// the other's check waited for.
func lockOperators(ctx context.Context, tx *sqldb.Tx, by audit.Actor, now time.Time, ids ...int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE role = $1 AND NOT disabled`, string(Operator))
	if err != nil {
		return fmt.Errorf("lock operators: %w", err)
	}
	ids = slices.Clone(ids)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("lock operators: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("lock operators: %w", err)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("lock operators: %w", err)
	}
	slices.Sort(ids)
	s, session := by.Credential.(SessionCredential)
	checked := !session
	for _, id := range slices.Compact(ids) {
		if !checked && s.UserID < id {
			if err := audit.CheckCredential(ctx, tx, by, now); err != nil {
				return err
			}
			checked = true
		}
		if err := lockUserRow(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// SetDisabledIf disables or re-enables an account and returns it;
// disabling ends its sessions. Setting the state it already has changes
// nothing and audits nothing. Nobody disables their own account, and the
// last enabled operator account stays enabled: without one, only the
// command line could manage the platform. When ifMatch is not nil, it is
// done only while the account is as the tags ifMatch name (User.Tag), as
// SetDepartmentDisabled's ifMatch: an account stored otherwise is refused
// (concurrent_update). The account's row is locked before it is read,
// with or without ifMatch, after a disable locked the operator accounts
// (othersOperating), and its state, tag, role and department are those
// read under the lock: a disable or enable committed meanwhile is neither
// done again nor audited twice, and the last operator rule and the
// department's check hold for the account as it is, not as it was before
// a promotion, demotion or move committed meanwhile. An account already
// in the state asked for is answered as it is whatever the tags, so that
// a request retried with its If-Match (the answer lost) gets that answer.
func SetDisabledIf(ctx context.Context, tx *sqldb.Tx, by audit.Actor, userID int64, disabled bool, ifMatch []string, now time.Time) (User, error) {
	if disabled && actorIs(by, userID) {
		return User{}, errs.E(errs.Forbidden, "self_disable", "不能停用自己的账号")
	}
	// A disable locks and counts the enabled operator accounts first,
	// with the account's own row, in the order of their ids
	// (othersOperating), as UpdateUser does: whether the account is an
	// operator is known only once that row is locked and read.
	others := -1
	if disabled {
		n, err := othersOperating(ctx, tx, by, userID, now)
		if err != nil {
			return User{}, fmt.Errorf("disable user: %w", err)
		}
		others = n
	}
	u, err := userLocked(ctx, tx, by, userID, now)
	if err != nil || u.Disabled == disabled {
		return u, err
	}
	if !disabled {
		// An account of a disabled department stays disabled with it. Its
		// department's row is locked after the account's: a department's
		// disable, which locks the department first, locks only its
		// enabled accounts, which this one is not.
		if err := checkDepartmentEnabled(ctx, tx, "", u.DepartmentID); err != nil {
			return User{}, err
		}
	}
	if disabled && u.Role == Operator && others == 0 {
		return User{}, errs.E(errs.Conflict, "last_operator", "不能停用最后一个启用的平台管理员账号")
	}
	if !tagMatches(ifMatch, u.Tag()) {
		return u, errConcurrentUpdate("账号“" + u.Username + "”")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, userID); err != nil {
		return User{}, fmt.Errorf("disable user: %w", err)
	}
	u.Disabled = disabled
	action := "user.enable"
	if disabled {
		action = "user.disable"
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return User{}, fmt.Errorf("end sessions: %w", err)
		}
	}
	return u, audit.Record(ctx, tx, audit.Event{Actor: by, Action: action, ObjectType: "user",
		ObjectID: strconv.FormatInt(userID, 10), Detail: audit.Detail("username", u.Username)}, now)
}
