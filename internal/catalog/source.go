package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// Conflict is a data item of a submitted version that other departments'
// published entries (or the item's recorded one source) also provide for
// the same kind of subject. The reviewer names the authoritative entry
// before approving, or decides that the items only share a name and are
// not the same data item (Distinct: 不是同一数据项); when the item already
// has a one source, the conflict starts decided in its favour and the
// reviewer may change that.
type Conflict struct {
	ID                   int64       `json:"id"`
	EntryID              int64       `json:"entry_id"`
	Version              int         `json:"version"`
	SubjectKind          SubjectKind `json:"subject_kind"`
	ItemKey              string      `json:"item_key"`
	ItemName             string      `json:"item_name"`
	Candidates           []SourceRef `json:"candidates"`
	AuthoritativeEntryID int64       `json:"authoritative_entry_id,omitempty"` // 0 while undecided or when Distinct
	Distinct             bool        `json:"distinct,omitempty"`               // decided: not the same data item as the candidates'
	DecidedBy            string      `json:"decided_by,omitempty"`
	DecidedAt            *time.Time  `json:"decided_at,omitempty"`
	// distinctFrom holds the candidates a reviewer decided the item distinct
	// from (distinct_from): the decision holds while every candidate is one
	// of them, and none of them is taken as the system's decision.
	distinctFrom []int64
}

// Decided reports whether the reviewer (or an existing one source) has
// named the authoritative entry, or the reviewer has decided the items are
// distinct.
func (c Conflict) Decided() bool { return c.AuthoritativeEntryID != 0 || c.Distinct }

// indexItems records the comparable names of r's non-identifying items.
func indexItems(ctx context.Context, tx *sqldb.Tx, id int64, r Resource) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_item_keys WHERE entry_id = $1`, id); err != nil {
		return fmt.Errorf("clear item keys: %w", err)
	}
	for _, k := range itemKeys(r) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_item_keys (subject_kind, item_key, entry_id, item_name)
			VALUES ($1, $2, $3, $4)`, string(r.SubjectKind), k.key, id, k.name); err != nil {
			return fmt.Errorf("index item keys: %w", err)
		}
	}
	return nil
}

// kindKeys returns the item keys of r, each after its subject kind and
// "/": r's rows of catalog_item_keys, as the one-source rule compares them.
func kindKeys(r Resource) []string {
	var out []string
	for _, k := range itemKeys(r) {
		out = append(out, string(r.SubjectKind)+"/"+k.key)
	}
	return out
}

// keyedItem is the item key and name of a row of catalog_item_keys.
type keyedItem struct{ key, name string }

// itemKeys returns the item keys of r's non-identifying items, each with
// the name of its first item, or none when r is about no subject.
func itemKeys(r Resource) []keyedItem {
	if r.SubjectKind == NoSubject {
		return nil
	}
	var out []keyedItem
	seen := map[string]bool{}
	for _, it := range r.Items {
		k := ItemKey(it.Name)
		if it.IdentifiesSubject || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, keyedItem{k, it.Name})
	}
	return out
}

// systemDecider is decided_by of a conflict decided by the item's existing
// one source rather than by a reviewer.
const systemDecider = "system"

