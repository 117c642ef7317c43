package web

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/org"
	"github.com/hutong-gov/hutong/internal/sqldb"
)

// orgPageSize is how many rows one page of the organisation lists
// (departments, accounts, apps) shows.
const orgPageSize = 50

// pager is the "pager" template's dot: the URLs of a list's first page
// (on a later page) and of its next (when more follow), "" for none.
type pager struct{ First, Next string }

// listCursor is the cursor of the page of list after id, as the API gives
// it: base64url of the list's name and the last id of the page before.
func listCursor(list string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + ":" + strconv.FormatInt(id, 10)))
}

// parseListCursor reads the cursor in parameter param of a page of list:
// the id after which the page starts, 0 for the first page (no cursor).
// One that no page of list gave is 400 invalid_cursor.
func parseListCursor(v url.Values, param, list string) (int64, error) {
	c := v.Get(param)
	if c == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	key, ok := strings.CutPrefix(string(b), list+":")
	id, perr := strconv.ParseInt(key, 10, 64)
	if err != nil || !ok || perr != nil || id <= 0 || strconv.FormatInt(id, 10) != key {
		return 0, errs.Field(param, "invalid_cursor", "分页游标无效，请从第一页重新查询")
	}
	return id, nil
}

// listQuery reads a name search from parameter param, as org.Search
// checks it.
func listQuery(v url.Values, param string) (string, error) {
	return org.Search(param, v.Get(param))
}

// orgParams are the /org page's parameters: each list's search and cursor.
var orgParams = []string{"dept_q", "dept_cursor", "user_q", "user_cursor"}

// orgURL is /org with v's parameters, changed by set (an empty value
// removes the parameter), and the fragment of the list the link is about.
func orgURL(v url.Values, fragment string, set ...string) string {
	return listURL("/org", orgParams, v, fragment, set...)
}

// listURL is the URL of path, a page of lists, with those of its
// parameters params that v holds, changed by set (name, value pairs; an
// empty value removes the parameter), and the fragment of the list the
// link is about.
func listURL(path string, params []string, v url.Values, fragment string, set ...string) string {
	out := url.Values{}
	for _, k := range params {
		if s := v.Get(k); s != "" {
			out.Set(k, s)
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			out.Del(set[i])
		} else {
			out.Set(set[i], set[i+1])
		}
	}
	u := path
	if len(out) > 0 {
		u += "?" + out.Encode()
	}
	return u + "#" + fragment
}

// orgList is one list of the /org page, or the departments' list of
// /records: its search, how many match, the pager and what its search form
// carries of the other list.
type orgList struct {
	Name   string // dept or user: the pager's ids
	Label  string // 部门 or 账号
	Q      string
	Total  int
	Clear  string // URL without the search, "" without one
	Pager  pager
	Hidden []hiddenField
}

type orgData struct {
	Departments []org.DepartmentListing
	Users       []org.UserListing
	Dept, User  orgList
}

// hiddenOf are v's parameters named keys, for a search form to carry.
func hiddenOf(v url.Values, keys ...string) []hiddenField {
	var out []hiddenField
	for _, k := range keys {
		if s := v.Get(k); s != "" {
			out = append(out, hiddenField{k, s})
		}
	}
	return out
}

// orgPage lists departments and staff accounts, for the platform operator,
// a page of each at a time: each list has its own name search (dept_q,
// user_q) and keyset cursor (dept_cursor, user_cursor), and the links of
// one keep the other's.
func (w *Web) orgPage(rw http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := r.URL.Query()
	df := org.DepartmentFilter{Limit: orgPageSize}
	uf := org.UserFilter{Limit: orgPageSize}
	var err error
	if df.Q, err = listQuery(v, "dept_q"); err != nil {
		return err
	}
	if df.After, err = parseListCursor(v, "dept_cursor", "departments"); err != nil {
		return err
	}
	if uf.Q, err = listQuery(v, "user_q"); err != nil {
		return err
	}
	if uf.After, err = parseListCursor(v, "user_cursor", "users"); err != nil {
		return err
	}
	d := orgData{Dept: orgList{Name: "dept", Label: "部门", Q: df.Q, Hidden: hiddenOf(v, "user_q", "user_cursor")},
		User: orgList{Name: "user", Label: "账号", Q: uf.Q, Hidden: hiddenOf(v, "dept_q", "dept_cursor")}}

	// Each page and its count in one snapshot, so that they agree while
	// departments and accounts are added or renamed.
	var deptNext, userNext int64
	err = w.cfg.DB.Snapshot(ctx, func(q sqldb.Querier) (err error) {
		if d.Departments, deptNext, err = org.FindDepartmentListings(ctx, q, df); err != nil {
			return err
		}
		if d.Dept.Total, err = org.CountDepartments(ctx, q, df); err != nil {
			return err
		}
		if d.Users, userNext, err = org.FindUserListings(ctx, q, uf); err != nil {
			return err
		}
		d.User.Total, err = org.CountUsers(ctx, q, uf)
		return err
	})
	if err != nil {
		return err
	}
	if deptNext != 0 {
		d.Dept.Pager.Next = orgURL(v, "departments", "dept_cursor", listCursor("departments", deptNext))
	}
	if df.After != 0 {
		d.Dept.Pager.First = orgURL(v, "departments", "dept_cursor", "")
	}
	if df.Q != "" {
		d.Dept.Clear = orgURL(v, "departments", "dept_q", "", "dept_cursor", "")
	}

	if userNext != 0 {
		d.User.Pager.Next = orgURL(v, "users", "user_cursor", listCursor("users", userNext))
	}
	if uf.After != 0 {
		d.User.Pager.First = orgURL(v, "users", "user_cursor", "")
	}
	if uf.Q != "" {
		d.User.Clear = orgURL(v, "users", "user_q", "", "user_cursor", "")
	}
	return w.render(rw, r, http.StatusOK, "org", "部门与账号", d)
}
