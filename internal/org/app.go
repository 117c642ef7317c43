package org

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// Scopes an API app may hold, with their Chinese descriptions.
var Scopes = map[string]string{
	"catalog.read":  "读取数据资源目录",
	"catalog.write": "编制与提交本部门目录",
	"records.write": "推送归集数据",
	"data.read":     "查询、核验共享数据",
	"audit.read":    "读取审计日志",
	"admin":         "管理部门、账号与应用",
}

// PlatformOnlyScope reports whether scope s is platform-wide, held only by
// apps of the platform operator's department, as the platform-wide roles
// (Role.PlatformOnly) are held only by its accounts: admin manages every
// department, account and app, audit.read reads every department's audit
// rows.
func PlatformOnlyScope(s string) bool { return s == "admin" || s == "audit.read" }

// errPlatformScope refuses a platform-wide scope to an app of another
// department.
func errPlatformScope(s string) error {
	return errs.Field("scopes", "scope_platform_only", "权限范围“"+Scopes[s]+"”（"+s+"）只能授予政务数据主管部门的应用，其他部门的应用请选择其他权限范围")
}

// App is a system of a department that calls the API with bearer keys.
type App struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	DepartmentID int64      `json:"department_id"`
	Scopes       []string   `json:"scopes"`
	Description  string     `json:"description,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	RevokedAt    *time.Time `json:"revoked_at,omitempty"`
	Keys         []Key      `json:"keys,omitempty"`
	// Platform: the department is the platform operator's (政务数据主管
	// 部门). Set when a key is authenticated.
	Platform bool `json:"-"`
}

// HasScope reports whether the app holds scope s.
func (a App) HasScope(s string) bool { return slices.Contains(a.Scopes, s) }

// Key is one API key of an app. The secret is never stored.
type Key struct {
	ID         string     `json:"key_id"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// Active reports whether the key can be used at now.
func (k Key) Active(now time.Time) bool {
	return k.RevokedAt == nil && (k.ExpiresAt == nil || k.ExpiresAt.After(now))
}

// keyPrefix starts every API key, so that leaked keys are easy to find in
// logs and source code. A key reads htk_<key id>_<secret>.
const keyPrefix = "htk_"

// ParseScopes reads scopes as given, each string one or more separated by
// spaces or commas, and returns them known, sorted and once each.
func ParseScopes(in []string) ([]string, error) {
	var out []string
	for _, s := range in {
		for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' }) {
			if _, ok := Scopes[f]; !ok {
				return nil, errs.Field("scopes", "unknown_scope", "未知的权限范围："+f)
			}
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		return nil, errs.Field("scopes", "scopes_required", "至少需要一个权限范围")
	}
	slices.Sort(out)
	return out, nil
}

// NewApp is what CreateApp needs.
type NewApp struct {
	Name         string
	DepartmentID int64
	Scopes       []string
	Description  string
}

// Check returns every problem of na's scopes, name and description, in
// that order, each a field error: CreateApp refuses the first, a form
// shows them all. Its department is CreateApp's to check.
func (na NewApp) Check() []*errs.Error {
	_, out := na.check()
	return out
}

// check is Check, returning too the scopes as ParseScopes reads them.
func (na NewApp) check() ([]string, []*errs.Error) {
	var out problems
	scopes, err := ParseScopes(na.Scopes)
	out.add(err)
	if name := strings.TrimSpace(na.Name); name == "" {
		out.add(errs.Field("name", "name_required", "应用名称不能为空"))
	} else {
		out.add(checkText("name", "应用名称", name, MaxAppName, false))
	}
	out.add(checkText("description", "应用说明", strings.TrimSpace(na.Description), MaxDescription, true))
	return scopes, out
}