// lockSources serialises the work on one-data-one-source: submissions,
// reviews (approvals, rejections, decisions), retirements and registration
// imports take it before reading the catalog. Without it two approvals on
// PostgreSQL (READ COMMITTED, several servers) would each detect conflicts
// before the other had committed, and both publish the same items without a
// decision. It is an update of the one row of catalog_source_lock, held
// until the transaction ends; on SQLite the transaction is the only writer
// already. The first to take it after migration 0013 brings the conflicts
// of every submitted version up to date, once: versions submitted before
// publications refreshed them may miss some.
func lockSources(ctx context.Context, tx *sqldb.Tx, now time.Time) error {
	if err := lockSourceRow(ctx, tx); err != nil {
		return err
	}
	var pending bool
	if err := tx.QueryRowContext(ctx, `SELECT refresh_pending FROM catalog_source_lock WHERE id = 1`).Scan(&pending); err != nil {
		return fmt.Errorf("lock catalog sources: %w", err)
	}
	if !pending {
		return nil
	}
	if err := redetect(ctx, tx, 0, now, nil); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET refresh_pending = FALSE WHERE id = 1`); err != nil {
		return fmt.Errorf("refresh source conflicts: %w", err)
	}
	return nil
}

// lockSourceRow takes the lock of lockSources, the one row of
// catalog_source_lock, without bringing the conflicts up to date
// (RekeyItems, which marks them to be).
func lockSourceRow(ctx context.Context, tx *sqldb.Tx) error {
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_lock SET id = 1 WHERE id = 1`); err != nil {
		return fmt.Errorf("lock catalog sources: %w", err)
	}
	return nil
}

// Recheck brings the source conflicts of the version under review up to
// date and stores them. Approve does the same before it applies the
// decisions, but its refusal rolls the new conflicts back with it: callers
// run Recheck in a transaction of its own before Approve, so that the
// reviewer sees (Conflicts) what an approval is refused for.
func Recheck(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, now time.Time) error {
	e, err := reviewable(ctx, tx, by, id, now)
	if err != nil {
		return err
	}
	v, err := loadVersion(ctx, tx, id, e.WorkingVersion)
	if err != nil {
		return err
	}
	_, err = detectConflicts(ctx, tx, e, v.Resource, now)
	return err
}

// RecheckIf is Recheck unless tags (an If-Match, a console form's tag)
// are given and none names the metadata under review (WorkingTag): the
// approval it precedes is then refused for them (ApproveIf), with nothing
// written, and nothing is rechecked for it.
func RecheckIf(ctx context.Context, tx *sqldb.Tx, by Actor, id int64, tags []string, now time.Time) error {
	if tags != nil {
		e, err := Get(ctx, tx, by, id)
		if err != nil {
			return err
		}
		cur, err := WorkingTag(ctx, tx, e)
		if err != nil || !slices.Contains(tags, cur) {
			return err
		}
	}
	return Recheck(ctx, tx, by, id, now)
}

