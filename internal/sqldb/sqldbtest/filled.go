package sqldbtest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// EachFilled is Each with databases holding what fill wrote in a fresh,
// migrated one: fill runs once per engine in the test binary for the name
// given, and each test gets its own copy of what it wrote (a copy of the
// SQLite file; on PostgreSQL a database made with the filled one as its
// template, as every test's database is made from the migrated
// template). It is for setup that costs more than the tests reading it,
// such as the demo's seeding. A fill that fails fails every test asking
// for it.
func EachFilled(t *testing.T, name string, fill func(ctx context.Context, db *sqldb.DB) error, fn func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		img := filledImage(name)
		img.once.Do(func() { img.file, img.mode, img.err = migratedSQLite(fill) })
		fn(t, openDB(t, sqliteCopy(t, img)))
	})
	t.Run("postgres", func(t *testing.T) {
		s := server(t)
		f := filledTemplate(name)
		f.once.Do(func() { f.name, f.err = s.filled(fill) })
		if f.err != nil {
			t.Fatalf("sqldbtest: %v", f.err)
		}
		fn(t, openDB(t, copyOf(t, s, f.name)))
	})
}

// pgFilled is the PostgreSQL database a fill wrote, the template of
// EachFilled's copies.
type pgFilled struct {
	once sync.Once
	name string
	err  error
}

var filled struct {
	sync.Mutex
	sqlite   map[string]*sqliteImage
	postgres map[string]*pgFilled
}

// filledImage is the SQLite image filled for name.
func filledImage(name string) *sqliteImage {
	filled.Lock()
	defer filled.Unlock()
	if filled.sqlite == nil {
		filled.sqlite = map[string]*sqliteImage{}
	}
	if filled.sqlite[name] == nil {
		filled.sqlite[name] = &sqliteImage{}
	}
	return filled.sqlite[name]
}

// filledTemplate is the PostgreSQL database filled for name.
func filledTemplate(name string) *pgFilled {
	filled.Lock()
	defer filled.Unlock()
	if filled.postgres == nil {
		filled.postgres = map[string]*pgFilled{}
	}
	if filled.postgres[name] == nil {
		filled.postgres[name] = &pgFilled{}
	}
	return filled.postgres[name]
}

// filled makes a database from the migrated template, has fill fill it,
// closes it and returns its name. It stays until the server stops.
func (s *pgServer) filled(fill func(context.Context, *sqldb.DB) error) (string, error) {
	name, err := s.createDB()
	if err != nil {
		return "", err
	}
	db, err := sqldb.Open(context.Background(), s.dsn(name), sqldb.Options{})
	if err != nil {
		return "", err
	}
	err = fill(context.Background(), db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", fmt.Errorf("fill %s: %w", name, err)
	}
	return name, nil
}

// copyOf returns the DSN of a new copy of the database template, dropped
// when the test ends.
func copyOf(t testing.TB, s *pgServer, template string) string {
	t.Helper()
	name, err := s.createCopy(template)
	if err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	t.Cleanup(func() {
		if err := s.dropDB(name); err != nil {
			t.Errorf("sqldbtest: %v", err)
		}
	})
	return s.dsn(name)
}
