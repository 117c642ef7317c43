package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestMigrateRefusesNonUTF8: migrate, migrate -status, serve and the other
// commands refuse a PostgreSQL database whose server encoding is
// SQL_ASCII, where SQL's substr and length count the bytes of Chinese
// text, naming the encoding and the createdb command of a UTF-8 database;
// migrate created the schema in it and serve served it. Nothing is
// created in it.
func TestMigrateRefusesNonUTF8(t *testing.T) {
	dsn := sqldbtest.PostgresEncoded(t, "SQL_ASCII")
	vars := map[string]string{"HUTONG_DB": dsn}
	for _, args := range [][]string{
		{"migrate"},
		{"migrate", "-status"},
		{"serve", "-addr", "127.0.0.1:0"},
		{"serve", "-addr", "127.0.0.1:0", "-migrate=false"},
		{"org", "list"},
	} {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		var out testlog.Buffer
		err := run(ctx, args, func(k string) string { return vars[k] }, &out, &out)
		cancel()
		if err == nil || !strings.Contains(err.Error(), "的服务器编码为 SQL_ASCII，不是 UTF8") ||
			!strings.Contains(err.Error(), "createdb -E UTF8 --locale=C.UTF-8 -T template0 enc_sqlascii_") {
			t.Errorf("hutong %s on a SQL_ASCII database: got %v, want it refused\n%s", strings.Join(args, " "), err, out.String())
		}
	}
	db, err := sqldb.Open(t.Context(), dsn, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := sqldbtest.QueryRows(t, db.Read(), `SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'`)
	if len(rows) != 0 {
		t.Errorf("the commands refused the database but created tables in it: %v", rows)
	}
}
