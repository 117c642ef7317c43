package org

import (
	"strconv"
	"strings"

	"github.com/hutong-gov/hutong/internal/text"
)

// UnguardedWhere is DepartmentFilter.Where's condition for a search q the
// keys take (searchKey), without its guard on the names: the
// names as typed and the keys, as before the guard, or the keys alone
// unless typed. false when the keys cannot take q.
func UnguardedWhere(q string, typed bool) (string, []any, bool) {
	q = text.DropIgnorable(q)
	key, keyed := searchKey(q)
	if !keyed {
		return "", nil, false
	}
	cond, args := `id > $1 AND (`, []any{int64(0)}
	if narrow := text.FoldWidth(q); typed {
		for _, p := range []string{narrow, text.WidenASCII(narrow), text.WidenASCII(strings.ToUpper(narrow))} {
			n := strconv.Itoa(len(args) + 1)
			cond += foldASCII(`name`) + ` LIKE $` + n + ` ESCAPE '\' OR ` + foldASCII(`short_name`) + ` LIKE $` + n + ` ESCAPE '\' OR `
			args = append(args, containing(p))
		}
	}
	n := strconv.Itoa(len(args) + 1)
	cond += keyLike(`name`, n, key) + ` OR ` + keyLike(`short_name`, n, key) + `)`
	return cond, append(args, containing(key)), true
}
