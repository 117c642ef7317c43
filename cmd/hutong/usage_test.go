package main

import (
	"strings"
	"testing"
)

// TestUsageMasksDatabasePassword: the usage that -h and a bad flag print
// shows HUTONG_DB's and HUTONG_BENCH_PG's defaults with the password
// masked, as the log does, not in clear: docs/postgresql.md has operators
// put the password there.
func TestUsageMasksDatabasePassword(t *testing.T) {
	const secret = "S3cret-pw"
	dsn := "postgres://hutong:" + secret + "@db.example:5432/hutong?sslmode=verify-full"
	vars := map[string]string{"HUTONG_DB": dsn, "HUTONG_BENCH_PG": dsn}
	for _, args := range [][]string{
		{"serve", "-h"},
		{"demo", "-h"},
		{"backup", "-h"},
		{"migrate", "-h"},
		{"help", "audit"},
		{"app", "list", "-h"},
		{"user", "list", "-departmnt", "1"},
		{"org", "list", "-h"},
		{"records", "quality", "-h"},
		{"import", "catalog", "-h"},
		{"export", "catalog", "-h"},
		{"bench", "-h"},
	} {
		out, err := hutong(t, vars, args...)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if strings.Contains(out+msg, secret) {
			t.Errorf("hutong %s prints the database password:\n%s\n%s", strings.Join(args, " "), out, msg)
		}
		if strings.HasSuffix(args[len(args)-1], "-h") && !strings.Contains(out, "postgres://hutong:xxxxx@db.example:5432/hutong?sslmode=verify-full") {
			t.Errorf("hutong %s does not show the masked default:\n%s", strings.Join(args, " "), out)
		}
	}
	e := &env{Stderr: &syncBuffer{}, Getenv: func(k string) string { return vars[k] }}
	fs := newFlags(e, "migrate", "")
	got := dbFlag(fs, e)
	if err := parse(fs, nil); err != nil || *got != dsn {
		t.Errorf("-db from HUTONG_DB holds %q (%v), want the real DSN", *got, err)
	}
}
