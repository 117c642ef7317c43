package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hutong-gov/hutong/internal/audit"
	"github.com/hutong-gov/hutong/internal/errs"
	"github.com/hutong-gov/hutong/internal/sqldb"
	"github.com/hutong-gov/hutong/internal/text"
)

// SecurityLevel is the configurable definition of one security level
// (安全级别 1–4). Seed 002 defines levels 2 and 4; the platform ships
// similar wording for 1 and 3, which operators can change.
type SecurityLevel struct {
	Level       int       `json:"level"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	UpdatedAt   time.Time `json:"updated_at"`
	// Tag names the definition as read (levelTag): the console's form
	// carries it (edit_tag), the API answers it (tag, and the ETag of a
	// PUT) for If-Match, and SetSecurityLevelIf refuses a save started
	// from another. A PUT's body may carry it back; it is ignored there.
	Tag string `json:"tag"`
}

// levelTag is the tag of l's definition: the first 12 bytes of the SHA-256
// of its level, name and description joined by NUL, in hex.
func levelTag(l SecurityLevel) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{strconv.Itoa(l.Level), l.Name, l.Description}, "\x00")))
	return hex.EncodeToString(sum[:12])
}

// SecurityLevels lists the four level definitions.
func SecurityLevels(ctx context.Context, q sqldb.Querier) ([]SecurityLevel, error) {
	rows, err := q.QueryContext(ctx, `SELECT level, name, description, updated_at FROM catalog_security_levels ORDER BY level`)
	if err != nil {
		return nil, fmt.Errorf("security levels: %w", err)
	}
	defer rows.Close()
	var out []SecurityLevel
	for rows.Next() {
		var l SecurityLevel
		if err := rows.Scan(&l.Level, &l.Name, &l.Description, &l.UpdatedAt); err != nil {
			return nil, fmt.Errorf("security levels: %w", err)
		}
		l.UpdatedAt, l.Tag = l.UpdatedAt.UTC(), levelTag(l)
		out = append(out, l)
	}
	return out, rows.Err()
}

// The longest name and description of a security level, in characters: an
// entry's name and free texts' (the seeds' are 2 and 40); the form's
// maxlength attributes are twice them, in UTF-16 units.
const (
	maxLevelName        = MaxName
	maxLevelDescription = MaxText
)

// normalized is l with its name and description trimmed and the
// description's line breaks made line feeds (text.LineFeeds), as an entry's
// free texts are: a browser posts a textarea's line breaks as CR LF,
// whatever the page held.
func (l SecurityLevel) normalized() SecurityLevel {
	l.Name, l.Description = strings.TrimSpace(l.Name), strings.TrimSpace(text.LineFeeds(l.Description))
	return l
}

// Check returns every problem of l, in the order level, name, description,
// each a field error: SetSecurityLevel refuses the first, a form shows them
// all. A name or description of white space alone is none; either,
// normalized (a CR LF in the description one character), must be plain
// text (line breaks allowed in the description) of at most maxLevelName or
// maxLevelDescription characters (validator.text).
func (l SecurityLevel) Check() []*errs.Error {
	v := &validator{}
	if l.Level < 1 || l.Level > 4 {
		v.add("level", "invalid_security_level", "安全级别应为1至4级")
	}
	l = l.normalized()
	for _, f := range []struct {
		field, label, s string
		max             int
		lines           bool
	}{
		{"name", "安全级别名称", l.Name, maxLevelName, false},
		{"description", "安全级别说明", l.Description, maxLevelDescription, true},
	} {
		if f.s == "" {
			v.add(f.field, f.field+"_required", f.label+"不能为空")
		} else {
			v.text(f.field, f.label, f.s, f.max, f.lines)
		}
	}
	return v.errs
}

// SetSecurityLevel changes the name and description of one level. Only the
// platform operator may. It is SetSecurityLevelIf without a condition.
func SetSecurityLevel(ctx context.Context, tx *sqldb.Tx, by Actor, l SecurityLevel, now time.Time) (SecurityLevel, error) {
	return SetSecurityLevelIf(ctx, tx, by, l, nil, now)
}

// SetSecurityLevelIf is SetSecurityLevel conditioned on the definition the
// change started from (ifMatch, its Tag as the console's form or If-Match
// sends it): nil is no condition, an empty list matches nothing. A change
// started from a definition another operator has saved over since is
// refused concurrent_update, nothing written, rather than overwriting it
// unseen. It is SetSecurityLevelIfChanged without the report.
func SetSecurityLevelIf(ctx context.Context, tx *sqldb.Tx, by Actor, l SecurityLevel, ifMatch []string, now time.Time) (SecurityLevel, error) {
	l, _, err := SetSecurityLevelIfChanged(ctx, tx, by, l, ifMatch, now)
	return l, err
}

// SetSecurityLevelIfChanged is SetSecurityLevelIf reporting whether the
// change changed anything. The name and description are stored normalized
// (trimmed, the description's line breaks line feeds). One whose name and
// description, normalized, are the level's as stored (a form saved as
// shown or sent twice, its line breaks posted as CR LF, a PUT of what GET
// answered; a description stored with CR LF before it was normalized
// compared with its line breaks as line feeds) writes nothing: updated_at
// stays, no audit row. It
// returns the level as stored and changed false; the tags are checked
// first, except that a stale tag asking for what is stored is not
// refused, there being nothing to overwrite. The row is locked before it
// is read.
func SetSecurityLevelIfChanged(ctx context.Context, tx *sqldb.Tx, by Actor, l SecurityLevel, ifMatch []string, now time.Time) (SecurityLevel, bool, error) {
	if !by.Operator {
		return l, false, errs.E(errs.Forbidden, "forbidden", "只有平台管理员可以修改安全级别定义")
	}
	l = l.normalized()
	if problems := l.Check(); len(problems) > 0 {
		return l, false, problems[0]
	}
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_security_levels SET level = level WHERE level = $1`, l.Level); err != nil {
		return l, false, fmt.Errorf("set security level: %w", err)
	}
	var cur SecurityLevel
	if err := tx.QueryRowContext(ctx, `SELECT level, name, description, updated_at FROM catalog_security_levels WHERE level = $1`,
		l.Level).Scan(&cur.Level, &cur.Name, &cur.Description, &cur.UpdatedAt); err != nil {
		return l, false, fmt.Errorf("set security level: %w", err)
	}
	cur.UpdatedAt, cur.Tag = cur.UpdatedAt.UTC(), levelTag(cur)
	if cur.Name == l.Name && text.LineFeeds(cur.Description) == l.Description {
		return cur, false, nil
	}
	if ifMatch != nil && !slices.Contains(ifMatch, cur.Tag) {
		return cur, false, errs.E(errs.Conflict, "concurrent_update", fmt.Sprintf(
			"%d级安全级别的定义在您打开后已被他人修改，为免覆盖他人的修改，本次未保存：请查看最新定义后重新修改", l.Level))
	}
	l.UpdatedAt, l.Tag = now.UTC(), levelTag(l)
	if _, err := tx.ExecContext(ctx, `UPDATE catalog_security_levels SET name = $2, description = $3, updated_at = $4
		WHERE level = $1`, l.Level, l.Name, l.Description, l.UpdatedAt); err != nil {
		return l, false, fmt.Errorf("set security level: %w", err)
	}
	return l, true, audit.Record(ctx, tx, audit.Event{Actor: by.Actor, Action: "catalog.security_level.update",
		ObjectType: "catalog_security_level", ObjectID: strconv.Itoa(l.Level),
		Detail: audit.Detail("name", l.Name, "description", l.Description)}, now)
}
