package catalog

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// check normalises r and returns its first validation error, if any.
func check(r *Resource) error {
	return checkKeeping(r, nil)
}

// checkKeeping is check of r as an edit of stored (validateKeeping): the
// names r keeps from stored are not refused for characters a check made
// since they were stored refuses.
func checkKeeping(r *Resource, stored *Resource) error {
	if es := tooMany(*r); es != nil {
		return es[0]
	}
	r.normalize()
	if es := validateKeeping(*r, stored); len(es) > 0 {
		return es[0]
	}
	return nil
}

// Create validates r and stores it as a new draft entry of departmentID,
// with a newly generated resource code. A name one of the department's
// entries not retired has is refused (nameUnused): 409 duplicate_entry_name,
// so that a form saved twice does not make a second draft, which could never
// be submitted nor removed. It returns the entry as Get reads it.
func Create(ctx context.Context, tx *sqldb.Tx, by Actor, departmentID int64, r Resource, now time.Time) (Entry, error) {
	id, _, err := create(ctx, tx, by, departmentID, "", r, now, true)
	if err != nil {
		return Entry{}, err
	}
	return Get(ctx, tx, by, id)
}

// CheckDepartmentEnabled refuses a new entry, or an import, in department
// id while the department is disabled (409 department_disabled): nobody of
// it works on its catalog, and an entry of it submitted would wait for a
// review of a department that is gone. The department is read locked
// (org.DepartmentShared) until tx ends, so that a disable running
// meanwhile either waits for tx or is seen. One that does not exist is
// the caller's to refuse.
func CheckDepartmentEnabled(ctx context.Context, tx *sqldb.Tx, id int64) error {
	d, err := org.DepartmentShared(ctx, tx, id)
	if errs.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if d.Disabled {
		return errs.E(errs.Conflict, "department_disabled", "部门“"+d.Name+
			"”已停用，不能再新建或导入其数据资源目录；如确需使用，请先由平台管理员启用该部门")
	}
	return nil
}

// CreateWithCode is Create keeping a resource code the entry had elsewhere
// (a file exported by another platform or database): the draft gets code
// when it is a valid resource code of r's classification that no entry
// holds, and the classification's sequence skips past it; otherwise (code
// empty, malformed, of another classification or taken) a new code. Unlike
// Create it does not refuse a name in use: an import file may hold two
// resources of one name, each with its own code, and the import matches a
// row to an entry before creating; nor a disabled department, which the
// import refuses once for all its rows (CheckDepartmentEnabled). It returns the new entry's id and the
// code it got, without reading the entry back (an import of thousands of
// rows needs no more: the read was a tenth of its time).
func CreateWithCode(ctx context.Context, tx *sqldb.Tx, by Actor, departmentID int64, code string, r Resource, now time.Time) (id int64, newCode string, err error) {
	return create(ctx, tx, by, departmentID, code, r, now, false)
}

// MayCreate refuses by a new entry of department departmentID (403)
// unless by compiles that department's catalog, as Create and
// CreateWithCode do: the API checks it so before replaying an entry's
// creation.
func (a Actor) MayCreate(departmentID int64) error {
	if !a.mayEdit(departmentID) {
		return errs.E(errs.Forbidden, "forbidden", "只能编制本部门的数据资源目录")
	}
	return nil
}

// create stores r as a new draft entry of departmentID (CreateWithCode),
// refusing a name in use when unique (Create), and returns its id and code.
func create(ctx context.Context, tx *sqldb.Tx, by Actor, departmentID int64, code string, r Resource, now time.Time, unique bool) (int64, string, error) {
	if err := by.MayCreate(departmentID); err != nil {
		return 0, "", err
	}
	if err := check(&r); err != nil {
		return 0, "", err
	}
	if unique {
		if err := lockDepartment(ctx, tx, departmentID); err != nil {
			return 0, "", err
		}
		if err := CheckDepartmentEnabled(ctx, tx, departmentID); err != nil {
			return 0, "", err
		}
		if err := nameUnused(ctx, tx, departmentID, r.Name); err != nil {
			return 0, "", err
		}
	}
	code, err := claimCode(ctx, tx, code, r.Classification.Code())
	if err != nil {
		return 0, "", err
	}
	e, err := insertEntry(ctx, tx, code, departmentID, Draft, r, now)
	if err != nil {
		return 0, "", err
	}
	if err := insertVersion(ctx, tx, e.ID, 1, Draft, r, by, now); err != nil {
		return 0, "", err
	}
	if err := record(ctx, tx, by, "catalog.create", e, now, "code", code, "name", r.Name); err != nil {
		return 0, "", err
	}
	return e.ID, code, nil
}

// Resource codes the platform generates end in a sequence of seqDigits
// digits: at most maxSeq entries per classification code.
const (
	seqDigits = 6
	maxSeq    = 999999
)

// errSequenceExhausted refuses a new code for a classification code whose
// sequence has reached maxSeq.
func errSequenceExhausted(classCode string) error {
	return errs.Field("classification", "code_sequence_exhausted", fmt.Sprintf(
		"分类代码 %s 下的资源代码顺序码已用尽（最大 %06d），无法生成新的资源代码；请在其他细目下编目，或联系平台管理员",
		classCode, maxSeq))
}

