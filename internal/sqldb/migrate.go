package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

//go:embed migrations
var migrationFS embed.FS

// Migrations lists the embedded migration file names for a dialect, in the
// order they apply. Both dialects carry the same names.
func Migrations(d Dialect) ([]string, error) {
	names, err := fs.Glob(migrationFS, path.Join("migrations", d.String(), "*.sql"))
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = path.Base(n)
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction, and returns the names it applied. Several processes may call
// it at once: on PostgreSQL they queue on an advisory lock to create the
// version table, then on a lock of it for each migration; on SQLite the
// writer lock serialises them. It refuses a database a newer
// release migrated (*NewerSchemaError) and applies nothing to it.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	return db.migrate(ctx, "", Progress{})
}

// MigrateProgress is Migrate telling p of each migration as it starts and
// once it is applied: an upgrade of a large database may take minutes.
func (db *DB) MigrateProgress(ctx context.Context, p Progress) ([]string, error) {
	return db.migrate(ctx, "", p)
}

// Progress is told of the migrations Migrate applies, as they are
// applied. Either function may be nil.
type Progress struct {
	// Before is called as the migration name, the i-th (from 1) of the n
	// pending, starts.
	Before func(name string, i, n int)
	// After is called once name is applied (committed), elapsed after
	// it started. It is not called for a migration that failed, nor for
	// one another process applied meanwhile.
	After func(name string, elapsed time.Duration)
}

// NewerSchemaError refuses a database whose schema is newer than the
// binary's: it holds migrations the binary does not embed, applied by a
// newer release. Migrations only go forward, and the binary's writes may
// not fill what the newer schema expects.
type NewerSchemaError struct {
	Database string   // the newest of the migrations applied that the binary does not embed
	Binary   string   // the newest migration the binary embeds
	Unknown  []string // the migrations applied that the binary does not embed, in order
}

func (e *NewerSchemaError) Error() string {
	if e.Development() {
		return fmt.Sprintf("sqldb: the database records migrations unknown to this binary (%s), applied by a development build", strings.Join(e.Unknown, ", "))
	}
	return fmt.Sprintf("sqldb: the database's schema (%s) is newer than this binary's (%s)", e.Database, e.Binary)
}

// Development reports whether every unknown migration sorts before the
// binary's newest: none is a newer release's, they were applied by a
// development build under names no release has (renamed lists those
// known to have been renamed since).
func (e *NewerSchemaError) Development() bool { return e.Database < e.Binary }

// CheckNewer returns a *NewerSchemaError when the database holds
// migrations the binary does not embed, nil when it holds none (a new
// database among them). A failed read is an error.
func (db *DB) CheckNewer(ctx context.Context) error {
	_, unknown, err := db.Schema(ctx)
	if err != nil {
		return err
	}
	return db.NewerError(unknown)
}

// NewerError is CheckNewer for the migrations unknown that Schema read:
// a *NewerSchemaError naming them, or nil when there are none.
func (db *DB) NewerError(unknown []string) error {
	if len(unknown) == 0 {
		return nil
	}
	names, err := Migrations(db.Dialect)
	if err != nil {
		return err
	}
	return &NewerSchemaError{Database: unknown[len(unknown)-1], Binary: names[len(names)-1], Unknown: unknown}
}

// migrate is Migrate up to and including the migration through ("": all),
// telling p of each.
func (db *DB) migrate(ctx context.Context, through string, p Progress) ([]string, error) {
	if err := db.checkEncoding(ctx); err != nil {
		return nil, err
	}
	if err := db.createVersionTable(ctx); err != nil {
		return nil, accessError(db, fmt.Errorf("sqldb: create schema_migrations: %w", err))
	}
	if err := db.CheckNewer(ctx); err != nil {
		return nil, err
	}
	if err := db.retire(ctx); err != nil {
		return nil, accessError(db, err)
	}
	pending, err := db.Pending(ctx)
	if err != nil {
		return nil, err
	}
	if through != "" {
		pending = slices.DeleteFunc(pending, func(name string) bool { return name > through })
	}
	var applied []string
	for i, name := range pending {
		if p.Before != nil {
			p.Before(name, i+1, len(pending))
		}
		start := time.Now()
		ran, err := db.migrateOne(ctx, name)
		if err != nil {
			return applied, accessError(db, err)
		}
		if ran {
			applied = append(applied, name)
			if p.After != nil {
				p.After(name, time.Since(start))
			}
		}
	}
	return applied, nil
}

// renamedMigration is a migration a development build applied under a name
// since retired: applied is its current name. A database that build
// migrated records the old name, which the binary does not embed.
type renamedMigration struct {
	current string
	// rest is the SQL that completes the current migration's effect on a
	// database the old one was applied to: "" when the two do the same.
	rest string
}

