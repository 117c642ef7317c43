package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/ident"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Listings are pages of the organisation lists with what a row of the
// console shows beside each item, read in a fixed number of queries
// whatever the page's size: the names of a department's region and parent
// and its number of accounts, an account's department, an app's
// department and keys. They page and filter as FindDepartments, FindUsers
// and FindApps do, with the same cursors.

// DepartmentListing is a department with its region, the name of its
// parent department and how many accounts it has.
type DepartmentListing struct {
	Department
	Region     Region // code, name and level
	ParentName string // "" without a parent
	Users      int    // enabled staff accounts of the department
	// DisabledUsers are its disabled accounts, counted apart: an account
	// disabled when its holder left is no one who works with the platform.
	DisabledUsers int
}

// FindDepartmentListings returns the departments f selects, as
// FindDepartments does, with their regions, parents' names and numbers of
// accounts, in one query.
func FindDepartmentListings(ctx context.Context, q sqldb.Querier, f DepartmentFilter) ([]DepartmentListing, int64, error) {
	where, args := f.Where("d.")
	ls, more, err := list(ctx, q, departmentListings+` WHERE `+where+` ORDER BY d.id`, args, f.Limit, scanDepartmentListing)
	if err != nil || !more {
		return ls, 0, wrap("list departments", err)
	}
	return ls, ls[len(ls)-1].ID, nil
}

