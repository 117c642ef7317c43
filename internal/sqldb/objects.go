package sqldb

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// objectsFS holds, per dialect (objects/postgres.txt, objects/sqlite.txt),
// the schema objects each embedded migration creates and removes, as
// objects gives them, after comment lines (#): a migration's file name on
// a line of its own, in order, then its objects one a line, "+ " before
// each it adds and "- " before each it removes (those first), each kind sorted. The objects a
// database has at a version are the fold of the migrations applied, so a
// database a former release left is checked before it is migrated.
// TestExpectedObjects migrates a new database of each engine one
// migration at a time and keeps the lists equal to what its catalog
// lists after each.
//
//go:embed objects
var objectsFS embed.FS

// ObjectStep is what one migration does to the schema objects.
type ObjectStep struct {
	Migration      string   // its file name
	Added, Removed []string // the objects it creates and drops, sorted
}

// ObjectSteps returns the embedded migrations of dialect d, in order, with
// the schema objects each creates and drops (objectsFS).
func ObjectSteps(d Dialect) ([]ObjectStep, error) {
	body, err := objectsFS.ReadFile(path.Join("objects", d.String()+".txt"))
	if err != nil {
		return nil, err
	}
	var steps []ObjectStep
	for line := range strings.Lines(string(body)) {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "+ ") && len(steps) > 0:
			steps[len(steps)-1].Added = append(steps[len(steps)-1].Added, line[2:])
		case strings.HasPrefix(line, "- ") && len(steps) > 0:
			steps[len(steps)-1].Removed = append(steps[len(steps)-1].Removed, line[2:])
		case strings.HasSuffix(line, ".sql"):
			steps = append(steps, ObjectStep{Migration: line})
		default:
			return nil, fmt.Errorf("sqldb: objects/%s.txt: line %q", d, line)
		}
	}
	return steps, nil
}