// nextCode returns the next resource code of a classification code:
// the classification code, "/", a six-digit sequence.
func nextCode(ctx context.Context, tx *sqldb.Tx, classCode string) (string, error) {
	var n int64
	if last, ok := deferredSeq(tx, classCode); ok {
		if last >= maxSeq {
			return "", errSequenceExhausted(classCode)
		}
		n = last + 1
	} else {
		err := tx.QueryRowContext(ctx, `INSERT INTO catalog_code_sequences (class_code, last) VALUES ($1, 1)
			ON CONFLICT (class_code) DO UPDATE SET last = catalog_code_sequences.last + 1
			WHERE catalog_code_sequences.last < $2 RETURNING last`, classCode, maxSeq).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return "", errSequenceExhausted(classCode)
		}
		if err != nil {
			return "", fmt.Errorf("next resource code: %w", err)
		}
	}
	deferSeq(tx, classCode, n)
	return fmt.Sprintf("%s/%0*d", classCode, seqDigits, n), nil
}

// seqKey keys the sequence of a classification code that a transaction
// keeps (codeSeq).
type seqKey string

// codeSeq is the last number a transaction took from the sequence of a
// classification code, written to catalog_code_sequences once, before it
// commits (sqldb.Deferred), rather than at every code: on PostgreSQL each
// update of the row adds a version that every later code of the
// transaction stepped past, and a catalog import takes a code per entry.
// The transaction's first use of the sequence updates the row (taking its
// lock, for which concurrent transactions wait until the commit, as
// before), the others only the number.
type codeSeq struct {
	class string
	last  int64
}

// deferredSeq returns the last number the transaction took from the
// sequence of classification code class, if it took one (codeSeq).
func deferredSeq(tx *sqldb.Tx, class string) (int64, bool) {
	s, ok := tx.Deferred(seqKey(class)).(codeSeq)
	return s.last, ok
}

// deferSeq keeps last as the last number the transaction took from the
// sequence of classification code class, written before it commits
// (codeSeq).
func deferSeq(tx *sqldb.Tx, class string, last int64) {
	tx.SetDeferred(seqKey(class), codeSeq{class: class, last: last})
}

func (s codeSeq) Flush(ctx context.Context, tx *sqldb.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_code_sequences SET last = $2 WHERE class_code = $1`, s.class, s.last); err != nil {
		return fmt.Errorf("next resource code: %w", err)
	}
	return nil
}

// generatedSeq returns the sequence of a resource code and whether it has
// the form of the sequences the platform generates (seqDigits digits).
func generatedSeq(code string) (int64, bool) {
	seq := code[len(codeClass(code))+1:]
	if len(seq) != seqDigits {
		return 0, false
	}
	n, err := strconv.ParseInt(seq, 10, 64)
	return n, err == nil
}

// claimCode returns code, reserved, when it is a valid resource code of
// classCode with a sequence of the generated form that no entry holds, and
// else the next code of classCode. A longer sequence is not kept: one typed
// wrong (301001/999999999999) would otherwise be taken for a catalog of a
// trillion entries.
func claimCode(ctx context.Context, tx *sqldb.Tx, code, classCode string) (string, error) {
	if !ValidCode(code) || codeClass(code) != classCode {
		return nextCode(ctx, tx, classCode)
	}
	if _, ok := generatedSeq(code); !ok {
		return nextCode(ctx, tx, classCode)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM catalog_entries WHERE code = $1`, code).Scan(&n); err != nil {
		return "", fmt.Errorf("resource code %s: %w", code, err)
	}
	if n > 0 {
		return nextCode(ctx, tx, classCode)
	}
	return code, reserveCode(ctx, tx, code)
}

// ReserveCode makes the sequence of classification c skip past code when
// CreateWithCode would keep it (a valid code of c with a six-digit
// sequence), whether or not an entry holds it. An import reserves the codes
// of all its rows first, so that a row without a code, created before a
// later row with one, is not given that row's code.
func ReserveCode(ctx context.Context, tx *sqldb.Tx, code string, c Classification) error {
	if !ValidCode(code) || codeClass(code) != c.Code() {
		return nil
	}
	return reserveCode(ctx, tx, code)
}

// reserveCode makes the sequence of an imported code's classification skip
// past it. A code whose sequence is not of the generated form (a
// registration keeps any valid code) can never equal a generated one and
// leaves the sequence alone.
func reserveCode(ctx context.Context, tx *sqldb.Tx, code string) error {
	n, ok := generatedSeq(code)
	if !ok {
		return nil
	}
	return reserveSeq(ctx, tx, codeClass(code), n)
}

// reserveCodes is reserveCode for each of codes, with one statement per
// classification code.
func reserveCodes(ctx context.Context, tx *sqldb.Tx, codes []string) error {
	top := map[string]int64{}
	for _, code := range codes {
		if n, ok := generatedSeq(code); ok {
			top[codeClass(code)] = max(top[codeClass(code)], n)
		}
	}
	for _, class := range slices.Sorted(maps.Keys(top)) {
		if err := reserveSeq(ctx, tx, class, top[class]); err != nil {
			return err
		}
	}
	return nil
}

