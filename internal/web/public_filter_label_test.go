package web_test

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestPublicDepartmentFilterNamed: the public catalog's filter chip of a
// department with no hits names the department, as the console's list
// does, where it read 数源部门：部门 4.
func TestPublicDepartmentFilterNamed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		anon := f.client(t)
		id := f.depts["市场监管局"].ID
		r := anon.get(fmt.Sprintf("/public/catalog?department_id=%d", id))
		wantBody(t, "no hits", r, "数源部门：佛山市南海区市场监督管理局")
		wantNoBody(t, "no hits", r, fmt.Sprintf("部门 %d", id))
	})
}