// renamed are the retired names of migrations (git log -p
// internal/sqldb/migrations), both dialects alike:
//   - 0011_catalog_submitted_versions.sql (2940322f) created the index
//     catalog_entry_versions_submitted; a minute later (d431b278) it became
//     0011_catalog_sources.sql, which creates the same index and also
//     drops the one-source rows the entries' versions no longer have.
//   - 0025_record_entry_stats_last_refused.sql (5b783a32) became 0026_…
//     (ab3c951d), the same file, as another migration took 0025.
var renamed = map[string]renamedMigration{
	"0011_catalog_submitted_versions.sql": {current: "0011_catalog_sources.sql",
		rest: `DELETE FROM catalog_authoritative_items WHERE NOT EXISTS (SELECT 1 FROM catalog_item_keys k
	WHERE k.subject_kind = catalog_authoritative_items.subject_kind AND k.item_key = catalog_authoritative_items.item_key
	AND k.entry_id = catalog_authoritative_items.entry_id)`},
	"0025_record_entry_stats_last_refused.sql": {current: "0026_record_entry_stats_last_refused.sql"},
}

// retire records each retired migration name applied to the database
// (renamed) under its current name, each in its own transaction, after
// running what completes the current migration's effect.
func (db *DB) retire(ctx context.Context) error {
	for _, old := range slices.Sorted(maps.Keys(renamed)) {
		r := renamed[old]
		var n int
		if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, old).Scan(&n); err != nil {
			return fmt.Errorf("sqldb: read schema_migrations: %w", err)
		}
		if n == 0 {
			continue
		}
		err := db.Tx(ctx, func(tx *Tx) error {
			if db.Dialect == Postgres {
				if err := waitLocks(ctx, tx); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `LOCK TABLE schema_migrations IN EXCLUSIVE MODE`); err != nil {
					return err
				}
			}
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, old).Scan(&n); err != nil || n == 0 {
				return err
			}
			if r.rest != "" {
				if _, err := tx.ExecContext(ctx, r.rest); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at)
				SELECT $1, applied_at FROM schema_migrations WHERE name = $2
				AND NOT EXISTS (SELECT 1 FROM schema_migrations WHERE name = $1)`, r.current, old); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `DELETE FROM schema_migrations WHERE name = $1`, old)
			return err
		})
		if err != nil {
			return &MigrationError{Name: r.current, Err: err}
		}
	}
	return nil
}

// migrationLock is the key of the PostgreSQL advisory lock under which
// migrators create the version table.
const migrationLock = 0x6875746f6e67 // "hutong"

// createVersionTable creates the version table unless it exists. On
// PostgreSQL, migrators that start together queue on an advisory lock
// first: CREATE TABLE IF NOT EXISTS checks the catalog before it writes,
// so two of them would both create the table and one fail on a duplicate
// key of pg_type. On SQLite the write lock serialises them.
func (db *DB) createVersionTable(ctx context.Context) error {
	return db.Tx(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
			if err := waitLocks(ctx, tx); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrationLock)); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name TEXT PRIMARY KEY,
			applied_at TIMESTAMP NOT NULL)`)
		return err
	})
}

// waitLocks lifts the lock_timeout of a migration's PostgreSQL
// transaction (WaitTimeout bounds a request's waits): a migrator waits for
// another applying a long migration, and a migration's DDL for the
// transactions using its tables, for as long as they take.
func waitLocks(ctx context.Context, tx *Tx) error {
	_, err := tx.ExecContext(ctx, `SET LOCAL lock_timeout = 0`)
	return err
}

func (db *DB) migrateOne(ctx context.Context, name string) (ran bool, err error) {
	body, err := migrationFS.ReadFile(path.Join("migrations", db.Dialect.String(), name))
	if err != nil {
		return false, err
	}
	err = db.Tx(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
			if err := waitLocks(ctx, tx); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `LOCK TABLE schema_migrations IN EXCLUSIVE MODE`); err != nil {
				return err
			}
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		ran = true
		_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, time.Now().UTC())
		return err
	})
	if err != nil {
		return false, &MigrationError{Name: name, Err: err}
	}
	return ran, nil
}

// MigrationError is a migration that failed: its transaction was rolled
// back, and the migrations before it stay applied.
type MigrationError struct {
	Name string // the migration's file name, 0033_….sql
	Err  error  // the driver's error
}

func (e *MigrationError) Error() string { return fmt.Sprintf("sqldb: migration %s: %v", e.Name, e.Err) }

