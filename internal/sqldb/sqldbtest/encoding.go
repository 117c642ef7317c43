package sqldbtest

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PostgresCollated returns the postgres:// DSN of a new, empty UTF-8
// database created with options, the clauses of CREATE DATABASE that set
// its locale (LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'); it
// is dropped when the test ends.
func PostgresCollated(t testing.TB, options string) string {
	t.Helper()
	s := server(t)
	name := "coll_" + strconv.FormatInt(s.seq.Add(1), 10)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING 'UTF8' `+options); err != nil {
		t.Fatalf("sqldbtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := s.dropDB(name); err != nil {
			t.Errorf("sqldbtest: %v", err)
		}
	})
	return s.dsn(name)
}

// PostgresEncoded returns the postgres:// DSN of a new, empty database
// whose server encoding is enc (SQL_ASCII, LATIN1 …) with the C locale,
// as createdb -E enc makes it on a cluster not initialised for UTF-8; it
// is dropped when the test ends. The template's databases are all UTF8.
func PostgresEncoded(t testing.TB, enc string) string {
	t.Helper()
	s := server(t)
	name := "enc_" + strings.ToLower(strings.ReplaceAll(enc, "_", "")) + "_" + strconv.FormatInt(s.seq.Add(1), 10)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.admin.ExecContext(ctx, `CREATE DATABASE `+name+` TEMPLATE template0 ENCODING '`+enc+`' LOCALE 'C'`); err != nil {
		t.Fatalf("sqldbtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := s.dropDB(name); err != nil {
			t.Errorf("sqldbtest: %v", err)
		}
	})
	return s.dsn(name)
}