// reserveSeq makes the sequence of classification code class skip past n.
func reserveSeq(ctx context.Context, tx *sqldb.Tx, class string, n int64) error {
	if last, ok := deferredSeq(tx, class); ok {
		deferSeq(tx, class, max(last, n))
		return nil
	}
	var last int64
	err := tx.QueryRowContext(ctx, `INSERT INTO catalog_code_sequences (class_code, last) VALUES ($1, $2)
		ON CONFLICT (class_code) DO UPDATE SET last = CASE WHEN catalog_code_sequences.last < excluded.last
		THEN excluded.last ELSE catalog_code_sequences.last END RETURNING last`, class, n).Scan(&last)
	if err != nil {
		return err
	}
	deferSeq(tx, class, last)
	return nil
}

func insertEntry(ctx context.Context, tx *sqldb.Tx, code string, departmentID int64, st Status, r Resource, now time.Time) (Entry, error) {
	e := Entry{Code: code, DepartmentID: departmentID, Status: st, Version: 1, Resource: r}
	data, err := json.Marshal(r)
	if err != nil {
		return e, err
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO catalog_entries (code, department_id, status, version, working_version,
		name, name_key, abstract, domain, share_type, share_methods, update_frequency, security_level, open_attribute,
		subject_kind, data, created_at, updated_at)
		VALUES ($1, $2, $3, 1, 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
		code, departmentID, string(st), r.Name, NameKey(r.Name), r.Abstract, r.Domain, string(r.ShareType),
		methodBits(r.ShareMethods), string(r.UpdateFrequency), r.SecurityLevel, string(r.OpenAttribute),
		string(r.SubjectKind), string(data), now.UTC()).Scan(&e.ID)
	if err != nil {
		switch {
		case sqldb.IsUniqueViolationOf(err, keyCode):
			return e, errs.E(errs.Conflict, "code_exists", "资源代码已存在："+code)
		case sqldb.IsForeignKeyViolation(err):
			return e, errs.Field("department_id", "unknown_department", "数源部门不存在")
		}
		return e, fmt.Errorf("insert catalog entry: %w", err)
	}
	return e, indexEntry(ctx, tx, e.ID, r)
}

type noSearchIndexKey struct{}

// WithoutSearchIndex returns ctx under which the entries written are not
// indexed for search (catalog_search_tokens), only their item keys (which
// the one-source rule of submission reads): for writes rolled back
// whatever happens, an import's dry run, which nothing searches before.
// The tokens were three fifths of a dry run's time.
func WithoutSearchIndex(ctx context.Context) context.Context {
	return context.WithValue(ctx, noSearchIndexKey{}, true)
}

// indexEntry indexes entry id as r (index), or only its item keys under
// WithoutSearchIndex.
func indexEntry(ctx context.Context, tx *sqldb.Tx, id int64, r Resource) error {
	if ctx.Value(noSearchIndexKey{}) != nil {
		return indexItems(ctx, tx, id, r)
	}
	return index(ctx, tx, id, r)
}

// entriesChanged counts the committed transactions of this process that
// changed what a published entry says or whether it is published (its
// head: writeHead, its status): caches of entries (records.EntryCache)
// forget every entry they read before the latest.
var entriesChanged atomic.Uint64

// HeadChanges returns how many transactions of this process have changed the
// head or status of entries. It only grows; a cache of entries keeps what it
// read while it stays the same.
func HeadChanges() uint64 { return entriesChanged.Load() }

// headChange counts tx in entriesChanged once it commits.
func headChange(tx *sqldb.Tx) { tx.OnCommit(func() { entriesChanged.Add(1) }) }

// writeHead stores r as the metadata of the entry row and re-indexes it.
func writeHead(ctx context.Context, tx *sqldb.Tx, id int64, code string, version int, r Resource, now time.Time) error {
	headChange(tx)
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE catalog_entries SET code = $2, version = $3, name = $4, name_key = $5,
		abstract = $6, domain = $7, share_type = $8, share_methods = $9, update_frequency = $10, security_level = $11,
		open_attribute = $12, subject_kind = $13, data = $14, updated_at = $15 WHERE id = $1`,
		id, code, version, r.Name, NameKey(r.Name), r.Abstract, r.Domain, string(r.ShareType), methodBits(r.ShareMethods),
		string(r.UpdateFrequency), r.SecurityLevel, string(r.OpenAttribute), string(r.SubjectKind), string(data), now.UTC())
	if err != nil {
		if sqldb.IsUniqueViolationOf(err, keyCode) {
			return errs.E(errs.Conflict, "code_exists", "资源代码已存在："+code)
		}
		return fmt.Errorf("update catalog entry %d: %w", id, err)
	}
	return indexEntry(ctx, tx, id, r)
}

func insertVersion(ctx context.Context, tx *sqldb.Tx, id int64, n int, st Status, r Resource, by Actor, now time.Time) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO catalog_entry_versions (entry_id, version, state, data, created_at,
		created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $5)`, id, n, string(st), string(data), now.UTC(), by.Name)
	if sqldb.IsUniqueViolationOf(err, keyVersion) {
		return errs.E(errs.Conflict, "concurrent_update", "该数据资源正被他人修改，请刷新后重试")
	}
	if err != nil {
		return fmt.Errorf("insert catalog version: %w", err)
	}
	return nil
}