// CreateApp registers an app and issues its first key. The returned secret
// key is shown once and never again. Its department must exist
// (unknown_department); the platform-wide scopes (PlatformOnlyScope) are
// refused to an app of a department that is not the platform operator's
// (scope_platform_only). Its name is its department's app's, active or
// revoked, only once, compared by key (appKey: full-width forms, composed
// and decomposed letters, compatibility ideographs, radicals, case and
// white space folded; punctuation kept), so that a name that only looks like
// another app's is refused as that name is (app_exists, naming the other;
// a revoked app's, which the audit log's rows name, says so).
func CreateApp(ctx context.Context, tx *sqldb.Tx, by audit.Actor, na NewApp, now time.Time) (App, string, error) {
	scopes, problems := na.check()
	if len(problems) > 0 {
		return App{}, "", problems[0]
	}
	var platform bool
	err := tx.QueryRowContext(ctx, `SELECT is_operator FROM departments WHERE id = $1`, na.DepartmentID).Scan(&platform)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return App{}, "", errs.Field("department_id", "unknown_department", "部门不存在")
	case err != nil:
		return App{}, "", fmt.Errorf("create app: %w", err)
	}
	for _, s := range scopes {
		if PlatformOnlyScope(s) && !platform {
			return App{}, "", errPlatformScope(s)
		}
	}
	if err := checkDepartmentEnabled(ctx, tx, "department_id", na.DepartmentID); err != nil {
		return App{}, "", err
	}
	a := App{Name: strings.TrimSpace(na.Name), DepartmentID: na.DepartmentID, Scopes: scopes,
		Description: strings.TrimSpace(na.Description), CreatedAt: now.UTC(), Platform: platform}
	// The app of the name's key or of the name itself (one an older
	// release stored has the empty key until RekeyApps rewrites it), an
	// active one before a revoked one. A revoked app keeps its name, which
	// the audit log's rows of it hold: the refusal says so, the operator
	// would not find it among the active apps.
	key := appKey(a.Name)
	var other string
	var revoked sql.NullTime
	err = tx.QueryRowContext(ctx, `SELECT name, revoked_at FROM apps WHERE department_id = $1 AND (name_key = $2 OR name = $3)
		ORDER BY revoked_at IS NOT NULL, id LIMIT 1`, a.DepartmentID, key, a.Name).Scan(&other, &revoked)
	switch {
	case err == nil:
		return App{}, "", errAppExists(a.Name, other, revoked.Valid)
	case !errors.Is(err, sql.ErrNoRows):
		return App{}, "", fmt.Errorf("create app: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO apps (name, name_key, department_id, scopes, description, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, a.Name, key, a.DepartmentID, strings.Join(scopes, " "), a.Description, a.CreatedAt).Scan(&a.ID)
	if err != nil {
		switch {
		case sqldb.IsUniqueViolationOf(err, keyAppName):
			// Another transaction created it meanwhile.
			return App{}, "", errAppExists(a.Name, a.Name, false)
		case sqldb.IsUniqueViolationOf(err, keyAppNameKey):
			// Another transaction created one of the name or of a name
			// alike meanwhile, which this one cannot read: on PostgreSQL
			// the failed insert aborted it.
			return App{}, "", errAppCreatedAlike(a.Name)
		case sqldb.IsForeignKeyViolation(err):
			return App{}, "", errs.Field("department_id", "unknown_department", "部门不存在")
		}
		return App{}, "", fmt.Errorf("create app: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "app.create", ObjectType: "app",
		ObjectID: strconv.FormatInt(a.ID, 10), Detail: audit.Detail("name", a.Name, "scopes", strings.Join(scopes, " "))}, now); err != nil {
		return App{}, "", err
	}
	k, secret, err := issueKey(ctx, tx, by, a.ID, now)
	if err != nil {
		return App{}, "", err
	}
	a.Keys = []Key{k}
	return a, secret, nil
}

// errAppExists refuses a new app the name name, whose key is that of app
// other of its department (revoked or not): a name that only looks like
// other's is told what differs, a revoked app's that its name stays
// taken.
func errAppExists(name, other string, revoked bool) error {
	switch {
	case name != other && revoked:
		return errs.E(errs.Conflict, "app_exists", "本部门已有名称看起来相同的应用（已注销）：“"+other+
			"”（与“"+name+"”只差全角半角、大小写、空格或同一字符的不同写法）。注销的应用仍以此名称记在审计日志中，请换一个名称")
	case name != other:
		return errs.E(errs.Conflict, "app_exists", "本部门已有名称看起来相同的应用：“"+other+
			"”（与“"+name+"”只差全角半角、大小写、空格或同一字符的不同写法），请换一个名称")
	case revoked:
		return errs.E(errs.Conflict, "app_exists", "本部门已有同名应用（已注销）："+name+"。注销的应用仍以此名称记在审计日志中，名称不能再用，请换一个名称")
	}
	return errs.E(errs.Conflict, "app_exists", "本部门已有同名应用："+name)
}

// errAppCreatedAlike refuses a new app the name name for the key another
// transaction gave an app of its department at the same time, the unique
// index telling which is the only one to know: that app's name may be
// name or one that only looks like it.
func errAppCreatedAlike(name string) error {
	return errs.E(errs.Conflict, "app_exists", "本部门刚刚建立了与“"+name+
		"”名称相同或看起来相同（只差全角半角、大小写、空格或同一字符的不同写法）的应用，请刷新应用列表后换一个名称")
}

// appKey is the key by which an app's name is compared with the names of
// the other apps of its department (apps.name_key, unique in a
// department): text.FoldKey, text.Fold (full-width forms, composed and
// decomposed letters, compatibility ideographs and radicals as their usual
// form, middle dots unified, default-ignorable characters left out), in
// lower case, without white space and format characters, so that ETL推送测试 and
// ＥＴＬ推送测试, Café composed and decomposed, 王六 with a compatibility
// ideograph, ⻋辆 and 车辆, and ETL 推送测试 are one name. Unlike
// text.NameKey, by which departments are compared, it keeps punctuation
// and symbols, which tell systems apart (对接 C++ 客户端 and 对接 C# 客户端,
// 接口 v11.0 and 接口 v1.10, A-1 and A1). A name it leaves nothing of is
// its own key: the empty key is that of an app an older release stored,
// which the unique index leaves out until RekeyApps rewrites it.
func appKey(name string) string {
	if k := text.FoldKey(name); k != "" {
		return k
	}
	return name
}

func issueKey(ctx context.Context, tx *sqldb.Tx, by audit.Actor, appID int64, now time.Time) (Key, string, error) {
	id := make([]byte, 6)
	rand.Read(id)
	k := Key{ID: hex.EncodeToString(id), CreatedAt: now.UTC()}
	secret := randomToken(32)
	if _, err := tx.ExecContext(ctx, `INSERT INTO app_keys (app_id, key_id, secret_hash, created_at) VALUES ($1, $2, $3, $4)`,
		appID, k.ID, sha256Hex(secret), k.CreatedAt); err != nil {
		return Key{}, "", fmt.Errorf("issue key: %w", err)
	}
	err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "app.key.issue", ObjectType: "app",
		ObjectID: strconv.FormatInt(appID, 10), Detail: audit.Detail("key_id", k.ID)}, now)
	return k, keyPrefix + k.ID + "_" + secret, err
}

