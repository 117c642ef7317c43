package records

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/calendar"
	"github.com/hutong-gov/hutong/internal/catalog"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// FeedbackDays is the time both departments have to give feedback on a
// discrepancy, in working days (seed 001 八(六)).
const FeedbackDays = 5

// Discrepancy is a difference between two entries about the same fact of
// the same subject (多源校核). EntryA < EntryB.
//
// It is open until resolved: a resolution decides that the value of the
// authoritative entry (Authority) is right, and the discrepancy then awaits
// the other source's correction (awaiting_correction), which that source
// pushes; the platform does not change a department's data. The
// cross-check closes it (resolved) once the values agree, on arrival or in
// a sweep, and a difference that comes back later is a new discrepancy.
type Discrepancy struct {
	ID          int64      `json:"id"`
	SubjectKind string     `json:"subject_kind"`
	ItemKey     string     `json:"item_key"`
	SubjectID   string     `json:"subject_id"`
	EntryA      int64      `json:"entry_a"`
	EntryB      int64      `json:"entry_b"`
	DepartmentA int64      `json:"department_a"`
	DepartmentB int64      `json:"department_b"`
	ItemA       string     `json:"item_a"`
	ItemB       string     `json:"item_b"`
	ValueA      string     `json:"value_a,omitempty"` // empty: the side holds no value since (comparison.write), or as Feedback and Resolve answer (withoutValues), or withheld
	ValueB      string     `json:"value_b,omitempty"`
	Status      string     `json:"status"` // open, awaiting_correction, resolved
	FoundBy     string     `json:"found_by"`
	FoundAt     time.Time  `json:"found_at"`
	DueAt       time.Time  `json:"due_at"`             // feedback deadline, 5 working days
	Overdue     bool       `json:"overdue"`            // open past DueAt, unanswered by the listed department's side (overdueFor)
	Disputed    bool       `json:"disputed,omitempty"` // Contested, as MarshalJSON writes it: only the operator may resolve it
	FeedbackA   string     `json:"feedback_a,omitempty"`
	FeedbackAAt *time.Time `json:"feedback_a_at,omitempty"`
	FeedbackB   string     `json:"feedback_b,omitempty"`
	FeedbackBAt *time.Time `json:"feedback_b_at,omitempty"`
	Authority   int64      `json:"authoritative_entry_id,omitempty"`
	// Override records whether the decision overrode the catalog
	// (operator_override): it is for an entry other than the one the
	// catalog named as the item's source when it was made (Resolve), the
	// other or either where it named neither, which the operator alone
	// decides; not Valid where no decision was made, and on decisions made
	// before migration 0054, which did not record it.
	Override sql.NullBool `json:"-"`
	// NamedSource is the entry the catalog names as the item's one source
	// when it is one of the two (namedSource), 0 if neither: the entry an
	// open discrepancy is resolved for unless the operator names one. An
	// open discrepancy serialises it as authoritative_entry_id
	// (MarshalJSON).
	NamedSource  int64      `json:"-"`
	Resolution   string     `json:"resolution,omitempty"`
	ResolvedBy   string     `json:"resolved_by,omitempty"`
	ResolvedAt   *time.Time `json:"resolved_at,omitempty"`
	TheirEntryID int64      `json:"-"`

	// FeedbackHistory is every feedback of both sides, in the order given:
	// FeedbackA and FeedbackB are each side's latest.
	FeedbackHistory []DiscrepancyFeedback `json:"feedback_history"`

	// ValueAWithheld and ValueBWithheld: the reader may not read that
	// side's entry, whose value is then left out (WithholdValues).
	ValueAWithheld bool `json:"value_a_withheld,omitempty"`
	ValueBWithheld bool `json:"value_b_withheld,omitempty"`

	// DisputedA and DisputedB: each side's latest feedback disputes the
	// other source's value (不认可，提请政务数据主管部门协调) rather than accepts it.
	DisputedA bool `json:"-"`
	DisputedB bool `json:"-"`
}

// MarshalJSON writes d with authoritative_entry_id the resolution's entry
// or, while d is open, the one the catalog names (NamedSource), as a
// record read's disputed item gives it: an API client learns whose
// department decides, as the console shows it. feedback_tag is its
// FeedbackTag, for If-Match of a feedback.
func (d Discrepancy) MarshalJSON() ([]byte, error) {
	type plain Discrepancy
	p := plain(d)
	if p.Status == "open" && p.Authority == 0 {
		p.Authority = p.NamedSource
	}
	p.Disputed = d.Contested()
	return json.Marshal(struct {
		plain
		FeedbackTag string `json:"feedback_tag"`
	}{p, d.FeedbackTag()})
}

// FeedbackTag names d's feedback state: its status and each side's
// latest feedback, when it was given and whether it disputes. The API
// answers it as feedback_tag and as the ETag of a feedback, and the
// console's feedback form carries it (edit_tag), for FeedbackIf's
// condition: any feedback or resolution gives another tag.
func (d Discrepancy) FeedbackTag() string {
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return strconv.FormatInt(t.UnixMicro(), 10)
	}
	sum := sha256.Sum256([]byte(strings.Join([]string{strconv.FormatInt(d.ID, 10), d.Status,
		d.FeedbackA, at(d.FeedbackAAt), strconv.FormatBool(d.DisputedA),
		d.FeedbackB, at(d.FeedbackBAt), strconv.FormatBool(d.DisputedB)}, "\x00")))
	return hex.EncodeToString(sum[:12])
}

// Contested reports whether d is open and a side that is not the
// catalog's named source of its item (NamedSource) disputes it with its
// latest feedback (Feedback's disputed: 不认可，提请政务数据主管部门协调): the
// other side when the catalog names one of the two, either when it names
// neither. A feedback that accepts the other's value (经核实，本局登记有误)
// disputes nothing. The named source's department may then no longer
// settle it in its own favour: disputes between departments go to the
// platform operator, who coordinates and verifies (REQUIREMENTS 22, seed
// 001), Resolve refuses it discrepancy_disputed, and the operator finds it
// among the disputed ones (DiscrepancyFilter.Status "disputed"). Until
// 2026-12-05 any feedback of the other side counted as a dispute, so that
// a department's required agreeing reply took the case from the source's
// department to an operator who had no list of such cases.
func (d Discrepancy) Contested() bool {
	return contested(d, d.NamedSource)
}

// contested is Contested with the named source given (0: none).
func contested(d Discrepancy, source int64) bool {
	if d.Status != "open" {
		return false
	}
	switch source {
	case d.EntryA:
		return d.DisputedB
	case d.EntryB:
		return d.DisputedA
	}
	return d.DisputedA || d.DisputedB
}

// operatorQueueSQL is a condition on a row of record_discrepancies for
// the list's "disputed" status, the operator's queue (有争议待协调): the
// open discrepancies that are Contested, and those whose item the catalog
// names neither entry as the source of, disputed or not, which the
// operator alone may resolve (Resolve refuses both departments
// not_authoritative). Until 2026-12-05 the latter were listed only once a
// side disputed them. They do not read as disputed (Contested) for all
// that: neither department disputes the other's value.
const operatorQueueSQL = `(status = 'open' AND (
	(disputed_b AND EXISTS (SELECT 1 FROM catalog_authoritative_items a WHERE a.subject_kind = record_discrepancies.subject_kind
		AND a.item_key = record_discrepancies.item_key AND a.entry_id = record_discrepancies.entry_a))
	OR (disputed_a AND EXISTS (SELECT 1 FROM catalog_authoritative_items a WHERE a.subject_kind = record_discrepancies.subject_kind
		AND a.item_key = record_discrepancies.item_key AND a.entry_id = record_discrepancies.entry_b))
	OR NOT EXISTS (SELECT 1 FROM catalog_authoritative_items a
		WHERE a.subject_kind = record_discrepancies.subject_kind AND a.item_key = record_discrepancies.item_key
		AND a.entry_id IN (record_discrepancies.entry_a, record_discrepancies.entry_b))))`

// DiscrepancyFeedback is one feedback a department gave on a discrepancy.
type DiscrepancyFeedback struct {
	DepartmentID int64     `json:"department_id"`
	Feedback     string    `json:"feedback"`
	Disputed     bool      `json:"disputed"` // it disputed the other source's value rather than accepted it
	At           time.Time `json:"at"`
}

// keyPair links an item of one entry to the item of a peer with the same
// key, with the types (Item.Type) by which their values compare (sameFact).
type keyPair struct {
	key, mine, theirs    string
	mineType, theirsType string
}

// peer is another department's entry carrying some of the same facts.
type peer struct {
	entryID, departmentID int64
	pairs                 []keyPair
}

// syncItemKeys records the item keys of e, the entries a cross-check compares.
func syncItemKeys(ctx context.Context, tx *sqldb.Tx, e *Entry) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM record_item_keys WHERE entry_id = $1`, e.ID); err != nil {
		return fmt.Errorf("sync item keys: %w", err)
	}
	if e.SubjectKind != Person && e.SubjectKind != LegalEntity {
		return nil
	}
	done := map[string]bool{}
	for _, it := range e.Items {
		if it.IdentifiesSubject || done[it.key] || it.key == "" {
			continue
		}
		done[it.key] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO record_item_keys (entry_id, subject_kind, item_key, item_name)
			VALUES ($1, $2, $3, $4)`, e.ID, e.SubjectKind, it.key, it.Name); err != nil {
			return fmt.Errorf("sync item keys: %w", err)
		}
	}
	return nil
}

