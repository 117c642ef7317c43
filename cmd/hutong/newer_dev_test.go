package main

import (
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
)

// TestNewerSchemaDevelopmentBuild: a database holding a migration the
// binary does not embed, named before the binary's newest, is refused as
// holding an unknown migration of a development build, not as a newer
// release's schema (which said that 0025_… was newer than 0055_… and to
// use "that version or newer").
func TestNewerSchemaDevelopmentBuild(t *testing.T) {
	db := &sqldb.DB{Source: "h.db"}
	err := newerSchema(db, &sqldb.NewerSchemaError{Database: "0025_x.sql", Binary: "0055_y.sql", Unknown: []string{"0025_x.sql"}})
	if s := err.Error(); !strings.Contains(s, "不认识的迁移 0025_x.sql") || !strings.Contains(s, "开发版本") || strings.Contains(s, "新于本程序") {
		t.Errorf("a development build's migration: %q", s)
	}
	err = newerSchema(db, &sqldb.NewerSchemaError{Database: "0099_x.sql", Binary: "0055_y.sql", Unknown: []string{"0099_x.sql"}})
	if s := err.Error(); !strings.Contains(s, "结构新于本程序") {
		t.Errorf("a newer release's migration: %q", s)
	}
}