func (e *MigrationError) Unwrap() error { return e.Err }

// EncodingError refuses a PostgreSQL database whose server encoding is
// not UTF8 (SQL_ASCII, LATIN1 …). In SQL_ASCII the server does not know
// characters from bytes: length and substr count and cut the bytes of
// Chinese text (catalog search's one-character tokens and name lengths,
// the reasons of refused pushes cut inside a character); other encodings
// cannot store every character. The encoding of a database is fixed when
// it is created, so the remedy is a new database.
type EncodingError struct {
	Source   string // the database, as DB.Source
	Name     string // its name in the cluster, for createdb
	Encoding string // its server_encoding
}

func (e *EncodingError) Error() string {
	return fmt.Sprintf("数据库 %s 的服务器编码为 %s，不是 UTF8：其中的中文会按字节而非字符计数和截取，本程序拒绝使用它。"+
		"数据库的编码在创建时确定、不能更改，请新建 UTF-8 数据库（按需加 -h、-p 和 -O 所有者）："+
		"createdb -E UTF8 --locale=C.UTF-8 -T template0 %s，再运行 hutong migrate，或将备份恢复到其中（见 docs/postgresql.md）",
		e.Source, e.Encoding, e.Name)
}

// checkEncoding refuses a PostgreSQL database whose server encoding is not
// UTF8 (*EncodingError). A SQLite database is always UTF-8.
func (db *DB) checkEncoding(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	var enc, name string
	err := db.read.QueryRowContext(ctx, `SELECT current_setting('server_encoding'), current_database()`).Scan(&enc, &name)
	if err != nil {
		return fmt.Errorf("sqldb: server encoding: %w", err)
	}
	if enc != "UTF8" {
		return &EncodingError{Source: db.Source, Name: name, Encoding: enc}
	}
	return nil
}

// CollationWarning is a PostgreSQL database whose default collation does
// not order text by code point, as C, C.UTF-8 and POSIX do and as SQLite
// always does: en_US.UTF-8, zh_CN.UTF-8, an ICU locale. Hutong's lists
// ordered by name, code or key (departments, users, apps, catalog entries
// by name, their items, and the cursors that page them) then come in
// that locale's order, another than on SQLite, though each list still
// pages whole. Unlike a wrong encoding (EncodingError) no value is stored
// or counted wrong, so serve and migrate -status warn of it (String)
// rather than refuse the database: a platform created so keeps working
// until it is moved to a new database. A database's collation is fixed
// when it is created.
type CollationWarning struct {
	Source    string // the database, as DB.Source
	Name      string // its name in the cluster, for createdb
	Provider  string // the collation's provider: libc, icu or builtin
	Collation string // its LC_COLLATE, or its ICU or builtin locale
}

// String is the warning as serve and migrate -status give it, for the
// operator: what differs, and how to create a database that sorts as
// SQLite does.
func (w *CollationWarning) String() string {
	return fmt.Sprintf("PostgreSQL 数据库 %s 的排序规则为 %s（%s），不是 C、C.UTF-8 或 POSIX："+
		"按名称、代码或键排序的列表（部门、账号、应用、按名称排序的数据资源及其信息项）会按该语言环境的顺序排列，"+
		"而不像 SQLite 那样按码位排列，同样的数据列出的顺序不同；数据不受影响。"+
		"数据库的排序规则在创建时确定、不能更改，请新建数据库："+
		"createdb -E UTF8 --locale=C.UTF-8 -T template0 %s（或 CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' "+
		"LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'），再把备份恢复进去（见 docs/postgresql.md）",
		w.Source, w.Collation, w.Provider, w.Name, w.Name)
}

// CodePointCollation reports whether a database collation of provider
// (libc, icu, builtin) and locale orders text by code point: libc's C,
// POSIX and C.UTF-8 (C.utf8), and the builtin provider's C and C.UTF-8
// (PostgreSQL 17). No ICU locale does.
func CodePointCollation(provider, locale string) bool {
	switch provider {
	case "libc":
		switch strings.ToLower(locale) {
		case "c", "posix", "c.utf-8", "c.utf8":
			return true
		}
	case "builtin":
		switch strings.ToLower(locale) {
		case "c", "c.utf-8", "c.utf8":
			return true
		}
	}
	return false
}

