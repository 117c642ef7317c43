package api

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/text"
)

// Lists of the organisation (regions, departments, users, apps) and of
// import mappings page by keyset: ?limit=N (default keysetDefaultLimit, more
// than keysetMaxLimit serves keysetMaxLimit) and ?cursor= the next_cursor of
// the page before, which the response holds only when more follow.
const (
	keysetDefaultLimit = 100
	keysetMaxLimit     = 1000
)

// keysetPage is the limit and the keyset cursor of a list request.
type keysetPage struct {
	list  string // whose cursor: a cursor of another list is refused
	Limit int
	After string // the key after which the page starts, "" for the first
}

// keysetParams reads ?limit and ?cursor of the list named list.
func keysetParams(r *http.Request, list string) (keysetPage, error) {
	q := r.URL.Query()
	p := keysetPage{list: list, Limit: keysetDefaultLimit}
	n, err := optInt(q.Get("limit"), "limit")
	if err != nil {
		return p, err
	}
	if n > 0 {
		p.Limit = int(min(n, keysetMaxLimit))
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		key, ok := strings.CutPrefix(string(b), list+":")
		// The key goes into the query: text PostgreSQL cannot compare
		// (NUL, invalid UTF-8) is no key a page gave.
		if err != nil || !ok || key == "" || !text.Storable(key) {
			return p, errKeysetCursor()
		}
		p.After = key
	}
	return p, nil
}

// errKeysetCursor is a cursor that no page gave: the catalog search's
// code and message.
func errKeysetCursor() error {
	return errs.Field("cursor", "invalid_cursor", "分页游标无效，请从第一页重新查询")
}

// afterID is the cursor of a list keyed by a positive id; 0 for the first page.
func (p keysetPage) afterID() (int64, error) {
	if p.After == "" {
		return 0, nil
	}
	return cursorID(p.After)
}

// cursorID reads key, the key of a cursor of a list keyed by a positive
// id, as the list wrote it: 0, which no item has, or another spelling of
// an id is no cursor a page gave (invalid_cursor).
func cursorID(key string) (int64, error) {
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != key {
		return 0, errKeysetCursor()
	}
	return id, nil
}

// items is the response of a page: its items (a slice that is not nil,
// so that an empty page is []) and, when more follow, the cursor of the
// next page, from the key of its last item.
func (p keysetPage) items(items any, next string) map[string]any {
	out := map[string]any{"items": items}
	if next != "" {
		out["next_cursor"] = base64.RawURLEncoding.EncodeToString([]byte(p.list + ":" + next))
	}
	return out
}

// idKey is the key of the next page of a list keyed by id: "" for none (0).
func idKey(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}