// detectConflicts brings the source conflicts of e's working version up to
// date with r and the catalog as it is now, and returns how many there are.
// It runs on submit, again on approval, and for every submitted version
// whose items an entry's publication or retirement touches (refreshPending).
// A conflict that stays keeps its id and its reviewer's decision while that
// still names e or one of the item's candidates, or is distinct and the item
// has no candidate the reviewer did not decide against; a decision that no
// longer does, or one the system took for an existing one source, is taken
// afresh, but for a distinct one, which leaves the conflict undecided.
// Conflicts of items no longer shared are dropped.
func detectConflicts(ctx context.Context, tx *sqldb.Tx, e Entry, r Resource, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+conflictColumns+` FROM catalog_source_conflicts
		WHERE entry_id = $1 AND version = $2`, e.ID, e.WorkingVersion)
	if err != nil {
		return 0, fmt.Errorf("source conflicts: %w", err)
	}
	old := map[string]Conflict{}
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			rows.Close()
			return 0, fmt.Errorf("source conflicts: %w", err)
		}
		old[c.ItemKey] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("source conflicts: %w", err)
	}
	n := 0
	for _, k := range itemKeys(r) {
		c, found, err := itemConflict(ctx, tx, e, r.SubjectKind, k)
		if err != nil {
			return n, err
		}
		if !found {
			continue
		}
		n++
		prev, ok := old[k.key]
		delete(old, k.key)
		c.distinctFrom = prev.distinctFrom
		switch {
		case ok && prev.Decided() && prev.DecidedBy != systemDecider &&
			(prev.Distinct && c.decidedAgainstAll() || !prev.Distinct && c.mayChoose(prev.AuthoritativeEntryID)):
			c.AuthoritativeEntryID, c.Distinct = prev.AuthoritativeEntryID, prev.Distinct
			c.DecidedBy, c.DecidedAt = prev.DecidedBy, prev.DecidedAt
		case c.DecidedBy == systemDecider && slices.Contains(c.distinctFrom, c.AuthoritativeEntryID):
			// A one source the reviewer decided the item distinct from is no
			// decision: the conflict is open again.
			c.AuthoritativeEntryID, c.DecidedBy = 0, ""
		}
		if err := saveConflict(ctx, tx, c, prev.ID, now); err != nil {
			return n, err
		}
	}
	for _, c := range old {
		if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_source_conflicts WHERE id = $1`, c.ID); err != nil {
			return n, fmt.Errorf("drop source conflict: %w", err)
		}
	}
	return n, nil
}

// itemConflict returns the conflict of one item of e's working version when
// other departments' published entries, or a recorded one source other than
// e, provide it: decided for that one source when there is one. Entries
// separated from e for the item (catalog_distinct_items) are not candidates,
// nor is their one source a decision.
func itemConflict(ctx context.Context, tx *sqldb.Tx, e Entry, kind SubjectKind, k keyedItem) (Conflict, bool, error) {
	c := Conflict{EntryID: e.ID, Version: e.WorkingVersion, SubjectKind: kind, ItemKey: k.key, ItemName: k.name}
	cands, err := sourceRefs(ctx, tx, `SELECT `+refColumns+` FROM catalog_item_keys k
		JOIN catalog_entries e ON e.id = k.entry_id JOIN departments d ON d.id = e.department_id
		WHERE k.subject_kind = $1 AND k.item_key = $2 AND e.status = 'published' AND e.department_id <> $3
		AND NOT `+separated+`
		UNION SELECT `+refColumns+` FROM catalog_authoritative_items k
		JOIN catalog_entries e ON e.id = k.entry_id JOIN departments d ON d.id = e.department_id
		WHERE k.subject_kind = $1 AND k.item_key = $2 AND e.id <> $4 AND NOT `+separated+`
		ORDER BY 1`, string(kind), k.key, e.DepartmentID, e.ID)
	if err != nil || len(cands) == 0 {
		return c, false, err
	}
	var authority sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT entry_id FROM catalog_authoritative_items WHERE subject_kind = $1 AND item_key = $2`,
		string(kind), k.key).Scan(&authority)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return c, false, fmt.Errorf("authoritative item: %w", err)
	}
	if authority.Int64 == e.ID {
		return c, false, nil
	}
	c.Candidates = cands
	if authority.Valid && c.mayChoose(authority.Int64) {
		c.AuthoritativeEntryID, c.DecidedBy = authority.Int64, systemDecider
	}
	return c, true, nil
}

// mayChoose reports whether id may be the authoritative entry of c: its
// own entry or one of its candidates.
func (c Conflict) mayChoose(id int64) bool {
	ok := id == c.EntryID
	for _, cand := range c.Candidates {
		ok = ok || cand.EntryID == id
	}
	return ok
}

// decidedAgainstAll reports whether every candidate of c is one a reviewer
// decided the item distinct from: a distinct decision holds only then, a
// candidate that came since being one no reviewer looked at.
func (c Conflict) decidedAgainstAll() bool {
	for _, cand := range c.Candidates {
		if !slices.Contains(c.distinctFrom, cand.EntryID) {
			return false
		}
	}
	return true
}