// loadPeers finds other departments' published entries of e's subject
// kind with records that share item keys with e: each with the pairs of
// items its published version shares with e, but for those the catalog
// separated them for (comparedItems). The item keys of an entry
// are those of the version its last batch was checked against
// (syncItemKeys); an entry published in another version since is read
// again, so that no item removed from it is compared.
func loadPeers(ctx context.Context, q sqldb.Querier, e *Entry) ([]peer, error) {
	if e.SubjectKind != Person && e.SubjectKind != LegalEntity {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT k.entry_id, c.department_id, k.item_key, k.item_name, c.version <> s.catalog_version
		FROM record_item_keys k JOIN record_entry_stats s ON s.entry_id = k.entry_id
		JOIN catalog_entries c ON c.id = k.entry_id AND c.status = 'published'
		JOIN record_item_keys m ON m.entry_id = $1 AND m.item_key = k.item_key
		WHERE k.subject_kind = $2 AND c.subject_kind = $2 AND k.entry_id <> $1 AND c.department_id <> $3
		AND NOT `+catalog.Separated("$2", "k.item_key", "$1", "k.entry_id")+`
		ORDER BY k.entry_id, k.item_key`, e.ID, e.SubjectKind, e.DepartmentID)
	if err != nil {
		return nil, fmt.Errorf("load peers: %w", err)
	}
	var out []peer
	var changed []int64 // peers published in another version since their keys were synced
	for rows.Next() {
		var id, dept int64
		var key, name string
		var stale bool
		if err := rows.Scan(&id, &dept, &key, &name, &stale); err != nil {
			rows.Close()
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].entryID != id {
			out = append(out, peer{entryID: id, departmentID: dept})
			if stale {
				changed = append(changed, id)
			}
		}
		kp := keyPair{key: key, theirs: name}
		for _, it := range e.Items {
			if it.key == key && !it.IdentifiesSubject {
				kp.mine, kp.mineType = it.Name, it.Type
				break
			}
		}
		p := &out[len(out)-1]
		p.pairs = append(p.pairs, kp)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := peerTypes(ctx, q, out, changed); err != nil || len(changed) == 0 {
		return out, err
	}
	kept := out[:0]
	for _, p := range out {
		if slices.Contains(changed, p.entryID) {
			other, err := LoadEntry(ctx, q, p.entryID)
			if err != nil {
				return nil, err
			}
			if p.pairs, err = comparedItems(ctx, q, e, other); err != nil {
				return nil, err
			}
		}
		if len(p.pairs) > 0 {
			kept = append(kept, p)
		}
	}
	return kept, nil
}

// peerTypes sets the types of the peers' items (theirsType) where they
// decide how values compare, read from the peers' published entries: the
// item keys recorded of an entry (syncItemKeys) have no type. A peer
// stale, read again whole (sharedItems), is passed over, as is one whose
// pairs' own items compare as text whatever the other's type (byType).
func peerTypes(ctx context.Context, q sqldb.Querier, peers []peer, stale []int64) error {
	var ids []int64
	for _, p := range peers {
		if !slices.Contains(stale, p.entryID) && slices.ContainsFunc(p.pairs, func(kp keyPair) bool { return byType(kp.mineType) }) {
			ids = append(ids, p.entryID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var args []any
	rows, err := q.QueryContext(ctx, `SELECT id, data FROM catalog_entries WHERE id IN `+sqldb.In(q, &args, ids, 0), args...)
	if err != nil {
		return fmt.Errorf("load peers' item types: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var other Entry
		var data string
		if err := rows.Scan(&other.ID, &data); err != nil {
			return err
		}
		if err := other.decode(data); err != nil {
			return err
		}
		other.index()
		i := slices.IndexFunc(peers, func(p peer) bool { return p.entryID == other.ID })
		for j := range peers[i].pairs {
			kp := &peers[i].pairs[j]
			if k := other.ItemIndex(kp.theirs); k >= 0 {
				kp.theirsType = other.Items[k].Type
			}
		}
	}
	return rows.Err()
}

// holdPeersBelow holds, on PostgreSQL, the counters of the entries of a
// lower id than e's that may be e's peers (loadPeers: found by the keys of
// e's items), before a batch of e locks its own; holdPeers holds the rest
// once the batch has loaded its peers. A batch compares its records with
// its peers' as committed: without the locks, two batches of two peers
// under way at once (both entries holding 张三, each changing it to 李四)
// each compared with the other's 张三 and left a discrepancy open between
// two records agreeing. With them, the batches of entries carrying the same
// facts take turns, as on SQLite's one writer; a share lock, so that the
// batches of entries sharing a peer but not each other's peers do not.
// Taken in entry-id order, they do not deadlock, but for a peer holdPeers
// finds that holdPeersBelow did not (its first batch, or a new version of
// either entry, committed between the two): PostgreSQL then aborts one
// batch, which is applied again (IngestSpooled, Pushes). It returns the
// entries it holds.
func holdPeersBelow(ctx context.Context, tx *sqldb.Tx, e *Entry) (map[int64]bool, error) {
	held := map[int64]bool{}
	if tx.Dialect != sqldb.Postgres || (e.SubjectKind != Person && e.SubjectKind != LegalEntity) {
		return held, nil
	}
	var keys []string
	for _, it := range e.Items {
		if !it.IdentifiesSubject && it.key != "" {
			keys = append(keys, it.key)
		}
	}
	if len(keys) == 0 {
		return held, nil
	}
	args := []any{e.ID, e.SubjectKind, e.DepartmentID}
	in := sqldb.In(tx, &args, keys, 0)
	rows, err := tx.QueryContext(ctx, `SELECT s.entry_id FROM record_entry_stats s WHERE s.entry_id < $1 AND s.entry_id IN
		(SELECT k.entry_id FROM record_item_keys k JOIN catalog_entries c ON c.id = k.entry_id AND c.status = 'published'
		WHERE k.subject_kind = $2 AND c.subject_kind = $2 AND c.department_id <> $3 AND k.item_key IN `+in+`)
		ORDER BY s.entry_id FOR SHARE OF s`, args...)
	if err != nil {
		return nil, fmt.Errorf("hold peers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		held[id] = true
	}
	return held, rows.Err()
}

// holdPeers holds, on PostgreSQL, the counters of the peers of a batch
// that holdPeersBelow does not hold, in entry-id order.
func holdPeers(ctx context.Context, tx *sqldb.Tx, peers []peer, held map[int64]bool) error {
	var ids []int64
	for _, p := range peers {
		if !held[p.entryID] {
			ids = append(ids, p.entryID)
		}
	}
	if tx.Dialect != sqldb.Postgres || len(ids) == 0 {
		return nil
	}
	var args []any
	in := sqldb.In(tx, &args, ids, 0)
	if _, err := tx.ExecContext(ctx, `SELECT entry_id FROM record_entry_stats WHERE entry_id IN `+in+`
		ORDER BY entry_id FOR SHARE`, args...); err != nil {
		return fmt.Errorf("hold peers: %w", err)
	}
	return nil
}

// comparedItems is sharedItems of a and b but for the items a reviewer
// decided are not the same data item in the two entries, only alike in
// name (catalog.SeparatedItems: 不是同一数据项), which the cross-check does
// not compare.
func comparedItems(ctx context.Context, q sqldb.Querier, a, b *Entry) ([]keyPair, error) {
	pairs := sharedItems(a, b)
	if len(pairs) == 0 {
		return nil, nil
	}
	keys, err := catalog.SeparatedItems(ctx, q, a.SubjectKind, a.ID, b.ID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(pairs, func(kp keyPair) bool { return slices.Contains(keys, kp.key) }), nil
}

// sharedItems pairs each item of a (but those identifying the subject)
// with the item of b of the same key, if any.
func sharedItems(a, b *Entry) []keyPair {
	var out []keyPair
	for _, it := range a.Items {
		if it.IdentifiesSubject {
			continue
		}
		for _, jt := range b.Items {
			if !jt.IdentifiesSubject && jt.key == it.key {
				out = append(out, keyPair{key: it.key, mine: it.Name, theirs: jt.Name, mineType: it.Type, theirsType: jt.Type})
				break
			}
		}
	}
	return out
}

// crossCheck compares the changed subjects of a chunk with every peer.
func (in *ingest) crossCheck(subjects []string, states map[string]*state) error {
	for _, p := range in.peers {
		theirs, err := heads(in.ctx, in.tx, in.tx.Dialect, p.entryID, subjects)
		if err != nil {
			return fmt.Errorf("cross-check: %w", err)
		}
		c := comparison{e: in.e, p: p, foundBy: "arrival", now: in.now, cal: in.cal}
		for _, s := range subjects {
			var mine, other map[string]string
			if st := states[s]; st.active {
				mine = st.vals
			}
			if h, ok := theirs[s]; ok && h.op != Cancel {
				other = h.vals
			}
			c.add(s, mine, other)
		}
		if err := c.write(in.ctx, in.tx); err != nil {
			return err
		}
	}
	return nil
}

// comparison collects the subjects of one pair of entries to reconcile.
type comparison struct {
	e       *Entry
	p       peer
	foundBy string
	now     time.Time
	cal     *calendar.Calendar
	rows    []compared
	// counts: discrepancies opened, closed, and those whose values changed
	found, resolved, updated int
}

type compared struct {
	subject      string
	mine, theirs map[string]string // nil when the record is missing or cancelled
}

func (c *comparison) add(subject string, mine, theirs map[string]string) {
	c.rows = append(c.rows, compared{subject, mine, theirs})
}

// same compares two values of one fact as text, as docs/records-push.md
// says: white space does not matter, anywhere (李华, 李 华, 李　华 with
// U+3000 and 李\u00a0华 alike), nor what text.Fold folds: the width of a
// character (full-width Ｔｏｍ is Tom), compatibility forms (the CJK
// compatibility ideograph U+F9D1 is 六), invisible characters (李\u200b华,
// a leading BOM) and the middle dot's variants (买买提・艾力 with U+30FB
// or U+2022 is 买买提·艾力); nor the case of ASCII letters (Tom, TOM).
// Other letters keep their case: strings.EqualFold folded every Unicode
// letter (the Kelvin sign K was k), and so folded the full-width Ｔｏｍ
// with ｔｏｍ but not with tom. The key is computed at each comparison,
// never stored, and not at all for two values byte for byte alike, the
// common case, which are the same whatever their keys: a sweep compares
// every value of every record pair.
func same(a, b string) bool { return a == b || textKey(a) == textKey(b) }

// textKey is the form of a value that same compares.
func textKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case 'A' <= r && r <= 'Z':
			return r + 'a' - 'A'
		}
		return r
	}, text.Fold(s))
}

// sameFact compares two values of one fact, a of an item of type ta and b
// of one of type tb, by the types, so that one fact stored in two forms
// is no discrepancy: two numbers (numeric types) by their value (1000000
// and 1e+06, as floats were stored, 12.5 and 12.50); a date (D) and a
// date-time (T) by the date-time's date in Beijing time (dateOf:
// 1990-01-01 and 1990-01-01T00:00:00+08:00); anything else, or a value
// that is not of its type, as text (same).
func sameFact(ta, a, tb, b string) bool {
	switch {
	case numeric(ta) && numeric(tb):
		x, okx := numberKey(a)
		y, oky := numberKey(b)
		if okx && oky {
			return x == y
		}
	case ta == "D" && tb == "T", ta == "T" && tb == "D":
		x, okx := dateOf(a)
		y, oky := dateOf(b)
		if okx && oky {
			return x == y
		}
	}
	return same(a, b)
}

// numeric reports whether items of type t hold numbers: 数值 N, 货币 Y,
// 整数 I, 双精度 B, 浮点 F.
func numeric(t string) bool {
	switch t {
	case "N", "Y", "I", "B", "F":
		return true
	}
	return false
}

// byType reports whether the values of an item of type t compare with
// another's otherwise than as text (sameFact).
func byType(t string) bool { return numeric(t) || t == "D" || t == "T" }

// numberKey returns one form of a decimal number for all its spellings
// (-0012.50, -1.25e1 and -1.25E+01 alike): its sign, its significant
// digits and the power of ten of the last (-125e-1), so that numbers
// compare exactly, without rounding through float64 and without
// expanding an exponent. It reads digits with an optional point and
// exponent only (no NaN, infinity or hexadecimal).
func numberKey(s string) (string, bool) {
	s = strings.TrimSpace(s)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 1<<30 || e < -1<<30 {
			return "", false
		}
		s, exp = s[:i], e
	}
	intPart, frac, _ := strings.Cut(s, ".")
	digits := intPart + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return "", false
	}
	exp -= len(frac)
	if digits = strings.TrimLeft(digits, "0"); digits == "" {
		return "0", true
	}
	n := len(digits)
	digits = strings.TrimRight(digits, "0")
	exp += n - len(digits)
	if neg {
		digits = "-" + digits
	}
	return digits + "e" + strconv.Itoa(exp), true
}

// write opens, updates and resolves discrepancies for the collected rows.
func (c *comparison) write(ctx context.Context, tx *sqldb.Tx) error {
	if len(c.rows) == 0 {
		return nil
	}
	a, b := c.e.ID, c.p.entryID
	swap := a > b
	if swap {
		a, b = b, a
	}
	subjects := make([]string, len(c.rows))
	for i, r := range c.rows {
		subjects[i] = r.subject
	}
	args := []any{a, b}
	in := sqldb.In(tx, &args, subjects, 0)
	type liveKey struct{ subject, key string }
	type live struct {
		id     int64
		va, vb string
	}
	// The discrepancies not closed: open, or awaiting a correction.
	lives := map[liveKey]live{}
	rows, err := tx.QueryContext(ctx, `SELECT id, subject_id, item_key, value_a, value_b
		FROM record_discrepancies WHERE entry_a = $1 AND entry_b = $2 AND status IN ('open', 'awaiting_correction')
		AND subject_id IN `+in, args...)
	if err != nil {
		return fmt.Errorf("cross-check: load open: %w", err)
	}
	for rows.Next() {
		var l live
		var s, k string
		if err := rows.Scan(&l.id, &s, &k, &l.va, &l.vb); err != nil {
			rows.Close()
			return err
		}
		lives[liveKey{s, k}] = l
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	deptA, deptB := c.e.DepartmentID, c.p.departmentID
	if swap {
		deptA, deptB = deptB, deptA
	}
	due := feedbackDue(c.cal, c.now)
	for _, r := range c.rows {
		for _, kp := range c.p.pairs {
			if kp.mine == "" {
				continue
			}
			mv, tv := r.mine[kp.mine], r.theirs[kp.theirs]
			itemA, itemB, va, vb := kp.mine, kp.theirs, mv, tv
			if swap {
				itemA, itemB, va, vb = itemB, itemA, vb, va
			}
			prev, isLive := lives[liveKey{r.subject, kp.key}]
			// Two values differ, or agree; a value on one side only (the
			// other record holds none, or has cleared it) is neither:
			// there is nothing to compare, so nothing is opened, and a
			// discrepancy not closed stays as it is, open or awaiting its
			// correction, its cleared side's value stored as none, until
			// the values agree or a record is cancelled. Clearing is no
			// agreement, and a side decided wrong cannot close its
			// discrepancy (and the resolution, its feedback and deadline)
			// by clearing its value.
			both := r.mine != nil && r.theirs != nil
			differ := both && mv != "" && tv != "" && !sameFact(kp.mineType, mv, kp.theirsType, tv)
			oneSided := both && (mv == "") != (tv == "")
			switch {
			case differ && !isLive:
				res, err := tx.ExecContext(ctx, `INSERT INTO record_discrepancies (subject_kind, item_key, subject_id,
					entry_a, entry_b, department_a, department_b, item_a, item_b, value_a, value_b, status, found_by,
					found_at, due_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,'open',$12,$13,$14)
					ON CONFLICT (entry_a, entry_b, item_key, subject_id) WHERE status IN ('open', 'awaiting_correction') DO NOTHING`,
					c.e.SubjectKind, kp.key, r.subject, a, b, deptA, deptB, itemA, itemB, va, vb, c.foundBy, c.now, due)
				if err != nil {
					return fmt.Errorf("cross-check: insert: %w", err)
				}
				if n, _ := res.RowsAffected(); n > 0 {
					c.found++
				}
			case (differ || oneSided) && isLive && (prev.va != va || prev.vb != vb):
				res, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET value_a = $2, value_b = $3 WHERE id = $1`,
					prev.id, va, vb)
				if err != nil {
					return fmt.Errorf("cross-check: update: %w", err)
				}
				if n, _ := res.RowsAffected(); n > 0 {
					c.updated++
				}
			case !differ && !oneSided && isLive:
				why := "两个数源的值已一致"
				switch {
				case !both:
					why = "记录已注销或不存在"
				case mv == "":
					why = "两个数源均已无该项取值" // both cleared: nothing left to dispute
				}
				// A resolution keeps who decided it and when, and the
				// closing adds why to its note. The statement decides on
				// the row as it is when it is written, not as prev read it:
				// a resolution committed since (PostgreSQL re-reads the
				// row the update waited for) is kept.
				res, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET status = 'resolved',
					resolution = CASE WHEN status = 'awaiting_correction' THEN resolution || '；' || $2 ELSE $2 END,
					resolved_by = CASE WHEN status = 'awaiting_correction' THEN resolved_by ELSE 'system' END,
					resolved_at = CASE WHEN status = 'awaiting_correction' THEN resolved_at ELSE $3 END
					WHERE id = $1 AND status IN ('open', 'awaiting_correction')`, prev.id, why, c.now)
				if err != nil {
					return fmt.Errorf("cross-check: resolve: %w", err)
				}
				if n, _ := res.RowsAffected(); n > 0 {
					c.resolved++
				}
			}
		}
	}
	c.rows = c.rows[:0]
	return nil
}

// SweepResult reports a full cross-check.
type SweepResult struct {
	Pairs    int `json:"pairs"`    // pairs of entries compared
	Compared int `json:"compared"` // subjects present in both entries of a pair
	Found    int `json:"found"`    // new discrepancies
	Resolved int `json:"resolved"` // discrepancies closed because the values now agree or a record is cancelled
	// Closed counts the discrepancies closed because their two entries no
	// longer compare their item (closeUncompared).
	Closed int `json:"closed"`
}

// sweepPage is how many subjects one sweep transaction compares.
const sweepPage = 1000

// headPage returns the latest versions' seqs of the next sweepPage subjects
// of an entry after subject after, in subject order, keyed by seq; the
// subjects in order; and whether the page was full (there may be more).
// Both engines read the subjects in index order, grouping as they go.
func headPage(ctx context.Context, q sqldb.Querier, entryID int64, after string) (map[int64]string, []string, bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT subject_id, max(seq) FROM record_versions WHERE entry_id = $1
		AND subject_id > $2 GROUP BY subject_id ORDER BY subject_id LIMIT `+strconv.Itoa(sweepPage), entryID, after)
	if err != nil {
		return nil, nil, false, err
	}
	seqs, subjects, err := scanHeadSeqs(rows, sweepPage)
	return seqs, subjects, len(subjects) == sweepPage, err
}

