package sqldb

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
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
// it at once: on PostgreSQL they queue on a lock of the version table; on
// SQLite the writer lock serialises them.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	return db.migrate(ctx, "")
}

// migrate is Migrate up to and including the migration through ("": all).
func (db *DB) migrate(ctx context.Context, through string) ([]string, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY,
		applied_at TIMESTAMP NOT NULL)`); err != nil {
		return nil, fmt.Errorf("sqldb: create schema_migrations: %w", err)
	}
	names, err := Migrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	var applied []string
	for _, name := range names {
		if through != "" && name > through {
			break
		}
		ran, err := db.migrateOne(ctx, name)
		if err != nil {
			return applied, err
		}
		if ran {
			applied = append(applied, name)
		}
	}
	return applied, nil
}

func (db *DB) migrateOne(ctx context.Context, name string) (ran bool, err error) {
	body, err := migrationFS.ReadFile(path.Join("migrations", db.Dialect.String(), name))
	if err != nil {
		return false, err
	}
	err = db.Tx(ctx, func(tx *Tx) error {
		if db.Dialect == Postgres {
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
		return false, fmt.Errorf("sqldb: migration %s: %w", name, err)
	}
	return ran, nil
}

// Pending returns the embedded migrations not yet applied: all of them on a
// database without the version table. A failed read is an error, not a
// database to migrate.
func (db *DB) Pending(ctx context.Context) ([]string, error) {
	names, err := Migrations(db.Dialect)
	if err != nil {
		return nil, err
	}
	exists := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if db.Dialect == Postgres {
		exists = `SELECT count(*) FROM pg_catalog.pg_tables
			WHERE tablename = 'schema_migrations' AND schemaname = ANY (current_schemas(false))`
	}
	var n int
	if err := db.read.QueryRowContext(ctx, exists).Scan(&n); err != nil {
		return nil, fmt.Errorf("sqldb: pending migrations: %w", err)
	}
	if n == 0 {
		return names, nil // a new database: everything is pending
	}
	done := map[string]bool{}
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("sqldb: pending migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		done[n] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if !done[n] {
			out = append(out, n)
		}
	}
	return out, nil
}