// RotateKey issues a new key for an app. The key it replaces, the app's
// active key without an expiry, stays valid for grace (so that deployed
// systems can switch over); an older key keeps the grace an earlier
// rotation gave it, which a later one neither shortens nor lengthens. When
// grace is zero every active key of the app is revoked at once, those in
// an earlier grace too: the rotation of a leaked key.
//
// The app's row is locked first: a rotation under way makes another wait
// (on PostgreSQL its UPDATE of the keys would not see the key the first
// issues, and both new keys would stay active) and the app's revocation
// too, so that the second reads the keys, and the app, as the first left
// them.
func RotateKey(ctx context.Context, tx *sqldb.Tx, by audit.Actor, appID int64, grace time.Duration, now time.Time) (Key, string, error) {
	return RotateKeyIf(ctx, tx, by, appID, nil, grace, now)
}

// KeyTag names the keys of a as a rotation starts from them: the id of
// its newest key, which every rotation replaces with the key it issues.
// The console's rotation form carries it and the API answers it as the
// ETag of GET /apps/{id} and of a rotation, for RotateKeyIf's ifMatch.
func (a App) KeyTag() string {
	if len(a.Keys) == 0 {
		return ""
	}
	return a.Keys[len(a.Keys)-1].ID
}

// RotateKeyIf is RotateKey of the keys the tags ifMatch name (App.KeyTag
// of the app as the caller read it), when not nil: a rotation sent again
// once its key was issued (a refreshed or resubmitted result page, a page
// opened before it, an API request retried without Idempotency-Key) is
// refused (409 concurrent_update, errKeyRotated), compared under the
// app's row lock, so that it issues no other key and leaves the key the
// first issued valid.
func RotateKeyIf(ctx context.Context, tx *sqldb.Tx, by audit.Actor, appID int64, ifMatch []string, grace time.Duration, now time.Time) (Key, string, error) {
	keysChange(tx)
	// An app rotating its own keys is judged by its key as it was: the
	// rotation may revoke it.
	if err := lockAppsChecked(ctx, tx, by, appID, now); err != nil {
		return Key{}, "", err
	}
	a, err := AppByID(ctx, tx, appID)
	if err != nil {
		return Key{}, "", err
	}
	if a.RevokedAt != nil {
		return Key{}, "", errs.E(errs.Conflict, "app_revoked", "应用已注销，不能签发新密钥")
	}
	if !tagMatches(ifMatch, a.KeyTag()) {
		return Key{}, "", errKeyRotated(a, ifMatch, now)
	}
	if grace > 0 {
		_, err = tx.ExecContext(ctx, `UPDATE app_keys SET expires_at = $1 WHERE app_id = $2 AND revoked_at IS NULL
			AND expires_at IS NULL`, now.Add(grace).UTC(), appID)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE app_keys SET revoked_at = $1 WHERE app_id = $2 AND revoked_at IS NULL`, now.UTC(), appID)
	}
	if err != nil {
		return Key{}, "", fmt.Errorf("rotate key: %w", err)
	}
	if err := audit.Record(ctx, tx, audit.Event{Actor: by, Action: "app.key.rotate", ObjectType: "app",
		ObjectID: strconv.FormatInt(appID, 10), Detail: audit.Detail("grace", grace.String())}, now); err != nil {
		return Key{}, "", err
	}
	return issueKey(ctx, tx, by, appID, now)
}

// errKeyRotated refuses a rotation of a's keys whose tags ifMatch are not
// a's KeyTag (RotateKeyIf). When one of them is the id of an older key of
// a, the rotation started from a's keys as they were before its newest
// key was issued: it names that key, when it was issued, and whether it
// is still valid at now. Otherwise (a tag of no key of a: the API
// refuses an If-Match that is not a list of strong, quoted tags before
// it gets here) nothing says a rotation was made since, and it says that
// the tag is not a's current one. An app is issued a key when created
// and its keys are never deleted: one read without them is refused as
// any change of a stale record is.
func errKeyRotated(a App, ifMatch []string, now time.Time) error {
	if len(a.Keys) == 0 {
		return errConcurrentUpdate("应用“" + a.Name + "”的密钥")
	}
	rotatedSince := slices.ContainsFunc(a.Keys[:len(a.Keys)-1], func(k Key) bool { return slices.Contains(ifMatch, k.ID) })
	if !rotatedSince {
		return errs.E(errs.Conflict, "concurrent_update", "本次提交所依据的标签不是该应用密钥的当前标签（应用“"+a.Name+
			"”的最新密钥 htk_"+a.KeyTag()+"_…）。本次未签发新密钥，也未吊销任何密钥：请刷新或重新读取该应用后再轮换"+
			"（接口的 If-Match 须为读取所得的 ETag 原样）")
	}
	k := a.Keys[len(a.Keys)-1]
	valid := "该密钥仍然有效，请使用当时显示的密钥，无需再次轮换"
	if !k.Active(now) {
		valid = "该密钥此后已失效，如需新密钥，请返回应用列表刷新后重新轮换"
	}
	return errs.E(errs.Conflict, "concurrent_update", "应用“"+a.Name+"”的密钥已经轮换过：最新密钥 htk_"+k.ID+"_… 签发于 "+
		k.CreatedAt.In(calendar.Location()).Format("2006-01-02 15:04:05")+"（北京时间），晚于本次提交所依据的密钥（例如刷新或重新提交了轮换结果页）。"+
		"本次未签发新密钥，也未吊销任何密钥；"+valid+"。")
}

// lockAppsChecked locks until tx ends the row of app appID (none for 0),
// whose keys a change by by writes, and, when by is an app's key
// (KeyCredential), by's own app's row, in the order of their ids; then it
// checks by's credential (audit.CheckCredential) before the change, which
// may end it. The check share-locks the rows of by's app and key
// (KeyCredential.Check) on PostgreSQL: taken after the app's exclusive
// lock, two changes by one key wait for each other there instead of both
// holding the share lock the other's write of the rows waits for, and two
// apps changing each other's keys lock their rows in one order.
func lockAppsChecked(ctx context.Context, tx *sqldb.Tx, by audit.Actor, appID int64, now time.Time) error {
	ids := []int64{appID}
	if k, ok := by.Credential.(KeyCredential); ok {
		ids = append(ids, k.AppID)
	}
	slices.Sort(ids)
	for i, id := range ids {
		if id == 0 || i > 0 && id == ids[i-1] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE apps SET id = id WHERE id = $1`, id); err != nil {
			return fmt.Errorf("lock app %d: %w", id, err)
		}
	}
	return audit.CheckCredential(ctx, tx, by, now)
}