// Sweep compares every pair of entries of different departments that
// carry the same facts, subject by subject, page by page. A subject whose
// record either entry cancelled closes the discrepancies still open or
// awaiting between them, as the cancellation's own comparison does. Each
// page that changes a discrepancy records its audit row in its own
// transaction (auditPage); a run that completes then records its summary,
// the SweepResult, and one stopped part-way does not.
func Sweep(ctx context.Context, db *sqldb.DB, cal *calendar.Calendar, by audit.Actor, now time.Time) (SweepResult, error) {
	var res SweepResult
	if cal == nil {
		cal = calendar.Default()
	}
	now = now.UTC().Truncate(time.Microsecond)
	rows, err := db.Read().QueryContext(ctx, `SELECT DISTINCT k.entry_id, m.entry_id FROM record_item_keys k
		JOIN record_item_keys m ON m.subject_kind = k.subject_kind AND m.item_key = k.item_key AND m.entry_id > k.entry_id
		ORDER BY k.entry_id, m.entry_id`)
	if err != nil {
		return res, fmt.Errorf("sweep: %w", err)
	}
	var pairs [][2]int64
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return res, err
		}
		pairs = append(pairs, [2]int64{a, b})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	compared := map[pairItem]bool{}
	for _, pr := range pairs {
		ea, eb, why, err := comparable(ctx, db.Read(), pr[0], pr[1])
		if err != nil {
			return res, fmt.Errorf("sweep: %w", err)
		}
		if why != "" {
			continue
		}
		shared, err := comparedItems(ctx, db.Read(), ea, eb)
		if err != nil {
			return res, fmt.Errorf("sweep: %w", err)
		}
		p := peer{entryID: eb.ID, departmentID: eb.DepartmentID, pairs: shared}
		if len(p.pairs) == 0 {
			continue
		}
		for _, kp := range p.pairs {
			compared[pairItem{ea.ID, eb.ID, kp.key}] = true
		}
		res.Pairs++
		after := ""
		for {
			c := comparison{e: ea, p: p, foundBy: "sweep", now: now, cal: cal}
			// The page is read outside the write transaction, so as not to
			// hold SQLite's writer while reading; the transaction writes
			// only if no batch of either entry committed meanwhile (the
			// entries' last seqs are as they were before the read), else
			// it reads the page again, the entries held: values read
			// before a push and written after it would undo what its own
			// comparison wrote.
			seqs, err := lastSeqs(ctx, db.Read(), ea.ID, eb.ID)
			if err != nil {
				return res, fmt.Errorf("sweep: %w", err)
			}
			pg, err := c.readPage(ctx, db.Read(), db.Dialect, after)
			if err != nil {
				return res, fmt.Errorf("sweep: %w", err)
			}
			if len(c.rows) > 0 {
				err := db.Tx(ctx, func(tx *sqldb.Tx) error {
					held, err := holdEntries(ctx, tx, ea.ID, eb.ID)
					if err != nil {
						return err
					}
					if held != seqs {
						c.rows = c.rows[:0]
						if pg, err = c.readPage(ctx, tx, tx.Dialect, after); err != nil {
							return err
						}
					}
					if err := c.write(ctx, tx); err != nil {
						return err
					}
					return auditPage(ctx, tx, &c, eb, pg.compared, by)
				})
				if err != nil {
					return res, fmt.Errorf("sweep: %w", err)
				}
				res.Found += c.found
				res.Resolved += c.resolved
			}
			res.Compared += pg.compared
			after = pg.last
			if !pg.more {
				break
			}
		}
	}
	if res.Closed, err = closeUncompared(ctx, db, compared, by, now); err != nil {
		return res, fmt.Errorf("sweep: %w", err)
	}
	err = db.Tx(ctx, func(tx *sqldb.Tx) error {
		d, _ := json.Marshal(res)
		return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "records.crosscheck", ObjectType: "records",
			Detail: string(d)}, now)
	})
	return res, err
}

