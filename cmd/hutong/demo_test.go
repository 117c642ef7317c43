package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestDemoRotateDB: the app rotate commands a later demo start prints
// name the database only when they can: not when it holds a password
// (postgres://hutong:xxxxx@…, copied, took the mask for the password),
// which they tell to set in HUTONG_DB instead, nor when it came from
// HUTONG_DB in the environment; --db before the command is no environment.
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
		arg, note := rotateDB(e, fs, f.db, sqldb.Redact(f.db))
		if arg != c.arg || (c.note == "") != (note == "") || !strings.Contains(note, c.note) || strings.Contains(note, "s3cret") {
			t.Errorf("vars %v, global %v, args %q: got -db %q, note %q; want -db %q, note with %q",
				c.vars, c.global, c.args, arg, note, c.arg, c.note)
		}
	}
}
