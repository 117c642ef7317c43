package web

import (
	"net/http"

	"github.com/hutong-gov/hutong/internal/org"
)

type departmentRow struct {
	org.Department
	Region string // name of the region, with its level
	Parent string // name of the parent department
	Users  int
}

type userRow struct {
	org.User
	Department string
}

type orgData struct {
	Departments []departmentRow
	Users       []userRow
}

// orgPage lists departments and staff accounts, for the platform operator.
func (w *Web) orgPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := w.cfg.DB.Read()
	regions, err := org.Regions(ctx, q)
	if err != nil {
		return err
	}
	depts, err := org.Departments(ctx, q)
	if err != nil {
		return err
	}
	users, err := org.Users(ctx, q, 0)
	if err != nil {
		return err
	}
	regionName := make(map[string]string, len(regions))
	for _, rg := range regions {
		regionName[rg.Code] = rg.Name + "（" + rg.Level.Label() + "）"
	}
	deptName := make(map[int64]string, len(depts))
	perDept := make(map[int64]int)
	for _, d := range depts {
		deptName[d.ID] = d.Name
	}
	var d orgData
	for _, u := range users {
		perDept[u.DepartmentID]++
		d.Users = append(d.Users, userRow{User: u, Department: deptName[u.DepartmentID]})
	}
	for _, dp := range depts {
		d.Departments = append(d.Departments, departmentRow{Department: dp, Region: regionName[dp.RegionCode],
			Parent: deptName[dp.ParentID], Users: perDept[dp.ID]})
	}
	return w.render(rw, r, http.StatusOK, "org", "部门与账号", d)
}