// auditPage records, in the transaction of a sweep's page of c.e against
// peer, the audit row of what the page changed (a records.crosscheck row
// naming the pair, the subjects compared and the discrepancies opened,
// closed and updated), so that a sweep stopped after it (cancelled, or a
// later page failing) leaves every change it committed audited; a page
// that changed nothing writes none. Its counts are keyed page_*: the
// summary Sweep writes once every page has committed counts the run's
// under found and resolved, and summing either over the log counts a
// discrepancy once.
func auditPage(ctx context.Context, tx *sqldb.Tx, c *comparison, peer *Entry, compared int, by audit.Actor) error {
	if c.found == 0 && c.resolved == 0 && c.updated == 0 {
		return nil
	}
	d, err := json.Marshal(map[string]any{"entry_code": c.e.Code, "peer_entry_id": peer.ID, "peer_entry_code": peer.Code,
		"page_compared": compared, "page_found": c.found, "page_resolved": c.resolved, "page_updated": c.updated})
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{Actor: by, Action: "records.crosscheck", ObjectType: "catalog_entry",
		ObjectID: strconv.FormatInt(c.e.ID, 10), Detail: string(d)}, c.now)
}

// sweptPage is what comparison.readPage read: the last subject of the
// page ("" if none), whether more may follow, and how many subjects both
// entries hold active.
type sweptPage struct {
	last     string
	more     bool
	compared int
}

// readPage reads the next page of a sweep's subjects of c.e after subject
// after, with those of the peer, into c. Values are read only for subjects
// the peer has too. A subject cancelled on either side is compared without
// values, which closes its discrepancies still open or awaiting: those the
// cancellation's own comparison did not find, such as a resolution 0016
// made awaiting.
func (c *comparison) readPage(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, after string) (sweptPage, error) {
	var pg sweptPage
	seqs, page, more, err := headPage(ctx, q, c.e.ID, after)
	if err != nil {
		return pg, err
	}
	theirs, err := heads(ctx, q, d, c.p.entryID, page)
	if err != nil {
		return pg, err
	}
	for seq, s := range seqs {
		if b, ok := theirs[s]; !ok || b.op == Cancel {
			delete(seqs, seq)
		}
	}
	mine, err := versionsAt(ctx, q, d, c.e.ID, seqs)
	if err != nil {
		return pg, err
	}
	for _, s := range page {
		b, ok := theirs[s]
		a := mine[s]
		switch {
		case !ok: // never in the other entry: nothing to compare
		case b.op == Cancel:
			c.add(s, nil, nil)
		case a.op == Cancel:
			c.add(s, nil, b.vals)
		default:
			c.add(s, a.vals, b.vals)
			pg.compared++
		}
	}
	if len(page) > 0 {
		pg.last = page[len(page)-1]
	}
	pg.more = more
	return pg, nil
}

// lastSeqs returns the last seqs of entries a < b, which each batch
// applying operations advances as it commits.
func lastSeqs(ctx context.Context, q sqldb.Querier, a, b int64) ([2]int64, error) {
	return scanLastSeqs(q.QueryContext(ctx, `SELECT entry_id, last_seq FROM record_entry_stats WHERE entry_id IN ($1, $2)
		ORDER BY entry_id`, a, b))
}

// holdEntries is lastSeqs in tx, holding the counters of entries a < b
// until it ends: on PostgreSQL a share lock, taken in entry-id order,
// waits for the batches of either entry under way and keeps new ones from
// starting, so that their records stay as tx reads them; SQLite has one
// writer.
func holdEntries(ctx context.Context, tx *sqldb.Tx, a, b int64) ([2]int64, error) {
	return scanLastSeqs(tx.QueryContext(ctx, `SELECT entry_id, last_seq FROM record_entry_stats WHERE entry_id IN ($1, $2)
		ORDER BY entry_id`+forShare(tx.Dialect), a, b))
}

