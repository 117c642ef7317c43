package backup_test

import (
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hutong-gov/hutong/internal/backup"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestDumpCommandHidesPassword checks that pg_dump gets the DSN's password
// in its environment and never on its command line, which other local
// users can read, in both DSN forms; and that what it gets on the command
// line names the same connection as the DSN, as pgx reads both.
func TestDumpCommandHidesPassword(t *testing.T) {
	t.Setenv("PGPASSWORD", "")
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))
	secrets := []string{"s%40cret", "s@cret", "pw1", "pw2", "Secret-1", "secret", "first", "last one", "p#ss", "w0rd", "a+b"}
	for _, tc := range []struct{ dsn, password string }{
		// '#' and '?' unencoded in the password: pgx reads them as its
		// part, and so must the backup, or what connects does not back up.
		{"postgres://hutong:p#ss?w0rd@db.internal:5433/hutong?sslmode=disable", "p#ss?w0rd"},
		{"postgresql://hutong@db.internal/hutong?password=a+b%26#c&sslmode=disable", "a+b&#c"},
		{"postgres://hutong:s%40cret%20pw@db.internal:5433/hutong?sslmode=disable", "s@cret pw"},
		{"postgresql://hutong:pw1@db.internal/hutong?password=pw2&application_name=backup", "pw2"},
		{"postgres://hutong@db.internal/hutong", ""},
		{"host=db.internal port=5433 user=hutong password=Secret-1 dbname=hutong sslmode=disable", "Secret-1"},
		{"  password = 'it\\'s a secret'  host=db.internal dbname=hutong user=hutong", "it's a secret"},
		{"host=db.internal password=first\\ part dbname=hutong password='last one'", "last one"},
		{"host=db.internal user=hutong dbname=hutong", ""},
	} {
		t.Run(tc.dsn, func(t *testing.T) {
			cmd, err := backup.DumpCommand(t.Context(), "/usr/bin/pg_dump", tc.dsn, "/tmp/b.dump")
			if err != nil {
				t.Fatal(err)
			}
			var conn string
			for _, a := range cmd.Args {
				if strings.Contains(a, "password") || slices.ContainsFunc(secrets, func(s string) bool { return strings.Contains(a, s) }) {
					t.Errorf("pg_dump argument %q shows the password", a)
				}
				if s, ok := strings.CutPrefix(a, "--dbname="); ok {
					conn = s
				}
			}
			want := []string{"/usr/bin/pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--exclude-table-data=sessions",
				"--file=/tmp/b.dump", "--dbname=" + conn}
			if !slices.Equal(cmd.Args, want) {
				t.Errorf("pg_dump arguments %q, want %q", cmd.Args, want)
			}
			if tc.password == "" {
				if cmd.Env != nil {
					t.Errorf("environment set for a DSN without a password")
				}
			} else if !slices.Contains(cmd.Env, "PGPASSWORD="+tc.password) || cmd.Env[len(cmd.Env)-1] != "PGPASSWORD="+tc.password {
				t.Errorf("environment does not end with PGPASSWORD=%s", tc.password)
			}

			orig, err := pgconn.ParseConfig(tc.dsn)
			if err != nil {
				t.Fatal(err)
			}
			got, err := pgconn.ParseConfig(conn)
			if err != nil {
				t.Fatalf("pg_dump's DSN %q: %v", conn, err)
			}
			if orig.Password != tc.password || got.Password != "" {
				t.Errorf("passwords: DSN %q, pg_dump's DSN %q; want %q, none", orig.Password, got.Password, tc.password)
			}
			if got.Host != orig.Host || got.Port != orig.Port || got.User != orig.User || got.Database != orig.Database ||
				!maps.Equal(got.RuntimeParams, orig.RuntimeParams) || (got.TLSConfig == nil) != (orig.TLSConfig == nil) {
				t.Errorf("pg_dump's DSN %q names another connection than %q", conn, tc.dsn)
			}
		})
	}
}

