package api_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
	"github.com/hutong-gov/hutong/internal/testlog"
)

// TestCreateAppIDBehindRows: on PostgreSQL with the apps' id sequence
// behind the rows (a restore without the sequences' values), creating an
// app answers 500 with the Chinese internal-error message and logs the
// primary key that collided, not 409 app_exists; an app of a name taken
// is still refused as app_exists. SQLite gives a new row the highest id
// plus one: there the app is created.
func TestCreateAppIDBehindRows(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var logged testlog.Buffer
		f.serve(t, logged.Logger())
		if db.Dialect == sqldb.Postgres {
			if _, err := db.Write().ExecContext(t.Context(),
				`SELECT setval(pg_get_serial_sequence('apps', 'id'), $1, false)`, f.otherAppID); err != nil {
				t.Fatal(err)
			}
		}
		dept := strconv.FormatInt(f.deptID, 10)
		r := f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"审批","department_id":`+dept+`,"scopes":["catalog.read"]}`)
		if db.Dialect == sqldb.SQLite {
			if r.status != http.StatusCreated {
				t.Errorf("create: %d %v, want 201", r.status, r.body)
			}
		} else {
			if r.status != http.StatusInternalServerError || r.body["code"] != "internal" || r.body["detail"] != "服务器内部错误，请稍后重试" {
				t.Errorf("create with the id taken: %d %v, want 500 internal", r.status, r.body)
			}
			if !strings.Contains(logged.String(), "apps_pkey") {
				t.Errorf("the log does not name the key that collided: %s", logged.String())
			}
		}
		r = f.do(t, "POST", "/api/v1/apps", f.opKey, `{"name":"运维","department_id":`+dept+`,"scopes":["catalog.read"]}`)
		if r.status != http.StatusConflict || r.body["code"] != "app_exists" {
			t.Errorf("duplicate name: %d %v, want 409 app_exists", r.status, r.body)
		}
	})
}