// expectedObjects folds steps over the migrations applied (nil: all):
// the schema objects a database of those migrations has, sorted.
func expectedObjects(steps []ObjectStep, applied map[string]bool) []string {
	set := map[string]bool{}
	for _, st := range steps {
		if applied != nil && !applied[st.Migration] {
			continue
		}
		for _, o := range st.Removed {
			delete(set, o)
		}
		for _, o := range st.Added {
			set[o] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// ExpectedObjects returns the schema objects a database of dialect d has
// once every embedded migration is applied, sorted, as objects gives them.
func ExpectedObjects(d Dialect) ([]string, error) {
	steps, err := ObjectSteps(d)
	if err != nil {
		return nil, err
	}
	return expectedObjects(steps, nil), nil
}

// objectsQuery lists, in one read of the catalog, the schema objects of the
// database as kind, table (empty for an object of its own) and name: on
// PostgreSQL, in the schemas of the search path, its tables, views and
// sequences, indexes, constraints (primary keys, unique, foreign keys,
// checks, exclusions; not PostgreSQL 18's NOT NULL), triggers and
// functions, those of extensions left out (an extension's member is
// matched by catalog and OID: the OIDs of pg_class and pg_proc, as of
// pg_type, are independent, so one of a table may equal one of an
// extension's function); on SQLite its tables, views,
// indexes and triggers, SQLite's own left out. The fourth column is
// false for an index PostgreSQL marks invalid (indisvalid), as a CREATE
// INDEX CONCURRENTLY or REINDEX CONCURRENTLY that failed leaves it: in the
// catalog, but neither used by queries nor, when unique, enforced.
// pg_restore creates indexes,
// constraints and triggers last (post-data), after the rows of every
// table, schema_migrations among them.
var objectsQuery = map[Dialect]string{
	SQLite: `SELECT type, CASE WHEN type IN ('index', 'trigger') THEN tbl_name ELSE '' END, name, 1 FROM sqlite_master
		WHERE type IN ('table', 'view', 'index', 'trigger') AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`,
	Postgres: `WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = ANY (current_schemas(false))),
		ext AS (SELECT objid FROM pg_catalog.pg_depend WHERE deptype = 'e' AND classid = 'pg_catalog.pg_class'::regclass),
		extproc AS (SELECT objid FROM pg_catalog.pg_depend WHERE deptype = 'e' AND classid = 'pg_catalog.pg_proc'::regclass)
		SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'table' END, '', c.relname, true
			FROM pg_catalog.pg_class c
			WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND c.relnamespace IN (SELECT oid FROM ns)
			AND c.oid NOT IN (SELECT objid FROM ext)
		UNION ALL
		SELECT 'index', t.relname, c.relname, i.indisvalid FROM pg_catalog.pg_index i
			JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid JOIN pg_catalog.pg_class t ON t.oid = i.indrelid
			WHERE c.relnamespace IN (SELECT oid FROM ns) AND t.oid NOT IN (SELECT objid FROM ext)
		UNION ALL
		SELECT CASE k.contype WHEN 'p' THEN 'primary-key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign-key'
				WHEN 'c' THEN 'check' ELSE 'exclusion' END, t.relname, k.conname, true
			FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class t ON t.oid = k.conrelid
			WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND t.relnamespace IN (SELECT oid FROM ns)
			AND t.oid NOT IN (SELECT objid FROM ext)
		UNION ALL
		SELECT 'trigger', t.relname, g.tgname, true FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class t ON t.oid = g.tgrelid
			WHERE NOT g.tgisinternal AND t.relnamespace IN (SELECT oid FROM ns) AND t.oid NOT IN (SELECT objid FROM ext)
		UNION ALL
		SELECT 'function', '', p.proname, true FROM pg_catalog.pg_proc p
			WHERE p.pronamespace IN (SELECT oid FROM ns) AND p.oid NOT IN (SELECT objid FROM extproc)`,
}

// objects returns the schema objects of the database, sorted, one string
// each: "kind name" for a table, view, sequence or function, "kind
// table.name" for an index, constraint or trigger (kind: table, view,
// sequence, index, primary-key, unique, foreign-key, check, exclusion,
// trigger, function), an invalid index left out of objs and named in
// invalid, sorted. It reads the catalog once. Its error is the driver's
// (CheckObjects words it: objectsUnreadable).
func (db *DB) objects(ctx context.Context) (objs, invalid []string, err error) {
	rows, err := db.read.QueryContext(ctx, objectsQuery[db.Dialect])
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, table, name string
		var valid bool
		if err := rows.Scan(&kind, &table, &name, &valid); err != nil {
			return nil, nil, err
		}
		if table != "" {
			name = table + "." + name
		}
		if valid {
			objs = append(objs, kind+" "+name)
		} else {
			invalid = append(invalid, kind+" "+name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	slices.Sort(objs)
	slices.Sort(invalid)
	return objs, invalid, nil
}

// IncompleteSchemaError refuses a database that lacks schema objects the
// migrations it records as applied create, current or not: most
// often a restore that did not complete. pg_restore writes the tables and
// their rows (schema_migrations' among them) before the indexes, primary
// keys, unique and foreign-key constraints and triggers; stopped part-way
// (interrupted, a truncated dump, a full disk, an error it went past), it
// leaves a database whose every migration reads as applied, whose reads
// work, and whose writes fail (ON CONFLICT finds no unique constraint) or
// break the rules the constraints keep.
type IncompleteSchemaError struct {
	Source   string   // the database, as DB.Source
	Dialect  Dialect  // its engine
	Missing  []string // the objects missing, sorted, as objects gives them
	Invalid  []string // those of Missing that are invalid indexes, sorted
	Expected int      // how many objects the migrations applied create
	Applied  int      // how many migrations it records as applied
	Last     string   // the last of them
}

func (e *IncompleteSchemaError) Error() string {
	names := slices.Clone(e.Missing)
	if len(names) > 5 {
		names = names[:5]
	}
	for i, n := range names {
		if _, invalid := slices.BinarySearch(e.Invalid, n); invalid {
			names[i] += "（无效）"
		}
	}
	more := ""
	if len(e.Missing) > len(names) {
		more = " 等"
	}
	advice := "这通常说明恢复没有完成（pg_restore 被中断、转储文件不完整、磁盘已满，或恢复时报错而未退出）：" +
		"pg_restore 先写入表和数据（包括迁移记录），最后才建立索引、主键、唯一约束、外键和触发器。" +
		"请勿使用这个数据库，也不要对它运行 hutong migrate：新建一个空数据库，重新运行 pg_restore，" +
		"确认它以退出码 0 结束，再运行 hutong migrate -status 检查（见 docs/backup.md）"
	if e.Dialect == SQLite {
		advice = "这通常说明数据库文件不是完整的备份或恢复，或有人删除了其中的对象：" +
			"请勿使用它，从备份重新恢复（hutong backup -verify 检查备份文件，见 docs/backup.md）"
	}
	if len(e.Invalid) > 0 {
		advice = fmt.Sprintf("其中 %d 个索引存在但无效（CREATE INDEX CONCURRENTLY 或 REINDEX CONCURRENTLY 失败后留下的，"+
			"查询不使用它，唯一索引也不约束重复）：请 DROP INDEX 后按迁移中的定义重新建立，或 REINDEX INDEX 重建它"+
			"（见 docs/postgresql.md）。", len(e.Invalid)) + advice
	}
	return fmt.Sprintf("数据库 %s（%s）的结构不完整：按其迁移记录（已应用 %d 个迁移，至 %s）应有的 %d 个结构对象中缺少 %d 个（%s%s）。%s",
		e.Source, e.Dialect, e.Applied, e.Last, e.Expected, len(e.Missing), strings.Join(names, "、"), more, advice)
}

// objectsReadError is CheckObjects' failure to read the schema objects of a
// database from its catalog, said in Chinese naming the database and what
// failed, the driver's error as its cause.
type objectsReadError struct {
	source string
	err    error
}

func (e *objectsReadError) Error() string {
	return "无法检查数据库 " + e.source + " 的结构是否完整：读取其结构对象（表、索引、约束和触发器）失败：" + lastLine(e.err)
}

func (e *objectsReadError) Unwrap() error { return e.err }

// objectsUnreadable is err, the driver's of objects, as CheckObjects
// returns it: accessError's refusal of a role denied access, already said,
// or else an *objectsReadError.
func objectsUnreadable(db *DB, err error) error {
	err = accessError(db, err)
	var said *openFailure
	if errors.As(err, &said) {
		return err
	}
	return &objectsReadError{source: db.Source, err: err}
}

// CheckObjects returns an *IncompleteSchemaError when the database lacks
// any of the schema objects the migrations it records as applied create
// (ObjectSteps folded over them), an invalid index counting as missing,
// nil when it has them all; objects it has besides are no matter, and so
// is a database that records none (a new one: requireBuilt's matter) or
// one a newer release migrated (CheckNewer's). Checked before migrating,
// it refuses a half-restored dump of a former release before any
// migration is applied to it. It reads the version table and the catalog,
// and the version table again, once more when a migrator committed
// meanwhile.
func (db *DB) CheckObjects(ctx context.Context) error {
	steps, err := ObjectSteps(db.Dialect)
	if err != nil {
		return err
	}
	known := map[string]bool{}
	for _, st := range steps {
		known[st.Migration] = true
	}
	for try := 0; ; try++ {
		applied, err := db.applied(ctx)
		if err != nil {
			return err
		}
		for n := range applied {
			if !known[n] {
				return nil
			}
		}
		if len(applied) == 0 {
			return nil
		}
		have, invalid, err := db.objects(ctx)
		if err != nil {
			return objectsUnreadable(db, err)
		}
		// A migration committed between the two reads leaves objects of
		// a schema later than the records read: read both again.
		again, err := db.applied(ctx)
		if err != nil {
			return err
		}
		if !maps.Equal(applied, again) && try < 3 {
			continue
		}
		want := expectedObjects(steps, applied)
		e := &IncompleteSchemaError{Source: db.Source, Dialect: db.Dialect, Expected: len(want), Applied: len(applied)}
		for _, st := range steps {
			if applied[st.Migration] {
				e.Last = st.Migration
			}
		}
		for _, o := range want {
			if _, found := slices.BinarySearch(have, o); !found {
				e.Missing = append(e.Missing, o)
				if _, found := slices.BinarySearch(invalid, o); found {
					e.Invalid = append(e.Invalid, o)
				}
			}
		}
		if len(e.Missing) == 0 {
			return nil
		}
		return e
	}
}
