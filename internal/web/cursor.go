package web

import (
	"net/url"
	"strconv"

	"github.com/hutong-gov/hutong/internal/errs"
)

// pageCursor reads the cursor parameter param of a console list, a row's
// positive id as its pager writes it: 0 when absent. 007, +7, 0 and abc
// are refused (400 invalid_cursor), as the API refuses them (README), not
// read as 7 or shown as the first page.
func pageCursor(q url.Values, param string) (int64, error) {
	v := q.Get(param)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != v {
		return 0, errs.Field(param, "invalid_cursor", "分页参数无效")
	}
	return n, nil
}