func scanLastSeqs(rows *sql.Rows, err error) ([2]int64, error) {
	var seqs [2]int64
	if err != nil {
		return seqs, fmt.Errorf("read entry counters: %w", err)
	}
	defer rows.Close()
	for i := 0; rows.Next(); i++ { // at most two: entry_id is the key
		var id int64
		if err := rows.Scan(&id, &seqs[i]); err != nil {
			return seqs, err
		}
	}
	return seqs, rows.Err()
}

// forShare is the locking clause of a query of record_entry_stats that
// holds the counters it reads until its transaction ends, against batches
// of their entries (which update them): FOR SHARE on PostgreSQL, nothing on
// SQLite, whose one writer runs one transaction at a time.
func forShare(d sqldb.Dialect) string {
	if d == sqldb.Postgres {
		return " FOR SHARE"
	}
	return ""
}

// pairItem is an item key compared between two entries, a < b.
type pairItem struct {
	a, b int64
	key  string
}

// Why a discrepancy is closed when its entries no longer compare its item
// (closeUncompared): the reason in its audit row, the note added to its
// resolution.
var uncompared = map[string]string{
	"pair_retired":          "两个数据资源之一已注销或未发布，不再比对",
	"same_department":       "两个数据资源已属同一部门，不再比对",
	"subject_kind_mismatch": "两个数据资源的主体类型已不相同，不再比对",
	"item_not_shared":       "两个数据资源已不再都有该信息项，不再比对",
	"item_distinct":         "审核已裁定两个数据资源的同名信息项不是同一数据项，不再比对",
}

// comparable loads the entries a and b of a pair and says why a sweep does
// not compare them (a key of uncompared), or "" when it does: both
// published, of two departments, of the same kind of subject.
func comparable(ctx context.Context, q sqldb.Querier, a, b int64) (*Entry, *Entry, string, error) {
	ea, err := LoadEntry(ctx, q, a)
	var eb *Entry
	if err == nil {
		eb, err = LoadEntry(ctx, q, b)
	}
	switch {
	case errs.Is(err, errs.NotFound), errs.Is(err, errs.Conflict):
		return nil, nil, "pair_retired", nil
	case err != nil:
		return nil, nil, "", err
	case ea.DepartmentID == eb.DepartmentID:
		return ea, eb, "same_department", nil
	case ea.SubjectKind != eb.SubjectKind:
		return ea, eb, "subject_kind_mismatch", nil
	}
	return ea, eb, "", nil
}