// saveConflict stores c, as a new row when id is 0 and over row id
// otherwise. A decision without a time is taken now.
func saveConflict(ctx context.Context, tx *sqldb.Tx, c Conflict, id int64, now time.Time) error {
	data, err := json.Marshal(c.Candidates)
	if err != nil {
		return err
	}
	from, err := json.Marshal(append([]int64{}, c.distinctFrom...))
	if err != nil {
		return err
	}
	var decidedAt any
	switch {
	case c.DecidedAt != nil:
		decidedAt = c.DecidedAt.UTC()
	case c.Decided():
		decidedAt = now.UTC()
	}
	if id == 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO catalog_source_conflicts (entry_id, version, subject_kind, item_key,
			item_name, candidates, authoritative_entry_id, is_distinct, distinct_from, decided_by, decided_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, c.EntryID, c.Version, string(c.SubjectKind), c.ItemKey,
			c.ItemName, string(data), nullID(c.AuthoritativeEntryID), c.Distinct, string(from), c.DecidedBy, decidedAt, now.UTC())
		if sqldb.IsUniqueViolationOf(err, keyConflict) { // lockSources makes this impossible; a clean refusal if it happens
			return errs.E(errs.Conflict, "concurrent_update", "该数据资源的一数一源冲突正被他人更新，请刷新后重试")
		}
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE catalog_source_conflicts SET subject_kind = $2, item_name = $3,
			candidates = $4, authoritative_entry_id = $5, is_distinct = $6, distinct_from = $7, decided_by = $8,
			decided_at = $9 WHERE id = $1`, id, string(c.SubjectKind), c.ItemName, string(data), nullID(c.AuthoritativeEntryID),
			c.Distinct, string(from), c.DecidedBy, decidedAt)
	}
	if err != nil {
		return fmt.Errorf("store source conflict: %w", err)
	}
	return nil
}

// pruneSources ends the entry's one-source role for the items r no longer
// has as non-identifying items of its subject kind, and returns their names.
func pruneSources(ctx context.Context, tx *sqldb.Tx, id int64, r Resource) ([]string, error) {
	keep := map[string]bool{}
	for _, k := range kindKeys(r) {
		keep[k] = true
	}
	rows, err := tx.QueryContext(ctx, `SELECT subject_kind, item_key, item_name FROM catalog_authoritative_items
		WHERE entry_id = $1 ORDER BY item_key`, id)
	if err != nil {
		return nil, fmt.Errorf("authoritative items: %w", err)
	}
	var gone []keyedItem
	var kinds []string
	for rows.Next() {
		var kind string
		var k keyedItem
		if err := rows.Scan(&kind, &k.key, &k.name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("authoritative items: %w", err)
		}
		if !keep[kind+"/"+k.key] {
			gone, kinds = append(gone, k), append(kinds, kind)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("authoritative items: %w", err)
	}
	names := make([]string, len(gone))
	for i, k := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_authoritative_items WHERE subject_kind = $1 AND item_key = $2`,
			kinds[i], k.key); err != nil {
			return nil, fmt.Errorf("drop authoritative item: %w", err)
		}
		names[i] = k.name
	}
	return names, nil
}

// refreshPending brings up to date the conflicts of every other entry's
// submitted version that shares an item with one of rs (as keys of
// catalog_item_keys): what an entry's publication or retirement changes for
// the reviews under way. Approve checks its own version's conflicts again
// too, but a refusal there rolls back; here the new conflicts are stored
// with the publication, for the reviewer to decide.
func refreshPending(ctx context.Context, tx *sqldb.Tx, id int64, now time.Time, rs ...Resource) error {
	touched := map[string]bool{}
	for _, r := range rs {
		for _, k := range kindKeys(r) {
			touched[k] = true
		}
	}
	if len(touched) == 0 {
		return nil
	}
	return redetect(ctx, tx, id, now, touched)
}

// redetect detects again the conflicts of the submitted versions but entry
// except's that have one of keys (kindKeys): only those are read, found by
// their rows of catalog_review_item_keys (pendingSharing matches the keys,
// nothing here checks them again), which the work grows with rather than
// with the platform's review queue. Nil keys is every submitted version,
// whose rows of catalog_review_item_keys are written anew.
func redetect(ctx context.Context, tx *sqldb.Tx, except int64, now time.Time, keys map[string]bool) error {
	ids, err := pendingSharing(ctx, tx, except, keys)
	if err != nil {
		return err
	}
	for _, id := range ids {
		e, err := load(ctx, tx, id)
		if err != nil {
			return err
		}
		v, err := loadVersion(ctx, tx, id, e.WorkingVersion)
		if err != nil {
			return err
		}
		if keys == nil {
			if err := indexReview(ctx, tx, id, e.WorkingVersion, v.Resource); err != nil {
				return err
			}
		}
		if _, err := detectConflicts(ctx, tx, e, v.Resource, now); err != nil {
			return err
		}
	}
	return nil
}

