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
	SubjectID string // the subject as typed (trimmed): rows naming it, or any of SubjectForms
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
// "nothing happened".
func List(ctx context.Context, q sqldb.Querier, f Filter) ([]Entry, int64, error) {
	if err := checkActions(ctx, q, append([]string{f.Action}, f.Actions...)); err != nil {
		return nil, 0, err
	}
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.SubjectID != "" {
		var subjects, in []string
		for _, s := range append([]string{f.SubjectID}, f.SubjectForms...) {
			if s != "" && !slices.Contains(subjects, s) {
				subjects = append(subjects, s)
				args = append(args, s)
				in = append(in, fmt.Sprintf("$%d", len(args)))
			}
		}
		where = append(where, "subject_id IN ("+strings.Join(in, ", ")+")")
	}
	if f.Action != "" {
		where = append(where, actionCond([]string{f.Action}, &args))
	}
	if len(f.Actions) > 0 {
		where = append(where, actionCond(f.Actions, &args))
	}
	if f.ActorKind != "" {
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
			args = append(args, o)
			in = append(in, fmt.Sprintf("$%d", len(args)))
		}
		where = append(where, "outcome IN ("+strings.Join(in, ", ")+")")
	}
	if !f.Since.IsZero() {
		add("at >= $%d", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		add("at < $%d", f.Until.UTC())
	}
	if f.Before > 0 {
		add("seq < $%d", f.Before)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, MaxList)
	query := `SELECT ` + columns + ` FROM audit_log`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	query += fmt.Sprintf(` ORDER BY seq DESC LIMIT %d`, limit+1)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	defer rows.Close()
	out := []Entry{} // an empty page is [] in JSON, as the other lists
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("audit: list: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("audit: list: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Seq
	}
	return out, next, nil
}

// checkActions refuses an action, or a prefix ending in ".", that is
// neither one of ActionGroups' nor any row's. Only values ActionGroups
// does not know are looked up, each with one read of the action index.
func checkActions(ctx context.Context, q sqldb.Querier, actions []string) error {
	for _, a := range actions {
		if a == "" || knownAction(a) {
			continue
		}
		cond, arg := `action = $1`, a
		if strings.HasSuffix(a, ".") {
			cond, arg = `action LIKE $1 ESCAPE '\'`, likeEscaper.Replace(a)+"%"
		}
		var one int
		err := q.QueryRowContext(ctx, `SELECT 1 FROM audit_log WHERE `+cond+` LIMIT 1`, arg).Scan(&one)
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
// exact or a prefix ending in ".", with its arguments added to args.
func actionCond(actions []string, args *[]any) string {
	var exact, conds []string
	for _, a := range actions {
		if strings.HasSuffix(a, ".") {
			*args = append(*args, likeEscaper.Replace(a)+"%")
			conds = append(conds, fmt.Sprintf(`action LIKE $%d ESCAPE '\'`, len(*args)))
		} else {
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