// Update replaces the metadata being compiled. Before the first approval it
// edits the draft (or rejected) version; once published, it edits the
// pending revision, opening a new version when there is none, while the
// published version stays in force. A submitted version cannot be edited.
// It returns what it saved, as Working shows it: for a published entry the
// revision (Version its number), status and PublishedVersion still the
// version in force. It locks the entry before reading it (lockEntry), so
// that a submission or retirement committed meanwhile is seen. An edit
// that gives the entry a new code (a new classification before the first
// approval) is audited under it, with old_code the one it replaces. An
// edit that changes nothing writes nothing (UpdateIfChanged).
func Update(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, r Resource, now time.Time) (Entry, error) {
	return UpdateIf(ctx, tx, by, id, nil, r, now)
}

// UpdateIf is Update of an edit that started from the metadata one of tags
// names (EditTag of the entry as the editor read it): when the entry has
// changed since (another edit saved, a revision opened, a version
// approved), the edit is refused with concurrent_update rather than
// overwriting what the editor never saw. Nil tags is Update, unconditional;
// an empty list matches nothing.
func UpdateIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, r Resource, now time.Time) (Entry, error) {
	e, _, err := UpdateIfChanged(ctx, tx, by, id, tags, r, now)
	return e, err
}

// UpdateIfChanged is UpdateIf reporting whether the edit changed anything.
// An edit whose metadata, normalised (Normalized: line breaks LF, share
// methods in vocabulary order, …), is what the entry's editable view holds
// — the draft or revision being compiled, else the version in force — also
// normalised (a text stored with CR LF before writes made it LF) and
// compared as Diff compares two versions, writes nothing: no version, no
// revision of a published entry, no audit row, no new tag. It returns the
// entry as Working shows it and changed false. The edit is validated and
// its tags checked first, so that an unchanged edit from a stale tag is
// still refused with concurrent_update. The console and the API both rely
// on it: it is the only check of an unchanged save.
func UpdateIfChanged(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, r Resource, now time.Time) (e Entry, changed bool, err error) {
	e, err = editable(ctx, tx, by, id, updateRefusal)
	if err != nil {
		return e, false, err
	}
	cur, found, err := validateUpdate(ctx, tx, e, r)
	if err != nil {
		return e, false, err
	}
	if len(found) > 0 {
		return e, false, found[0]
	}
	r.normalize()
	switch {
	case e.Status == Retired:
		return e, false, errs.E(errs.Conflict, "entry_retired", "数据资源已注销，不能修改")
	case e.WorkingStatus == Submitted:
		return e, false, errs.E(errs.Conflict, "entry_submitted", "数据资源已提交审核，审核完成前不能修改")
	}
	if err := checkTags(ctx, tx, e, tags, "该数据资源已被他人修改，请刷新后重新编辑"); err != nil {
		return e, false, err
	}
	if Diff(cur.Normalized(), r).Empty() {
		e, err = Working(ctx, tx, by, id)
		return e, false, err
	}
	e, err = update(ctx, tx, by, e, r, now)
	return e, err == nil, err
}

// updateRefusal is the refusal of an edit of another department's entry.
const updateRefusal = "只能修改本部门的数据资源目录"

// CheckUpdate refuses by an edit of entry id as UpdateIfChanged does
// before it looks at the edit: entry_not_found for an entry that does not
// exist or that by may not see, forbidden for another department's. The
// API checks it before it reads the edit, so that a caller who may not
// edit the entry is refused whatever it sends; UpdateIfChanged checks
// again.
func CheckUpdate(ctx context.Context, q sqldb.Querier, by Actor, id int64) error {
	_, err := mayEditEntry(ctx, q, by, id, updateRefusal)
	return err
}

// ValidateUpdate is ValidateEntry of r as UpdateIfChanged checks it as an
// edit of e, as Get reads it: the names r keeps from the version it edits
// (editedVersion) are not checked by text.NameProblem, and a licence's 次日
// is kept only from the version in force (validateKeepingIn). The errors
// are those the save refuses r for, the first the one it answers. The
// catalog import checks a changed row updating an entry so before storing
// it, so that a dry run answers what the save does.
func ValidateUpdate(ctx context.Context, q sqldb.Querier, e Entry, r Resource) ([]*errs.Error, error) {
	_, found, err := validateUpdate(ctx, q, e, r)
	return found, err
}

// validateUpdate is ValidateUpdate also returning the version r edits
// (editedVersion), which UpdateIfChanged compares it with: the names kept
// from it; a licence's 次日 only from the version in force, as Submit and
// Approve keep it (inForce).
func validateUpdate(ctx context.Context, q sqldb.Querier, e Entry, r Resource) (Resource, []*errs.Error, error) {
	cur, err := editedVersion(ctx, q, e)
	if err != nil {
		return cur, nil, err
	}
	return cur, validateKeepingIn(r, &cur, inForce(e)), nil
}

// editedVersion is the metadata an edit of e changes: the version being
// compiled or reviewed, or the version in force when there is none.
func editedVersion(ctx context.Context, q sqldb.Querier, e Entry) (Resource, error) {
	if e.WorkingVersion == 0 || e.WorkingVersion == e.Version {
		return e.Resource, nil
	}
	v, err := loadVersion(ctx, q, e.ID, e.WorkingVersion)
	return v.Resource, err
}