// RevokeKey revokes one key at once. keyID is the key id, or the whole key
// (htk_<key id>_<secret>): what an operator holds when a key has leaked.
// A whole key's secret must be the key's (CheckWholeKey): a wrong one is
// refused (key_secret_mismatch) and revokes nothing, whichever channel
// passed it. Only the id is ever repeated in an error or audited.
func RevokeKey(ctx context.Context, tx *sqldb.Tx, by audit.Actor, keyID string, now time.Time) error {
	keyID = strings.TrimSpace(keyID)
	if id, _, err := parseKey(keyID); err == nil {
		if err := CheckWholeKey(ctx, tx, keyID); err != nil {
			return err
		}
		keyID = id
	}
	if err := CheckKeyID(keyID); err != nil {
		return err
	}
	// An app revoking its own key is judged by it as it was.
	var keyApp int64
	if err := tx.QueryRowContext(ctx, `SELECT app_id FROM app_keys WHERE key_id = $1`, keyID).Scan(&keyApp); err != nil &&
		!errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("revoke key: %w", err)
	}
	if err := lockAppsChecked(ctx, tx, by, keyApp, now); err != nil {
		return err
	}
	keysChange(tx)
	var appID int64
	err := tx.QueryRowContext(ctx, `UPDATE app_keys SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL RETURNING app_id`,
		now.UTC(), keyID).Scan(&appID)
	if errors.Is(err, sql.ErrNoRows) {
		return errs.E(errs.NotFound, "key_not_found", "密钥不存在或已吊销："+keyID)
	}
	if err != nil {
		return fmt.Errorf("revoke key: %w", err)
	}
	return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "app.key.revoke", ObjectType: "app",
		ObjectID: strconv.FormatInt(appID, 10), Detail: audit.Detail("key_id", keyID)}, now)
}