// pendingSharing returns, in order, the ids of the entries but except
// whose submitted version has one of keys (kindKeys) in
// catalog_review_item_keys, or has any version submitted when keys is nil.
func pendingSharing(ctx context.Context, tx *sqldb.Tx, except int64, keys map[string]bool) ([]int64, error) {
	if keys == nil {
		ids, err := sqldb.IDs(ctx, tx, `SELECT entry_id FROM catalog_entry_versions WHERE state = 'submitted' AND entry_id <> $1
			ORDER BY entry_id`, except)
		if err != nil {
			return nil, fmt.Errorf("submitted catalog versions: %w", err)
		}
		return ids, nil
	}
	set := map[int64]bool{}
	for k := range keys {
		kind, key, _ := strings.Cut(k, "/")
		ids, err := sqldb.IDs(ctx, tx, `SELECT k.entry_id FROM catalog_review_item_keys k
			JOIN catalog_entry_versions v ON v.entry_id = k.entry_id AND v.version = k.version
			WHERE k.subject_kind = $1 AND k.item_key = $2 AND k.entry_id <> $3 AND v.state = 'submitted'`, kind, key, except)
		if err != nil {
			return nil, fmt.Errorf("submitted catalog versions: %w", err)
		}
		for _, id := range ids {
			set[id] = true
		}
	}
	return slices.Sorted(maps.Keys(set)), nil
}

