package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/demo"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestDemoRotateDB: the app rotate commands a later demo start prints
// name the database only when they can: not when it holds a password
// (postgres://hutong:xxxxx@…, copied, took the mask for the password),
// which they tell to set in HUTONG_DB instead, nor when it came from
// HUTONG_DB in the environment; --db before the command is no environment.
// A DSN without a password is named though Redact changes it (a '@' in a
// parameter), where it was taken for one with a password.
func TestDemoRotateDB(t *testing.T) {
	const pw = "postgres://hutong:s3cret@db.internal/hutong"
	for _, c := range []struct {
		vars, global map[string]string
		args         []string
		arg, note    string // note "" wants none
	}{
		{nil, nil, nil, "hutong-demo.db", ""},
		{nil, nil, []string{"-db", "/srv/demo db"}, `'/srv/demo db'`, ""},
		{nil, nil, []string{"-db", "host=db.internal dbname=hutong"}, `'host=db.internal dbname=hutong'`, ""},
		{nil, nil, []string{"-db", pw}, "", "先在同一 shell 中设置 HUTONG_DB 为本次 -db 的连接串（postgres://hutong:xxxxx@db.internal/hutong，换上密码）"},
		{nil, nil, []string{"-db", "host=db.internal password=s3cret dbname=hutong"}, "", "password=xxxxx"},
		// A '@' in a parameter, no password: Redact masks from the user
		// name's ':' to it, and the DSN is named as given.
		{nil, nil, []string{"-db", "postgres://hutong@db.internal:5432/hutong?application_name=ops@night"},
			`'postgres://hutong@db.internal:5432/hutong?application_name=ops@night'`, ""},
		{nil, nil, []string{"-db", "postgres://hutong:s3cret@db.internal/hutong?application_name=ops@night"}, "", "换上密码"},
		{nil, nil, []string{"-db", "postgres://hutong@db.internal/hutong?sslpassword=s3cret"}, "", "换上密码"},
		{map[string]string{"HUTONG_DB": pw}, nil, nil, "", "（数据库取自环境变量 HUTONG_DB）"},
		{map[string]string{"HUTONG_DB": "/srv/h.db"}, nil, nil, "", "（数据库取自环境变量 HUTONG_DB）"},
		{map[string]string{"HUTONG_DB": "/srv/h.db"}, nil, []string{"-db", "/srv/other.db"}, "/srv/other.db", ""},
		{nil, map[string]string{"HUTONG_DB": "/srv/h.db"}, nil, "/srv/h.db", ""},
		{nil, map[string]string{"HUTONG_DB": pw}, nil, "", "设置 HUTONG_DB"},
	} {
		e := &env{Stderr: &strings.Builder{}, global: c.global, Getenv: func(k string) string {
			if v, ok := c.global[k]; ok {
				return v
			}
			return c.vars[k]
		}}
		fs := newFlags(e, "demo", demoUsage)
		f := addServeFlags(fs, e, "hutong-demo.db")
		if err := parse(e, fs, c.args); err != nil {
			t.Fatal(err)
		}
		arg, note := dbArgument(e, fs, f.db, sqldb.Redact(f.db))
		if arg != c.arg || (c.note == "") != (note == "") || !strings.Contains(note, c.note) || strings.Contains(note, "s3cret") {
			t.Errorf("vars %v, global %v, args %q: got -db %q, note %q; want -db %q, note with %q",
				c.vars, c.global, c.args, arg, note, c.arg, c.note)
		}
	}
}

// TestDemoMigrateFlag: demo -migrate=false does not migrate: on a schema
// behind the binary's it refuses, naming the pending migration, where it
// migrated anyway. On a database of another platform whose schema is
// behind, demo refuses with ErrNotDemo before it migrates, with or
// without -migrate. On both engines.
func TestDemoMigrateFlag(t *testing.T) {
	sqldbtest.DSNs(t, func(t *testing.T, dsn string) {
		db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		names, err := sqldb.Migrations(db.Dialect)
		if err != nil {
			t.Fatal(err)
		}
		last := names[len(names)-1]
		behind := func() {
			t.Helper()
			if _, err := db.Write().ExecContext(t.Context(), `DELETE FROM schema_migrations WHERE name = $1`, last); err != nil {
				t.Fatal(err)
			}
		}
		stillBehind := func(what string) {
			t.Helper()
			if pending, err := db.Pending(t.Context()); err != nil || !slices.Equal(pending, []string{last}) {
				t.Errorf("%s: pending migrations %v, %v; want %s still pending", what, pending, err, last)
			}
		}
		// A start that is not refused serves until the context ends.
		demoRun := func(vars map[string]string, args ...string) error {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			var out testlog.Buffer
			return run(ctx, append([]string{"demo", "-addr", "127.0.0.1:0"}, args...), func(k string) string { return vars[k] }, &out, &out)
		}
		vars := map[string]string{"HUTONG_DB": dsn}
		behind()
		err = demoRun(vars, "-migrate=false")
		if err == nil || !strings.Contains(err.Error(), "的结构落后于本程序：1 个迁移待应用（"+last+"）") {
			t.Errorf("demo -migrate=false on a schema behind: %v", err)
		}
		stillBehind("demo -migrate=false")

		if _, err := db.Write().ExecContext(t.Context(), `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
			last, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		must := mustHutong(t, vars)
		must("org", "region-create", "-code", "350000", "-name", "福建省", "-level", "province")
		must("org", "department-create", "-name", "福建省大数据管理局", "-uscc", demo.USCC("350000", 1), "-region", "350000", "-operator")
		behind()
		for _, args := range [][]string{nil, {"-migrate=false"}} {
			if err := demoRun(vars, args...); !errors.Is(err, demo.ErrNotDemo) {
				t.Errorf("demo %v on another platform's database behind the binary: %v, want ErrNotDemo", args, err)
			}
			stillBehind(fmt.Sprintf("demo %v on another platform's database", args))
		}
	})
}