// closeUncompared closes, as resolved, the discrepancies open or awaiting
// correction whose entries and item a sweep no longer compares (compared
// holds those it did): an entry retired (or gone), the two entries now of
// one department or of two kinds of subject, the item no longer in both
// (removed from one, renamed). No comparison would ever reach them
// otherwise. A pair the sweep did not list whose entries still compare
// the item (its first push came during the sweep) is left open. Each is
// closed as a comparison closes one, its note saying
// why, with an audit row (records.discrepancy.resolve, the reason in its
// detail). It returns how many it closed.
func closeUncompared(ctx context.Context, db *sqldb.DB, compared map[pairItem]bool, by audit.Actor, now time.Time) (int, error) {
	rows, err := db.Read().QueryContext(ctx, `SELECT DISTINCT entry_a, entry_b, item_key FROM record_discrepancies
		WHERE status IN ('open', 'awaiting_correction') ORDER BY entry_a, entry_b, item_key`)
	if err != nil {
		return 0, err
	}
	var stale []pairItem
	for rows.Next() {
		var pi pairItem
		if err := rows.Scan(&pi.a, &pi.b, &pi.key); err != nil {
			rows.Close()
			return 0, err
		}
		if !compared[pi] {
			stale = append(stale, pi)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	closed := 0
	for _, pi := range stale {
		ea, eb, why, err := comparable(ctx, db.Read(), pi.a, pi.b)
		if err != nil {
			return closed, err
		}
		if why == "" {
			shared, err := comparedItems(ctx, db.Read(), ea, eb)
			if err != nil {
				return closed, err
			}
			if slices.ContainsFunc(shared, func(kp keyPair) bool { return kp.key == pi.key }) {
				continue // compared again: a push since the sweep listed its pairs found it
			}
			why = "item_not_shared"
			if slices.ContainsFunc(sharedItems(ea, eb), func(kp keyPair) bool { return kp.key == pi.key }) {
				why = "item_distinct" // both have it, but a reviewer separated them for it
			}
		}
		for {
			n, more, err := closePage(ctx, db, pi, why, by, now)
			closed += n
			if err != nil {
				return closed, err
			}
			if !more {
				break
			}
		}
	}
	return closed, nil
}

// closePage closes up to sweepPage of the discrepancies of pi not closed,
// for the reason why (a key of uncompared), in one transaction, and
// reports how many it closed and whether there may be more.
func closePage(ctx context.Context, db *sqldb.DB, pi pairItem, why string, by audit.Actor, now time.Time) (int, bool, error) {
	closed, more := 0, false
	err := db.Tx(ctx, func(tx *sqldb.Tx) error {
		closed = 0
		rows, err := tx.QueryContext(ctx, `SELECT id, subject_id FROM record_discrepancies WHERE entry_a = $1 AND entry_b = $2
			AND item_key = $3 AND status IN ('open', 'awaiting_correction') ORDER BY id LIMIT `+strconv.Itoa(sweepPage),
			pi.a, pi.b, pi.key)
		if err != nil {
			return err
		}
		type row struct {
			id      int64
			subject string
		}
		var page []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.subject); err != nil {
				rows.Close()
				return err
			}
			page = append(page, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		more = len(page) == sweepPage
		note := uncompared[why]
		detail, err := json.Marshal(map[string]string{"reason": why, "note": note})
		if err != nil {
			return err
		}
		var evs []audit.Event
		for _, r := range page {
			// As a comparison closes one (comparison.write): a resolution
			// keeps who decided it and when, the note added to it.
			res, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET status = 'resolved',
				resolution = CASE WHEN status = 'awaiting_correction' THEN resolution || '；' || $2 ELSE $2 END,
				resolved_by = CASE WHEN status = 'awaiting_correction' THEN resolved_by ELSE 'system' END,
				resolved_at = CASE WHEN status = 'awaiting_correction' THEN resolved_at ELSE $3 END
				WHERE id = $1 AND status IN ('open', 'awaiting_correction')`, r.id, note, now)
			if err != nil {
				return fmt.Errorf("close discrepancy %d: %w", r.id, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			closed++
			evs = append(evs, audit.Event{Actor: by, Action: "records.discrepancy.resolve", ObjectType: "record_discrepancy",
				ObjectID: strconv.FormatInt(r.id, 10), SubjectID: r.subject, Detail: string(detail)})
		}
		return audit.RecordAll(ctx, tx, evs, now)
	})
	return closed, more, err
}

const discrepancyCols = `id, subject_kind, item_key, subject_id, entry_a, entry_b, department_a, department_b, item_a,
	item_b, value_a, value_b, status, found_by, found_at, due_at, feedback_a, feedback_a_at, feedback_b, feedback_b_at,
	authoritative_entry_id, resolution, resolved_by, resolved_at, disputed_a, disputed_b, operator_override`

// scanDiscrepancy reads a row of discrepancyCols, Overdue as for the
// department dept (overdueFor).
func scanDiscrepancy(sc interface{ Scan(...any) error }, dept int64, now time.Time) (Discrepancy, error) {
	var d Discrepancy
	var fa, fb, ra sql.NullTime
	var auth sql.NullInt64
	err := sc.Scan(&d.ID, &d.SubjectKind, &d.ItemKey, &d.SubjectID, &d.EntryA, &d.EntryB, &d.DepartmentA, &d.DepartmentB,
		&d.ItemA, &d.ItemB, &d.ValueA, &d.ValueB, &d.Status, &d.FoundBy, &d.FoundAt, &d.DueAt, &d.FeedbackA, &fa,
		&d.FeedbackB, &fb, &auth, &d.Resolution, &d.ResolvedBy, &ra, &d.DisputedA, &d.DisputedB, &d.Override)
	if err != nil {
		return d, err
	}
	d.FoundAt, d.DueAt = d.FoundAt.UTC(), d.DueAt.UTC()
	d.FeedbackAAt, d.FeedbackBAt, d.ResolvedAt = ptrTime(fa), ptrTime(fb), ptrTime(ra)
	d.Authority = auth.Int64
	d.Overdue = d.overdueFor(dept, now)
	return d, nil
}

// overdueFor reports whether d is overdue for the department dept: open,
// past its feedback deadline, and not answered by dept's side; for a
// department of neither side (0: the operator, a list of every
// department), by either side. A side that gave its feedback in time is
// not overdue because the other has not.
func (d *Discrepancy) overdueFor(dept int64, now time.Time) bool {
	if d.Status != "open" || !now.After(d.DueAt) {
		return false
	}
	switch dept {
	case d.DepartmentA:
		return d.FeedbackAAt == nil
	case d.DepartmentB:
		return d.FeedbackBAt == nil
	}
	return d.FeedbackAAt == nil || d.FeedbackBAt == nil
}

func ptrTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// DiscrepancyFilter selects discrepancies. Zero fields match everything.
type DiscrepancyFilter struct {
	DepartmentID int64 // either side
	EntryID      int64 // either side
	SubjectID    string
	// Subject is an identifier typed without its kind (ParseSubject): it
	// matches a person's discrepancies by its citizen ID form or another
	// document's (those of entries keyed by a passport, a permit…) and a
	// legal entity's by its legal-entity form.
	Subject SubjectForms
	// Status is open, awaiting_correction, resolved, or disputed: the open
	// ones that wait for the operator (operatorQueueSQL), those a side
	// disputes (Contested) and those whose source the catalog names not.
	Status  string
	AfterID int64 // cursor
	Limit   int
}

// Discrepancies lists discrepancies by id, after f.AfterID, at most
// f.Limit (default 100, at most 1000), and the cursor of the next page
// (its AfterID): the id of the last one listed while more follow, else 0.
func Discrepancies(ctx context.Context, q sqldb.Querier, f DiscrepancyFilter, now time.Time) ([]Discrepancy, int64, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	f.Limit = min(f.Limit, 1000)
	query, args := discrepanciesQuery(f)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list discrepancies: %w", err)
	}
	defer rows.Close()
	out := []Discrepancy{}
	for rows.Next() {
		d, err := scanDiscrepancy(rows, f.DepartmentID, now)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	out, next := pageOf(out, f.Limit, func(d Discrepancy) int64 { return d.ID })
	return out, next, details(ctx, q, out)
}

// discrepanciesQuery is Discrepancies' query of f's page, one more than
// f.Limit, and its arguments. A department's are those of either side:
// the rows of each side, read in id order through its index by
// department and id (migration 0049), a page of each, merged, the second
// side's without those the department is on both sides of. The one
// condition with OR made SQLite walk every discrepancy by id and check
// both sides.
func discrepanciesQuery(f DiscrepancyFilter) (string, []any) {
	args := []any{f.AfterID}
	dept := f.DepartmentID
	f.DepartmentID = 0
	where := strings.Join(append([]string{"id > $1"}, f.where(&args)...), " AND ")
	page := ` ORDER BY id LIMIT ` + strconv.Itoa(f.Limit+1)
	selectRows := `SELECT ` + discrepancyCols + ` FROM record_discrepancies WHERE `
	if dept == 0 {
		return selectRows + where + page, args
	}
	args = append(args, dept)
	p := "$" + strconv.Itoa(len(args))
	return `SELECT * FROM (` + selectRows + `department_a = ` + p + ` AND ` + where + page + `) a
		UNION ALL SELECT * FROM (` + selectRows + `department_b = ` + p + ` AND department_a <> ` + p + ` AND ` + where + page + `) b` + page, args
}

// details reads the feedback given on ds and their named sources.
func details(ctx context.Context, q sqldb.Querier, ds []Discrepancy) error {
	if err := feedbackHistory(ctx, q, ds); err != nil {
		return err
	}
	return namedSources(ctx, q, ds)
}

// namedSources sets the NamedSource of ds, in one query.
func namedSources(ctx context.Context, q sqldb.Querier, ds []Discrepancy) error {
	if len(ds) == 0 {
		return nil
	}
	var args []any
	ids, byID := byDiscrepancyID(ds)
	in := sqldb.In(q, &args, ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT d.id, a.entry_id FROM record_discrepancies d `+namedSource+`
		WHERE d.id IN `+in+` AND a.entry_id IS NOT NULL`, args...)
	if err != nil {
		return fmt.Errorf("load named sources: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, source int64
		if err := rows.Scan(&id, &source); err != nil {
			return err
		}
		byID[id].NamedSource = source
	}
	return rows.Err()
}

// byDiscrepancyID returns the ids of ds, for an IN list, and ds by id, to
// set what a query of them reads.
func byDiscrepancyID(ds []Discrepancy) ([]int64, map[int64]*Discrepancy) {
	ids := make([]int64, len(ds))
	byID := make(map[int64]*Discrepancy, len(ds))
	for i := range ds {
		ids[i] = ds[i].ID
		byID[ds[i].ID] = &ds[i]
	}
	return ids, byID
}

// feedbackHistory reads the feedback given on ds, in one query, each
// discrepancy's in the order given (by id: given_at is the clock's).
func feedbackHistory(ctx context.Context, q sqldb.Querier, ds []Discrepancy) error {
	if len(ds) == 0 {
		return nil
	}
	var args []any
	ids, byID := byDiscrepancyID(ds)
	for i := range ds {
		ds[i].FeedbackHistory = []DiscrepancyFeedback{}
	}
	in := sqldb.In(q, &args, ids, 0)
	rows, err := q.QueryContext(ctx, `SELECT discrepancy_id, department_id, feedback, disputed, given_at FROM record_discrepancy_feedback
		WHERE discrepancy_id IN `+in+` ORDER BY discrepancy_id, id`, args...)
	if err != nil {
		return fmt.Errorf("load feedback: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var fb DiscrepancyFeedback
		if err := rows.Scan(&id, &fb.DepartmentID, &fb.Feedback, &fb.Disputed, &fb.At); err != nil {
			return err
		}
		fb.At = fb.At.UTC()
		d := byID[id]
		d.FeedbackHistory = append(d.FeedbackHistory, fb)
	}
	return rows.Err()
}

// where returns the conditions of f but its cursor and limit, their
// parameters appended to args.
func (f DiscrepancyFilter) where(args *[]any) []string {
	arg := func(v any) string { *args = append(*args, v); return "$" + strconv.Itoa(len(*args)) }
	var where []string
	if f.DepartmentID != 0 {
		p := arg(f.DepartmentID)
		where = append(where, "(department_a = "+p+" OR department_b = "+p+")")
	}
	if f.EntryID != 0 {
		p := arg(f.EntryID)
		where = append(where, "(entry_a = "+p+" OR entry_b = "+p+")")
	}
	if f.SubjectID != "" {
		where = append(where, "subject_id = "+arg(f.SubjectID))
	}
	var forms []string
	if f.Subject.Person != "" {
		forms = append(forms, "(subject_kind = '"+Person+"' AND subject_id = "+arg(f.Subject.Person)+")")
	}
	if f.Subject.LegalEntity != "" {
		forms = append(forms, "(subject_kind = '"+LegalEntity+"' AND subject_id = "+arg(f.Subject.LegalEntity)+")")
	}
	for _, d := range f.Subject.Documents {
		forms = append(forms, "(subject_kind = '"+Person+"' AND subject_id = "+arg(d)+")")
	}
	if len(forms) > 0 {
		where = append(where, "("+strings.Join(forms, " OR ")+")")
	}
	switch f.Status {
	case "":
	case "disputed":
		where = append(where, operatorQueueSQL)
	default:
		where = append(where, "status = "+arg(f.Status))
	}
	return where
}

// DiscrepancyCounts counts the discrepancies a filter selects, its cursor
// and limit aside.
type DiscrepancyCounts struct {
	Total int64
	// Overdue are the open ones past their feedback deadline that the
	// filter's department has not answered, or either side when it names
	// none (Discrepancy.Overdue).
	Overdue int64
	// Before are those at or before the cursor (AfterID): the rows of the
	// pages before the one the filter lists.
	Before int64
}

// CountDiscrepancies counts what Discrepancies lists page by page.
func CountDiscrepancies(ctx context.Context, q sqldb.Querier, d sqldb.Dialect, f DiscrepancyFilter, now time.Time) (DiscrepancyCounts, error) {
	args := []any{f.AfterID, now.UTC()}
	where := append([]string{"1 = 1"}, f.where(&args)...)
	// SQLite keeps times as text in the zone they were written in (a
	// deadline in Beijing time), which only julianday compares as instants.
	due := "due_at < $2"
	if d == sqldb.SQLite {
		due = "julianday(due_at) < julianday($2)"
	}
	// Overdue as Discrepancy.Overdue says for the filter's department:
	// its own side unanswered.
	unanswered := "(feedback_a_at IS NULL OR feedback_b_at IS NULL)"
	if f.DepartmentID != 0 {
		args = append(args, f.DepartmentID)
		p := "$" + strconv.Itoa(len(args))
		unanswered = "((department_a = " + p + " AND feedback_a_at IS NULL) OR (department_b = " + p + " AND feedback_b_at IS NULL))"
	}
	var c DiscrepancyCounts
	err := q.QueryRowContext(ctx, `SELECT count(*),
		COALESCE(SUM(CASE WHEN status = 'open' AND `+due+` AND `+unanswered+`
			THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN id <= $1 THEN 1 ELSE 0 END), 0)
		FROM record_discrepancies WHERE `+strings.Join(where, " AND "), args...).Scan(&c.Total, &c.Overdue, &c.Before)
	if err != nil {
		return c, fmt.Errorf("count discrepancies: %w", err)
	}
	return c, nil
}

// GetDiscrepancy reads one discrepancy, with its feedback history and
// named source.
func GetDiscrepancy(ctx context.Context, q sqldb.Querier, id int64, now time.Time) (Discrepancy, error) {
	d, err := getDiscrepancy(ctx, q, id, now)
	if err != nil {
		return d, err
	}
	ds := []Discrepancy{d}
	err = details(ctx, q, ds)
	return ds[0], err
}

// getDiscrepancy reads one discrepancy's row, without its feedback
// history: what Feedback and Resolve check before they write.
func getDiscrepancy(ctx context.Context, q sqldb.Querier, id int64, now time.Time) (Discrepancy, error) {
	d, err := scanDiscrepancy(q.QueryRowContext(ctx, `SELECT `+discrepancyCols+` FROM record_discrepancies WHERE id = $1`, id), 0, now)
	if errors.Is(err, sql.ErrNoRows) {
		return d, errs.E(errs.NotFound, "discrepancy_not_found", fmt.Sprintf("差异 %d 不存在", id))
	}
	return d, err
}

// Reviewer is who gives feedback on or resolves a discrepancy.
type Reviewer struct {
	Actor        audit.Actor
	DepartmentID int64
	Operator     bool // the platform operator, who coordinates disputes
}

// sees reports whether by may see d: either side's department, or the
// operator.
func (by Reviewer) sees(d Discrepancy) bool {
	return by.Operator || by.DepartmentID == d.DepartmentA || by.DepartmentID == d.DepartmentB
}

// hiddenDiscrepancy is the answer to a feedback or resolution by a caller
// who may not see the discrepancy: discrepancy_not_found, as for an id
// that does not exist, before its body or its status is looked at, so that
// it tells nothing of the discrepancy. It carries the denied audit row the
// attempt leaves (RefusedEvent).
type hiddenDiscrepancy struct {
	err error
	ev  audit.Event
}

func (h *hiddenDiscrepancy) Error() string { return h.err.Error() }
func (h *hiddenDiscrepancy) Unwrap() error { return h.err }

func hidden(by Reviewer, action string, d Discrepancy) error {
	return &hiddenDiscrepancy{err: errs.E(errs.NotFound, "discrepancy_not_found", fmt.Sprintf("差异 %d 不存在", d.ID)),
		ev: audit.Event{Actor: by.Actor, Action: action, ObjectType: "record_discrepancy", ObjectID: strconv.FormatInt(d.ID, 10),
			SubjectID: d.SubjectID, Outcome: audit.Denied, Detail: audit.Detail("reason", "not_party")}}
}

// RefusedEvent returns the denied audit row of a feedback or resolution
// that err, Feedback's or Resolve's, refused because its caller may not
// see the discrepancy: the caller records it once the write's transaction
// has rolled back, as a refused read is recorded (DeniedEvent).
func RefusedEvent(err error) (audit.Event, bool) {
	var h *hiddenDiscrepancy
	if errors.As(err, &h) {
		return h.ev, true
	}
	return audit.Event{}, false
}

// Feedback records a department's answer on a discrepancy (核查反馈),
// open or awaiting correction (a department may explain while it corrects);
// a resolved one is closed, and refused discrepancy_resolved. disputed
// says whether it disputes the other source's value (true, 不认可，提请政务数据
// 主管部门协调), which sends an open discrepancy to the operator
// (Contested), or accepts it (false: the department then pushes its
// correction, or it is the authoritative source's); nil keeps the side's
// position as it is (a follow-up note neither withdraws nor raises a
// dispute). Only an open discrepancy is disputed, and only by a side that
// is not the catalog's named source of its item, which resolves it
// itself: either is refused not_disputable. An accepting feedback
// withdraws the side's earlier dispute. A department that is neither side is answered as if there were
// no such discrepancy (hiddenDiscrepancy). It returns the discrepancy
// without its values (withoutValues). It is FeedbackIf without a
// condition.
func Feedback(ctx context.Context, tx *sqldb.Tx, by Reviewer, id int64, feedback string, disputed *bool, now time.Time) (Discrepancy, error) {
	return FeedbackIf(ctx, tx, by, id, nil, feedback, disputed, now)
}

// FeedbackIf is Feedback conditioned on the discrepancy's feedback state
// (FeedbackTag) the department answered from, as If-Match sends it or the
// console's form carries it (edit_tag): nil is no condition, an empty list
// matches nothing. A feedback repeating the side's latest one (its text,
// and its position unless left out) changes nothing and is answered as
// given (a form sent twice, a retried request), whatever its tag: no
// second row, no second audit row. Any other started from a state that
// has changed since (the other tab's feedback, the other side's, a
// resolution) is refused concurrent_update rather than overriding what
// the department was never shown. The discrepancy's row is locked before
// it is read, so that of two identical feedbacks sent at once the second
// sees the first's.
func FeedbackIf(ctx context.Context, tx *sqldb.Tx, by Reviewer, id int64, ifMatch []string, feedback string, disputed *bool, now time.Time) (Discrepancy, error) {
	now = now.UTC().Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET id = id WHERE id = $1`, id); err != nil {
		return Discrepancy{}, fmt.Errorf("feedback: %w", err)
	}
	d, err := getDiscrepancy(ctx, tx, id, now)
	if err != nil {
		return d, err
	}
	if !by.sees(d) {
		return Discrepancy{}, hidden(by, "records.discrepancy.feedback", d)
	}
	if err := by.party(d); err != nil {
		return d, err
	}
	col, disputes, mine := "feedback_a", "disputed_a", d.EntryA
	if by.DepartmentID != d.DepartmentA {
		col, disputes, mine = "feedback_b", "disputed_b", d.EntryB
	}
	if disputed != nil && *disputed {
		if d.Status != "open" {
			return d, errs.Field("disputed", "not_disputable", "该差异已处理，待取值有误的部门推送更正，不能再提请协调")
		}
		source, err := namedSourceOf(ctx, tx, id)
		if err != nil {
			return d, err
		}
		if source == mine {
			return d, errs.Field("disputed", "not_disputable", "本部门的数据资源是该信息项的权威数源，可直接处理该差异，无需提请协调")
		}
	}
	// Feedback holding format characters is refused as such; feedback
	// that otherwise shows nothing (text.Blank) is none: taken, it would
	// take the department off the overdue list. Its line breaks are line
	// feeds (MaxNote), as a JSON client's, where the console's form sends
	// CR LF.
	feedback = strings.TrimSpace(text.LineFeeds(feedback))
	if err := checkNote("feedback", "反馈内容", feedback); err != nil {
		return d, err
	}
	if text.Blank(feedback) {
		return d, errs.Field("feedback", "missing_feedback", "反馈内容不能为空")
	}
	given, givenAt, stood := d.FeedbackA, d.FeedbackAAt, d.DisputedA
	if col == "feedback_b" {
		given, givenAt, stood = d.FeedbackB, d.FeedbackBAt, d.DisputedB
	}
	if givenAt != nil && given == feedback && (disputed == nil || *disputed == stood) {
		return answer(ctx, tx, by, id, now)
	}
	if ifMatch != nil && !slices.Contains(ifMatch, d.FeedbackTag()) {
		return d, errs.E(errs.Conflict, "concurrent_update", "该差异的反馈在您打开后已有变化（本部门或对方部门已提交反馈，或差异已处理），为免覆盖，本次反馈未提交：请查看最新反馈后重新提交")
	}
	// The side's column holds its latest feedback; every one is kept in
	// the history, and in its audit row. Only while it is not closed: a
	// comparison that closed it since it was read (PostgreSQL re-reads the
	// row the update waited for) wins. A position left out is the side's
	// as stored when the update runs, which the history and the audit
	// row then record.
	var position any
	if disputed != nil {
		position = *disputed
	}
	var stands bool
	err = tx.QueryRowContext(ctx, `UPDATE record_discrepancies SET `+col+` = $2, `+col+`_at = $3, `+disputes+` = COALESCE($4, `+disputes+`)
		WHERE id = $1 AND status <> 'resolved' RETURNING `+disputes, id, feedback, now, position).Scan(&stands)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return d, errs.E(errs.Conflict, "discrepancy_resolved", "该差异已办结，不能再提交反馈")
	case err != nil:
		return d, fmt.Errorf("feedback: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO record_discrepancy_feedback (discrepancy_id, department_id, feedback,
		given_at, disputed) VALUES ($1, $2, $3, $4, $5)`, id, by.DepartmentID, feedback, now, stands); err != nil {
		return d, fmt.Errorf("feedback: %w", err)
	}
	detail := []string{"feedback", feedback}
	if stands {
		detail = append(detail, "disputed", "true")
	}
	if err := audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "records.discrepancy.feedback",
		ObjectType: "record_discrepancy", ObjectID: strconv.FormatInt(id, 10), SubjectID: d.SubjectID,
		Detail: audit.Detail(detail...)}, now); err != nil {
		return d, err
	}
	return answer(ctx, tx, by, id, now)
}

// party refuses by a feedback on d unless its department is one of d's
// two sides: the operator, who sees every discrepancy, answers for no
// side (not_party). FeedbackIf's rule, and CheckFeedback's.
func (by Reviewer) party(d Discrepancy) error {
	if by.DepartmentID != d.DepartmentA && by.DepartmentID != d.DepartmentB {
		return errs.E(errs.Forbidden, "not_party", "本部门不是该差异涉及的数源部门")
	}
	return nil
}

// WithholdValues leaves out of ds each side's value that the reader may
// not read: a value is its entry's data, served only where may (the
// reader's ReadRecords: a not-shared entry by its source department only,
// not the operator; a conditional one with consent) lets it read that
// entry, as a record's read withholds another source's value
// (Record.Withhold). An entry gone or no longer published is withheld.
// The discrepancy, its entries and items stay: a party, or the operator,
// sees that the item is disputed and between whom, not the value it may
// not read.
func WithholdValues(ctx context.Context, q sqldb.Querier, ds []Discrepancy, may func(department int64, share string) error) error {
	no := entriesRefused(ctx, q, may)
	for i := range ds {
		d := &ds[i]
		na, err := no(d.EntryA)
		if err != nil {
			return err
		}
		nb, err := no(d.EntryB)
		if err != nil {
			return err
		}
		if na {
			d.ValueA, d.ValueAWithheld = "", true
		}
		if nb {
			d.ValueB, d.ValueBWithheld = "", true
		}
	}
	return nil
}

// answer reads discrepancy id as Feedback and Resolve answer it: overdue
// as for by's department (overdueFor), without its values (withoutValues).
func answer(ctx context.Context, tx *sqldb.Tx, by Reviewer, id int64, now time.Time) (Discrepancy, error) {
	d, err := GetDiscrepancy(ctx, tx, id, now)
	d.Overdue = d.overdueFor(by.DepartmentID, now)
	return withoutValues(d, err)
}

// withoutValues is a discrepancy as Feedback and Resolve answer it: without
// its two values, personal data that a read serves for a purpose and
// audits (records.discrepancy.read), and a write is no read.
func withoutValues(d Discrepancy, err error) (Discrepancy, error) {
	d.ValueA, d.ValueB = "", ""
	return d, err
}

// namedSource joins a discrepancy d to the catalog's authoritative source
// of its item, a, when that source is one of its two entries: only then
// does the catalog decide between them (Resolve, and the reads' disputed
// items).
const namedSource = `LEFT JOIN catalog_authoritative_items a ON a.subject_kind = d.subject_kind
	AND a.item_key = d.item_key AND a.entry_id IN (d.entry_a, d.entry_b)`

// namedSourceOf is the entry the catalog names as the source of
// discrepancy id's item when it is one of its two (namedSource), 0 if
// neither.
func namedSourceOf(ctx context.Context, q sqldb.Querier, id int64) (int64, error) {
	var source sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT a.entry_id FROM record_discrepancies d `+namedSource+` WHERE d.id = $1`,
		id).Scan(&source); err != nil {
		return 0, fmt.Errorf("load authoritative source: %w", err)
	}
	return source.Int64, nil
}

// Resolve decides an open discrepancy in favour of the authoritative source
// (一数一源): the entry the catalog names as the item's source when it is
// one of the two, which its department or the platform operator may
// resolve, and the operator alone once the other side contested it
// (Contested: discrepancy_disputed, 409); else the one the operator, who
// coordinates disputes, names. The discrepancy then awaits the other
// source's correction. A department that
// is neither side is answered as if there were no such discrepancy
// (hiddenDiscrepancy). It returns the discrepancy without its values
// (withoutValues).
func Resolve(ctx context.Context, tx *sqldb.Tx, by Reviewer, id, authority int64, note string, now time.Time) (Discrepancy, error) {
	now = now.UTC().Truncate(time.Microsecond)
	d, err := getDiscrepancy(ctx, tx, id, now)
	if err != nil {
		return d, err
	}
	if !by.sees(d) {
		return Discrepancy{}, hidden(by, "records.discrepancy.resolve", d)
	}
	if d.Status != "open" {
		return d, errs.E(errs.Conflict, "discrepancy_resolved", "该差异已处理")
	}
	source, err := namedSourceOf(ctx, tx, id)
	if err != nil {
		return d, err
	}
	if authority, err = by.decides(d, source, authority); err != nil {
		return d, err
	}
	// A note of format characters alone is refused as any holding them;
	// one of other characters that show nothing (a Hangul filler) is none.
	// Its line breaks are line feeds (MaxNote).
	note = text.LineFeeds(note)
	if strings.TrimSpace(note) != "" {
		if err := checkNote("note", "处理说明", note); err != nil {
			return d, err
		}
	}
	if text.Blank(note) {
		note = "以权威数源为准"
	}
	// Only while it is open, and, for the source's department, while the
	// other side does not dispute it: a comparison that closed it, or a
	// disputing feedback, since it was read (PostgreSQL re-reads the row
	// the update waited for) wins. Until 2026-12-05 a dispute that came in
	// while the update waited for its lock was resolved over.
	undisputed := ""
	if !by.Operator {
		undisputed = " AND NOT disputed_b"
		if source == d.EntryB {
			undisputed = " AND NOT disputed_a"
		}
	}
	// The decision records whether it overrode the catalog (Override), for
	// CheckResolve to judge its retry by.
	note = strings.TrimSpace(note)
	res, err := tx.ExecContext(ctx, `UPDATE record_discrepancies SET status = 'awaiting_correction', authoritative_entry_id = $2,
		resolution = $3, resolved_by = $4, resolved_at = $5, operator_override = $6 WHERE id = $1 AND status = 'open'`+undisputed,
		id, authority, note, by.Actor.Kind+":"+by.Actor.ID, now, authority != source)
	if err != nil {
		return d, fmt.Errorf("resolve: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return d, fmt.Errorf("resolve: %w", err)
	} else if n == 0 {
		if cur, err := getDiscrepancy(ctx, tx, id, now); err != nil {
			return d, err
		} else if !by.Operator && contested(cur, source) {
			return d, errDisputed()
		}
		return d, errs.E(errs.Conflict, "discrepancy_resolved", "该差异已处理")
	}
	if err := audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "records.discrepancy.resolve",
		ObjectType: "record_discrepancy", ObjectID: strconv.FormatInt(id, 10), SubjectID: d.SubjectID,
		Detail: resolveDetail(authority, note)}, now); err != nil {
		return d, err
	}
	return answer(ctx, tx, by, id, now)
}

// decides is the entry by may decide discrepancy d in favour of, asked
// for authority (0: the catalog's source), source being the entry the
// catalog names as the source of d's item when it is one of d's two
// (namedSourceOf, 0 if neither): Resolve's rules of who decides, and
// CheckResolve's while d is open. An authority that is neither entry is
// a bad value, whichever side may decide (invalid_authority). The
// catalog's source stands unless the operator decides otherwise; with
// none named, the operator decides, naming the entry
// (missing_authority); only the department of the entry decided right,
// or the operator, decides (not_authoritative: decidesFor), and the
// operator alone once the other side contested it
// (discrepancy_disputed).
func (by Reviewer) decides(d Discrepancy, source, authority int64) (int64, error) {
	if authority != 0 && authority != d.EntryA && authority != d.EntryB {
		return 0, errs.Field("authoritative_entry_id", "invalid_authority", "权威数据资源应为差异涉及的两个数据资源之一")
	}
	switch {
	case source != 0:
		if authority != 0 && authority != source && !by.Operator {
			return 0, errs.E(errs.Forbidden, "not_authoritative", "该信息项的权威数源已由目录确定，只有政务数据主管部门可以改判")
		}
		if authority == 0 {
			authority = source
		}
	case !by.Operator:
		return 0, errs.E(errs.Forbidden, "not_authoritative", "目录未确定这两个数据资源之一为该信息项的权威数源，由政务数据主管部门协调处理")
	case authority == 0:
		return 0, errs.Field("authoritative_entry_id", "missing_authority", "目录未确定这两个数据资源之一为该信息项的权威数源，请指定以哪个数据资源为准")
	}
	if err := by.decidesFor(d, authority); err != nil {
		return 0, err
	}
	if !by.Operator && contested(d, source) {
		return 0, errDisputed()
	}
	return authority, nil
}

// decidesFor refuses by a decision of d in favour of authority, one of
// d's two entries, unless by is the operator or of the department of
// that entry (not_authoritative): the rule decides applies to the entry
// it settles on, and CheckResolve to the entry a decision recorded.
func (by Reviewer) decidesFor(d Discrepancy, authority int64) error {
	if by.Operator {
		return nil
	}
	switch {
	case authority == d.EntryA && by.DepartmentID == d.DepartmentA,
		authority == d.EntryB && by.DepartmentID == d.DepartmentB:
		return nil
	}
	return errs.E(errs.Forbidden, "not_authoritative", "只有权威数源部门或政务数据主管部门可以处理该差异")
}

// errDisputed refuses the source's department a resolution of a
// discrepancy the other side disputes (Contested).
func errDisputed() error {
	return errs.E(errs.Conflict, "discrepancy_disputed",
		"对方部门不认可本部门的数据，已提请协调。部门间有争议的，由政务数据主管部门协调核实后处理，本部门不能自行处理")
}

// resolveDetail is the audit detail of a resolution: the entry decided
// right and the note.
func resolveDetail(authority int64, note string) string {
	b, err := json.Marshal(struct {
		Authority int64  `json:"authoritative_entry_id"`
		Note      string `json:"note"`
	}{authority, note})
	if err != nil {
		panic(err) // an integer and a string always marshal
	}
	return string(b)
}