// update stores r, checked, as the metadata being compiled of e, locked
// and loaded (UpdateIfChanged), and audits it.
func update(ctx context.Context, tx *sqldb.Tx, by Actor, e Entry, r Resource, now time.Time) (Entry, error) {
	id := e.ID
	code, err := codeFor(ctx, tx, e, r)
	if err != nil {
		return e, err
	}
	n := e.WorkingVersion
	if n == 0 {
		if n, err = lastVersion(ctx, tx, id); err != nil {
			return e, err
		}
		n++
		if err := insertVersion(ctx, tx, id, n, Draft, r, by, now); err != nil {
			return e, err
		}
		// Only a published entry has no working version: n is its revision.
		if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET working_version = $2, revision_state = $3 WHERE id = $1`,
			id, n, string(Draft)); err != nil {
			return e, fmt.Errorf("open catalog version: %w", err)
		}
	} else if err := setVersionData(ctx, tx, id, n, r, now); err != nil {
		return e, err
	}
	if e.PublishedVersion == 0 {
		if err := writeHead(ctx, tx, id, code, n, r, now); err != nil {
			return e, err
		}
	}
	digest, err := contentDigest(ctx, tx, id, n)
	if err != nil {
		return e, err
	}
	kv := []string{"version", strconv.Itoa(n), "content_digest", digest, "name", r.Name}
	if code != e.Code {
		kv = append(kv, "old_code", e.Code)
		e.Code = code
	}
	if err := record(ctx, tx, by, "catalog.update", e, now, kv...); err != nil {
		return e, err
	}
	return Working(ctx, tx, by, id)
}

// EditTag returns the tag of the metadata e shows (Version: the version in
// force as Get reads it, the revision as Working does), which an edit, a
// submission or a review sent with it acts on only if it is the metadata it
// acts on (WorkingTag): an edit of a published entry under revision must
// start from the revision, not from the version in force Get shows beside
// it, else saving what was read back would overwrite the revision with the
// version in force (checkTags refuses it, telling to read the revision). It
// names the revision being compiled (0 when none), the version shown and a
// digest of its stored metadata, so that any saved change gives another tag,
// however close in time; an entry read without its revision (another
// department's view) gets the tag of the version in force. The console's
// forms and the API's ETag carry it.
func EditTag(ctx context.Context, q sqldb.Querier, e Entry) (string, error) {
	return versionTag(ctx, q, e, e.Version)
}

// WorkingTag returns the tag of the metadata an edit, a submission or a
// review of e acts on: the version being compiled or reviewed, or the
// version in force when there is none (an edit opens a revision). It is
// EditTag of the entry as Working reads it.
func WorkingTag(ctx context.Context, q sqldb.Querier, e Entry) (string, error) {
	n := e.WorkingVersion
	if n == 0 {
		n = e.Version
	}
	return versionTag(ctx, q, e, n)
}

// versionTag is the tag of version n of e: e's revision, n and the digest of
// n's stored metadata.
func versionTag(ctx context.Context, q sqldb.Querier, e Entry, n int) (string, error) {
	sum, err := contentDigest(ctx, q, e.ID, n)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d-%d-%s", e.WorkingVersion, n, sum), nil
}

// contentDigest is the digest of version n of entry id's stored metadata,
// as its tags and the audit rows of its edits and review steps
// (content_digest) name it: a version sent back and edited keeps its number,
// and the digest tells which content was submitted, reviewed or approved.
// A version no longer there (a revision discarded since the entry was read
// apart from its tag, outside a snapshot or the entry's lock) is the
// entry changed meanwhile: concurrent_update, not an internal error.
func contentDigest(ctx context.Context, q sqldb.Querier, id int64, n int) (string, error) {
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM catalog_entry_versions WHERE entry_id = $1 AND version = $2`,
		id, n).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", errs.E(errs.Conflict, "concurrent_update", "该数据资源已被他人修改，请刷新后重试")
	}
	if err != nil {
		return "", fmt.Errorf("digest of catalog entry %d version %d: %w", id, n, err)
	}
	sum := sha256.Sum256([]byte(data))
	return fmt.Sprintf("%x", sum[:12]), nil
}

// checkTags refuses, with concurrent_update and refusal, an action on e
// (locked and loaded) that started from metadata none of tags names: the
// metadata acted on (WorkingTag) changed since it was read, or what was read
// was the version in force beside a revision, which the action does not act
// on. Nil tags is no condition; an empty list matches nothing.
func checkTags(ctx context.Context, q sqldb.Querier, e Entry, tags []string, refusal string) error {
	if tags == nil {
		return nil
	}
	cur, err := WorkingTag(ctx, q, e)
	if err != nil {
		return err
	}
	if slices.Contains(tags, cur) {
		return nil
	}
	if e.WorkingVersion != 0 && e.PublishedVersion != 0 && e.WorkingVersion != e.PublishedVersion {
		inForce, err := versionTag(ctx, q, e, e.PublishedVersion)
		if err != nil {
			return err
		}
		if slices.Contains(tags, inForce) {
			return errs.E(errs.Conflict, "concurrent_update", fmt.Sprintf(
				"所依据的是现行版本（第%d版），而该数据资源有修订稿（第%d版，%s）：请读取修订稿（接口 view=working，控制台“修订稿”页）后再操作",
				e.PublishedVersion, e.WorkingVersion, e.WorkingStatus.Label()))
		}
	}
	return errs.E(errs.Conflict, "concurrent_update", refusal)
}

