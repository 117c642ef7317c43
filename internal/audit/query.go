package audit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

const columns = `seq, at, actor_kind, actor_id, actor_name, department_id, action, object_type,
	object_id, subject_id, fields, purpose, outcome, detail, remote_addr, prev_hash, hash`

func scanEntry(sc interface{ Scan(...any) error }) (Entry, error) {
	var at time.Time
	e, err := scanEntryAt(sc, &at)
	e.At = at.UTC()
	return e, err
}

// scanEntryAt scans a row of columns as scanEntry does but for at, which
// it scans into at and leaves e.At zero.
func scanEntryAt(sc interface{ Scan(...any) error }, at any) (Entry, error) {
	var e Entry
	var dept sql.NullInt64
	err := sc.Scan(&e.Seq, at, &e.Actor.Kind, &e.Actor.ID, &e.Actor.Name, &dept, &e.Action,
		&e.ObjectType, &e.ObjectID, &e.SubjectID, &e.Fields, &e.Purpose, &e.Outcome, &e.Detail,
		&e.Actor.RemoteAddr, &e.PrevHash, &e.Hash)
	e.Actor.DepartmentID = dept.Int64
	return e, err
}

// Filter selects audit rows. Zero fields match everything.
type Filter struct {
	SubjectID string // the subject as typed (trimmed): rows naming it, or any of SubjectForms, as subject_id or among Event.Subjects
	// SubjectForms are the canonical forms of SubjectID as records store
	// a subject and audit rows name it (records.ParseSubject's person and
	// legal-entity forms, which the callers give: records imports audit):
	// 11010519491231002x, 110105491231002 and １１０１…２Ｘ all find the
	// rows of 11010519491231002X. Empty ones are ignored; without
	// SubjectID they select nothing more.
	SubjectForms []string
	Action       string   // exact action, or a prefix ending in "." such as "auth."
	Actions      []string // any of these, each an exact action or a prefix as Action
	ActorKind    string
	ActorID      string
	ActorName    string // exact: an account's username, an app's name
	DepartmentID int64
	Outcome      string
	Outcomes     []string // any of these, each as Outcome (ParseOutcomes)
	// Since and Until bound the rows' time: at >= Since and at < Until
	// (zero: unbounded). A row's time is stored to the microsecond
	// (Record truncates it), which is all PostgreSQL keeps of a bound
	// too, while SQLite compared the whole value: so List rounds each
	// bound up to the next microsecond (one already whole stays): a row
	// at t is before Since t+0.5µs and before Until t+0.1µs, on both
	// engines, as the value given says.
	Since, Until time.Time
	Before       int64 // cursor: only rows with seq < Before (newest first)
	Limit        int   // default 50, at most MaxList
}

// MaxList is the most rows List reads at a time: a larger Filter.Limit
// reads MaxList (the API's limit, audit list's -limit).
const MaxList = 500

// List returns matching rows, newest first (never nil), and the cursor for
// the next page (0 when there is none). An action or prefix of the filter
// that no ActionGroup has and no row has either is refused
// (invalid_action): a misspelt action would match no row and read as
// "nothing happened". A transaction's own rows are not among them until
// it commits: they are appended then (pending).
func List(ctx context.Context, q sqldb.Querier, f Filter) ([]Entry, int64, error) {
	if err := checkActions(ctx, q, append([]string{f.Action}, f.Actions...)); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, MaxList)
	f.Since, f.Until = microUp(f.Since), microUp(f.Until)
	for {
		query, args, found, err := pageQuery(ctx, q, f, limit)
		if err != nil {
			return nil, 0, err
		}
		beforePage()
		out := []Entry{} // an empty page is [] in JSON, as the other lists
		if query != "" {
			if out, err = readPage(ctx, q, query, args); err != nil {
				return nil, 0, err
			}
		}
		if found != nil {
			// The page read the actions of f's prefixes found before it.
			// Rows are only appended, so the actions found after it hold
			// every action the page could have selected: when no new
			// one is among them (a row of an action never written
			// before, appended in between), the page is the rows the
			// prefixes select as of its read.
			again, err := prefixActions(ctx, q, f)
			if err != nil {
				return nil, 0, err
			}
			if !slices.Equal(again, found) {
				continue
			}
		}
		var next int64
		if len(out) > limit {
			out = out[:limit]
			next = out[limit-1].Seq
		}
		return out, next, nil
	}
}

