package api_test

import (
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCreateEntryBOM: an entry POSTed as a file Windows Notepad saved,
// starting with a UTF-8 byte order mark, is created (201); it was refused
// with 400 malformed_json (JSON 格式错误（第 1 字节附近）).
func TestCreateEntryBOM(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		admin := f.session(t, "mz.admin")
		if r := f.do(t, "POST", "/api/v1/catalog/entries", "", "\ufeff"+marriageEntry, admin...); r.status != 201 {
			t.Fatalf("create: %d %v, want 201", r.status, r.body)
		}
	})
}
