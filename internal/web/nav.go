package web

import (
	"slices"
	"strings"

	"github.com/hutong-gov/hutong/internal/org"
)

// Who may open which area. Routes (Register) and navigation entries (nav)
// share these lists, so that a link is shown exactly to those who may follow it.
var (
	rolesAll  = org.Roles
	rolesOrg  = []org.Role{org.Operator}
	rolesApps = []org.Role{org.Operator, org.DeptAdmin}
	// Accounts: the operator's every account (listed on /org), a department
	// administrator's its department's (/org/users).
	rolesUsers = []org.Role{org.Operator, org.DeptAdmin}
	rolesAudit = []org.Role{org.Operator, org.Auditor}
)

// navItem is one entry of the left navigation.
type navItem struct {
	Path  string
	Label string
	Roles []org.Role
}

// nav is the left navigation, in display order. To add an area, register
// its routes in Register and add its entry here, e.g. the catalog:
//
//	{Path: "/catalog", Label: "数据资源目录", Roles: []org.Role{org.Operator, org.DeptAdmin, org.Reviewer}},
//
// (between 首页 and 部门与账号). Only link pages that exist.
var nav = []navItem{
	{Path: "/", Label: "首页", Roles: rolesAll},
	{Path: "/catalog", Label: "数据资源目录", Roles: rolesCatalog},
	{Path: "/records", Label: "数据归集", Roles: rolesRecordsOverview},
	{Path: "/org", Label: "部门与账号", Roles: rolesOrg},
	{Path: "/org/users", Label: "本部门账号", Roles: []org.Role{org.DeptAdmin}},
	{Path: "/apps", Label: "应用与密钥", Roles: rolesApps},
	{Path: "/audit", Label: "审计日志", Roles: rolesAudit},
	{Path: "/calendar", Label: "工作日历", Roles: rolesAll},
}

// navLink is a navigation entry as rendered for one request.
type navLink struct {
	Path, Label string
	Active      bool
}

// navFor returns the entries role may see, marking the one for the current
// path (the longest matching prefix).
func navFor(role org.Role, current string) []navLink {
	var out []navLink
	best, bestLen := -1, 0
	for _, it := range nav {
		if !slices.Contains(it.Roles, role) {
			continue
		}
		if matches(it.Path, current) && len(it.Path) > bestLen {
			best, bestLen = len(out), len(it.Path)
		}
		out = append(out, navLink{Path: it.Path, Label: it.Label})
	}
	if best >= 0 {
		out[best].Active = true
	}
	return out
}

func matches(prefix, p string) bool {
	if prefix == "/" {
		return p == "/"
	}
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}