// codeFor returns the resource code of e after its classification becomes
// r's: unchanged when the classification code is, a new code for an entry
// never published, and an error for a published one (its code is registered).
func codeFor(ctx context.Context, tx *sqldb.Tx, e Entry, r Resource) (string, error) {
	if r.Classification.Code() == e.Classification.Code() {
		return e.Code, nil
	}
	if e.PublishedVersion > 0 {
		return "", errs.Field("classification", "classification_fixed",
			"已发布数据资源的分类（类、项、目、细目代码）不能变更，资源代码已对外登记；如需调整请注销后重新编目")
	}
	return nextCode(ctx, tx, r.Classification.Code())
}

func setVersionData(ctx context.Context, tx *sqldb.Tx, id int64, n int, r Resource, now time.Time) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE catalog_entry_versions SET data = $3, updated_at = $4
		WHERE entry_id = $1 AND version = $2`, id, n, string(data), now.UTC())
	if err != nil {
		return fmt.Errorf("update catalog version: %w", err)
	}
	return nil
}

// editable locks entry id (lockEntry, as every change of an entry does
// first) and loads it as by sees it (loadVisible), refusing with forbidden
// and refusal when by may not edit its department's entries.
func editable(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, refusal string) (Entry, error) {
	if err := lockEntry(ctx, tx, id); err != nil {
		return Entry{}, err
	}
	return mayEditEntry(ctx, tx, by, id, refusal)
}

// mayEditEntry loads entry id as by sees it (loadVisible), refusing with
// forbidden and refusal when by may not edit its department's entries.
func mayEditEntry(ctx context.Context, q sqldb.Querier, by Actor, id int64, refusal string) (Entry, error) {
	e, err := loadVisible(ctx, q, by, id)
	if err != nil {
		return e, err
	}
	if !by.mayEdit(e.DepartmentID) {
		return e, errs.E(errs.Forbidden, "forbidden", refusal)
	}
	return e, nil
}

// lastVersion is the last version number entry id has used: its last
// version's, or that of a revision discarded after it (DiscardRevision),
// which is not given again.
func lastVersion(ctx context.Context, q sqldb.Querier, id int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT MAX(n) FROM (
		SELECT COALESCE(MAX(version), 0) AS n FROM catalog_entry_versions WHERE entry_id = $1
		UNION ALL SELECT discarded_version FROM catalog_entries WHERE id = $1) AS v`, id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("last catalog version: %w", err)
	}
	return n, nil
}

const entryColumns = `e.id, e.code, e.department_id, d.name, e.status, e.version, e.published_version,
	e.working_version, COALESCE(v.state, ''), COALESCE(v.reject_reason, ''), e.data, e.created_at, e.updated_at,
	e.reviewed_at, e.published_at`

const entryFrom = ` FROM catalog_entries e JOIN departments d ON d.id = e.department_id
	LEFT JOIN catalog_entry_versions v ON v.entry_id = e.id AND v.version = e.working_version`