// beforePage runs between List's query of a page and its read: rows
// appended there by tests.
var beforePage = func() {}

// readPage reads the rows of a page's query.
func readPage(ctx context.Context, q sqldb.Querier, query string, args []any) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit: list: %w", err)
	}
	return out, nil
}

// maxActionWalks is the most actions of prefixes a page's query on SQLite
// reads each by its own walk of audit_log_action (listQuery): more, and
// it reads the range of each prefix and sorts its rows.
const maxActionWalks = 64

// pageQuery is List's query of f's page of limit rows (one more, for the
// cursor), "" when f's actions exclude each other and no row can match.
// On SQLite, the prefixes of f's actions are read as the actions the
// rows in their ranges have (prefixActions, found: nil when the prefixes
// stay ranges), up to maxActionWalks of them, which listQuery reads each in
// seq order: a prefix most rows have ("records.") was the range of its
// actions, all of whose rows SQLite read and sorted for one page
// (seconds on 1,000,000 rows). Rows of older releases may hold actions
// ActionGroups no longer has, so the actions are read from the rows. Only
// when walkActions: else another index serves the page, and the prefix
// stays a range.
func pageQuery(ctx context.Context, q sqldb.Querier, f Filter, limit int) (query string, args []any, found []string, err error) {
	sqlite := sqldb.OnSQLite(q)
	byTime, err := readByTime(ctx, q, f)
	if err != nil {
		return "", nil, nil, err
	}
	if sqlite && walkActions(f, byTime) && slices.ContainsFunc(append([]string{f.Action}, f.Actions...), isPrefix) {
		all, err := prefixActions(ctx, q, f)
		if err != nil {
			return "", nil, nil, err
		}
		if len(all) <= maxActionWalks {
			found = append([]string{}, all...) // not nil: the prefixes were read as found
			f.Actions = exactActions(f, found)
			f.Action = ""
			if len(f.Actions) == 0 {
				return "", nil, found, nil
			}
		}
	}
	query, args = listQuery(f, limit, sqlite, byTime)
	return query, args, found, nil
}

// isPrefix reports whether an action of a filter is a prefix ("auth.").
func isPrefix(a string) bool { return strings.HasSuffix(a, ".") }