// TestBackupPasswordNotOnCommandLine runs a backup of a PostgreSQL DSN
// holding a password through a stand-in pg_dump that records its
// arguments and PGPASSWORD: the password is in the latter only.
func TestBackupPasswordNotOnCommandLine(t *testing.T) {
	bin := t.TempDir()
	seen := filepath.Join(bin, "seen")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + seen + "\necho \"PGPASSWORD=$PGPASSWORD\" >> " + seen + "\n" +
		"for a; do case $a in --file=*) printf PGDMP > \"${a#--file=}\";; esac; done\n"
	if err := os.WriteFile(filepath.Join(bin, "pg_dump"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HUTONG_PG_BIN", bin)
	t.Setenv("PGPASSWORD", "")
	out := filepath.Join(t.TempDir(), "b.dump")
	db := &sqldb.DB{Dialect: sqldb.Postgres}
	if _, err := backup.Run(t.Context(), db, "postgres://hutong:Tr0ub4dor@db.internal/hutong", out, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(seen)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if last := lines[len(lines)-1]; last != "PGPASSWORD=Tr0ub4dor" {
		t.Errorf("pg_dump's environment: %s", last)
	}
	for _, a := range lines[:len(lines)-1] {
		if strings.Contains(a, "Tr0ub4dor") {
			t.Errorf("pg_dump's argument %q shows the password", a)
		}
	}
	if !slices.Contains(lines, "--dbname=postgres://hutong@db.internal/hutong") {
		t.Errorf("pg_dump's arguments %q", lines)
	}
}

// pgxOnly are DSN settings that pgx and pgxpool read and libpq refuses
// ("invalid URI query parameter", "invalid connection option").
var pgxOnly = []string{"default_query_exec_mode", "statement_cache_capacity", "description_cache_capacity",
	"min_read_buffer_size", "pool_max_conns", "pool_min_conns", "pool_min_idle_conns", "pool_max_conn_lifetime",
	"pool_max_conn_idle_time", "pool_health_check_period", "pool_max_conn_lifetime_jitter", "pool_ping_timeout",
	"krbspn", "servicefile", "min_protocol_version", "max_protocol_version"}

// TestDumpCommandDropsPgxSettings: the settings only pgx reads are left out
// of the DSN pg_dump gets, in both forms, and the others kept.
func TestDumpCommandDropsPgxSettings(t *testing.T) {
	var query, keywords []string
	for i, k := range pgxOnly {
		query = append(query, fmt.Sprintf("%s=%d", k, i+1))
		keywords = append(keywords, fmt.Sprintf("%s=%d", k, i+1))
	}
	for dsn, app := range map[string]string{
		"postgres://hutong@db.internal/hutong?sslmode=disable&" + strings.Join(query, "&") + "&application_name=backup":       "backup",
		"host=db.internal dbname=hutong sslmode=disable " + strings.Join(keywords, " ") + " application_name='hutong backup'": "hutong backup",
	} {
		cmd, err := backup.DumpCommand(t.Context(), "/usr/bin/pg_dump", dsn, "/tmp/b.dump")
		if err != nil {
			t.Fatal(err)
		}
		conn := strings.TrimPrefix(cmd.Args[len(cmd.Args)-1], "--dbname=")
		for _, k := range pgxOnly {
			if strings.Contains(conn, k) {
				t.Errorf("pg_dump's DSN %q keeps %s", conn, k)
			}
		}
		got, err := pgconn.ParseConfig(conn)
		if err != nil {
			t.Fatalf("pg_dump's DSN %q: %v", conn, err)
		}
		if got.Host != "db.internal" || got.Database != "hutong" || got.TLSConfig != nil || got.RuntimeParams["application_name"] != app {
			t.Errorf("pg_dump's DSN %q lost settings of %q", conn, dsn)
		}
	}
}

// TestBackupDSNWithPgxSettings backs up a PostgreSQL database through a
// DSN carrying settings only pgx reads, which pg_dump refuses if given.
func TestBackupDSNWithPgxSettings(t *testing.T) {
	ctx := t.Context()
	dsn := sqldbtest.PostgresDSN(t)
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := filepath.Join(t.TempDir(), "b.dump")
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	if _, err := backup.Run(ctx, db, dsn+sep+"default_query_exec_mode=simple_protocol&statement_cache_capacity=64&pool_max_conns=4", out, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Verify(ctx, out); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// TestBackupDSNWithUnencodedPassword backs up a PostgreSQL database through
// a URL whose password holds an unencoded '#' and '?', which pgx, and so
// serve and migrate, read as part of the password, where url.Parse takes
// '#' for the start of a fragment and failed the backup. A '@' in a
// parameter's value is no password's and is not refused.
func TestBackupDSNWithUnencodedPassword(t *testing.T) {
	ctx := t.Context()
	dsn := strings.Replace(sqldbtest.PostgresDSN(t), "postgres://postgres@", "postgres://postgres:p#ss?w0rd@", 1) + "&application_name=backup@test"
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n := count(t, db.Read(), "schema_migrations"); n == 0 {
		t.Fatal("no migrations recorded")
	}
	out := filepath.Join(t.TempDir(), "b.dump")
	if _, err := backup.Run(ctx, db, dsn, out, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Verify(ctx, out); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// TestBackupDSNWithServerSettings backs up a PostgreSQL database through
// DSNs, a URL and keyword settings, carrying server run-time parameters
// (statement_timeout, search_path) that every other command accepts and
// libpq does not know as connection settings: pg_dump gets them in
// options as -c name=value, after the options the DSN had, and the
// settings libpq knows as they were.
func TestBackupDSNWithServerSettings(t *testing.T) {
	ctx := t.Context()
	dsn := sqldbtest.PostgresDSN(t)
	db, err := sqldb.Open(ctx, dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	keywords := fmt.Sprintf("host=%s port=%s dbname=%s user=%s sslmode=disable options='-c work_mem=8MB' statement_timeout=60000 search_path='public'",
		u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/"), u.User.Username())
	for i, d := range []string{dsn + "&options=-c%20work_mem%3D8MB&statement_timeout=60000&search_path=public", keywords} {
		cmd, err := backup.DumpCommand(ctx, "/usr/bin/pg_dump", d, "/tmp/b.dump")
		if err != nil {
			t.Fatal(err)
		}
		conn := strings.TrimPrefix(cmd.Args[len(cmd.Args)-1], "--dbname=")
		got, err := pgconn.ParseConfig(conn)
		if err != nil {
			t.Fatalf("pg_dump's DSN %q: %v", conn, err)
		}
		if want := "-c work_mem=8MB -c search_path=public -c statement_timeout=60000"; got.RuntimeParams["options"] != want ||
			got.RuntimeParams["statement_timeout"] != "" || got.TLSConfig != nil || got.Port == 0 {
			t.Errorf("pg_dump's DSN %q: runtime parameters %v, want only options %q", conn, got.RuntimeParams, want)
		}
		out := filepath.Join(t.TempDir(), fmt.Sprintf("b%d.dump", i))
		if _, err := backup.Run(ctx, db, d, out, nil); err != nil {
			t.Fatalf("backup through %q: %v", d, err)
		}
		if _, err := backup.Verify(ctx, out); err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
}

// TestDumpCommandKeepsSSLNegotiation: sslnegotiation, a connection setting
// of libpq 17 (and pgx), reaches pg_dump as a setting, in both forms, not
// as a server parameter in options, which the server would refuse
// (unrecognized configuration parameter).
func TestDumpCommandKeepsSSLNegotiation(t *testing.T) {
	for _, dsn := range []string{
		"postgres://hutong@db.internal/hutong?sslmode=require&sslnegotiation=direct",
		"host=db.internal dbname=hutong sslmode=require sslnegotiation=direct",
	} {
		cmd, err := backup.DumpCommand(t.Context(), "/usr/bin/pg_dump", dsn, "/tmp/b.dump")
		if err != nil {
			t.Fatal(err)
		}
		conn := strings.TrimPrefix(cmd.Args[len(cmd.Args)-1], "--dbname=")
		if !strings.Contains(conn, "sslnegotiation=direct") || strings.Contains(conn, "options") {
			t.Errorf("pg_dump's DSN %q, from %q: want sslnegotiation=direct as a setting, no options", conn, dsn)
		}
	}
}