// scanEntry scans a row of entryColumns, then into more the columns a
// query selects after them.
func scanEntry(sc interface{ Scan(...any) error }, more ...any) (Entry, error) {
	var e Entry
	var data string
	var reviewed, published sql.NullTime
	err := sc.Scan(append([]any{&e.ID, &e.Code, &e.DepartmentID, &e.DepartmentName, &e.Status, &e.Version, &e.PublishedVersion,
		&e.WorkingVersion, &e.WorkingStatus, &e.RejectReason, &data, &e.CreatedAt, &e.UpdatedAt, &reviewed, &published}, more...)...)
	if err != nil {
		return e, err
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.ReviewedAt, e.PublishedAt = utcPtr(reviewed), utcPtr(published)
	return e, json.Unmarshal([]byte(data), &e.Resource)
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// lockEntry locks the row of entry id until the transaction ends, before
// the entry is read to be changed: on PostgreSQL (READ COMMITTED) a change
// that read it before another (a submission, a retirement) committed would
// otherwise go on with what it read once the other's row locks are released,
// editing a submitted version or opening a draft of a retired entry. On
// SQLite the transaction is the only writer already.
func lockEntry(ctx context.Context, tx *sqldb.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_entries SET id = id WHERE id = $1`, id); err != nil {
		return fmt.Errorf("lock catalog entry %d: %w", id, err)
	}
	return nil
}

// load reads an entry without permission checks or source pointers.
func load(ctx context.Context, q sqldb.Querier, id int64) (Entry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, `SELECT `+entryColumns+entryFrom+` WHERE e.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, errs.E(errs.NotFound, "entry_not_found", "数据资源不存在")
	}
	if err != nil {
		return e, fmt.Errorf("load catalog entry %d: %w", id, err)
	}
	return e, nil
}

// Get returns an entry as by may see it: published and retired entries
// for everyone, others only for their department and the operator. The
// metadata is the version in force (or the draft before the first
// approval); items whose one source is another entry point to it.
func Get(ctx context.Context, q sqldb.Querier, by Actor, id int64) (Entry, error) {
	e, err := load(ctx, q, id)
	if err != nil {
		return e, err
	}
	return e, present(ctx, q, by, &e, time.Now())
}

// Listed returns the entries ids, a page of a list as Search gave it, in
// that order, read in one query: each as Get returns it, or for an id
// revisions holds as Working does (the revision's version and metadata,
// for the entry's department and the reviewers alone), without what Get
// adds for an entry's own page: the retirement request, ReviewDue and the
// items' source pointers (Item.Source). The catalog export reads its
// pages so, where Get for each entry of 100,000 took its own queries. An
// id of no entry by may see is not found, as Get answers.
func Listed(ctx context.Context, q sqldb.Querier, by Actor, ids []int64, revisions map[int64]bool) ([]Entry, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var args []any
	rows, err := q.QueryContext(ctx, `SELECT `+entryColumns+`, v.version, COALESCE(v.data, '')`+entryFrom+
		` WHERE e.id IN `+sqldb.In(q, &args, ids, 0), args...)
	if err != nil {
		return nil, fmt.Errorf("load catalog entries: %w", err)
	}
	defer rows.Close()
	type listed struct {
		e       Entry
		version sql.NullInt64
		data    string
	}
	found := make(map[int64]*listed, len(ids))
	for rows.Next() {
		l := &listed{}
		var err error
		if l.e, err = scanEntry(rows, &l.version, &l.data); err != nil {
			return nil, fmt.Errorf("load catalog entry %d: %w", l.e.ID, err)
		}
		found[l.e.ID] = l
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load catalog entries: %w", err)
	}
	out := make([]Entry, len(ids))
	for i, id := range ids {
		l := found[id]
		if l == nil || !by.Sees(l.e.Status, l.e.DepartmentID) {
			return nil, errs.E(errs.NotFound, "entry_not_found", "数据资源不存在")
		}
		e := l.e
		switch {
		case !by.mayRead(e.DepartmentID):
			if revisions[id] {
				return nil, errs.E(errs.Forbidden, "forbidden", "只能查看本部门数据资源的修订稿")
			}
			e.WorkingVersion, e.WorkingStatus, e.RejectReason = 0, "", ""
		case revisions[id] && e.WorkingVersion != 0 && e.WorkingVersion != e.Version && l.version.Valid:
			e.Version, e.Resource = int(l.version.Int64), Resource{}
			if err := json.Unmarshal([]byte(l.data), &e.Resource); err != nil {
				return nil, fmt.Errorf("catalog entry %d version %d: %w", id, e.Version, err)
			}
		case revisions[id] && e.WorkingVersion != 0 && e.WorkingVersion != e.Version:
			return nil, errs.E(errs.NotFound, "version_not_found", fmt.Sprintf("版本 %d 不存在", e.WorkingVersion))
		}
		out[i] = e
	}
	return out, nil
}

// ByCode is Get by resource code. A code of an entry by may not see
// (Get's entry_not_found: another department's draft) is answered as a
// code of no entry, in the same words, so that it is not told to exist.
func ByCode(ctx context.Context, q sqldb.Querier, by Actor, code string) (Entry, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM catalog_entries WHERE code = $1`, code).Scan(&id)
	if err == nil {
		e, err := Get(ctx, q, by, id)
		if !errs.Is(err, errs.NotFound) {
			return e, err
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return Entry{}, fmt.Errorf("catalog entry %s: %w", code, err)
	}
	return Entry{}, errs.E(errs.NotFound, "entry_not_found", "资源代码不存在："+code)
}

// Sees reports whether a may see an entry of the status and department
// at all: a published or retired entry everyone, another (a draft, one
// under review or sent back) only its department and the reviewers. An
// entry a may not see is answered as none (entry_not_found), here as by
// the records routes (records.ForRead), so that it is not told to exist.
func (a Actor) Sees(status Status, departmentID int64) bool {
	return status == Published || status == Retired || a.mayRead(departmentID)
}

// loadVisible is load for a change by by: an entry by may not see (a draft
// of another department) is not found, as Get answers, so that the refusal
// of a change does not tell that it exists.
func loadVisible(ctx context.Context, q sqldb.Querier, by Actor, id int64) (Entry, error) {
	e, err := load(ctx, q, id)
	if err == nil && !by.Sees(e.Status, e.DepartmentID) {
		return Entry{}, errs.E(errs.NotFound, "entry_not_found", "数据资源不存在")
	}
	return e, err
}

// present checks that by may see e, hides the pending revision from other
// departments, and fills the review flag, the retirement request (for the
// department and the reviewers) and source pointers.
func present(ctx context.Context, q sqldb.Querier, by Actor, e *Entry, now time.Time) error {
	if !by.Sees(e.Status, e.DepartmentID) {
		return errs.E(errs.NotFound, "entry_not_found", "数据资源不存在")
	}
	if !by.mayRead(e.DepartmentID) {
		e.WorkingVersion, e.WorkingStatus, e.RejectReason = 0, "", ""
	} else if e.Status == Published {
		req, err := loadRetireRequest(ctx, q, e.ID)
		if err != nil {
			return err
		}
		if req.State != "" {
			e.RetireRequest = &req
		}
	}
	e.ReviewDue = ReviewDue(*e, now)
	return pointSources(ctx, q, e)
}

// ReviewDue reports whether e is due for its yearly review at now (the
// review_due flag): published and last reviewed before ReviewCutoff(now),
// so that now is at or after its ReviewDueFrom (the day after the same
// date next year, by the Beijing calendar). Get fills Entry.ReviewDue by
// the real clock; the API and the console fill it again with ReviewDue at
// their configured clock, the one ConfirmDue and their searches judge by.
func ReviewDue(e Entry, now time.Time) bool {
	return e.Status == Published && e.ReviewedAt != nil && e.ReviewedAt.Before(ReviewCutoff(now))
}

// Working returns the metadata of the version being compiled or reviewed
// (what the edit form shows), or the published one when there is no
// revision. Only the entry's department and the operator may see it.
func Working(ctx context.Context, q sqldb.Querier, by Actor, id int64) (Entry, error) {
	e, err := Get(ctx, q, by, id)
	if err != nil {
		return e, err
	}
	if !by.mayRead(e.DepartmentID) {
		return e, errs.E(errs.Forbidden, "forbidden", "只能查看本部门数据资源的修订稿")
	}
	if e.WorkingVersion == 0 || e.WorkingVersion == e.Version {
		return e, nil
	}
	v, err := loadVersion(ctx, q, id, e.WorkingVersion)
	if err != nil {
		return e, err
	}
	e.Version, e.Resource = v.Version, v.Resource
	return e, pointSources(ctx, q, &e)
}

// Version is one kept version of an entry.
type Version struct {
	Version      int        `json:"version"`
	State        Status     `json:"state"`
	Resource     Resource   `json:"resource"`
	RejectReason string     `json:"reject_reason,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	CreatedBy    string     `json:"created_by"`
	UpdatedAt    time.Time  `json:"updated_at"`
	SubmittedAt  *time.Time `json:"submitted_at,omitempty"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty"`
	ReviewedBy   string     `json:"reviewed_by,omitempty"`
}

const versionColumns = `version, state, data, reject_reason, created_at, created_by, updated_at, submitted_at, reviewed_at, reviewed_by`

func scanVersion(sc interface{ Scan(...any) error }) (Version, error) {
	var v Version
	var data string
	var submitted, reviewed sql.NullTime
	if err := sc.Scan(&v.Version, &v.State, &data, &v.RejectReason, &v.CreatedAt, &v.CreatedBy, &v.UpdatedAt,
		&submitted, &reviewed, &v.ReviewedBy); err != nil {
		return v, err
	}
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	v.SubmittedAt, v.ReviewedAt = utcPtr(submitted), utcPtr(reviewed)
	return v, json.Unmarshal([]byte(data), &v.Resource)
}

func loadVersion(ctx context.Context, q sqldb.Querier, id int64, n int) (Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM catalog_entry_versions
		WHERE entry_id = $1 AND version = $2`, id, n))
	if errors.Is(err, sql.ErrNoRows) {
		return v, errs.E(errs.NotFound, "version_not_found", fmt.Sprintf("版本 %d 不存在", n))
	}
	if err != nil {
		return v, fmt.Errorf("catalog entry %d version %d: %w", id, n, err)
	}
	return v, nil
}

// Versions lists every version of an entry, oldest first. Other
// departments see only published, superseded and retired versions up to
// the last one published: not a revision retired with its entry before
// it was published.
func Versions(ctx context.Context, q sqldb.Querier, by Actor, id int64) ([]Version, error) {
	e, err := Get(ctx, q, by, id)
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT `+versionColumns+` FROM catalog_entry_versions
		WHERE entry_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("catalog versions %d: %w", id, err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("catalog versions %d: %w", id, err)
		}
		if by.mayRead(e.DepartmentID) || v.Version <= e.PublishedVersion &&
			(v.State == Published || v.State == Superseded || v.State == Retired) {
			out = append(out, v)
		}
	}
	return out, rows.Err()
}

// GetVersion returns one version, subject to the visibility of Versions.
func GetVersion(ctx context.Context, q sqldb.Querier, by Actor, id int64, n int) (Version, error) {
	vs, err := Versions(ctx, q, by, id)
	if err != nil {
		return Version{}, err
	}
	for _, v := range vs {
		if v.Version == n {
			return v, nil
		}
	}
	return Version{}, errs.E(errs.NotFound, "version_not_found", fmt.Sprintf("版本 %d 不存在", n))
}

func record(ctx context.Context, tx *sqldb.Tx, by Actor, action string, e Entry, now time.Time, kv ...string) error {
	return audit.Record(ctx, tx, event(by, action, e, kv...), now)
}

// event is the audit row of by's action on e: its code, then kv.
func event(by Actor, action string, e Entry, kv ...string) audit.Event {
	return audit.Event{Actor: by.Actor, Action: action, ObjectType: "catalog_entry",
		ObjectID: strconv.FormatInt(e.ID, 10), Detail: audit.Detail(append([]string{"code", e.Code}, kv...)...)}
}

func jsonUnmarshal(data string, v any) error {
	if err := json.Unmarshal([]byte(data), v); err != nil {
		return fmt.Errorf("decode catalog metadata: %w", err)
	}
	return nil
}