// DepartmentListingByID returns one department as FindDepartmentListings
// lists it.
func DepartmentListingByID(ctx context.Context, q sqldb.Querier, id int64) (DepartmentListing, error) {
	l, err := scanDepartmentListing(q.QueryRowContext(ctx, departmentListings+` WHERE d.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return l, errs.E(errs.NotFound, "department_not_found", "部门不存在")
	}
	return l, wrap(fmt.Sprintf("department listing %d", id), err)
}

// DepartmentsNamed returns the departments ref names when a person types
// it to choose one: the department whose unified social credit code it is,
// else those whose name or short name (each unique in a region only) is
// exactly ref, alike, else those whose name or short name is ref's alike;
// at most limit of them (0 for all), ordered by id, with what
// FindDepartmentListings reads. More than one is for the caller to tell
// apart, none for it to say. A name is not preferred to another
// department's short name: a person typing a short name means its
// department, not one named so later, and a department stored with such a
// name before CreateDepartment refused it (checkNamesFree) is ambiguous,
// never silently taken. ref is trimmed (white space and U+3000 around
// it); a credit code is read as CreateDepartment stores one (ident.USCC's
// Normalized): in any case. The code and the exact names are looked up
// with SQL (indexed); only when no name is exactly ref are the names
// compared by key (text.NameKey), as checkNamesFree compares them: 区民政局
// also as 区民政局１, 区 民政局 or 佛山市南海区（民政局） for 佛山市南海区(民政局),
// by the keys stored with the departments (indexed too). An exact name
// wins over names alike: 佛山市南海区(民政局) is that department beside a
// 佛山市南海区（民政局） stored before checkNamesFree.
func DepartmentsNamed(ctx context.Context, q sqldb.Querier, ref string, limit int) ([]DepartmentListing, error) {
	// No department has a name PostgreSQL would refuse to compare, nor
	// (trimmed as they are stored) a blank one.
	ref = strings.TrimSpace(ref)
	if !text.Storable(ref) || ref == "" {
		return []DepartmentListing{}, nil
	}
	code := ref
	if res, err := ident.USCC(ref, ident.Lenient); err == nil {
		code = res.Normalized
	}
	ids, err := sqldb.IDs(ctx, q, `SELECT id FROM departments WHERE uscc = $1`, code)
	if err == nil && len(ids) == 0 {
		ids, err = sqldb.IDs(ctx, q, `SELECT id FROM departments WHERE name = $1 UNION SELECT id FROM departments WHERE short_name = $1`, ref)
	}
	if err == nil && len(ids) == 0 {
		ids, err = departmentsAlike(ctx, q, text.NameKey(ref))
	}
	if err != nil {
		return nil, wrap("departments named", err)
	}
	if len(ids) == 0 {
		return []DepartmentListing{}, nil
	}
	var args []any
	in := sqldb.In(q, &args, ids, 0)
	ls, _, err := list(ctx, q, departmentListings+` WHERE d.id IN `+in+` ORDER BY d.id`, args, limit, scanDepartmentListing)
	return ls, wrap("departments named", err)
}

// departmentsAlike returns the ids of the departments whose name or short
// name has key (text.NameKey: departmentsWithKeys), none for an empty key.
func departmentsAlike(ctx context.Context, q sqldb.Querier, key string) ([]int64, error) {
	ds, err := departmentsWithKeys(ctx, q, key, "")
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	return ids, err
}

// DepartmentsByKey returns the departments whose name or short name has
// key (text.NameKey: departmentsWithKeys), ordered by id; none for an
// empty key. The catalog import looks among them for the department a
// 数源部门 value names, rather than among all.
func DepartmentsByKey(ctx context.Context, q sqldb.Querier, key string) ([]Department, error) {
	ds, err := departmentsWithKeys(ctx, q, key, "")
	return ds, wrap("departments by key", err)
}

// departmentsWithKeys returns the departments whose name or short name
// folds (text.NameKey) to key or to other, ordered by id; either may be
// empty, and none is found for an empty one (it would find every
// department without a short name). The departments are read by the keys
// stored with them, indexed (keysWhere), and kept by their names folded
// here: a department read by a stale stored key, or by none, is kept only
// if its names fold to one of the keys.
func departmentsWithKeys(ctx context.Context, q sqldb.Querier, key, other string) ([]Department, error) {
	switch {
	case key == "" && other == "":
		return []Department{}, nil
	case key == "":
		key = other
	case other == "":
		other = key
	}
	ds, _, err := list(ctx, q, `SELECT `+departmentColumns+` FROM departments WHERE `+keysWhere+` ORDER BY id`,
		[]any{key, other}, 0, scanDepartment)
	if err != nil {
		return nil, err
	}
	out := []Department{}
	for _, d := range ds {
		if k, s := text.NameKey(d.Name), text.NameKey(d.ShortName); k == key || k == other || s == key || s == other {
			out = append(out, d)
		}
	}
	return out, nil
}

// keysWhere selects the departments whose stored name or short name key
// is $1 or $2, by their indexes, and those stored with no keys: a server
// of the release before migration 0045, serving beside a newer one during
// a rolling upgrade (docs/postgresql.md), stores its departments with
// empty keys (the columns' default) until RekeyDepartments rewrites them
// (the next upkeep pass). They are few, and departmentsWithKeys folds
// their names.
const keysWhere = `name_key IN ($1, $2, '') OR short_name_key IN ($1, $2)`

// departmentListings selects what a DepartmentListing holds, for
// scanDepartmentListing; d is the department.
const departmentListings = `SELECT d.id, d.name, d.short_name, d.uscc, d.region_code, COALESCE(d.parent_id, 0),
	d.is_operator, d.disabled, d.created_at, r.name, r.level, COALESCE(r.parent_code, ''), COALESCE(p.name, ''),
	(SELECT count(*) FROM users u WHERE u.department_id = d.id AND NOT u.disabled),
	(SELECT count(*) FROM users u WHERE u.department_id = d.id AND u.disabled)
	FROM departments d JOIN regions r ON r.code = d.region_code LEFT JOIN departments p ON p.id = d.parent_id`

func scanDepartmentListing(sc scanner) (DepartmentListing, error) {
	var l DepartmentListing
	d := &l.Department
	err := sc.Scan(&d.ID, &d.Name, &d.ShortName, &d.USCC, &d.RegionCode, &d.ParentID, &d.IsOperator, &d.Disabled, &d.CreatedAt,
		&l.Region.Name, &l.Region.Level, &l.Region.ParentCode, &l.ParentName, &l.Users, &l.DisabledUsers)
	d.CreatedAt = d.CreatedAt.UTC()
	d.USCCInvalid = usccInvalid(d.USCC)
	d.Warnings = d.codeWarnings()
	l.Region.Code = d.RegionCode
	return l, err
}

// CountDepartments counts the departments f selects on every page (its
// After and Limit are ignored).
func CountDepartments(ctx context.Context, q sqldb.Querier, f DepartmentFilter) (int, error) {
	f.After = 0
	where, args := f.Where("")
	return count(ctx, q, "departments", `SELECT count(*) FROM departments WHERE `+where, args)
}

// UserListing is a staff account with the name of its department.
type UserListing struct {
	User
	DepartmentName string
}

// FindUserListings returns the accounts f selects, as FindUsers does,
// with their departments' names and (as of f.Now) lock-outs, in one query.
func FindUserListings(ctx context.Context, q sqldb.Querier, f UserFilter) ([]UserListing, int64, error) {
	where, args := f.where("u.")
	ls, more, err := list(ctx, q, `SELECT u.id, u.username, u.display_name, u.department_id, u.role, u.disabled,
		u.created_at, u.password_change_required, d.name, f.locked_until FROM users u JOIN departments d ON d.id = u.department_id
		LEFT JOIN login_failures f ON f.username = lower(u.username)
		WHERE `+where+` ORDER BY u.id`, args, f.Limit, func(sc scanner) (UserListing, error) {
		var l UserListing
		var until sql.NullTime
		u := &l.User
		err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.DepartmentID, &u.Role, &u.Disabled, &u.CreatedAt,
			&u.PasswordChangeRequired, &l.DepartmentName, &until)
		u.CreatedAt, u.LockedUntil = u.CreatedAt.UTC(), f.lockedUntil(until)
		return l, err
	})
	if err != nil || !more {
		return ls, 0, wrap("list users", err)
	}
	return ls, ls[len(ls)-1].ID, nil
}

// CountUsers counts the accounts f selects on every page (its After and
// Limit are ignored).
func CountUsers(ctx context.Context, q sqldb.Querier, f UserFilter) (int, error) {
	f.After = 0
	where, args := f.where("")
	return count(ctx, q, "users", `SELECT count(*) FROM users WHERE `+where, args)
}

// AppListing is an app with its keys (App.Keys, oldest first) and the name
// of its department.
type AppListing struct {
	App
	DepartmentName string
}

// FindAppListings returns the apps f selects, as FindApps does, with
// their departments' names and their keys, in two queries: the page, then
// the keys of the apps in its range of ids.
func FindAppListings(ctx context.Context, q sqldb.Querier, f AppFilter) ([]AppListing, int64, error) {
	where, args := f.where("a.")
	ls, more, err := list(ctx, q, `SELECT a.id, a.name, a.department_id, a.scopes, a.description, a.created_at,
		a.revoked_at, d.name FROM apps a JOIN departments d ON d.id = a.department_id
		WHERE `+where+` ORDER BY a.id`, args, f.Limit, func(sc scanner) (AppListing, error) {
		var l AppListing
		var dept string
		a, err := scanApp(scanFunc(func(dest ...any) error { return sc.Scan(append(dest, &dept)...) }))
		l.App, l.DepartmentName = a, dept
		return l, err
	})
	if err != nil {
		return nil, 0, wrap("list apps", err)
	}
	if len(ls) == 0 {
		return ls, 0, nil
	}
	// The keys of the page's apps: those of the apps f selects up to the
	// page's last id, in one query whatever the page's size.
	last := ls[len(ls)-1].ID
	at := make(map[int64]int, len(ls))
	for i, l := range ls {
		at[l.ID] = i
	}
	args = append(args, last)
	rows, err := q.QueryContext(ctx, `SELECT k.app_id, k.key_id, k.created_at, k.expires_at, k.revoked_at, k.last_used_at
		FROM app_keys k JOIN apps a ON a.id = k.app_id
		WHERE `+where+` AND a.id <= $`+strconv.Itoa(len(args))+` ORDER BY k.app_id, k.id`, args...)
	if err != nil {
		return nil, 0, wrap("list app keys", err)
	}
	defer rows.Close()
	for rows.Next() {
		var appID int64
		k, err := scanKey(scanFunc(func(dest ...any) error { return rows.Scan(append([]any{&appID}, dest...)...) }))
		if err != nil {
			return nil, 0, wrap("list app keys", err)
		}
		if i, ok := at[appID]; ok { // not an app added since the page was read
			ls[i].Keys = append(ls[i].Keys, k)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, wrap("list app keys", err)
	}
	if !more {
		return ls, 0, nil
	}
	return ls, last, nil
}

// CountApps counts the apps f selects on every page (its After and Limit
// are ignored).
func CountApps(ctx context.Context, q sqldb.Querier, f AppFilter) (int, error) {
	f.After = 0
	where, args := f.where("")
	return count(ctx, q, "apps", `SELECT count(*) FROM apps WHERE `+where, args)
}

// scanFunc is a scanner made of a function, to scan a row's leading or
// trailing columns with a scanner of the others.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// count runs a count(*) query of the list named what.
func count(ctx context.Context, q sqldb.Querier, what, query string, args []any) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, wrap("count "+what, err)
	}
	return n, nil
}