// prefixActions is the actions, in order and each once, the rows of the
// ranges of f's prefixes have on SQLite (actionCond). Each is one read of
// audit_log_action: the first action after the one before it in the
// range, so that a prefix costs as many reads as it has actions, not
// rows.
func prefixActions(ctx context.Context, q sqldb.Querier, f Filter) ([]string, error) {
	var out []string
	for _, a := range append([]string{f.Action}, f.Actions...) {
		if !isPrefix(a) {
			continue
		}
		rows, err := q.QueryContext(ctx, prefixActionsSQL, a, strings.TrimSuffix(a, ".")+"/")
		if err != nil {
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		for rows.Next() {
			var action string
			if err := rows.Scan(&action); err != nil {
				rows.Close()
				return nil, fmt.Errorf("audit: list: %w", err)
			}
			out = append(out, action)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, fmt.Errorf("audit: list: %w", err)
		}
		rows.Close()
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// prefixActionsSQL is prefixActions' query of the actions from $1 to
// before $2.
const prefixActionsSQL = `WITH RECURSIVE found(action) AS (
	SELECT (SELECT action FROM audit_log WHERE action >= $1 AND action < $2 ORDER BY action LIMIT 1)
	UNION ALL
	SELECT (SELECT action FROM audit_log WHERE action > found.action AND action < $2 ORDER BY action LIMIT 1)
	FROM found WHERE found.action IS NOT NULL
) SELECT action FROM found WHERE action IS NOT NULL`

// exactActions is the actions f's Action and Actions both allow (each
// when given), where a prefix allows the actions of found it starts: the
// exact actions of f on a log whose rows of its prefixes have the
// actions found.
func exactActions(f Filter, found []string) []string {
	allowed := func(filter []string) []string {
		var out []string
		for _, a := range filter {
			if !isPrefix(a) {
				out = append(out, a)
				continue
			}
			for _, b := range found {
				if strings.HasPrefix(b, a) {
					out = append(out, b)
				}
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	out := allowed(f.Actions)
	if f.Action != "" {
		one := allowed([]string{f.Action})
		if len(f.Actions) == 0 {
			return one
		}
		out = slices.DeleteFunc(out, func(a string) bool { return !slices.Contains(one, a) })
	}
	return out
}

// microUp returns t in UTC rounded up to the next microsecond, t itself
// when it has no digits below one (the zero time stays zero): a bound of
// Filter's time as both engines compare it with the rows'.
func microUp(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.UTC()
	if u := t.Truncate(time.Microsecond); !u.Equal(t) {
		return u.Add(time.Microsecond)
	}
	return t
}

// listQuery is List's query of the rows f selects, newest first, one more
// than limit. sqlite is the engine, which a prefix of actions is read
// differently on (actionCond); byTime reads the rows of f's time bounds
// through audit_log_at, else the bounds are checked on rows read otherwise
// (readByTime). Each filter is served by an index (migration 0035, 0049's
// by actor kind, and 0001's by subject and action), which the engines
// choose by their statistics. at, a row's time, is its caller's clock,
// read before the row waits for its place in the chain (Record's now,
// Group's queued callers): it does not grow strictly with seq, so a time
// bound is not a range of seq (TestListPlan). On SQLite, several exact actions (a group, or the
// actions pageQuery found for a prefix) are read each by its own walk of
// audit_log_action newest first, a page of each at most, and the walks'
// rows merged: SQLite reads the rows of several actions through the index
// in action order, and sorted all of them for one page. Only when
// walkActions.
func listQuery(f Filter, limit int, sqlite, byTime bool) (string, []any) {
	var args []any
	order := "seq"
	if byTime {
		order = "seq + 0" // not the walk of audit_log_pkey in seq order
	}
	page := fmt.Sprintf(` ORDER BY %s DESC LIMIT %d`, order, limit+1)
	actions := exactActions(f, nil)
	if !sqlite || !walkActions(f, byTime) || len(actions) < 2 || slices.ContainsFunc(append([]string{f.Action}, f.Actions...), isPrefix) {
		return selectRows(f, sqlite, byTime, &args) + page, args
	}
	walks := make([]string, len(actions))
	for i, a := range actions {
		f.Action, f.Actions = "", []string{a}
		walks[i] = `SELECT * FROM (` + selectRows(f, sqlite, byTime, &args) + page + `)`
	}
	return strings.Join(walks, ` UNION ALL `) + fmt.Sprintf(` ORDER BY seq DESC LIMIT %d`, limit+1), args
}

// selectRows is the SELECT of the rows f selects, in no order, with its
// arguments added to args (listQuery).
func selectRows(f Filter, sqlite, byTime bool, args *[]any) string {
	var where []string
	add := func(cond string, v any) {
		*args = append(*args, v)
		where = append(where, fmt.Sprintf(cond, len(*args)))
	}
	var subjects string // the subject's forms, a list of parameters
	if f.SubjectID != "" {
		var forms, in []string
		for _, s := range append([]string{f.SubjectID}, f.SubjectForms...) {
			if s != "" && !slices.Contains(forms, s) {
				forms = append(forms, s)
				*args = append(*args, s)
				in = append(in, fmt.Sprintf("$%d", len(*args)))
			}
		}
		subjects = strings.Join(in, ", ")
	}
	if f.Action != "" {
		where = append(where, actionCond([]string{f.Action}, args, sqlite))
	}
	if len(f.Actions) > 0 {
		where = append(where, actionCond(f.Actions, args, sqlite))
	}
	if slices.Contains(actorKinds, f.ActorKind) {
		// A literal, as outcome <> 'ok' below: PostgreSQL's generic plan
		// of a parameter takes any kind for as many rows as the commonest
		// and walked the log newest first for one few rows have (system),
		// audit_log_actor_kind (0049) or not. Beside outcomes not ok, or
		// actions, SQLite (sqlite_stat1 alone) took a kind's rows for
		// fewer than audit_log_not_ok's, or than an action's on a log of
		// as few actions as kinds, and walked every staff row newest first
		// for a page of their denied ones (0.6 s on 300,000 rows) or of an
		// action none has (1 s): there the kind is +actor_kind, which no
		// index serves.
		kind := "actor_kind"
		if sqlite && (notOK(f) || f.Action != "" || len(f.Actions) > 0) {
			kind = "+actor_kind"
		}
		where = append(where, kind+" = '"+f.ActorKind+"'")
	} else if f.ActorKind != "" { // no row's, refused by Check
		add("actor_kind = $%d", f.ActorKind)
	}
	if f.ActorID != "" {
		add("actor_id = $%d", f.ActorID)
	}
	if f.ActorName != "" {
		add("actor_name = $%d", f.ActorName)
	}
	if f.DepartmentID != 0 {
		add("department_id = $%d", f.DepartmentID)
	}
	if f.Outcome != "" {
		add("outcome = $%d", f.Outcome)
	}
	if len(f.Outcomes) > 0 {
		var in []string
		for _, o := range f.Outcomes {
			*args = append(*args, o)
			in = append(in, fmt.Sprintf("$%d", len(*args)))
		}
		where = append(where, "outcome IN ("+strings.Join(in, ", ")+")")
	}
	if notOK(f) {
		// audit_log_not_ok's condition, word for word: SQLite does not
		// prove it from the parameters' values, nor PostgreSQL in a
		// generic plan.
		where = append(where, "outcome <> 'ok'")
	}
	at := "at"
	if sqlite && !byTime {
		at = "+at" // not through audit_log_at
	}
	if !f.Since.IsZero() {
		add(at+" >= $%d", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add(at+" < $%d", f.Until.UTC())
	}
	if f.Before > 0 {
		add("seq < $%d", f.Before)
	}
	query := `SELECT ` + columns + ` FROM audit_log`
	if subjects != "" {
		// A row names its subject as subject_id (audit_log_subject), and
		// the other subjects its read served in audit_subjects
		// (Event.Subjects, 0037): the rows of each, read by their own
		// index, the second looked up by seq. One condition with OR made
		// PostgreSQL walk the whole log newest first.
		rest := ""
		if len(where) > 0 {
			rest = ` AND ` + strings.Join(where, " AND ")
		}
		query += ` WHERE subject_id IN (` + subjects + `)` + rest + ` UNION ALL SELECT ` + columns + ` FROM audit_log
			WHERE seq IN (SELECT seq FROM audit_subjects WHERE subject_id IN (` + subjects + `)) AND subject_id NOT IN (` + subjects + `)` + rest
	} else if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	return query
}

// notOK reports whether f selects rows that are not ok only.
func notOK(f Filter) bool {
	return (f.Outcome != "" && f.Outcome != OK) || (len(f.Outcomes) > 0 && !slices.Contains(f.Outcomes, OK))
}

// walkActions reports whether the rows of f's actions on SQLite are read
// by a walk of each action (listQuery), when it selects several: neither
// its time bounds (byTime) nor a filter whose index reads the rows in seq
// order (a subject, an actor name, a department, outcomes not ok) serve
// the page. With one, the page reads that index and checks the actions,
// which stops as soon as the page is full, where a walk of an action
// having no row of the subject or department reads each row that
// index has.
func walkActions(f Filter, byTime bool) bool {
	return !byTime && f.SubjectID == "" && f.ActorName == "" && f.DepartmentID == 0 && !notOK(f)
}

// readByTime reports whether List should read the rows of f's time bounds
// through audit_log_at and sort them by seq, rather than walk the log from
// its newest row down until the page is full: when f has no filter by
// subject, actor name or department (whose indexes read one of them in seq
// order) and fewer rows fall within its bounds than are newer than its
// until, which the walk passes over. Neither planner can know this: they
// take the rows of a time range as spread evenly over seq, where they lie
// together, so both walked the whole log for an until long past, and
// PostgreSQL for a day in the middle of it. Where a bound falls in seq is
// read from audit_log_at, as the first row at or after it: rows are in
// seq order nearly in time, which is all this estimate needs (the rows
// selected are the same either way).
func readByTime(ctx context.Context, q sqldb.Querier, f Filter) (bool, error) {
	if (f.Since.IsZero() && f.Until.IsZero()) || f.SubjectID != "" || f.ActorName != "" || f.DepartmentID != 0 {
		return false, nil
	}
	var head int64
	if err := q.QueryRowContext(ctx, `SELECT seq FROM audit_head WHERE id = 1`).Scan(&head); err != nil {
		return false, fmt.Errorf("audit: list: %w", err)
	}
	// seqAt is the seq of the first row at or after t, head+1 when none.
	seqAt := func(t time.Time) (int64, error) {
		var seq int64
		err := q.QueryRowContext(ctx, `SELECT seq FROM audit_log WHERE at >= $1 ORDER BY at LIMIT 1`, t.UTC()).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return head + 1, nil
		}
		return seq, err
	}
	since, until := int64(1), head+1
	var err error
	if !f.Since.IsZero() {
		if since, err = seqAt(f.Since); err != nil {
			return false, fmt.Errorf("audit: list: %w", err)
		}
	}
	if !f.Until.IsZero() {
		if until, err = seqAt(f.Until); err != nil {
			return false, fmt.Errorf("audit: list: %w", err)
		}
	}
	return until-since <= head+1-until, nil
}

// checkActions refuses an action, or a prefix ending in ".", that is
// neither one of ActionGroups' nor any row's. Only values ActionGroups
// does not know are looked up, each with one read of the action index.
func checkActions(ctx context.Context, q sqldb.Querier, actions []string) error {
	for _, a := range actions {
		if a == "" || knownAction(a) {
			continue
		}
		var args []any
		cond := actionCond([]string{a}, &args, sqldb.OnSQLite(q))
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM audit_log WHERE `+cond+` LIMIT 1`, args...).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return errs.Field("action", "invalid_action", "没有这一操作："+a+"；操作应为操作代码（如 records.read）、以“.”结尾的前缀（如 records.）或 "+GroupPrefix+"类别："+groupList())
		}
		if err != nil {
			return fmt.Errorf("audit: list: %w", err)
		}
	}
	return nil
}

// actionCond is the condition that a row's action is any of actions, each
// exact or a prefix ending in ".", with its arguments added to args. On
// SQLite a prefix is the range of actions from it to the same text ending
// in "/" ("." + 1), which audit_log_action serves and which is the prefix's
// rows exactly in SQLite's BINARY order; its LIKE, which ignores case,
// cannot use the index. On PostgreSQL the range would be the prefix only in
// a database ordered by code point (docs/postgresql.md asks for C.UTF-8,
// but one created otherwise orders by its locale), so it stays a LIKE.
func actionCond(actions []string, args *[]any, sqlite bool) string {
	var exact, conds []string
	for _, a := range actions {
		switch {
		case strings.HasSuffix(a, ".") && sqlite:
			*args = append(*args, a, strings.TrimSuffix(a, ".")+"/")
			conds = append(conds, fmt.Sprintf(`(action >= $%d AND action < $%d)`, len(*args)-1, len(*args)))
		case strings.HasSuffix(a, "."):
			*args = append(*args, likeEscaper.Replace(a)+"%")
			conds = append(conds, fmt.Sprintf(`action LIKE $%d ESCAPE '\'`, len(*args)))
		default:
			*args = append(*args, a)
			exact = append(exact, fmt.Sprintf("$%d", len(*args)))
		}
	}
	switch {
	case len(exact) == 1:
		conds = append(conds, "action = "+exact[0])
	case len(exact) > 1:
		conds = append(conds, "action IN ("+strings.Join(exact, ", ")+")")
	}
	if len(conds) == 1 {
		return conds[0]
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

// likeEscaper escapes LIKE's wildcards, for ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