// CheckCollation returns a *CollationWarning for a PostgreSQL database
// whose default collation does not order text by code point
// (CodePointCollation), nil for one that does and for SQLite.
func (db *DB) CheckCollation(ctx context.Context) (*CollationWarning, error) {
	if db.Dialect != Postgres {
		return nil, nil
	}
	// Read as JSON: the columns differ by version (datlocprovider from 15,
	// daticulocale in 15 and 16, datlocale from 17).
	var provider, collate, icu, locale, name sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT j->>'datlocprovider', j->>'datcollate', j->>'daticulocale', j->>'datlocale', d.datname
		FROM pg_catalog.pg_database d, LATERAL (SELECT to_jsonb(d) - 'datacl' AS j) x WHERE d.datname = current_database()`).
		Scan(&provider, &collate, &icu, &locale, &name)
	if err != nil {
		return nil, fmt.Errorf("sqldb: database collation: %w", err)
	}
	w := &CollationWarning{Source: db.Source, Name: name.String, Provider: "libc", Collation: collate.String}
	switch provider.String {
	case "i":
		w.Provider, w.Collation = "icu", cmp.Or(icu.String, locale.String)
	case "b":
		w.Provider, w.Collation = "builtin", locale.String
	}
	if CodePointCollation(w.Provider, w.Collation) {
		return nil, nil
	}
	return w, nil
}

// Pending returns the embedded migrations not yet applied: all of them on a
// database without the version table. A failed read is an error, not a
// database to migrate.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	pending, _, err := db.Schema(ctx)
	return pending, err
}

// Schema compares the migrations applied to the database with the
// binary's in one read of the version table: pending are the embedded
// migrations not yet applied (all of them on a database without the
// table), unknown those applied that the binary does not embed, applied by
// a newer release; each in order. A failed read is an error.
//
// A PostgreSQL database whose server encoding is not UTF-8 is refused
// (*EncodingError) before its version table is read.
func (db *DB) Schema(ctx context.Context) (pending, unknown []string, err error) {
	if err := db.checkEncoding(ctx); err != nil {
		return nil, nil, err
	}
	names, err := Migrations(db.Dialect)
	if err != nil {
		return nil, nil, err
	}
	done, err := db.applied(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range names {
		if !done[n] {
			pending = append(pending, n)
		}
		delete(done, n)
	}
	if len(done) > 0 {
		unknown = slices.Sorted(maps.Keys(done))
	}
	return pending, unknown, nil
}

// applied returns the names of the migrations applied to the database:
// none on a database without the version table. A retired name (renamed)
// reads as its current one, as retire records it.
func (db *DB) applied(ctx context.Context) (map[string]bool, error) {
	exists := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if db.Dialect == Postgres {
		exists = `SELECT count(*) FROM pg_catalog.pg_tables
			WHERE tablename = 'schema_migrations' AND schemaname = ANY (current_schemas(false))`
	}
	var n int
	if err := db.read.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return nil, appliedUnreadable(db, err)
	}
	done := map[string]bool{}
	if n == 0 {
		return done, nil // a new database: nothing is applied
	}
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, appliedUnreadable(db, err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, appliedUnreadable(db, err)
		}
		if r, ok := renamed[n]; ok {
			n = r.current
		}
		done[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, appliedUnreadable(db, err)
	}
	return done, nil
}

// appliedReadError is the failure to read which migrations a database
// records as applied (its version table), said in Chinese naming the
// database and the table, the driver's error as its cause.
type appliedReadError struct {
	source string
	err    error
}

func (e *appliedReadError) Error() string {
	return "无法读取数据库 " + e.source + " 已应用的迁移（版本表 schema_migrations）：" + lastLine(e.err)
}

func (e *appliedReadError) Unwrap() error { return e.err }

// appliedUnreadable is err, a failed read of the version table, as applied
// returns it: accessError's refusal of a role denied access, already said,
// or else an *appliedReadError.
func appliedUnreadable(db *DB, err error) error {
	err = accessError(db, err)
	var said *openFailure
	if errors.As(err, &said) {
		return err
	}
	return &appliedReadError{source: db.Source, err: err}
}

// Tables returns the names of the database's tables besides
// schema_migrations, in order: SQLite's own and, on PostgreSQL, those of
// extensions (PostGIS's spatial_ref_sys) left out, and only the schemas of
// the search path read. On a database none of the binary's migrations were
// applied to, none means it is empty, a new one; any means it holds
// another program's tables, or a restore that failed part-way.
func (db *DB) Tables(ctx context.Context) ([]string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'
		AND name <> 'schema_migrations' ORDER BY name`
	if db.Dialect == Postgres {
		q = `SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY (current_schemas(false)) AND c.relname <> 'schema_migrations'
			AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
				WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
			ORDER BY c.relname`
	}
	rows, err := db.read.QueryContext(ctx, q)
	if err != nil {
		return nil, accessError(db, fmt.Errorf("sqldb: tables: %w", err))
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}