// indexReview records the item keys of r, version n of entry id submitted
// for review, in catalog_review_item_keys (redetect finds the version by
// them), in place of the entry's earlier rows.
func indexReview(ctx context.Context, tx *sqldb.Tx, id int64, n int, r Resource) error {
	if err := unindexReview(ctx, tx, id); err != nil {
		return err
	}
	for _, k := range itemKeys(r) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_review_item_keys (subject_kind, item_key, entry_id, version, item_name)
			VALUES ($1, $2, $3, $4, $5)`, string(r.SubjectKind), k.key, id, n, k.name); err != nil {
			return fmt.Errorf("index review item keys: %w", err)
		}
	}
	return nil
}

// unindexReview drops the rows of catalog_review_item_keys of entry id,
// whose version leaves review.
func unindexReview(ctx context.Context, tx *sqldb.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM catalog_review_item_keys WHERE entry_id = $1`, id); err != nil {
		return fmt.Errorf("clear review item keys: %w", err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

const refColumns = `e.id, e.code, e.name, k.item_name, e.department_id, d.name`

func sourceRefs(ctx context.Context, q sqldb.Querier, query string, args ...any) ([]SourceRef, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("source refs: %w", err)
	}
	defer rows.Close()
	var out []SourceRef
	for rows.Next() {
		var s SourceRef
		if err := rows.Scan(&s.EntryID, &s.Code, &s.EntryName, &s.ItemName, &s.DepartmentID, &s.DepartmentName); err != nil {
			return nil, fmt.Errorf("source refs: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

const conflictColumns = `id, entry_id, version, subject_kind, item_key, item_name, candidates,
	COALESCE(authoritative_entry_id, 0), is_distinct, distinct_from, decided_by, decided_at`

// separated is a condition on the entry e of a candidate for item key $2
// of subject kind $1: a reviewer separated it from entry $4 for that item,
// which is then not the same data item.
var separated = Separated("$1", "$2", "e.id", "$4")

// Separated is the SQL condition that a reviewer separated the entries of
// the expressions a and b (in either order) for the item key of subject
// kind kind (catalog_distinct_items: 不是同一数据项), the one test of a
// separated pair for the catalog and the cross-check.
func Separated(kind, key, a, b string) string {
	return `EXISTS (SELECT 1 FROM catalog_distinct_items x WHERE x.subject_kind = ` + kind + ` AND x.item_key = ` + key +
		` AND ` + separatedPair("x", a, b) + `)`
}

// separatedPair is the condition that the row x of catalog_distinct_items
// separates the entries of the expressions a and b, in either order.
func separatedPair(x, a, b string) string {
	return fmt.Sprintf(`((%[1]s.entry_a = %[2]s AND %[1]s.entry_b = %[3]s) OR (%[1]s.entry_a = %[3]s AND %[1]s.entry_b = %[2]s))`, x, a, b)
}

// SeparatedItems lists the item keys of subject kind kind for which a
// reviewer separated the entries a and b (Separated): for the
// cross-check, which does not compare them. q may be the caller's
// transaction.
func SeparatedItems(ctx context.Context, q sqldb.Querier, kind string, a, b int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT x.item_key FROM catalog_distinct_items x WHERE x.subject_kind = $1 AND `+
		separatedPair("x", "$2", "$3"), kind, a, b)
	if err != nil {
		return nil, fmt.Errorf("separated items: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var key string
		if err := rows.Scan(&key); err != nil {
			return nil, fmt.Errorf("separated items: %w", err)
		}
		keys = append(keys, key)
	}
	return keys, rows.Err()
}

func scanConflict(sc interface{ Scan(...any) error }) (Conflict, error) {
	var c Conflict
	var cands, from string
	var at sql.NullTime
	err := sc.Scan(&c.ID, &c.EntryID, &c.Version, &c.SubjectKind, &c.ItemKey, &c.ItemName, &cands,
		&c.AuthoritativeEntryID, &c.Distinct, &from, &c.DecidedBy, &at)
	if err != nil {
		return c, err
	}
	c.DecidedAt = utcPtr(at)
	if err := json.Unmarshal([]byte(from), &c.distinctFrom); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(cands), &c.Candidates)
}

// Conflicts lists the source conflicts of an entry's version under review
// (or, when none is, of its version in force), for its department and the
// operator.
func Conflicts(ctx context.Context, q sqldb.Querier, by Actor, id int64) ([]Conflict, error) {
	e, err := Get(ctx, q, by, id)
	if err != nil {
		return nil, err
	}
	if !by.mayRead(e.DepartmentID) {
		return nil, errs.E(errs.Forbidden, "forbidden", "只能查看本部门数据资源的一数一源冲突")
	}
	n := e.WorkingVersion
	if n == 0 {
		n = e.Version
	}
	rows, err := q.QueryContext(ctx, `SELECT `+conflictColumns+` FROM catalog_source_conflicts
		WHERE entry_id = $1 AND version = $2 ORDER BY id`, id, n)
	if err != nil {
		return nil, fmt.Errorf("source conflicts: %w", err)
	}
	defer rows.Close()
	out := []Conflict{}
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			return nil, fmt.Errorf("source conflicts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Decide records the reviewer's choice of the authoritative entry for one
// conflict of a submitted version: the submitted entry itself or one of the
// candidates. It takes effect when the version is approved.
func Decide(ctx context.Context, tx *sqldb.Tx, by Actor, id, conflictID, authoritativeID int64, now time.Time) (Conflict, error) {
	return decide(ctx, tx, by, id, conflictID, authoritativeID, false, now)
}

// DecideDistinct records the reviewer's decision that the item of one
// conflict of a submitted version is not the same data item as the
// candidates' (不是同一数据项): items that only share a name, such as the
// 登记日期 of a marriage and of a job registration. On approval the entry is
// separated from each candidate for the item (catalog_distinct_items):
// neither is the other's one source and the cross-check does not compare
// them.
func DecideDistinct(ctx context.Context, tx *sqldb.Tx, by Actor, id, conflictID int64, now time.Time) (Conflict, error) {
	return decide(ctx, tx, by, id, conflictID, 0, true, now)
}

// decide is Decide, or DecideDistinct when distinct is set.
func decide(ctx context.Context, tx *sqldb.Tx, by Actor, id, conflictID, authoritativeID int64, distinct bool, now time.Time) (Conflict, error) {
	e, err := reviewable(ctx, tx, by, id, now)
	if err != nil {
		return Conflict{}, err
	}
	c, err := scanConflict(tx.QueryRowContext(ctx, `SELECT `+conflictColumns+` FROM catalog_source_conflicts
		WHERE id = $1 AND entry_id = $2 AND version = $3`, conflictID, id, e.WorkingVersion))
	if errors.Is(err, sql.ErrNoRows) {
		return c, errs.E(errs.NotFound, "conflict_not_found", "该一数一源冲突不存在或不属于待审核版本")
	}
	if err != nil {
		return c, fmt.Errorf("source conflict %d: %w", conflictID, err)
	}
	if !distinct && !c.mayChoose(authoritativeID) {
		return c, errs.Field("authoritative_entry_id", "invalid_source",
			"权威数源只能是提交审核的数据资源或冲突列出的候选资源之一")
	}
	from := []int64{}
	if distinct {
		for _, cand := range c.Candidates {
			from = append(from, cand.EntryID)
		}
	}
	fromJSON, err := json.Marshal(from)
	if err != nil {
		return c, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_source_conflicts SET authoritative_entry_id = $2, is_distinct = $3,
		distinct_from = $4, decided_by = $5, decided_at = $6 WHERE id = $1`, conflictID, nullID(authoritativeID), distinct,
		string(fromJSON), by.Name, now.UTC()); err != nil {
		return c, fmt.Errorf("decide source conflict: %w", err)
	}
	c.AuthoritativeEntryID, c.Distinct, c.DecidedBy, c.distinctFrom = authoritativeID, distinct, by.Name, from
	t := now.UTC()
	c.DecidedAt = &t
	detail := audit.Detail("item", c.ItemName, "authoritative_entry_id", strconv.FormatInt(authoritativeID, 10))
	if distinct {
		detail = audit.Detail("item", c.ItemName, "decision", "不是同一数据项")
	}
	err = audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "catalog.source.decide", ObjectType: "catalog_entry",
		ObjectID: strconv.FormatInt(id, 10), Detail: detail}, now)
	return c, err
}

// applyDecisions records the one source of every conflicting item of e's
// submitted version, and separates e from the candidates of the items
// decided distinct, or refuses when a conflict is undecided.
func applyDecisions(ctx context.Context, tx *sqldb.Tx, e Entry, now time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+conflictColumns+` FROM catalog_source_conflicts
		WHERE entry_id = $1 AND version = $2 ORDER BY id`, e.ID, e.WorkingVersion)
	if err != nil {
		return fmt.Errorf("source conflicts: %w", err)
	}
	var cs []Conflict
	var undecided []string
	for rows.Next() {
		c, err := scanConflict(rows)
		if err != nil {
			rows.Close()
			return fmt.Errorf("source conflicts: %w", err)
		}
		cs = append(cs, c)
		if !c.Decided() {
			undecided = append(undecided, c.ItemName)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(undecided) > 0 {
		return errs.E(errs.Conflict, "source_conflicts_undecided", fmt.Sprintf(
			"还有 %d 个信息项的一数一源冲突未裁定（%s），请先指定权威数源再审核通过", len(undecided), strings.Join(undecided, "、")))
	}
	for _, c := range cs {
		apart := c.Candidates
		if !c.Distinct {
			if apart, err = separatedFrom(ctx, tx, c); err != nil {
				return err
			}
		}
		if err := separate(ctx, tx, c, apart, now); err != nil {
			return err
		}
		if c.Distinct {
			continue
		}
		name := c.ItemName
		for _, cand := range c.Candidates {
			if cand.EntryID == c.AuthoritativeEntryID {
				name = cand.ItemName
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_authoritative_items (subject_kind, item_key, entry_id,
			item_name, decided_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (subject_kind, item_key) DO UPDATE
			SET entry_id = excluded.entry_id, item_name = excluded.item_name, decided_at = excluded.decided_at`,
			string(c.SubjectKind), c.ItemKey, c.AuthoritativeEntryID, name, now.UTC()); err != nil {
			return fmt.Errorf("record authoritative item: %w", err)
		}
	}
	return nil
}

// separate records that the item of conflict c's entry is not the same
// data item as the candidates' of apart, as c's decision has it: decided
// distinct from them, or for an entry separated from them.
func separate(ctx context.Context, tx *sqldb.Tx, c Conflict, apart []SourceRef, now time.Time) error {
	at := now.UTC()
	if c.DecidedAt != nil {
		at = c.DecidedAt.UTC()
	}
	for _, cand := range apart {
		a, b := min(c.EntryID, cand.EntryID), max(c.EntryID, cand.EntryID)
		if _, err := tx.ExecContext(ctx, `INSERT INTO catalog_distinct_items (subject_kind, item_key, entry_a, entry_b,
			decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (subject_kind, item_key, entry_a, entry_b)
			DO NOTHING`, string(c.SubjectKind), c.ItemKey, a, b, c.DecidedBy, at); err != nil {
			return fmt.Errorf("separate distinct items: %w", err)
		}
	}
	return nil
}

// separatedFrom returns the candidates of c, decided for an entry S, that
// a reviewer separated from S for the item: the item of c's entry, the
// same data item as S's, is not theirs either, and is not compared with
// them.
func separatedFrom(ctx context.Context, q sqldb.Querier, c Conflict) ([]SourceRef, error) {
	var apart []SourceRef
	for _, cand := range c.Candidates {
		if cand.EntryID == c.AuthoritativeEntryID || c.AuthoritativeEntryID == c.EntryID {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT CASE WHEN `+Separated("$1", "$2", "$3", "$4")+` THEN 1 ELSE 0 END`,
			string(c.SubjectKind), c.ItemKey, c.AuthoritativeEntryID, cand.EntryID).Scan(&n); err != nil {
			return nil, fmt.Errorf("separated entries: %w", err)
		}
		if n > 0 {
			apart = append(apart, cand)
		}
	}
	return apart, nil
}

// pointSources sets Source on the items of e whose one source is another entry.
func pointSources(ctx context.Context, q sqldb.Querier, e *Entry) error {
	if e.SubjectKind == NoSubject || len(e.Items) == 0 {
		return nil
	}
	args := []any{string(e.SubjectKind), e.ID}
	marks := make([]string, len(e.Items))
	for i, it := range e.Items {
		args = append(args, ItemKey(it.Name))
		marks[i] = "$" + strconv.Itoa(i+3)
	}
	rows, err := q.QueryContext(ctx, `SELECT k.item_key, `+refColumns+` FROM catalog_authoritative_items k
		JOIN catalog_entries e ON e.id = k.entry_id JOIN departments d ON d.id = e.department_id
		WHERE k.subject_kind = $1 AND k.entry_id <> $2 AND k.item_key IN (`+strings.Join(marks, ",")+`)
		AND NOT `+Separated("$1", "k.item_key", "k.entry_id", "$2"), args...)
	if err != nil {
		return fmt.Errorf("authoritative sources: %w", err)
	}
	defer rows.Close()
	refs := map[string]*SourceRef{}
	for rows.Next() {
		var key string
		var s SourceRef
		if err := rows.Scan(&key, &s.EntryID, &s.Code, &s.EntryName, &s.ItemName, &s.DepartmentID, &s.DepartmentName); err != nil {
			return fmt.Errorf("authoritative sources: %w", err)
		}
		refs[key] = &s
	}
	for i := range e.Items {
		if !e.Items[i].IdentifiesSubject {
			e.Items[i].Source = refs[ItemKey(e.Items[i].Name)]
		}
	}
	return rows.Err()
}