// RevokeApp revokes an app and all its keys: an app revoked already is
// 409 app_revoked, one that does not exist 404 app_not_found.
func RevokeApp(ctx context.Context, tx *sqldb.Tx, by audit.Actor, appID int64, now time.Time) error {
	// An app revoking itself is judged by its key as it was.
	if err := lockAppsChecked(ctx, tx, by, appID, now); err != nil {
		return err
	}
	keysChange(tx)
	res, err := tx.ExecContext(ctx, `UPDATE apps SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, now.UTC(), appID)
	if err != nil {
		return fmt.Errorf("revoke app: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Revoked already, the app exists: refused as a rotation is.
		if _, err := AppByID(ctx, tx, appID); err != nil {
			return err
		}
		return errs.E(errs.Conflict, "app_revoked", "应用已注销，无需再次注销")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE app_keys SET revoked_at = $1 WHERE app_id = $2 AND revoked_at IS NULL`, now.UTC(), appID); err != nil {
		return fmt.Errorf("revoke app keys: %w", err)
	}
	return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "app.revoke", ObjectType: "app",
		ObjectID: strconv.FormatInt(appID, 10)}, now)
}

const appColumns = `id, name, department_id, scopes, description, created_at, revoked_at`

func scanApp(sc interface{ Scan(...any) error }) (App, error) {
	var a App
	var scopes string
	var revoked sql.NullTime
	err := sc.Scan(&a.ID, &a.Name, &a.DepartmentID, &scopes, &a.Description, &a.CreatedAt, &revoked)
	a.Scopes = strings.Fields(scopes)
	a.CreatedAt = a.CreatedAt.UTC()
	a.RevokedAt = timePtr(revoked)
	return a, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// AppByID returns an app with its keys.
func AppByID(ctx context.Context, q sqldb.Querier, id int64) (App, error) {
	a, err := scanApp(q.QueryRowContext(ctx, `SELECT `+appColumns+` FROM apps WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, errs.E(errs.NotFound, "app_not_found", "应用不存在")
	}
	if err != nil {
		return a, fmt.Errorf("app %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT key_id, created_at, expires_at, revoked_at, last_used_at FROM app_keys
		WHERE app_id = $1 ORDER BY id`, id)
	if err != nil {
		return a, fmt.Errorf("app %d keys: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return a, fmt.Errorf("app %d keys: %w", id, err)
		}
		a.Keys = append(a.Keys, k)
	}
	return a, rows.Err()
}

// scanKey scans key_id, created_at, expires_at, revoked_at, last_used_at.
func scanKey(sc scanner) (Key, error) {
	var k Key
	var exp, rev, used sql.NullTime
	err := sc.Scan(&k.ID, &k.CreatedAt, &exp, &rev, &used)
	k.CreatedAt = k.CreatedAt.UTC()
	k.ExpiresAt, k.RevokedAt, k.LastUsedAt = timePtr(exp), timePtr(rev), timePtr(used)
	return k, err
}

// AppFilter selects API apps, a page at a time. The zero value selects
// them all.
type AppFilter struct {
	DepartmentID int64  // 0 for every department
	Q            string // part of the name; ASCII letters in any case
	After        int64  // keyset cursor: apps with a greater id
	Limit        int    // at most this many; 0 for all
}

// where is f's condition on apps (columns prefixed with t, a table alias
// and a dot or "") and its arguments: $1 is After.
func (f AppFilter) where(t string) (string, []any) {
	cond := t + `id > $1`
	args := []any{f.After}
	if f.DepartmentID != 0 {
		args = append(args, f.DepartmentID)
		cond += ` AND ` + t + `department_id = $` + strconv.Itoa(len(args))
	}
	if f.Q != "" {
		args = append(args, containing(f.Q))
		cond += ` AND ` + foldASCII(t+`name`) + ` LIKE $` + strconv.Itoa(len(args)) + ` ESCAPE '\'`
	}
	return cond, args
}

// FindApps returns the apps f selects, without their keys, ordered by id,
// and the cursor of the next page: the last id, 0 when no more follow.
func FindApps(ctx context.Context, q sqldb.Querier, f AppFilter) ([]App, int64, error) {
	where, args := f.where("")
	as, more, err := list(ctx, q, `SELECT `+appColumns+` FROM apps WHERE `+where+` ORDER BY id`, args, f.Limit, scanApp)
	if err != nil || !more {
		return as, 0, wrap("list apps", err)
	}
	return as, as[len(as)-1].ID, nil
}

// Apps lists apps, optionally of one department (0 for all), without
// their keys.
func Apps(ctx context.Context, q sqldb.Querier, departmentID int64) ([]App, error) {
	as, _, err := FindApps(ctx, q, AppFilter{DepartmentID: departmentID})
	return as, err
}

var errBadKey = errs.E(errs.Unauthenticated, "invalid_api_key", "API 密钥无效、已过期或已吊销")

// errInactiveKey refuses a key whose secret was right but which cannot be
// used (revoked, expired, its app revoked): its caller is answered as for
// errBadKey, word for word, so that the answer tells no one whether a
// secret was right; only the audit row differs (KeyInactive).
var errInactiveKey = errs.E(errs.Unauthenticated, errBadKey.Code, errBadKey.Message)

// KeyInactive reports whether err, from KeyCache.Authenticate, refused a
// key whose secret matched but which was revoked, expired or of a revoked
// app: the caller then held that app's key, and the refusal's audit row
// may name the app. A wrong secret (or a key id no key has) proves
// nothing of the app, since key ids are not secret.
func KeyInactive(err error) bool { return errors.Is(err, errInactiveKey) }

// DepartmentRef is a department by id and name, an option of a filter.
type DepartmentRef struct {
	ID   int64
	Name string
}

// AppDepartments are the departments that have apps, by id, and include
// if it exists: the options of a filter of apps by department, which does
// not list every department of a province.
func AppDepartments(ctx context.Context, q sqldb.Querier, include int64) ([]DepartmentRef, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM departments d
		WHERE id = $1 OR EXISTS (SELECT 1 FROM apps a WHERE a.department_id = d.id) ORDER BY id`, include)
	if err != nil {
		return nil, fmt.Errorf("org: apps' departments: %w", err)
	}
	defer rows.Close()
	var out []DepartmentRef
	for rows.Next() {
		var d DepartmentRef
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
			return nil, fmt.Errorf("org: apps' departments: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("org: apps' departments: %w", err)
	}
	return out, nil
}

// parseKey splits htk_<key id>_<secret>. The key id must be one issueKey
// makes (validKeyID): nothing else reaches a query.
func parseKey(token string) (keyID, secret string, err error) {
	rest, ok := strings.CutPrefix(token, keyPrefix)
	keyID, secret, ok2 := strings.Cut(rest, "_")
	if !ok || !ok2 || !validKeyID(keyID) || secret == "" {
		return "", "", errBadKey
	}
	return keyID, secret, nil
}

// CheckKeyID refuses, as a key not found (key_not_found), a key id that
// is no key's (validKeyID) without repeating it: a whole key pasted with
// its id damaged holds the secret, and other text may be what PostgreSQL
// refuses to compare (NUL, bytes that are not UTF-8).
func CheckKeyID(keyID string) error {
	if !validKeyID(keyID) {
		return errs.E(errs.NotFound, "key_not_found", "不是有效的密钥编号")
	}
	return nil
}

// validKeyID reports whether s is a key id as issueKey makes them: twelve
// lowercase hex digits.
func validKeyID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// storedKey is a key as stored, with its app.
type storedKey struct {
	hash       string // SHA-256 of the secret, hex
	key        Key
	app        App
	appRevoked bool
}

func loadKey(ctx context.Context, q sqldb.Querier, keyID string) (storedKey, error) {
	k := storedKey{key: Key{ID: keyID}}
	var scopes string
	var exp, rev, used, appRevoked sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT k.secret_hash, k.created_at, k.expires_at, k.revoked_at, k.last_used_at,
		a.id, a.name, a.department_id, a.scopes, a.description, a.created_at, a.revoked_at, d.is_operator
		FROM app_keys k JOIN apps a ON a.id = k.app_id JOIN departments d ON d.id = a.department_id
		WHERE k.key_id = $1`, keyID).
		Scan(&k.hash, &k.key.CreatedAt, &exp, &rev, &used, &k.app.ID, &k.app.Name, &k.app.DepartmentID, &scopes,
			&k.app.Description, &k.app.CreatedAt, &appRevoked, &k.app.Platform)
	if errors.Is(err, sql.ErrNoRows) {
		return k, errBadKey
	}
	if err != nil {
		return k, fmt.Errorf("authenticate: %w", err)
	}
	k.key.ExpiresAt, k.key.RevokedAt, k.key.LastUsedAt = timePtr(exp), timePtr(rev), timePtr(used)
	k.appRevoked = appRevoked.Valid
	k.app.Scopes = strings.Fields(scopes)
	k.app.CreatedAt = k.app.CreatedAt.UTC()
	return k, nil
}

// check returns the app and key if secret is the key's and both can be
// used at now: errBadKey when the secret is not the key's, errInactiveKey
// when it is but the key or its app cannot be used.
func (k storedKey) check(secret string, now time.Time) (App, Key, error) {
	if subtle.ConstantTimeCompare([]byte(sha256Hex(secret)), []byte(k.hash)) != 1 {
		return App{}, Key{ID: k.key.ID}, errBadKey
	}
	if !k.key.Active(now) || k.appRevoked {
		return App{}, Key{ID: k.key.ID}, errInactiveKey
	}
	return k.app, k.key, nil
}

// KeyTouchInterval is how often a key's last use is written at most.
const KeyTouchInterval = time.Minute

// AppActor is the audit actor for an app calling with one of its keys.
func AppActor(a App, keyID, remoteAddr string) audit.Actor {
	return audit.Actor{Kind: audit.ActorApp, ID: keyID, Name: a.Name, DepartmentID: a.DepartmentID, RemoteAddr: remoteAddr}
}

// TouchKey records that a key was used at now.
func TouchKey(ctx context.Context, q sqldb.Querier, keyID string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE app_keys SET last_used_at = $1 WHERE key_id = $2`, now.UTC(), keyID)
	return err
}
