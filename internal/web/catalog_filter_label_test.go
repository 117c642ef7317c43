package web_test

import (
	"fmt"
	"testing"

	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/sqldb/sqldbtest"
)

// TestCatalogDepartmentFilterNamed: the filter chip of a department with
// no hits names the department, where it read 数源部门：部门 4.
func TestCatalogDepartmentFilterNamed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		c := f.loggedIn(t, "police.admin")
		id := f.depts["市场监管局"].ID
		r := c.get(fmt.Sprintf("/catalog?department_id=%d", id))
		wantBody(t, "no hits", r, "数源部门：佛山市南海区市场监督管理局")
		wantNoBody(t, "no hits", r, fmt.Sprintf("部门 %d", id))
	})
}
